//! The history file: SQLite (one file, transactions, many readers and writers), with a schema
//! version and migrations.
//!
//! Why not JSON Lines: a run killed while appending leaves half a line that every later read
//! must step over; two runs appending at once can interleave; finding "the last run of this
//! input" or "the pinned baseline" means reading the whole file; and a migration rewrites it.
//! SQLite gives all-or-nothing writes (a run killed at any point leaves the file as it was or
//! with the complete run), concurrent writers (WAL and a busy timeout), indexed look-ups and
//! `user_version` for the schema, in one file a user can copy or open with `sqlite3`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use super::compare::Snapshot;

/// The schema this build writes; older files are migrated, newer ones refused.
pub const SCHEMA_VERSION: i64 = 1;

/// What can go wrong with a history file. Each says what to do, and the file is never
/// overwritten or truncated on error.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error(
        "{}: not a crm-ready history file ({detail}); it was left as it is: give another --history file, or move this one away",
        crate::shown::path(path)
    )]
    NotHistory { path: PathBuf, detail: String },
    #[error(
        "{}: written by a newer crm-ready (history schema {found}; this one reads up to {SCHEMA_VERSION}); it was left as it is: use a newer crm-ready, or another --history file",
        crate::shown::path(path)
    )]
    Newer { path: PathBuf, found: i64 },
    #[error("{}: no such history file", crate::shown::path(path))]
    Missing { path: PathBuf },
    #[error(
        "{}: no run {id} (`crm-ready history list` shows the runs)",
        crate::shown::path(path)
    )]
    NoRun { path: PathBuf, id: i64 },
    #[error("{}", sqlite_message(path, source))]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
}

/// What an SQLite failure means for the user, and what to do.
fn sqlite_message(path: &Path, source: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode;
    let shown = crate::shown::path(path);
    let code = source.sqlite_error_code();
    match code {
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => format!(
            "{shown}: the history file is damaged (cut short or overwritten); it was left as it is: restore it from a backup, or give another --history file"
        ),
        Some(ErrorCode::CannotOpen) => format!(
            "{shown}: cannot open the history file: check that its folder exists and that you may write there"
        ),
        Some(ErrorCode::ReadOnly | ErrorCode::PermissionDenied) => format!(
            "{shown}: the history file cannot be written (read-only file or folder): give a --history file you may write"
        ),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => format!(
            "{shown}: another run kept the history file busy for more than 60 seconds; nothing was written: run again"
        ),
        Some(ErrorCode::DiskFull) => {
            format!("{shown}: the disk is full; the history was left as it was")
        }
        _ => format!("{shown}: {source}"),
    }
}

/// One run as `history list` shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct RunInfo {
    pub id: i64,
    pub input: String,
    pub run_at: String,
    pub as_of: String,
    pub tool_version: String,
    pub dictionary_hash: String,
    pub rows: u64,
    pub ready: u64,
    pub at_risk: u64,
    pub blocked: u64,
    pub unknown: u64,
    pub not_applicable: u64,
    pub pinned: bool,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";

const SCHEMA: &str = "
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    input TEXT NOT NULL,
    run_at TEXT NOT NULL,
    as_of TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    dictionary_name TEXT NOT NULL,
    dictionary_hash TEXT NOT NULL,
    rows INTEGER NOT NULL,
    ready INTEGER NOT NULL,
    at_risk INTEGER NOT NULL,
    blocked INTEGER NOT NULL,
    unknown INTEGER NOT NULL,
    not_applicable INTEGER NOT NULL
);
CREATE INDEX runs_by_input ON runs (input, id);
CREATE TABLE run_inputs (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    rows INTEGER NOT NULL,
    content_hash TEXT NOT NULL
);
CREATE INDEX run_inputs_by_run ON run_inputs (run_id);
CREATE TABLE measures (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    scope TEXT NOT NULL,
    subject TEXT NOT NULL,
    measure TEXT NOT NULL,
    value REAL,
    threshold REAL,
    met INTEGER
);
CREATE INDEX measures_by_run ON measures (run_id);
CREATE TABLE verdicts (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    use_case TEXT NOT NULL,
    verdict TEXT NOT NULL
);
CREATE INDEX verdicts_by_run ON verdicts (run_id);
CREATE TABLE pins (
    input TEXT PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE
);
";

impl Store {
    /// Opens (with `create`, makes) a history file; a file that is not one, or is from a
    /// newer version, is an error and left untouched.
    pub fn open(path: &Path, create: bool) -> Result<Store, HistoryError> {
        let sqlite = |source| HistoryError::Sqlite {
            path: path.to_path_buf(),
            source,
        };
        if path.is_dir() {
            return Err(HistoryError::NotHistory {
                path: path.to_path_buf(),
                detail: "a folder".to_owned(),
            });
        }
        match std::fs::File::open(path) {
            Ok(mut file) => {
                use std::io::Read;
                let mut head = [0u8; 16];
                let n = file.read(&mut head).unwrap_or(0);
                // An empty file (`touch history.db`) is a new history; anything else must be
                // SQLite before SQLite is allowed to write to it.
                if n > 0 && &head[..n] != SQLITE_MAGIC {
                    return Err(HistoryError::NotHistory {
                        path: path.to_path_buf(),
                        detail: "it is not an SQLite database".to_owned(),
                    });
                }
            }
            Err(_) if !create => {
                return Err(HistoryError::Missing {
                    path: path.to_path_buf(),
                });
            }
            Err(_) => {}
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(sqlite)?;
        conn.busy_timeout(Duration::from_secs(60)).map_err(sqlite)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.migrate()?;
        Ok(store)
    }

    /// Opens a history file to read (`history list`, `show`): never writes, so a read-only
    /// copy can be read and an empty file stays empty.
    pub fn open_read(path: &Path) -> Result<Store, HistoryError> {
        let meta = std::fs::metadata(path).map_err(|_| HistoryError::Missing {
            path: path.to_path_buf(),
        })?;
        if meta.is_dir() || meta.len() == 0 {
            return Err(HistoryError::NotHistory {
                path: path.to_path_buf(),
                detail: if meta.is_dir() {
                    "a folder".to_owned()
                } else {
                    "an empty file: no run was recorded in it yet".to_owned()
                },
            });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn =
            Connection::open_with_flags(path, flags).map_err(|source| HistoryError::Sqlite {
                path: path.to_path_buf(),
                source,
            })?;
        conn.busy_timeout(Duration::from_secs(60))
            .map_err(|source| HistoryError::Sqlite {
                path: path.to_path_buf(),
                source,
            })?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
        };
        let version: i64 = store
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| store.sqlite(e))?;
        match version {
            SCHEMA_VERSION => Ok(store),
            v if v > SCHEMA_VERSION => Err(HistoryError::Newer {
                path: path.to_path_buf(),
                found: v,
            }),
            _ => Err(HistoryError::NotHistory {
                path: path.to_path_buf(),
                detail: "an SQLite database of another program".to_owned(),
            }),
        }
    }

    fn sqlite(&self, source: rusqlite::Error) -> HistoryError {
        match source.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => HistoryError::NotHistory {
                path: self.path.clone(),
                detail: "the database is damaged".to_owned(),
            },
            _ => HistoryError::Sqlite {
                path: self.path.clone(),
                source,
            },
        }
    }

    /// Brings the schema to `SCHEMA_VERSION`, in one transaction.
    fn migrate(&mut self) -> Result<(), HistoryError> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.sqlite(e))?;
        if version > SCHEMA_VERSION {
            return Err(HistoryError::Newer {
                path: self.path.clone(),
                found: version,
            });
        }
        if version == SCHEMA_VERSION {
            self.conn
                .pragma_update(None, "foreign_keys", true)
                .map_err(|e| self.sqlite(e))?;
            return Ok(());
        }
        let tables: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(|e| self.sqlite(e))?;
        if version == 0 && tables > 0 {
            return Err(HistoryError::NotHistory {
                path: self.path.clone(),
                detail: "an SQLite database of another program".to_owned(),
            });
        }
        // WAL lets readers and one writer work at once; set before the first write.
        self.conn
            .pragma_update(None, "journal_mode", "wal")
            .map_err(|e| self.sqlite(e))?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)
            .map_err(|e| HistoryError::Sqlite {
                path: self.path.clone(),
                source: e,
            })?;
        // Another run may have made the schema while this one waited for the lock.
        let now: i64 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| HistoryError::Sqlite {
                path: self.path.clone(),
                source: e,
            })?;
        if now == 0 {
            tx.execute_batch(SCHEMA)
                .and_then(|()| tx.pragma_update(None, "user_version", SCHEMA_VERSION))
                .map_err(|e| HistoryError::Sqlite {
                    path: self.path.clone(),
                    source: e,
                })?;
        }
        tx.commit().map_err(|e| HistoryError::Sqlite {
            path: self.path.clone(),
            source: e,
        })?;
        self.conn
            .pragma_update(None, "foreign_keys", true)
            .map_err(|e| self.sqlite(e))
    }

    /// A write transaction, taken at once (`IMMEDIATE`): a concurrent run waits for the busy
    /// timeout rather than failing half-way.
    fn write(&mut self) -> Result<rusqlite::Transaction<'_>, HistoryError> {
        let path = self.path.clone();
        self.conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|source| HistoryError::Sqlite { path, source })
    }

    /// Starts the write of a run: the look-ups of the previous run and the baseline, and the
    /// insert, happen under one lock, so concurrent runs see each other in order. Nothing is
    /// kept unless `commit` is called; a run that ends before (an error, a kill) leaves the
    /// file as it was.
    pub fn begin(&mut self) -> Result<(), HistoryError> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.sqlite(e))
    }

    /// Makes the run written since `begin` permanent.
    pub fn commit(&mut self) -> Result<(), HistoryError> {
        // A test hook: a run killed here must leave no trace of itself.
        if std::env::var_os("CRM_READY_TEST_DIE_BEFORE_COMMIT").is_some() {
            std::process::abort();
        }
        self.conn
            .execute_batch("COMMIT")
            .map_err(|e| self.sqlite(e))
    }

    /// Inserts a run (inside `begin` .. `commit`); returns its id.
    pub fn insert(&mut self, run: &Snapshot) -> Result<i64, HistoryError> {
        let path = self.path.clone();
        let err = |source| HistoryError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = &self.conn;
        tx.execute(
            "INSERT INTO runs (input, run_at, as_of, tool_version, dictionary_name, dictionary_hash,
                rows, ready, at_risk, blocked, unknown, not_applicable)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                run.input,
                run.run_at,
                run.as_of,
                run.tool_version,
                run.dictionary_name,
                run.dictionary_hash,
                run.rows as i64,
                run.verdicts[0] as i64,
                run.verdicts[1] as i64,
                run.verdicts[2] as i64,
                run.verdicts[3] as i64,
                run.verdicts[4] as i64,
            ],
        )
        .map_err(err)?;
        let id = tx.last_insert_rowid();
        {
            let mut insert = tx
                .prepare(
                    "INSERT INTO run_inputs (run_id, path, size, rows, content_hash) VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(err)?;
            for input in &run.inputs {
                insert
                    .execute(params![
                        id,
                        input.path,
                        input.size as i64,
                        input.rows as i64,
                        input.content_hash
                    ])
                    .map_err(err)?;
            }
            let mut insert = tx
                .prepare(
                    "INSERT INTO measures (run_id, scope, subject, measure, value, threshold, met)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(err)?;
            for m in &run.measures {
                insert
                    .execute(params![
                        id,
                        m.scope,
                        m.subject,
                        m.measure,
                        m.value,
                        m.threshold,
                        m.met
                    ])
                    .map_err(err)?;
            }
            let mut insert = tx
                .prepare("INSERT INTO verdicts (run_id, use_case, verdict) VALUES (?1, ?2, ?3)")
                .map_err(err)?;
            for (use_case, verdict) in &run.use_cases {
                insert
                    .execute(params![id, use_case, verdict])
                    .map_err(err)?;
            }
        }
        Ok(id)
    }

    /// The run `id`'s snapshot.
    pub fn load(&self, id: i64) -> Result<Snapshot, HistoryError> {
        let err = |e| self.sqlite(e);
        let mut run = self
            .conn
            .query_row(
                "SELECT input, run_at, as_of, tool_version, dictionary_name, dictionary_hash, rows,
                        ready, at_risk, blocked, unknown, not_applicable FROM runs WHERE id = ?1",
                [id],
                |r| {
                    Ok(Snapshot {
                        id: Some(id),
                        input: r.get(0)?,
                        run_at: r.get(1)?,
                        as_of: r.get(2)?,
                        tool_version: r.get(3)?,
                        dictionary_name: r.get(4)?,
                        dictionary_hash: r.get(5)?,
                        rows: r.get::<_, i64>(6)? as u64,
                        verdicts: [
                            r.get::<_, i64>(7)? as u64,
                            r.get::<_, i64>(8)? as u64,
                            r.get::<_, i64>(9)? as u64,
                            r.get::<_, i64>(10)? as u64,
                            r.get::<_, i64>(11)? as u64,
                        ],
                        ..Snapshot::default()
                    })
                },
            )
            .optional()
            .map_err(err)?
            .ok_or_else(|| HistoryError::NoRun {
                path: self.path.clone(),
                id,
            })?;
        let mut stmt = self
            .conn
            .prepare("SELECT scope, subject, measure, value, threshold, met FROM measures WHERE run_id = ?1 ORDER BY rowid")
            .map_err(err)?;
        run.measures = stmt
            .query_map([id], |r| {
                Ok(super::compare::Measured {
                    scope: r.get(0)?,
                    subject: r.get(1)?,
                    measure: r.get(2)?,
                    value: r.get(3)?,
                    threshold: r.get(4)?,
                    met: r.get(5)?,
                })
            })
            .map_err(err)?
            .collect::<Result<_, _>>()
            .map_err(err)?;
        let mut stmt = self
            .conn
            .prepare("SELECT use_case, verdict FROM verdicts WHERE run_id = ?1 ORDER BY rowid")
            .map_err(err)?;
        run.use_cases = stmt
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(err)?
            .collect::<Result<_, _>>()
            .map_err(err)?;
        Ok(run)
    }

    /// The last run of `input` before run `before` (all runs when `None`).
    pub fn previous(&self, input: &str, before: Option<i64>) -> Result<Option<i64>, HistoryError> {
        self.conn
            .query_row(
                "SELECT max(id) FROM runs WHERE input = ?1 AND id < ?2",
                params![input, before.unwrap_or(i64::MAX)],
                |r| r.get(0),
            )
            .map_err(|e| self.sqlite(e))
    }

    /// The pinned baseline of `input`.
    pub fn pinned(&self, input: &str) -> Result<Option<i64>, HistoryError> {
        self.conn
            .query_row("SELECT run_id FROM pins WHERE input = ?1", [input], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.sqlite(e))
    }

    /// Pins run `id` (the last run when `None`) as its input's baseline; returns the run.
    pub fn pin(&mut self, id: Option<i64>) -> Result<RunInfo, HistoryError> {
        let id = match id {
            Some(id) => id,
            None => self
                .conn
                .query_row("SELECT max(id) FROM runs", [], |r| {
                    r.get::<_, Option<i64>>(0)
                })
                .map_err(|e| self.sqlite(e))?
                .ok_or_else(|| HistoryError::NoRun {
                    path: self.path.clone(),
                    id: 0,
                })?,
        };
        let run = self.load(id)?;
        self.conn
            .execute(
                "INSERT INTO pins (input, run_id) VALUES (?1, ?2)
                 ON CONFLICT (input) DO UPDATE SET run_id = excluded.run_id",
                params![run.input, id],
            )
            .map_err(|e| self.sqlite(e))?;
        self.list()?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or(HistoryError::NoRun {
                path: self.path.clone(),
                id,
            })
    }

    /// Every run, oldest first.
    pub fn list(&self) -> Result<Vec<RunInfo>, HistoryError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT r.id, r.input, r.run_at, r.as_of, r.tool_version, r.dictionary_hash, r.rows,
                        r.ready, r.at_risk, r.blocked, r.unknown, r.not_applicable,
                        EXISTS (SELECT 1 FROM pins p WHERE p.run_id = r.id)
                 FROM runs r ORDER BY r.id",
            )
            .map_err(|e| self.sqlite(e))?;
        stmt.query_map([], |r| {
            Ok(RunInfo {
                id: r.get(0)?,
                input: r.get(1)?,
                run_at: r.get(2)?,
                as_of: r.get(3)?,
                tool_version: r.get(4)?,
                dictionary_hash: r.get(5)?,
                rows: r.get::<_, i64>(6)? as u64,
                ready: r.get::<_, i64>(7)? as u64,
                at_risk: r.get::<_, i64>(8)? as u64,
                blocked: r.get::<_, i64>(9)? as u64,
                unknown: r.get::<_, i64>(10)? as u64,
                not_applicable: r.get::<_, i64>(11)? as u64,
                pinned: r.get(12)?,
            })
        })
        .map_err(|e| self.sqlite(e))?
        .collect::<Result<_, _>>()
        .map_err(|e| self.sqlite(e))
    }

    /// Keeps the last `keep` runs of each input (and every pinned run); returns how many
    /// runs were removed.
    pub fn prune(&mut self, keep: usize) -> Result<usize, HistoryError> {
        let path = self.path.clone();
        let err = |source| HistoryError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.write()?;
        let removed = tx
            .execute(
                "DELETE FROM runs WHERE id IN (
                    SELECT id FROM (
                        SELECT id, row_number() OVER (PARTITION BY input ORDER BY id DESC) AS n
                        FROM runs
                    ) WHERE n > ?1
                 ) AND id NOT IN (SELECT run_id FROM pins)",
                [keep as i64],
            )
            .map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(removed)
    }

    /// The runs of `input` (every input when `None`), oldest first, at most the last `last`.
    pub fn runs_of(
        &self,
        input: Option<&str>,
        last: Option<usize>,
    ) -> Result<Vec<i64>, HistoryError> {
        let mut ids: Vec<i64> = self
            .list()?
            .into_iter()
            .filter(|r| input.is_none_or(|i| r.input == i))
            .map(|r| r.id)
            .collect();
        if let Some(last) = last {
            let skip = ids.len().saturating_sub(last);
            ids.drain(..skip);
        }
        Ok(ids)
    }
}
