//! Spreadsheets (XLSX, XLSM, XLS, XLSB, ODS) through calamine: the sheet, the header row below
//! any report title rows, and the cells as the user sees them, converted to polars batches in
//! parallel.

use std::borrow::Cow;
use std::io::{Cursor, Read};
use std::ops::AddAssign;
use std::path::PathBuf;

use calamine::{Data, Range, Reader, open_workbook_auto_from_rs};
use polars::prelude::DataFrame;
use rayon::prelude::*;

use super::batch::{BatchBuilder, column_names};
use super::container::Source;
use super::header::Header;
use super::trailer::{Class, RemovedReason, classify_cells, decide};
use super::{InputError, Progress, ScanSummary, group_removed};

/// Rows converted per batch.
const BATCH_ROWS: usize = 16_384;
/// How far down a report's title and filter rows may push the header.
const HEADER_SEARCH_ROWS: usize = 50;
const TRAILER_SEARCH_ROWS: usize = 64;

/// An opened sheet: header found, data rows delimited, cells not converted yet.
pub struct SheetInput {
    name: PathBuf,
    sheet: String,
    header: Header,
    header_row: u64,
    range: Range<Data>,
    /// Data rows, as indexes into `range`.
    data: std::ops::Range<usize>,
    /// (sheet row number, reason) of rows left out.
    removed: Vec<(u64, RemovedReason)>,
    /// Size of the workbook file, so progress is reported in bytes like for CSV.
    file_bytes: u64,
}

fn spreadsheet_error(source: &Source, err: impl std::fmt::Display) -> InputError {
    InputError::Spreadsheet {
        path: source.name.clone(),
        why: err.to_string(),
    }
}

/// What a cell shows: numbers without a spurious `.0`, dates as ISO 8601, errors as `#N/A`.
fn cell_text(cell: &Data) -> Option<Cow<'_, str>> {
    let text = match cell {
        Data::Empty => return None,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
            return Some(Cow::Borrowed(s));
        }
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => (if *b { "TRUE" } else { "FALSE" }).to_owned(),
        Data::DateTime(d) => {
            let (y, mo, day, h, mi, s, _) = d.to_ymd_hms_milli();
            if d.is_duration() {
                format!(
                    "{:02}:{mi:02}:{s:02}",
                    d.as_f64() as u64 * 24 + u64::from(h)
                )
            } else if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{day:02}")
            } else {
                format!("{y:04}-{mo:02}-{day:02} {h:02}:{mi:02}:{s:02}")
            }
        }
        Data::Error(e) => e.to_string(),
    };
    Some(Cow::Owned(text))
}

fn row_texts(row: &[Data]) -> Vec<String> {
    row.iter()
        .map(|c| cell_text(c).map(Cow::into_owned).unwrap_or_default())
        .collect()
}

fn filled_cells(row: &[Data]) -> usize {
    row.iter()
        .filter(|c| match c {
            Data::Empty => false,
            Data::String(s) => !s.trim().is_empty(),
            _ => true,
        })
        .count()
}

/// Opens `source` and picks the sheet: `--sheet` by name or 1-based number, else the first
/// sheet holding data.
pub fn open_spreadsheet(
    source: &Source,
    sheet: Option<&str>,
    max_bytes: u64,
) -> Result<SheetInput, InputError> {
    // Workbooks are ZIP or OLE containers read at random: load the (compressed) file first.
    let mut bytes = Vec::new();
    source
        .open(max_bytes)?
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::io(source.name.clone(), e))?;
    let lower = source.name.to_string_lossy().to_lowercase();
    let zip_format = [".xlsx", ".xlsm", ".xlsb"]
        .iter()
        .any(|e| lower.ends_with(e));
    if zip_format && bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        // Excel stores a password-protected workbook inside an encrypted OLE container.
        return Err(InputError::Spreadsheet {
            path: source.name.clone(),
            why: "the workbook is password-protected (encrypted); save an unprotected copy and audit that".into(),
        });
    }
    let file_bytes = bytes.len() as u64;
    let mut workbook =
        open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| spreadsheet_error(source, e))?;
    let names = workbook.sheet_names();
    let (sheet, range) = match sheet {
        Some(wanted) => {
            let by_number = wanted
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=names.len()).contains(n));
            let name = match by_number {
                Some(n) => names[n - 1].clone(),
                None => names
                    .iter()
                    .find(|n| n.eq_ignore_ascii_case(wanted))
                    .cloned()
                    .ok_or_else(|| InputError::NoSuchSheet {
                        path: source.name.clone(),
                        sheet: wanted.to_owned(),
                        sheets: names.join(", "),
                    })?,
            };
            let range = workbook
                .worksheet_range(&name)
                .map_err(|e| spreadsheet_error(source, e))?;
            (name, range)
        }
        None => {
            let mut found = None;
            for name in &names {
                let range = workbook
                    .worksheet_range(name)
                    .map_err(|e| spreadsheet_error(source, e))?;
                if !range.is_empty() {
                    found = Some((name.clone(), range));
                    break;
                }
            }
            found.ok_or_else(|| InputError::Empty {
                path: source.name.clone(),
            })?
        }
    };
    let first_row = u64::from(range.start().map_or(0, |(r, _)| r)) + 1;
    let rows: Vec<&[Data]> = range.rows().collect();
    let counts: Vec<usize> = rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .map(|r| filled_cells(r))
        .collect();
    let widest = counts.iter().copied().max().unwrap_or(0);
    if widest == 0 {
        return Err(InputError::Empty {
            path: source.name.clone(),
        });
    }
    // Title and filter rows hold a cell or two; the header is the first row nearly as wide as
    // the widest of the first rows.
    let header_index = counts
        .iter()
        .position(|&c| c * 10 >= widest * 8)
        .unwrap_or(0);
    let header = Header::from_raw(&row_texts(rows[header_index]));
    let mut removed: Vec<(u64, RemovedReason)> = (0..header_index)
        .map(|i| (first_row + i as u64, RemovedReason::AboveHeader))
        .collect();

    let width = header.len();
    let tail_start = rows
        .len()
        .saturating_sub(TRAILER_SEARCH_ROWS)
        .max(header_index + 1);
    let mut classes = Vec::new();
    for row in rows[tail_start..].iter().rev() {
        let texts = row_texts(row);
        let cells: Vec<&str> = texts.iter().map(String::as_str).collect();
        let class = classify_cells(&cells, width);
        classes.push(class);
        if class == Class::Data {
            break;
        }
    }
    classes.reverse();
    let (first, reasons) = decide(&classes);
    let data_end = rows.len() - (classes.len() - first);
    for (k, reason) in reasons.into_iter().enumerate() {
        removed.push((first_row + (data_end + k) as u64, reason));
    }
    let data = header_index + 1..data_end;
    if data.is_empty() {
        return Err(InputError::NoRows {
            path: source.name.clone(),
            line: first_row + header_index as u64,
        });
    }
    Ok(SheetInput {
        name: source.name.clone(),
        sheet,
        header,
        header_row: first_row + header_index as u64,
        range,
        data,
        removed,
        file_bytes,
    })
}

impl SheetInput {
    pub fn header(&self) -> &Header {
        &self.header
    }

    pub fn header_line(&self) -> u64 {
        self.header_row
    }

    /// Up to `n` values of column `index` from the first data rows.
    pub fn sample_column(&self, index: usize, n: usize) -> Vec<String> {
        self.range
            .rows()
            .skip(self.data.start)
            .take(n.min(self.data.len()))
            .filter_map(|row| {
                row.get(index)
                    .and_then(cell_text)
                    .map(|t| t.trim().to_owned())
            })
            .collect()
    }

    pub fn sheet(&self) -> &str {
        &self.sheet
    }

    pub fn name(&self) -> &std::path::Path {
        &self.name
    }

    /// Converts the data rows in parallel batches and folds each into an accumulator.
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
        let names = column_names(&self.header);
        let rows: Vec<&[Data]> = self.range.rows().collect();
        let data = &rows[self.data.clone()];
        let done = std::sync::atomic::AtomicU64::new(0);
        let acc = data
            .par_chunks(BATCH_ROWS)
            .map(|chunk| {
                let mut batch = BatchBuilder::new(&names, chunk.len());
                for row in chunk {
                    batch.push_row(row.iter().map(cell_text));
                }
                let frame = batch.finish();
                let mut acc = init();
                fold(&mut acc, &frame);
                let rows_done = done
                    .fetch_add(chunk.len() as u64, std::sync::atomic::Ordering::Relaxed)
                    + chunk.len() as u64;
                // The workbook is already read; the share of rows converted stands for bytes.
                progress(Progress {
                    bytes_read: self.file_bytes * rows_done / data.len() as u64,
                    total_bytes: Some(self.file_bytes),
                    lines_read: rows_done,
                });
                acc
            })
            .reduce_with(|mut a, b| {
                a += b;
                a
            });
        let acc = acc.ok_or_else(|| InputError::NoRows {
            path: self.name.clone(),
            line: self.header_row,
        })?;
        let removed = group_removed(self.removed);
        Ok((
            acc,
            ScanSummary {
                rows: data.len() as u64,
                removed,
                ..ScanSummary::default()
            },
        ))
    }
}
