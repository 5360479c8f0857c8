//! Writing the report to `--output` without harming what is there: never over an input, through
//! a symlink to its target, directly into a device or FIFO, and atomically (temporary file, then
//! rename) over a regular file, keeping its permissions. Temporary files are removed on error,
//! on interrupt (the binary calls [`remove_temp_files`] from its signal handler) and, when a
//! killed run left one behind, by the next run that writes to the same place.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Temporary files being written now, for the signal handler.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Why the report cannot be written where asked.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(
        "refused to write the report to {}: it is one of the inputs ({}); choose another --output",
        crate::shown::path(target),
        crate::shown::path(input)
    )]
    IsInput { target: PathBuf, input: PathBuf },
    #[error("--output needs a file name, not {}", crate::shown::path(.0))]
    NoFileName(PathBuf),
    #[error(
        "{} is given twice: as {first} and as {second}; each output needs a file of its own",
        crate::shown::path(path)
    )]
    Collision {
        path: PathBuf,
        first: String,
        second: String,
    },
    #[error("cannot write {what} to {}: {why}", crate::shown::path(path))]
    Unwritable {
        path: PathBuf,
        what: String,
        why: String,
    },
    #[error("cannot write the report to {}: {source}", crate::shown::path(path))]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// Device and inode, to tell whether two paths are one file (through links too).
#[cfg(unix)]
fn identity(meta: &fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn identity(_meta: &fs::Metadata) -> (u64, u64) {
    (0, 0)
}

/// Refuses an output path that is one of `inputs` (the files the run reads).
pub fn check_not_input<'a>(
    target: &Path,
    inputs: impl IntoIterator<Item = &'a Path>,
) -> Result<(), OutputError> {
    let Ok(meta) = fs::metadata(target) else {
        return Ok(()); // Does not exist yet: cannot be an input.
    };
    if !cfg!(unix) || !meta.is_file() {
        return Ok(());
    }
    let id = identity(&meta);
    for input in inputs {
        if fs::metadata(input).is_ok_and(|m| identity(&m) == id) {
            return Err(OutputError::IsInput {
                target: target.to_path_buf(),
                input: input.to_path_buf(),
            });
        }
    }
    Ok(())
}

/// A path as it will be written: absolute, its folder resolved through links when it exists,
/// so `a.json`, `./a.json` and `dir/../a.json` are one.
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (absolute.parent(), absolute.file_name()) {
        (Some(parent), Some(name)) => fs::canonicalize(parent)
            .map(|p| p.join(name))
            .unwrap_or(absolute),
        _ => absolute,
    }
}

/// Checks every file a run will write before it writes any: no two outputs on one path
/// (reports, the work list, the history), and each in a folder that exists, where no folder
/// stands. `outputs` are (path, what it is: "the json report", "the work list"...);
/// `shared` are files only checked against them (the history, which has errors of its own).
pub fn check_outputs<'a>(
    outputs: &'a [(&Path, String)],
    shared: &'a [(&Path, String)],
) -> Result<(), OutputError> {
    let mut seen: Vec<(PathBuf, &str)> = Vec::new();
    let mut claim = |path: &Path, what: &'a str| -> Result<(), OutputError> {
        let key = resolved(path);
        if let Some((_, first)) = seen.iter().find(|(p, _)| *p == key) {
            return Err(OutputError::Collision {
                path: path.to_path_buf(),
                first: (*first).to_owned(),
                second: what.to_owned(),
            });
        }
        seen.push((key, what));
        Ok(())
    };
    for (path, what) in shared {
        claim(path, what)?;
    }
    for (path, what) in outputs {
        claim(path, what)?;
        if path.is_dir() {
            return Err(OutputError::Unwritable {
                path: path.to_path_buf(),
                what: what.clone(),
                why: "it is a folder".to_owned(),
            });
        }
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if !parent.is_dir() {
            return Err(OutputError::Unwritable {
                path: path.to_path_buf(),
                what: what.clone(),
                why: format!("no folder {}", crate::shown::path(parent)),
            });
        }
    }
    Ok(())
}

/// Writes the report to `target` with `write`.
pub fn write_report(
    target: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), OutputError> {
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| OutputError::Io { path, source }
    };
    // Through a symlink to the file it names: the link stays a link.
    let target = match fs::symlink_metadata(target) {
        Ok(meta) if meta.file_type().is_symlink() => match fs::canonicalize(target) {
            Ok(real) => real,
            // A dangling link: create the file it points to.
            Err(_) => {
                let link = fs::read_link(target).map_err(io_err(target))?;
                target.parent().unwrap_or(Path::new("")).join(link)
            }
        },
        _ => target.to_path_buf(),
    };
    let existing = fs::metadata(&target).ok();
    if let Some(meta) = &existing
        && !meta.is_file()
    {
        // A device or FIFO (`-o /dev/stdout`): write into it; renaming would replace it.
        let mut file = OpenOptions::new()
            .write(true)
            .open(&target)
            .map_err(io_err(&target))?;
        let mut buffered = io::BufWriter::new(&mut file);
        write(&mut buffered)
            .and_then(|()| buffered.flush())
            .map_err(io_err(&target))?;
        return Ok(());
    }
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .ok_or_else(|| OutputError::NoFileName(target.clone()))?
        .to_string_lossy()
        .into_owned();
    remove_stale(dir, &name);
    let tmp = dir.join(temp_name(&name, std::process::id()));
    PENDING
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(tmp.clone());
    let result = (|| -> io::Result<()> {
        let file = File::create(&tmp)?;
        if let Some(meta) = &existing {
            // Keep who may read the report: it may hold what the team should not see.
            file.set_permissions(meta.permissions())?;
            // And whose it is (possible as root, or for one's own file and group).
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                let _ = std::os::unix::fs::fchown(&file, Some(meta.uid()), Some(meta.gid()));
            }
        }
        let mut buffered = io::BufWriter::new(file);
        write(&mut buffered)?;
        buffered
            .into_inner()
            .map_err(|e| e.into_error())?
            .sync_all()?;
        fs::rename(&tmp, &target)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    PENDING
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .retain(|p| p != &tmp);
    result.map_err(io_err(&target))
}

fn temp_name(name: &str, pid: u32) -> String {
    format!(".{name}.crm-ready-{pid}.tmp")
}

/// Removes temporary files of this name left by runs that were killed (their process is
/// gone). Where processes cannot be looked up, nothing is removed.
fn remove_stale(dir: &Path, name: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let prefix = format!(".{name}.crm-ready-");
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !Path::new("/proc").join(pid.to_string()).exists() {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Removes the temporary files being written now: for a signal handler, before exiting.
pub fn remove_temp_files() {
    // try_lock: a signal can arrive while the lock is held; then the files are left for the
    // next run to clean up rather than risk a deadlock.
    if let Ok(pending) = PENDING.try_lock() {
        for path in pending.iter() {
            let _ = fs::remove_file(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_temp_files_of_dead_runs_are_removed() {
        if !Path::new("/proc/self").exists() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        // pid_max on Linux is at most 2^22: this process cannot exist.
        let stale = dir.path().join(temp_name("r.json", 4_194_305));
        let live = dir.path().join(temp_name("r.json", std::process::id()));
        let other = dir.path().join(temp_name("other.json", 4_194_305));
        for p in [&stale, &live, &other] {
            fs::write(p, b"x").unwrap();
        }
        remove_stale(dir.path(), "r.json");
        assert!(!stale.exists());
        assert!(live.exists(), "this run's own file is not stale");
        assert!(other.exists(), "another report's file is left alone");
    }
}
