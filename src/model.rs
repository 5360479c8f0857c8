//! The report model: plain data that every output format renders and the JSON output serialises.
//!
//! The JSON form is a versioned contract: bump `SCHEMA_VERSION` on any change that is not a
//! pure addition.

use serde::Serialize;

use crate::audit::ChosenBy;
use crate::config::ObjectKind;
use crate::input::{RaggedRow, RemovedLines, Renamed, Skipped};

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool_version: String,
    pub inputs: Vec<InputReport>,
    /// Data records measured (trailers and blank lines excluded).
    pub rows: u64,
    /// One entry per column, in the file's column order.
    pub fields: Vec<FieldReport>,
    /// Sorted by use case id.
    pub use_cases: Vec<UseCaseReport>,
    /// Ranked: most use cases unblocked first, then fewest records needed.
    pub fix_first: Vec<FixFirst>,
    /// With several files: each file's own audit. The top level then sums `rows`, leaves
    /// `fields` empty, and gives per use case the worst verdict among the files it applies to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<FileReport>,
    /// Files in a folder or archive that were passed over, and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<Skipped>,
    /// Files that could not be audited; the others were.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FileError>,
}

/// The audit of one file.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    pub input: InputReport,
    pub rows: u64,
    pub fields: Vec<FieldReport>,
    pub use_cases: Vec<UseCaseReport>,
    pub fix_first: Vec<FixFirst>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileError {
    pub path: String,
    pub message: String,
}

/// What was read and how: the evidence that the counts come from the right data.
#[derive(Debug, Clone, Serialize)]
pub struct InputReport {
    pub path: String,
    /// csv, xlsx, xls, xlsb, ods...
    pub format: &'static str,
    pub vendor: Option<String>,
    pub object: Option<String>,
    pub kind: Option<ObjectKind>,
    /// The field map used (`vendor/object` or a file path); null when none matched.
    pub map: Option<String>,
    /// Share of the header's columns the map recognised (0..1).
    pub map_score: f64,
    pub map_columns_matched: usize,
    /// True when `--field-map` chose the map instead of detection.
    pub map_forced: bool,
    /// `option` (--field-map), `record_ids` (Salesforce id prefixes), `file_name` (the file
    /// is named after its object), `distinctive_columns` or `header` (the map recognising the
    /// most columns); null when none.
    pub map_chosen_by: Option<ChosenBy>,
    /// Other maps that recognised as many columns as the one chosen (the tie `map_chosen_by`
    /// broke); empty when there was none.
    pub map_tied_with: Vec<String>,
    /// Text encoding as detected (CSV only).
    pub encoding: Option<String>,
    /// Field delimiter as detected or forced (CSV only).
    pub delimiter: Option<String>,
    /// How records end: LF, CRLF, CR (converted while reading) or none (CSV only).
    pub line_ending: Option<&'static str>,
    /// The sheet read (spreadsheets only).
    pub sheet: Option<String>,
    /// Line (CSV) or row (spreadsheet) of the header.
    pub header_line: u64,
    pub columns: usize,
    pub rows: u64,
    pub ragged_rows: u64,
    pub ragged_examples: Vec<RaggedRow>,
    pub removed: Vec<RemovedLines>,
    /// Lines (rows) at the end kept as records although they look like a totals row: numbers
    /// only, fewer cells than the records above, and nothing to prove they are totals.
    pub suspected_summary_rows: Vec<u64>,
    /// An odd byte after the last character of a UTF-16 file (`0x41`), left out of the data.
    pub stray_trailing_byte: Option<String>,
    pub renamed_headers: Vec<Renamed>,
    pub repaired_cells: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldReport {
    /// The column name as in the export (made unique where the header repeats a name).
    pub column: String,
    /// The canonical field the map gives it; null for columns no map knows.
    pub canonical: Option<String>,
    pub rows: u64,
    pub filled: u64,
    pub fill_rate: f64,
    pub blank: u64,
    pub placeholder: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Ready,
    AtRisk,
    Blocked,
    /// The use case is built on another kind of record than this export holds.
    NotApplicable,
}

impl Verdict {
    /// Worse is larger: blocked > at risk > ready > not applicable.
    pub fn severity(self) -> u8 {
        match self {
            Verdict::Blocked => 3,
            Verdict::AtRisk => 2,
            Verdict::Ready => 1,
            Verdict::NotApplicable => 0,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Verdict::Ready => "ready",
            Verdict::AtRisk => "at risk",
            Verdict::Blocked => "blocked",
            Verdict::NotApplicable => "not applicable",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct UseCaseReport {
    pub id: String,
    pub title: String,
    pub verdict: Verdict,
    /// Why the use case was not evaluated, for `not_applicable`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// With several files: the file this verdict comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub requirements: Vec<RequirementReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequirementReport {
    /// The canonical field, or the raw column name for `column` requirements.
    pub field: String,
    /// The export column that was measured; null when the export has none.
    pub column: Option<String>,
    /// Observed fill rate; null when the column is not in the export.
    pub observed: Option<f64>,
    pub threshold: f64,
    pub met: bool,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FixFirst {
    pub field: String,
    pub column: Option<String>,
    pub in_export: bool,
    /// The strictest threshold among the failing requirements on this field.
    pub threshold: f64,
    pub filled: u64,
    /// Records to fill so the field meets that threshold: ceil(threshold x rows) - filled.
    pub records_needed: u64,
    /// Use cases that become ready or at risk once this field alone is fixed.
    pub unblocks: Vec<String>,
    /// Every use case in which this field fails a requirement.
    pub affects: Vec<String>,
    /// With several files: the file to fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}
