//! Any bytes as an XLSX workbook: container checks, the streamed cell reader, header search,
//! empty rows, cells outside the columns and footers must never panic or allocate by the
//! sheet's declared size, and every row counted must be measured in every column.
#![no_main]

use crm_ready::audit::checks::fill::MissingRule;
use crm_ready::audit::counters::TableCounters;
use crm_ready::audit::{ColumnPlan, measure};
use crm_ready::input::{ReadOptions, Source, open};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = ReadOptions {
        // Small enough that a bomb is refused long before it could exhaust memory.
        max_uncompressed: 16 << 20,
        ..ReadOptions::default()
    };
    let Ok(sheet) = open(&Source::from_bytes("fuzz.xlsx", data.to_vec()), &options) else {
        return;
    };
    let plan: Vec<ColumnPlan> = sheet
        .header()
        .names
        .iter()
        .map(|n| ColumnPlan {
            name: n.clone(),
            canonical: None,
            missing: MissingRule::new(["Other"]),
            checks: Default::default(),
        })
        .collect();
    if let Ok((counters, summary)) = sheet.scan(
        TableCounters::default,
        |acc, batch| measure(&plan, batch, acc),
        &|_| {},
    ) {
        for column in &counters.columns {
            assert_eq!(column.fill.rows, summary.rows);
            assert!(column.fill.blank + column.fill.placeholder <= column.fill.rows);
        }
    }
});
