//! Record counts: how many records match a condition, within a time window.
//!
//! ## What it does
//! Counts the records that pass a requirement's `where` (a field's value `in` or `not_in`
//! a list, compared without case or surrounding spaces, or a boolean that `is` true or
//! false; blank values match neither) and, with `within_days`, whose `date_field` lies within
//! that many days before `--as-of`. For a fill requirement with a `where`, it also counts
//! how many of those records have the field filled. Slash dates are counted under both
//! readings and settled by the date column's order (see `freshness`).
//!
//! ## Why is this bad?
//! The vendors' AI features refuse to train below record counts that no fill rate shows:
//! Salesforce Einstein Lead Scoring needs 1,000 leads created in the last 200 days, 120 of
//! them converted. An export of 35 leads at 100% fill is not ready for any model.
//!
//! ## Example
//! Leads created `2026-11-01` (converted), `2026-10-01`, `2025-01-01` (converted), on
//! 2026-11-28 with `within_days = 200`: 2 created in the window, 1 of them converted.

use super::boolean;
use super::consistency::normalize;
use super::date::{self, DateRead};
use super::freshness::{self, DateRule};

/// What a record's value must be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Test {
    /// One of these values (normalised with `consistency::normalize`: `Closed - Won` is
    /// `Closed Won`).
    In(Vec<String>),
    NotIn(Vec<String>),
    Is(bool),
}

impl Test {
    /// Whether a filled, trimmed value passes.
    pub fn passes(&self, value: &str) -> bool {
        match self {
            Test::In(values) => values.contains(&normalize(value)),
            Test::NotIn(values) => !values.contains(&normalize(value)),
            Test::Is(wanted) => boolean::check(value) == Ok(*wanted),
        }
    }
}

/// Where a date lies for a window: in it under both readings, or under one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InWindow {
    pub fixed: bool,
    pub month_first: bool,
    pub day_first: bool,
}

/// Whether a filled, trimmed date lies within `window` days before `as_of`.
pub fn in_window(rule: &DateRule, value: &str, window: u32) -> InWindow {
    read_in_window(rule, date::read(value), window)
}

/// `in_window` of a value already read.
pub fn read_in_window(rule: &DateRule, read: DateRead, window: u32) -> InWindow {
    let inside =
        |days| freshness::age(rule, days).is_ok_and(|age| freshness::within(rule, age, window));
    match read {
        DateRead::Fixed(days) => InWindow {
            fixed: inside(days),
            month_first: false,
            day_first: false,
        },
        DateRead::Slash {
            month_first,
            day_first,
            ..
        } => InWindow {
            fixed: false,
            month_first: inside(month_first),
            day_first: inside(day_first),
        },
    }
}

/// Counts under each reading of the window's slash dates: [fixed, month first, day first].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Readings(pub [u64; 3]);

impl Readings {
    pub fn add(&mut self, hit: InWindow) {
        self.0[0] += u64::from(hit.fixed);
        self.0[1] += u64::from(hit.month_first);
        self.0[2] += u64::from(hit.day_first);
    }

    pub fn merge(&mut self, other: Readings) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }

    /// The count under the column's order.
    pub fn settle(&self, day_first: bool) -> u64 {
        self.0[0] + self.0[if day_first { 2 } else { 1 }]
    }
}

/// One requirement's counts: records that pass, and of those, records with the field filled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CountCounter {
    pub matched: Readings,
    pub filled: Readings,
}

impl CountCounter {
    pub fn merge(&mut self, other: CountCounter) {
        self.matched.merge(other.matched);
        self.filled.merge(other.filled);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_example() {
        let rule = DateRule {
            as_of: date::days(2026, 11, 28).unwrap(),
            history: true,
            windows: Vec::new(),
        };
        let converted = Test::Is(true);
        let mut all = CountCounter::default();
        let mut won = CountCounter::default();
        for (created, is_converted) in [
            ("2026-11-01", "true"),
            ("2026-10-01", "false"),
            ("2025-01-01", "true"),
        ] {
            let hit = in_window(&rule, created, 200);
            all.matched.add(hit);
            if converted.passes(is_converted) {
                won.matched.add(hit);
            }
        }
        assert_eq!(all.matched.settle(false), 2);
        assert_eq!(won.matched.settle(false), 1);
    }

    #[test]
    fn tests_compare_without_case() {
        let stages = Test::In(vec![normalize("Closed Won")]);
        assert!(stages.passes("closed won"));
        assert!(stages.passes("CLOSED  WON"));
        assert!(stages.passes("Closed - Won"));
        assert!(!stages.passes("Closed Lost"));
        let open = Test::NotIn(vec!["closed won".into(), "closed lost".into()]);
        assert!(open.passes("Negotiation"));
        assert!(Test::Is(false).passes("No"));
    }
}
