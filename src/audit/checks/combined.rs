//! A field filled from any of several columns, record by record.
//!
//! **What it does.** Counts the records in which at least one of a set of columns holds a
//! value (by each column's own missing-value rule).
//!
//! **Why it matters.** A contact's industry is usable when the contact has one or its company
//! does (HubSpot's joined export puts the company's `Industry` beside the contact's); a
//! website can stand in for a missing domain. Adding the columns' fill rates would count a
//! record twice when both are filled, and taking the better one would miss records that only
//! the other fills: only a per-record count is right.
//!
//! **Example.** Contacts with `Industry` filled on 45% and `Industry (Company)` on 70%, both
//! on 30%: the combined field is filled on 85%.

use polars::prelude::StringChunked;

use super::fill::{Cell, MissingRule};
use crate::audit::counters::FillCounter;

/// Adds one batch to `counter`: `parts` are the columns that may carry the field, each with
/// its missing-value rule; `from_account`, each record's account bits and the field's bit.
pub fn count(
    parts: &[(&StringChunked, &MissingRule)],
    from_account: Option<(&[u8], u8)>,
    rows: usize,
    counter: &mut FillCounter,
) {
    let mut filled = vec![false; rows];
    if let Some((bits, bit)) = from_account {
        for (slot, bits) in filled.iter_mut().zip(bits) {
            *slot = bits & bit != 0;
        }
    }
    for (column, rule) in parts {
        for (slot, value) in filled.iter_mut().zip(column.iter()) {
            if !*slot && value.is_some_and(|v| rule.classify(v) == Cell::Filled) {
                *slot = true;
            }
        }
    }
    let hits = filled.iter().filter(|f| **f).count() as u64;
    counter.rows += rows as u64;
    counter.blank += rows as u64 - hits;
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars::prelude::*;

    #[test]
    fn a_record_counts_once_whichever_column_fills_it() {
        let own = StringChunked::from_iter_options(
            "own".into(),
            [Some("Retail"), None, Some("n/a"), Some(""), Some("Banking")].into_iter(),
        );
        let company = StringChunked::from_iter_options(
            "company".into(),
            [
                Some("Retail"),
                Some("Software"),
                Some("unknown"),
                None,
                None,
            ]
            .into_iter(),
        );
        let rule = MissingRule::new([]);
        let mut counter = FillCounter::default();
        count(&[(&own, &rule), (&company, &rule)], None, 5, &mut counter);
        // Rows 1 (both), 2 (company), 5 (own) are filled; 3 and 4 are not.
        assert_eq!(counter.rows, 5);
        assert_eq!(counter.filled(), 3);
    }
}
