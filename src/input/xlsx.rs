//! Spreadsheets (XLSX, XLSM, XLS, XLSB, ODS) through calamine: the sheet, the header row below
//! any report title rows, and the cells as the user sees them, converted to polars batches in
//! parallel.
//!
//! XLSX and XLSB sheets are streamed cell by cell: memory follows what the sheet holds, not the
//! range it declares, so a lone cell at `XFD1048576` costs one cell, not a dense grid of 17
//! billion. Only the last rows are held back, to tell a report footer from the records. XLS and
//! ODS have no streaming reader in calamine; their sheets are small by format (XLS stops at
//! 65,536 rows) and are read whole.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::io::{Cursor, Read};
use std::ops::AddAssign;
use std::path::PathBuf;
use std::sync::mpsc::{SyncSender, sync_channel};

use calamine::{Data, DataRef, Range, Reader, Sheets, open_workbook_auto_from_rs};
use polars::prelude::DataFrame;
use rayon::iter::{ParallelBridge, ParallelIterator};

use super::batch::{BatchBuilder, column_names};
use super::container::Source;
use super::header::Header;
use super::trailer::{Class, MAX_TRAILER_LINES, PROFILE_ROWS, RemovedReason, classify_cells};
use super::{InputError, MAX_EXAMPLES, Progress, RaggedRow, ScanSummary, group_removed};

/// Cells converted per batch: 16,384 rows of 40 columns; fewer rows when the sheet is wider,
/// so a header that reaches column XFD cannot make a batch of millions of cells.
const BATCH_CELLS: usize = 16_384 * 40;
/// At most this many rows per batch, however narrow the sheet.
const BATCH_ROWS: usize = 16_384;
/// How far down a report's title and filter rows may push the header.
const HEADER_SEARCH_ROWS: usize = 50;
/// Data rows kept from the first read, for [`SheetInput::sample_column`].
const SAMPLE_ROWS: usize = 20;

type Workbook = Sheets<Cursor<Vec<u8>>>;

/// One row as read: its 1-based sheet row number and its cells that hold something, by
/// 0-based sheet column.
struct SheetRow<'a> {
    number: u64,
    cells: Vec<(u32, Cow<'a, str>)>,
}

impl SheetRow<'_> {
    fn is_blank(&self) -> bool {
        self.cells.iter().all(|(_, text)| text.trim().is_empty())
    }
}

/// A data row laid out in header order: `None` where the row has no cell.
struct DenseRow<'a> {
    number: u64,
    cells: Vec<Option<Cow<'a, str>>>,
}

/// An opened sheet: header found, data not read yet.
pub struct SheetInput {
    name: PathBuf,
    sheet: String,
    header: Header,
    /// Sheet row of the header; the row before the first data row with `--no-header`.
    header_row: u64,
    /// 0-based sheet column of the header's first column.
    origin: u32,
    workbook: Workbook,
    /// XLS and ODS: the sheet, read once.
    dense: Option<Range<Data>>,
    /// (sheet row number, reason) of rows left out above the header.
    removed: Vec<(u64, RemovedReason)>,
    /// The first data rows in header order (internal use only: never reported).
    sample: Vec<Vec<String>>,
    /// Size of the workbook file, so progress is reported in bytes like for CSV.
    file_bytes: u64,
    /// xxh3 of the workbook file.
    content_hash: u64,
}

/// calamine's message, without the cell value some of them quote ("Unrecognized boolean
/// cell value: ..."): a report never shows cell values.
fn spreadsheet_error(source: &Source, err: impl std::fmt::Display) -> InputError {
    InputError::Spreadsheet {
        path: source.name.clone(),
        why: without_values(err.to_string()),
    }
}

/// calamine's message with what it quotes from the file cut out: cell values, entities and
/// attributes ('...', `...`, "..."), and whatever follows "value:".
fn without_values(mut why: String) -> String {
    if let Some(at) = why.to_lowercase().find("value: ") {
        why.truncate(at + "value:".len());
        why.push_str(" (not shown)");
    }
    let mut out = String::with_capacity(why.len());
    let mut quote: Option<char> = None;
    for c in why.chars() {
        match quote {
            Some(q) if c == q => {
                out.push_str("(not shown)");
                out.push(c);
                quote = None;
            }
            Some(_) => {}
            None if matches!(c, '\'' | '`' | '"') => {
                out.push(c);
                quote = Some(c);
            }
            None => out.push(c),
        }
    }
    if quote.is_some() {
        out.push_str("(not shown)");
    }
    out
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

/// The same for a streamed cell; shared strings stay borrowed from the workbook.
fn ref_text<'a>(cell: &DataRef<'a>) -> Option<Cow<'a, str>> {
    match cell {
        DataRef::Empty => None,
        DataRef::SharedString(s) => Some(Cow::Borrowed(*s)),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
            Some(Cow::Owned(s.clone()))
        }
        other => cell_text(&Data::from(other.clone())).map(|t| Cow::Owned(t.into_owned())),
    }
}

/// Calls `visit` with each row of `sheet` that has cells, in sheet order, until it returns
/// false. Streams XLSX and XLSB; walks the sheet read once for XLS and ODS.
fn for_each_row<'a>(
    workbook: &'a mut Workbook,
    dense: Option<&'a Range<Data>>,
    sheet: &str,
    visit: &mut dyn FnMut(SheetRow<'a>) -> bool,
) -> Result<(), String> {
    if let Some(range) = dense {
        let (first_row, first_col) = range.start().unwrap_or((0, 0));
        for (i, row) in range.rows().enumerate() {
            let cells: Vec<(u32, Cow<'a, str>)> = row
                .iter()
                .enumerate()
                .filter_map(|(j, cell)| Some((first_col + j as u32, cell_text(cell)?)))
                .collect();
            if cells.is_empty() {
                continue;
            }
            let number = u64::from(first_row) + i as u64 + 1;
            if !visit(SheetRow { number, cells }) {
                break;
            }
        }
        return Ok(());
    }
    match workbook {
        Sheets::Xlsx(xlsx) => {
            let mut reader = xlsx
                .worksheet_cells_reader(sheet)
                .map_err(|e| e.to_string())?;
            group_rows(|| reader.next_cell().map_err(|e| e.to_string()), visit)
        }
        Sheets::Xlsb(xlsb) => {
            let mut reader = xlsb
                .worksheet_cells_reader(sheet)
                .map_err(|e| e.to_string())?;
            group_rows(|| reader.next_cell().map_err(|e| e.to_string()), visit)
        }
        Sheets::Xls(_) | Sheets::Ods(_) => Err("the sheet was not loaded".into()),
    }
}

/// Groups a stream of cells (row by row, as sheets store them) into rows.
fn group_rows<'a>(
    mut next: impl FnMut() -> Result<Option<calamine::Cell<DataRef<'a>>>, String>,
    visit: &mut dyn FnMut(SheetRow<'a>) -> bool,
) -> Result<(), String> {
    let mut current: Option<SheetRow<'a>> = None;
    while let Some(cell) = next()? {
        let (row, col) = cell.get_position();
        let number = u64::from(row) + 1;
        if current.as_ref().is_some_and(|c| c.number != number)
            && let Some(done) = current.take()
            && !visit(done)
        {
            return Ok(());
        }
        let Some(text) = ref_text(cell.get_value()) else {
            continue;
        };
        current
            .get_or_insert_with(|| SheetRow {
                number,
                cells: Vec::new(),
            })
            .cells
            .push((col, text));
    }
    if let Some(done) = current {
        visit(done);
    }
    Ok(())
}

/// The uncompressed size of a ZIP-based workbook (XLSX, XLSB, ODS), counted against
/// `--max-uncompressed` before anything is inflated: a few KB can declare gigabytes of XML.
fn check_expanded_size(source: &Source, bytes: &[u8], limit: u64) -> Result<(), InputError> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // XLS (OLE) or not a workbook: calamine says which.
    };
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        if let Ok(entry) = archive.by_index_raw(index) {
            total = total.saturating_add(entry.size());
        }
    }
    if total > limit {
        return Err(InputError::TooLarge {
            path: source.name.clone(),
            limit,
        });
    }
    Ok(())
}

/// The rows a streamed sheet declares (its `dimension`), for progress only: it may be wrong.
fn declared_rows(workbook: &mut Workbook, sheet: &str) -> u64 {
    let end = match workbook {
        Sheets::Xlsx(xlsx) => xlsx
            .worksheet_cells_reader(sheet)
            .map(|r| r.dimensions().end.0),
        Sheets::Xlsb(xlsb) => xlsb
            .worksheet_cells_reader(sheet)
            .map(|r| r.dimensions().end.0)
            .map_err(|_| calamine::XlsxError::Unexpected("")),
        _ => return 0,
    };
    end.map_or(0, |row| u64::from(row) + 1)
}

/// Whether the workbook needs its sheets read whole (no streaming reader for the format).
fn is_dense(workbook: &Workbook) -> bool {
    matches!(workbook, Sheets::Xls(_) | Sheets::Ods(_))
}

/// Opens `source` and picks the sheet: `--sheet` by name or 1-based number, else the first
/// sheet holding data. Reads the first rows to find the header.
pub fn open_spreadsheet(
    source: &Source,
    sheet: Option<&str>,
    max_bytes: u64,
    no_header: bool,
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
    check_expanded_size(source, &bytes, max_bytes)?;
    let file_bytes = bytes.len() as u64;
    let content_hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    let mut workbook =
        open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| spreadsheet_error(source, e))?;
    let names = workbook.sheet_names();
    let candidates: Vec<String> = match sheet {
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
            vec![name]
        }
        None => names,
    };
    for name in candidates {
        let dense = if is_dense(&workbook) {
            Some(
                workbook
                    .worksheet_range(&name)
                    .map_err(|e| spreadsheet_error(source, e))?,
            )
        } else {
            None
        };
        // The first rows, owned: the header search and the sample outlive this read.
        let mut first: Vec<(u64, Vec<(u32, String)>)> = Vec::new();
        for_each_row(&mut workbook, dense.as_ref(), &name, &mut |row| {
            first.push((
                row.number,
                row.cells
                    .into_iter()
                    .map(|(c, t)| (c, t.into_owned()))
                    .collect(),
            ));
            first.len() < HEADER_SEARCH_ROWS + SAMPLE_ROWS + 1
        })
        .map_err(|e| spreadsheet_error(source, e))?;
        let Some(found) = find_header(source, &first, no_header)? else {
            continue; // An empty sheet: look at the next one.
        };
        let (header, header_row, origin) = found;
        let removed = first
            .first()
            .map_or(0..0, |(n, _)| *n..header_row)
            .map(|n| (n, RemovedReason::AboveHeader))
            .collect();
        let sample = first
            .iter()
            .filter(|(n, _)| *n > header_row)
            .take(SAMPLE_ROWS)
            .map(|(_, cells)| {
                let mut dense = vec![String::new(); header.len()];
                for (col, text) in cells {
                    if let Some(slot) = col
                        .checked_sub(origin)
                        .and_then(|i| dense.get_mut(i as usize))
                    {
                        slot.clone_from(text);
                    }
                }
                dense
            })
            .collect();
        return Ok(SheetInput {
            name: source.name.clone(),
            sheet: name,
            header,
            header_row,
            origin,
            workbook,
            dense,
            removed,
            sample,
            file_bytes,
            content_hash,
        });
    }
    Err(InputError::Empty {
        path: source.name.clone(),
    })
}

fn filled(cells: &[(u32, String)]) -> usize {
    cells.iter().filter(|(_, t)| !t.trim().is_empty()).count()
}

/// The header of a sheet from its first rows: (header, its row, its first column); `None` for
/// a sheet without data. Title and filter rows hold a cell or two; the header is the first row
/// nearly as wide as the widest of the first rows.
fn find_header(
    source: &Source,
    first: &[(u64, Vec<(u32, String)>)],
    no_header: bool,
) -> Result<Option<(Header, u64, u32)>, InputError> {
    let search = &first[..first.len().min(HEADER_SEARCH_ROWS)];
    let counts: Vec<usize> = search.iter().map(|(_, cells)| filled(cells)).collect();
    let widest = counts.iter().copied().max().unwrap_or(0);
    if widest == 0 {
        return Ok(None);
    }
    let filled_cols = |cells: &[(u32, String)]| {
        cells
            .iter()
            .filter(|(_, t)| !t.trim().is_empty())
            .map(|(c, _)| *c)
            .collect::<Vec<_>>()
    };
    if no_header {
        // Every row is data: as many columns as the widest of the first rows spans.
        let cols: Vec<u32> = search.iter().flat_map(|(_, c)| filled_cols(c)).collect();
        let origin = cols.iter().copied().min().unwrap_or(0);
        let width = (cols.iter().copied().max().unwrap_or(0) - origin + 1) as usize;
        let first_row = search
            .iter()
            .find(|(_, c)| filled(c) > 0)
            .map_or(1, |r| r.0);
        return Ok(Some((Header::numbered(width), first_row - 1, origin)));
    }
    // The header is the first row at least half as wide as the widest (title and filter
    // rows hold a cell or two; records may run wider than the header's named columns).
    let index = counts
        .iter()
        .position(|&c| c * 2 >= widest && (c >= 2 || widest < 2))
        .unwrap_or(0);
    let (header_row, cells) = &search[index];
    let cols = filled_cols(cells);
    // The table starts at the leftmost column any of the first rows uses.
    let origin = search
        .iter()
        .flat_map(|(_, c)| filled_cols(c))
        .min()
        .unwrap_or(0);
    let width = (cols.iter().copied().max().unwrap_or(0) - origin + 1) as usize;
    let mut names = vec![String::new(); width];
    for (col, text) in cells {
        if let Some(slot) = col
            .checked_sub(origin)
            .and_then(|i| names.get_mut(i as usize))
        {
            slot.clone_from(text);
        }
    }
    let texts: Vec<&str> = names.iter().map(String::as_str).collect();
    if let Some(why) = Header::looks_like_data(&texts) {
        return Err(InputError::NoHeader {
            path: source.name.clone(),
            line: *header_row,
            why,
        });
    }
    Ok(Some((Header::from_raw(&names), *header_row, origin)))
}

/// What one batch contributes to the summary.
#[derive(Default)]
struct SheetStats {
    rows: u64,
    ragged: u64,
    ragged_examples: Vec<RaggedRow>,
    blank: Vec<u64>,
    blank_count: u64,
}

/// What the reader found besides records.
#[derive(Default)]
struct SheetEnd {
    stats: SheetStats,
    removed: Vec<(u64, RemovedReason)>,
    suspected: Vec<u64>,
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
        self.sample
            .iter()
            .take(n)
            .filter_map(|row| row.get(index).map(|t| t.trim().to_owned()))
            .filter(|t| !t.is_empty())
            .collect()
    }

    pub fn sheet(&self) -> &str {
        &self.sheet
    }

    pub fn name(&self) -> &std::path::Path {
        &self.name
    }

    /// Streams the data rows, converts them in parallel batches and folds each into an
    /// accumulator.
    pub fn scan<A, I, F>(
        mut self,
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
        let in_flight = rayon::current_num_threads() * 2;
        let (tx, rx) = sync_channel::<Vec<DenseRow>>(in_flight);
        let layout = Layout {
            header_row: self.header_row,
            origin: self.origin,
            width: self.header.len(),
        };
        let sheet = self.sheet.clone();
        let file_bytes = self.file_bytes;
        let expected_rows = match &self.dense {
            Some(range) => range.height() as u64,
            None => declared_rows(&mut self.workbook, &self.sheet),
        };
        let workbook = &mut self.workbook;
        let dense = self.dense.as_ref();
        let (folded, end) = std::thread::scope(|s| {
            let reader = s.spawn(move || {
                produce(workbook, dense, &sheet, layout, tx, &|rows| {
                    progress(Progress {
                        bytes_read: (file_bytes * rows.min(expected_rows))
                            .checked_div(expected_rows)
                            .unwrap_or(0),
                        total_bytes: Some(file_bytes),
                        lines_read: rows,
                        finished: false,
                    })
                })
            });
            let folded = rx
                .into_iter()
                .par_bridge()
                .fold(init, |mut acc, rows| {
                    let mut batch = BatchBuilder::new(&names, rows.len());
                    for row in rows {
                        batch.push_row(row.cells);
                    }
                    fold(&mut acc, &batch.finish());
                    acc
                })
                .reduce_with(|mut a, b| {
                    a += b;
                    a
                });
            let end = reader
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (folded, end)
        });
        let end = end.map_err(|e| InputError::Spreadsheet {
            path: self.name.clone(),
            why: without_values(e),
        })?;
        let acc = match folded {
            Some(acc) if end.stats.rows > 0 => acc,
            _ => {
                return Err(InputError::NoRows {
                    path: self.name.clone(),
                    line: self.header_row,
                });
            }
        };
        progress(Progress {
            bytes_read: file_bytes,
            total_bytes: Some(file_bytes),
            lines_read: end.stats.rows,
            finished: false,
        });
        let blank = end
            .stats
            .blank
            .iter()
            .map(|&n| (n, RemovedReason::BlankLine));
        let mut removed = group_removed(self.removed.into_iter().chain(end.removed).chain(blank));
        if let Some(entry) = removed
            .iter_mut()
            .find(|r| r.reason == RemovedReason::BlankLine)
        {
            // Only the first blank rows were kept as examples; count them all.
            entry.count = end.stats.blank_count;
        }
        Ok((
            acc,
            ScanSummary {
                rows: end.stats.rows,
                ragged_rows: end.stats.ragged,
                ragged_examples: end.stats.ragged_examples,
                removed,
                repaired_cells: 0,
                suspected_totals: end.suspected,
                stray_byte: None,
                footer_records: None,
                bytes: file_bytes,
                content_hash: self.content_hash,
            },
        ))
    }
}

/// Where the table sits in the sheet.
#[derive(Clone, Copy)]
struct Layout {
    header_row: u64,
    origin: u32,
    width: usize,
}

impl Layout {
    /// The row in header order, and whether it has cells outside the header's columns.
    fn lay_out<'a>(&self, row: SheetRow<'a>) -> (DenseRow<'a>, Option<RaggedRow>) {
        let mut cells: Vec<Option<Cow<'a, str>>> = vec![None; self.width];
        let mut outside = 0usize;
        let mut last = 0usize;
        for (col, text) in row.cells {
            match col
                .checked_sub(self.origin)
                .map(|i| i as usize)
                .filter(|&i| i < self.width)
            {
                Some(i) => cells[i] = Some(text),
                None if text.trim().is_empty() => {}
                None => {
                    outside += 1;
                    last = last.max(col.saturating_sub(self.origin) as usize + 1);
                }
            }
        }
        let ragged = (outside > 0).then(|| RaggedRow {
            line: row.number,
            cells: last.max(self.width + outside),
            expected: self.width,
        });
        (
            DenseRow {
                number: row.number,
                cells,
            },
            ragged,
        )
    }
}

/// The reader thread: streams the rows below the header, notes blank and ragged rows, holds the
/// last rows back to find the footer, and sends the records in batches.
fn produce<'a>(
    workbook: &'a mut Workbook,
    dense: Option<&'a Range<Data>>,
    sheet: &str,
    layout: Layout,
    tx: SyncSender<Vec<DenseRow<'a>>>,
    progress: &dyn Fn(u64),
) -> Result<SheetEnd, String> {
    let hold = MAX_TRAILER_LINES + PROFILE_ROWS;
    let batch_rows = (BATCH_CELLS / layout.width.max(1)).clamp(1, BATCH_ROWS);
    let mut end = SheetEnd::default();
    let mut held: VecDeque<DenseRow<'a>> = VecDeque::with_capacity(hold + 1);
    let mut batch: Vec<DenseRow<'a>> = Vec::with_capacity(batch_rows);
    // The last row with data: the empty rows between it and the next are reported when a row
    // with data follows; the empty rows after the table (formatting) are not rows at all.
    let mut last_number = layout.header_row;
    let mut stopped = false;
    let mut seen = 0u64;
    for_each_row(workbook, dense, sheet, &mut |row| {
        if row.number <= layout.header_row {
            return true;
        }
        seen += 1;
        if seen.is_multiple_of(4096) {
            progress(seen);
        }
        if row.is_blank() && layout.width > 1 {
            // Cells of spaces only: an empty row, removed and reported as CSV's `,,,` is. (In a
            // one-column sheet it is an empty value, as in a one-column CSV: read on.)
            for number in last_number + 1..row.number {
                end.stats.blank_count += 1;
                if end.stats.blank.len() < MAX_EXAMPLES {
                    end.stats.blank.push(number);
                }
            }
            end.removed
                .push((row.number, RemovedReason::BareDelimiters));
            last_number = row.number;
            return true;
        }
        if layout.width == 1 {
            // In a one-column sheet an empty row is an empty value, as an empty line is in a
            // one-column CSV.
            for number in last_number + 1..row.number {
                held.push_back(DenseRow {
                    number,
                    cells: vec![None],
                });
                if held.len() > hold {
                    batch.push(held.pop_front().expect("held is not empty"));
                }
            }
        } else {
            for number in last_number + 1..row.number {
                end.stats.blank_count += 1;
                if end.stats.blank.len() >= MAX_EXAMPLES {
                    end.stats.blank_count += row.number - number - 1;
                    break;
                }
                end.stats.blank.push(number);
            }
        }
        last_number = row.number;
        let (row, ragged) = layout.lay_out(row);
        if row.cells.iter().all(Option::is_none) {
            // Cells only beside the table (a stray note far to the right): not a record.
            end.removed
                .push((row.number, RemovedReason::OutsideColumns));
            return true;
        }
        if let Some(ragged) = ragged {
            end.stats.ragged += 1;
            if end.stats.ragged_examples.len() < MAX_EXAMPLES {
                end.stats.ragged_examples.push(ragged);
            }
        }
        held.push_back(row);
        if held.len() > hold {
            batch.push(held.pop_front().expect("held is not empty"));
            if batch.len() >= batch_rows {
                end.stats.rows += batch.len() as u64;
                if tx.send(std::mem::take(&mut batch)).is_err() {
                    stopped = true;
                    return false;
                }
            }
        }
        true
    })?;
    if stopped {
        return Ok(end);
    }
    // The end of the table: footers and totals rows go, with their reasons.
    let rows: Vec<(Class, Vec<&str>)> = held
        .iter()
        .map(|row| {
            let cells: Vec<&str> = row
                .cells
                .iter()
                .map(|c| c.as_deref().unwrap_or(""))
                .collect();
            (classify_cells(&cells, layout.width), cells)
        })
        .collect();
    let tail = super::trailer::judge_tail(&rows, layout.width);
    drop(rows);
    for (k, reason) in tail.reasons.iter().enumerate() {
        end.removed
            .push((held[tail.first_removed + k].number, *reason));
    }
    end.suspected = tail.suspected.iter().map(|&i| held[i].number).collect();
    held.truncate(tail.first_removed);
    batch.extend(held);
    if !batch.is_empty() {
        end.stats.rows += batch.len() as u64;
        let _ = tx.send(batch);
    }
    progress(seen);
    Ok(end)
}
