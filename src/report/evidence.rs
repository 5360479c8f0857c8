//! The evidence brief (`crm-ready evidence`, `--format evidence`): one page of Markdown for the
//! AI failure diagnostic. Per finding: the symptom the team sees, the diagnostic category,
//! the root cause found in the data, the fix, and how the next run will show it worked; then
//! the checklist answers, and what CRM data cannot answer.

use std::io::{self, Write};

use crate::model::{Finding, Report};
use crate::shown::thousands;

/// The rows of the brief's table: the most severe first, at most this many.
const MAX_FINDINGS: usize = 12;

/// Text from an export or a dictionary, as the Markdown report shows it: no markup.
fn cell(text: &str) -> String {
    super::markdown::cell(text)
}

fn category(c: &str) -> &'static str {
    match c {
        "data_quality" => "Data quality",
        "workflow_alignment" => "Workflow alignment",
        "measurement_gaps" => "Measurement gaps",
        "goal_misalignment" => "Goal misalignment",
        "prompt_strategy" => "Prompt strategy",
        _ => "Other",
    }
}

/// What the team sees when this gap is there, in the diagnostic's terms.
fn symptom(f: &Finding) -> &'static str {
    if f.category == "data_quality" && f.observed.is_none() {
        return "the model cannot use a field it needs";
    }
    if f.category == "measurement_gaps" && f.field.as_deref() == Some("email_opt_out") {
        return "emails reach people who opted out, or bounce";
    }
    match (f.category, f.measure.as_deref()) {
        ("data_quality", Some("fill" | "valid")) => {
            "generic output: the model fills the blanks with guesses"
        }
        ("data_quality", Some("fresh")) => "stale recommendations: the model acts on old behaviour",
        ("data_quality", Some("duplicates")) => "the same person scored or emailed twice",
        ("data_quality", Some("dominant")) => {
            "a feature that never varies: the model learns nothing from it"
        }
        ("data_quality", Some("count")) => "too few examples: the model does not learn a pattern",
        ("data_quality", Some("reachable")) => "too few people the AI may email",
        ("data_quality", _) => "the model cannot use a field it needs",
        ("workflow_alignment", _) => "the same gaps come back after every clean-up",
        ("measurement_gaps", _) => "no one can say whether the AI project improved anything",
        ("goal_misalignment", _) => "a use case that never gets off the ground",
        _ => "",
    }
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let d = &report.diagnostic;
    writeln!(out, "# AI failure diagnostic: evidence from the CRM")?;
    writeln!(out)?;
    if report.files.is_empty() {
        writeln!(
            out,
            "No file could be audited: there is no evidence from the data."
        )?;
        writeln!(out)?;
        return write_not_audited(report, out);
    }
    let files: Vec<String> = report
        .files
        .iter()
        .map(|f| format!("`{}`", cell(&f.input.path)))
        .collect();
    writeln!(
        out,
        "{} ({} record{}), as of {}, crm-ready {}, dictionary {} ({}).",
        files.join(", "),
        thousands(report.summary.rows),
        if report.summary.rows == 1 { "" } else { "s" },
        report.as_of,
        report.tool_version,
        cell(&report.dictionary.name),
        report.dictionary.hash
    )?;
    writeln!(out)?;
    let v = &report.summary.verdicts;
    writeln!(
        out,
        "**Verdicts:** {} ready, {} at risk, {} blocked, {} unknown ({} not applicable to these records).",
        v.ready, v.at_risk, v.blocked, v.unknown, v.not_applicable
    )?;
    writeln!(out)?;
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for f in &d.findings {
        match counts.iter_mut().find(|(c, _)| *c == f.category) {
            Some((_, n)) => *n += 1,
            None => counts.push((f.category, 1)),
        }
    }
    counts.sort();
    let tally: Vec<String> = counts
        .iter()
        .map(|(c, n)| format!("{} {n}", category(c)))
        .collect();
    writeln!(
        out,
        "**Findings by category:** {}.",
        if tally.is_empty() {
            "none".to_owned()
        } else {
            tally.join(" · ")
        }
    )?;
    writeln!(out)?;
    writeln!(out, "## Symptom → category → root cause → fix → proof")?;
    writeln!(out)?;
    if d.findings.is_empty() {
        writeln!(out, "Nothing in the data holds the use cases back.")?;
    } else {
        writeln!(
            out,
            "| Severity | Symptom | Category | Root cause in the data | Fix | How the next run shows it |"
        )?;
        writeln!(out, "|---|---|---|---|---|---|")?;
        for f in d.findings.iter().take(MAX_FINDINGS) {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                f.severity,
                symptom(f),
                category(f.category),
                cell(&f.evidence),
                cell(&f.fix),
                cell(&f.proof)
            )?;
        }
        if d.findings.len() > MAX_FINDINGS {
            writeln!(out)?;
            writeln!(
                out,
                "{} more finding{} in the JSON report's `diagnostic` section (`--format json`).",
                d.findings.len() - MAX_FINDINGS,
                if d.findings.len() - MAX_FINDINGS == 1 {
                    ""
                } else {
                    "s"
                }
            )?;
        }
    }
    writeln!(out)?;
    writeln!(out, "## Checklist")?;
    writeln!(out)?;
    for a in &d.checklist {
        let answer = match a.answer {
            "yes" => "Yes",
            "partly" => "Partly",
            "no" => "No",
            _ => "Cannot tell from this export",
        };
        writeln!(out, "- \u{201c}{}\u{201d} **{answer}**", cell(&a.question))?;
        for e in &a.evidence {
            writeln!(out, "  - {}", cell(e))?;
        }
    }
    for n in &d.not_answerable {
        writeln!(
            out,
            "- {}: not answerable from CRM data ({})",
            category(&n.category),
            cell(&n.why)
        )?;
    }
    writeln!(out)?;
    writeln!(out, "## Baseline")?;
    writeln!(out)?;
    match &report.history {
        None => writeln!(
            out,
            "This run is not kept. Run it nightly with `--history FILE` and pin the first run as the baseline (`crm-ready history pin FILE`): each fix above then shows as a change against it."
        )?,
        Some(h) => {
            writeln!(
                out,
                "Run {} of `{}` in `{}`.",
                h.run_id,
                cell(&h.input),
                cell(&h.file)
            )?;
            match &h.baseline {
                Some(b) => writeln!(
                    out,
                    " Against the baseline (run {}, as of {}): {}.",
                    b.run_id,
                    b.as_of,
                    super::since_tally(b)
                )?,
                None => writeln!(
                    out,
                    " No baseline is pinned: `crm-ready history pin {}` makes this run the one every later run is compared with.",
                    cell(&h.file)
                )?,
            }
        }
    }
    if !report.errors.is_empty() || !report.skipped.is_empty() {
        writeln!(out)?;
        write_not_audited(report, out)?;
    }
    Ok(())
}

/// Files the evidence does not cover, so no one reads the brief as the whole export's.
fn write_not_audited(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## Not audited")?;
    writeln!(out)?;
    for e in &report.errors {
        writeln!(out, "- error: {}", cell(&e.message))?;
    }
    for s in &report.skipped {
        writeln!(out, "- {}: skipped, {}", cell(&s.path), cell(&s.reason))?;
    }
    Ok(())
}
