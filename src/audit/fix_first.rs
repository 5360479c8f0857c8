//! The "fix first" list: which field to fill, how many records, and what that unblocks.

use std::collections::BTreeMap;

use crate::config::{Dictionary, Target};
use crate::model::{FieldReport, FixFirst, UseCaseReport, Verdict};

use super::verdict::{find_field, required_count};

/// One entry per field that fails a requirement in an applicable use case, ranked by use cases
/// unblocked (descending), then records needed (ascending), then name.
pub fn fix_first(
    use_cases: &[UseCaseReport],
    dictionary: &Dictionary,
    fields: &[FieldReport],
    rows: u64,
) -> Vec<FixFirst> {
    // target -> (strictest failing threshold, use cases it fails in)
    let mut failing: BTreeMap<&Target, (f64, Vec<&str>)> = BTreeMap::new();
    for report in use_cases.iter().filter(|u| u.verdict == Verdict::Blocked) {
        let Some(use_case) = dictionary.use_cases.iter().find(|u| u.id == report.id) else {
            continue;
        };
        for (req, result) in use_case.requires.iter().zip(&report.requirements) {
            if result.met {
                continue;
            }
            let entry = failing.entry(&req.target).or_insert((0.0, Vec::new()));
            entry.0 = entry.0.max(req.min_fill);
            entry.1.push(&use_case.id);
        }
    }
    let failing_count = |id: &str| {
        use_cases
            .iter()
            .find(|u| u.id == id)
            .map_or(0, |u| u.requirements.iter().filter(|r| !r.met).count())
    };
    let mut list: Vec<FixFirst> = failing
        .into_iter()
        .map(|(target, (threshold, affects))| {
            let field = find_field(fields, target);
            let filled = field.map_or(0, |f| f.filled);
            let unblocks = affects
                .iter()
                .filter(|id| failing_count(id) == 1)
                .map(|id| id.to_string())
                .collect();
            FixFirst {
                field: target.name().to_owned(),
                column: field.map(|f| f.column.clone()),
                in_export: field.is_some(),
                threshold,
                filled,
                records_needed: required_count(threshold, rows).saturating_sub(filled),
                unblocks,
                affects: affects.iter().map(|id| id.to_string()).collect(),
                file: None,
            }
        })
        .collect();
    rank(&mut list);
    list
}

/// Most use cases unblocked first, then fewest records needed; ties by field, then file.
pub fn rank(list: &mut [FixFirst]) {
    list.sort_by(|a, b| {
        b.unblocks
            .len()
            .cmp(&a.unblocks.len())
            .then(a.records_needed.cmp(&b.records_needed))
            .then_with(|| a.field.cmp(&b.field))
            .then_with(|| a.file.cmp(&b.file))
    });
}
