//! The terminal report: verdicts first, then what to fix, then every field with a fill bar.

use std::io::{self, Write};

use super::{by_severity, input_notes, map_description, percent};
use crate::model::{Report, Verdict};

/// Whether to colour the output. The caller decides (terminal, NO_COLOR); this only obeys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }

    fn verdict(self, verdict: Verdict, text: &str) -> String {
        let code = match verdict {
            Verdict::Ready => "32",
            Verdict::AtRisk => "33",
            Verdict::Blocked => "1;31",
            Verdict::NotApplicable => "2",
        };
        self.paint(code, text)
    }
}

const BAR_WIDTH: usize = 20;

fn bar(rate: f64) -> String {
    let full = ((rate * BAR_WIDTH as f64).round() as usize).min(BAR_WIDTH);
    format!("{}{}", "█".repeat(full), "░".repeat(BAR_WIDTH - full))
}

/// Pads to `width` characters (not bytes), after painting would break the count.
fn pad(text: &str, width: usize) -> String {
    let len = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(len)))
}

pub fn render(report: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    for input in &report.inputs {
        writeln!(out, "{}", style.bold(&input.path))?;
        writeln!(
            out,
            "  {} records · {} · {} · {} delimited",
            input.rows,
            map_description(input),
            input.encoding,
            input.delimiter
        )?;
        for note in input_notes(input) {
            writeln!(out, "  note: {note}")?;
        }
    }
    writeln!(out)?;

    writeln!(out, "{}", style.bold("USE CASES"))?;
    let title_width = report
        .use_cases
        .iter()
        .map(|u| u.title.chars().count())
        .max()
        .unwrap_or(0);
    for uc in by_severity(report) {
        let label = uc.verdict.label().to_uppercase();
        let reasons: Vec<String> = match &uc.note {
            Some(note) => vec![note.clone()],
            None if uc.verdict == Verdict::Blocked => uc
                .requirements
                .iter()
                .filter(|r| !r.met)
                .map(|r| format!("{}: {}", r.field, r.reason))
                .collect(),
            None if uc.verdict == Verdict::AtRisk => uc
                .requirements
                .iter()
                .filter(|r| r.reason.contains("within"))
                .map(|r| format!("{}: {}", r.field, r.reason))
                .collect(),
            None => vec!["every requirement met".to_owned()],
        };
        let indent = " ".repeat(2 + title_width + 2 + 14 + 2);
        for (i, reason) in reasons.iter().enumerate() {
            if i == 0 {
                writeln!(
                    out,
                    "  {}  {}  {reason}",
                    pad(&uc.title, title_width),
                    style.verdict(uc.verdict, &pad(&label, 14))
                )?;
            } else {
                writeln!(out, "{indent}{reason}")?;
            }
        }
    }
    writeln!(out)?;

    writeln!(out, "{}", style.bold("FIX FIRST"))?;
    if report.fix_first.is_empty() {
        writeln!(out, "  nothing blocks a use case")?;
    }
    let field_width = report
        .fix_first
        .iter()
        .map(|f| f.field.chars().count())
        .max()
        .unwrap_or(0);
    for (i, fix) in report.fix_first.iter().enumerate() {
        let what = if fix.in_export {
            let s = if fix.records_needed == 1 { "" } else { "s" };
            format!(
                "fill {} more record{s} to reach {}",
                fix.records_needed,
                percent(fix.threshold)
            )
        } else {
            format!(
                "add the column and fill {} records ({})",
                fix.records_needed,
                percent(fix.threshold)
            )
        };
        let unblocks = if fix.unblocks.is_empty() {
            format!("needed by {}", fix.affects.join(", "))
        } else {
            format!("unblocks {}", fix.unblocks.join(", "))
        };
        writeln!(
            out,
            "  {:>2}. {}  {what}; {unblocks}",
            i + 1,
            pad(&fix.field, field_width)
        )?;
    }
    writeln!(out)?;

    writeln!(out, "{}", style.bold("FIELDS"))?;
    let column_width = report
        .fields
        .iter()
        .map(|f| f.column.chars().count())
        .max()
        .unwrap_or(0)
        .max(6);
    let canonical_width = report
        .fields
        .iter()
        .map(|f| f.canonical.as_deref().map_or(1, |c| c.chars().count()))
        .max()
        .unwrap_or(0)
        .max(9);
    writeln!(
        out,
        "  {}  {}  {}  {:>5}  {:>9}  {:>9}  {:>11}",
        pad("COLUMN", column_width),
        pad("CANONICAL", canonical_width),
        pad("FILL", BAR_WIDTH),
        "RATE",
        "FILLED",
        "BLANK",
        "PLACEHOLDER"
    )?;
    for f in &report.fields {
        writeln!(
            out,
            "  {}  {}  {}  {:>5}  {:>9}  {:>9}  {:>11}",
            pad(&f.column, column_width),
            pad(f.canonical.as_deref().unwrap_or("-"), canonical_width),
            bar(f.fill_rate),
            percent(f.fill_rate),
            f.filled,
            f.blank,
            f.placeholder
        )?;
    }
    Ok(())
}
