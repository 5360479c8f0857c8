//! The audit: which map fits the header, what each column measures, and the verdicts.

pub mod checks;
pub mod counters;
pub mod fix_first;
pub mod summary;
pub mod verdict;

use polars::prelude::DataFrame;

use crate::config::{Dictionary, FieldMap};
use crate::input::Header;
use crate::model::{FieldReport, FixFirst, UseCaseReport};
use checks::fill::MissingRule;
use counters::TableCounters;

/// How a field map came to be chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChosenBy {
    /// `--field-map`.
    Option,
    /// A Salesforce export whose record ids name the object (`00Q...`: leads).
    RecordIds,
    /// A Salesforce Data Export file named after its object (`Lead.csv`).
    FileName,
    /// The map that recognised the most columns.
    Header,
}

/// The field map chosen for a header, and how well it fits.
#[derive(Debug, Clone)]
pub struct MapChoice<'a> {
    pub map: &'a FieldMap,
    pub matched: usize,
    pub score: f64,
    pub chosen_by: ChosenBy,
}

impl<'a> MapChoice<'a> {
    pub fn of(map: &'a FieldMap, header: &Header, chosen_by: ChosenBy) -> Self {
        let matched = header
            .names
            .iter()
            .filter(|n| map.canonical_for(n).is_some())
            .count();
        let score = if header.is_empty() {
            0.0
        } else {
            matched as f64 / header.len() as f64
        };
        MapChoice {
            map,
            matched,
            score,
            chosen_by,
        }
    }
}

/// A map must recognise at least this many columns to be chosen automatically.
pub const MIN_MATCHED_COLUMNS: usize = 2;

/// Every object of a Salesforce Data Export carries these system columns.
fn is_salesforce_export(header: &Header) -> bool {
    let has = |name: &str| header.names.iter().any(|n| n.eq_ignore_ascii_case(name));
    has("Id") && (has("SystemModstamp") || has("IsDeleted"))
}

/// Salesforce record ids start with a 3-character prefix naming the object.
const SALESFORCE_KEY_PREFIXES: &[(&str, &str)] = &[
    ("00Q", "lead"),
    ("003", "contact"),
    ("001", "account"),
    ("006", "opportunity"),
];

/// The Salesforce object most of `ids` belong to, by key prefix: `Some(None)` for an object
/// without a map (`005` User, `00T` Task...), `None` when there are no ids to tell.
fn object_of_ids(ids: &[String]) -> Option<Option<&'static str>> {
    let prefixes: Vec<&str> = ids
        .iter()
        .filter(|id| id.len() >= 15)
        .map(|id| &id[..3])
        .collect();
    let first = *prefixes.first()?;
    if prefixes.iter().filter(|p| **p == first).count() * 2 <= prefixes.len() {
        return None;
    }
    Some(
        SALESFORCE_KEY_PREFIXES
            .iter()
            .find(|(prefix, _)| *prefix == first)
            .map(|(_, object)| *object),
    )
}

/// The map for an export. Salesforce exports with their system columns (`Id`, `IsDeleted`)
/// are told apart by their record ids (`00Q...` are leads), else by the file name
/// (`Lead.csv`): their `Id`, `CreatedDate`, `OwnerId` columns would match any object's map, so
/// an object without a map (`User.csv`) gets none. Otherwise, the map that recognises the most
/// columns (the first listed wins a tie), if it recognises at least two.
pub fn detect_map<'a>(
    header: &Header,
    maps: &'a [FieldMap],
    file_stem: Option<&str>,
    sample_ids: &[String],
) -> Option<MapChoice<'a>> {
    if is_salesforce_export(header) {
        let salesforce = |object: &str| {
            maps.iter()
                .find(|m| m.vendor == "salesforce" && m.object.eq_ignore_ascii_case(object))
        };
        return match object_of_ids(sample_ids) {
            Some(object) => object
                .and_then(salesforce)
                .map(|m| MapChoice::of(m, header, ChosenBy::RecordIds)),
            None => salesforce(file_stem?).map(|m| MapChoice::of(m, header, ChosenBy::FileName)),
        };
    }
    let mut best: Option<MapChoice<'a>> = None;
    for map in maps {
        let choice = MapChoice::of(map, header, ChosenBy::Header);
        if choice.matched >= MIN_MATCHED_COLUMNS
            && best.as_ref().is_none_or(|b| choice.matched > b.matched)
        {
            best = Some(choice);
        }
    }
    best
}

/// How one column is measured.
#[derive(Debug, Clone)]
pub struct ColumnPlan {
    pub name: String,
    pub canonical: Option<String>,
    pub missing: MissingRule,
}

/// Plans every column of the header: its canonical field and its missing-value rule.
pub fn plan_columns(
    header: &Header,
    map: Option<&FieldMap>,
    dictionary: &Dictionary,
) -> Vec<ColumnPlan> {
    header
        .names
        .iter()
        .zip(&header.segments)
        .map(|(name, &segment)| {
            // Columns of another object in a joined export are measured but not mapped: the
            // company's country is not the contact's.
            let canonical = map
                .filter(|_| segment == 0)
                .and_then(|m| m.canonical_for(name))
                .map(str::to_owned);
            let field_tokens = canonical
                .as_ref()
                .and_then(|c| dictionary.field_missing_values.get(c))
                .into_iter()
                .flatten();
            let tokens = dictionary
                .missing_values
                .iter()
                .chain(field_tokens)
                .map(String::as_str);
            ColumnPlan {
                name: name.clone(),
                canonical,
                missing: MissingRule::new(tokens),
            }
        })
        .collect()
}

/// Adds one batch to the counters. Columns are matched by position: batches carry the header's columns in order.
pub fn measure(plan: &[ColumnPlan], batch: &DataFrame, counters: &mut TableCounters) {
    if counters.columns.is_empty() {
        *counters = TableCounters::new(plan.len());
    }
    for ((column, plan), counter) in batch.columns().iter().zip(plan).zip(&mut counters.columns) {
        let values = column.str().expect("input batches hold string columns");
        plan.missing.count(values, &mut counter.fill);
    }
}

/// Field reports from the merged counters, in column order.
pub fn field_reports(plan: &[ColumnPlan], counters: &TableCounters) -> Vec<FieldReport> {
    plan.iter()
        .zip(&counters.columns)
        .map(|(plan, c)| FieldReport {
            column: plan.name.clone(),
            canonical: plan.canonical.clone(),
            rows: c.fill.rows,
            filled: c.fill.filled(),
            fill_rate: if c.fill.rows == 0 {
                0.0
            } else {
                c.fill.filled() as f64 / c.fill.rows as f64
            },
            blank: c.fill.blank,
            placeholder: c.fill.placeholder,
        })
        .collect()
}

/// Verdicts for every use case and the fix-first list.
pub fn judge(
    fields: &[FieldReport],
    rows: u64,
    kind: Option<crate::config::ObjectKind>,
    dictionary: &Dictionary,
) -> (Vec<UseCaseReport>, Vec<FixFirst>) {
    let use_cases: Vec<UseCaseReport> = dictionary
        .use_cases
        .iter()
        .map(|uc| verdict::evaluate_use_case(uc, fields, rows, kind, dictionary))
        .collect();
    let fixes = fix_first::fix_first(&use_cases, dictionary, fields, rows);
    (use_cases, fixes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn salesforce_ids_name_their_object() {
        assert_eq!(
            object_of_ids(&ids(&["00Q5g00000A1bCdEAF", "00Q5g00000A1bCdEAG"])),
            Some(Some("lead"))
        );
        assert_eq!(
            object_of_ids(&ids(&["0055g00000XyZaBAAV"])),
            Some(None),
            "005 is User"
        );
        assert_eq!(object_of_ids(&ids(&["", "short"])), None);
        assert_eq!(
            object_of_ids(&ids(&["00Q5g00000A1bCdEAF", "0015g00000A1bCdEAF"])),
            None,
            "no majority"
        );
    }
}
