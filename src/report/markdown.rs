//! Markdown: the same tables as the terminal, for pasting into a ticket.

use std::io::{self, Write};

use crate::shown::{code_span, escape_control};

use super::{by_severity, input_notes, map_description, percent, read_description};
use crate::model::{FieldReport, FixFirst, InputReport, Report, UseCaseReport, Verdict};

/// Table cells may not hold a pipe or a line break.
/// Text for a table cell or list item: control characters escaped, pipes escaped.
fn cell(text: &str) -> String {
    escape_control(text).replace('|', "\\|")
}

/// A name from the export (a path, a column) as a code span that no backtick can break.
fn code(text: &str) -> String {
    cell(&code_span(text))
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "# CRM data readiness")?;
    writeln!(out)?;
    if report.files.is_empty() {
        for input in &report.inputs {
            write_input(input, out)?;
        }
        writeln!(out)?;
        write_use_cases(&report.use_cases, false, "##", out)?;
        write_fix_first(&report.fix_first, false, "##", out)?;
        write_fields(&report.fields, "##", out)?;
    } else {
        writeln!(
            out,
            "## Summary: {} files, {} records",
            report.files.len(),
            report.rows
        )?;
        writeln!(out)?;
        for input in &report.inputs {
            write_input(input, out)?;
        }
        writeln!(out)?;
        write_use_cases(&report.use_cases, true, "###", out)?;
        write_fix_first(&report.fix_first, true, "###", out)?;
        for file in &report.files {
            writeln!(out, "## {}", code(&file.input.path))?;
            writeln!(out)?;
            write_use_cases(&file.use_cases, false, "###", out)?;
            write_fields(&file.fields, "###", out)?;
            writeln!(out)?;
        }
    }
    if !report.skipped.is_empty() || !report.errors.is_empty() {
        writeln!(out)?;
        writeln!(out, "## Not audited")?;
        writeln!(out)?;
        for skipped in &report.skipped {
            writeln!(
                out,
                "- {}: skipped, {}",
                code(&skipped.path),
                cell(&skipped.reason)
            )?;
        }
        for error in &report.errors {
            writeln!(out, "- **error**: {}", cell(&error.message))?;
        }
    }
    Ok(())
}

fn write_input(input: &InputReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "- {}: {} {}, {}, {}",
        code(&input.path),
        input.rows,
        if input.rows == 1 { "record" } else { "records" },
        map_description(input),
        read_description(input)
    )?;
    for note in input_notes(input) {
        writeln!(out, "  - {}", cell(&note))?;
    }
    Ok(())
}

fn write_use_cases(
    use_cases: &[UseCaseReport],
    show_file: bool,
    h: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, "{h} Use cases")?;
    writeln!(out)?;
    writeln!(out, "| Use case | Verdict | Why |")?;
    writeln!(out, "|---|---|---|")?;
    for uc in by_severity(use_cases) {
        let mut why: Vec<String> = match &uc.note {
            Some(note) => vec![note.clone()],
            None => uc
                .requirements
                .iter()
                .filter(|r| !r.met || uc.verdict != Verdict::Blocked)
                .map(|r| format!("`{}`: {}", r.field, r.reason))
                .collect(),
        };
        if let (true, Some(file)) = (show_file, &uc.file) {
            why.insert(0, format!("in {}", code_span(file)));
        }
        writeln!(
            out,
            "| {} | **{}** | {} |",
            cell(&uc.title),
            uc.verdict.label(),
            cell(&why.join("<br>"))
        )?;
    }
    writeln!(out)
}

fn write_fix_first(
    fixes: &[FixFirst],
    show_file: bool,
    h: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, "{h} Fix first")?;
    writeln!(out)?;
    if fixes.is_empty() {
        writeln!(out, "Nothing blocks a use case.")?;
        return writeln!(out);
    }
    writeln!(
        out,
        "| # | Field | Records to fill | Target | Unblocks | Also needed by |"
    )?;
    writeln!(out, "|---|---|---:|---:|---|---|")?;
    for (i, fix) in fixes.iter().enumerate() {
        let mut field = match (&fix.column, fix.in_export) {
            (Some(column), true) if column != &fix.field => {
                format!("`{}` ({})", fix.field, cell(column))
            }
            (_, true) => format!("`{}`", fix.field),
            (_, false) => format!("`{}` (not in export)", fix.field),
        };
        if let (true, Some(file)) = (show_file, &fix.file) {
            field.push_str(&format!(" in {}", code(file)));
        }
        let others: Vec<&str> = fix
            .affects
            .iter()
            .filter(|a| !fix.unblocks.contains(a))
            .map(String::as_str)
            .collect();
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            i + 1,
            field,
            fix.records_needed,
            percent(fix.threshold),
            fix.unblocks.join(", "),
            others.join(", ")
        )?;
    }
    writeln!(out)
}

fn write_fields(fields: &[FieldReport], h: &str, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{h} Fields")?;
    writeln!(out)?;
    writeln!(
        out,
        "| Column | Canonical | Fill rate | Filled | Blank | Placeholder |"
    )?;
    writeln!(out, "|---|---|---:|---:|---:|---:|")?;
    for f in fields {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            cell(&f.column),
            f.canonical
                .as_deref()
                .map_or(String::new(), |c| format!("`{c}`")),
            percent(f.fill_rate),
            f.filled,
            f.blank,
            f.placeholder
        )?;
    }
    Ok(())
}
