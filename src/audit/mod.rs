//! The audit: which map fits the header, what each column measures, and the verdicts.

pub mod checks;
pub mod counters;
pub mod diagnostic;
pub mod fix_first;
pub mod measure;
pub mod segments;
pub mod summary;
pub mod verdict;
pub mod worklist;

use polars::prelude::DataFrame;

use crate::config::{Dictionary, FieldMap};
use crate::config::{ObjectKind, Target};
use crate::input::Header;
use crate::model::{FieldReport, FixFirst, PartFill, ReExport, UseCaseReport};
use checks::fill::MissingRule;
use counters::FillCounter;
use counters::TableCounters;

/// How a field map came to be chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChosenBy {
    /// `--field-map`.
    Option,
    /// Salesforce record ids name the object (`00Q...`: leads).
    RecordIds,
    /// The file is named after its object (`Lead.csv`, `...-all-contacts-...csv`).
    FileName,
    /// Columns only that kind of export has (`IsConverted`, `StageName`).
    DistinctiveColumns,
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
    /// Other maps that recognised as many columns: the tie that `chosen_by` broke.
    pub tied_with: Vec<String>,
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
            tied_with: Vec::new(),
        }
    }
}

/// A map must recognise at least this many columns to be chosen by its header alone.
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

/// Objects of a Data Export that no map covers: a file of their ids gets no map.
const SALESFORCE_UNMAPPED_PREFIXES: &[&str] = &[
    "005", // User
    "00T", // Task
    "00U", // Event
    "500", // Case
    "701", // Campaign
    "00v", // CampaignMember
    "00G", // Group
    "00D", // Organization
    "02i", // Asset
    "800", // Contract
    "00k", // OpportunityLineItem
    "01t", // Product2
];

/// Columns that hold a Salesforce export's own record ids, most telling first.
pub const ID_COLUMNS: &[&str] = &[
    "Id",
    "Lead ID",
    "Contact ID",
    "Opportunity ID",
    "Account ID",
];

/// A Salesforce record id: 15 or 18 letters and digits.
fn is_salesforce_id(id: &str) -> bool {
    (id.len() == 15 || id.len() == 18) && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The Salesforce object most of `ids` belong to, by key prefix: `Some(None)` for an object
/// without a map (`005` User, `00T` Task...), `None` when the ids cannot tell.
fn object_of_ids(ids: &[String]) -> Option<Option<&'static str>> {
    let prefixes: Vec<&str> = ids
        .iter()
        .filter(|id| is_salesforce_id(id))
        .map(|id| &id[..3])
        .collect();
    let first = *prefixes.first()?;
    if prefixes.iter().filter(|p| **p == first).count() * 2 <= prefixes.len() {
        return None;
    }
    if let Some((_, object)) = SALESFORCE_KEY_PREFIXES.iter().find(|(p, _)| *p == first) {
        return Some(Some(object));
    }
    SALESFORCE_UNMAPPED_PREFIXES
        .contains(&first)
        .then_some(None)
}

/// Whether a file name names the map's object (`Lead`, `hubspot-crm-exports-all-contacts-...`).
fn named_after(map: &FieldMap, file_stem: &str) -> bool {
    let stem = file_stem.to_lowercase();
    let object = map.object.to_lowercase();
    let singular = object
        .strip_suffix("ies")
        .map(|s| format!("{s}y"))
        .or_else(|| object.strip_suffix('s').map(str::to_owned))
        .unwrap_or_else(|| object.clone());
    stem.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| word == object || word == singular || word == format!("{singular}s"))
}

/// The map for an export, and how it was chosen:
/// 1. Salesforce record ids name the object (`00Q...` are leads), whatever the columns: an
///    export of `Id` and `Name` with contact ids is contacts. An object without a map
///    (`005...` users) gets none.
/// 2. A Salesforce Data Export file (its `Id`, `IsDeleted` columns would match any object's
///    map) is mapped by its file name, or gets no map.
/// 3. Otherwise the map that recognises the most columns (at least two). A tie is broken by
///    the file name, then by distinctive columns, then by the order of the maps, and reported.
pub fn detect_map<'a>(
    header: &Header,
    maps: &'a [FieldMap],
    file_stem: Option<&str>,
    sample_ids: &[String],
) -> Option<MapChoice<'a>> {
    let salesforce = |object: &str| {
        maps.iter()
            .find(|m| m.vendor == "salesforce" && m.object.eq_ignore_ascii_case(object))
    };
    let by_header = |chosen_by| {
        let mut ranked: Vec<MapChoice<'a>> = maps
            .iter()
            .map(|m| MapChoice::of(m, header, chosen_by))
            .collect();
        // Stable: the order of the maps breaks ties.
        ranked.sort_by_key(|c| std::cmp::Reverse(c.matched));
        ranked
    };
    match object_of_ids(sample_ids) {
        Some(Some(object)) => {
            if let Some(map) = salesforce(object) {
                let mut choice = MapChoice::of(map, header, ChosenBy::RecordIds);
                choice.tied_with = by_header(ChosenBy::Header)
                    .into_iter()
                    .filter(|c| {
                        c.map.name != map.name
                            && c.matched >= MIN_MATCHED_COLUMNS
                            && c.matched >= choice.matched
                    })
                    .map(|c| c.map.name.clone())
                    .collect();
                return Some(choice);
            }
        }
        Some(None) => return None,
        None => {}
    }
    if is_salesforce_export(header) {
        return salesforce(file_stem?).map(|m| MapChoice::of(m, header, ChosenBy::FileName));
    }
    let ranked = by_header(ChosenBy::Header);
    let best = ranked.first()?.matched;
    if best < MIN_MATCHED_COLUMNS {
        return None;
    }
    let tied: Vec<MapChoice<'a>> = ranked.into_iter().filter(|c| c.matched == best).collect();
    let names: Vec<String> = tied.iter().map(|c| c.map.name.clone()).collect();
    let by_name = file_stem.and_then(|stem| {
        let named: Vec<&MapChoice<'a>> = tied.iter().filter(|c| named_after(c.map, stem)).collect();
        (named.len() == 1).then(|| named[0].clone())
    });
    let by_columns = || {
        let score = |c: &MapChoice<'a>| c.map.distinctive_matches(&header.names);
        let top = tied.iter().map(score).max().unwrap_or(0);
        let best: Vec<&MapChoice<'a>> = tied.iter().filter(|c| score(c) == top).collect();
        (top > 0 && best.len() == 1).then(|| best[0].clone())
    };
    let mut choice = if tied.len() == 1 {
        tied[0].clone()
    } else if let Some(choice) = by_name {
        MapChoice {
            chosen_by: ChosenBy::FileName,
            ..choice
        }
    } else if let Some(choice) = by_columns() {
        MapChoice {
            chosen_by: ChosenBy::DistinctiveColumns,
            ..choice
        }
    } else {
        tied[0].clone()
    };
    choice.tied_with = names
        .into_iter()
        .filter(|n| *n != choice.map.name)
        .collect();
    Some(choice)
}

/// How one column is measured.
#[derive(Debug, Clone)]
pub struct ColumnPlan {
    pub name: String,
    pub canonical: Option<String>,
    pub missing: MissingRule,
    pub checks: measure::ColumnChecks,
}

/// A field measured record by record across several columns (see `checks::combined`).
#[derive(Debug, Clone)]
pub struct CombinedPlan {
    /// The canonical field (`industry`), or `website or email_domain` for an `any_of`.
    pub field: String,
    /// The columns that may carry it, by index into the header.
    pub parts: Vec<usize>,
    /// Also filled when the record's account has it: the field's bit in `AccountTable`.
    pub account_bit: Option<u8>,
}

/// The accounts of a Salesforce export, for the records that point to them (Contact and
/// Opportunity `AccountId`): per account id, which company fields are filled.
#[derive(Debug, Default)]
pub struct AccountTable {
    /// The accounts file(s), for the report.
    pub files: Vec<String>,
    /// 15-character id -> bits of `ACCOUNT_FIELDS` filled.
    pub ids: std::collections::HashMap<Box<str>, u8>,
    /// More accounts than could be held: no join was made.
    pub overflow: bool,
}

impl AccountTable {
    /// The bit of a company field, by its place in `ACCOUNT_FIELDS`.
    pub fn bit(field: &str) -> Option<u8> {
        crate::config::ACCOUNT_FIELDS
            .iter()
            .position(|f| *f == field)
            .map(|i| 1u8 << i)
    }
}

/// The first 15 characters of a Salesforce id: the 18-character form adds a checksum.
pub fn id15(id: &str) -> &str {
    let id = id.trim();
    id.get(..15).unwrap_or(id)
}

/// Everything measured in one file: every column, and the combined fields.
#[derive(Debug, Clone)]
pub struct Plan {
    pub columns: Vec<ColumnPlan>,
    pub combined: Vec<CombinedPlan>,
    /// An accounts file: its id column, and the company fields' columns with their bits.
    pub keys: Option<(usize, Vec<(usize, u8)>)>,
    /// A file linked to accounts: its account id column and the accounts.
    pub link: Option<(usize, std::sync::Arc<AccountTable>)>,
    /// Identity keys, consent and record counts.
    pub records: measure::RecordChecks,
    /// `--by` breakdowns.
    pub segments: segments::SegmentPlan,
}

/// The day checks are judged on, whether examples of values are kept, and the breakdowns.
#[derive(Debug, Clone)]
pub struct CheckSettings {
    /// `--as-of`, in days since 1970-01-01.
    pub as_of: i32,
    pub show_values: bool,
    /// `--by` fields, and at most how many segments each keeps.
    pub by: Vec<String>,
    pub max_segments: usize,
    /// Owner names by user id, from a `User.csv` of the same export.
    pub owners: Option<std::sync::Arc<std::collections::HashMap<String, String>>>,
}

/// Plans every column of the header: its canonical field and its missing-value rule; and the
/// fields that combine several columns: a field the record may take from its company (a
/// HubSpot joined export carries the company's columns after `Record ID - Company`, read with
/// `companion`, the vendor's company map) and every `any_of` requirement.
pub fn plan(
    header: &Header,
    map: Option<&FieldMap>,
    companion: Option<&FieldMap>,
    accounts: Option<&std::sync::Arc<AccountTable>>,
    dictionary: &Dictionary,
    settings: CheckSettings,
) -> Plan {
    let mut columns = plan_columns(header, map, dictionary, settings.as_of);
    let records = measure::record_checks(
        &columns,
        map,
        dictionary,
        settings.as_of,
        settings.show_values,
    );
    let first = |field: &str| {
        columns
            .iter()
            .position(|c| c.canonical.as_deref() == Some(field))
    };
    // A Salesforce accounts file keeps, per id, which company fields it fills.
    let is_accounts =
        map.is_some_and(|m| m.vendor == "salesforce" && m.kind == ObjectKind::Account);
    let keys = first("record_id").filter(|_| is_accounts).map(|id| {
        let fields = crate::config::ACCOUNT_FIELDS
            .iter()
            .filter_map(|f| Some((first(f)?, AccountTable::bit(f)?)))
            .collect();
        (id, fields)
    });
    // A Salesforce contact or opportunity file points to its account by AccountId.
    let link = accounts
        .filter(|a| !a.overflow && !a.ids.is_empty())
        .filter(|_| map.is_some_and(|m| m.vendor == "salesforce" && m.kind != ObjectKind::Account))
        .and_then(|a| Some((first("account_id")?, a.clone())));
    // canonical field -> (own columns, company columns)
    let own = |field: &str| -> Vec<usize> {
        columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.canonical.as_deref() == Some(field))
            .map(|(i, _)| i)
            .collect()
    };
    let company = |field: &str| -> Vec<usize> {
        let Some(companion) = companion else {
            return Vec::new();
        };
        if !dictionary.from_account.contains(field) {
            return Vec::new();
        }
        header
            .names
            .iter()
            .zip(&header.segments)
            .enumerate()
            .filter(|(_, (name, segment))| {
                // A repeated name was made unique as `Industry (Company)`.
                let base = name
                    .rsplit_once(" (")
                    .map_or(name.as_str(), |(base, _)| base);
                **segment > 0
                    && (companion.canonical_for(name) == Some(field)
                        || companion.canonical_for(base) == Some(field))
            })
            .map(|(i, _)| i)
            .collect()
    };
    let mut combined: Vec<CombinedPlan> = Vec::new();
    let mut add = |plan: CombinedPlan| {
        if !combined.iter().any(|c| c.field == plan.field) {
            combined.push(plan);
        }
    };
    for target in dictionary
        .use_cases
        .iter()
        .flat_map(|u| &u.requires)
        .map(|r| &r.target)
    {
        match target {
            Target::Field(field) => {
                let from_company = company(field);
                let account_bit = link
                    .as_ref()
                    .filter(|_| dictionary.from_account.contains(field))
                    .and_then(|_| AccountTable::bit(field));
                if !from_company.is_empty() || account_bit.is_some() {
                    let mut parts = own(field);
                    parts.extend(from_company);
                    add(CombinedPlan {
                        field: field.clone(),
                        parts,
                        account_bit,
                    });
                }
            }
            Target::AnyOf { fields, name } => {
                let parts: Vec<usize> = fields
                    .iter()
                    .flat_map(|f| own(f).into_iter().chain(company(f)))
                    .collect();
                // One column alone is measured as a column: two or more make a combined field.
                if parts.len() > 1 {
                    add(CombinedPlan {
                        field: name.clone(),
                        parts,
                        account_bit: None,
                    });
                }
            }
            Target::Column(_) | Target::Records | Target::Key(_) => {}
        }
    }
    for (_, parts) in &records.keys {
        if let measure::KeyParts::Email(c) = parts {
            columns[*c].checks.keep_rows = true;
        }
    }
    let mut segments = segments::plan(
        &settings.by,
        settings.max_segments,
        &columns,
        &combined,
        dictionary,
    );
    segments.owners = settings.owners.clone();
    // The breakdown takes each record's validity from the column pass.
    for req in &segments.requirements {
        if let segments::Pass::Valid(c) | segments::Pass::Fresh(c, _) = req.pass {
            columns[c].checks.keep_rows = true;
        }
    }
    // `created_month` needs the created date's day/month order, decided by its values: the
    // column's dates are counted even when the dictionary asks for no date check.
    for dimension in &segments.dimensions {
        if let segments::Source::CreatedMonth(c) = dimension.source
            && columns[c].checks.date.is_none()
        {
            columns[c].checks.date = Some(checks::freshness::DateRule {
                as_of: settings.as_of,
                history: true,
                windows: Vec::new(),
            });
        }
    }
    Plan {
        columns,
        combined,
        keys,
        link,
        records,
        segments,
    }
}

/// Plans every column of the header: its canonical field and its missing-value rule.
pub fn plan_columns(
    header: &Header,
    map: Option<&FieldMap>,
    dictionary: &Dictionary,
    as_of: i32,
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
            let column_tokens = dictionary
                .column_rules
                .get(&crate::config::normalize_label(name))
                .map(|r| r.missing_values.as_slice())
                .unwrap_or_default();
            let tokens = dictionary
                .missing_values
                .iter()
                .chain(field_tokens)
                .chain(column_tokens)
                .map(String::as_str);
            // The freshness windows the dictionary asks of this column.
            let mut windows: Vec<u32> = dictionary
                .use_cases
                .iter()
                .flat_map(|u| &u.requires)
                .filter_map(|r| match (&r.measure, &r.target) {
                    (crate::config::Measure::Fresh { within_days, .. }, Target::Field(f))
                        if canonical.as_deref() == Some(f.as_str()) =>
                    {
                        Some(*within_days)
                    }
                    (crate::config::Measure::Fresh { within_days, .. }, Target::Column(c))
                        if name.trim().eq_ignore_ascii_case(c) =>
                    {
                        Some(*within_days)
                    }
                    _ => None,
                })
                .collect();
            windows.sort_unstable();
            windows.dedup();
            let checks = measure::column_checks(
                name,
                canonical.as_deref(),
                map.filter(|_| segment == 0),
                dictionary,
                as_of,
                windows,
            );
            ColumnPlan {
                name: name.clone(),
                canonical,
                missing: MissingRule::new(tokens),
                checks,
            }
        })
        .collect()
}

/// Adds one batch to the counters. Columns are matched by position: batches carry the header's columns in order.
pub fn measure(plan: &[ColumnPlan], batch: &DataFrame, counters: &mut TableCounters) {
    measure_columns(plan, batch, counters, false);
}

fn measure_columns(
    plan: &[ColumnPlan],
    batch: &DataFrame,
    counters: &mut TableCounters,
    show_values: bool,
) {
    if counters.columns.is_empty() {
        *counters = TableCounters::new(plan.len());
    }
    for ((column, plan), counter) in batch.columns().iter().zip(plan).zip(&mut counters.columns) {
        let values = column.str().expect("input batches hold string columns");
        measure::measure_column(
            plan,
            values,
            &mut counter.fill,
            &mut counter.checks,
            show_values,
        );
    }
}

/// Adds one batch to every counter of the plan: the columns, then the combined fields.
pub fn measure_all(plan: &Plan, batch: &DataFrame, counters: &mut TableCounters) {
    measure_columns(&plan.columns, batch, counters, plan.records.show_values);
    measure::measure_records(
        &plan.columns,
        &plan.records,
        batch,
        &mut counters.records,
        &counters.columns,
    );
    if counters.combined.len() < plan.combined.len() {
        counters.combined = vec![FillCounter::default(); plan.combined.len()];
        counters.from_accounts = vec![0; plan.combined.len()];
    }
    let columns = batch.columns();
    let text = |i: usize| columns[i].str().expect("input batches hold string columns");
    // Each record's account, once: its bits, or why there is none.
    let account_bits: Option<Vec<u8>> = plan.link.as_ref().map(|(column, accounts)| {
        text(*column)
            .iter()
            .map(|id| match id.map(id15).filter(|id| !id.is_empty()) {
                None => {
                    counters.link_blank += 1;
                    0
                }
                Some(id) => accounts.ids.get(id).copied().unwrap_or_else(|| {
                    counters.link_unmatched += 1;
                    0
                }),
            })
            .collect()
    });
    segments::measure(
        &plan.segments,
        &plan.columns,
        batch,
        account_bits.as_deref(),
        Some(&counters.columns),
        &mut counters.segments,
    );
    for (k, (combined, counter)) in plan.combined.iter().zip(&mut counters.combined).enumerate() {
        if let (Some(bit), Some(bits)) = (combined.account_bit, account_bits.as_deref()) {
            counters.from_accounts[k] += bits.iter().filter(|b| *b & bit != 0).count() as u64;
        }
        let parts: Vec<_> = combined
            .parts
            .iter()
            .map(|&i| (text(i), &plan.columns[i].missing))
            .collect();
        let from_account = combined
            .account_bit
            .zip(account_bits.as_deref())
            .map(|(bit, bits)| (bits, bit));
        checks::combined::count(&parts, from_account, batch.height(), counter);
    }
    if let Some((id_column, fields)) = &plan.keys
        && !counters.keys_overflow
    {
        let ids = text(*id_column);
        let mut bits = vec![0u8; batch.height()];
        for (column, bit) in fields {
            let rule = &plan.columns[*column].missing;
            for (slot, value) in bits.iter_mut().zip(text(*column).iter()) {
                if value.is_some_and(|v| rule.classify(v) == checks::fill::Cell::Filled) {
                    *slot |= bit;
                }
            }
        }
        for (id, bits) in ids.iter().zip(bits) {
            if let Some(id) = id.map(id15).filter(|id| !id.is_empty()) {
                counters.keys.push((id.into(), bits));
            }
        }
        if counters.keys.len() > counters::MAX_ACCOUNTS {
            counters.keys_overflow = true;
            counters.keys = Vec::new();
        }
    }
}

fn rate(filled: u64, rows: u64) -> f64 {
    if rows == 0 {
        0.0
    } else {
        filled as f64 / rows as f64
    }
}

/// Field reports from the merged counters, in column order, then the combined fields.
pub fn field_reports(plan: &Plan, counters: &TableCounters) -> Vec<FieldReport> {
    let mut reports: Vec<FieldReport> = plan
        .columns
        .iter()
        .zip(&counters.columns)
        .map(|(plan, c)| measure::field_report(plan, &c.fill, &c.checks))
        .collect();
    for (k, (combined, c)) in plan.combined.iter().zip(&counters.combined).enumerate() {
        let combines: Vec<PartFill> = combined
            .parts
            .iter()
            .map(|&i| PartFill {
                column: plan.columns[i].name.clone(),
                filled: counters.columns[i].fill.filled(),
            })
            .collect();
        let mut combines = combines;
        if combined.account_bit.is_some() {
            combines.push(PartFill {
                column: format!("the account's {}", combined.field),
                filled: counters.from_accounts.get(k).copied().unwrap_or(0),
            });
        }
        let label = combines
            .iter()
            .map(|p| p.column.as_str())
            .collect::<Vec<_>>()
            .join(" or ");
        reports.push(FieldReport {
            column: label,
            canonical: Some(combined.field.clone()),
            rows: c.rows,
            filled: c.filled(),
            fill_rate: rate(c.filled(), c.rows),
            blank: c.blank,
            placeholder: c.placeholder,
            combines,
            ..FieldReport::empty()
        });
    }
    reports
}

/// What the audit of one file concludes.
pub struct Judgement {
    pub use_cases: Vec<UseCaseReport>,
    pub fix_first: Vec<FixFirst>,
    pub re_export: Vec<ReExport>,
}

/// The results of the count requirements: (use case, requirement) -> (records that pass,
/// of those filled).
pub fn count_results(
    plan: &Plan,
    counters: &TableCounters,
) -> std::collections::BTreeMap<(String, usize), (u64, u64)> {
    plan.records
        .counts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let counter = counters.records.counts.get(i).copied().unwrap_or_default();
            (
                (p.use_case.clone(), p.index),
                measure::count_result(p, &counter, &counters.columns),
            )
        })
        .collect()
}

/// Verdicts for every use case, the fix-first list and the columns to export again with.
pub fn judge(
    measured: &verdict::Measured,
    map: Option<&FieldMap>,
    dictionary: &Dictionary,
) -> Judgement {
    let use_cases: Vec<UseCaseReport> = dictionary
        .use_cases
        .iter()
        .map(|uc| verdict::evaluate_use_case(uc, measured, dictionary, map))
        .collect();
    let (fix_first, re_export) = fix_first::fix_first(&use_cases, dictionary, measured.fields, map);
    Judgement {
        use_cases,
        fix_first,
        re_export,
    }
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
            object_of_ids(&ids(&["a1b2c3d4e5f6g7h8i9"])),
            None,
            "an unknown prefix tells nothing"
        );
        assert_eq!(
            object_of_ids(&ids(&["00Q5g00000A1bCdEAF", "0015g00000A1bCdEAF"])),
            None,
            "no majority"
        );
    }
}
