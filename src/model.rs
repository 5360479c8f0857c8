//! The report model: plain data that every output format renders and the JSON output serialises.
//!
//! The JSON form is a versioned contract: bump `SCHEMA_VERSION` on any change that is not a
//! pure addition.

use serde::Serialize;

use crate::audit::ChosenBy;
use std::collections::BTreeMap;

use crate::config::{FieldType, ObjectKind};
use crate::input::{RaggedRow, RemovedLines, Renamed, Skipped};

pub const SCHEMA_VERSION: u32 = 3;

/// The whole report: one shape whether one file was audited or many. Every key is always
/// present (an empty list or null, never missing).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Report {
    pub schema_version: u32,
    pub tool_version: String,
    /// When the report was made, RFC 3339 UTC (`SOURCE_DATE_EPOCH` fixes it, for
    /// reproducible reports).
    pub generated_at: String,
    /// The day the audit judges the data as of (`YYYY-MM-DD`): `--as-of`, else the day of
    /// `generated_at`.
    pub as_of: String,
    pub dictionary: DictionaryInfo,
    /// Each file's own audit, in the order the inputs were found.
    pub files: Vec<FileReport>,
    /// Across files: per use case the worst verdict among the files it applies to.
    pub summary: Summary,
    /// Files in a folder or archive that were passed over, and why.
    pub skipped: Vec<Skipped>,
    /// Files that could not be audited; the others were.
    pub errors: Vec<FileError>,
    /// With `--history`: this run against the previous one and the pinned baseline.
    pub history: Option<HistoryReport>,
    /// With `--worklist`: what the work list holds.
    pub worklist: Option<WorklistReport>,
    /// The findings as evidence for the AI failure diagnostic.
    pub diagnostic: Diagnostic,
}

/// Evidence for the AI failure diagnostic: each finding tagged with the failure category it
/// is evidence for, and the checklist questions the data answers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Diagnostic {
    /// Most severe first.
    pub findings: Vec<Finding>,
    pub checklist: Vec<ChecklistAnswer>,
    /// Categories CRM data cannot speak to, and why.
    pub not_answerable: Vec<NotAnswerable>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Finding {
    /// `data_quality`, `workflow_alignment`, `measurement_gaps` or `goal_misalignment`.
    pub category: &'static str,
    /// `high` (blocks a use case), `medium` (puts one at risk, or leaves fixes unprovable),
    /// `low`.
    pub severity: &'static str,
    /// The use case's id, when the finding is about one.
    pub use_case: Option<String>,
    pub field: Option<String>,
    pub measure: Option<String>,
    /// A share (0..1) or a number of records, as the requirement's `observed`.
    pub observed: Option<f64>,
    pub threshold: Option<f64>,
    /// Records to fix, when it is a number of records.
    pub records: u64,
    /// What the data shows, with the numbers.
    pub evidence: String,
    /// What to do.
    pub fix: String,
    /// How the next run will show the fix worked.
    pub proof: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ChecklistAnswer {
    /// The question, word for word.
    pub question: String,
    pub category: String,
    /// `yes`, `partly` or `no`; `unknown` when this export holds nothing to answer it with
    /// (the evidence says what is missing).
    pub answer: &'static str,
    /// The numbers behind the answer.
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct NotAnswerable {
    pub category: String,
    pub why: String,
}

/// Where this run stands in its history.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct HistoryReport {
    /// The history file.
    pub file: String,
    /// The input's identity runs are grouped by (`--name`, else the paths as given).
    pub input: String,
    /// This run's id in the history.
    pub run_id: i64,
    /// Against the previous run of the same input; null for the first.
    pub previous: Option<Comparison>,
    /// Against the pinned baseline (`crm-ready history pin`); null when none is pinned.
    pub baseline: Option<Comparison>,
    /// Per requirement, its measure over the input's last runs (at most 30, this one
    /// last), for trend charts.
    pub trend: Vec<TrendSeries>,
}

/// One requirement's measure run after run.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TrendSeries {
    /// `use_case: field` (with its condition), as the history names it.
    pub subject: String,
    pub measure: String,
    /// This run's threshold.
    pub threshold: Option<f64>,
    pub points: Vec<TrendPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TrendPoint {
    pub run_id: i64,
    pub as_of: String,
    /// Null when that run could not measure it.
    pub value: Option<f64>,
    /// The pinned baseline run.
    pub baseline: bool,
}

/// How this run differs from an earlier one.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Comparison {
    pub run_id: i64,
    pub run_at: String,
    pub as_of: String,
    /// The runs were judged by different dictionaries: thresholds may differ.
    pub dictionary_changed: bool,
    /// Requirements whose measure improved, got worse (by any amount, or could no longer be
    /// measured) or stayed; `regressions` are those worse by more than `regression_points`.
    pub improved: usize,
    pub worse: usize,
    pub unchanged: usize,
    pub changes: Vec<Change>,
    pub verdict_changes: Vec<VerdictChange>,
    pub regressions: Vec<Regression>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Change {
    pub use_case: String,
    pub field: String,
    pub measure: String,
    pub before: Option<f64>,
    pub after: Option<f64>,
    pub delta: Option<f64>,
    /// `improved`, `worse`, `lost` (measured before, not now) or `unchanged`.
    pub direction: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct VerdictChange {
    pub use_case: String,
    pub before: String,
    pub after: String,
}

/// A verdict that got worse (`kind: verdict`), or a measure that fell by more than
/// `regression_points` (`kind: measure`).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Regression {
    pub kind: &'static str,
    pub use_case: String,
    pub field: Option<String>,
    pub measure: Option<String>,
    pub before: Option<f64>,
    pub after: Option<f64>,
    pub verdict_before: Option<String>,
    pub verdict_after: Option<String>,
}

/// Which data dictionary the verdicts come from.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DictionaryInfo {
    /// `built-in`, or the path given with `--dictionary`.
    pub name: String,
    /// `xxh3:` and the hash of its text.
    pub hash: String,
}

/// The verdicts across every file audited.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Summary {
    pub files: usize,
    /// Data records measured in all files (trailers and blank lines excluded).
    pub rows: u64,
    pub verdicts: VerdictCounts,
    /// Sorted by use case id; each names the file its verdict comes from.
    pub use_cases: Vec<UseCaseReport>,
    /// The actions of every file, ranked together.
    pub fix_first: Vec<FixFirst>,
    pub re_export: Vec<ReExport>,
}

/// How many use cases came out each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct VerdictCounts {
    pub ready: usize,
    pub at_risk: usize,
    pub blocked: usize,
    pub unknown: usize,
    pub not_applicable: usize,
}

impl VerdictCounts {
    pub fn of<'a>(use_cases: impl IntoIterator<Item = &'a UseCaseReport>) -> Self {
        let mut counts = VerdictCounts::default();
        for uc in use_cases {
            *match uc.verdict {
                Verdict::Ready => &mut counts.ready,
                Verdict::AtRisk => &mut counts.at_risk,
                Verdict::Blocked => &mut counts.blocked,
                Verdict::Unknown => &mut counts.unknown,
                Verdict::NotApplicable => &mut counts.not_applicable,
            } += 1;
        }
        counts
    }
}

/// The audit of one file.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FileReport {
    pub input: InputReport,
    pub rows: u64,
    /// One entry per column, in the file's column order.
    pub fields: Vec<FieldReport>,
    /// Sorted by use case id.
    pub use_cases: Vec<UseCaseReport>,
    /// Ranked by impact: use cases unblocked per record of work, then fewest records.
    pub fix_first: Vec<FixFirst>,
    /// Columns to export again with (export gaps, not data gaps).
    pub re_export: Vec<ReExport>,
    /// Per identity key the export allows: the same record entered more than once.
    pub duplicates: Vec<DuplicateReport>,
    /// Who may be emailed (exports with an email column).
    pub reach: Option<ReachReport>,
    /// `--by` fields this file has no column for: nothing is broken down by them here.
    pub by_missing: Vec<String>,
    /// With `--worklist`: this file's failing records, written out by the run (never in
    /// the report itself: they hold record ids).
    #[serde(skip)]
    pub worklist: Option<WorklistPart>,
}

/// One file's share of the work list.
#[derive(Debug, Clone, Default)]
pub struct WorklistPart {
    /// The export's id column (`Record ID`, `Id`).
    pub id_label: String,
    /// The segment fields (`--by`, or owner).
    pub by: Vec<String>,
    /// Segment (values joined by U+001F) -> records.
    pub segments: BTreeMap<String, u64>,
    /// The CSV lines, held until the work list is written.
    pub lines: Option<std::sync::Arc<dyn SegmentLines>>,
    /// Why the file has no work list, when it has none.
    pub note: Option<String>,
}

/// Where a file's work-list lines wait to be written: memory, then a temporary file.
pub trait SegmentLines: Send + Sync + std::fmt::Debug {
    /// Writes one segment's lines, in file order.
    fn write_segment(&self, segment: &str, out: &mut dyn std::io::Write) -> std::io::Result<()>;
}

/// What `--worklist` wrote.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct WorklistReport {
    pub file: String,
    pub rows: u64,
    pub by: Vec<String>,
    /// Records per segment, by segment.
    pub segments: Vec<WorklistSegment>,
    /// Files that have no rows in it, and why.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct WorklistSegment {
    pub segment: Vec<String>,
    pub rows: u64,
}

/// Duplicates by one identity key.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DuplicateReport {
    pub key: &'static str,
    /// The columns the key is built from.
    pub columns: Vec<String>,
    /// Records that have the key.
    pub records: u64,
    pub distinct: u64,
    /// Keys held by two records or more.
    pub groups: u64,
    /// Records beyond the first of each group.
    pub duplicate_records: u64,
    /// `duplicate_records` over all records.
    pub duplicate_rate: f64,
}

/// Email reach once suppression is applied.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ReachReport {
    /// The consent columns found; empty means consent is unknown.
    pub consent_columns: Vec<String>,
    /// Distinct valid email addresses.
    pub addresses: u64,
    /// Addresses none of whose records is opted out, non-marketing or bounced.
    pub reachable: u64,
    /// Records (not addresses) blocked, by reason.
    pub opted_out: u64,
    pub not_marketing: u64,
    pub bounced: u64,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FileError {
    pub path: String,
    pub message: String,
}

/// What was read and how: the evidence that the counts come from the right data.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct InputReport {
    pub path: String,
    /// Bytes read (decompressed, for a file inside an archive or gzip).
    pub size: u64,
    /// `xxh3:` and the hash of those bytes: tells two runs on the same data apart from two
    /// runs on different exports of the same name.
    pub content_hash: String,
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
    /// Records linked to the accounts of the same export (Salesforce `AccountId`): company
    /// fields may come from the account; null when the file is not linked.
    pub account_link: Option<AccountLink>,
    /// With a map given by hand: another that recognises more of the columns, and how many.
    pub map_better_fit: Option<String>,
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
    /// The record count a Salesforce report footer states; a note says so when it differs
    /// from `rows`.
    pub footer_records: Option<u64>,
    /// An odd byte after the last character of a UTF-16 file (`0x41`), left out of the data.
    pub stray_trailing_byte: Option<String>,
    pub renamed_headers: Vec<Renamed>,
    pub repaired_cells: u64,
    /// A warehouse table audited in SQL (`audit --from-sql-result`); null for a file.
    pub sql: Option<SqlInput>,
}

/// A table measured by the query `crm-ready sql` wrote, read back from its result.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SqlInput {
    /// `duckdb`, `spark`, `snowflake`, `bigquery` or `postgres`.
    pub dialect: String,
    pub table: String,
    /// The result file read.
    pub result: String,
    /// Rows marked deleted by the replication (`_fivetran_deleted`), left out of every count.
    pub deleted_rows: Option<u64>,
    pub deleted_columns: Vec<String>,
    /// What the SQL audit does not measure (those parts of the report are empty).
    pub not_measured: Vec<String>,
    /// Where the dialect reads values otherwise than the file audit.
    pub approximations: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FieldReport {
    /// The column name as in the export (made unique where the header repeats a name).
    pub column: String,
    /// The canonical field the map gives it; null for columns no map knows.
    pub canonical: Option<String>,
    /// The field's type; null for columns no map or dictionary knows.
    #[serde(rename = "type")]
    pub field_type: Option<FieldType>,
    pub rows: u64,
    pub filled: u64,
    pub fill_rate: f64,
    pub blank: u64,
    pub placeholder: u64,
    /// For a field measured across several columns record by record (the record's own value
    /// or its company's; an `any_of`): each column and how many records it fills on its
    /// own. Empty for a plain column.
    pub combines: Vec<PartFill>,
    /// Filled values that pass the type's checks; null when the type has none.
    pub valid: Option<u64>,
    /// `valid` over all records.
    pub valid_rate: Option<f64>,
    /// Filled values that fail, per reason (`no_at`, `bad_domain`, ...).
    pub invalid: BTreeMap<String, u64>,
    pub personal_domain: Option<u64>,
    pub role_account: Option<u64>,
    /// Dates: records within each window the dictionary asks about.
    pub fresh: Vec<FreshCount>,
    /// Dates: valid values per age band, and the filled values that are no valid date.
    pub age: Option<AgeBands>,
    pub date_order: Option<DateOrderReport>,
    /// Distinct filled values; null when not counted or over the limit.
    pub distinct: Option<u64>,
    /// More than 10,000 distinct values: `distinct` and `variants` are null and the dominant
    /// value is the most common of a sample.
    pub distinct_over_limit: bool,
    /// Raw distinct values minus distinct ones after normalising case, spaces, punctuation
    /// (and country names to codes).
    pub variants: Option<u64>,
    /// Records holding the most common (normalised) value, and their share of all records.
    pub dominant_count: Option<u64>,
    pub dominant_share: Option<f64>,
    /// The most common value: only with `--show-values`.
    pub dominant_value: Option<String>,
    /// Cells showing double-encoded UTF-8.
    pub mojibake: u64,
    /// Invalid values: only with `--show-values`, at most 5 per reason, emails and phones masked.
    pub examples: Vec<Example>,
}

impl FieldReport {
    /// A report with nothing measured, to fill in.
    pub fn empty() -> Self {
        FieldReport {
            column: String::new(),
            canonical: None,
            field_type: None,
            rows: 0,
            filled: 0,
            fill_rate: 0.0,
            blank: 0,
            placeholder: 0,
            combines: Vec::new(),
            valid: None,
            valid_rate: None,
            invalid: BTreeMap::new(),
            personal_domain: None,
            role_account: None,
            fresh: Vec::new(),
            age: None,
            date_order: None,
            distinct: None,
            distinct_over_limit: false,
            variants: None,
            dominant_count: None,
            dominant_share: None,
            dominant_value: None,
            mojibake: 0,
            examples: Vec::new(),
        }
    }
}

/// Valid dates by age on the `as_of` day, in days.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct AgeBands {
    #[serde(rename = "<=30")]
    pub d30: u64,
    #[serde(rename = "<=90")]
    pub d90: u64,
    #[serde(rename = "<=180")]
    pub d180: u64,
    #[serde(rename = "<=365")]
    pub d365: u64,
    #[serde(rename = "<=730")]
    pub d730: u64,
    pub older: u64,
    pub future: u64,
    pub unparseable: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FreshCount {
    pub within_days: u32,
    pub fresh: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DateOrderReport {
    /// `month_first` or `day_first`.
    pub order: &'static str,
    /// `values` (a part above 12 showed it) or `default` (no value could tell).
    pub decided_by: &'static str,
    pub evidence: u64,
    /// Values that showed the other order: invalid under the one chosen.
    pub against: u64,
    /// Values readable both ways.
    pub ambiguous: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Example {
    pub reason: String,
    pub value: String,
}

/// How a file's records reach their accounts.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct AccountLink {
    /// The column holding the account id (`AccountId`).
    pub column: String,
    /// The accounts file(s) of the export.
    pub accounts: String,
    /// Records whose account id is blank.
    pub blank: u64,
    /// Records whose account id names no account of the export.
    pub unmatched: u64,
}

/// One column of a combined field, and what it carries.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PartFill {
    pub column: String,
    pub filled: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Ready,
    AtRisk,
    Blocked,
    /// No requirement fails, but the export lacks a column some requirement needs: it cannot
    /// be judged until the export is made again with that column.
    Unknown,
    /// The use case is built on another kind of record than this export holds.
    NotApplicable,
}

impl Verdict {
    /// Worse is larger: blocked > unknown > at risk > ready > not applicable.
    pub fn severity(self) -> u8 {
        match self {
            Verdict::Blocked => 4,
            Verdict::Unknown => 3,
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
            Verdict::Unknown => "unknown",
            Verdict::NotApplicable => "not applicable",
        }
    }
}

/// How one requirement came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    /// Met, but by less than the dictionary's `at_risk_margin`.
    AtRisk,
    Failed,
    /// The export has no column for the field: an export gap, not a data gap.
    Unknown,
}

/// How far a use case is from ready: what to fill, and what to export again.
#[derive(Debug, Clone, Default, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ToReady {
    /// Fields to fill, by canonical name (or column), in dictionary order.
    pub fill: Vec<String>,
    /// Records to fill in all, so that every requirement is met with the at-risk margin to
    /// spare (ready, not just at risk).
    pub records: u64,
    /// Vendor column labels to export again with.
    pub re_export: Vec<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct UseCaseReport {
    pub id: String,
    pub title: String,
    pub verdict: Verdict,
    /// Why the use case was not evaluated (`not_applicable`) or cannot be judged (`unknown`).
    pub note: Option<String>,
    /// In the summary: the file this verdict comes from; null in a file's own list.
    pub file: Option<String>,
    pub requirements: Vec<RequirementReport>,
    /// What would make it ready; empty for a ready or not applicable use case.
    pub to_ready: ToReady,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RequirementReport {
    /// The canonical field, the raw column name for `column` requirements, `records` for a
    /// count, or the identity key of a duplicates requirement.
    pub field: String,
    /// The export column that was measured; null when the export has none.
    pub column: Option<String>,
    /// `fill`, `valid`, `fresh`, `duplicates`, `dominant`, `count` or `reachable`.
    pub measure: &'static str,
    /// Which records count, in words; null for all records.
    pub condition: Option<String>,
    /// A share of records (fill, valid, fresh, duplicates, dominant) or a number of records
    /// (count, reachable); null when it could not be measured.
    pub observed: Option<f64>,
    pub threshold: f64,
    pub met: bool,
    pub status: Status,
    /// Records that meet the measure (filled, valid, fresh, counted, reachable); for
    /// duplicates and dominant, the records over the line.
    pub passing: u64,
    /// Records to fix (or add) to meet the threshold (0 when met or unknown).
    pub records_needed: u64,
    /// What to do, in words ("make 340 email values valid"); null when met.
    pub action: Option<String>,
    pub reason: String,
    /// Where the threshold comes from, as the dictionary says.
    pub source: Option<String>,
    /// With `--by`, for a requirement that is not met: per `--by` field, the segments that
    /// must fix the most records first.
    pub segments: Vec<SegmentBreakdown>,
}

/// A requirement broken down by one `--by` field.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SegmentBreakdown {
    pub by: String,
    /// The top segments (`--top`), most records to fix first.
    pub segments: Vec<SegmentRow>,
    /// The other segments together; null when every segment is listed. Its records to fix
    /// are the sum of each segment's own: one segment's surplus does not cover another's gap.
    pub other: Option<SegmentRow>,
    /// How many segments `other` holds (besides those merged past `--max-segments`).
    pub other_segments: usize,
    /// More segments than `--max-segments`: some were merged into `other` as they were read.
    pub capped: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SegmentRow {
    pub segment: String,
    pub rows: u64,
    /// Records of the segment that meet the requirement (filled, valid, fresh).
    pub passing: u64,
    /// `passing` over `rows`.
    pub observed: f64,
    /// Records the segment must fix to meet the threshold on its own.
    pub records_needed: u64,
}

/// A field some requirement needs that the export does not have: the fix is to export again
/// with that column, not to fill records.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ReExport {
    pub field: String,
    /// The column to add, as the vendor's export labels it (`Contact owner`).
    pub label: String,
    /// The use cases that need it.
    pub use_cases: Vec<String>,
    /// In the summary: the file to export again; null in a file's own list.
    pub file: Option<String>,
}

/// One action of the fix-first list: fill one field, or several that unblock a use case only
/// together.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FixFirst {
    /// `industry`, or `industry + employee_count` for a group.
    pub field: String,
    pub fields: Vec<FixField>,
    /// Records to fill in all (the sum over `fields`).
    pub records_needed: u64,
    /// Use cases that become ready or at risk once this action is done.
    pub unblocks: Vec<String>,
    /// Every use case in which one of these fields fails a requirement.
    pub affects: Vec<String>,
    /// Use cases unblocked per 1,000 records of work: the rank.
    pub impact: f64,
    /// In the summary: the file to fix; null in a file's own list.
    pub file: Option<String>,
}

/// One field of a fix-first action.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FixField {
    pub field: String,
    pub column: String,
    pub measure: &'static str,
    pub condition: Option<String>,
    /// The strictest threshold among the failing requirements on this field and measure.
    pub threshold: f64,
    pub passing: u64,
    /// Records to fix so the field meets that threshold.
    pub records_needed: u64,
    /// What to do, in words.
    pub action: String,
}
