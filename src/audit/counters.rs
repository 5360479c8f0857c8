//! Mergeable per-column counters: computed per batch on any thread, combined with `+=`.
//!
//! A new check adds its counter to `ColumnCounters`; the single pass over the data and the
//! merge stay the same.

use std::ops::AddAssign;

/// How many values of a column are filled, blank or placeholders.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FillCounter {
    pub rows: u64,
    /// Empty or whitespace only, or absent (the row had too few cells).
    pub blank: u64,
    /// A value that stands for "no value": `N/A`, `unknown`, `000000000000000AAA`, ...
    pub placeholder: u64,
}

impl FillCounter {
    pub fn filled(&self) -> u64 {
        self.rows - self.blank - self.placeholder
    }
}

impl AddAssign for FillCounter {
    fn add_assign(&mut self, other: Self) {
        self.rows += other.rows;
        self.blank += other.blank;
        self.placeholder += other.placeholder;
    }
}

/// Everything measured about one column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnCounters {
    pub fill: FillCounter,
    /// Validity, dates, consistency: see `audit::measure`.
    pub checks: super::measure::CheckCounters,
}

impl AddAssign for ColumnCounters {
    fn add_assign(&mut self, other: Self) {
        self.fill += other.fill;
        self.checks.merge(other.checks);
    }
}

/// Counters for every column of a table, in header order, and for the combined fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableCounters {
    pub columns: Vec<ColumnCounters>,
    pub combined: Vec<FillCounter>,
    /// Per combined field: records its account fills (when it may come from the account).
    pub from_accounts: Vec<u64>,
    /// An accounts file: per record id (15 characters), which company fields are filled.
    pub keys: Vec<(Box<str>, u8)>,
    /// More accounts than `MAX_ACCOUNTS`: the join is given up, and said.
    pub keys_overflow: bool,
    /// A file linked to accounts: records whose account id is blank, or names no account
    /// of the export.
    pub link_blank: u64,
    pub link_unmatched: u64,
    /// Identity keys, consent and record counts.
    pub records: super::measure::RecordCounters,
    /// Per `--by` dimension, the per-record requirements by segment.
    pub segments: Vec<super::segments::Segments>,
}

/// The most accounts held for a join: ids and a byte each, about 100 MiB.
pub const MAX_ACCOUNTS: usize = 2_000_000;

impl TableCounters {
    /// Whether column `c`'s slash dates read day first, by its own evidence.
    pub fn day_first(&self, c: usize) -> bool {
        self.columns
            .get(c)
            .is_some_and(|col| col.checks.dates.order().is_some_and(|o| o.day_first))
    }

    pub fn new(width: usize) -> Self {
        TableCounters {
            columns: vec![ColumnCounters::default(); width],
            ..TableCounters::default()
        }
    }
}

impl AddAssign for TableCounters {
    fn add_assign(&mut self, other: Self) {
        if self.columns.is_empty() {
            *self = other;
            return;
        }
        for (mine, theirs) in self.columns.iter_mut().zip(other.columns) {
            *mine += theirs;
        }
        self.records.merge(other.records);
        if self.segments.is_empty() {
            self.segments = other.segments;
        } else {
            for (mine, theirs) in self.segments.iter_mut().zip(other.segments) {
                mine.merge(theirs);
            }
        }
        self.link_blank += other.link_blank;
        self.link_unmatched += other.link_unmatched;
        self.keys_overflow |= other.keys_overflow;
        if !self.keys_overflow {
            self.keys.extend(other.keys);
            if self.keys.len() > MAX_ACCOUNTS {
                self.keys_overflow = true;
            }
        }
        if self.keys_overflow {
            self.keys = Vec::new();
        }
        if self.from_accounts.len() < other.from_accounts.len() {
            self.from_accounts.resize(other.from_accounts.len(), 0);
        }
        for (mine, theirs) in self.from_accounts.iter_mut().zip(&other.from_accounts) {
            *mine += theirs;
        }
        if self.combined.len() < other.combined.len() {
            self.combined
                .resize(other.combined.len(), FillCounter::default());
        }
        for (mine, theirs) in self.combined.iter_mut().zip(other.combined) {
            *mine += theirs;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging_adds_column_by_column() {
        let mut a = TableCounters::new(2);
        a.columns[0].fill = FillCounter {
            rows: 3,
            blank: 1,
            placeholder: 1,
        };
        let mut b = TableCounters::new(2);
        b.columns[0].fill = FillCounter {
            rows: 2,
            blank: 0,
            placeholder: 1,
        };
        b.columns[1].fill = FillCounter {
            rows: 2,
            blank: 2,
            placeholder: 0,
        };
        a += b;
        assert_eq!(
            a.columns[0].fill,
            FillCounter {
                rows: 5,
                blank: 1,
                placeholder: 2
            }
        );
        assert_eq!(a.columns[0].fill.filled(), 2);
        assert_eq!(a.columns[1].fill.filled(), 0);
    }
}
