//! Where exports live: single files, gzip files, folders and ZIP archives (such as the
//! Salesforce weekly Data Export), each turned into a list of sources to audit.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, sync_channel};

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
    Memory(std::sync::Arc<[u8]>),
    File(PathBuf),
    Gzip(PathBuf),
    ZipEntry {
        archive: PathBuf,
        index: usize,
    },
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
}

/// A file passed over, and why: listed in the report, never dropped in silence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
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

/// The sources behind the paths given on the command line, in a stable order, and what was
/// passed over. A path named explicitly is read as CSV whatever its extension; inside folders
/// and archives only known extensions are taken.
pub fn discover(paths: &[PathBuf]) -> Result<(Vec<Source>, Vec<Skipped>), InputError> {
    let mut sources = Vec::new();
    let mut skipped = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|source| InputError::Io {
            path: path.clone(),
            source,
        })?;
        if meta.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|source| InputError::Io {
                    path: path.clone(),
                    source,
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            entries.sort();
            let before = sources.len();
            for entry in entries {
                if entry.is_dir() {
                    skipped.push(Skipped {
                        path: entry.display().to_string(),
                        reason: "a folder (folders are not searched recursively)".into(),
                    });
                    continue;
                }
                add_file(&entry, false, &mut sources, &mut skipped)?;
            }
            if sources.len() == before {
                return Err(InputError::NoExports { path: path.clone() });
            }
        } else {
            add_file(path, true, &mut sources, &mut skipped)?;
        }
    }
    Ok((sources, skipped))
}

fn add_file(
    path: &Path,
    named: bool,
    sources: &mut Vec<Source>,
    skipped: &mut Vec<Skipped>,
) -> Result<(), InputError> {
    let size = std::fs::metadata(path).ok().map(|m| m.len());
    let source = |kind, location| Source {
        name: path.to_path_buf(),
        kind,
        location,
        size,
    };
    match classify(&lower_name(path)) {
        Classified::Csv => {
            sources.push(source(SourceKind::Csv, Location::File(path.to_path_buf())))
        }
        Classified::GzipCsv => sources.push(Source {
            size: None,
            ..source(SourceKind::Csv, Location::Gzip(path.to_path_buf()))
        }),
        Classified::Spreadsheet => sources.push(source(
            SourceKind::Spreadsheet,
            Location::File(path.to_path_buf()),
        )),
        Classified::Zip => add_zip(path, sources, skipped)?,
        Classified::Other if named => {
            sources.push(source(SourceKind::Csv, Location::File(path.to_path_buf())))
        }
        Classified::Other => skipped.push(Skipped {
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

fn add_zip(
    path: &Path,
    sources: &mut Vec<Source>,
    skipped: &mut Vec<Skipped>,
) -> Result<(), InputError> {
    let file = File::open(path).map_err(|source| InputError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| zip_error(path, e))?;
    let mut entries = Vec::new();
    for index in 0..archive.len() {
        let entry = archive
            .by_index_raw(index)
            .map_err(|e| zip_error(path, e))?;
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
    let before = sources.len();
    for (name, index, size) in entries {
        let shown = PathBuf::from(format!("{}!{name}", path.display()));
        let kind = match classify(&name.to_lowercase()) {
            Classified::Csv => SourceKind::Csv,
            Classified::Spreadsheet => SourceKind::Spreadsheet,
            _ => {
                skipped.push(Skipped {
                    path: shown.display().to_string(),
                    reason: "not an export (unknown extension inside the archive)".into(),
                });
                continue;
            }
        };
        sources.push(Source {
            name: shown,
            kind,
            location: Location::ZipEntry {
                archive: path.to_path_buf(),
                index,
            },
            size: Some(size),
        });
    }
    if sources.len() == before {
        return Err(InputError::NoExports {
            path: path.to_path_buf(),
        });
    }
    Ok(())
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
        }
    }

    /// The file name without extensions (`Lead` for `export.zip!data/Lead.csv.gz`).
    pub fn file_stem(&self) -> Option<String> {
        let name = self.name.to_string_lossy();
        let base = name.rsplit(['/', '\\', '!']).next()?;
        let stem = base.split('.').next()?;
        (!stem.is_empty()).then(|| stem.to_owned())
    }

    /// A CSV export held in memory, named `name` in reports.
    pub fn from_bytes(name: &str, bytes: Vec<u8>) -> Source {
        Source {
            name: PathBuf::from(name),
            kind: SourceKind::Csv,
            size: Some(bytes.len() as u64),
            location: Location::Memory(bytes.into()),
        }
    }

    /// The decompressed bytes of the source, refusing more than `max_bytes` (ZIP bombs).
    pub fn open(&self, max_bytes: u64) -> Result<Box<dyn Read + Send>, InputError> {
        let io_err = |source| InputError::Io {
            path: self.name.clone(),
            source,
        };
        let inner: Box<dyn Read + Send> = match &self.location {
            Location::Memory(bytes) => Box::new(io::Cursor::new(bytes.clone())),
            Location::File(path) => Box::new(File::open(path).map_err(io_err)?),
            Location::Gzip(path) => Box::new(flate2::read::MultiGzDecoder::new(
                io::BufReader::new(File::open(path).map_err(io_err)?),
            )),
            Location::ZipEntry { archive, index } => {
                if let Some(size) = self.size
                    && size > max_bytes
                {
                    return Err(InputError::TooLarge {
                        path: self.name.clone(),
                        limit: max_bytes,
                    });
                }
                Box::new(zip_entry_reader(archive.clone(), *index)?)
            }
        };
        Ok(Box::new(Limited {
            inner,
            left: max_bytes,
            limit: max_bytes,
        }))
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
fn zip_entry_reader(archive: PathBuf, index: usize) -> Result<ChannelReader, InputError> {
    let (tx, rx) = sync_channel::<io::Result<Vec<u8>>>(4);
    let (ready_tx, ready_rx) = sync_channel::<Result<(), InputError>>(1);
    std::thread::spawn(move || {
        let opened = File::open(&archive)
            .map_err(|source| InputError::Io {
                path: archive.clone(),
                source,
            })
            .and_then(|f| zip::ZipArchive::new(f).map_err(|e| zip_error(&archive, e)));
        let mut zip = match opened {
            Ok(zip) => zip,
            Err(err) => {
                let _ = ready_tx.send(Err(err));
                return;
            }
        };
        let mut entry = match zip.by_index(index) {
            Ok(entry) => entry,
            Err(err) => {
                let _ = ready_tx.send(Err(zip_error(&archive, err)));
                return;
            }
        };
        let _ = ready_tx.send(Ok(()));
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
