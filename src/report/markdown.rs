//! Markdown: the same tables as the terminal, for pasting into a ticket.

use std::io::{self, Write};

use super::{by_severity, input_notes, map_description, percent};
use crate::model::{Report, Verdict};

/// Table cells may not hold a pipe or a line break.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "# CRM data readiness")?;
    writeln!(out)?;
    for input in &report.inputs {
        writeln!(
            out,
            "- `{}`: {} records, {}, {}, {} delimited",
            cell(&input.path),
            input.rows,
            map_description(input),
            input.encoding,
            input.delimiter
        )?;
        for note in input_notes(input) {
            writeln!(out, "  - {}", cell(&note))?;
        }
    }
    writeln!(out)?;
    writeln!(out, "## Use cases")?;
    writeln!(out)?;
    writeln!(out, "| Use case | Verdict | Why |")?;
    writeln!(out, "|---|---|---|")?;
    for uc in by_severity(report) {
        let why: Vec<String> = match &uc.note {
            Some(note) => vec![note.clone()],
            None => uc
                .requirements
                .iter()
                .filter(|r| !r.met || uc.verdict != Verdict::Blocked)
                .map(|r| format!("`{}`: {}", r.field, r.reason))
                .collect(),
        };
        writeln!(
            out,
            "| {} | **{}** | {} |",
            cell(&uc.title),
            uc.verdict.label(),
            cell(&why.join("<br>"))
        )?;
    }
    writeln!(out)?;
    writeln!(out, "## Fix first")?;
    writeln!(out)?;
    if report.fix_first.is_empty() {
        writeln!(out, "Nothing blocks a use case.")?;
    } else {
        writeln!(
            out,
            "| # | Field | Records to fill | Target | Unblocks | Also needed by |"
        )?;
        writeln!(out, "|---|---|---:|---:|---|---|")?;
        for (i, fix) in report.fix_first.iter().enumerate() {
            let field = match (&fix.column, fix.in_export) {
                (Some(column), true) if column != &fix.field => {
                    format!("`{}` ({})", fix.field, cell(column))
                }
                (_, true) => format!("`{}`", fix.field),
                (_, false) => format!("`{}` (not in export)", fix.field),
            };
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
    }
    writeln!(out)?;
    writeln!(out, "## Fields")?;
    writeln!(out)?;
    writeln!(
        out,
        "| Column | Canonical | Fill rate | Filled | Blank | Placeholder |"
    )?;
    writeln!(out, "|---|---|---:|---:|---:|---:|")?;
    for f in &report.fields {
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
