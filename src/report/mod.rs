//! Output formats. Each renders the same `Report` to a `&mut dyn Write`; none decides where
//! the bytes go or whether a terminal is attached.

mod json;
mod markdown;
mod text;

use std::io::{self, Write};

use crate::audit::ChosenBy;
use crate::model::{InputReport, Report, UseCaseReport, Verdict};

pub use text::Style;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
    Markdown,
}

pub fn render(
    report: &Report,
    format: Format,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Text => text::render(report, style, out),
        Format::Json => json::render(report, out),
        Format::Markdown => markdown::render(report, out),
    }
}

/// Use cases worst first, for people; the JSON keeps the dictionary's id order.
fn by_severity(use_cases: &[UseCaseReport]) -> Vec<&UseCaseReport> {
    let mut use_cases: Vec<&UseCaseReport> = use_cases.iter().collect();
    // Worst first; not applicable last. The sort is stable, so ties keep the id order.
    use_cases.sort_by_key(|u| match u.verdict {
        Verdict::NotApplicable => u8::MAX,
        v => Verdict::Blocked.severity() - v.severity(),
    });
    use_cases
}

/// Fill rate as a percentage for tables: whole numbers unless that would hide a difference.
fn percent(rate: f64) -> String {
    let p = rate * 100.0;
    if p > 99.5 && p < 100.0 {
        format!("{p:.1}%")
    } else {
        format!("{p:.0}%")
    }
}

/// Sentences saying what was found in an input and what was done about it.
fn input_notes(input: &InputReport) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(encoding) = input.encoding.as_deref().filter(|e| *e != "UTF-8") {
        notes.push(format!("decoded as {encoding}"));
    }
    if !input.map_tied_with.is_empty() {
        notes.push(format!(
            "{} recognised as many columns; chose {} {}",
            input.map_tied_with.join(", "),
            input.map.as_deref().unwrap_or("-"),
            match input.map_chosen_by {
                Some(ChosenBy::RecordIds) => "by its record ids",
                Some(ChosenBy::FileName) => "by the file name",
                Some(ChosenBy::DistinctiveColumns) => "by its distinctive columns",
                _ => "as the first listed (use --field-map to choose)",
            }
        ));
    }
    if input.line_ending == Some("CR") {
        notes.push("records end with a lone CR (old Mac): read as line breaks".to_owned());
    }
    if input.repaired_cells > 0 {
        notes.push(format!(
            "{} cells were not valid UTF-8 and were read as Windows-1252",
            input.repaired_cells
        ));
    }
    // Spreadsheets have rows where text files have lines.
    let unit = if input.sheet.is_some() { "row" } else { "line" };
    for removed in &input.removed {
        let lines: Vec<String> = removed.lines.iter().map(u64::to_string).collect();
        let more = if removed.count as usize > removed.lines.len() {
            ", ..."
        } else {
            ""
        };
        notes.push(format!(
            "removed {} {} {unit}{} from the counts ({unit}{} {}{more})",
            removed.count,
            removed.reason.describe(),
            if removed.count == 1 { "" } else { "s" },
            if removed.lines.len() == 1 { "" } else { "s" },
            lines.join(", ")
        ));
    }
    if let Some(byte) = &input.stray_trailing_byte {
        notes.push(format!(
            "the file ends with a stray byte ({byte}) after its last UTF-16 character: left out"
        ));
    }
    if !input.suspected_summary_rows.is_empty() {
        let lines: Vec<String> = input
            .suspected_summary_rows
            .iter()
            .map(u64::to_string)
            .collect();
        let n = input.suspected_summary_rows.len();
        notes.push(format!(
            "kept {n} row{} at the end that may be a totals row (numbers only, fewer cells than the records above): {unit}{} {}; check and remove {} if so",
            if n == 1 { "" } else { "s" },
            if n == 1 { "" } else { "s" },
            lines.join(", "),
            if n == 1 { "it" } else { "them" },
        ));
    }
    if input.ragged_rows > 0 {
        let examples: Vec<String> = input
            .ragged_examples
            .iter()
            .map(|r| format!("line {}: {} cells", r.line, r.cells))
            .collect();
        let more = if input.ragged_rows as usize > input.ragged_examples.len() {
            "; ..."
        } else {
            ""
        };
        notes.push(format!(
            "{} row{} did not have the header's {} cells; missing cells count as blank, extra cells are ignored ({}{more})",
            input.ragged_rows,
            if input.ragged_rows == 1 { "" } else { "s" },
            input.columns,
            examples.join("; ")
        ));
    }
    for renamed in &input.renamed_headers {
        notes.push(format!(
            "column {} {:?} renamed to {:?} ({})",
            renamed.position, renamed.original, renamed.renamed, renamed.reason
        ));
    }
    notes
}

/// "UTF-8, comma delimited" or "sheet \"Leads\", header on row 5".
fn read_description(input: &InputReport) -> String {
    match (&input.sheet, &input.encoding, &input.delimiter) {
        (Some(sheet), _, _) => format!(
            "{} sheet {sheet:?}, header on row {}",
            input.format, input.header_line
        ),
        (None, Some(encoding), Some(delimiter)) => format!("{encoding}, {delimiter} delimited"),
        _ => input.format.to_owned(),
    }
}

/// "hubspot/contacts (25 of 30 columns)" or a note that no map matched.
fn map_description(input: &InputReport) -> String {
    match &input.map {
        Some(map) => format!(
            "{map} map{} ({} of {} columns recognised)",
            match input.map_chosen_by {
                Some(ChosenBy::Option) => ", as asked",
                Some(ChosenBy::FileName) => " (by file name)",
                Some(ChosenBy::RecordIds) => " (by record ids)",
                Some(ChosenBy::DistinctiveColumns) => " (by distinctive columns)",
                _ => "",
            },
            input.map_columns_matched,
            input.columns
        ),
        None => "no field map matched (choose one with --field-map)".to_owned(),
    }
}
