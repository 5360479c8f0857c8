//! Where exports live: single files, gzip files, folders and ZIP archives (such as the
//! Salesforce weekly Data Export), each turned into a list of sources to audit.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use serde::Serialize;

use super::InputError;

/// What a source holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Csv,
    Spreadsheet,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Location {
    /// Bytes already in memory (tests, fuzzing, embedding).
    Memory(Arc<[u8]>),
    /// Standard input (`-`), read once like `cat` would.
    Stdin,
    File(PathBuf),
    Gzip(PathBuf),
    ZipEntry {
        archive: Archive,
        index: usize,
        /// A `.csv.gz` inside the archive.
        gzip: bool,
    },
}

/// A ZIP archive on disk, or one read from inside another (one level of nesting).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Archive {
    File(PathBuf),
    Nested(Arc<[u8]>),
}

/// One export file to audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// How reports name it: `dir/Lead.csv`, `export.zip!Lead.csv`.
    pub name: PathBuf,
    pub kind: SourceKind,
    location: Location,
    /// Uncompressed size when known, for progress.
    pub size: Option<u64>,
    /// Named on the command line, not found in a folder or archive.
    pub named: bool,
}

/// A file passed over, and why: listed in the report, never dropped in silence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// What the paths given hold: the exports to audit, what was passed over, and what could not
/// be read at all (the rest is still audited).
#[derive(Debug, Default)]
pub struct Discovered {
    pub sources: Vec<Source>,
    pub skipped: Vec<Skipped>,
    pub errors: Vec<InputError>,
}

fn lower_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

enum Classified {
    Csv,
    GzipCsv,
    Spreadsheet,
    Zip,
    Other,
}

fn classify(name: &str) -> Classified {
    const CSV: &[&str] = &[".csv", ".tsv", ".txt", ".tab"];
    const SHEETS: &[&str] = &[".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"];
    if let Some(inner) = name.strip_suffix(".gz") {
        if CSV.iter().any(|e| inner.ends_with(e)) {
            return Classified::GzipCsv;
        }
        return Classified::Other;
    }
    if CSV.iter().any(|e| name.ends_with(e)) {
        Classified::Csv
    } else if SHEETS.iter().any(|e| name.ends_with(e)) {
        Classified::Spreadsheet
    } else if name.ends_with(".zip") {
        Classified::Zip
    } else {
        Classified::Other
    }
}

/// The name standard input goes by in reports.
pub const STDIN_NAME: &str = "<stdin>";

/// The sources behind the paths given on the command line, in a stable order, and what was
/// passed over. A path named explicitly is read as CSV whatever its extension (a FIFO too, like
/// `cat`; `-` is standard input); inside folders only regular files with known extensions are
/// taken. A path or archive that cannot be read is an error of its own: the others are still
/// audited.
pub fn discover(paths: &[PathBuf], max_bytes: u64, max_depth: usize) -> Discovered {
    let mut found = Discovered::default();
    let mut stdin_taken = false;
    for path in paths {
        if path.as_os_str() == "-" && std::mem::replace(&mut stdin_taken, true) {
            found.errors.push(InputError::Io {
                path: PathBuf::from(STDIN_NAME),
                source: io::Error::other("standard input (-) can be read only once"),
            });
            continue;
        }
        if path.as_os_str() == "-" {
            found.sources.push(Source {
                name: PathBuf::from(STDIN_NAME),
                kind: SourceKind::Csv,
                location: Location::Stdin,
                size: None,
                named: true,
            });
            continue;
        }
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(source) => {
                found.errors.push(InputError::Io {
                    path: path.clone(),
                    source,
                });
                continue;
            }
        };
        if meta.is_dir() {
            if let Err(err) = add_folder(path, max_bytes, max_depth, &mut found) {
                found.errors.push(err);
            }
        } else if let Err(err) = add_file(path, true, max_bytes, &mut found) {
            found.errors.push(err);
        }
    }
    found
}

/// How deep folders are searched by default: a Data Export unpacked into dated folders is a
/// few levels; a home directory given by mistake should not be walked whole.
pub const DEFAULT_MAX_DEPTH: usize = 8;

fn add_folder(
    path: &Path,
    max_bytes: u64,
    max_depth: usize,
    found: &mut Discovered,
) -> Result<(), InputError> {
    let before = (found.sources.len(), found.errors.len());
    walk(path, max_bytes, max_depth, found)?;
    if (found.sources.len(), found.errors.len()) == before {
        return Err(InputError::NoExports {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// The exports in `path` and in its folders down to `depth` more levels, in name order;
/// hidden entries (`.git`, `.DS_Store`) and what lies deeper are listed as skipped.
fn walk(
    path: &Path,
    max_bytes: u64,
    depth: usize,
    found: &mut Discovered,
) -> Result<(), InputError> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|source| InputError::Io {
            path: path.to_path_buf(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for entry in entries {
        let skip = |found: &mut Discovered, reason: &str| {
            found.skipped.push(Skipped {
                path: entry.display().to_string(),
                reason: reason.to_owned(),
            })
        };
        let hidden = entry
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        // Follows links: a link to an export is an export.
        match std::fs::metadata(&entry) {
            Ok(_) if hidden => skip(found, "hidden (its name starts with a dot)"),
            Ok(meta) if meta.is_dir() && depth == 0 => skip(
                found,
                "a folder deeper than --max-depth (raise it to search there)",
            ),
            Ok(meta) if meta.is_dir() => {
                if let Err(err) = walk(&entry, max_bytes, depth - 1, found) {
                    found.errors.push(err);
                }
            }
            // A FIFO, socket or device would block or never end.
            Ok(meta) if !meta.is_file() => skip(
                found,
                "not a regular file (a FIFO, socket or device); name it on the command line to read it",
            ),
            Ok(_) => {
                if let Err(err) = add_file(&entry, false, max_bytes, found) {
                    found.errors.push(err);
                }
            }
            // A dangling link or an unreadable entry is an input that failed, not a file to
            // pass over: the run says so with exit code 2.
            Err(source) => found.errors.push(InputError::Io {
                path: entry.clone(),
                source,
            }),
        }
    }
    Ok(())
}

fn add_file(
    path: &Path,
    named: bool,
    max_bytes: u64,
    found: &mut Discovered,
) -> Result<(), InputError> {
    let meta = std::fs::metadata(path).ok();
    let size = meta.as_ref().filter(|m| m.is_file()).map(|m| m.len());
    let source = |kind, location| Source {
        name: path.to_path_buf(),
        kind,
        location,
        size,
        named,
    };
    match classify(&lower_name(path)) {
        Classified::Csv => found
            .sources
            .push(source(SourceKind::Csv, Location::File(path.to_path_buf()))),
        Classified::GzipCsv => found.sources.push(Source {
            size: None,
            ..source(SourceKind::Csv, Location::Gzip(path.to_path_buf()))
        }),
        Classified::Spreadsheet => found.sources.push(source(
            SourceKind::Spreadsheet,
            Location::File(path.to_path_buf()),
        )),
        Classified::Zip => {
            let file = File::open(path).map_err(|source| InputError::Io {
                path: path.to_path_buf(),
                source,
            })?;
            let archive = zip::ZipArchive::new(file).map_err(|e| zip_error(path, e))?;
            add_zip_entries(
                path,
                archive,
                Archive::File(path.to_path_buf()),
                true,
                max_bytes,
                found,
            )?;
        }
        Classified::Other if named => found
            .sources
            .push(source(SourceKind::Csv, Location::File(path.to_path_buf()))),
        Classified::Other => found.skipped.push(Skipped {
            path: path.display().to_string(),
            reason: "not an export (unknown extension)".into(),
        }),
    }
    Ok(())
}

fn zip_error(path: &Path, err: zip::result::ZipError) -> InputError {
    InputError::Archive {
        path: path.to_path_buf(),
        why: err.to_string(),
    }
}

/// Adds the exports inside an archive shown as `shown`. A ZIP inside it is opened too when
/// `nest` (one level: its bytes are held in memory, within `max_bytes`).
fn add_zip_entries<R: Read + io::Seek>(
    shown: &Path,
    mut archive: zip::ZipArchive<R>,
    location: Archive,
    nest: bool,
    max_bytes: u64,
    found: &mut Discovered,
) -> Result<(), InputError> {
    let mut entries = Vec::new();
    for index in 0..archive.len() {
        let entry = archive
            .by_index_raw(index)
            .map_err(|e| zip_error(shown, e))?;
        if entry.is_dir() {
            continue;
        }
        entries.push((
            String::from_utf8_lossy(entry.name_raw()).into_owned(),
            index,
            entry.size(),
        ));
    }
    entries.sort();
    let before = (found.sources.len(), found.errors.len());
    for (name, index, size) in entries {
        let entry_name = PathBuf::from(format!("{}!{name}", shown.display()));
        let source = |kind, gzip| Source {
            name: entry_name.clone(),
            kind,
            location: Location::ZipEntry {
                archive: location.clone(),
                index,
                gzip,
            },
            size: (!gzip).then_some(size),
            named: false,
        };
        match classify(&name.to_lowercase()) {
            Classified::Csv => found.sources.push(source(SourceKind::Csv, false)),
            Classified::GzipCsv => found.sources.push(source(SourceKind::Csv, true)),
            Classified::Spreadsheet => found.sources.push(source(SourceKind::Spreadsheet, false)),
            Classified::Zip if nest => {
                let nested = read_nested_zip(&entry_name, &mut archive, index, size, max_bytes)
                    .and_then(|bytes| {
                        let inner = zip::ZipArchive::new(io::Cursor::new(bytes.clone()))
                            .map_err(|e| zip_error(&entry_name, e))?;
                        add_zip_entries(
                            &entry_name,
                            inner,
                            Archive::Nested(bytes),
                            false,
                            max_bytes,
                            found,
                        )
                    });
                if let Err(err) = nested {
                    found.errors.push(err);
                }
            }
            Classified::Zip => found.skipped.push(Skipped {
                path: entry_name.display().to_string(),
                reason: "a ZIP archive two levels deep (only one level of nesting is read)".into(),
            }),
            Classified::Other => found.skipped.push(Skipped {
                path: entry_name.display().to_string(),
                reason: "not an export (unknown extension inside the archive)".into(),
            }),
        }
    }
    if (found.sources.len(), found.errors.len()) == before {
        return Err(InputError::NoExports {
            path: shown.to_path_buf(),
        });
    }
    Ok(())
}

/// The bytes of a ZIP stored inside another, refused past the decompression limit.
fn read_nested_zip<R: Read + io::Seek>(
    shown: &Path,
    archive: &mut zip::ZipArchive<R>,
    index: usize,
    size: u64,
    max_bytes: u64,
) -> Result<Arc<[u8]>, InputError> {
    if size > max_bytes {
        return Err(InputError::TooLarge {
            path: shown.to_path_buf(),
            limit: max_bytes,
        });
    }
    let entry = archive.by_index(index).map_err(|e| zip_error(shown, e))?;
    let mut bytes = Vec::new();
    Limited {
        inner: entry,
        left: max_bytes,
        limit: max_bytes,
    }
    .read_to_end(&mut bytes)
    .map_err(|e| InputError::io(shown.to_path_buf(), e))?;
    Ok(bytes.into())
}

impl Source {
    /// A plain file on disk, read as CSV unless its extension says spreadsheet.
    pub fn from_path(path: &Path) -> Source {
        let kind = match classify(&lower_name(path)) {
            Classified::Spreadsheet => SourceKind::Spreadsheet,
            _ => SourceKind::Csv,
        };
        Source {
            name: path.to_path_buf(),
            kind,
            location: Location::File(path.to_path_buf()),
            size: std::fs::metadata(path).ok().map(|m| m.len()),
            named: true,
        }
    }

    /// The file on disk this source is read from (the archive, for an entry), if any.
    /// Whether the source can be read a second time (standard input cannot).
    pub fn rereadable(&self) -> bool {
        !matches!(self.location, Location::Stdin)
    }

    pub fn disk_path(&self) -> Option<&Path> {
        match &self.location {
            Location::File(path)
            | Location::Gzip(path)
            | Location::ZipEntry {
                archive: Archive::File(path),
                ..
            } => Some(path),
            _ => None,
        }
    }

    /// The file name without extensions (`Lead` for `export.zip!data/Lead.csv.gz`).
    pub fn file_stem(&self) -> Option<String> {
        let name = self.name.to_string_lossy();
        let base = name.rsplit(['/', '\\', '!']).next()?;
        let stem = base.split('.').next()?;
        (!stem.is_empty()).then(|| stem.to_owned())
    }

    /// An export held in memory, named `name` in reports: a spreadsheet when the name's
    /// extension says so, else CSV.
    pub fn from_bytes(name: &str, bytes: Vec<u8>) -> Source {
        let kind = match classify(&name.to_lowercase()) {
            Classified::Spreadsheet => SourceKind::Spreadsheet,
            _ => SourceKind::Csv,
        };
        Source {
            name: PathBuf::from(name),
            kind,
            size: Some(bytes.len() as u64),
            location: Location::Memory(bytes.into()),
            named: true,
        }
    }

    /// The decompressed bytes of the source. What is inflated (gzip, ZIP entries) is refused
    /// past `max_bytes` (decompression bombs); a plain file is read as it is, whatever its size.
    pub fn open(&self, max_bytes: u64) -> Result<Box<dyn Read + Send>, InputError> {
        let io_err = |source| InputError::Io {
            path: self.name.clone(),
            source,
        };
        let limited = |inner: Box<dyn Read + Send>| -> Box<dyn Read + Send> {
            Box::new(Limited {
                inner,
                left: max_bytes,
                limit: max_bytes,
            })
        };
        Ok(match &self.location {
            Location::Memory(bytes) => Box::new(io::Cursor::new(bytes.clone())),
            Location::Stdin => Box::new(io::stdin()),
            Location::File(path) => Box::new(File::open(path).map_err(io_err)?),
            Location::Gzip(path) => limited(Box::new(flate2::read::MultiGzDecoder::new(
                io::BufReader::new(File::open(path).map_err(io_err)?),
            ))),
            Location::ZipEntry {
                archive,
                index,
                gzip,
            } => {
                if let Some(size) = self.size
                    && size > max_bytes
                {
                    return Err(InputError::TooLarge {
                        path: self.name.clone(),
                        limit: max_bytes,
                    });
                }
                let entry = zip_entry_reader(archive.clone(), *index, self.name.clone())?;
                if *gzip {
                    limited(Box::new(flate2::read::MultiGzDecoder::new(
                        io::BufReader::new(limited(Box::new(entry))),
                    )))
                } else {
                    limited(Box::new(entry))
                }
            }
        })
    }
}

/// Errors past a byte limit instead of inflating without end.
struct Limited<R> {
    inner: R,
    left: u64,
    limit: u64,
}

/// The error `Limited` raises, recognised to report a clear message.
#[derive(Debug, thiserror::Error)]
#[error("more than {0} bytes once decompressed")]
pub struct LimitExceeded(pub u64);

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            // One byte more tells a file of exactly the limit from a larger one.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::other(LimitExceeded(self.limit))),
            };
        }
        let max = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..max])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// Reads one ZIP entry on a thread of its own and hands the bytes over a bounded channel, so
/// the entry can be read like any other stream without borrowing the archive.
fn zip_entry_reader(
    archive: Archive,
    index: usize,
    shown: PathBuf,
) -> Result<ChannelReader, InputError> {
    let (tx, rx) = sync_channel::<io::Result<Vec<u8>>>(4);
    let (ready_tx, ready_rx) = sync_channel::<Result<(), InputError>>(1);
    std::thread::spawn(move || match archive {
        Archive::File(path) => {
            let opened = File::open(&path)
                .map_err(|source| InputError::Io {
                    path: path.clone(),
                    source,
                })
                .and_then(|f| zip::ZipArchive::new(f).map_err(|e| zip_error(&path, e)));
            pump(opened, index, &shown, &tx, &ready_tx)
        }
        Archive::Nested(bytes) => {
            let opened =
                zip::ZipArchive::new(io::Cursor::new(bytes)).map_err(|e| zip_error(&shown, e));
            pump(opened, index, &shown, &tx, &ready_tx)
        }
    });
    match ready_rx.recv() {
        Ok(Ok(())) => Ok(ChannelReader {
            rx,
            chunk: Vec::new(),
            pos: 0,
        }),
        Ok(Err(err)) => Err(err),
        Err(_) => Err(InputError::Archive {
            path: PathBuf::from("zip"),
            why: "the reader thread stopped".into(),
        }),
    }
}

/// The reader thread's work: open entry `index`, say whether that worked, then send its bytes.
fn pump<R: Read + io::Seek>(
    opened: Result<zip::ZipArchive<R>, InputError>,
    index: usize,
    shown: &Path,
    tx: &SyncSender<io::Result<Vec<u8>>>,
    ready: &SyncSender<Result<(), InputError>>,
) {
    let mut zip = match opened {
        Ok(zip) => zip,
        Err(err) => {
            let _ = ready.send(Err(err));
            return;
        }
    };
    let mut entry = match zip.by_index(index) {
        Ok(entry) => entry,
        Err(err) => {
            let _ = ready.send(Err(zip_error(shown, err)));
            return;
        }
    };
    let _ = ready.send(Ok(()));
    loop {
        let mut chunk = vec![0u8; 256 << 10];
        match entry.read(&mut chunk) {
            Ok(0) => return,
            Ok(n) => {
                chunk.truncate(n);
                if tx.send(Ok(chunk)).is_err() {
                    return;
                }
            }
            Err(err) => {
                let _ = tx.send(Err(err));
                return;
            }
        }
    }
}

struct ChannelReader {
    rx: Receiver<io::Result<Vec<u8>>>,
    chunk: Vec<u8>,
    pos: usize,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.chunk.len() {
            match self.rx.recv() {
                Ok(Ok(chunk)) => {
                    self.chunk = chunk;
                    self.pos = 0;
                }
                Ok(Err(err)) => return Err(err),
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.chunk.len() - self.pos);
        buf[..n].copy_from_slice(&self.chunk[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limited_reader_refuses_past_the_limit() {
        let mut ok = Limited {
            inner: &b"12345"[..],
            left: 5,
            limit: 5,
        };
        let mut out = Vec::new();
        assert_eq!(ok.read_to_end(&mut out).unwrap(), 5);
        let mut over = Limited {
            inner: &b"123456"[..],
            left: 5,
            limit: 5,
        };
        let err = over.read_to_end(&mut Vec::new()).unwrap_err();
        assert!(err.get_ref().unwrap().is::<LimitExceeded>());
    }

    #[test]
    fn extensions_decide_the_kind() {
        assert!(matches!(classify("lead.csv"), Classified::Csv));
        assert!(matches!(classify("lead.csv.gz"), Classified::GzipCsv));
        assert!(matches!(classify("report.xlsx"), Classified::Spreadsheet));
        assert!(matches!(classify("weekly.zip"), Classified::Zip));
        assert!(matches!(classify("notes.pdf"), Classified::Other));
        assert!(matches!(classify("x.pdf.gz"), Classified::Other));
    }
}
