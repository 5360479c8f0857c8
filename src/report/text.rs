//! The terminal report. It leads with the decision: one line of verdict counts, the use cases
//! closest to ready first with how far each is, what to fix first and what to export again;
//! then the inputs and the fields behind it; and it ends on the same counts, so the last
//! screen says what the first did.

use std::io::{self, Write};

use crate::model::{
    FieldReport, FileReport, FixFirst, InputReport, ReExport, Report, UseCaseReport, Verdict,
};
use crate::shown::escape_control;
use crate::shown::thousands;

use super::{
    FieldList, closest_to_ready, input_notes, listed_fields, map_description, percent,
    read_description, verdict_tally,
};

/// How to draw the text report. The caller decides (terminal, NO_COLOR, width); this only
/// obeys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
    /// Lines are wrapped to this many characters.
    pub width: usize,
    pub fields: FieldList,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            color: false,
            width: 100,
            fields: FieldList::Used,
        }
    }
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
            Verdict::Unknown => "35",
            Verdict::NotApplicable => "2",
        };
        self.paint(code, text)
    }
}

const BAR_WIDTH: usize = 20;
/// Width of the verdict column: "NOT APPLICABLE".
const VERDICT_WIDTH: usize = 14;

/// The narrowest a bar gets before the table is let wrap.
const MIN_BAR_WIDTH: usize = 6;

fn bar(rate: f64, width: usize) -> String {
    let full = ((rate * width as f64).round() as usize).min(width);
    format!("{}{}", "█".repeat(full), "░".repeat(width - full))
}

/// Pads to `width` characters (not bytes).
fn pad(text: &str, width: usize) -> String {
    let len = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(len)))
}

/// Words of `text` in lines of at most `width - indent` characters; a word longer than that
/// is cut. Never empty.
fn wrap(text: &str, indent: usize, width: usize) -> Vec<String> {
    let room = width.saturating_sub(indent).max(20);
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let line = lines.last_mut().expect("never empty");
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > room {
            lines.push(String::new());
        }
        let line = lines.last_mut().expect("never empty");
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    for line in &mut lines {
        if line.chars().count() > room {
            *line = line.chars().take(room - 1).chain(['…']).collect();
        }
    }
    lines
}

/// Writes `text` after `first` (already `indent` characters wide), wrapped, with the
/// following lines indented to the same place.
fn write_wrapped(
    out: &mut dyn Write,
    first: &str,
    indent: usize,
    text: &str,
    width: usize,
) -> io::Result<()> {
    // Every text drawn from the export, the maps or the dictionary passes here: escaped once.
    let text = escape_control(text);
    for (i, line) in wrap(&text, indent, width).iter().enumerate() {
        if i == 0 {
            writeln!(out, "{first}{line}")?;
        } else {
            writeln!(out, "{}{line}", " ".repeat(indent))?;
        }
    }
    Ok(())
}

pub fn render(report: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let summary = &report.summary;
    let several = report.files.len() > 1;
    let files = format!("{} files", report.files.len());
    let records = if summary.rows == 1 {
        "record"
    } else {
        "records"
    };
    let inputs = match report.files.as_slice() {
        [one] => escape_control(&one.input.path).into_owned(),
        _ => files,
    };
    let headline = format!(
        "{inputs} · {} {records} · {}",
        thousands(summary.rows),
        verdict_tally(&summary.verdicts)
    );
    for line in wrap(&headline, 0, style.width) {
        writeln!(out, "{}", style.bold(&line))?;
    }
    writeln!(out)?;
    if let Some(history) = &report.history {
        write_since(history, style, out)?;
    }
    if let Some(worklist) = &report.worklist {
        let per_segment: Vec<String> = worklist
            .segments
            .iter()
            .map(|s| format!("{} {}", s.segment.join(" / "), thousands(s.rows)))
            .collect();
        write_wrapped(
            out,
            "",
            0,
            &escape_control(&format!(
                "WORK LIST: {} record{} to fix written to {} (by {}: {})",
                thousands(worklist.rows),
                if worklist.rows == 1 { "" } else { "s" },
                worklist.file,
                worklist.by.join(", "),
                per_segment.join(", ")
            )),
            style.width,
        )?;
        for note in &worklist.notes {
            write_wrapped(out, "  note: ", 8, &escape_control(note), style.width)?;
        }
        writeln!(out)?;
    }
    write_use_cases(&summary.use_cases, several, style, out)?;
    write_fix_first(&summary.fix_first, several, style, out)?;
    write_re_export(&summary.re_export, several, style, out)?;
    for file in &report.files {
        write_file(file, several, style, out)?;
    }
    for skipped in &report.skipped {
        write_wrapped(
            out,
            "skipped: ",
            9,
            &format!(
                "{} ({})",
                escape_control(&skipped.path),
                escape_control(&skipped.reason)
            ),
            style.width,
        )?;
    }
    for error in &report.errors {
        write_wrapped(
            out,
            &format!("{} ", style.paint("1;31", "not audited:")),
            13,
            &escape_control(&error.message),
            style.width,
        )?;
    }
    if !report.skipped.is_empty() || !report.errors.is_empty() {
        writeln!(out)?;
    }
    for line in wrap(
        &format!("verdicts: {}", verdict_tally(&summary.verdicts)),
        0,
        style.width,
    ) {
        writeln!(out, "{}", style.bold(&line))?;
    }
    Ok(())
}

/// One file: what was read, its own verdicts when there are several files, and its fields.
fn write_file(
    file: &FileReport,
    several: bool,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    write_input(&file.input, style, out)?;
    for name in &file.by_missing {
        write_wrapped(
            out,
            "  note: ",
            8,
            &format!(
                "no column for --by {}: nothing is broken down by it in this file",
                escape_control(name)
            ),
            style.width,
        )?;
    }
    if several {
        writeln!(out)?;
        write_use_cases(&file.use_cases, false, style, out)?;
    }
    write_fields(&file.fields, &file.use_cases, style, out)?;
    let shown = super::shown_values(&file.fields);
    if !shown.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            style.bold("VALUES (--show-values: up to 5 examples each; emails and phones masked)")
        )?;
        for (column, lines) in shown {
            writeln!(out, "  {}", escape_control(&column))?;
            for line in lines {
                write_wrapped(out, "    ", 4, &escape_control(&line), style.width)?;
            }
        }
    }
    writeln!(out)
}

fn write_input(input: &InputReport, style: Style, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", style.bold(&escape_control(&input.path)))?;
    let records = if input.rows == 1 { "record" } else { "records" };
    write_wrapped(
        out,
        "  ",
        2,
        &format!(
            "{} {records} · {} · {}",
            thousands(input.rows),
            map_description(input),
            read_description(input)
        ),
        style.width,
    )?;
    for note in input_notes(input) {
        write_wrapped(out, "  note: ", 8, &escape_control(&note), style.width)?;
    }
    Ok(())
}

/// What a use case needs, in a line or a few: how far from ready, then why.
fn use_case_lines(uc: &UseCaseReport) -> Vec<String> {
    let described = |r: &&crate::model::RequirementReport| {
        format!("{}: {}", super::requirement_label(r), r.reason)
    };
    let to_ready = &uc.to_ready;
    match uc.verdict {
        Verdict::NotApplicable => vec![uc.note.clone().unwrap_or_default()],
        Verdict::Ready => vec!["ready: every requirement met".to_owned()],
        Verdict::Unknown => {
            let mut lines = vec![uc.note.clone().unwrap_or_default()];
            if to_ready.records > 0 {
                lines.push(format!(
                    "then fix {} record{} ({})",
                    thousands(to_ready.records),
                    if to_ready.records == 1 { "" } else { "s" },
                    to_ready.fill.join(", ")
                ));
            }
            lines
        }
        Verdict::AtRisk | Verdict::Blocked => {
            let mut lines = vec![format!(
                "to ready: fix {} record{} ({}){}",
                thousands(to_ready.records),
                if to_ready.records == 1 { "" } else { "s" },
                to_ready.fill.join(", "),
                if to_ready.re_export.is_empty() {
                    String::new()
                } else {
                    format!(" and export again with {}", quoted(&to_ready.re_export))
                }
            )];
            // What fails first, then what is met by too little to be ready.
            for shown in [crate::model::Status::Failed, crate::model::Status::AtRisk] {
                for r in uc.requirements.iter().filter(|r| r.status == shown) {
                    lines.push(described(&r));
                    lines.extend(super::segment_lines(r));
                }
            }
            lines
        }
    }
}

/// The "SINCE LAST RUN" block: what moved since the previous run, and since the baseline.
fn write_since(
    history: &crate::model::HistoryReport,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let Some(previous) = &history.previous else {
        writeln!(
            out,
            "{}",
            style.bold(&format!(
                "SINCE LAST RUN: this is the first run of this input in {} (run {}); the next run is compared with it",
                escape_control(&history.file),
                history.run_id
            ))
        )?;
        return writeln!(out);
    };
    writeln!(
        out,
        "{}",
        style.bold(&format!(
            "SINCE LAST RUN (run {}, {}, as of {})",
            previous.run_id, previous.run_at, previous.as_of
        ))
    )?;
    for line in super::since_lines(previous) {
        write_wrapped(out, "  ", 2, &escape_control(&line), style.width)?;
    }
    if let Some(baseline) = &history.baseline {
        write_wrapped(
            out,
            "  ",
            2,
            &format!(
                "since the baseline (run {}, as of {}): {}",
                baseline.run_id,
                baseline.as_of,
                super::since_tally(baseline)
            ),
            style.width,
        )?;
    }
    writeln!(out)
}

fn quoted(labels: &[String]) -> String {
    labels
        .iter()
        .map(|l| format!("\"{}\"", escape_control(l)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn write_use_cases(
    use_cases: &[UseCaseReport],
    show_file: bool,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, "{}", style.bold("USE CASES (closest to ready first)"))?;
    let sorted = closest_to_ready(use_cases);
    let title_width = sorted
        .iter()
        .map(|u| escape_control(&u.title).chars().count())
        .max()
        .unwrap_or(0);
    let head_width = 2 + title_width + 2 + VERDICT_WIDTH + 2;
    for uc in sorted {
        let label = uc.verdict.label().to_uppercase();
        let mut lines = use_case_lines(uc);
        if let (true, Some(file)) = (show_file, &uc.file) {
            lines.insert(1.min(lines.len()), format!("in {}", escape_control(file)));
        }
        let head = format!(
            "  {}  {}  ",
            pad(&escape_control(&uc.title), title_width),
            style.verdict(uc.verdict, &pad(&label, VERDICT_WIDTH))
        );
        let mut lines = lines.into_iter();
        let first = escape_control(&lines.next().unwrap_or_default()).into_owned();
        // The first line beside the verdict when it fits, else below it.
        if head_width + first.chars().count() <= style.width {
            writeln!(out, "{head}{first}")?;
        } else {
            writeln!(out, "{}", head.trim_end())?;
            write_wrapped(out, "      ", 6, &first, style.width)?;
        }
        for line in lines {
            write_wrapped(out, "      · ", 8, &line, style.width)?;
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
    writeln!(
        out,
        "{}",
        style.bold("FIX FIRST (most use cases per record of work)")
    )?;
    if fixes.is_empty() {
        writeln!(out, "  nothing to fix: no requirement fails on the data")?;
    }
    for (i, fix) in fixes.iter().enumerate() {
        let s = if fix.records_needed == 1 { "" } else { "s" };
        let what = match fix.fields.as_slice() {
            [one] => format!("{}: {}", super::fix_label(one), one.action),
            many => format!(
                "{} record{s} of work: {}",
                thousands(fix.records_needed),
                many.iter()
                    .map(|f| format!("{}: {}", super::fix_label(f), f.action))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        };
        let effect = if fix.unblocks.is_empty() {
            format!("needed by {} (with other fixes)", fix.affects.join(", "))
        } else {
            format!("unblocks {}", fix.unblocks.join(", "))
        };
        let file = match (show_file, &fix.file) {
            (true, Some(file)) => format!(" [in {}]", escape_control(file)),
            _ => String::new(),
        };
        let number = format!("  {:>2}. ", i + 1);
        write_wrapped(
            out,
            &number,
            6,
            &format!("{what} → {effect}{file}"),
            style.width,
        )?;
    }
    writeln!(out)
}

fn write_re_export(
    re_export: &[ReExport],
    show_file: bool,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    if re_export.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "{}",
        style.bold("EXPORT AGAIN WITH (columns the export lacks, not data to fill)")
    )?;
    for r in re_export {
        let file = match (show_file, &r.file) {
            (true, Some(file)) => format!(" [in {}]", escape_control(file)),
            _ => String::new(),
        };
        write_wrapped(
            out,
            "  - ",
            4,
            &format!(
                "\"{}\" ({}): needed by {}{file}",
                escape_control(&r.label),
                r.field,
                r.use_cases.join(", ")
            ),
            style.width,
        )?;
    }
    writeln!(out)
}

fn write_fields(
    fields: &[FieldReport],
    use_cases: &[UseCaseReport],
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let listed = listed_fields(fields, use_cases, style.fields);
    if style.fields == FieldList::None {
        return Ok(());
    }
    let heading = if listed.len() == fields.len() {
        format!("FIELDS ({})", fields.len())
    } else {
        format!(
            "FIELDS ({} of {}: those the use cases need or with placeholders; --fields all lists every one)",
            listed.len(),
            fields.len()
        )
    };
    writeln!(out)?;
    writeln!(out, "{}", style.bold(&heading))?;
    if listed.is_empty() {
        return Ok(());
    }
    let column_width = listed
        .iter()
        .map(|f| escape_control(&f.column).chars().count())
        .max()
        .unwrap_or(0)
        .clamp(6, 40);
    let canonical_width = listed
        .iter()
        .map(|f| f.canonical.as_deref().map_or(1, |c| c.chars().count()))
        .max()
        .unwrap_or(0)
        .max(9);
    let number_width = |header: &str, value: fn(&FieldReport) -> u64| {
        listed
            .iter()
            .map(|f| thousands(value(f)).len())
            .max()
            .unwrap_or(0)
            .max(header.len())
    };
    let (filled_w, blank_w, placeholder_w) = (
        number_width("FILLED", |f| f.filled),
        number_width("BLANK", |f| f.blank),
        number_width("PLACEHOLDER", |f| f.placeholder),
    );
    // The bar gives way first, so the numbers fit the terminal (the findings may wrap).
    let numbers = 2 + column_width + 2 + canonical_width + 2 + 2 + 5 + 2 + 5;
    let numbers = numbers + 2 + filled_w + 2 + blank_w + 2 + placeholder_w;
    let bar_width = style
        .width
        .saturating_sub(numbers)
        .clamp(MIN_BAR_WIDTH, BAR_WIDTH);
    writeln!(
        out,
        "  {}  {}  {}  {:>5}  {:>5}  {:>filled_w$}  {:>blank_w$}  {:>placeholder_w$}  FINDINGS",
        pad("COLUMN", column_width),
        pad("CANONICAL", canonical_width),
        pad("FILL", bar_width),
        "RATE",
        "VALID",
        "FILLED",
        "BLANK",
        "PLACEHOLDER"
    )?;
    for f in &listed {
        let column = escape_control(&f.column);
        let column = if column.chars().count() > column_width {
            column.chars().take(column_width - 1).chain(['…']).collect()
        } else {
            column.into_owned()
        };
        let line = format!(
            "  {}  {}  {}  {:>5}  {:>5}  {:>filled_w$}  {:>blank_w$}  {:>placeholder_w$}  {}",
            pad(&column, column_width),
            pad(f.canonical.as_deref().unwrap_or("-"), canonical_width),
            bar(f.fill_rate, bar_width),
            percent(f.fill_rate),
            f.valid_rate.map_or("-".to_owned(), percent),
            thousands(f.filled),
            thousands(f.blank),
            thousands(f.placeholder),
            super::findings(f)
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_wraps_at_words_and_cuts_what_cannot() {
        assert_eq!(wrap("a b c", 0, 100), vec!["a b c"]);
        let lines = wrap(&"word ".repeat(30), 10, 40);
        assert!(lines.iter().all(|l| l.chars().count() <= 30), "{lines:?}");
        assert_eq!(lines.join(" ").split_whitespace().count(), 30);
        let lines = wrap(&"x".repeat(50), 0, 30);
        assert_eq!(lines[0].chars().count(), 30);
        assert!(lines[0].ends_with('…'));
    }
}
