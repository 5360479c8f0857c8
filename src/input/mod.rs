//! Reading exports: decoding, dialect, header hygiene and trailers, into polars batches.
//!
//! Whatever the shape of the file, the audit sees the same thing: the cleaned header and a
//! stream of `DataFrame` batches whose columns are all strings, one per header column.

mod csv;
mod decode;
mod dialect;
mod header;
mod split;
mod trailer;

use std::path::PathBuf;

use serde::Serialize;

pub use self::csv::{CsvInput, open_csv};
pub use decode::Detected;
pub use dialect::delimiter_name;
pub use header::{Header, Renamed};
pub use trailer::RemovedReason;

/// How to read, beyond what is detected.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Force the field delimiter instead of sniffing it.
    pub delimiter: Option<u8>,
    /// Bytes per parallel parse block.
    pub block_size: usize,
    /// A record longer than this is an error (it is nearly always an unclosed quote).
    pub max_record_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            delimiter: None,
            block_size: 1 << 20,
            max_record_bytes: 64 << 20,
        }
    }
}

/// How far reading has come, for progress bars.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    pub bytes_read: u64,
    pub total_bytes: Option<u64>,
    pub lines_read: u64,
}

/// A row whose number of cells differs from the header's. Missing cells count as blank,
/// extra cells are left out of the measures.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RaggedRow {
    /// 1-based physical line where the row starts.
    pub line: u64,
    pub cells: usize,
    pub expected: usize,
}

/// Lines left out of the data, grouped by reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
}

/// How many examples of a problem a report lists before it only counts.
pub const MAX_EXAMPLES: usize = 10;

/// Why an input cannot be audited.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: the file is empty", path.display())]
    Empty { path: PathBuf },
    #[error("{}:{line}: the file has a header but no data rows", path.display())]
    NoRows { path: PathBuf, line: u64 },
    #[error("{}: not a CSV export: {why}", path.display())]
    NotText { path: PathBuf, why: String },
    #[error(
        "{}:{line}: unbalanced quote: the quoted field that opens on line {line} is never closed \
         (fix the quote, or export the file again)",
        path.display()
    )]
    UnbalancedQuote { path: PathBuf, line: u64 },
    #[error(
        "{}:{line}: a single record is larger than {limit} MiB (an unclosed quote, or not a CSV file)",
        path.display()
    )]
    RecordTooLarge {
        path: PathBuf,
        line: u64,
        limit: usize,
    },
}
