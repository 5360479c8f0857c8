//! The work list: the records that fail a requirement of a blocked or at-risk use case, one
//! row each, found in a second read of the file once the verdicts are known. Only with
//! `--worklist`: it is the one output that holds record ids.

use std::collections::BTreeMap;
use std::ops::AddAssign;

use polars::prelude::DataFrame;

use super::checks::fill::Cell;
use super::segments::{self, Dimension, SegmentedRequirement};
use super::{AccountTable, Plan, id15};
use crate::model::{Status, UseCaseReport, Verdict};

/// What the second read needs: the requirements to test, the id column, the segments.
#[derive(Debug, Clone)]
pub struct WorklistPlan {
    pub id_column: usize,
    pub id_label: String,
    pub dimensions: Vec<Dimension>,
    /// Per dimension, whether its slash dates read day first.
    pub day_first_keys: Vec<bool>,
    /// (requirement, its field's name, the use case, the date order of its column).
    pub requirements: Vec<(SegmentedRequirement, String, String, bool)>,
}

/// A file's rows, grouped by segment in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorklistRows {
    /// Segment (the `--by` values joined by U+001F) -> (rows, CSV lines).
    pub segments: BTreeMap<String, (u64, Vec<u8>)>,
}

impl AddAssign for WorklistRows {
    fn add_assign(&mut self, other: Self) {
        for (segment, (rows, lines)) in other.segments {
            let mine = self.segments.entry(segment).or_default();
            mine.0 += rows;
            mine.1.extend(lines);
        }
    }
}

/// Plans the second read, or says why the file has no work list.
pub fn plan(
    plan: &Plan,
    by: &[String],
    use_cases: &[UseCaseReport],
    dictionary: &crate::config::Dictionary,
    day_first: impl Fn(usize) -> bool,
) -> Result<WorklistPlan, String> {
    let id_column = plan
        .columns
        .iter()
        .position(|c| c.canonical.as_deref() == Some("record_id"))
        .ok_or("no record id column: the work list cannot name records")?;
    let by: Vec<String> = if by.is_empty() {
        vec!["owner".to_owned()]
    } else {
        by.to_vec()
    };
    let all = segments::plan(&by, usize::MAX, &plan.columns, &plan.combined, dictionary);
    let failing = |use_case: &str, index: usize| {
        use_cases.iter().any(|u| {
            u.id == use_case
                && matches!(u.verdict, Verdict::Blocked | Verdict::AtRisk)
                && u.requirements
                    .get(index)
                    .is_some_and(|r| matches!(r.status, Status::Failed | Status::AtRisk))
        })
    };
    let requirements = all
        .requirements
        .into_iter()
        .filter(|r| failing(&r.use_case, r.index))
        .map(|r| {
            let field = dictionary
                .use_cases
                .iter()
                .find(|u| u.id == r.use_case)
                .and_then(|u| u.requires.get(r.index))
                .map_or_else(String::new, |q| q.target.name().to_owned());
            let order = match r.pass {
                segments::Pass::Valid(c) | segments::Pass::Fresh(c, _) => day_first(c),
                segments::Pass::Fill { .. } => false,
            };
            let use_case = r.use_case.clone();
            (r, field, use_case, order)
        })
        .collect();
    let day_first_keys = all
        .dimensions
        .iter()
        .map(|d| match d.source {
            segments::Source::CreatedMonth(c) => day_first(c),
            segments::Source::Column(_) => false,
        })
        .collect();
    Ok(WorklistPlan {
        id_column,
        id_label: plan.columns[id_column].name.clone(),
        dimensions: all.dimensions,
        day_first_keys,
        requirements,
    })
}

/// A CSV field: quoted when it holds a delimiter, a quote or a line break.
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// Adds one batch's failing records.
pub fn measure(work: &WorklistPlan, plan: &Plan, batch: &DataFrame, rows: &mut WorklistRows) {
    if work.requirements.is_empty() {
        return;
    }
    let frame = batch.columns();
    let text = |i: usize| frame[i].str().expect("input batches hold string columns");
    let account_bits: Option<Vec<u8>> = plan.link.as_ref().map(|(column, accounts)| {
        let accounts: &AccountTable = accounts;
        text(*column)
            .iter()
            .map(|id| {
                id.map(id15)
                    .and_then(|id| accounts.ids.get(id).copied())
                    .unwrap_or(0)
            })
            .collect()
    });
    let requirements: Vec<SegmentedRequirement> =
        work.requirements.iter().map(|r| r.0.clone()).collect();
    let passes =
        segments::record_passes(
        &requirements,
        &plan.columns,
        batch,
        account_bits.as_deref(),
        None,
    );
    let keys: Vec<Vec<String>> = work
        .dimensions
        .iter()
        .zip(&work.day_first_keys)
        .map(|(d, day_first)| {
            segments::dimension_keys(
                d,
                *day_first,
                &plan.columns,
                plan.segments.owners.as_deref(),
                batch,
            )
        })
        .collect();
    let ids = text(work.id_column);
    let id_plan = &plan.columns[work.id_column];
    for (r, id) in ids.iter().enumerate() {
        let mut fields: Vec<&str> = Vec::new();
        let mut use_cases: Vec<&str> = Vec::new();
        for (k, (_, field, use_case, day_first)) in work.requirements.iter().enumerate() {
            let hit = passes[k][r];
            let pass = hit.fixed
                || if *day_first {
                    hit.day_first
                } else {
                    hit.month_first
                };
            if !pass {
                if !fields.contains(&field.as_str()) {
                    fields.push(field);
                }
                if !use_cases.contains(&use_case.as_str()) {
                    use_cases.push(use_case);
                }
            }
        }
        if fields.is_empty() {
            continue;
        }
        let id = id
            .filter(|v| id_plan.missing.classify(v) == Cell::Filled)
            .map(str::trim)
            .unwrap_or("");
        let segment: Vec<&str> = keys.iter().map(|k| k[r].as_str()).collect();
        let entry = rows.segments.entry(segment.join("\u{1f}")).or_default();
        entry.0 += 1;
        let mut line = csv_field(id);
        for value in &segment {
            line.push(',');
            line.push_str(&csv_field(value));
        }
        line.push(',');
        line.push_str(&csv_field(&fields.join(";")));
        line.push(',');
        line.push_str(&csv_field(&use_cases.join(";")));
        line.push('\n');
        entry.1.extend_from_slice(line.as_bytes());
    }
}
