//! Reading exports: decoding, dialect, header hygiene and trailers, into polars batches.
//!
//! Whatever the shape of the file, the audit sees the same thing: the cleaned header and a
//! stream of `DataFrame` batches whose columns are all strings, one per header column.

mod batch;
mod container;
mod csv;
mod decode;
mod dialect;
mod header;
mod split;
mod trailer;
mod xlsx;

use std::ops::AddAssign;
use std::path::{Path, PathBuf};

use polars::prelude::DataFrame;
use serde::Serialize;

pub use self::csv::{CsvInput, LineEnding, open_csv};
pub use container::{
    DEFAULT_MAX_DEPTH, Discovered, LimitExceeded, STDIN_NAME, Skipped, Source, SourceKind, discover,
};
pub use decode::Detected;
pub use dialect::delimiter_name;
pub use header::{Header, Renamed};
pub use trailer::RemovedReason;
pub use xlsx::{SheetInput, open_spreadsheet};

/// 64 GiB: far above any real CRM export, far below what a decompression bomb expands to.
pub const DEFAULT_MAX_UNCOMPRESSED: u64 = 64 << 30;

/// How to read, beyond what is detected.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Force the field delimiter instead of sniffing it.
    pub delimiter: Option<u8>,
    /// Bytes per parallel parse block.
    pub block_size: usize,
    /// A record longer than this is an error (it is nearly always an unclosed quote).
    pub max_record_bytes: usize,
    /// Refuse a file larger than this once decompressed (ZIP and gzip bombs).
    pub max_uncompressed: u64,
    /// The spreadsheet sheet to read, by name or 1-based number.
    pub sheet: Option<String>,
    /// The first row is data: name the columns `column_1`, `column_2`...
    pub no_header: bool,
    /// How many levels of folders below a folder given are searched.
    pub max_depth: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            delimiter: None,
            block_size: 1 << 20,
            max_record_bytes: 8 << 20,
            max_uncompressed: DEFAULT_MAX_UNCOMPRESSED,
            sheet: None,
            no_header: false,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }
}

/// How far reading has come, for progress bars.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    pub bytes_read: u64,
    pub total_bytes: Option<u64>,
    pub lines_read: u64,
    /// Reading is over and the report is about to be written: clear any progress display.
    pub finished: bool,
}

/// A row whose number of cells differs from the header's. Missing cells count as blank,
/// extra cells are left out of the measures.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
pub struct RaggedRow {
    /// 1-based physical line where the row starts.
    pub line: u64,
    pub cells: usize,
    pub expected: usize,
}

/// Lines left out of the data, grouped by reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct RemovedLines {
    pub reason: RemovedReason,
    pub count: u64,
    /// 1-based line numbers (the first few).
    pub lines: Vec<u64>,
}

/// What was found in the file and done about it: the `inputs` entry of the report.
#[derive(Debug, Clone, Default)]
pub struct ScanSummary {
    /// Data records measured.
    pub rows: u64,
    pub ragged_rows: u64,
    /// The first few ragged rows, by line.
    pub ragged_examples: Vec<RaggedRow>,
    pub removed: Vec<RemovedLines>,
    /// Cells that were not valid UTF-8 and were read as Windows-1252.
    pub repaired_cells: u64,
    /// Lines (rows) at the end kept as records although they have the shape of a totals row.
    pub suspected_totals: Vec<u64>,
    /// An odd byte after the last UTF-16 character, left out.
    pub stray_byte: Option<u8>,
    /// The record count a Salesforce report footer states (`Grand Totals (5 records)`).
    pub footer_records: Option<u64>,
    /// Bytes read from the source (decompressed), and their xxh3 hash.
    pub bytes: u64,
    pub content_hash: u64,
}

/// How many examples of a problem a report lists before it only counts.
pub const MAX_EXAMPLES: usize = 10;

/// Groups removed lines by reason, keeping the first few line numbers of each.
fn group_removed(lines: impl IntoIterator<Item = (u64, RemovedReason)>) -> Vec<RemovedLines> {
    let mut removed: Vec<RemovedLines> = Vec::new();
    for (line, reason) in lines {
        match removed.iter_mut().find(|r| r.reason == reason) {
            Some(entry) => {
                entry.count += 1;
                entry.lines.push(line);
            }
            None => removed.push(RemovedLines {
                reason,
                count: 1,
                lines: vec![line],
            }),
        }
    }
    for entry in &mut removed {
        entry.lines.sort_unstable();
        entry.lines.truncate(MAX_EXAMPLES);
    }
    removed.sort_by_key(|r| r.reason);
    removed
}

/// An export opened for reading, whatever its format: the same header and batches either way.
#[allow(
    clippy::large_enum_variant,
    reason = "one per file being read, never copied in a loop"
)]
pub enum Opened {
    Csv(CsvInput),
    Sheet(SheetInput),
}

/// How an opened export was read, for the report.
#[derive(Debug, Clone)]
pub struct ReadInfo {
    pub format: &'static str,
    pub encoding: Option<String>,
    pub delimiter: Option<String>,
    pub line_ending: Option<&'static str>,
    pub sheet: Option<String>,
    pub header_line: u64,
}

/// Opens a source as CSV or spreadsheet.
pub fn open(source: &Source, options: &ReadOptions) -> Result<Opened, InputError> {
    match source.kind {
        SourceKind::Csv => Ok(Opened::Csv(open_csv(source, options)?)),
        SourceKind::Spreadsheet => Ok(Opened::Sheet(open_spreadsheet(
            source,
            options.sheet.as_deref(),
            options.max_uncompressed,
            options.no_header,
        )?)),
    }
}

impl Opened {
    pub fn header(&self) -> &Header {
        match self {
            Opened::Csv(c) => c.header(),
            Opened::Sheet(s) => s.header(),
        }
    }

    pub fn info(&self) -> ReadInfo {
        match self {
            Opened::Csv(c) => ReadInfo {
                format: "csv",
                encoding: Some(c.encoding().label().to_owned()),
                delimiter: Some(delimiter_name(c.delimiter())),
                line_ending: Some(c.line_ending().label()),
                sheet: None,
                header_line: c.header_line(),
            },
            Opened::Sheet(s) => ReadInfo {
                format: spreadsheet_format(s.name()),
                encoding: None,
                delimiter: None,
                line_ending: None,
                sheet: Some(s.sheet().to_owned()),
                header_line: s.header_line(),
            },
        }
    }

    /// Up to `n` values of the column named `name` from the first data rows (internal use
    /// only: never reported).
    pub fn sample_column(&self, name: &str, n: usize) -> Vec<String> {
        let Some(index) = self
            .header()
            .names
            .iter()
            .position(|c| c.eq_ignore_ascii_case(name))
        else {
            return Vec::new();
        };
        match self {
            Opened::Csv(c) => c.sample_column(index, n),
            Opened::Sheet(s) => s.sample_column(index, n),
        }
    }

    /// Reads every record once; see [`CsvInput::scan`].
    pub fn scan<A, I, F>(
        self,
        init: I,
        fold: F,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<(A, ScanSummary), InputError>
    where
        A: Send + AddAssign,
        I: Fn() -> A + Sync + Send,
        F: Fn(&mut A, &DataFrame) + Sync + Send,
    {
        match self {
            Opened::Csv(c) => c.scan(init, fold, progress),
            Opened::Sheet(s) => s.scan(init, fold, progress),
        }
    }
}

fn spreadsheet_format(name: &Path) -> &'static str {
    let lower = name.to_string_lossy().to_lowercase();
    ["xlsx", "xlsm", "xlsb", "xls", "ods"]
        .into_iter()
        .find(|ext| lower.ends_with(&format!(".{ext}")))
        .unwrap_or("xlsx")
}

fn unrecognised_reason(columns: usize, use_cases: usize, kind: Option<&str>) -> String {
    match kind {
        Some(kind) => format!(
            "none of the {use_cases} use cases of the dictionary is built on {kind} records, so nothing can be judged"
        ),
        None => format!(
            "no field map fits its {columns} column{}, so none of the {use_cases} use cases can be judged",
            if columns == 1 { "" } else { "s" }
        ),
    }
}

fn unrecognised_advice(kind: Option<&str>, delimiter: Option<&str>) -> String {
    match (kind, delimiter) {
        (Some(_), _) => {
            "give a dictionary with use cases for these records (--dictionary), or choose another map with --field-map".to_owned()
        }
        (None, Some(d)) => format!(
            "check that it is a HubSpot or Salesforce export and that it is {d} delimited (or say which with --delimiter), or choose a map with --field-map"
        ),
        (None, None) => {
            "check that it is a HubSpot or Salesforce export, or choose a map with --field-map".to_owned()
        }
    }
}

/// Why an input cannot be audited.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{}: cannot read: {source}", crate::shown::path(path))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: the file is empty", crate::shown::path(path))]
    Empty { path: PathBuf },
    #[error(
        "{}:{line}: the file has a header but no data rows",
        crate::shown::path(path)
    )]
    NoRows { path: PathBuf, line: u64 },
    #[error("{}: not a CSV export: {why}", crate::shown::path(path))]
    NotText { path: PathBuf, why: String },
    #[error(
        "{}:{line}: unbalanced quote: the quoted field that opens on line {line} is never closed \
         (fix the quote, or export the file again)",
        crate::shown::path(path)
    )]
    UnbalancedQuote { path: PathBuf, line: u64 },
    #[error(
        "{}:{line}: a single record is larger than {limit} MiB (an unclosed quote, or not a CSV file)",
        crate::shown::path(path)
    )]
    RecordTooLarge {
        path: PathBuf,
        line: u64,
        limit: usize,
    },
    #[error(
        "{}:{line}: no header row: {why}, where a column name should be; if the file has no header row, audit it with --no-header (columns are then named column_1, column_2, ...)",
        crate::shown::path(path)
    )]
    NoHeader {
        path: PathBuf,
        line: u64,
        why: String,
    },
    #[error(
        "{}: no exports found (looked for .csv, .tsv, .txt, .csv.gz, .zip, .xlsx, .xlsm, .xls, .xlsb, .ods)",
        crate::shown::path(path)
    )]
    NoExports { path: PathBuf },
    #[error("{}: cannot read the archive: {why}", crate::shown::path(path))]
    Archive { path: PathBuf, why: String },
    #[error(
        "{}: refused: larger than {limit} bytes once decompressed (a decompression bomb?); raise the limit with --max-uncompressed if it is real",
        crate::shown::path(path)
    )]
    TooLarge { path: PathBuf, limit: u64 },
    #[error("{}: cannot read the spreadsheet: {why}", crate::shown::path(path))]
    Spreadsheet { path: PathBuf, why: String },
    #[error(
        "{}: {}; {}",
        crate::shown::path(path),
        unrecognised_reason(*columns, *use_cases, kind.as_deref()),
        unrecognised_advice(kind.as_deref(), delimiter.as_deref())
    )]
    Unrecognised {
        path: PathBuf,
        columns: usize,
        delimiter: Option<String>,
        use_cases: usize,
        /// The kind of records a map found, when one fits but no use case is built on them.
        kind: Option<String>,
    },
    #[error(
        "{}: cannot read: the reader stopped on damaged data ({}); open and save the file again, or export it again",
        crate::shown::path(path),
        crate::shown::escape_control(why)
    )]
    Damaged { path: PathBuf, why: String },
    #[error(
        "{}: no sheet {}; the sheets are: {}",
        crate::shown::path(path),
        crate::shown::escape_control(&format!("{sheet:?}")),
        crate::shown::escape_control(sheets)
    )]
    NoSuchSheet {
        path: PathBuf,
        sheet: String,
        sheets: String,
    },
}

impl InputError {
    /// The file (or archive entry) the error is about.
    pub fn path(&self) -> &Path {
        match self {
            InputError::Io { path, .. }
            | InputError::Empty { path }
            | InputError::NoRows { path, .. }
            | InputError::NotText { path, .. }
            | InputError::UnbalancedQuote { path, .. }
            | InputError::RecordTooLarge { path, .. }
            | InputError::NoHeader { path, .. }
            | InputError::NoExports { path }
            | InputError::Archive { path, .. }
            | InputError::TooLarge { path, .. }
            | InputError::Spreadsheet { path, .. }
            | InputError::Unrecognised { path, .. }
            | InputError::Damaged { path, .. }
            | InputError::NoSuchSheet { path, .. } => path,
        }
    }

    /// For [`InputError::Unrecognised`]: what was found, in a few words.
    pub fn reason(&self) -> String {
        match self {
            InputError::Unrecognised {
                columns,
                use_cases,
                kind,
                ..
            } => unrecognised_reason(*columns, *use_cases, kind.as_deref()),
            other => other.to_string(),
        }
    }

    /// An I/O error on `path`, told apart when it is the decompression limit.
    pub fn io(path: PathBuf, err: std::io::Error) -> Self {
        if let Some(LimitExceeded(limit)) = err
            .get_ref()
            .and_then(|e| e.downcast_ref::<LimitExceeded>())
        {
            return InputError::TooLarge {
                path,
                limit: *limit,
            };
        }
        InputError::Io { path, source: err }
    }
}
