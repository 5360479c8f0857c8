//! Any bytes as a CSV export: encoding detection, delimiter sniffing, header hygiene, record
//! splitting across tiny blocks, trailers and the fill kernel must never panic, and every row
//! counted must be measured in every column.
#![no_main]

use crm_ready::audit::checks::fill::MissingRule;
use crm_ready::audit::counters::TableCounters;
use crm_ready::audit::{ColumnPlan, measure};
use crm_ready::input::{ReadOptions, Source, open_csv};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks a block size, so record boundaries fall everywhere.
    let (block_size, bytes) = match data.split_first() {
        Some((&b, rest)) => (usize::from(b % 64) + 1, rest),
        None => (1, data),
    };
    let options = ReadOptions {
        block_size,
        max_record_bytes: 1 << 16,
        ..ReadOptions::default()
    };
    let Ok(csv) = open_csv(&Source::from_bytes("fuzz.csv", bytes.to_vec()), &options) else {
        return;
    };
    let plan: Vec<ColumnPlan> = csv
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
    if let Ok((counters, summary)) = csv.scan(
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
