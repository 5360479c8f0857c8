//! The terminal report: verdicts first, then what to fix, then every field with a fill bar.

use std::io::{self, Write};

use crate::shown::escape_control;

use super::{by_severity, input_notes, map_description, percent, read_description};
use crate::model::{FieldReport, FixFirst, InputReport, Report, UseCaseReport, Verdict};

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
    if report.files.is_empty() {
        for input in &report.inputs {
            write_input(input, style, out)?;
        }
        writeln!(out)?;
        write_use_cases(&by_severity(&report.use_cases), false, style, out)?;
        write_fix_first(&report.fix_first, false, style, out)?;
        write_fields(&report.fields, style, out)?;
    } else {
        for file in &report.files {
            write_input(&file.input, style, out)?;
            writeln!(out)?;
            write_use_cases(&by_severity(&file.use_cases), false, style, out)?;
            write_fix_first(&file.fix_first, false, style, out)?;
            write_fields(&file.fields, style, out)?;
            writeln!(out)?;
        }
        writeln!(
            out,
            "{}",
            style.bold(&format!(
                "== SUMMARY: {} files, {} records ==",
                report.files.len(),
                report.rows
            ))
        )?;
        writeln!(out)?;
        write_use_cases(&by_severity(&report.use_cases), true, style, out)?;
        write_fix_first(&report.fix_first, true, style, out)?;
    }
    for skipped in &report.skipped {
        writeln!(
            out,
            "skipped: {} ({})",
            escape_control(&skipped.path),
            escape_control(&skipped.reason)
        )?;
    }
    for error in &report.errors {
        writeln!(
            out,
            "{} {}",
            style.paint("1;31", "not audited:"),
            escape_control(&error.message)
        )?;
    }
    Ok(())
}

fn write_input(input: &InputReport, style: Style, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", style.bold(&escape_control(&input.path)))?;
    let records = if input.rows == 1 { "record" } else { "records" };
    writeln!(
        out,
        "  {} {records} · {} · {}",
        input.rows,
        map_description(input),
        read_description(input)
    )?;
    for note in input_notes(input) {
        writeln!(out, "  note: {}", escape_control(&note))?;
    }
    Ok(())
}

fn write_use_cases(
    use_cases: &[&UseCaseReport],
    show_file: bool,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, "{}", style.bold("USE CASES"))?;
    let title_width = use_cases
        .iter()
        .map(|u| u.title.chars().count())
        .max()
        .unwrap_or(0);
    for uc in use_cases {
        let label = uc.verdict.label().to_uppercase();
        let mut reasons: Vec<String> = match &uc.note {
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
        if let (true, Some(file)) = (show_file, &uc.file) {
            reasons.insert(0, format!("in {}", escape_control(file)));
        }
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
    writeln!(out)
}

fn write_fix_first(
    fixes: &[FixFirst],
    show_file: bool,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, "{}", style.bold("FIX FIRST"))?;
    if fixes.is_empty() {
        writeln!(out, "  nothing blocks a use case")?;
    }
    let field_width = fixes
        .iter()
        .map(|f| f.field.chars().count())
        .max()
        .unwrap_or(0);
    for (i, fix) in fixes.iter().enumerate() {
        let what = if fix.in_export {
            let s = if fix.records_needed == 1 { "" } else { "s" };
            format!(
                "fill {} more record{s} to reach {}",
                fix.records_needed,
                percent(fix.threshold)
            )
        } else {
            let s = if fix.records_needed == 1 { "" } else { "s" };
            format!(
                "add the column and fill {} record{s} ({})",
                fix.records_needed,
                percent(fix.threshold)
            )
        };
        let unblocks = if fix.unblocks.is_empty() {
            format!("needed by {}", fix.affects.join(", "))
        } else {
            format!("unblocks {}", fix.unblocks.join(", "))
        };
        let file = match (show_file, &fix.file) {
            (true, Some(file)) => format!(" [{}]", escape_control(file)),
            _ => String::new(),
        };
        writeln!(
            out,
            "  {:>2}. {}  {what}; {unblocks}{file}",
            i + 1,
            pad(&fix.field, field_width)
        )?;
    }
    writeln!(out)
}

fn write_fields(fields: &[FieldReport], style: Style, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", style.bold("FIELDS"))?;
    let column_width = fields
        .iter()
        .map(|f| escape_control(&f.column).chars().count())
        .max()
        .unwrap_or(0)
        .max(6);
    let canonical_width = fields
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
    for f in fields {
        writeln!(
            out,
            "  {}  {}  {}  {:>5}  {:>9}  {:>9}  {:>11}",
            pad(&escape_control(&f.column), column_width),
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
