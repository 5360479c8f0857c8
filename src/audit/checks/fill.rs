//! Fill rate: how many values are really there.
//!
//! ## What it does
//! Counts, per column, values that are blank (empty, whitespace, NUL padding, or absent from a
//! short row) and values that are placeholders standing for "no value" (`N/A`, `unknown`,
//! `-`, Salesforce's empty lookup `000000000000000AAA`, and any the dictionary adds).
//!
//! ## Why is this bad?
//! A model fed "Unknown" as an industry learns that "Unknown" is an industry. A CRM that shows
//! 100% populated can be 40% placeholders.
//!
//! ## Example
//! `Industry` holding `Software`, `N/A`, `  `, `unknown`, `Retail`: 5 rows, 2 filled,
//! 1 blank, 2 placeholders, fill rate 40%. `NA` is not a placeholder (it is Namibia).

use polars::prelude::StringChunked;

use crate::audit::counters::FillCounter;

/// Placeholders that mean "no value" in every column, compared without case after trimming.
pub const BUILTIN_PLACEHOLDERS: &[&str] = &[
    "n/a",
    "#n/a",
    "null",
    "nil",
    "none",
    "unknown",
    "-",
    "--",
    "?",
    "tbd",
    "[not provided]",
    "000000000000000AAA",
];

/// What a single value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Filled,
    Blank,
    Placeholder,
}

/// The missing-value rule of one column: the built-in placeholders plus the dictionary's.
#[derive(Debug, Clone)]
pub struct MissingRule {
    /// ASCII placeholders, lower-cased, indexed by byte length.
    ascii_by_len: Vec<Vec<Box<[u8]>>>,
    /// Lower-cased first bytes of the ASCII placeholders: most values fail this test at once.
    first_bytes: [bool; 256],
    /// Non-ASCII placeholders, lower-cased (compared the slow way; rare).
    unicode: Vec<String>,
    /// No ASCII placeholder is longer.
    max_len: usize,
}

fn is_pad(c: char) -> bool {
    c.is_whitespace() || c == '\0'
}

/// ASCII bytes that trimming removes; non-ASCII padding (NBSP, ...) takes the slow path.
fn is_pad_byte(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C | 0)
}

impl MissingRule {
    pub fn new<'a>(extra: impl IntoIterator<Item = &'a str>) -> Self {
        let mut rule = MissingRule {
            ascii_by_len: Vec::new(),
            first_bytes: [false; 256],
            unicode: Vec::new(),
            max_len: 0,
        };
        for token in BUILTIN_PLACEHOLDERS.iter().copied().chain(extra) {
            let token = token.trim_matches(is_pad).to_lowercase();
            if token.is_empty() {
                continue;
            }
            if token.is_ascii() {
                let len = token.len();
                if rule.ascii_by_len.len() <= len {
                    rule.ascii_by_len.resize(len + 1, Vec::new());
                }
                rule.first_bytes[usize::from(token.as_bytes()[0])] = true;
                if !rule.ascii_by_len[len]
                    .iter()
                    .any(|t| **t == *token.as_bytes())
                {
                    rule.ascii_by_len[len].push(token.into_bytes().into_boxed_slice());
                }
                rule.max_len = rule.max_len.max(len);
            } else if !rule.unicode.contains(&token) {
                rule.unicode.push(token);
            }
        }
        rule
    }

    /// The placeholders this rule counts as empty, lower case, sorted (for the SQL audit).
    pub fn tokens(&self) -> Vec<String> {
        let mut tokens: Vec<String> = self
            .ascii_by_len
            .iter()
            .flatten()
            .map(|t| String::from_utf8_lossy(t).into_owned())
            .chain(self.unicode.iter().cloned())
            .collect();
        tokens.sort();
        tokens
    }

    /// What `value` is. Works on bytes: no allocation, no lower-casing, most values decided
    /// by their length or first byte.
    pub fn classify(&self, value: &str) -> Cell {
        let bytes = value.as_bytes();
        let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
            return Cell::Blank;
        };
        if first.is_ascii() && last.is_ascii() && !is_pad_byte(first) && !is_pad_byte(last) {
            // Not padded: compare as is.
            if self.unicode.is_empty()
                && (bytes.len() > self.max_len
                    || !self.first_bytes[usize::from(first.to_ascii_lowercase())])
            {
                return Cell::Filled;
            }
            return self.compare(value);
        }
        let trimmed = value.trim_matches(is_pad);
        if trimmed.is_empty() {
            return Cell::Blank;
        }
        self.compare(trimmed)
    }

    fn compare(&self, trimmed: &str) -> Cell {
        let t = trimmed.as_bytes();
        if let Some(tokens) = self.ascii_by_len.get(t.len())
            && tokens.iter().any(|token| token.eq_ignore_ascii_case(t))
        {
            return Cell::Placeholder;
        }
        if !self.unicode.is_empty() && self.unicode.contains(&trimmed.to_lowercase()) {
            return Cell::Placeholder;
        }
        Cell::Filled
    }

    /// Adds one batch of a column to `counter`. Nulls are cells absent from short rows.
    pub fn count(&self, column: &StringChunked, counter: &mut FillCounter) {
        let (mut blank, mut placeholder) = (column.null_count() as u64, 0u64);
        let mut tally = |value: &str| match self.classify(value) {
            Cell::Filled => {}
            Cell::Blank => blank += 1,
            Cell::Placeholder => placeholder += 1,
        };
        for array in column.downcast_iter() {
            if column.null_count() == 0 {
                array.values_iter().for_each(&mut tally);
            } else {
                array.iter().flatten().for_each(&mut tally);
            }
        }
        counter.rows += column.len() as u64;
        counter.blank += blank;
        counter.placeholder += placeholder;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars::prelude::{NamedFrom, PlSmallStr};

    #[test]
    fn placeholders_and_blanks_are_told_apart() {
        let rule = MissingRule::new([]);
        for v in ["", "   ", "\t", "\0\0", " \u{a0}"] {
            assert_eq!(rule.classify(v), Cell::Blank, "{v:?}");
        }
        for v in [
            "N/A",
            " n/a ",
            "#N/A",
            "NULL",
            "nil",
            "None",
            "UNKNOWN",
            "-",
            "--",
            "?",
            "TBD",
            "[Not Provided]",
            "000000000000000AAA",
            "000000000000000aaa",
        ] {
            assert_eq!(rule.classify(v), Cell::Placeholder, "{v:?}");
        }
        for v in [
            "NA",
            "Namibia",
            "0",
            "n/a/b",
            "Unknown Pleasures",
            "---",
            "x",
        ] {
            assert_eq!(rule.classify(v), Cell::Filled, "{v:?}");
        }
    }

    #[test]
    fn dictionary_tokens_extend_the_rule() {
        let rule = MissingRule::new(["Other", "Sans Catégorie"]);
        assert_eq!(rule.classify("other"), Cell::Placeholder);
        assert_eq!(rule.classify(" SANS CATÉGORIE "), Cell::Placeholder);
        assert_eq!(rule.classify("Others"), Cell::Filled);
        assert_eq!(MissingRule::new([]).classify("Other"), Cell::Filled);
    }

    #[test]
    fn counts_a_column_with_nulls_as_blank() {
        let ca = StringChunked::new(
            PlSmallStr::from("industry"),
            &[
                Some("Software"),
                Some("N/A"),
                Some("  "),
                None,
                Some("unknown"),
                Some("Retail"),
            ],
        );
        let mut counter = FillCounter::default();
        MissingRule::new([]).count(&ca, &mut counter);
        assert_eq!(
            counter,
            FillCounter {
                rows: 6,
                blank: 2,
                placeholder: 2
            }
        );
        assert_eq!(counter.filled(), 2);
    }
}
