//! Markdown: the same decision-first report as the terminal, for pasting into a ticket.

use std::io::{self, Write};

use crate::model::{FieldReport, FixFirst, InputReport, ReExport, Report, UseCaseReport, Verdict};
use crate::shown::thousands;
use crate::shown::{code_span, escape_control};

use super::{
    FieldList, closest_to_ready, input_notes, listed_fields, map_description, percent,
    read_description, verdict_tally,
};

/// Text for a table cell or list item: control characters escaped, pipes escaped.
pub(super) fn cell(text: &str) -> String {
    plain(&escape_control(text)).replace('|', "\\|")
}

/// Names from the export are text, not markup: outside code spans (which show their text as
/// is), `<`, `>`, `[` and `]` are escaped, so no HTML or link can be slipped in.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            let fence_len = rest.len() - rest.trim_start_matches('`').len();
            let fence = &rest[..fence_len];
            // The span ends at the next run of exactly as many backticks.
            let body = &rest[fence_len..];
            let close = body.match_indices(fence).find(|(i, _)| {
                !body[i + fence_len..].starts_with('`') && (*i == 0 || !body[..*i].ends_with('`'))
            });
            match close {
                Some((i, _)) => {
                    out.push_str(&rest[..fence_len + i + fence_len]);
                    rest = &rest[fence_len + i + fence_len..];
                }
                None => {
                    out.push_str(fence);
                    rest = body;
                }
            }
            continue;
        }
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            c => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// A name from the export (a path, a column) as a code span that no backtick can break.
fn code(text: &str) -> String {
    cell(&code_span(text))
}

pub fn render(report: &Report, fields: FieldList, out: &mut dyn Write) -> io::Result<()> {
    let summary = &report.summary;
    let several = report.files.len() > 1;
    writeln!(out, "# CRM data readiness")?;
    writeln!(out)?;
    writeln!(
        out,
        "**{} file{}, {} record{}: {}**",
        report.files.len(),
        if report.files.len() == 1 { "" } else { "s" },
        thousands(summary.rows),
        if summary.rows == 1 { "" } else { "s" },
        verdict_tally(&summary.verdicts)
    )?;
    writeln!(out)?;
    for file in &report.files {
        write_input(&file.input, out)?;
    }
    writeln!(out)?;
    if let Some(history) = &report.history {
        writeln!(out, "## Since last run")?;
        writeln!(out)?;
        match &history.previous {
            None => writeln!(
                out,
                "First run of this input in {} (run {}).",
                code(&history.file),
                history.run_id
            )?,
            Some(previous) => {
                writeln!(
                    out,
                    "Against run {} ({}, as of {}):",
                    previous.run_id, previous.run_at, previous.as_of
                )?;
                writeln!(out)?;
                for line in super::since_lines(previous) {
                    writeln!(out, "- {}", cell(&line))?;
                }
            }
        }
        if let Some(baseline) = &history.baseline {
            writeln!(out)?;
            writeln!(
                out,
                "Since the baseline (run {}, as of {}): {}.",
                baseline.run_id,
                baseline.as_of,
                super::since_tally(baseline)
            )?;
        }
        writeln!(out)?;
    }
    write_use_cases(&summary.use_cases, several, "##", out)?;
    write_fix_first(&summary.fix_first, several, "##", out)?;
    write_re_export(&summary.re_export, several, "##", out)?;
    for file in &report.files {
        let listed = listed_fields(&file.fields, &file.use_cases, fields);
        if several {
            writeln!(out, "## {}", code(&file.input.path))?;
            writeln!(out)?;
            write_use_cases(&file.use_cases, false, "###", out)?;
        }
        if fields != FieldList::None {
            write_fields(
                &listed,
                file.fields.len(),
                if several { "###" } else { "##" },
                out,
            )?;
            writeln!(out)?;
        }
        let shown = super::shown_values(&file.fields);
        if !shown.is_empty() {
            writeln!(
                out,
                "{} Values (`--show-values`: up to 5 examples each; emails and phones masked)",
                if several { "###" } else { "##" }
            )?;
            writeln!(out)?;
            for (column, lines) in shown {
                writeln!(out, "- {}: {}", code(&column), cell(&lines.join("; ")))?;
            }
            writeln!(out)?;
        }
    }
    if !report.skipped.is_empty() || !report.errors.is_empty() {
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
        thousands(input.rows),
        if input.rows == 1 { "record" } else { "records" },
        cell(&map_description(input)),
        cell(&read_description(input))
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
    writeln!(out, "{h} Use cases, closest to ready first")?;
    writeln!(out)?;
    writeln!(out, "| Use case | Verdict | To ready | Why |")?;
    writeln!(out, "|---|---|---|---|")?;
    for uc in closest_to_ready(use_cases) {
        let to_ready = &uc.to_ready;
        let mut distance = Vec::new();
        if to_ready.records > 0 {
            distance.push(format!(
                "fix {} record{} ({})",
                thousands(to_ready.records),
                if to_ready.records == 1 { "" } else { "s" },
                to_ready.fill.join(", ")
            ));
        }
        if !to_ready.re_export.is_empty() {
            distance.push(format!(
                "export again with {}",
                to_ready
                    .re_export
                    .iter()
                    .map(|l| code_span(l))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let mut why: Vec<String> = match &uc.note {
            Some(note) => vec![note.clone()],
            None => uc
                .requirements
                .iter()
                .filter(|r| !r.met || uc.verdict != Verdict::Blocked)
                .map(|r| {
                    let mut line =
                        format!("{}: {}", code_span(&super::requirement_label(r)), r.reason);
                    for by in super::segment_lines(r) {
                        line.push_str(&format!(" ({})", by.trim()));
                    }
                    line
                })
                .collect(),
        };
        if let (true, Some(file)) = (show_file, &uc.file) {
            why.insert(0, format!("in {}", code_span(file)));
        }
        writeln!(
            out,
            "| {} | **{}** | {} | {} |",
            cell(&uc.title),
            uc.verdict.label(),
            cell(&distance.join("; ")),
            why.iter().map(|w| cell(w)).collect::<Vec<_>>().join("<br>")
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
        writeln!(out, "Nothing to fix: no requirement fails on the data.")?;
        return writeln!(out);
    }
    writeln!(out, "| # | Action | Records | Unblocks | Also needed by |")?;
    writeln!(out, "|---|---|---:|---|---|")?;
    for (i, fix) in fixes.iter().enumerate() {
        let mut fields: Vec<String> = fix
            .fields
            .iter()
            .map(|f| format!("{}: {}", code_span(&super::fix_label(f)), f.action))
            .collect();
        if let (true, Some(file)) = (show_file, &fix.file) {
            fields.push(format!("in {}", code_span(file)));
        }
        let others: Vec<&str> = fix
            .affects
            .iter()
            .filter(|a| !fix.unblocks.contains(a))
            .map(String::as_str)
            .collect();
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            i + 1,
            cell(&fields.join(" + ")),
            thousands(fix.records_needed),
            fix.unblocks.join(", "),
            others.join(", ")
        )?;
    }
    writeln!(out)
}

fn write_re_export(
    re_export: &[ReExport],
    show_file: bool,
    h: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    if re_export.is_empty() {
        return Ok(());
    }
    writeln!(out, "{h} Export again with")?;
    writeln!(out)?;
    writeln!(
        out,
        "The export lacks these columns: export it again with them (no record needs filling for this)."
    )?;
    writeln!(out)?;
    for r in re_export {
        let file = match (show_file, &r.file) {
            (true, Some(file)) => format!(" in {}", code(file)),
            _ => String::new(),
        };
        writeln!(
            out,
            "- {} (`{}`): needed by {}{file}",
            code(&r.label),
            r.field,
            r.use_cases.join(", ")
        )?;
    }
    writeln!(out)
}

fn write_fields(
    fields: &[&FieldReport],
    total: usize,
    h: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    if fields.len() == total {
        writeln!(out, "{h} Fields")?;
    } else {
        writeln!(
            out,
            "{h} Fields ({} of {total}: those the use cases need or with placeholders)",
            fields.len()
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "| Column | Canonical | Fill rate | Valid | Filled | Blank | Placeholder | Findings |"
    )?;
    writeln!(out, "|---|---|---:|---:|---:|---:|---:|---|")?;
    for f in fields {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(&f.column),
            f.canonical
                .as_deref()
                .map_or(String::new(), |c| format!("`{c}`")),
            percent(f.fill_rate),
            f.valid_rate.map_or("-".to_owned(), percent),
            thousands(f.filled),
            thousands(f.blank),
            thousands(f.placeholder),
            cell(&super::findings(f))
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_outside_code_spans_only() {
        assert_eq!(
            cell("a <b>x</b> [l](u)"),
            "a &lt;b&gt;x&lt;/b&gt; \\[l\\](u)"
        );
        assert_eq!(
            cell("in `<b>` and ``a`[b]`` ok"),
            "in `<b>` and ``a`[b]`` ok"
        );
        assert_eq!(cell("a | b"), "a \\| b");
    }
}
