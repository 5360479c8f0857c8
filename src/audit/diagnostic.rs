//! Evidence for the AI failure diagnostic: the report's findings, each tagged with the failure
//! category it is evidence for, and answers to the checklist questions CRM data can answer.
//!
//! - A fill, validity, freshness, duplicate, count or reach gap is **data quality**.
//! - A gap concentrated in one owner or source (more than half of the failing records) is
//!   **workflow alignment**: a process creates the bad records.
//! - No run history, no pinned baseline, or no consent column is a **measurement gap**: a fix
//!   could not be shown to work, or reach cannot be known.
//! - A use case none of whose fields the export has is **goal misalignment**: no export of
//!   these records as they are could feed it.
//!
//! Prompt strategy (and the rest of the checklist about prompts and brand voice) is listed as
//! not answerable from CRM data, so the reader sees where the evidence stops.

use serde::Deserialize;

use crate::model::{
    ChecklistAnswer, Diagnostic, Finding, NotAnswerable, Report, RequirementReport, Status,
    UseCaseReport, Verdict,
};
use crate::shown::thousands;

/// The built-in checklist: the questions of the diagnostic's checklist that CRM data answers,
/// word for word, and which answer rule each takes.
const BUILTIN_CHECKLIST: &str = include_str!("../../field-maps/checklist.toml");

/// Canonical fields that carry intent or engagement signals.
pub const INTENT_FIELDS: &[&str] = &[
    "pageviews",
    "sessions",
    "form_submissions",
    "recent_conversion_at",
    "last_engagement_at",
    "emails_opened",
    "emails_clicked",
    "last_email_open_at",
    "hubspot_score",
    "rating",
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    #[serde(default)]
    pub question: Vec<Question>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Word for word.
    pub text: String,
    pub category: String,
    pub answer_by: Rule,
}

/// How a question is answered from the report.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Required fields filled and valid, and intent signals present and filled.
    CompleteRecordsAndIntent,
    /// No duplicate requirement fails.
    Duplicates,
    /// Activity dates fresh enough.
    Freshness,
    /// Gaps not concentrated in one owner or source.
    Ownership,
    /// Runs kept with a pinned baseline.
    Baseline,
    /// Consent columns present.
    Consent,
    /// Every use case wanted can be fed by the export.
    FeedsUseCases,
}

/// The built-in checklist.
pub fn builtin_checklist() -> Checklist {
    toml::from_str(BUILTIN_CHECKLIST).expect("the built-in checklist is valid")
}

/// The categories a checklist question can be answered in from CRM data.
const ANSWERABLE: &[&str] = &[
    "data_quality",
    "workflow_alignment",
    "measurement_gaps",
    "goal_misalignment",
];

/// Reads a checklist file (the same shape as `field-maps/checklist.toml`), or says what is
/// wrong with it.
pub fn read_checklist(text: &str) -> Result<Checklist, String> {
    let checklist: Checklist = toml::from_str(text).map_err(|e| e.message().to_owned())?;
    if checklist.question.is_empty() {
        return Err("it has no [[question]]".to_owned());
    }
    for (i, q) in checklist.question.iter().enumerate() {
        if q.text.trim().is_empty() {
            return Err(format!("question {} has no text", i + 1));
        }
        if !ANSWERABLE.contains(&q.category.as_str()) {
            return Err(format!(
                "question {} ({:?}): category {:?} is not one CRM data answers; the categories are {} (prompt strategy is not answerable from CRM data)",
                i + 1,
                q.text,
                q.category,
                ANSWERABLE.join(", ")
            ));
        }
        if checklist.question[..i].iter().any(|p| p.text == q.text) {
            return Err(format!("question {:?} is given twice", q.text));
        }
    }
    Ok(checklist)
}

fn severity_rank(s: &str) -> u8 {
    match s {
        "high" => 0,
        "medium" => 1,
        _ => 2,
    }
}

fn share(v: f64) -> String {
    let p = v * 100.0;
    if (p - p.round()).abs() < 0.05 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

fn value(r: &RequirementReport, v: f64) -> String {
    match r.measure {
        "count" | "reachable" => thousands(v as u64),
        _ => share(v),
    }
}

/// The observed share and the threshold, with as many decimals as it takes for a share
/// below (or above) its threshold not to print as equal to it: 89.99% is not "90%".
fn two_shares(observed: f64, threshold: f64) -> (String, String) {
    for decimals in 0..4 {
        let a = format!("{:.*}%", decimals, observed * 100.0);
        let b = format!("{:.*}%", decimals, threshold * 100.0);
        if a != b || observed == threshold {
            return (a, b);
        }
    }
    (
        format!("{:.4}%", observed * 100.0),
        format!("{:.4}%", threshold * 100.0),
    )
}

/// "industry is 41% populated on 12,000 contacts; 60% needed by AI email personalization".
fn gap_words(uc: &UseCaseReport, r: &RequirementReport, rows: u64) -> String {
    let (observed, threshold) = match (r.observed, r.measure) {
        (None, _) => ("not measured".to_owned(), value(r, r.threshold)),
        (Some(v), "count" | "reachable") => (value(r, v), value(r, r.threshold)),
        (Some(v), _) => two_shares(v, r.threshold),
    };
    let what = match r.measure {
        "fill" => "populated",
        "valid" => "valid",
        "fresh" => "fresh",
        "duplicates" => "duplicated",
        "dominant" => "one value",
        "count" => "records",
        "reachable" => "reachable",
        other => other,
    };
    let condition = r
        .condition
        .as_ref()
        .map(|c| format!(" ({c})"))
        .unwrap_or_default();
    let limit = if matches!(r.measure, "duplicates" | "dominant") {
        "at most"
    } else {
        "at least"
    };
    if r.status == Status::AtRisk {
        // Met, but not by enough: the reason says why (a thin margin, unknown consent).
        return format!(
            "{} [{}]{condition}: {}; at risk in {}",
            r.field, r.measure, r.reason, uc.title
        );
    }
    match r.measure {
        "count" => format!(
            "{observed} records{condition}; {limit} {threshold} needed by {}",
            uc.title
        ),
        "reachable" => format!(
            "{observed} {what} email addresses; {limit} {threshold} needed by {}",
            uc.title
        ),
        _ => format!(
            "{}{condition} is {observed} {what} on {} records; {limit} {threshold} needed by {}",
            r.field,
            thousands(rows),
            uc.title
        ),
    }
}

/// The diagnostic of a report.
pub fn diagnose(report: &Report, checklist: &Checklist) -> Diagnostic {
    let mut findings = Vec::new();
    // One workflow finding per field, measure and segment, naming every use case it holds
    // back: (key, use case titles), and the findings in the same order.
    type Key = (String, &'static str, String, String, String);
    let mut workflow: Vec<(Key, Vec<String>)> = Vec::new();
    let mut workflow_findings: Vec<Finding> = Vec::new();
    let several = report.files.len() > 1;
    for file in &report.files {
        let in_file = |text: String| {
            if several {
                format!("{} (in {})", text, file.input.path)
            } else {
                text
            }
        };
        for uc in &file.use_cases {
            if matches!(uc.verdict, Verdict::NotApplicable) {
                continue;
            }
            // Goal misalignment: the export has none of the use case's fields.
            // Field requirements only: a record count is measured on any export.
            let on_fields: Vec<&RequirementReport> = uc
                .requirements
                .iter()
                .filter(|r| r.measure != "count")
                .collect();
            if !on_fields.is_empty()
                && on_fields
                    .iter()
                    .all(|r| r.status == Status::Unknown && r.column.is_none())
            {
                findings.push(Finding {
                    category: "goal_misalignment",
                    severity: "high",
                    use_case: Some(uc.id.clone()),
                    field: None,
                    measure: None,
                    observed: None,
                    threshold: None,
                    records: 0,
                    evidence: in_file(if on_fields.len() == 1 {
                        format!(
                            "{}: the one field it requires is not in the export ({})",
                            uc.title,
                            uc.to_ready.re_export.join(", ")
                        )
                    } else {
                        format!(
                            "{}: none of its {} required fields is in the export ({})",
                            uc.title,
                            on_fields.len(),
                            uc.to_ready.re_export.join(", ")
                        )
                    }),
                    fix: "export again with these columns, or drop the use case until the CRM holds them".to_owned(),
                    proof: "the next run judges the use case instead of reporting it unknown".to_owned(),
                });
                continue;
            }
            for r in &uc.requirements {
                if r.status == Status::Unknown {
                    // An export gap: the column is not there to be measured.
                    findings.push(Finding {
                        category: "data_quality",
                        severity: "high",
                        use_case: Some(uc.id.clone()),
                        field: Some(r.field.clone()),
                        measure: Some(r.measure.to_owned()),
                        observed: None,
                        threshold: Some(r.threshold),
                        records: 0,
                        evidence: in_file(if r.column.is_some() {
                            format!("{} cannot be measured: {}", r.field, r.reason)
                        } else if r.field.contains(" or ") {
                            format!(
                                "none of {} is in the export; {} needs one of them",
                                r.field.replace(" or ", ", "),
                                uc.title
                            )
                        } else {
                            format!("{} is not in the export; {} needs it", r.field, uc.title)
                        }),
                        fix: if r.column.is_some() {
                            "change the dictionary as the reason says; the column is in the export"
                                .to_owned()
                        } else {
                            "export again with the column (see re_export), or fill it in the CRM first"
                                .to_owned()
                        },
                        proof: "the next run measures it instead of reporting it unknown".to_owned(),
                    });
                    continue;
                }
                if !matches!(r.status, Status::Failed | Status::AtRisk) {
                    continue;
                }
                let blocked = r.status == Status::Failed;
                findings.push(Finding {
                    category: "data_quality",
                    severity: if blocked { "high" } else { "medium" },
                    use_case: Some(uc.id.clone()),
                    field: Some(r.field.clone()),
                    measure: Some(r.measure.to_owned()),
                    observed: r.observed,
                    threshold: Some(r.threshold),
                    records: r.records_needed,
                    evidence: in_file(gap_words(uc, r, file.rows)),
                    fix: r.action.clone().unwrap_or_else(|| {
                        format!("keep {} [{}] clear of the threshold", r.field, r.measure)
                    }),
                    proof: format!(
                        "{} [{}] reaches {} in the next run's history",
                        r.field,
                        r.measure,
                        value(r, r.threshold)
                    ),
                });
                // Workflow alignment: one segment holds most of the records that fail.
                for b in &r.segments {
                    let failing: u64 = b
                        .segments
                        .iter()
                        .chain(&b.other)
                        .map(|s| s.rows - s.passing)
                        .sum();
                    let listed = b.segments.len() + usize::from(b.other.is_some());
                    let Some(top) = b.segments.iter().max_by_key(|s| s.rows - s.passing) else {
                        continue;
                    };
                    let top_failing = top.rows - top.passing;
                    if failing >= 5 && listed >= 2 && top_failing * 2 > failing {
                        let key = (
                            r.field.clone(),
                            r.measure,
                            b.by.clone(),
                            top.segment.clone(),
                            file.input.path.clone(),
                        );
                        if let Some((_, titles)) = workflow.iter_mut().find(|(k, _)| *k == key) {
                            titles.push(uc.title.clone());
                            continue;
                        }
                        workflow.push((key.clone(), vec![uc.title.clone()]));
                        workflow_findings.push(Finding {
                            category: "workflow_alignment",
                            severity: if blocked { "high" } else { "medium" },
                            use_case: Some(uc.id.clone()),
                            field: Some(r.field.clone()),
                            measure: Some(r.measure.to_owned()),
                            observed: Some(top_failing as f64 / failing as f64),
                            threshold: None,
                            // The segment's share of this requirement's own need.
                            records: top.records_needed.min(r.records_needed),
                            evidence: in_file(format!(
                                "{} of the {} records that fail {} [{}] have {} = {:?}",
                                share(top_failing as f64 / failing as f64),
                                thousands(failing),
                                r.field,
                                r.measure,
                                b.by,
                                top.segment
                            )),
                            fix: format!(
                                "find the process behind {} = {:?} (an import, a form, an integration user) and make it {} {}",
                                b.by,
                                top.segment,
                                match r.measure {
                                    "valid" => "enter valid values of",
                                    "fresh" => "keep current",
                                    _ => "fill",
                                },
                                r.field
                            ),
                            proof: format!(
                                "the next run with --by {} shows the share of {:?} falling",
                                b.by, top.segment
                            ),
                        });
                    }
                }
            }
        }
        // Consent: contacts or leads with email but no consent column.
        if let Some(reach) = &file.reach
            && reach.consent_columns.is_empty()
        {
            findings.push(Finding {
                category: "measurement_gaps",
                severity: "medium",
                use_case: None,
                field: Some("email_opt_out".to_owned()),
                measure: None,
                observed: None,
                threshold: None,
                records: 0,
                evidence: in_file(format!(
                    "no consent column (opt-out, marketing status, bounce) in the export: who may be emailed among {} valid addresses cannot be known",
                    thousands(reach.addresses)
                )),
                fix: "export again with the opt-out and marketing-status columns".to_owned(),
                proof: "the next run reports reach with the suppression applied".to_owned(),
            });
        }
    }
    for ((_, titles), mut finding) in workflow.into_iter().zip(workflow_findings) {
        finding.evidence = format!("{} (holds back {})", finding.evidence, titles.join(", "));
        findings.push(finding);
    }
    match &report.history {
        None => findings.push(Finding {
            category: "measurement_gaps",
            severity: "medium",
            use_case: None,
            field: None,
            measure: None,
            observed: None,
            threshold: None,
            records: 0,
            evidence: "this run is not kept in a history: no baseline, so no fix can be shown to work and no regression can be seen".to_owned(),
            fix: "run nightly with --history FILE, and pin a baseline with crm-ready history pin FILE".to_owned(),
            proof: "the report's SINCE LAST RUN block and history section".to_owned(),
        }),
        Some(h) if h.baseline.is_none() => findings.push(Finding {
            category: "measurement_gaps",
            severity: "low",
            use_case: None,
            field: None,
            measure: None,
            observed: None,
            threshold: None,
            records: 0,
            evidence: format!(
                "runs are kept in {}, but no baseline is pinned: progress is measured against the previous run only",
                h.file
            ),
            fix: format!("crm-ready history pin {} (before the fixes start)", h.file),
            proof: "the report compares every run with the baseline".to_owned(),
        }),
        Some(_) => {}
    }
    findings.sort_by(|a, b| {
        severity_rank(a.severity)
            .cmp(&severity_rank(b.severity))
            .then(b.records.cmp(&a.records))
            .then(a.evidence.cmp(&b.evidence))
    });
    let checklist = checklist
        .question
        .iter()
        .map(|q| answer(q, report, &findings))
        .collect();
    Diagnostic {
        findings,
        checklist,
        not_answerable: vec![NotAnswerable {
            category: "prompt_strategy".to_owned(),
            why: "prompts, instructions, examples and brand voice live in the AI tools, not in the CRM".to_owned(),
        }],
    }
}

/// The answer of a rule that finds gaps: `no` with the gaps; `unknown` with why, when the
/// export holds nothing to judge by; else `yes` with what supports it.
fn settle(
    gaps: Vec<String>,
    nothing_to_judge: Option<String>,
    support: Vec<String>,
) -> (&'static str, Vec<String>) {
    match nothing_to_judge {
        _ if !gaps.is_empty() => ("no", gaps),
        Some(why) => ("unknown", vec![why]),
        None => ("yes", support),
    }
}

fn answer(q: &Question, report: &Report, findings: &[Finding]) -> ChecklistAnswer {
    fn of<'a>(findings: &'a [Finding], category: &'a str) -> impl Iterator<Item = &'a Finding> {
        findings.iter().filter(move |f| f.category == category)
    }
    let of = |category: &'static str| of(findings, category);
    let measured = |measures: &[&str]| {
        report
            .files
            .iter()
            .flat_map(|f| &f.use_cases)
            .filter(|u| u.verdict != Verdict::NotApplicable)
            .flat_map(|u| &u.requirements)
            .filter(|r| measures.contains(&r.measure) && r.status != Status::Unknown)
            .count()
    };
    let gaps = |measures: &[&str]| -> Vec<String> {
        // Measured gaps; a missing column is said once, below, as what the export lacks.
        of("data_quality")
            .filter(|f| f.observed.is_some())
            .filter(|f| f.measure.as_deref().is_some_and(|m| measures.contains(&m)))
            .map(|f| f.evidence.clone())
            .collect()
    };
    let (answer, evidence): (&'static str, Vec<String>) = match q.answer_by {
        Rule::CompleteRecordsAndIntent => {
            let mut evidence = gaps(&["fill", "valid"]);
            let total = measured(&["fill", "valid"]);
            let fields: Vec<&crate::model::FieldReport> =
                report.files.iter().flat_map(|f| &f.fields).collect();
            let intent: Vec<String> = fields
                .iter()
                .filter(|f| {
                    f.canonical
                        .as_deref()
                        .is_some_and(|c| INTENT_FIELDS.contains(&c))
                })
                .map(|f| format!("{} {} populated", f.column, share(f.fill_rate)))
                .collect();
            if intent.is_empty() {
                evidence.push(format!(
                    "no intent or engagement signal in the export (none of {})",
                    INTENT_FIELDS.join(", ")
                ));
            } else {
                evidence.push(format!("intent signals: {}", intent.join(", ")));
            }
            let gaps = evidence.len() - 1 + usize::from(intent.is_empty());
            let answer = if gaps == 0 {
                "yes"
            } else if gaps > total.max(1) / 2 || intent.is_empty() && gaps > 1 {
                "no"
            } else {
                "partly"
            };
            (answer, evidence)
        }
        Rule::Duplicates | Rule::Freshness => {
            let (measures, what): (&[&str], &str) = if q.answer_by == Rule::Duplicates {
                (&["duplicates"], "duplicate")
            } else {
                (&["fresh"], "freshness")
            };
            let mut evidence = gaps(measures);
            let total = measured(measures);
            let answer = match (evidence.len(), total) {
                (_, 0) => "unknown",
                (0, _) => "yes",
                (n, t) if n >= t => "no",
                _ => "partly",
            };
            match answer {
                "unknown" => evidence.push(format!(
                    "no {what} requirement could be measured on this export"
                )),
                "yes" => evidence.push(format!(
                    "{total} {what} requirement{} measured, all met",
                    if total == 1 { "" } else { "s" }
                )),
                _ => {}
            }
            (answer, evidence)
        }
        Rule::Ownership => {
            let evidence: Vec<String> = of("workflow_alignment")
                .map(|f| f.evidence.clone())
                .collect();
            let broken_down = report
                .files
                .iter()
                .flat_map(|f| &f.use_cases)
                .flat_map(|u| &u.requirements)
                .filter(|r| !r.segments.is_empty())
                .count();
            settle(
                evidence,
                (broken_down == 0).then(|| {
                    "no gap was broken down by segment: run with --by owner (or --by lead_source)"
                        .to_owned()
                }),
                vec![format!(
                    "{broken_down} gap{} broken down by segment; none is concentrated in one",
                    if broken_down == 1 { "" } else { "s" }
                )],
            )
        }
        Rule::Baseline => match &report.history {
            None => ("no", vec!["runs are not kept (no --history)".to_owned()]),
            Some(h) if h.baseline.is_none() => (
                "partly",
                vec![format!("runs kept in {}, no baseline pinned", h.file)],
            ),
            Some(h) => (
                "yes",
                vec![format!("runs kept in {}, baseline pinned", h.file)],
            ),
        },
        Rule::Consent => {
            let evidence: Vec<String> = of("measurement_gaps")
                .filter(|f| f.field.as_deref() == Some("email_opt_out"))
                .map(|f| f.evidence.clone())
                .collect();
            let with_consent: Vec<String> = report
                .files
                .iter()
                .filter_map(|f| f.reach.as_ref())
                .filter(|r| !r.consent_columns.is_empty())
                .map(|r| format!("consent from {}", r.consent_columns.join(", ")))
                .collect();
            settle(
                evidence,
                with_consent
                    .is_empty()
                    .then(|| "no email reach was measured on this export".to_owned()),
                with_consent,
            )
        }
        Rule::FeedsUseCases => {
            let evidence: Vec<String> = of("goal_misalignment")
                .map(|f| f.evidence.clone())
                .collect();
            let judged = report
                .summary
                .use_cases
                .iter()
                .filter(|u| u.verdict != Verdict::NotApplicable)
                .count();
            settle(
                evidence,
                (judged == 0)
                    .then(|| "no use case of the dictionary applies to these records".to_owned()),
                vec![format!(
                    "each of the {judged} use case{} that apply has fields in the export",
                    if judged == 1 { "" } else { "s" }
                )],
            )
        }
    };
    ChecklistAnswer {
        question: q.text.clone(),
        category: q.category.clone(),
        answer,
        evidence,
    }
}
