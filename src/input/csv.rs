//! CSV into polars batches: a reader thread cuts the decoded stream into blocks at record
//! boundaries, rayon workers parse each block into a `DataFrame` of string columns.
//!
//! Memory stays bounded by the block size times the blocks in flight, whatever the file size.

use std::io::{self, Read};
use std::ops::AddAssign;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Arc, Mutex, OnceLock};

use xxhash_rust::xxh3::Xxh3;

use std::borrow::Cow;

use polars::prelude::{DataFrame, PlSmallStr};
use rayon::iter::{ParallelBridge, ParallelIterator};

use super::batch::{BatchBuilder, column_names};
use super::container::Source;
use super::decode::{self, Detected};
use super::dialect::sniff_delimiter;
use super::header::Header;
use super::split::Splitter;
use super::trailer::{RemovedReason, find_trailer};
use super::{
    InputError, MAX_EXAMPLES, Progress, RaggedRow, ReadOptions, ScanSummary, group_removed,
};

const SAMPLE_BYTES: usize = 64 << 10;

/// An opened CSV export: encoding, dialect and header known, data not read yet.
pub struct CsvInput {
    path: PathBuf,
    stream: Box<dyn Read + Send>,
    /// Decoded bytes after the header, not handed out yet.
    buf: Vec<u8>,
    eof: bool,
    /// 1-based line number of `buf[0]`.
    next_line: u64,
    header: Header,
    header_line: u64,
    encoding: Detected,
    delimiter: u8,
    line_ending: LineEnding,
    raw_bytes_read: Arc<AtomicU64>,
    total_bytes: Option<u64>,
    options: ReadOptions,
    /// An odd byte at the end of a UTF-16 file, set aside by the decoder.
    stray_byte: Arc<OnceLock<u8>>,
    /// Of the raw bytes, as read.
    hash: Arc<Mutex<Xxh3>>,
}

/// How records end, as seen in the first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnding {
    Lf,
    CrLf,
    /// Lone carriage returns (old Mac): converted to LF while reading.
    Cr,
    /// A single record and no line break at all.
    None,
}

impl LineEnding {
    /// Judged from the line breaks outside quoted values: a multi-line note holds whatever
    /// breaks its author typed, which says nothing of how records end. A quote opens a quoted
    /// value only at the start of a field (`5" screen` is a literal quote), as in csv-core.
    fn of(sample: &[u8]) -> LineEnding {
        let (mut lf, mut crlf, mut cr) = (0usize, 0usize, 0usize);
        let (mut quoted, mut field_start) = (false, true);
        let mut i = 0;
        while i < sample.len() {
            let b = sample[i];
            if quoted {
                if b == b'"' {
                    if sample.get(i + 1) == Some(&b'"') {
                        i += 1;
                    } else {
                        quoted = false;
                    }
                }
                i += 1;
                continue;
            }
            field_start = match b {
                b'"' if field_start => {
                    quoted = true;
                    false
                }
                b'\r' if sample.get(i + 1) == Some(&b'\n') => {
                    crlf += 1;
                    i += 1;
                    true
                }
                b'\r' => {
                    cr += 1;
                    true
                }
                b'\n' => {
                    lf += 1;
                    true
                }
                b',' | b';' | b'\t' | b'|' => true,
                _ => false,
            };
            i += 1;
        }
        if lf == 0 && cr == 0 && crlf == 0 {
            LineEnding::None
        } else if cr > lf + crlf {
            LineEnding::Cr
        } else if crlf > lf {
            LineEnding::CrLf
        } else {
            LineEnding::Lf
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LineEnding::Lf => "LF",
            LineEnding::CrLf => "CRLF",
            LineEnding::Cr => "CR",
            LineEnding::None => "none",
        }
    }
}

/// Turns every CR into LF.
struct CrToLf(Box<dyn Read + Send>);

impl Read for CrToLf {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.0.read(buf)?;
        for b in buf[..n].iter_mut().filter(|b| **b == b'\r') {
            *b = b'\n';
        }
        Ok(n)
    }
}

/// Counts and hashes the bytes taken from the file, before decoding: the count for progress,
/// both for the report (what exactly was audited).
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
    hash: Arc<Mutex<Xxh3>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        // Only the reader thread reads: the lock is never contended.
        self.hash
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .update(&buf[..n]);
        Ok(n)
    }
}

/// Reads until `buf` holds `target` bytes or the stream ends; true at end of stream.
fn fill(stream: &mut dyn Read, buf: &mut Vec<u8>, target: usize) -> io::Result<bool> {
    let want = target.saturating_sub(buf.len());
    if want == 0 {
        return Ok(false);
    }
    let got = stream.take(want as u64).read_to_end(buf)?;
    Ok(got < want)
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

/// Opens `source`, detects its encoding and delimiter and reads its header.
pub fn open_csv(source: &Source, options: &ReadOptions) -> Result<CsvInput, InputError> {
    let path = source.name.as_path();
    let io_err = |err| InputError::io(path.to_path_buf(), err);
    let total_bytes = source.size;
    let raw_bytes_read = Arc::new(AtomicU64::new(0));
    let hash = Arc::new(Mutex::new(Xxh3::new()));
    let mut raw: Box<dyn Read + Send> = Box::new(Counting {
        inner: source.open(options.max_uncompressed)?,
        count: raw_bytes_read.clone(),
        hash: hash.clone(),
    });
    let mut sample = Vec::with_capacity(SAMPLE_BYTES);
    fill(&mut raw, &mut sample, SAMPLE_BYTES).map_err(io_err)?;
    if sample.is_empty() {
        return Err(InputError::Empty {
            path: path.to_path_buf(),
        });
    }
    let encoding = decode::detect(&sample).map_err(|e| InputError::NotText {
        path: path.to_path_buf(),
        why: e.0,
    })?;
    let stray_byte = Arc::new(OnceLock::new());
    let mut stream = decode::utf8_stream(
        Box::new(io::Cursor::new(sample).chain(raw)),
        encoding,
        stray_byte.clone(),
    );

    let mut buf = Vec::with_capacity(options.block_size.max(SAMPLE_BYTES));
    let mut target = options.block_size.max(SAMPLE_BYTES);
    let mut eof = fill(&mut stream, &mut buf, target).map_err(io_err)?;
    if buf.iter().all(|b| b.is_ascii_whitespace() || *b == 0) && eof {
        return Err(InputError::Empty {
            path: path.to_path_buf(),
        });
    }
    let line_ending = LineEnding::of(&buf[..buf.len().min(SAMPLE_BYTES)]);
    if line_ending == LineEnding::Cr {
        // Excel for Mac's "CSV (Macintosh)": records end with a lone CR. Blocks are cut at
        // LF, so CRs become LFs (inside quoted values too, where they mean the same).
        for b in buf.iter_mut().filter(|b| **b == b'\r') {
            *b = b'\n';
        }
        stream = Box::new(CrToLf(stream));
    }
    let delimiter = options
        .delimiter
        .unwrap_or_else(|| sniff_delimiter(&buf[..buf.len().min(SAMPLE_BYTES)]));

    // The header must be complete before the data is cut into blocks.
    let mut record = csv::ByteRecord::new();
    let header_end = loop {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(&buf[..]);
        let found = reader
            .read_byte_record(&mut record)
            .map_err(|e| io_err(io::Error::other(e)))?;
        let end = reader.position().byte() as usize;
        if eof || (found && end < buf.len()) {
            if !found {
                return Err(InputError::Empty {
                    path: path.to_path_buf(),
                });
            }
            break end;
        }
        if buf.len() >= options.max_record_bytes {
            return Err(InputError::RecordTooLarge {
                path: path.to_path_buf(),
                line: 1,
                limit: options.max_record_bytes >> 20,
            });
        }
        target += options.block_size.max(SAMPLE_BYTES);
        eof = fill(&mut stream, &mut buf, target).map_err(io_err)?;
    };
    let header_start = buf
        .iter()
        .position(|b| !matches!(b, b'\r' | b'\n'))
        .unwrap_or(0);
    let header_line = 1 + count_newlines(&buf[..header_start]);
    let (header, header_line, next_line) = if options.no_header {
        // The first record is data: it stays in the buffer and only gives the width.
        (Header::numbered(record.len()), 0, 1)
    } else {
        let names: Vec<String> = record.iter().map(decode::repair_cell).collect();
        if let Some(why) = Header::looks_like_data(&names) {
            return Err(InputError::NoHeader {
                path: path.to_path_buf(),
                line: header_line,
                why,
            });
        }
        let mut header_end = header_end;
        // csv stops between the `\r` and `\n` of a CRLF; the `\n` belongs to the header. After
        // an LF, a `\n` is an empty line of its own.
        if buf.get(header_end) == Some(&b'\n') && header_end > 0 && buf[header_end - 1] == b'\r' {
            header_end += 1;
        }
        let next_line = 1 + count_newlines(&buf[..header_end]);
        buf.drain(..header_end);
        (Header::from_raw(&names), header_line, next_line)
    };

    Ok(CsvInput {
        path: path.to_path_buf(),
        stream,
        buf,
        eof,
        next_line,
        header,
        header_line,
        encoding,
        delimiter,
        line_ending,
        raw_bytes_read,
        total_bytes,
        options: options.clone(),
        stray_byte,
        hash,
    })
}

/// A slice of the file that starts and ends on record boundaries.
struct Block {
    bytes: Vec<u8>,
    /// 1-based line number of its first byte.
    first_line: u64,
    /// Line breaks in `bytes`: counted once, for line numbers and the workers' capacities.
    newlines: u64,
}

impl Block {
    fn new(bytes: Vec<u8>, first_line: u64) -> Block {
        let newlines = count_newlines(&bytes);
        Block {
            bytes,
            first_line,
            newlines,
        }
    }
}

/// What one block contributes to the summary; merged in any order.
#[derive(Default)]
struct BlockStats {
    rows: u64,
    ragged: u64,
    ragged_examples: Vec<RaggedRow>,
    blank_lines: u64,
    blank_examples: Vec<u64>,
    /// Records whose every cell is empty.
    empty_rows: u64,
    empty_examples: Vec<u64>,
    /// Records whose only values lie beyond the header's columns.
    outside_rows: u64,
    outside_examples: Vec<u64>,
    repaired_cells: u64,
}

impl AddAssign for BlockStats {
    fn add_assign(&mut self, other: BlockStats) {
        self.rows += other.rows;
        self.ragged += other.ragged;
        self.ragged_examples.extend(other.ragged_examples);
        self.ragged_examples.sort();
        self.ragged_examples.truncate(MAX_EXAMPLES);
        self.blank_lines += other.blank_lines;
        self.blank_examples.extend(other.blank_examples);
        self.blank_examples.sort();
        self.blank_examples.truncate(MAX_EXAMPLES);
        self.empty_rows += other.empty_rows;
        self.empty_examples.extend(other.empty_examples);
        self.empty_examples.sort();
        self.empty_examples.truncate(MAX_EXAMPLES);
        self.outside_rows += other.outside_rows;
        self.outside_examples.extend(other.outside_examples);
        self.outside_examples.sort();
        self.outside_examples.truncate(MAX_EXAMPLES);
        self.repaired_cells += other.repaired_cells;
    }
}

/// What the reader thread found at the end of the file.
#[derive(Default)]
struct ReaderEnd {
    trailer: Vec<(u64, RemovedReason)>,
    /// Lines of kept records that look like totals rows.
    suspected_totals: Vec<u64>,
    /// The record count a report footer states.
    footer_records: Option<u64>,
}

impl CsvInput {
    pub fn header(&self) -> &Header {
        &self.header
    }

    pub fn header_line(&self) -> u64 {
        self.header_line
    }

    pub fn encoding(&self) -> Detected {
        self.encoding
    }

    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    pub fn line_ending(&self) -> LineEnding {
        self.line_ending
    }

    /// Up to `n` values of column `index` from the first records already read.
    pub fn sample_column(&self, index: usize, n: usize) -> Vec<String> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(&self.buf[..]);
        reader
            .byte_records()
            .take(n)
            .filter_map(|r| {
                r.ok()?
                    .get(index)
                    .map(|v| String::from_utf8_lossy(v).trim().to_owned())
            })
            .collect()
    }

    /// Reads every record once, in parallel blocks. `fold` sees each batch; the per-thread
    /// accumulators are merged with `+=`, so the order of batches does not matter.
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
        let path = self.path.clone();
        let header_line = self.header_line;
        let names = column_names(&self.header);
        let delimiter = self.delimiter;
        let stray_byte = self.stray_byte.clone();
        let hash = self.hash.clone();
        let bytes_read = self.raw_bytes_read.clone();
        let in_flight = rayon::current_num_threads() * 2;
        let (tx, rx) = sync_channel::<Block>(in_flight);

        let (folded, end) = std::thread::scope(|s| {
            let reader = s.spawn(move || self.produce(tx, progress));
            let folded = rx
                .into_iter()
                .par_bridge()
                // One accumulator per worker, not per block: counters that keep distinct
                // values (and their caches) are built once per thread and merged once.
                .fold(
                    || (init(), BlockStats::default()),
                    |(mut acc, mut stats), block| {
                        stats += parse_block(&block, delimiter, &names, |df| fold(&mut acc, df));
                        (acc, stats)
                    },
                )
                .reduce_with(|(mut a, mut sa), (b, sb)| {
                    a += b;
                    sa += sb;
                    (a, sa)
                });
            let end = reader
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (folded, end)
        });
        let end = end?;
        let (acc, stats) = match folded {
            Some((acc, stats)) if stats.rows > 0 => (acc, stats),
            _ => {
                return Err(InputError::NoRows {
                    path,
                    line: header_line,
                });
            }
        };
        let mut summary = summarize(stats, end, header_line);
        summary.stray_byte = stray_byte.get().copied();
        summary.bytes = bytes_read.load(Ordering::Relaxed);
        summary.content_hash = hash.lock().unwrap_or_else(|e| e.into_inner()).digest();
        Ok((acc, summary))
    }

    /// The reader thread: cuts blocks and sends them, holding the last one back so the
    /// trailer can be stripped from the end of the file.
    fn produce(
        mut self,
        tx: SyncSender<Block>,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<ReaderEnd, InputError> {
        let io_err = |err| InputError::io(self.path.clone(), err);
        let block_size = self.options.block_size;
        let mut splitter = Splitter::new(self.delimiter);
        let mut pending: Option<Block> = None;
        let mut target = block_size;
        loop {
            if !self.eof {
                self.eof = fill(&mut self.stream, &mut self.buf, target).map_err(io_err)?;
            }
            progress(Progress {
                bytes_read: self.raw_bytes_read.load(Ordering::Relaxed),
                total_bytes: self.total_bytes,
                lines_read: self.next_line,
                finished: false,
            });
            splitter.scan(&self.buf);
            if self.eof {
                break;
            }
            match splitter.take_cut() {
                Some(cut) => {
                    let rest = self.buf.split_off(cut);
                    let bytes = std::mem::replace(&mut self.buf, rest);
                    let block = Block::new(bytes, self.next_line);
                    self.next_line += block.newlines;
                    if let Some(previous) = pending.replace(block)
                        && tx.send(previous).is_err()
                    {
                        // The workers stopped; their error is reported by the caller.
                        return Ok(ReaderEnd::default());
                    }
                    target = block_size.max(self.buf.len() + block_size / 2);
                }
                None if self.buf.len() >= self.options.max_record_bytes => {
                    return Err(InputError::RecordTooLarge {
                        path: self.path.clone(),
                        line: self.next_line,
                        limit: self.options.max_record_bytes >> 20,
                    });
                }
                None => target = self.buf.len() + block_size,
            }
        }

        if let Some(open) = splitter.unclosed_quote(&self.buf) {
            return Err(InputError::UnbalancedQuote {
                path: self.path.clone(),
                line: self.next_line + count_newlines(&self.buf[..open]),
            });
        }
        let (mut bytes, first_line) = match pending.take() {
            Some(block) => (block.bytes, block.first_line),
            None => (Vec::new(), self.next_line),
        };
        bytes.append(&mut self.buf);
        let tail = find_trailer(&bytes, self.delimiter, self.header.len());
        bytes.truncate(tail.keep);
        let line = |index: usize| first_line + index as u64;
        let trailer = tail
            .removed
            .into_iter()
            .map(|(index, reason)| (line(index), reason))
            .collect();
        let suspected_totals = tail.suspected.into_iter().map(line).collect();
        if !bytes.is_empty() {
            let _ = tx.send(Block::new(bytes, first_line));
        }
        Ok(ReaderEnd {
            trailer,
            suspected_totals,
            footer_records: tail.footer_records,
        })
    }
}

/// Parses one block into a `DataFrame` of string columns named after the header and hands it
/// to `visit`. Rows with too few cells get nulls; extra cells are left out; both are counted.
#[allow(
    unsafe_code,
    reason = "skips re-validating UTF-8 per cell once the block is validated"
)]
fn parse_block(
    block: &Block,
    delimiter: u8,
    names: &[PlSmallStr],
    mut visit: impl FnMut(&DataFrame),
) -> BlockStats {
    let width = names.len();
    let mut stats = BlockStats::default();
    // Validated once here so the per-cell path can skip it; cells of a valid block are valid
    // because csv only splits at ASCII bytes, never inside a multi-byte character.
    let block_is_utf8 = std::str::from_utf8(&block.bytes).is_ok();
    // A batch holds at most BATCH_CELLS cells: short rows under a very wide header would
    // otherwise make a block of a megabyte into billions of nulls.
    let max_rows = (BATCH_CELLS / width.max(1)).max(1);
    let capacity = (block.newlines as usize + 1).min(max_rows);
    let mut batch = BatchBuilder::new(names, capacity);
    let mut last_end = 0usize;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(&block.bytes[..]);
    let mut record = csv::ByteRecord::new();
    let bytes = &block.bytes[..];
    // Line bookkeeping is incremental: `line` is the line number of `bytes[cursor]`.
    // Line numbers are only needed for what gets reported, so they are counted lazily:
    // `line` is the line number of `bytes[cursor]`.
    let (mut cursor, mut line) = (0usize, block.first_line);
    let mut line_at = |offset: usize| {
        line += count_newlines(&bytes[cursor..offset]);
        cursor = offset;
        line
    };
    // Reading a byte slice cannot fail with `flexible`; an error would end the block early,
    // which the row count would show.
    while let Ok(true) = reader.read_byte_record(&mut record) {
        // csv reports a record as starting where the previous one stopped, which can be before
        // the `\n` of a CRLF and before any empty lines it skipped. Find the real start.
        let reported = record.position().map_or(0, |p| p.byte() as usize);
        let skipped = bytes[reported..]
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        let start = reported + skipped;
        last_end = (reader.position().byte() as usize).min(bytes.len());
        if skipped > 0 {
            let blank_lines = blank_lines_in(bytes, reported, start);
            let first = line_at(start) - blank_lines;
            note_blank_lines(&mut stats, &mut batch, width, first, blank_lines);
        }
        let empty = |c: &[u8]| c.iter().all(|&b| b.is_ascii_whitespace() || b == 0);
        // In a one-column file a lone empty cell is an empty value; `,` is an empty row.
        if record.iter().take(width).all(empty) && (width > 1 || record.len() > 1) {
            // A row with no value in any column (`,,,` as Excel saves an empty row) is an
            // empty row, and one whose only values lie beyond the header's columns is not a
            // record either: removed and reported like the same rows of a spreadsheet,
            // wherever they stand.
            let here = line_at(start);
            let (count, examples) = if record.iter().skip(width).all(empty) {
                (&mut stats.empty_rows, &mut stats.empty_examples)
            } else {
                (&mut stats.outside_rows, &mut stats.outside_examples)
            };
            *count += 1;
            if examples.len() < MAX_EXAMPLES {
                examples.push(here);
            }
            continue;
        }
        stats.rows += 1;
        let cells = record.len();
        if cells != width {
            stats.ragged += 1;
            if stats.ragged_examples.len() < MAX_EXAMPLES {
                stats.ragged_examples.push(RaggedRow {
                    line: line_at(start),
                    cells,
                    expected: width,
                });
            }
        }
        let repaired = &mut stats.repaired_cells;
        // A `Cow` per cell: borrowed unless the cell had to be repaired.
        let texts = record.iter().map(|cell| {
            if block_is_utf8 {
                // SAFETY: the whole block is valid UTF-8 and cell boundaries are ASCII bytes.
                Cow::Borrowed(unsafe { std::str::from_utf8_unchecked(cell) })
            } else {
                match std::str::from_utf8(cell) {
                    Ok(text) => Cow::Borrowed(text),
                    Err(_) => {
                        *repaired += 1;
                        Cow::Owned(decode::repair_cell(cell))
                    }
                }
            }
        });
        batch.push_row(texts.map(Some));
        if batch.rows() >= max_rows {
            visit(&std::mem::replace(&mut batch, BatchBuilder::new(names, capacity)).finish());
        }
    }
    // Empty lines after the last record of the block (a run of them can span blocks): the
    // next block starts after them, so they are counted here.
    if last_end < bytes.len() || (last_end == 0 && !bytes.is_empty()) {
        let blank_lines = blank_lines_in(bytes, last_end, bytes.len());
        let first = line_at(last_end) + u64::from(last_end > 0 && bytes[last_end - 1] == b'\r');
        note_blank_lines(&mut stats, &mut batch, width, first, blank_lines);
    }
    if batch.rows() > 0 {
        visit(&batch.finish());
    }
    stats
}

/// Most cells in one batch handed to the workers.
const BATCH_CELLS: usize = 1 << 20;

/// The empty lines between `from` and `to` (only line breaks lie between): the line breaks,
/// less the LF that ends a record stopped between its CR and LF.
fn blank_lines_in(bytes: &[u8], from: usize, to: usize) -> u64 {
    let newlines = count_newlines(&bytes[from..to]);
    let ends_previous = u64::from(from > 0 && bytes[from - 1] == b'\r' && newlines > 0);
    newlines - ends_previous
}

/// `count` empty lines from line `first` on: empty values in a one-column file, blank lines
/// (reported) otherwise.
fn note_blank_lines(
    stats: &mut BlockStats,
    batch: &mut BatchBuilder,
    width: usize,
    first: u64,
    count: u64,
) {
    if width == 1 {
        for _ in 0..count {
            stats.rows += 1;
            batch.push_row([Some(Cow::Borrowed(""))]);
        }
        return;
    }
    for blank_line in first..first + count {
        stats.blank_lines += 1;
        if stats.blank_examples.len() < MAX_EXAMPLES {
            stats.blank_examples.push(blank_line);
        }
    }
}

/// `header_line` > 1 means blank lines stood above the header.
fn summarize(stats: BlockStats, end: ReaderEnd, header_line: u64) -> ScanSummary {
    let above = (1..header_line).map(|line| (line, RemovedReason::AboveHeader));
    let blank_lines = stats
        .blank_examples
        .iter()
        .map(|&line| (line, RemovedReason::BlankLine));
    let empty_rows = stats
        .empty_examples
        .iter()
        .map(|&line| (line, RemovedReason::BareDelimiters));
    let outside_rows = stats
        .outside_examples
        .iter()
        .map(|&line| (line, RemovedReason::OutsideColumns));
    let mut removed = group_removed(
        above
            .chain(end.trailer)
            .chain(blank_lines)
            .chain(empty_rows)
            .chain(outside_rows),
    );
    // Only the first blank lines and empty rows inside the data were kept as examples; count
    // them all.
    for (reason, total, examples) in [
        (
            RemovedReason::BlankLine,
            stats.blank_lines,
            stats.blank_examples.len(),
        ),
        (
            RemovedReason::BareDelimiters,
            stats.empty_rows,
            stats.empty_examples.len(),
        ),
        (
            RemovedReason::OutsideColumns,
            stats.outside_rows,
            stats.outside_examples.len(),
        ),
    ] {
        if let Some(entry) = removed.iter_mut().find(|r| r.reason == reason) {
            entry.count += total - examples as u64;
        }
    }
    ScanSummary {
        rows: stats.rows,
        ragged_rows: stats.ragged,
        ragged_examples: stats.ragged_examples,
        removed,
        repaired_cells: stats.repaired_cells,
        suspected_totals: end.suspected_totals,
        footer_records: end.footer_records,
        ..ScanSummary::default()
    }
}
