//! The "fix first" list: which fields to fill, how many records, and what that unblocks, ranked
//! by impact; and the re-export list for columns the export does not have.
//!
//! Impact is use cases unblocked (made ready or at risk) per record of work. A use case that
//! fails on several fields is unblocked only when all of them are filled: those fields form one
//! grouped action, so the list never promises that filling one of them alone helps.

use std::collections::{BTreeMap, BTreeSet};

use crate::config::{Dictionary, FieldMap};
use crate::model::{FixField, FixFirst, ReExport, Status, UseCaseReport, Verdict};

use super::verdict::{re_export_label, required_count};

/// What one failing field needs: its column, how filled it is, its strictest failing
/// threshold, and the use cases it fails in.
struct Failing<'a> {
    column: &'a str,
    filled: u64,
    threshold: f64,
    affects: Vec<&'a str>,
}

/// The ranked fix-first actions and the columns to export again with.
pub fn fix_first(
    use_cases: &[UseCaseReport],
    dictionary: &Dictionary,
    rows: u64,
    map: Option<&FieldMap>,
) -> (Vec<FixFirst>, Vec<ReExport>) {
    let mut failing: BTreeMap<&str, Failing> = BTreeMap::new();
    // Per use case that fills could unblock (no export gap): the fields it fails on.
    let mut blocked_sets: Vec<(&str, BTreeSet<&str>)> = Vec::new();
    let mut re_export: BTreeMap<&str, ReExport> = BTreeMap::new();
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
            match (result.status, &result.column) {
                (Status::Failed, Some(column)) => {
                    let entry = failing.entry(&result.field).or_insert(Failing {
                        column,
                        filled: result.filled,
                        threshold: 0.0,
                        affects: Vec::new(),
                    });
                    entry.threshold = entry.threshold.max(result.threshold);
                    entry.affects.push(&report.id);
                    set.insert(result.field.as_str());
                }
                (Status::Unknown, _) => {
                    gap = true;
                    re_export
                        .entry(&result.field)
                        .or_insert_with(|| ReExport {
                            field: result.field.clone(),
                            label: re_export_label(&req.target, map),
                            use_cases: Vec::new(),
                            file: None,
                        })
                        .use_cases
                        .push(report.id.clone());
                }
                _ => {}
            }
        }
        if !set.is_empty() && !gap {
            blocked_sets.push((&report.id, set));
        }
    }
    let records = |field: &str| {
        let f = &failing[field];
        required_count(f.threshold, rows).saturating_sub(f.filled)
    };
    // Candidate actions: every group a use case needs, then each field not in any group.
    let mut actions: BTreeSet<BTreeSet<&str>> = blocked_sets
        .iter()
        .filter(|(_, set)| set.len() > 1)
        .map(|(_, set)| set.clone())
        .collect();
    let grouped: BTreeSet<&str> = actions.iter().flatten().copied().collect();
    for field in failing.keys() {
        let alone = BTreeSet::from([*field]);
        let unblocks_alone = blocked_sets.iter().any(|(_, set)| *set == alone);
        if unblocks_alone || !grouped.contains(field) {
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
                .map(|f| FixField {
                    field: f.to_string(),
                    column: failing[f].column.to_owned(),
                    threshold: failing[f].threshold,
                    filled: failing[f].filled,
                    records_needed: records(f),
                })
                .collect();
            let records_needed: u64 = fields.iter().map(|f| f.records_needed).sum();
            FixFirst {
                field: action.iter().copied().collect::<Vec<_>>().join(" + "),
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
