//! Freshness: how old each date is on the `--as-of` day, and which dates are valid at all.
//!
//! ## What it does
//! Reads every filled value of a date field (see `date`), counts valid and invalid ones
//! (a record-history date, such as created or last activity, after `--as-of` plus one day is
//! `in_the_future`), sorts the valid ones into age bands (`<=30`, `<=90`, `<=180`, `<=365`,
//! `<=730` days, `older`, `future`) and counts, per window the dictionary asks about, the
//! records whose date falls within that many days before `--as-of`.
//! Slash dates are counted twice, read month first and day first; when the pass is over the
//! column's own values decide (a first part above 12 means day first, a second part above 12
//! month first; with no evidence, month first, as Salesforce and HubSpot write in the US),
//! and the report says how it was decided and how many values could be read both ways.
//!
//! ## Why is this bad?
//! A lead scoring model's recency features are only as good as the dates: a column where
//! most activity is two years old, or read with day and month swapped, scores yesterday's
//! leads as cold.
//!
//! ## Example
//! On 2026-11-28, last activity `2026-11-20`, `2026-01-15`, `2019-05-02`, `soon`: 3 valid,
//! 1 `not_a_date`; ages 8, 317 and 2,767 days fall in `<=30`, `<=365` and `older`; with
//! `within_days = 90`, 1 of 4 records is fresh.

use super::date::{self, DateRead};
use super::validity::{Examples, Invalid, InvalidCounts};

/// Age bands, in days, as JSON names them; then `older` and `future`.
pub const AGE_BANDS: [(u32, &str); 5] = [
    (30, "<=30"),
    (90, "<=90"),
    (180, "<=180"),
    (365, "<=365"),
    (730, "<=730"),
];
pub const OLDER: usize = AGE_BANDS.len();
pub const FUTURE: usize = AGE_BANDS.len() + 1;

/// How one date column is judged.
#[derive(Debug, Clone)]
pub struct DateRule {
    /// `--as-of`, in days since 1970-01-01.
    pub as_of: i32,
    /// A date of record history (created, last activity): it cannot lie in the future.
    pub history: bool,
    /// The `within_days` windows the dictionary asks about.
    pub windows: Vec<u32>,
}

/// Counts under one reading of the column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub valid: u64,
    pub invalid: InvalidCounts,
    /// Per age band, then older, then future.
    pub ages: [u64; AGE_BANDS.len() + 2],
    /// Per window of the rule: records fresh within it.
    pub fresh: Vec<u64>,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.valid += other.valid;
        for (a, b) in self.invalid.iter_mut().zip(other.invalid) {
            *a += b;
        }
        for (a, b) in self.ages.iter_mut().zip(other.ages) {
            *a += b;
        }
        if self.fresh.len() < other.fresh.len() {
            self.fresh.resize(other.fresh.len(), 0);
        }
        for (a, b) in self.fresh.iter_mut().zip(&other.fresh) {
            *a += b;
        }
    }
}

/// Which order a column's slash dates were read in, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateOrder {
    pub day_first: bool,
    /// Values that showed the order (a part above 12).
    pub evidence: u64,
    /// Values that showed the other order: read as impossible dates.
    pub against: u64,
    /// Values with both parts 12 or below and different: readable both ways.
    pub ambiguous: u64,
}

/// Everything counted about one date column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DateCounter {
    pub checked: u64,
    /// Values with one reading.
    pub fixed: Tally,
    /// Slash values read month first [0] and day first [1].
    pub slash: [Tally; 2],
    pub day_first_evidence: u64,
    pub month_first_evidence: u64,
    pub ambiguous: u64,
    pub slash_values: u64,
    /// Values no reading accepts.
    pub examples: Examples,
    /// Slash values the month-first [0] and day-first [1] readings reject.
    pub slash_examples: [Examples; 2],
}

/// What a reading of a date says on the `as_of` day.
pub fn age(rule: &DateRule, days: Result<i32, Invalid>) -> Result<i64, Invalid> {
    let days = days?;
    let age = i64::from(rule.as_of) - i64::from(days);
    if rule.history && age < -1 {
        return Err(Invalid::InTheFuture);
    }
    Ok(age)
}

/// Whether an age (see `age`) is within `window` days before `as_of`: a record-history
/// date of tomorrow counts as today (time zones).
pub fn within(rule: &DateRule, age: i64, window: u32) -> bool {
    (0..=i64::from(window)).contains(&age) || (rule.history && age == -1)
}

fn tally(rule: &DateRule, days: Result<i32, Invalid>, tally: &mut Tally) -> Option<Invalid> {
    match age(rule, days) {
        Err(reason) => {
            tally.invalid[reason as usize] += 1;
            Some(reason)
        }
        Ok(age) => {
            tally.valid += 1;
            let band = if age < -1 || (age == -1 && !rule.history) {
                FUTURE
            } else {
                AGE_BANDS
                    .iter()
                    .position(|(max, _)| age <= i64::from(*max))
                    .unwrap_or(OLDER)
            };
            tally.ages[band] += 1;
            if tally.fresh.len() < rule.windows.len() {
                tally.fresh.resize(rule.windows.len(), 0);
            }
            for (count, window) in tally.fresh.iter_mut().zip(&rule.windows) {
                *count += u64::from(within(rule, age, *window));
            }
            None
        }
    }
}

impl DateCounter {
    /// Counts one filled, trimmed value.
    /// Counts one value; returns how it was read, for a caller that keeps it per record.
    pub fn count(&mut self, rule: &DateRule, value: &str, keep_examples: bool) -> DateRead {
        self.checked += 1;
        let read = date::read(value);
        let failed = match read {
            DateRead::Fixed(days) => tally(rule, days, &mut self.fixed),
            DateRead::Slash {
                month_first,
                day_first,
                a,
                b,
            } => {
                self.slash_values += 1;
                if a > 12 && b <= 12 {
                    self.day_first_evidence += 1;
                } else if b > 12 && a <= 12 {
                    self.month_first_evidence += 1;
                } else if a != b && a <= 12 && b <= 12 {
                    self.ambiguous += 1;
                }
                let m = tally(rule, month_first, &mut self.slash[0]);
                let d = tally(rule, day_first, &mut self.slash[1]);
                if keep_examples {
                    for (reading, failed) in [m, d].into_iter().enumerate() {
                        if let Some(reason) = failed {
                            self.slash_examples[reading].offer(reason, value);
                        }
                    }
                }
                None
            }
        };
        if let (Some(reason), true) = (failed, keep_examples) {
            self.examples.offer(reason, value);
        }
        read
    }

    pub fn merge(&mut self, other: DateCounter) {
        self.checked += other.checked;
        self.fixed.add(&other.fixed);
        for (a, b) in self.slash.iter_mut().zip(&other.slash) {
            a.add(b);
        }
        self.day_first_evidence += other.day_first_evidence;
        self.month_first_evidence += other.month_first_evidence;
        self.ambiguous += other.ambiguous;
        self.slash_values += other.slash_values;
        self.examples.merge(other.examples);
        let [m, d] = other.slash_examples;
        self.slash_examples[0].merge(m);
        self.slash_examples[1].merge(d);
    }

    /// The order slash dates are read in: the one more values show (month first on a tie or
    /// no evidence); `None` when the column has no slash dates.
    pub fn order(&self) -> Option<DateOrder> {
        if self.slash_values == 0 {
            return None;
        }
        let day_first = self.day_first_evidence > self.month_first_evidence;
        let (evidence, against) = if day_first {
            (self.day_first_evidence, self.month_first_evidence)
        } else {
            (self.month_first_evidence, self.day_first_evidence)
        };
        Some(DateOrder {
            day_first,
            evidence,
            against,
            ambiguous: self.ambiguous,
        })
    }

    /// Examples of invalid values under the decided order.
    pub fn examples(&self) -> Examples {
        let mut examples = self.examples.clone();
        let reading = usize::from(self.order().is_some_and(|o| o.day_first));
        examples.merge(self.slash_examples[reading].clone());
        examples
    }

    /// The column's counts under its decided order.
    pub fn result(&self) -> Tally {
        let mut result = self.fixed.clone();
        let reading = usize::from(self.order().is_some_and(|o| o.day_first));
        result.add(&self.slash[reading]);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(windows: Vec<u32>) -> DateRule {
        DateRule {
            as_of: date::days(2026, 11, 28).unwrap(),
            history: true,
            windows,
        }
    }

    #[test]
    fn the_header_example() {
        let rule = rule(vec![90]);
        let mut c = DateCounter::default();
        for v in ["2026-11-20", "2026-01-15", "2019-05-02", "soon"] {
            c.count(&rule, v, false);
        }
        let t = c.result();
        assert_eq!(t.valid, 3);
        assert_eq!(t.invalid[Invalid::NotADate as usize], 1);
        assert_eq!(t.ages, [1, 0, 0, 1, 0, 1, 0]);
        assert_eq!(t.fresh, vec![1]);
    }

    #[test]
    fn day_first_columns_are_read_day_first() {
        let rule = rule(vec![30]);
        let mut c = DateCounter::default();
        // 25/11 shows day first; 03/11 is ambiguous; 11/03 too.
        for v in ["25/11/2026", "03/11/2026", "11/03/2026"] {
            c.count(&rule, v, false);
        }
        let order = c.order().unwrap();
        assert!(order.day_first);
        assert_eq!((order.evidence, order.against, order.ambiguous), (1, 0, 2));
        let t = c.result();
        assert_eq!(t.valid, 3);
        // Day first: 2026-11-25 and 2026-11-03 are within 30 days, 2026-03-11 is not.
        assert_eq!(t.fresh, vec![2]);
    }

    #[test]
    fn future_history_dates_are_invalid_but_tomorrow_is_today() {
        let rule = rule(vec![7]);
        let mut c = DateCounter::default();
        for v in ["2026-11-29", "2026-11-30", "2027-01-01"] {
            c.count(&rule, v, false);
        }
        let t = c.result();
        assert_eq!(t.valid, 1);
        assert_eq!(t.invalid[Invalid::InTheFuture as usize], 2);
        assert_eq!(t.fresh, vec![1]);
        let close = DateRule {
            history: false,
            ..rule
        };
        let mut c = DateCounter::default();
        c.count(&close, "2027-01-01", false);
        assert_eq!(c.result().ages[FUTURE], 1);
        assert_eq!(c.result().valid, 1);
    }
}
