//! Regression: record boundaries. The reader cuts the stream into blocks parsed in parallel;
//! wherever the cuts fall (inside quoted newlines, CRLFs, stray quotes), every block size must
//! give the counts worked out from the rows as written.

use std::io::Write;

use crm_ready::audit::checks::fill::{Cell, MissingRule};
use crm_ready::audit::counters::{FillCounter, TableCounters};
use crm_ready::audit::{ColumnPlan, measure};
use crm_ready::input::{ReadOptions, Source, open_csv};

/// Cell texts as they appear in the file, and what each one is.
const CELLS: &[(&str, Cell)] = &[
    ("Software", Cell::Filled),
    ("", Cell::Blank),
    ("\"N/A\"", Cell::Placeholder),
    ("\"two\r\nlines, and a comma\"", Cell::Filled),
    ("55\" screen", Cell::Filled), // a literal quote in an unquoted field
    ("\"say \"\"hi\"\"\"", Cell::Filled),
    ("   ", Cell::Blank),
    ("unknown", Cell::Placeholder),
    ("\"\"", Cell::Blank),
    ("Zoë", Cell::Filled),
];

const WIDTH: usize = 4;

#[test]
fn every_block_size_gives_the_counts_of_the_rows_as_written() {
    let mut text = String::from("a,b,c,d\r\n");
    let mut expected = vec![FillCounter::default(); WIDTH];
    let mut rows = 0u64;
    for r in 0..400usize {
        if r % 37 == 5 {
            text.push_str("\r\n"); // a blank line, not a row
            continue;
        }
        let cells: Vec<&(&str, Cell)> = (0..WIDTH)
            .map(|c| &CELLS[(r * 7 + c * 3) % CELLS.len()])
            .collect();
        let line: Vec<&str> = cells.iter().map(|(t, _)| *t).collect();
        text.push_str(&line.join(","));
        text.push_str(if r % 2 == 0 { "\r\n" } else { "\n" });
        rows += 1;
        for (counter, (_, cell)) in expected.iter_mut().zip(&cells) {
            counter.rows += 1;
            match cell {
                Cell::Filled => {}
                Cell::Blank => counter.blank += 1,
                Cell::Placeholder => counter.placeholder += 1,
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.csv");
    std::fs::File::create(&path)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();

    for block_size in [1, 7, 64, 333, 4096, 4 << 20] {
        let options = ReadOptions {
            block_size,
            ..ReadOptions::default()
        };
        let csv = open_csv(&Source::from_path(&path), &options).unwrap();
        let plan: Vec<ColumnPlan> = csv
            .header()
            .names
            .iter()
            .map(|n| ColumnPlan {
                name: n.clone(),
                canonical: None,
                missing: MissingRule::new([]),
                checks: Default::default(),
            })
            .collect();
        let (counters, summary) = csv
            .scan(
                TableCounters::default,
                |acc, batch| measure(&plan, batch, acc),
                &|_| {},
            )
            .unwrap();
        assert_eq!(summary.rows, rows, "block size {block_size}");
        assert_eq!(summary.ragged_rows, 0, "block size {block_size}");
        let blank_lines: u64 = summary.removed.iter().map(|r| r.count).sum();
        assert_eq!(blank_lines, 11, "block size {block_size}"); // r % 37 == 5 for r < 400
        let got: Vec<FillCounter> = counters.columns.iter().map(|c| c.fill).collect();
        assert_eq!(got, expected, "block size {block_size}");
    }
}
