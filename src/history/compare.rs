//! What a run measured, as the history keeps it, and how two runs differ: per requirement the
//! change, verdicts that moved, and regressions (a verdict that got worse, or a measure that
//! fell by more than the dictionary's `regression_points`).

use crate::model::{Change, Comparison, Regression, Report, Verdict, VerdictChange};

/// One measure of a run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Measured {
    /// `requirement`, `field` or `duplicates`.
    pub scope: String,
    /// `email_personalization: email` (a requirement), `Email` (a field), `email` (a key).
    pub subject: String,
    pub measure: String,
    pub value: Option<f64>,
    pub threshold: Option<f64>,
    pub met: Option<bool>,
}

/// One input of a run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InputRecord {
    pub path: String,
    pub size: u64,
    pub rows: u64,
    pub content_hash: String,
}

/// Everything the history keeps of a run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snapshot {
    pub id: Option<i64>,
    /// The input's identity: `--name`, else the paths as given.
    pub input: String,
    pub run_at: String,
    pub as_of: String,
    pub tool_version: String,
    pub dictionary_name: String,
    pub dictionary_hash: String,
    pub rows: u64,
    /// Ready, at risk, blocked, unknown, not applicable.
    pub verdicts: [u64; 5],
    pub inputs: Vec<InputRecord>,
    pub measures: Vec<Measured>,
    /// (use case, verdict) in dictionary order.
    pub use_cases: Vec<(String, String)>,
}

/// How a requirement is named across runs: its use case, field and condition.
pub fn requirement_subject(use_case: &str, field: &str, condition: Option<&str>) -> String {
    match condition {
        Some(c) => format!("{use_case}: {field} ({c})"),
        None => format!("{use_case}: {field}"),
    }
}

/// The snapshot of a report, to record or compare.
pub fn snapshot(report: &Report, input: &str) -> Snapshot {
    let v = &report.summary.verdicts;
    let several = report.files.len() > 1;
    let mut measures = Vec::new();
    for uc in &report.summary.use_cases {
        for r in &uc.requirements {
            measures.push(Measured {
                scope: "requirement".to_owned(),
                subject: requirement_subject(&uc.id, &r.field, r.condition.as_deref()),
                measure: r.measure.to_owned(),
                value: r.observed,
                threshold: Some(r.threshold),
                met: Some(r.met),
            });
        }
    }
    for file in &report.files {
        let name = |column: &str| {
            if several {
                format!("{}: {column}", file.input.path)
            } else {
                column.to_owned()
            }
        };
        for f in &file.fields {
            let mut add = |measure: String, value: Option<f64>| {
                if let Some(value) = value {
                    measures.push(Measured {
                        scope: "field".to_owned(),
                        subject: name(&f.column),
                        measure,
                        value: Some(value),
                        threshold: None,
                        met: None,
                    });
                }
            };
            add("fill".to_owned(), Some(f.fill_rate));
            add("valid".to_owned(), f.valid_rate);
            add("dominant".to_owned(), f.dominant_share);
            for w in &f.fresh {
                let share = if f.rows == 0 {
                    0.0
                } else {
                    w.fresh as f64 / f.rows as f64
                };
                add(format!("fresh_{}d", w.within_days), Some(share));
            }
        }
        for d in &file.duplicates {
            measures.push(Measured {
                scope: "duplicates".to_owned(),
                subject: name(d.key),
                measure: "duplicates".to_owned(),
                value: Some(d.duplicate_rate),
                threshold: None,
                met: None,
            });
        }
    }
    Snapshot {
        id: None,
        input: input.to_owned(),
        run_at: report.generated_at.clone(),
        as_of: report.as_of.clone(),
        tool_version: report.tool_version.clone(),
        dictionary_name: report.dictionary.name.clone(),
        dictionary_hash: report.dictionary.hash.clone(),
        rows: report.summary.rows,
        verdicts: [v.ready, v.at_risk, v.blocked, v.unknown, v.not_applicable].map(|n| n as u64),
        inputs: report
            .files
            .iter()
            .map(|f| InputRecord {
                path: f.input.path.clone(),
                size: f.input.size,
                rows: f.rows,
                content_hash: f.input.content_hash.clone(),
            })
            .collect(),
        measures,
        use_cases: report
            .summary
            .use_cases
            .iter()
            .map(|u| (u.id.clone(), verdict_name(u.verdict).to_owned()))
            .collect(),
    }
}

fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Ready => "ready",
        Verdict::AtRisk => "at_risk",
        Verdict::Blocked => "blocked",
        Verdict::Unknown => "unknown",
        Verdict::NotApplicable => "not_applicable",
    }
}

fn severity(name: &str) -> u8 {
    match name {
        "blocked" => 4,
        "unknown" => 3,
        "at_risk" => 2,
        "ready" => 1,
        _ => 0,
    }
}

/// Whether more is better for a measure (fill, valid, fresh, counts); less for duplicates and
/// the dominant share.
fn higher_is_better(measure: &str) -> bool {
    !matches!(measure, "duplicates" | "dominant")
}

/// How `after` differs from `before`. A share measure regresses when it moves the wrong way by
/// more than `points` percentage points; a count when it falls by more than `points` percent.
pub fn compare(before: &Snapshot, after: &Snapshot, points: f64) -> Comparison {
    let mut changes = Vec::new();
    let mut regressions = Vec::new();
    let (mut improved, mut worse_count, mut unchanged) = (0, 0, 0);
    for m in after.measures.iter().filter(|m| m.scope == "requirement") {
        let Some(old) = before
            .measures
            .iter()
            .find(|b| b.scope == m.scope && b.subject == m.subject && b.measure == m.measure)
        else {
            continue;
        };
        let delta = m.value.zip(old.value).map(|(a, b)| a - b);
        let counted = matches!(m.measure.as_str(), "count" | "reachable");
        let better = higher_is_better(&m.measure);
        // A measure that was measured and no longer is (its column left the export) is lost:
        // worse than any fall.
        let lost = old.value.is_some() && m.value.is_none();
        let moved = delta.unwrap_or(0.0);
        let worse = if lost {
            f64::INFINITY
        } else if better {
            -moved
        } else {
            moved
        };
        let tolerance = if counted { 0.5 } else { 1e-9 };
        let direction = if lost {
            worse_count += 1;
            "lost"
        } else if moved.abs() <= tolerance {
            unchanged += 1;
            "unchanged"
        } else if worse > 0.0 {
            worse_count += 1;
            "worse"
        } else {
            improved += 1;
            "improved"
        };
        let limit = if counted {
            old.value.unwrap_or(0.0).abs() * points / 100.0
        } else {
            points / 100.0
        };
        let (use_case, field) = m.subject.split_once(": ").unwrap_or(("", &m.subject));
        if worse > limit + 1e-12 {
            regressions.push(Regression {
                kind: "measure",
                use_case: use_case.to_owned(),
                field: Some(field.to_owned()),
                measure: Some(m.measure.clone()),
                before: old.value,
                after: m.value,
                verdict_before: None,
                verdict_after: None,
            });
        }
        changes.push(Change {
            use_case: use_case.to_owned(),
            field: field.to_owned(),
            measure: m.measure.clone(),
            before: old.value,
            after: m.value,
            delta,
            direction,
        });
    }
    let mut verdict_changes = Vec::new();
    for (use_case, verdict) in &after.use_cases {
        let Some((_, old)) = before.use_cases.iter().find(|(u, _)| u == use_case) else {
            continue;
        };
        if old != verdict {
            verdict_changes.push(VerdictChange {
                use_case: use_case.clone(),
                before: old.clone(),
                after: verdict.clone(),
            });
            if severity(verdict) > severity(old) && severity(old) > 0 {
                regressions.push(Regression {
                    kind: "verdict",
                    use_case: use_case.clone(),
                    field: None,
                    measure: None,
                    before: None,
                    after: None,
                    verdict_before: Some(old.clone()),
                    verdict_after: Some(verdict.clone()),
                });
            }
        }
    }
    Comparison {
        run_id: before.id.unwrap_or(0),
        run_at: before.run_at.clone(),
        as_of: before.as_of.clone(),
        dictionary_changed: before.dictionary_hash != after.dictionary_hash,
        improved,
        worse: worse_count,
        unchanged,
        changes,
        verdict_changes,
        regressions,
    }
}
