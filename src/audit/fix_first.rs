//! The "fix first" list: which fields to fill, how many records, and what that unblocks, ranked
//! by impact; and the re-export list for columns the export does not have.
//!
//! Impact is use cases unblocked (made ready or at risk) per record of work. A use case that
//! fails on several fields is unblocked only when all of them are filled: those fields form one
//! grouped action, so the list never promises that filling one of them alone helps.

use std::collections::{BTreeMap, BTreeSet};

use crate::config::{Dictionary, FieldMap};
use crate::model::{FieldReport, FixField, FixFirst, ReExport, Status, UseCaseReport, Verdict};

use super::verdict::{gate_labels, re_export_label};

/// What one failing measure of a field needs: its column, how far it is, and the use cases
/// it fails in. Keyed by field, measure and condition: `email` may fail on fill in one use
/// case and on validity in another, two separate pieces of work.
struct Failing<'a> {
    column: &'a str,
    measure: &'static str,
    condition: Option<&'a str>,
    passing: u64,
    threshold: f64,
    /// The most records any failing use case needs, and what to do for them.
    records: u64,
    action: String,
    affects: Vec<&'a str>,
}

type Item<'a> = (&'a str, &'static str, Option<&'a str>);

fn item_name(item: &Item) -> String {
    match item {
        (field, "fill", None) => field.to_string(),
        (field, measure, None) => format!("{field} ({measure})"),
        (field, measure, Some(c)) => format!("{field} ({measure}: {c})"),
    }
}

/// The ranked fix-first actions and the columns to export again with.
pub fn fix_first(
    use_cases: &[UseCaseReport],
    dictionary: &Dictionary,
    fields: &[FieldReport],
    map: Option<&FieldMap>,
) -> (Vec<FixFirst>, Vec<ReExport>) {
    let mut failing: BTreeMap<Item, Failing> = BTreeMap::new();
    // Per use case that fixes could unblock (no export gap): the items it fails on.
    let mut blocked_sets: Vec<(&str, BTreeSet<Item>)> = Vec::new();
    let mut re_export: BTreeMap<String, ReExport> = BTreeMap::new();
    for report in use_cases
        .iter()
        .filter(|u| u.verdict != Verdict::NotApplicable)
    {
        let Some(use_case) = dictionary.use_cases.iter().find(|u| u.id == report.id) else {
            continue;
        };
        let mut set = BTreeSet::new();
        let mut gap = false;
        for (req, result) in use_case.requires.iter().zip(&report.requirements) {
            let absent_gate = result.status == Status::Failed && result.observed.is_none();
            match result.status {
                Status::Failed if !absent_gate => {
                    let item: Item = (&result.field, result.measure, result.condition.as_deref());
                    let column = result.column.as_deref().unwrap_or(result.field.as_str());
                    let entry = failing.entry(item).or_insert(Failing {
                        column,
                        measure: result.measure,
                        condition: result.condition.as_deref(),
                        passing: result.passing,
                        threshold: result.threshold,
                        records: 0,
                        action: String::new(),
                        affects: Vec::new(),
                    });
                    if result.records_needed >= entry.records {
                        entry.records = result.records_needed;
                        entry.threshold = result.threshold;
                        entry.action = result.action.clone().unwrap_or_default();
                    }
                    entry.affects.push(&report.id);
                    set.insert(item);
                }
                Status::Unknown | Status::Failed => {
                    gap = true;
                    let labels = if absent_gate {
                        gate_labels(req, fields, map)
                    } else {
                        vec![(result.field.clone(), re_export_label(&req.target, map))]
                    };
                    for (field, label) in labels {
                        re_export
                            .entry(field.clone())
                            .or_insert_with(|| ReExport {
                                field,
                                label,
                                use_cases: Vec::new(),
                                file: None,
                            })
                            .use_cases
                            .push(report.id.clone());
                    }
                }
                _ => {}
            }
        }
        if !set.is_empty() && !gap {
            blocked_sets.push((&report.id, set));
        }
    }
    for entry in re_export.values_mut() {
        entry.use_cases.dedup();
    }
    // Candidate actions: every group a use case needs, then each item not in any group.
    let mut actions: BTreeSet<BTreeSet<Item>> = blocked_sets
        .iter()
        .filter(|(_, set)| set.len() > 1)
        .map(|(_, set)| set.clone())
        .collect();
    let grouped: BTreeSet<Item> = actions.iter().flatten().copied().collect();
    for item in failing.keys() {
        let alone = BTreeSet::from([*item]);
        let unblocks_alone = blocked_sets.iter().any(|(_, set)| *set == alone);
        if unblocks_alone || !grouped.contains(item) {
            actions.insert(alone);
        }
    }
    let mut list: Vec<FixFirst> = actions
        .into_iter()
        .map(|action| {
            let unblocks: Vec<String> = blocked_sets
                .iter()
                .filter(|(_, set)| set.is_subset(&action))
                .map(|(id, _)| id.to_string())
                .collect();
            let affects: BTreeSet<&str> = action
                .iter()
                .flat_map(|f| failing[f].affects.iter().copied())
                .collect();
            let fields: Vec<FixField> = action
                .iter()
                .map(|item| {
                    let f = &failing[item];
                    FixField {
                        field: item.0.to_string(),
                        column: f.column.to_owned(),
                        measure: f.measure,
                        condition: f.condition.map(str::to_owned),
                        threshold: f.threshold,
                        passing: f.passing,
                        records_needed: f.records,
                        action: f.action.clone(),
                    }
                })
                .collect();
            let records_needed: u64 = fields.iter().map(|f| f.records_needed).sum();
            FixFirst {
                field: action.iter().map(item_name).collect::<Vec<_>>().join(" + "),
                fields,
                records_needed,
                impact: impact(unblocks.len(), records_needed),
                unblocks,
                affects: affects.into_iter().map(str::to_owned).collect(),
                file: None,
            }
        })
        .collect();
    rank(&mut list);
    (list, re_export.into_values().collect())
}

/// Use cases unblocked per 1,000 records of work (an action of no records counts as one).
pub fn impact(unblocked: usize, records: u64) -> f64 {
    unblocked as f64 * 1000.0 / records.max(1) as f64
}

/// Actions that unblock something first, by impact; then fewest records; ties by field and
/// file, so the order is the same on every run.
pub fn rank(list: &mut [FixFirst]) {
    list.sort_by(|a, b| {
        a.unblocks
            .is_empty()
            .cmp(&b.unblocks.is_empty())
            .then(b.impact.total_cmp(&a.impact))
            .then(a.records_needed.cmp(&b.records_needed))
            .then_with(|| a.field.cmp(&b.field))
            .then_with(|| a.file.cmp(&b.file))
    });
}
