//! Shared test helpers: run the real binary in a temporary directory and decode its JSON.

#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

pub const BIN: &str = env!("CARGO_BIN_EXE_crm-ready");

/// The repository's own directory, where `fixtures/` lives.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(rel: &str) -> PathBuf {
    repo().join("fixtures").join(rel)
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Report {
        let json: Json = serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not a report ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        });
        json.into()
    }
}

/// (column, rows, filled, blank, placeholder) of fixtures/shapes/base.csv (BASE in
/// fixtures/make_shapes.py), counted by hand in fixtures/README.md.
pub const BASE_COUNTS: &[(&str, u64, u64, u64, u64)] = &[
    ("Email", 10, 9, 1, 0),
    ("First Name", 10, 9, 1, 0),
    ("Last Name", 10, 10, 0, 0),
    ("Industry", 10, 6, 2, 2),
    ("Job Title", 10, 6, 1, 3),
    ("Country/Region", 10, 8, 1, 1),
    ("Notes", 10, 6, 4, 0),
];

/// 2026-11-28T08:13:23Z: the clock of every test run, so reports are the same bytes.
pub const SOURCE_DATE_EPOCH: &str = "1795853603";

/// Runs `crm-ready ARGS` in `dir` with a clean colour environment and a fixed clock.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        .output()
        .expect("the binary runs");
    Run {
        code: out.status.code().expect("exited normally, not by a signal"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// A temporary directory holding `files` (name, bytes).
pub fn temp_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, bytes) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

/// Audits `file` (a path relative to or inside `dir`) as JSON.
pub fn audit_json(dir: &Path, file: &str, extra: &[&str]) -> (Run, Report) {
    let mut args = vec!["audit", file, "--format", "json", "--quiet"];
    args.extend_from_slice(extra);
    let run = run_in(dir, &args);
    assert!(
        run.code == 0 || run.code == 1,
        "exit {}; stderr:\n{}",
        run.code,
        run.stderr
    );
    let report = run.json();
    (run, report)
}

// Typed mirror of the JSON schema (version 2): decoding fails if a field goes missing or an
// unknown one appears. `Report` is a view of it that the tests read: the summary's verdicts,
// and for a single file its fields.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Json {
    pub schema_version: u32,
    pub tool_version: String,
    pub generated_at: String,
    pub as_of: String,
    pub dictionary: DictionaryInfo,
    pub files: Vec<FileReport>,
    pub summary: Summary,
    pub skipped: Vec<Skipped>,
    pub errors: Vec<FileError>,
    pub history: Option<serde_json::Value>,
    pub worklist: Option<serde_json::Value>,
    pub diagnostic: serde_json::Value,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DictionaryInfo {
    pub name: String,
    pub hash: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    pub files: usize,
    pub rows: u64,
    pub verdicts: VerdictCounts,
    pub use_cases: Vec<UseCase>,
    pub fix_first: Vec<Fix>,
    pub re_export: Vec<ReExport>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct VerdictCounts {
    pub ready: usize,
    pub at_risk: usize,
    pub blocked: usize,
    pub unknown: usize,
    pub not_applicable: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReExport {
    pub field: String,
    pub label: String,
    pub use_cases: Vec<String>,
    pub file: Option<String>,
}

/// What the tests read: the top level of the report as one file or a summary of many.
#[derive(Debug)]
pub struct Report {
    pub schema_version: u32,
    pub generated_at: String,
    pub as_of: String,
    pub dictionary: DictionaryInfo,
    pub summary: Summary,
    /// Records in all files.
    pub rows: u64,
    /// The fields of the only file; empty with several files.
    pub fields: Vec<Field>,
    /// Each file's input.
    pub inputs: Vec<Input>,
    /// The summary's.
    pub use_cases: Vec<UseCase>,
    pub fix_first: Vec<Fix>,
    pub re_export: Vec<ReExport>,
    pub files: Vec<FileReport>,
    pub skipped: Vec<Skipped>,
    pub errors: Vec<FileError>,
    pub worklist: Option<serde_json::Value>,
    pub diagnostic: serde_json::Value,
}

impl Report {
    /// The report's `worklist` section.
    pub fn summary_worklist(&self) -> &serde_json::Value {
        self.worklist.as_ref().expect("a worklist section")
    }
}

impl From<Json> for Report {
    fn from(json: Json) -> Self {
        assert_eq!(json.summary.files, json.files.len());
        Report {
            schema_version: json.schema_version,
            generated_at: json.generated_at,
            as_of: json.as_of,
            dictionary: json.dictionary,
            rows: json.summary.rows,
            fields: match json.files.as_slice() {
                [one] => one.fields.clone(),
                _ => Vec::new(),
            },
            inputs: json.files.iter().map(|f| f.input.clone()).collect(),
            use_cases: json.summary.use_cases.clone(),
            fix_first: json.summary.fix_first.clone(),
            re_export: json.summary.re_export.clone(),
            summary: json.summary,
            files: json.files,
            skipped: json.skipped,
            errors: json.errors,
            worklist: json.worklist,
            diagnostic: json.diagnostic,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileReport {
    pub input: Input,
    pub rows: u64,
    pub fields: Vec<Field>,
    pub use_cases: Vec<UseCase>,
    pub fix_first: Vec<Fix>,
    pub re_export: Vec<ReExport>,
    pub duplicates: Vec<Duplicates>,
    pub reach: Option<Reach>,
    pub by_missing: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Duplicates {
    pub key: String,
    pub columns: Vec<String>,
    pub records: u64,
    pub distinct: u64,
    pub groups: u64,
    pub duplicate_records: u64,
    pub duplicate_rate: f64,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Reach {
    pub consent_columns: Vec<String>,
    pub addresses: u64,
    pub reachable: u64,
    pub opted_out: u64,
    pub not_marketing: u64,
    pub bounced: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileError {
    pub path: String,
    pub message: String,
}

impl Report {
    pub fn field(&self, column: &str) -> &Field {
        self.fields
            .iter()
            .find(|f| f.column == column)
            .unwrap_or_else(|| {
                panic!(
                    "no column {column:?} in {:?}",
                    self.fields.iter().map(|f| &f.column).collect::<Vec<_>>()
                )
            })
    }

    pub fn use_case(&self, id: &str) -> &UseCase {
        self.use_cases
            .iter()
            .find(|u| u.id == id)
            .unwrap_or_else(|| panic!("no use case {id}"))
    }

    /// The fill requirement on `field` of use case `id` (else its first requirement on it).
    pub fn requirement(&self, id: &str, field: &str) -> &Requirement {
        let reqs = &self.use_case(id).requirements;
        reqs.iter()
            .find(|r| r.field == field && r.measure == "fill")
            .or_else(|| reqs.iter().find(|r| r.field == field))
            .unwrap_or_else(|| panic!("no requirement on {field} in {id}"))
    }

    /// The requirement of use case `id` on `field` with `measure`.
    pub fn measure(&self, id: &str, field: &str, measure: &str) -> &Requirement {
        self.use_case(id)
            .requirements
            .iter()
            .find(|r| r.field == field && r.measure == measure)
            .unwrap_or_else(|| panic!("no {measure} requirement on {field} in {id}"))
    }

    /// The only file's duplicates by `key`.
    pub fn duplicates(&self, key: &str) -> &Duplicates {
        self.files[0]
            .duplicates
            .iter()
            .find(|d| d.key == key)
            .unwrap_or_else(|| panic!("no {key} key"))
    }

    pub fn verdict(&self, id: &str) -> &str {
        &self.use_case(id).verdict
    }

    /// (rows, filled, blank, placeholder) of a column.
    pub fn counts(&self, column: &str) -> (u64, u64, u64, u64) {
        let f = self.field(column);
        (f.rows, f.filled, f.blank, f.placeholder)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    pub path: String,
    pub size: u64,
    pub content_hash: String,
    pub format: String,
    pub vendor: Option<String>,
    pub object: Option<String>,
    pub kind: Option<String>,
    pub map: Option<String>,
    pub map_score: f64,
    pub map_columns_matched: usize,
    pub map_forced: bool,
    pub map_chosen_by: Option<String>,
    pub account_link: Option<AccountLink>,
    pub map_better_fit: Option<String>,
    pub map_tied_with: Vec<String>,
    pub encoding: Option<String>,
    pub delimiter: Option<String>,
    pub line_ending: Option<String>,
    pub sheet: Option<String>,
    pub header_line: u64,
    pub columns: usize,
    pub rows: u64,
    pub ragged_rows: u64,
    pub ragged_examples: Vec<Ragged>,
    pub removed: Vec<Removed>,
    pub suspected_summary_rows: Vec<u64>,
    pub footer_records: Option<u64>,
    pub stray_trailing_byte: Option<String>,
    pub renamed_headers: Vec<RenamedHeader>,
    pub repaired_cells: u64,
    /// A warehouse table audited in SQL; null for a file.
    pub sql: Option<serde_json::Value>,
}

impl Input {
    /// Lines removed for `reason` (report_footer, blank_line, bare_delimiters).
    pub fn removed(&self, reason: &str) -> (u64, Vec<u64>) {
        self.removed
            .iter()
            .find(|r| r.reason == reason)
            .map_or((0, vec![]), |r| (r.count, r.lines.clone()))
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Ragged {
    pub line: u64,
    pub cells: usize,
    pub expected: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Removed {
    pub reason: String,
    pub count: u64,
    pub lines: Vec<u64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenamedHeader {
    pub position: usize,
    pub original: String,
    pub renamed: String,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub column: String,
    pub canonical: Option<String>,
    #[serde(rename = "type")]
    pub field_type: Option<String>,
    pub rows: u64,
    pub filled: u64,
    pub fill_rate: f64,
    pub blank: u64,
    pub placeholder: u64,
    pub combines: Vec<PartFill>,
    pub valid: Option<u64>,
    pub valid_rate: Option<f64>,
    pub invalid: std::collections::BTreeMap<String, u64>,
    pub personal_domain: Option<u64>,
    pub role_account: Option<u64>,
    pub fresh: Vec<FreshCount>,
    pub age: Option<std::collections::BTreeMap<String, u64>>,
    pub date_order: Option<DateOrder>,
    pub distinct: Option<u64>,
    pub distinct_over_limit: bool,
    pub variants: Option<u64>,
    pub dominant_count: Option<u64>,
    pub dominant_share: Option<f64>,
    pub dominant_value: Option<String>,
    pub mojibake: u64,
    pub examples: Vec<Example>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FreshCount {
    pub within_days: u32,
    pub fresh: u64,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DateOrder {
    pub order: String,
    pub decided_by: String,
    pub evidence: u64,
    pub against: u64,
    pub ambiguous: u64,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub reason: String,
    pub value: String,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AccountLink {
    pub column: String,
    pub accounts: String,
    pub blank: u64,
    pub unmatched: u64,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PartFill {
    pub column: String,
    pub filled: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UseCase {
    pub id: String,
    pub title: String,
    pub verdict: String,
    pub note: Option<String>,
    pub file: Option<String>,
    pub requirements: Vec<Requirement>,
    pub to_ready: ToReady,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToReady {
    pub fill: Vec<String>,
    pub records: u64,
    pub re_export: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub field: String,
    pub column: Option<String>,
    pub measure: String,
    pub condition: Option<String>,
    pub observed: Option<f64>,
    pub threshold: f64,
    pub met: bool,
    pub status: String,
    pub passing: u64,
    pub records_needed: u64,
    pub action: Option<String>,
    pub reason: String,
    pub source: Option<String>,
    pub segments: Vec<Breakdown>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Breakdown {
    pub by: String,
    pub segments: Vec<SegmentRow>,
    pub other: Option<SegmentRow>,
    pub other_segments: usize,
    pub capped: bool,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SegmentRow {
    pub segment: String,
    pub rows: u64,
    pub passing: u64,
    pub observed: f64,
    pub records_needed: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fix {
    pub field: String,
    pub fields: Vec<FixField>,
    pub records_needed: u64,
    pub unblocks: Vec<String>,
    pub affects: Vec<String>,
    pub impact: f64,
    pub file: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixField {
    pub field: String,
    pub column: String,
    pub measure: String,
    pub condition: Option<String>,
    pub threshold: f64,
    pub passing: u64,
    pub records_needed: u64,
    pub action: String,
}

/// A minimal XLSX workbook with one sheet "Data" holding `cells` as inline strings, each at an
/// A1-style address (`("XFD1048576", "x")`). Rows are written in the order given.
pub fn xlsx(cells: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write as _;
    let mut rows: Vec<(u32, Vec<(&str, &str)>)> = Vec::new();
    for &(address, text) in cells {
        let row: u32 = address
            .trim_start_matches(|c: char| c.is_ascii_alphabetic())
            .parse()
            .expect("an A1-style address");
        match rows.last_mut() {
            Some((r, cells)) if *r == row => cells.push((address, text)),
            _ => rows.push((row, vec![(address, text)])),
        }
    }
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (row, cells) in rows {
        sheet.push_str(&format!(r#"<row r="{row}">"#));
        for (address, text) in cells {
            let text = text
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            sheet.push_str(&format!(
                r#"<c r="{address}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>"#
            ));
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let files = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_owned(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_owned(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_owned(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_owned(),
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in files {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A ZIP archive of `files` (name, bytes).
pub fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write as _;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// gzip of `bytes`.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

/// Whether an outside program a test needs is here: `command` succeeds. When it is not, says
/// `SKIPPED test: why` straight to the terminal, past the harness's capture, so a skip is
/// seen; CI installs every such program first.
#[allow(dead_code)]
pub fn needs(test: &str, command: &[&str], why: &str) -> bool {
    let here = std::process::Command::new(command[0])
        .args(&command[1..])
        .output()
        .is_ok_and(|o| o.status.success());
    if !here {
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
    }
    here
}
