//! The single pass: every check of every column, and the checks that read a whole record
//! (identity keys, consent, record counts), added batch by batch into mergeable counters.

use polars::prelude::{DataFrame, StringChunked};

use super::ColumnPlan;
use super::checks::consistency::{self, ConsistencyCounter};
use super::checks::count::{self, CountCounter, Test};
use super::checks::date::DateRead;
use super::checks::duplicates::{IdentityKey, KeyCounter, key_hash};
use super::checks::fill::Cell;
use super::checks::freshness::{DateCounter, DateRule};
use super::checks::reach::{Consent, ReachCounter};
use super::checks::validity::{Form, ValidCounter, ValidityRule, normalize_choice};
use super::checks::{country, email, phone, url};
use crate::config::{
    Dictionary, FieldMap, FieldType, FilterTest, Measure, ObjectKind, Target, field_types,
    normalize_label,
};

/// How a column's distinct values are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Distinct {
    /// Case, whitespace and punctuation ignored.
    Text,
    /// By ISO code when the value names a country.
    Country,
    /// By code when the value names a US state or Canadian province.
    Region,
    /// As written, but for surrounding spaces (numbers: `1,200` and `1200` are told apart
    /// by validity, not here).
    Exact,
}

/// What is checked in one column beyond fill.
#[derive(Debug, Clone, Default)]
pub struct ColumnChecks {
    pub field_type: Option<FieldType>,
    pub validity: ValidityRule,
    pub date: Option<DateRule>,
    pub distinct: Option<Distinct>,
    pub mojibake: bool,
    /// Validity depends on the value alone and the column has few distinct values: cache it.
    pub cache_validity: bool,
    /// Keep each record's validity and date reading for the batch (the email key and the
    /// `--by` breakdowns read them).
    pub keep_rows: bool,
}

/// Everything measured in one column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckCounters {
    pub valid: ValidCounter,
    pub dates: DateCounter,
    pub consistency: ConsistencyCounter,
    pub mojibake: u64,
    /// Raw value hash -> normalised value hash: each distinct value is normalised once.
    pub normalized_cache: consistency::HashedMap<u64>,
    /// Trimmed value hash -> validity, for columns of few distinct values.
    pub valid_cache: consistency::HashedMap<Result<(), super::checks::validity::Invalid>>,
    /// With `keep_rows`: the current batch's records, valid or not (not merged).
    pub row_valid: Vec<bool>,
    /// With `keep_rows` on a date column: each record's date as read (none when not filled).
    pub row_dates: Vec<Option<DateRead>>,
    /// The date read by the last `one_value`.
    last_date: Option<DateRead>,
}

impl CheckCounters {
    pub fn merge(&mut self, other: CheckCounters) {
        self.valid.merge(other.valid);
        self.dates.merge(other.dates);
        self.consistency.merge(other.consistency);
        self.mojibake += other.mojibake;
    }
}

/// The columns an identity key is built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyParts {
    Email(usize),
    Phone(usize),
    Domain {
        website: Option<usize>,
        email: Option<usize>,
    },
    NameCompany {
        first: Option<usize>,
        last: Option<usize>,
        full: Option<usize>,
        company: usize,
    },
}

impl KeyParts {
    /// The columns, for the report.
    pub fn columns(&self) -> Vec<usize> {
        match self {
            KeyParts::Email(c) | KeyParts::Phone(c) => vec![*c],
            KeyParts::Domain { website, email } => website.iter().chain(email).copied().collect(),
            KeyParts::NameCompany {
                first,
                last,
                full,
                company,
            } => first
                .iter()
                .chain(last)
                .chain(full)
                .chain(std::iter::once(company))
                .copied()
                .collect(),
        }
    }
}

/// A record count a requirement asks for: which records pass, in which window.
#[derive(Debug, Clone)]
pub struct CountPlan {
    /// The use case and the requirement's place in it.
    pub use_case: String,
    pub index: usize,
    /// Conditions that must all pass: a column and its test.
    pub filter: Vec<(usize, Test)>,
    pub window: Option<(usize, DateRule, u32)>,
    /// A fill requirement with a `where`: the columns that fill the field.
    pub fill: Option<Vec<usize>>,
}

/// Table-wide checks.
#[derive(Debug, Clone, Default)]
pub struct RecordChecks {
    pub keys: Vec<(IdentityKey, KeyParts)>,
    pub consent: Vec<(usize, Consent)>,
    pub counts: Vec<CountPlan>,
    /// Keep examples of invalid values (`--show-values`).
    pub show_values: bool,
}

/// Table-wide counters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordCounters {
    pub keys: Vec<KeyCounter>,
    pub reach: ReachCounter,
    pub counts: Vec<CountCounter>,
}

impl RecordCounters {
    pub fn merge(&mut self, other: RecordCounters) {
        if self.keys.len() < other.keys.len() {
            self.keys.resize(other.keys.len(), KeyCounter::default());
        }
        for (a, b) in self.keys.iter_mut().zip(other.keys) {
            a.merge(b);
        }
        self.reach.merge(other.reach);
        if self.counts.len() < other.counts.len() {
            self.counts
                .resize(other.counts.len(), CountCounter::default());
        }
        for (a, b) in self.counts.iter_mut().zip(other.counts) {
            a.merge(b);
        }
    }
}

/// The checks of one column: its type (the dictionary's column rule, else its field rule,
/// else the shipped type), allowed values and pattern.
pub fn column_checks(
    name: &str,
    canonical: Option<&str>,
    map: Option<&FieldMap>,
    dictionary: &Dictionary,
    as_of: i32,
    windows: Vec<u32>,
) -> ColumnChecks {
    let types = field_types();
    let column_rule = dictionary.column_rules.get(&normalize_label(name));
    let field_rule = canonical.and_then(|c| dictionary.field_rules.get(c));
    let field_type = column_rule
        .and_then(|r| r.field_type)
        .or(field_rule.and_then(|r| r.field_type))
        .or(canonical.map(|c| types.type_of(c)))
        .unwrap_or(FieldType::Text);
    let allowed = column_rule
        .and_then(|r| r.allowed.clone())
        .or_else(|| field_rule.and_then(|r| r.allowed.clone()))
        .or_else(|| {
            let (map, canonical) = (map?, canonical?);
            (field_type == FieldType::Picklist)
                .then(|| {
                    types
                        .allowed
                        .get(&(map.vendor.clone(), canonical.to_owned()))
                        .cloned()
                })
                .flatten()
        });
    let pattern = column_rule
        .and_then(|r| r.pattern.as_deref())
        .or(field_rule.and_then(|r| r.pattern.as_deref()))
        .and_then(|p| regex::Regex::new(p).ok());
    let is =
        |list: &std::collections::BTreeSet<String>| canonical.is_some_and(|c| list.contains(c));
    let form = match field_type {
        FieldType::Email => Some(Form::Email),
        FieldType::Phone => Some(Form::Phone),
        FieldType::Url => Some(Form::Url),
        FieldType::Country => Some(Form::Country),
        FieldType::Number => Some(Form::Number {
            non_negative: is(&types.non_negative),
        }),
        FieldType::Boolean => Some(Form::Boolean),
        _ => None,
    };
    let known = canonical.is_some() || column_rule.is_some();
    let distinct = match field_type {
        FieldType::Country => Some(Distinct::Country),
        FieldType::Number => Some(Distinct::Exact),
        FieldType::Picklist | FieldType::Boolean => Some(Distinct::Text),
        FieldType::Text if canonical == Some("state") => Some(Distinct::Region),
        FieldType::Text if is(&types.categorical_text) => Some(Distinct::Text),
        _ => None,
    }
    .filter(|_| known);
    if !dictionary.uses_checks() {
        return ColumnChecks {
            field_type: known.then_some(field_type),
            ..ColumnChecks::default()
        };
    }
    ColumnChecks {
        field_type: known.then_some(field_type),
        validity: ValidityRule {
            form,
            allowed: allowed.map(|a| a.iter().map(|v| normalize_choice(v)).collect()),
            pattern,
        },
        date: (field_type == FieldType::Date).then(|| DateRule {
            as_of,
            history: is(&types.history),
            windows,
        }),
        cache_validity: matches!(
            field_type,
            FieldType::Picklist | FieldType::Country | FieldType::Boolean
        ),
        distinct,
        mojibake: known,
        keep_rows: false,
    }
}

/// The table-wide checks the export's columns allow.
pub fn record_checks(
    columns: &[ColumnPlan],
    map: Option<&FieldMap>,
    dictionary: &Dictionary,
    as_of: i32,
    show_values: bool,
) -> RecordChecks {
    let first = |field: &str| {
        columns
            .iter()
            .position(|c| c.canonical.as_deref() == Some(field))
    };
    let mut keys = Vec::new();
    let checks = dictionary.uses_checks();
    if let Some(c) = first("email").filter(|_| checks) {
        keys.push((IdentityKey::Email, KeyParts::Email(c)));
    }
    if checks && map.is_some_and(|m| m.kind == ObjectKind::Account) {
        let (website, email) = (first("website").or(first("domain")), first("email"));
        if website.is_some() || email.is_some() {
            keys.push((IdentityKey::Domain, KeyParts::Domain { website, email }));
        }
    }
    if let Some(company) = first("company_name").filter(|_| checks) {
        let (first_name, last, full) =
            (first("first_name"), first("last_name"), first("full_name"));
        if first_name.is_some() || last.is_some() || full.is_some() {
            keys.push((
                IdentityKey::NameCompany,
                KeyParts::NameCompany {
                    first: first_name,
                    last,
                    full,
                    company,
                },
            ));
        }
    }
    if let Some(c) = first("phone").filter(|_| checks) {
        keys.push((IdentityKey::Phone, KeyParts::Phone(c)));
    }
    let consent = columns
        .iter()
        .filter(|_| checks)
        .enumerate()
        .filter_map(|(i, c)| Some((i, Consent::of(c.canonical.as_deref()?)?)))
        .collect();
    let column_of = |target: &Target| match target {
        Target::Field(f) => first(f),
        Target::Column(name) => columns
            .iter()
            .position(|c| c.name.trim().eq_ignore_ascii_case(name)),
        _ => None,
    };
    let mut counts = Vec::new();
    let kind = map.map(|m| m.kind);
    let vendor = map.map(|m| m.vendor.as_str());
    for uc in dictionary
        .use_cases
        .iter()
        // A use case this export cannot serve counts nothing.
        .filter(|uc| uc.applies_to(kind) && uc.serves_vendor(vendor))
    {
        for (index, req) in uc.requires.iter().enumerate() {
            let window = match &req.measure {
                Measure::Count { window, .. } => window.as_ref(),
                Measure::Fill { .. } if !req.filter.is_empty() => None,
                _ => continue,
            };
            let Some(filter) = req
                .filter
                .iter()
                .map(|f| Some((column_of(&f.target)?, test_of(&f.test))))
                .collect::<Option<Vec<_>>>()
            else {
                continue;
            };
            let window = match window {
                Some(w) => match column_of(&w.date_field) {
                    Some(c) => Some((
                        c,
                        DateRule {
                            as_of,
                            history: field_types().history.contains(w.date_field.name()),
                            windows: Vec::new(),
                        },
                        w.within_days,
                    )),
                    None => continue,
                },
                None => None,
            };
            let fill = match (&req.measure, &req.target) {
                (Measure::Fill { .. }, Target::AnyOf { fields, .. }) => {
                    let parts: Vec<usize> = fields.iter().filter_map(|f| first(f)).collect();
                    if parts.is_empty() {
                        continue;
                    }
                    Some(parts)
                }
                (Measure::Fill { .. }, target) => match column_of(target) {
                    Some(c) => Some(vec![c]),
                    None => continue,
                },
                _ => None,
            };
            counts.push(CountPlan {
                use_case: uc.id.clone(),
                index,
                filter,
                window,
                fill,
            });
        }
    }
    RecordChecks {
        keys,
        consent,
        counts,
        show_values,
    }
}

fn test_of(test: &FilterTest) -> Test {
    match test {
        FilterTest::In(v) => Test::In(v.iter().map(|x| consistency::normalize(x)).collect()),
        FilterTest::NotIn(v) => Test::NotIn(v.iter().map(|x| consistency::normalize(x)).collect()),
        FilterTest::Is(b) => Test::Is(*b),
    }
}

fn is_pad(c: char) -> bool {
    c.is_whitespace() || c == '\0'
}

/// Adds one batch of a column to its fill and check counters, in one loop over the values.
pub fn measure_column(
    plan: &ColumnPlan,
    values: &StringChunked,
    fill: &mut super::counters::FillCounter,
    counters: &mut CheckCounters,
    show_values: bool,
) {
    let checks = &plan.checks;
    let validity = checks.validity.is_active();
    if !validity && checks.date.is_none() && checks.distinct.is_none() && !checks.mojibake {
        plan.missing.count(values, fill);
        return;
    }
    let (mut blank, mut placeholder) = (0u64, 0u64);
    // Columns of few distinct values (picklists, countries, booleans, short text): each
    // distinct value of the batch is counted, then checked once with its count, as a
    // `value_counts` would. A batch with too many distinct values falls back to one by one.
    let mut rest = values.len();
    // Records kept one by one (for the breakdowns) are measured one by one.
    if checks.distinct.is_some() && checks.date.is_none() && !checks.keep_rows {
        let limit = values.len() / 8 + 64;
        // Keyed by the value's xxh3 hash (one pass over its bytes); a value that shares a
        // hash with another (never seen in practice) is checked on its own.
        let mut local: consistency::HashedMap<(&str, u64)> =
            consistency::HashedMap::with_capacity_and_hasher(64, Default::default());
        let mut seen = 0usize;
        for value in values.iter() {
            if local.len() > limit {
                break;
            }
            seen += 1;
            match value {
                None => blank += 1,
                Some(v) => {
                    let entry = local
                        .entry(xxhash_rust::xxh3::xxh3_64(v.as_bytes()))
                        .or_insert((v, 0));
                    if entry.0 == v {
                        entry.1 += 1;
                    } else {
                        match one_value(plan, v, counters, show_values, 1) {
                            Cell::Blank => blank += 1,
                            Cell::Placeholder => placeholder += 1,
                            Cell::Filled => {}
                        }
                    }
                }
            }
        }
        let mut local: Vec<(&str, u64)> = local.into_values().collect();
        // Examples and names are chosen by value, not by order: sorting keeps them stable.
        local.sort_unstable();
        for (value, n) in local {
            match one_value(plan, value, counters, show_values, n) {
                Cell::Blank => blank += n,
                Cell::Placeholder => placeholder += n,
                Cell::Filled => {}
            }
        }
        rest = values.len() - seen;
        if rest == 0 {
            fill.rows += values.len() as u64;
            fill.blank += blank;
            fill.placeholder += placeholder;
            return;
        }
    }
    let skip = values.len() - rest;
    let keep_rows = checks.keep_rows && skip == 0;
    counters.row_valid.clear();
    counters.row_dates.clear();
    let keep_dates = keep_rows && checks.date.is_some();
    for value in values.iter().skip(skip) {
        let Some(value) = value else {
            blank += 1;
            if keep_rows {
                counters.row_valid.push(false);
            }
            if keep_dates {
                counters.row_dates.push(None);
            }
            continue;
        };
        let before = counters.valid.valid;
        counters.last_date = None;
        match one_value(plan, value, counters, show_values, 1) {
            Cell::Blank => blank += 1,
            Cell::Placeholder => placeholder += 1,
            Cell::Filled => {}
        }
        if keep_rows {
            let valid = counters.valid.valid > before;
            counters.row_valid.push(valid);
        }
        if keep_dates {
            counters.row_dates.push(counters.last_date);
        }
    }
    fill.rows += values.len() as u64;
    fill.blank += blank;
    fill.placeholder += placeholder;
}

/// Checks one value standing for `n` records; returns what it is.
fn one_value(
    plan: &ColumnPlan,
    value: &str,
    counters: &mut CheckCounters,
    show_values: bool,
    n: u64,
) -> Cell {
    let checks = &plan.checks;
    let validity = checks.validity.is_active();
    let cell = plan.missing.classify(value);
    if cell != Cell::Filled {
        return cell;
    }
    let trimmed = value.trim_matches(is_pad);
    if validity && n > 1 {
        let mut one = ValidCounter::default();
        checks.validity.check(trimmed, &mut one, show_values);
        counters.valid.merge_times(one, n);
    } else if validity && checks.cache_validity && !show_values {
        // Few distinct values (picklists, countries, booleans): each is checked
        // once per worker, then counted from the cache.
        let raw = xxhash_rust::xxh3::xxh3_64(trimmed.as_bytes());
        match counters.valid_cache.get(&raw) {
            Some(Ok(())) => {
                counters.valid.checked += 1;
                counters.valid.valid += 1;
            }
            Some(Err(reason)) => {
                counters.valid.checked += 1;
                counters.valid.invalid[*reason as usize] += 1;
            }
            None => {
                let before = counters.valid.valid;
                let invalid = counters.valid.invalid;
                checks.validity.check(trimmed, &mut counters.valid, false);
                let outcome = if counters.valid.valid > before {
                    Ok(())
                } else {
                    Err(super::checks::validity::Invalid::ALL
                        .into_iter()
                        .find(|r| counters.valid.invalid[*r as usize] > invalid[*r as usize])
                        .unwrap_or(super::checks::validity::Invalid::NotAllowed))
                };
                if counters.valid_cache.len() < consistency::MAX_DISTINCT {
                    counters.valid_cache.insert(raw, outcome);
                }
            }
        }
    } else if validity {
        checks
            .validity
            .check(trimmed, &mut counters.valid, show_values);
    }
    if let Some(rule) = &checks.date {
        counters.last_date = Some(counters.dates.count(rule, trimmed, show_values));
    }
    if let Some(kind) = checks.distinct {
        let raw = xxhash_rust::xxh3::xxh3_64(value.as_bytes());
        let key_hash = if kind == Distinct::Exact {
            Some(xxhash_rust::xxh3::xxh3_64(trimmed.as_bytes()))
        } else {
            counters.normalized_cache.get(&raw).copied()
        };
        let key_hash = key_hash.unwrap_or_else(|| {
            let key = match kind {
                Distinct::Country => country::check(trimmed)
                    .map(str::to_owned)
                    .unwrap_or_else(|_| consistency::normalize(trimmed)),
                Distinct::Region => consistency::normalize_region(trimmed),
                Distinct::Exact => trimmed.to_owned(),
                Distinct::Text => consistency::normalize(trimmed),
            };
            let hash = xxhash_rust::xxh3::xxh3_64(key.as_bytes());
            // Bounded: a column of mostly unique values stops caching.
            if counters.normalized_cache.len() < 2 * consistency::MAX_DISTINCT {
                counters.normalized_cache.insert(raw, hash);
            }
            hash
        });
        counters
            .consistency
            .count_hashed_times(raw, key_hash, value, show_values, n);
    }
    if checks.mojibake && consistency::is_mojibake(value) {
        counters.mojibake += n;
    }
    Cell::Filled
}

/// The `name_company` key of a record: the name's and the company's words folded as
/// consistency folds values (`consistency::normalize_into`), written into `buffer` (reused
/// from record to record) and hashed. `None` when either part folds to nothing.
fn folded_key(buffer: &mut String, names: &[&str], company: &str) -> Option<u64> {
    buffer.clear();
    let mut name = false;
    for part in names {
        name |= consistency::normalize_into(buffer, part);
    }
    buffer.push('\u{1f}');
    let company = consistency::normalize_into(buffer, company);
    (name && company).then(|| key_hash(buffer))
}

/// A filled value of a column, trimmed; `None` when blank or a placeholder.
fn filled<'a>(plan: &ColumnPlan, value: Option<&'a str>) -> Option<&'a str> {
    let value = value?;
    (plan.missing.classify(value) == Cell::Filled).then(|| value.trim_matches(is_pad))
}

/// Adds one batch to the table-wide counters.
pub fn measure_records(
    columns: &[ColumnPlan],
    checks: &RecordChecks,
    batch: &DataFrame,
    counters: &mut RecordCounters,
    column_counters: &[super::counters::ColumnCounters],
) {
    let rows = batch.height();
    let frame = batch.columns();
    let text = |i: usize| -> Vec<Option<&str>> {
        frame[i]
            .str()
            .expect("input batches hold string columns")
            .iter()
            .map(|v| filled(&columns[i], v))
            .collect()
    };
    if counters.keys.len() < checks.keys.len() {
        counters.keys = vec![KeyCounter::default(); checks.keys.len()];
    }
    if counters.counts.len() < checks.counts.len() {
        counters.counts = vec![CountCounter::default(); checks.counts.len()];
    }
    // Records that may not be emailed, and why.
    let mut blocked = vec![false; rows];
    for (column, consent) in &checks.consent {
        for (slot, value) in blocked.iter_mut().zip(text(*column)) {
            if value.is_some_and(|v| consent.blocks(v)) {
                *slot = true;
                counters.reach.add(*consent);
            }
        }
    }
    for ((key, parts), counter) in checks.keys.iter().zip(&mut counters.keys) {
        let hashes: Vec<u64> = match parts {
            KeyParts::Email(c) => {
                // The column pass already checked each address, record by record.
                let known = &column_counters[*c].checks.row_valid;
                let valid = |r: usize, v: &str| match known.get(r) {
                    Some(valid) if known.len() == rows => *valid,
                    _ => email::check(v).is_ok(),
                };
                text(*c)
                    .into_iter()
                    .zip(&blocked)
                    .enumerate()
                    .filter_map(|(r, (v, blocked))| {
                        let v = v.filter(|v| valid(r, v))?;
                        let hash = if v.chars().any(char::is_uppercase) {
                            key_hash(&v.to_lowercase())
                        } else {
                            key_hash(v)
                        };
                        Some(hash | u64::from(*blocked))
                    })
                    .collect()
            }
            KeyParts::Phone(c) => text(*c)
                .into_iter()
                .filter_map(|v| Some(key_hash(phone::key(&phone::check(v?).ok()?))))
                .collect(),
            KeyParts::Domain { website, email } => {
                let websites = website.map(text).unwrap_or_else(|| vec![None; rows]);
                let emails = email.map(text).unwrap_or_else(|| vec![None; rows]);
                websites
                    .into_iter()
                    .zip(emails)
                    .filter_map(|(w, e)| {
                        // A LinkedIn or Facebook page names no company's domain.
                        let domain = w
                            .and_then(|w| url::check(w).ok())
                            .filter(|host| !url::is_platform(host))
                            .or_else(|| {
                                let e = e.filter(|e| {
                                    email::check(e).is_ok_and(|i| !i.personal_domain)
                                })?;
                                email::domain_of(e)
                            })?;
                        Some(key_hash(&domain))
                    })
                    .collect()
            }
            KeyParts::NameCompany {
                first,
                last,
                full,
                company,
            } => {
                let col = |c: &Option<usize>| c.map(text).unwrap_or_else(|| vec![None; rows]);
                let (first, last, full, company) =
                    (col(first), col(last), col(full), text(*company));
                let mut buffer = String::with_capacity(64);
                (0..rows)
                    .filter_map(|r| {
                        let names: [&str; 2] = match (first[r], last[r]) {
                            (None, None) => [full[r]?, ""],
                            (f, l) => [f.unwrap_or(""), l.unwrap_or("")],
                        };
                        folded_key(&mut buffer, &names, company[r]?)
                    })
                    .collect()
            }
        };
        let _ = key;
        counter.push(hashes);
    }
    for (plan, counter) in checks.counts.iter().zip(&mut counters.counts) {
        if plan.filter.is_empty() && plan.window.is_none() && plan.fill.is_none() {
            // Every record counts.
            counter.matched.0[0] += rows as u64;
            continue;
        }
        let mut pass = vec![true; rows];
        for (c, test) in &plan.filter {
            for (slot, v) in pass.iter_mut().zip(text(*c)) {
                *slot &= v.is_some_and(|v| test.passes(v));
            }
        }
        let hits: Vec<count::InWindow> = match &plan.window {
            Some((c, rule, days)) => text(*c)
                .into_iter()
                .map(|v| match v {
                    Some(v) => count::in_window(rule, v, *days),
                    None => count::InWindow {
                        fixed: false,
                        month_first: false,
                        day_first: false,
                    },
                })
                .collect(),
            None => vec![
                count::InWindow {
                    fixed: true,
                    month_first: false,
                    day_first: false,
                };
                rows
            ],
        };
        let filled_rows: Option<Vec<bool>> = plan.fill.as_ref().map(|parts| {
            let mut any = vec![false; rows];
            for c in parts {
                for (slot, v) in any.iter_mut().zip(text(*c)) {
                    *slot |= v.is_some();
                }
            }
            any
        });
        for r in 0..rows {
            if !pass[r] {
                continue;
            }
            counter.matched.add(hits[r]);
            if filled_rows.as_ref().is_some_and(|f| f[r]) {
                counter.filled.add(hits[r]);
            }
        }
    }
}

fn share(part: u64, rows: u64) -> f64 {
    if rows == 0 {
        0.0
    } else {
        part as f64 / rows as f64
    }
}

/// A column's report: its fill and every check's findings.
pub fn field_report(
    plan: &ColumnPlan,
    fill: &super::counters::FillCounter,
    counters: &CheckCounters,
) -> crate::model::FieldReport {
    use super::checks::freshness::{FUTURE, OLDER};
    use super::checks::validity::{Invalid, masked};
    use crate::model::{DateOrderReport, Example, FieldReport, FreshCount};
    let checks = &plan.checks;
    let rows = fill.rows;
    let mut invalid = std::collections::BTreeMap::new();
    let mut examples = Vec::new();
    let (mut valid, mut fresh, mut age, mut date_order) = (None, Vec::new(), None, None);
    let form = checks.validity.form;
    let mut add_examples = |kept: &[(Invalid, u64, Box<str>)]| {
        let mut list: Vec<Example> = kept
            .iter()
            .map(|(reason, _, value)| Example {
                reason: reason.as_str().to_owned(),
                value: masked(form, value),
            })
            .collect();
        list.sort_by(|a, b| (&a.reason, &a.value).cmp(&(&b.reason, &b.value)));
        examples.extend(list);
    };
    if let Some(rule) = &checks.date {
        let tally = counters.dates.result();
        valid = Some(tally.valid);
        for reason in Invalid::ALL {
            let n = tally.invalid[reason as usize];
            if n > 0 {
                invalid.insert(reason.as_str().to_owned(), n);
            }
        }
        fresh = rule
            .windows
            .iter()
            .enumerate()
            .map(|(i, w)| FreshCount {
                within_days: *w,
                fresh: tally.fresh.get(i).copied().unwrap_or(0),
            })
            .collect();
        let a = &tally.ages;
        let bands = crate::model::AgeBands {
            d30: a[0],
            d90: a[1],
            d180: a[2],
            d365: a[3],
            d730: a[4],
            older: a[OLDER],
            // Valid dates ahead (a close date) and record-history dates that cannot be.
            future: a[FUTURE] + tally.invalid[Invalid::InTheFuture as usize],
            unparseable: tally.invalid.iter().sum::<u64>()
                - tally.invalid[Invalid::InTheFuture as usize],
        };
        age = Some(bands);
        date_order = counters.dates.order().map(|o| DateOrderReport {
            order: if o.day_first {
                "day_first"
            } else {
                "month_first"
            },
            decided_by: if o.evidence > 0 { "values" } else { "default" },
            evidence: o.evidence,
            against: o.against,
            ambiguous: o.ambiguous,
        });
        add_examples(&counters.dates.examples().kept);
    } else if checks.validity.is_active() {
        let v = &counters.valid;
        valid = Some(v.valid);
        for reason in Invalid::ALL {
            let n = v.invalid[reason as usize];
            if n > 0 {
                invalid.insert(reason.as_str().to_owned(), n);
            }
        }
        add_examples(&v.examples.kept);
    }
    let is_email = form == Some(Form::Email);
    let (distinct, variants, dominant_count, dominant_value, over) = match checks.distinct {
        Some(_) => {
            let c = &counters.consistency;
            let raw = c.raw.distinct();
            let normalized = c.normalized.distinct();
            let top = c.normalized.top();
            (
                raw,
                raw.zip(normalized).map(|(r, n)| r - n),
                top.map(|(_, n)| n),
                top.and_then(|(h, _)| c.names.get(&h))
                    .map(|v| v.to_string()),
                raw.is_none() && !c.raw.counts.is_empty(),
            )
        }
        None => (None, None, None, None, false),
    };
    FieldReport {
        column: plan.name.clone(),
        canonical: plan.canonical.clone(),
        field_type: checks.field_type,
        rows,
        filled: fill.filled(),
        fill_rate: share(fill.filled(), rows),
        blank: fill.blank,
        placeholder: fill.placeholder,
        combines: Vec::new(),
        valid,
        valid_rate: valid.map(|v| share(v, rows)),
        invalid,
        personal_domain: is_email.then_some(counters.valid.personal_domain),
        role_account: is_email.then_some(counters.valid.role_account),
        fresh,
        age,
        date_order,
        distinct,
        distinct_over_limit: over,
        variants,
        dominant_count,
        dominant_share: dominant_count.map(|n| share(n, rows)),
        dominant_value,
        mojibake: counters.mojibake,
        examples,
    }
}

/// The duplicates and reach of a file.
pub fn record_reports(
    columns: &[ColumnPlan],
    checks: &RecordChecks,
    counters: &RecordCounters,
    rows: u64,
) -> (
    Vec<crate::model::DuplicateReport>,
    Option<crate::model::ReachReport>,
) {
    use crate::model::{DuplicateReport, ReachReport};
    let mut duplicates = Vec::new();
    let mut reach = None;
    for (i, (key, parts)) in checks.keys.iter().enumerate() {
        let counts = counters
            .keys
            .get(i)
            .map(KeyCounter::counts)
            .unwrap_or_default();
        duplicates.push(DuplicateReport {
            key: key.as_str(),
            columns: parts
                .columns()
                .iter()
                .map(|c| columns[*c].name.clone())
                .collect(),
            records: counts.records,
            distinct: counts.distinct,
            groups: counts.groups,
            duplicate_records: counts.duplicate_records,
            duplicate_rate: share(counts.duplicate_records, rows),
        });
        if *key == IdentityKey::Email {
            reach = Some(ReachReport {
                consent_columns: checks
                    .consent
                    .iter()
                    .map(|(c, _)| columns[*c].name.clone())
                    .collect(),
                addresses: counts.distinct,
                reachable: counts.clear,
                opted_out: counters.reach.opted_out,
                not_marketing: counters.reach.not_marketing,
                bounced: counters.reach.bounced,
            });
        }
    }
    (duplicates, reach)
}

/// A count requirement's result: records that pass (and of those, filled), settled by the
/// window's date order.
pub fn count_result(
    plan: &CountPlan,
    counter: &CountCounter,
    column_counters: &[super::counters::ColumnCounters],
) -> (u64, u64) {
    let day_first = plan
        .window
        .as_ref()
        .and_then(|(c, _, _)| column_counters.get(*c)?.checks.dates.order())
        .is_some_and(|o| o.day_first);
    (
        counter.matched.settle(day_first),
        counter.filled.settle(day_first),
    )
}
