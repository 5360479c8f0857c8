//! Output formats. Each renders the same `Report` to a `&mut dyn Write`; none decides where
//! the bytes go or whether a terminal is attached.

mod evidence;
pub mod history;
mod html;
mod json;
mod jsonl;
mod markdown;
mod text;

use std::io::{self, Write};

use std::collections::BTreeSet;

use crate::audit::ChosenBy;
use crate::model::{FieldReport, InputReport, Report, UseCaseReport, Verdict, VerdictCounts};
use crate::shown::escape_control;

pub use text::Style;

use crate::shown::thousands;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
    Markdown,
    Html,
    Jsonl,
    /// The one-page brief for the AI failure diagnostic (Markdown).
    Evidence,
}

impl Format {
    /// As `--format` names it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Jsonl => "jsonl",
            Format::Evidence => "evidence",
        }
    }

    /// The file name extension `--output-dir` gives it.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Json => "json",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Jsonl => "jsonl",
            Format::Evidence => "evidence.md",
        }
    }
}

/// One report of a run: its format, and the file it goes to (`None`: the run's writer).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportOutput {
    pub format: Format,
    pub file: Option<std::path::PathBuf>,
}

/// Which fields the human reports list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FieldList {
    /// Fields some requirement uses, and fields with findings (placeholders).
    #[default]
    Used,
    All,
    None,
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
        Format::Markdown => markdown::render(report, style.fields, out),
        Format::Html => html::render(report, style.fields, out),
        Format::Jsonl => jsonl::render(report, out),
        Format::Evidence => evidence::render(report, out),
    }
}

/// Use cases closest to ready first: ready, then those a number of records away (fewest
/// first), then those that need a re-export, then the ones that do not apply. Ties keep the
/// dictionary's id order.
fn closest_to_ready(use_cases: &[UseCaseReport]) -> Vec<&UseCaseReport> {
    let mut sorted: Vec<&UseCaseReport> = use_cases.iter().collect();
    sorted.sort_by_key(|u| match u.verdict {
        Verdict::Ready => (0, 0, 0),
        Verdict::NotApplicable => (3, 0, 0),
        _ if !u.to_ready.re_export.is_empty() => (2, u.to_ready.records, 0),
        v => (1, u.to_ready.records, v.severity()),
    });
    sorted
}

/// The fields the human reports list under `FieldList::Used`: those a requirement of an
/// applicable use case names, and those with findings.
fn listed_fields<'a>(
    fields: &'a [FieldReport],
    use_cases: &[UseCaseReport],
    which: FieldList,
) -> Vec<&'a FieldReport> {
    match which {
        FieldList::All => fields.iter().collect(),
        FieldList::None => Vec::new(),
        FieldList::Used => {
            let used: BTreeSet<&str> = use_cases
                .iter()
                .flat_map(|u| &u.requirements)
                .filter_map(|r| r.column.as_deref())
                .collect();
            fields
                .iter()
                .filter(|f| used.contains(f.column.as_str()) || f.placeholder > 0)
                .collect()
        }
    }
}

/// "1 ready · 2 blocked · ..." with the kinds that occur, worst first.
fn verdict_tally(counts: &VerdictCounts) -> String {
    let parts: Vec<String> = [
        (counts.blocked, "blocked"),
        (counts.unknown, "unknown"),
        (counts.at_risk, "at risk"),
        (counts.ready, "ready"),
        (counts.not_applicable, "not applicable"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, label)| format!("{n} {label}"))
    .collect();
    if parts.is_empty() {
        "no use case".to_owned()
    } else {
        parts.join(" · ")
    }
}

/// A field as people know it: `industry (Industry)`, or just the column when they agree.
fn field_with_label(field: &str, column: Option<&str>) -> String {
    let field = escape_control(field);
    match column {
        Some(column) if !column.eq_ignore_ascii_case(&field) => {
            format!("{field} ({})", escape_control(column))
        }
        _ => field.into_owned(),
    }
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
    if let Some(link) = &input.account_link {
        notes.push(format!(
            "company fields may come from the account each record's {} names ({}): {} record{} with a blank {}, {} naming no account of the export",
            link.column,
            link.accounts,
            thousands(link.blank),
            if link.blank == 1 { "" } else { "s" },
            link.column,
            thousands(link.unmatched)
        ));
    }
    if let Some(better) = &input.map_better_fit {
        notes.push(format!(
            "the map given recognises {} of {} columns; {better}: check --field-map",
            input.map_columns_matched, input.columns
        ));
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
    if let Some(sql) = &input.sql {
        notes.push(format!(
            "measured in {} by one SQL query over {}, read back from {}",
            sql.dialect, sql.table, sql.result
        ));
        if let Some(n) = sql.deleted_rows {
            notes.push(format!(
                "left out {} row{} marked deleted ({})",
                thousands(n),
                if n == 1 { "" } else { "s" },
                sql.deleted_columns.join(", ")
            ));
        }
        notes.push(format!(
            "not measured in SQL: {}",
            sql.not_measured.join("; ")
        ));
        notes.push(format!(
            "read otherwise in {}: {}",
            sql.dialect,
            sql.approximations.join("; ")
        ));
    }
    if input.line_ending == Some("CR") {
        notes.push("records end with a lone CR (old Mac): read as line breaks".to_owned());
    }
    if input.repaired_cells > 0 {
        notes.push(format!(
            "{} cells were not valid UTF-8 and were read as Windows-1252",
            thousands(input.repaired_cells)
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
            thousands(removed.count),
            removed.reason.describe(),
            if removed.count == 1 { "" } else { "s" },
            if removed.lines.len() == 1 { "" } else { "s" },
            lines.join(", ")
        ));
    }
    if let Some(stated) = input.footer_records.filter(|&n| n != input.rows) {
        notes.push(format!(
            "the report footer says {} records, but {} were counted: check the rows removed as totals or footer",
            thousands(stated),
            thousands(input.rows)
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
            thousands(input.ragged_rows),
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

/// How a requirement is named in a reason line: the field and its column, and the measure
/// when it is not fill (`email [valid]`, `records`).
pub fn requirement_label(r: &crate::model::RequirementReport) -> String {
    match r.measure {
        "fill" => field_with_label(&r.field, r.column.as_deref()),
        "count" => "records".to_owned(),
        measure => format!(
            "{} [{measure}]",
            field_with_label(&r.field, r.column.as_deref())
        ),
    }
}

/// A field's check findings in a few words: the main reason values are invalid, spelling
/// variants, dominant value, double-encoded text. Counts only: never a cell value.
pub fn findings(f: &FieldReport) -> String {
    let mut parts = Vec::new();
    let invalid: u64 = f.invalid.values().sum();
    if invalid > 0 {
        let mut reasons: Vec<(&String, &u64)> = f.invalid.iter().collect();
        reasons.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let top: Vec<String> = reasons
            .iter()
            .take(2)
            .map(|(r, n)| format!("{r} {}", thousands(**n)))
            .collect();
        parts.push(format!(
            "invalid {} ({})",
            thousands(invalid),
            top.join(", ")
        ));
    }
    if let Some(n) = f.personal_domain.filter(|n| *n > 0) {
        parts.push(format!("personal domain {}", thousands(n)));
    }
    if let Some(n) = f.variants.filter(|n| *n > 0) {
        parts.push(format!(
            "{} spelling variant{}",
            thousands(n),
            if n == 1 { "" } else { "s" }
        ));
    }
    if let Some(share) = f.dominant_share.filter(|s| *s >= 0.9 && f.rows >= 10) {
        parts.push(format!("one value on {}", percent(share)));
    }
    if let Some(order) = &f.date_order
        && order.decided_by == "values"
        && order.order == "day_first"
    {
        parts.push("day-first dates".to_owned());
    }
    if f.mojibake > 0 {
        parts.push(format!("mojibake {}", thousands(f.mojibake)));
    }
    parts.join("; ")
}

/// Cell values a user asked for with `--show-values`, per field: each kind of invalid value
/// with its examples (already masked), then the most common value. Empty without the flag.
pub fn shown_values(fields: &[FieldReport]) -> Vec<(String, Vec<String>)> {
    fields
        .iter()
        .filter(|f| !f.examples.is_empty() || f.dominant_value.is_some())
        .map(|f| {
            let mut lines: Vec<String> = Vec::new();
            let mut reasons: Vec<&str> = f.examples.iter().map(|e| e.reason.as_str()).collect();
            reasons.dedup();
            for reason in reasons {
                let values: Vec<String> = f
                    .examples
                    .iter()
                    .filter(|e| e.reason == reason)
                    .map(|e| format!("{:?}", e.value))
                    .collect();
                lines.push(format!("{reason}: {}", values.join(", ")));
            }
            if let (Some(value), Some(share)) = (&f.dominant_value, f.dominant_share) {
                lines.push(format!("most common: {value:?} on {}", percent(share)));
            }
            (f.column.clone(), lines)
        })
        .collect()
}

/// How a fix-first action names its field and measure.
pub fn fix_label(f: &crate::model::FixField) -> String {
    let label = field_with_label(&f.field, Some(&f.column));
    match (f.measure, &f.condition) {
        ("fill", None) => label,
        // The action says which records and how many.
        ("count", _) => "records".to_owned(),
        (measure, None) => format!("{label} [{measure}]"),
        (measure, Some(c)) => format!("{label} [{measure}: {c}]"),
    }
}

/// `2 improved · 1 regressed · 30 unchanged`, and the regressions.
pub fn since_tally(c: &crate::model::Comparison) -> String {
    let mut text = format!(
        "{} improved · {} worse · {} unchanged",
        c.improved, c.worse, c.unchanged
    );
    if !c.regressions.is_empty() {
        text.push_str(&format!(
            " · {} regression{}",
            c.regressions.len(),
            if c.regressions.len() == 1 { "" } else { "s" }
        ));
    }
    text
}

/// What moved since a run, in lines: the tally, verdict changes, then each regression.
pub fn since_lines(c: &crate::model::Comparison) -> Vec<String> {
    let mut lines = vec![since_tally(c)];
    if c.dictionary_changed {
        lines.push("the dictionary changed since that run: thresholds may differ".to_owned());
    }
    for v in &c.verdict_changes {
        lines.push(format!("{}: {} -> {}", v.use_case, v.before, v.after));
    }
    for r in c.regressions.iter().filter(|r| r.kind == "measure") {
        let measure = r.measure.as_deref().unwrap_or_default();
        let show = |v: Option<f64>| match v {
            None => "-".to_owned(),
            Some(v) if matches!(measure, "count" | "reachable") => thousands(v as u64),
            Some(v) => percent(v),
        };
        let after = if r.after.is_none() {
            "not measured (the column left the export)".to_owned()
        } else {
            show(r.after)
        };
        lines.push(format!(
            "REGRESSED {}: {} [{measure}] {} -> {after}",
            r.use_case,
            r.field.as_deref().unwrap_or_default(),
            show(r.before)
        ));
    }
    lines
}

/// With `--by`: per breakdown, the segments with the most records to fix (three at most).
pub fn segment_lines(r: &crate::model::RequirementReport) -> Vec<String> {
    r.segments
        .iter()
        .filter_map(|b| {
            let needing: Vec<&crate::model::SegmentRow> =
                b.segments.iter().filter(|s| s.records_needed > 0).collect();
            let top: Vec<String> = needing
                .iter()
                .take(3)
                .map(|s| format!("{} {}", s.segment, thousands(s.records_needed)))
                .collect();
            // What the lines leave out is still counted: the rest of the top, then `other`.
            let mut more = 0u64;
            for s in needing.iter().skip(3) {
                more += s.records_needed;
            }
            if let Some(other) = b.other.as_ref().filter(|o| o.records_needed > 0) {
                more += other.records_needed;
            }
            let rest = match (more, b.capped) {
                (0, _) => String::new(),
                (n, false) => format!("; {} more in the other segments", thousands(n)),
                (n, true) => format!(
                    "; {} more in other segments (past --max-segments, counted together)",
                    thousands(n)
                ),
            };
            (!top.is_empty())
                .then(|| format!("  by {}: {}{rest} (records to fix)", b.by, top.join(", ")))
        })
        .collect()
}

/// The JSON outputs whose shape is published as a JSON Schema (draft 2020-12) in `schema/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    /// `audit --format json`.
    Report,
    /// `history list --format json`.
    HistoryList,
    /// `history show --format json`.
    HistoryShow,
}

impl Schema {
    pub const ALL: [Schema; 3] = [Schema::Report, Schema::HistoryList, Schema::HistoryShow];

    /// The file it is published as, in `schema/`.
    pub fn file_name(self) -> &'static str {
        match self {
            Schema::Report => "report.schema.json",
            Schema::HistoryList => "history-list.schema.json",
            Schema::HistoryShow => "history-show.schema.json",
        }
    }

    /// The schema, generated from the types that are serialised: it cannot drift from them.
    pub fn generate(self) -> serde_json::Value {
        let schema = match self {
            Schema::Report => schemars::schema_for!(crate::model::Report),
            Schema::HistoryList => schemars::schema_for!(Vec<crate::history::RunInfo>),
            Schema::HistoryShow => schemars::schema_for!(Vec<history::Series>),
        };
        serde_json::to_value(schema).expect("a schema is JSON")
    }

    /// The schema as published: pretty, with a final newline.
    pub fn text(self) -> String {
        let mut text = serde_json::to_string_pretty(&self.generate()).expect("a schema is JSON");
        text.push('\n');
        text
    }
}
