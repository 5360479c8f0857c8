//! Segments: who owns a gap. Every per-record requirement (fill, valid, fresh) counted again
//! per value of a `--by` field (owner, lead source, `created_month`), in the same pass, with
//! the same mergeable counters keyed by segment.
//!
//! The number of segments is capped (`--max-segments`): the segments kept are those whose
//! values have the smallest 64-bit hashes, the others are summed into "other segments". Like
//! the distinct-value sample of `checks::consistency`, which segments are kept does not
//! depend on how the batches were merged, so the same export gives the same report.

use std::collections::HashMap;

use super::checks::count::Readings;

/// Per segment: its records, and per requirement the records that pass it (under each date
/// reading, settled at the end like record counts).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SegmentCounter {
    pub rows: u64,
    pub passing: Vec<Readings>,
}

impl SegmentCounter {
    fn merge(&mut self, other: &SegmentCounter) {
        self.rows += other.rows;
        if self.passing.len() < other.passing.len() {
            self.passing
                .resize(other.passing.len(), Readings::default());
        }
        for (a, b) in self.passing.iter_mut().zip(&other.passing) {
            a.merge(*b);
        }
    }
}

/// The segments of one `--by` dimension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segments {
    /// Segment value -> (its hash, its counts).
    pub kept: HashMap<String, (u64, SegmentCounter)>,
    /// Segments past the cap, summed.
    pub other: SegmentCounter,
    /// Segments whose hash is at or above this are in `other`.
    pub cut: u64,
    pub cap: usize,
}

impl Segments {
    pub fn new(cap: usize) -> Self {
        Segments {
            kept: HashMap::new(),
            other: SegmentCounter::default(),
            cut: u64::MAX,
            cap: cap.max(1),
        }
    }

    fn hash(segment: &str) -> u64 {
        xxhash_rust::xxh3::xxh3_64(segment.as_bytes())
    }

    /// Adds one record of `segment` that passes the requirements flagged in `passing`.
    pub fn add(&mut self, segment: &str, passing: &[Readings]) {
        self.add_counts(
            segment,
            SegmentCounter {
                rows: 1,
                passing: passing.to_vec(),
            },
        );
    }

    /// Adds the records of `segment` counted elsewhere (a row of the SQL audit's result).
    pub fn add_counts(&mut self, segment: &str, one: SegmentCounter) {
        let hash = Self::hash(segment);
        if hash >= self.cut {
            self.other.merge(&one);
            return;
        }
        match self.kept.get_mut(segment) {
            Some((_, counter)) => counter.merge(&one),
            None => {
                self.kept.insert(segment.to_owned(), (hash, one));
                if self.kept.len() >= 2 * self.cap {
                    self.prune(self.cap);
                }
            }
        }
    }

    /// Keeps the `keep` segments with the smallest hashes; the others go to `other`.
    fn prune(&mut self, keep: usize) {
        if self.kept.len() <= keep {
            return;
        }
        let mut hashes: Vec<u64> = self.kept.values().map(|(h, _)| *h).collect();
        let (_, cut, _) = hashes.select_nth_unstable(keep);
        self.lower_cut(*cut);
    }

    fn lower_cut(&mut self, cut: u64) {
        self.cut = self.cut.min(cut);
        let cut = self.cut;
        let dropped: Vec<String> = self
            .kept
            .iter()
            .filter(|(_, (h, _))| *h >= cut)
            .map(|(k, _)| k.clone())
            .collect();
        for key in dropped {
            if let Some((_, counter)) = self.kept.remove(&key) {
                self.other.merge(&counter);
            }
        }
    }

    pub fn merge(&mut self, other: Segments) {
        self.other.merge(&other.other);
        self.lower_cut(other.cut);
        for (key, (hash, counter)) in other.kept {
            if hash >= self.cut {
                self.other.merge(&counter);
                continue;
            }
            match self.kept.get_mut(&key) {
                Some((_, mine)) => mine.merge(&counter),
                None => {
                    self.kept.insert(key, (hash, counter));
                }
            }
        }
        if self.kept.len() >= 2 * self.cap {
            self.prune(self.cap);
        }
    }

    /// The segments as if one counter had seen every record: at most `cap` kept, sorted by
    /// value.
    pub fn finish(&self) -> (Vec<(String, SegmentCounter)>, SegmentCounter, bool) {
        let mut done = self.clone();
        done.prune(done.cap);
        let mut kept: Vec<(String, SegmentCounter)> =
            done.kept.into_iter().map(|(k, (_, c))| (k, c)).collect();
        kept.sort_by(|a, b| a.0.cmp(&b.0));
        let capped = done.cut != u64::MAX;
        (kept, done.other, capped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass(p: bool) -> Vec<Readings> {
        let mut r = Readings::default();
        r.0[0] = u64::from(p);
        vec![r]
    }

    #[test]
    fn the_same_segments_are_kept_whatever_the_merge_order() {
        let values: Vec<String> = (0..50).map(|i| format!("owner {i}")).collect();
        let mut whole = Segments::new(10);
        for (i, v) in values.iter().enumerate() {
            whole.add(v, &pass(i % 2 == 0));
        }
        let mut parts: Vec<Segments> = (0..3).map(|_| Segments::new(10)).collect();
        for (i, v) in values.iter().enumerate().rev() {
            parts[i % 3].add(v, &pass(i % 2 == 0));
        }
        let mut merged = parts.pop().unwrap();
        for p in parts {
            merged.merge(p);
        }
        let (a, other_a, capped) = whole.finish();
        let (b, other_b, _) = merged.finish();
        assert!(capped);
        assert_eq!(a.len(), 10);
        assert_eq!(a, b);
        assert_eq!(other_a, other_b);
        assert_eq!(other_a.rows, 40);
    }
}

use polars::prelude::DataFrame;

use super::checks::count::{self, InWindow};
use super::checks::date::{self, DateRead};
use super::checks::fill::Cell;
use super::checks::freshness;
use super::checks::validity::ValidCounter;
use super::counters::ColumnCounters;
use super::{ColumnPlan, CombinedPlan};
use crate::config::{Dictionary, Measure, Target};

/// Words in a column's name that say it identifies people, for columns no map knows.
pub const IDENTITY_WORDS: &[&str] = &[
    "email",
    "e-mail",
    "phone",
    "mobile",
    "whatsapp",
    "skype",
    "linkedin",
    "twitter",
    "instagram",
    "facebook",
    "username",
    "user name",
    "handle",
    "ip address",
    "address",
    "street",
    "birth",
    "first name",
    "last name",
    "full name",
    "ssn",
    "social security",
    "passport",
    "national id",
    "tax id",
    "personal website",
];

/// Words that make such a name a field about the record, not of the person: `Email Opt
/// Out`, `Phone Type`, `LinkedIn Company Page`.
pub const PROCESS_WORDS: &[&str] = &[
    "opt",
    "type",
    "bounce",
    "verified",
    "status",
    "consent",
    "unsubscribed",
    "company",
    "count",
    "number of",
    "date",
    "emailed",
    "sent",
    "opened",
    "clicked",
];

/// Fields whose values identify a person: a breakdown by them would print personal data.
pub const IDENTITY_FIELDS: &[&str] = &[
    "email",
    "phone",
    "mobile_phone",
    "first_name",
    "last_name",
    "full_name",
    "record_id",
    "street_address",
    "postal_code",
    "birthdate",
    "email_domain",
];

/// Where a dimension's segment comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Column(usize),
    /// `created_month`: the `YYYY-MM` of the created date.
    CreatedMonth(usize),
}

/// A `--by` dimension found in the file.
#[derive(Debug, Clone)]
pub struct Dimension {
    /// As given: `owner`, `lead_source`, `created_month`, or a column name.
    pub name: String,
    pub source: Source,
}

/// How a requirement's pass is decided record by record.
#[derive(Debug, Clone)]
pub enum Pass {
    /// Filled in any of these columns (or by the record's account, with that bit).
    Fill {
        parts: Vec<usize>,
        account_bit: Option<u8>,
    },
    Valid(usize),
    Fresh(usize, u32),
}

/// A requirement broken down by segment.
#[derive(Debug, Clone)]
pub struct SegmentedRequirement {
    pub use_case: String,
    pub index: usize,
    pub pass: Pass,
}

/// The breakdowns of a file.
#[derive(Debug, Clone, Default)]
pub struct SegmentPlan {
    pub dimensions: Vec<Dimension>,
    /// Salesforce user id (15 characters) -> name, from a `User.csv` beside the export: owner
    /// segments are named, not numbered.
    pub owners: Option<std::sync::Arc<HashMap<String, String>>>,
    /// `--by` names the file has no column for.
    pub missing: Vec<String>,
    pub requirements: Vec<SegmentedRequirement>,
    pub cap: usize,
}

/// Plans the breakdowns: each `--by` found in the file, and each per-record requirement.
pub fn plan(
    by: &[String],
    cap: usize,
    columns: &[ColumnPlan],
    combined: &[CombinedPlan],
    dictionary: &Dictionary,
) -> SegmentPlan {
    if by.is_empty() {
        return SegmentPlan::default();
    }
    let first = |field: &str| {
        columns
            .iter()
            .position(|c| c.canonical.as_deref() == Some(field))
    };
    let by_name = |name: &str| {
        first(name).or_else(|| {
            columns
                .iter()
                .position(|c| c.name.trim().eq_ignore_ascii_case(name.trim()))
        })
    };
    let mut dimensions = Vec::new();
    let mut missing = Vec::new();
    for name in by {
        let source = if name == "created_month" {
            first("created_at").map(Source::CreatedMonth)
        } else {
            // Never a column that identifies people, whatever name reached it.
            by_name(name)
                .filter(|c| {
                    columns[*c]
                        .canonical
                        .as_deref()
                        .is_none_or(|f| !IDENTITY_FIELDS.contains(&f))
                })
                .map(Source::Column)
        };
        match source {
            Some(source) => dimensions.push(Dimension {
                name: name.clone(),
                source,
            }),
            None => missing.push(name.clone()),
        }
    }
    let column_of = |target: &Target| match target {
        Target::Field(f) => first(f),
        Target::Column(c) => by_name(c),
        _ => None,
    };
    let mut requirements = Vec::new();
    for uc in &dictionary.use_cases {
        for (index, req) in uc.requires.iter().enumerate() {
            if !req.filter.is_empty() {
                continue;
            }
            let pass = match &req.measure {
                Measure::Fill { .. } => {
                    let combined = combined.iter().find(|c| c.field == req.target.name());
                    match (combined, column_of(&req.target)) {
                        (Some(c), _) => Pass::Fill {
                            parts: c.parts.clone(),
                            account_bit: c.account_bit,
                        },
                        (None, Some(c)) => Pass::Fill {
                            parts: vec![c],
                            account_bit: None,
                        },
                        (None, None) => continue,
                    }
                }
                Measure::Valid { .. } => match column_of(&req.target) {
                    Some(c)
                        if columns[c].checks.validity.is_active()
                            || columns[c].checks.date.is_some() =>
                    {
                        Pass::Valid(c)
                    }
                    _ => continue,
                },
                Measure::Fresh { within_days, .. } => match column_of(&req.target) {
                    Some(c) if columns[c].checks.date.is_some() => Pass::Fresh(c, *within_days),
                    _ => continue,
                },
                _ => continue,
            };
            requirements.push(SegmentedRequirement {
                use_case: uc.id.clone(),
                index,
                pass,
            });
        }
    }
    SegmentPlan {
        dimensions,
        owners: None,
        missing,
        requirements,
        cap,
    }
}

fn is_pad(c: char) -> bool {
    c.is_whitespace() || c == '\0'
}

/// The `YYYY-MM` of a date, slash dates read month first or day first.
fn month_of(value: &str, day_first: bool) -> Option<String> {
    let days = match date::read(value) {
        DateRead::Fixed(days) => days.ok()?,
        DateRead::Slash {
            month_first,
            day_first: dmy,
            ..
        } => {
            if day_first {
                dmy.ok()?
            } else {
                month_first.ok()?
            }
        }
    };
    Some(date::iso(days)[..7].to_owned())
}

/// A batch's column `i`, cell by cell.
fn column_values(batch: &DataFrame, i: usize) -> Vec<Option<&str>> {
    batch.columns()[i]
        .str()
        .expect("input batches hold string columns")
        .iter()
        .collect()
}

/// A cell that is filled (by its column's missing rule), trimmed; none otherwise.
fn filled_value<'a>(columns: &[ColumnPlan], i: usize, v: Option<&'a str>) -> Option<&'a str> {
    v.filter(|v| columns[i].missing.classify(v) == Cell::Filled)
        .map(|v| v.trim_matches(is_pad))
}

/// Adds one batch to the segment counters.
pub fn measure(
    plan: &SegmentPlan,
    columns: &[ColumnPlan],
    batch: &DataFrame,
    account_bits: Option<&[u8]>,
    known: Option<&[ColumnCounters]>,
    counters: &mut Vec<Segments>,
) {
    if plan.dimensions.is_empty() {
        return;
    }
    // Two counters per dimension: `created_month` keys each record under both readings of
    // a slash date, and the column's order picks one at the end; others use the first only.
    if counters.len() < 2 * plan.dimensions.len() {
        *counters = (0..2 * plan.dimensions.len())
            .map(|_| Segments::new(plan.cap))
            .collect();
    }
    let passes = record_passes(&plan.requirements, columns, batch, account_bits, known);
    let keys = |dimension: &Dimension, day_first: bool| {
        dimension_keys(dimension, day_first, columns, plan.owners.as_deref(), batch)
    };
    let mut row_passes = vec![Readings::default(); plan.requirements.len()];
    for (d, dimension) in plan.dimensions.iter().enumerate() {
        let readings: &[bool] = match dimension.source {
            Source::Column(_) => &[false],
            Source::CreatedMonth(_) => &[false, true],
        };
        for &day_first in readings {
            let keys: Vec<String> = keys(dimension, day_first);
            let counter = &mut counters[2 * d + usize::from(day_first)];
            for (r, key) in keys.iter().enumerate() {
                for (slot, p) in row_passes.iter_mut().zip(&passes) {
                    *slot = Readings::default();
                    slot.add(p[r]);
                }
                counter.add(key, &row_passes);
            }
        }
    }
}

/// Per requirement, per record of the batch: whether it passes, under each date reading.
/// `known`: the column pass's counters for this batch, whose per-record validity (kept for
/// the columns `plan` marks) is taken rather than checked again.
pub fn record_passes(
    requirements: &[SegmentedRequirement],
    columns: &[ColumnPlan],
    batch: &DataFrame,
    account_bits: Option<&[u8]>,
    known: Option<&[ColumnCounters]>,
) -> Vec<Vec<InWindow>> {
    let rows = batch.height();
    let values = |i: usize| column_values(batch, i);
    let filled = |i: usize, v| filled_value(columns, i, v);
    // Per requirement, per record: passes under each date reading.
    let mut passes: Vec<Vec<InWindow>> = Vec::with_capacity(requirements.len());
    let none = InWindow {
        fixed: false,
        month_first: false,
        day_first: false,
    };
    let yes = InWindow {
        fixed: true,
        month_first: false,
        day_first: false,
    };
    // The column pass's date readings, when it kept them for this batch.
    let kept_dates = |c: usize| {
        known
            .and_then(|k| k.get(c))
            .map(|k| &k.checks.row_dates)
            .filter(|r| r.len() == rows)
    };
    // Several use cases ask the same of a column (job_title filled): each column's filled
    // records, and each distinct requirement, are worked out once per batch.
    let mut filled_bits: HashMap<usize, Vec<bool>> = HashMap::new();
    let mut done: Vec<(String, usize)> = Vec::new();
    for req in requirements {
        let key = format!("{:?}", req.pass);
        if let Some((_, k)) = done.iter().find(|(d, _)| *d == key) {
            let same = passes[*k].clone();
            passes.push(same);
            continue;
        }
        done.push((key, passes.len()));
        let result: Vec<InWindow> = match &req.pass {
            Pass::Fill { parts, account_bit } => {
                let mut any = vec![false; rows];
                for &c in parts {
                    let bits = filled_bits.entry(c).or_insert_with(|| {
                        values(c)
                            .into_iter()
                            .map(|v| filled(c, v).is_some())
                            .collect()
                    });
                    for (slot, bit) in any.iter_mut().zip(bits.iter()) {
                        *slot |= *bit;
                    }
                }
                if let (Some(bit), Some(bits)) = (account_bit, account_bits) {
                    for (slot, b) in any.iter_mut().zip(bits) {
                        *slot |= b & bit != 0;
                    }
                }
                any.into_iter()
                    .map(|p| if p { yes } else { none })
                    .collect()
            }
            Pass::Valid(c) if columns[*c].checks.date.is_none() => {
                let kept = known
                    .and_then(|k| k.get(*c))
                    .map(|k| &k.checks.row_valid)
                    .filter(|r| r.len() == rows);
                if let Some(kept) = kept {
                    kept.iter().map(|v| if *v { yes } else { none }).collect()
                } else {
                    // Picklists are measured value by value, not record by record: each
                    // distinct value of the batch is checked once.
                    let checks = &columns[*c].checks;
                    let mut memo: HashMap<&str, bool> = HashMap::new();
                    values(*c)
                        .into_iter()
                        .map(|v| match filled(*c, v) {
                            None => none,
                            Some(v) => {
                                let valid = *memo.entry(v).or_insert_with(|| {
                                    let mut counter = ValidCounter::default();
                                    checks.validity.check(v, &mut counter, false);
                                    counter.valid > 0
                                });
                                if valid { yes } else { none }
                            }
                        })
                        .collect()
                }
            }
            Pass::Valid(c) => {
                let checks = &columns[*c].checks;
                let valid_date = |read: DateRead| {
                    let Some(rule) = &checks.date else {
                        return none;
                    };
                    let ok = |days| freshness::age(rule, days).is_ok();
                    match read {
                        DateRead::Fixed(days) => InWindow {
                            fixed: ok(days),
                            ..none
                        },
                        DateRead::Slash {
                            month_first,
                            day_first,
                            ..
                        } => InWindow {
                            fixed: false,
                            month_first: ok(month_first),
                            day_first: ok(day_first),
                        },
                    }
                };
                if let Some(kept) = kept_dates(*c) {
                    kept.iter().map(|r| r.map_or(none, valid_date)).collect()
                } else {
                    values(*c)
                        .into_iter()
                        .map(|v| filled(*c, v).map_or(none, |v| valid_date(date::read(v))))
                        .collect()
                }
            }
            Pass::Fresh(c, window) => {
                let rule = columns[*c]
                    .checks
                    .date
                    .as_ref()
                    .expect("planned on a date column");
                if let Some(kept) = kept_dates(*c) {
                    kept.iter()
                        .map(|r| r.map_or(none, |r| count::read_in_window(rule, r, *window)))
                        .collect()
                } else {
                    values(*c)
                        .into_iter()
                        .map(|v| match filled(*c, v) {
                            None => none,
                            Some(v) => count::in_window(rule, v, *window),
                        })
                        .collect()
                }
            }
        };
        passes.push(result);
    }
    passes
}

/// Each record's segment in a dimension (slash dates read day first or not).
pub fn dimension_keys(
    dimension: &Dimension,
    day_first: bool,
    columns: &[ColumnPlan],
    owners: Option<&HashMap<String, String>>,
    batch: &DataFrame,
) -> Vec<String> {
    let values = |i: usize| column_values(batch, i);
    let filled = |i: usize, v| filled_value(columns, i, v).map(str::to_owned);
    match dimension.source {
        Source::Column(c) => {
            // Owner ids named by `User.csv`; an id it does not know is shown as it is.
            let names = owners.filter(|_| columns[c].canonical.as_deref() == Some("owner"));
            values(c)
                .into_iter()
                .map(|v| match filled(c, v) {
                    None => "(blank)".to_owned(),
                    Some(v) => names
                        .and_then(|n| n.get(super::id15(&v)))
                        .cloned()
                        .unwrap_or(v),
                })
                .collect()
        }
        Source::CreatedMonth(c) => values(c)
            .into_iter()
            .map(|v| {
                filled(c, v)
                    .and_then(|v| month_of(&v, day_first))
                    .unwrap_or_else(|| "(no date)".to_owned())
            })
            .collect(),
    }
}

/// A requirement's counts per segment of one dimension, settled.
#[derive(Debug, Clone, PartialEq)]
pub struct Breakdown {
    pub by: String,
    /// (segment, records, passing), by segment.
    pub segments: Vec<(String, u64, u64)>,
    /// (records, passing) of the segments merged past the cap.
    pub merged: (u64, u64),
    pub capped: bool,
}

/// Per requirement (use case, index), its breakdowns.
pub type Results = std::collections::BTreeMap<(String, usize), Vec<Breakdown>>;

/// The breakdowns once every batch is counted; slash dates settled by their column's order.
pub fn results(
    plan: &SegmentPlan,
    counters: &[Segments],
    day_first: impl Fn(usize) -> bool,
) -> Results {
    let mut results = Results::new();
    // Per dimension, the counter of the reading its dates are read in.
    let finished: Vec<_> = plan
        .dimensions
        .iter()
        .enumerate()
        .filter_map(|(d, dimension)| {
            let reading = match dimension.source {
                Source::CreatedMonth(c) => usize::from(day_first(c)),
                Source::Column(_) => 0,
            };
            counters.get(2 * d + reading).map(Segments::finish)
        })
        .collect();
    for (k, req) in plan.requirements.iter().enumerate() {
        let order = match req.pass {
            Pass::Valid(c) | Pass::Fresh(c, _) => day_first(c),
            Pass::Fill { .. } => false,
        };
        let passing = |c: &SegmentCounter| c.passing.get(k).map_or(0, |r| r.settle(order));
        let measured: Vec<usize> = match &req.pass {
            Pass::Fill { parts, .. } => parts.clone(),
            Pass::Valid(c) | Pass::Fresh(c, _) => vec![*c],
        };
        let breakdowns = plan
            .dimensions
            .iter()
            .zip(&finished)
            // A field broken down by itself says only that its blanks are blank.
            .filter(|(dimension, _)| match dimension.source {
                Source::Column(c) | Source::CreatedMonth(c) => !measured.contains(&c),
            })
            .map(|(dimension, (kept, other, capped))| Breakdown {
                by: dimension.name.clone(),
                segments: kept
                    .iter()
                    .map(|(segment, c)| (segment.clone(), c.rows, passing(c)))
                    .collect(),
                merged: (other.rows, passing(other)),
                capped: *capped,
            })
            .collect();
        results.insert((req.use_case.clone(), req.index), breakdowns);
    }
    results
}
