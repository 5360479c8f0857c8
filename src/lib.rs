//! crm-ready measures whether a CRM export can feed the AI use cases a business wants to run,
//! and says what to fix first.
//!
//! The library never prints and knows nothing of terminals: [`run`] writes the report to the
//! writer it is given and reports progress through a callback.

pub mod audit;
pub mod config;
pub mod history;
pub mod input;
pub mod model;
pub mod output;
pub mod report;
pub mod shown;
pub mod sql;
pub mod when;

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context, Result, bail};
use rayon::prelude::*;

use audit::AccountTable;
use audit::{ChosenBy, MapChoice, counters::TableCounters};
use config::{Dictionary, FieldMap};
use input::{InputError, Progress, ReadOptions, Skipped, Source};
use model::{
    AccountLink, DictionaryInfo, FileError, FileReport, InputReport, Report, SCHEMA_VERSION,
    Summary, Verdict, VerdictCounts,
};
pub use report::{FieldList, Format, ReportOutput, Style};

/// Which verdict makes the run fail (exit 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FailOn {
    #[default]
    Blocked,
    AtRisk,
    /// No verdict fails the run: only a regression does (`--fail-on regression`).
    Nothing,
}

/// Everything a run needs, already validated by the caller's argument parser.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub paths: Vec<PathBuf>,
    pub dictionary: Option<PathBuf>,
    /// `--field-map`: a built-in map name (`hubspot/contacts`) or a TOML file, for every
    /// file; or `FILE=MAP` for the files of that name (`Lead.csv=salesforce/lead`).
    pub field_maps: Vec<String>,
    /// Each report format and where it goes (a file, written atomically, or the writer
    /// `run` is given); none means text to the writer.
    pub outputs: Vec<ReportOutput>,
    /// `--output-dir`: made (with its parents) before the run, if it is not there.
    pub output_dir: Option<PathBuf>,
    /// `--checklist`: the diagnostic's checklist questions to answer, instead of the
    /// built-in `field-maps/checklist.toml`.
    pub checklist: Option<PathBuf>,
    pub fail_on: FailOn,
    /// A use case that cannot be judged (its export lacks a column) does not fail the run.
    pub allow_partial: bool,
    /// Append the run to this history file and compare it with the previous run and the
    /// pinned baseline.
    pub history: Option<PathBuf>,
    /// The input's identity in the history (for exports whose file name carries a date);
    /// the paths as given when `None`.
    pub name: Option<String>,
    /// A regression (a verdict or measure worse than at the previous run) fails the run.
    pub fail_on_regression: bool,
    /// `--worklist`: write the records that fail a requirement of a blocked or at-risk use
    /// case to this CSV file.
    pub worklist: Option<PathBuf>,
    /// `--by`: break every requirement that is not met down by these fields.
    pub by: Vec<String>,
    /// Segments shown per requirement; the rest are grouped.
    pub top: usize,
    /// Segments kept per `--by` field; the rest are merged into "other segments".
    pub max_segments: usize,
    /// The day to judge the data as of (`YYYY-MM-DD`, validated); today when `None`.
    pub as_of: Option<String>,
    /// Show examples of invalid values and the most common value of each field (emails
    /// and phones masked): off by default, since exports hold personal data.
    pub show_values: bool,
    pub style: Style,
    /// Worker threads; all cores when `None`.
    pub threads: Option<usize>,
    pub read: ReadOptions,
    /// `--from-sql-result`: judge the one-row result of the query `crm-ready sql` wrote,
    /// instead of reading exports.
    pub from_sql_result: Option<PathBuf>,
}

/// How the audit came out, for the exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// No use case is blocked (nor at risk, with `FailOn::AtRisk`).
    Pass,
    Fail,
    /// Some files could not be audited (the report covers the others); one message each.
    Errors(Vec<String>),
}

/// Audits the inputs and writes the report to `out` (or to `settings.output`).
pub fn run(
    settings: &Settings,
    out: &mut dyn Write,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Outcome> {
    let pool = {
        let mut builder = rayon::ThreadPoolBuilder::new();
        if let Some(n) = settings.threads {
            builder = builder.num_threads(n);
        }
        builder.build().context("cannot start worker threads")?
    };
    let (mut report, regression_points) = pool.install(|| build_report(settings, progress))?;
    if let Some(target) = &settings.worklist {
        report.worklist = Some(write_worklist(target, &report)?);
    }
    // The run is written to the history under a lock held until the report is out: a run
    // whose report could not be written is not kept, and concurrent runs compare in order.
    let mut store = match &settings.history {
        Some(file) => {
            let (store, history) = record_history(file, settings, &report, regression_points)?;
            report.history = Some(history);
            Some(store)
        }
        None => None,
    };
    let checklist = match &settings.checklist {
        None => audit::diagnostic::builtin_checklist(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the checklist {}", path.display()))?;
            audit::diagnostic::read_checklist(&text).map_err(|e| {
                anyhow::anyhow!(
                    "{}: not a checklist: {e} (see field-maps/checklist.toml for the shape)",
                    path.display()
                )
            })?
        }
    };
    report.diagnostic = audit::diagnostic::diagnose(&report, &checklist);
    progress(Progress {
        finished: true,
        ..Progress::default()
    });
    let text = [ReportOutput::default()];
    let outputs = if settings.outputs.is_empty() {
        &text[..]
    } else {
        &settings.outputs[..]
    };
    for target in outputs {
        match &target.file {
            Some(file) => output::write_report(file, |w| {
                report::render(&report, target.format, settings.style, w)
            })?,
            None => match report::render(&report, target.format, settings.style, out) {
                // `| head` stopped reading: the verdict below still stands.
                Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => {}
                other => other.context("cannot write the report")?,
            },
        }
    }
    if let Some(store) = &mut store {
        store.commit()?;
    }
    if !report.errors.is_empty() {
        return Ok(Outcome::Errors(
            report.errors.iter().map(|e| e.message.clone()).collect(),
        ));
    }
    let regressed = report
        .history
        .as_ref()
        .and_then(|h| h.previous.as_ref())
        .is_some_and(|c| !c.regressions.is_empty());
    if settings.fail_on_regression && regressed {
        return Ok(Outcome::Fail);
    }
    let failed = report.summary.use_cases.iter().any(|u| match u.verdict {
        Verdict::Blocked => settings.fail_on != FailOn::Nothing,
        // An export that cannot be judged fails like a blocked one, so a scheduler notices.
        Verdict::Unknown => !settings.allow_partial && settings.fail_on != FailOn::Nothing,
        Verdict::AtRisk => settings.fail_on == FailOn::AtRisk,
        Verdict::Ready | Verdict::NotApplicable => false,
    });
    Ok(if failed { Outcome::Fail } else { Outcome::Pass })
}

/// The report, and the dictionary's regression threshold (for the history).
fn build_report(
    settings: &Settings,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<(Report, f64)> {
    let builtin = config::builtin_field_maps().context("a built-in field map is invalid")?;
    let forced = ForcedMaps::load(&settings.field_maps)?;
    let known = config::known_fields(
        builtin
            .iter()
            .chain(forced.all.as_ref())
            .chain(forced.per_file.iter().map(|(_, m)| m)),
    );
    let dictionary = config::load_dictionary(settings.dictionary.as_deref(), &known)
        .context("cannot load the data dictionary")?;
    // The dictionary's aliases extend every map: `[aliases] owner = ["Owner ID"]`.
    let with_aliases = |map: FieldMap| map.with_aliases(&dictionary.aliases);
    let builtin: Vec<FieldMap> = builtin.into_iter().map(with_aliases).collect();
    let forced = ForcedMaps {
        all: forced.all.map(with_aliases),
        per_file: forced
            .per_file
            .into_iter()
            .map(|(name, map)| (name, with_aliases(map)))
            .collect(),
    };
    // A breakdown by a field that identifies people would print personal data: refused if
    // any map the run may use (built-in, forced, with the dictionary's aliases) reads the
    // name as such a field.
    refuse_identity_by(
        &settings.by,
        &known,
        builtin
            .iter()
            .chain(forced.all.as_ref())
            .chain(forced.per_file.iter().map(|(_, m)| m)),
    )?;
    if settings.fail_on_regression && settings.history.is_none() {
        bail!(
            "--fail-on regression needs --history FILE: a regression is measured against the previous run"
        );
    }
    if let Some(result) = &settings.from_sql_result {
        if !settings.paths.is_empty() {
            bail!(
                "--from-sql-result reads the result of a query instead of exports: give one or the other"
            );
        }
        if settings.worklist.is_some() {
            bail!(
                "--worklist lists records, and the result of the query holds counts only: run the file audit on an export for a work list"
            );
        }
        let read = &settings.read;
        if read.delimiter.is_some() || read.sheet.is_some() || read.no_header {
            bail!(
                "--delimiter, --sheet and --no-header say how to read an export: the result of the query is read as the engine wrote it (CSV, TSV or JSON); leave them out"
            );
        }
        check_destinations(settings, std::iter::once(result.as_path()))?;
        let report = sql_report(settings, result, &builtin, &dictionary)?;
        return Ok((report, dictionary.regression_points));
    }
    let builtin: Vec<FieldMap> = builtin
        .into_iter()
        .filter(|m| !config::is_warehouse_map(&m.name))
        .collect();
    if settings.paths.is_empty() {
        bail!("no export to audit: give a file, a folder or a ZIP archive");
    }
    let input::Discovered {
        sources,
        mut skipped,
        errors: unreadable,
    } = input::discover(
        &settings.paths,
        settings.read.max_uncompressed,
        settings.read.max_depth,
    );
    check_destinations(settings, sources.iter().filter_map(Source::disk_path))?;
    if sources.is_empty() {
        // Nothing to audit: the first reason is the run's error.
        match unreadable.into_iter().next() {
            Some(err) => return Err(err.into()),
            None => bail!("no export to audit: give a file, a folder or a ZIP archive"),
        }
    }

    // Progress of all files at once: each file reports its own, the sum goes out.
    let done: Vec<(AtomicU64, AtomicU64)> = sources
        .iter()
        .map(|_| (AtomicU64::new(0), AtomicU64::new(0)))
        .collect();
    let total: Option<u64> = sources.iter().map(|s| s.size).sum();
    let report_progress = |index: usize, p: Progress| {
        done[index].0.store(p.bytes_read, Ordering::Relaxed);
        done[index].1.store(p.lines_read, Ordering::Relaxed);
        progress(Progress {
            bytes_read: done.iter().map(|d| d.0.load(Ordering::Relaxed)).sum(),
            total_bytes: if sources.len() == 1 {
                p.total_bytes
            } else {
                total
            },
            lines_read: done.iter().map(|d| d.1.load(Ordering::Relaxed)).sum(),
            finished: false,
        });
    };
    // A Salesforce export's `User.csv` names the owners its records point to by id.
    let owners: Option<Arc<std::collections::HashMap<String, String>>> = sources
        .iter()
        .filter(|s| {
            s.file_stem()
                .is_some_and(|stem| stem.eq_ignore_ascii_case("user"))
        })
        .filter_map(|s| read_users(s, settings))
        .reduce(|mut a, b| {
            a.extend(b);
            a
        })
        .map(Arc::new);
    let audit = |(index, source): (usize, &Source), accounts: Option<&Arc<AccountTable>>| {
        // A reader that panics on a damaged file (calamine does, on some truncated XLS) must
        // not take the other files down with it: that file gets an error like any other.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            audit_source(
                source,
                settings,
                &builtin,
                forced.for_source(source),
                Related {
                    accounts,
                    owners: owners.as_ref(),
                },
                &dictionary,
                &|p| report_progress(index, p),
            )
        }))
        .unwrap_or_else(|panic| {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(InputError::Damaged {
                path: source.name.clone(),
                why,
            })
        })
    };

    if let ([source], true) = (sources.as_slice(), unreadable.is_empty()) {
        // One file: its errors are the run's errors.
        let (file, _) = audit((0, source), None)?;
        return Ok((
            assemble(vec![file], skipped, Vec::new(), &dictionary, settings),
            dictionary.regression_points,
        ));
    }
    // Several files: audit them in parallel, report a bad one and keep going. A Salesforce
    // Data Export's Account.csv goes first: contacts and opportunities take company fields
    // from the account their AccountId names, in the same run.
    let is_accounts = |s: &Source| {
        s.file_stem()
            .is_some_and(|stem| stem.eq_ignore_ascii_case("account"))
    };
    let first: Vec<(usize, Audited)> = sources
        .par_iter()
        .enumerate()
        .filter(|(_, s)| is_accounts(s))
        .map(|(i, s)| (i, audit((i, s), None)))
        .collect();
    let mut accounts = AccountTable::default();
    let first: Vec<(usize, Audited)> = first
        .into_iter()
        .map(|(i, result)| {
            let result = result.map(|(file, table)| {
                if let Some(table) = table {
                    accounts.files.push(file.input.path.clone());
                    accounts.overflow |= table.overflow;
                    accounts.ids.extend(table.ids);
                }
                (file, None)
            });
            (i, result)
        })
        .collect();
    let accounts = Arc::new(accounts);
    let rest: Vec<(usize, Audited)> = sources
        .par_iter()
        .enumerate()
        .filter(|(_, s)| !is_accounts(s))
        .map(|(i, s)| (i, audit((i, s), Some(&accounts))))
        .collect();
    let mut results: Vec<(usize, Result<FileReport, InputError>)> = first
        .into_iter()
        .chain(rest)
        .map(|(i, r)| (i, r.map(|(file, _)| file)))
        .collect();
    results.sort_by_key(|(i, _)| *i);
    let results = results.into_iter().map(|(_, r)| r);
    let mut files = Vec::new();
    let mut errors: Vec<FileError> = unreadable.iter().map(file_error).collect();
    let mut unrecognised = 0;
    for (source, result) in sources.iter().zip(results) {
        match result {
            Ok(file) => files.push(file),
            // A file nothing can be judged on, among others that can, or a file found in a
            // folder or archive that holds no records (a one-line note, an object with no
            // records in a Data Export): passed over, and said. An empty file is still an
            // error: an export that came out empty.
            Err(err @ (InputError::Unrecognised { .. } | InputError::NoRows { .. }))
                if !source.named || matches!(err, InputError::Unrecognised { .. }) =>
            {
                unrecognised += 1;
                skipped.push(Skipped {
                    path: source.name.display().to_string(),
                    reason: err.reason(),
                });
            }
            Err(err) => errors.push(file_error(&err)),
        }
    }
    if files.is_empty() && errors.is_empty() {
        errors.push(FileError {
            path: String::new(),
            message: format!(
                "nothing could be judged on any of the {unrecognised} files (see why under skipped): check that they are HubSpot or Salesforce exports read with the right delimiter and that the dictionary has use cases for their records, or choose a map with --field-map"
            ),
        });
    }
    Ok((
        assemble(files, skipped, errors, &dictionary, settings),
        dictionary.regression_points,
    ))
}

/// Appends the run to the history file and compares it with the input's previous run and
/// pinned baseline. The store is opened before anything is written: a file that is not a
/// history is refused untouched.
fn record_history(
    file: &std::path::Path,
    settings: &Settings,
    report: &Report,
    regression_points: f64,
) -> Result<(history::Store, model::HistoryReport)> {
    // A warehouse table is known by its name, whatever file its result was saved in.
    let table = report
        .files
        .first()
        .and_then(|f| f.input.sql.as_ref())
        .map(|sql| sql.table.clone());
    let input = settings.name.clone().or(table).unwrap_or_else(|| {
        settings
            .paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(" ")
    });
    let mut store = history::Store::open(file, true)?;
    store.begin()?;
    let snapshot = history::snapshot(report, &input);
    let against = |id: Option<i64>| -> Result<Option<model::Comparison>> {
        Ok(match id {
            Some(id) => Some(history::compare(
                &store.load(id)?,
                &snapshot,
                regression_points,
            )),
            None => None,
        })
    };
    let previous = against(store.previous(&input, None)?)?;
    let pinned = store.pinned(&input)?;
    let baseline = against(pinned)?;
    let run_id = store.insert(&snapshot)?;
    // The same transaction sees this run: the trend ends with it.
    let runs: Vec<history::Snapshot> = store
        .runs_of(Some(&input), Some(30))?
        .into_iter()
        .map(|id| store.load(id))
        .collect::<Result<_, _>>()?;
    let trend = snapshot
        .measures
        .iter()
        .filter(|m| m.scope == "requirement")
        .map(|m| model::TrendSeries {
            subject: m.subject.clone(),
            measure: m.measure.clone(),
            threshold: m.threshold,
            points: runs
                .iter()
                .map(|run| model::TrendPoint {
                    run_id: run.id.unwrap_or(run_id),
                    as_of: run.as_of.clone(),
                    value: run
                        .measures
                        .iter()
                        .find(|x| {
                            x.scope == m.scope && x.subject == m.subject && x.measure == m.measure
                        })
                        .and_then(|x| x.value),
                    baseline: run.id.is_some() && run.id == pinned,
                })
                .collect(),
        })
        .collect();
    Ok((
        store,
        model::HistoryReport {
            file: file.display().to_string(),
            input,
            run_id,
            previous,
            baseline,
            trend,
        },
    ))
}

/// Writes the work list (atomically): a header, then per segment, in segment order, each
/// file's failing records in file order.
fn write_worklist(target: &std::path::Path, report: &Report) -> Result<model::WorklistReport> {
    let parts: Vec<&model::WorklistPart> = report
        .files
        .iter()
        .filter_map(|f| f.worklist.as_ref())
        .collect();
    let by = parts
        .iter()
        .find(|p| p.note.is_none())
        .map(|p| p.by.clone())
        .unwrap_or_else(|| vec!["owner".to_owned()]);
    let id_label = parts
        .iter()
        .find(|p| p.note.is_none())
        .map_or("record_id".to_owned(), |p| p.id_label.clone());
    let mut segments: std::collections::BTreeMap<&str, u64> = std::collections::BTreeMap::new();
    for part in &parts {
        for (segment, rows) in &part.segments {
            *segments.entry(segment).or_default() += rows;
        }
    }
    output::write_report(target, |w| {
        let mut header = vec![audit::worklist::csv_field(&id_label)];
        header.extend(by.iter().map(|b| audit::worklist::csv_field(b)));
        header.push("failing_fields".to_owned());
        header.push("use_cases".to_owned());
        writeln!(w, "{}", header.join(","))?;
        for segment in segments.keys() {
            for part in &parts {
                if let (Some(_), Some(lines)) = (part.segments.get(*segment), &part.lines) {
                    lines.write_segment(segment, w)?;
                }
            }
        }
        Ok(())
    })
    .with_context(|| format!("cannot write the work list {}", target.display()))?;
    Ok(model::WorklistReport {
        file: target.display().to_string(),
        rows: segments.values().sum(),
        by,
        segments: segments
            .iter()
            .map(|(s, n)| model::WorklistSegment {
                segment: s.split('\u{1f}').map(str::to_owned).collect(),
                rows: *n,
            })
            .collect(),
        notes: parts.iter().filter_map(|p| p.note.clone()).collect(),
    })
}

/// A Salesforce `User.csv`: user id (15 characters) -> name (`Name`, else first and last
/// name). `None` when the file cannot be read or has no such columns: owners then stay ids.
fn read_users(
    source: &Source,
    settings: &Settings,
) -> Option<std::collections::HashMap<String, String>> {
    let opened = input::open(source, &settings.read).ok()?;
    let names = &opened.header().names;
    let find = |label: &str| {
        names
            .iter()
            .position(|n| n.trim().eq_ignore_ascii_case(label))
    };
    let id = find("Id").or_else(|| find("User ID"))?;
    let name = find("Name").or_else(|| find("Full Name"));
    let (first, last) = (find("FirstName"), find("LastName"));
    if name.is_none() && first.is_none() && last.is_none() {
        return None;
    }
    #[derive(Default)]
    struct Pairs(Vec<(String, String)>);
    impl std::ops::AddAssign for Pairs {
        fn add_assign(&mut self, other: Self) {
            self.0.extend(other.0);
        }
    }
    let (pairs, _) = opened
        .scan(
            Pairs::default,
            |acc, batch| {
                let columns = batch.columns();
                let text = |i: usize| columns[i].str().ok();
                let (Some(ids), names, firsts, lasts) = (
                    text(id),
                    name.and_then(text),
                    first.and_then(text),
                    last.and_then(text),
                ) else {
                    return;
                };
                for r in 0..ids.len() {
                    let Some(user) = ids.get(r).map(str::trim).filter(|v| !v.is_empty()) else {
                        continue;
                    };
                    let full = names
                        .and_then(|n| n.get(r))
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                        .map(str::to_owned)
                        .or_else(|| {
                            let parts: Vec<&str> = [firsts, lasts]
                                .iter()
                                .filter_map(|c| c.and_then(|c| c.get(r)).map(str::trim))
                                .filter(|v| !v.is_empty())
                                .collect();
                            (!parts.is_empty()).then(|| parts.join(" "))
                        });
                    if let Some(full) = full {
                        acc.0.push((audit::id15(user).to_owned(), full));
                    }
                }
            },
            &|_| {},
        )
        .ok()?;
    Some(pairs.0.into_iter().collect())
}

/// Every destination checked before anything is read or written: a run that cannot write
/// all its outputs writes none.
fn check_destinations<'a>(
    settings: &Settings,
    inputs: impl Iterator<Item = &'a std::path::Path> + Clone,
) -> Result<()> {
    if let Some(dir) = &settings.output_dir {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot make the output folder {}", dir.display()))?;
    }
    let mut destinations: Vec<(&std::path::Path, String)> = settings
        .outputs
        .iter()
        .filter_map(|o| {
            o.file
                .as_deref()
                .map(|f| (f, format!("the {} report", o.format.name())))
        })
        .collect();
    if let Some(w) = &settings.worklist {
        destinations.push((w, "the work list".to_owned()));
    }
    let history: Vec<(&std::path::Path, String)> = settings
        .history
        .iter()
        .map(|h| (h.as_path(), "the history".to_owned()))
        .collect();
    output::check_outputs(&destinations, &history)?;
    let files = settings.outputs.iter().filter_map(|o| o.file.as_ref());
    for target in files.chain(&settings.worklist) {
        output::check_not_input(target, inputs.clone())?;
    }
    Ok(())
}

/// The report around the files' audits: the summary across them, and when and by which
/// rules it was made.
fn assemble(
    files: Vec<FileReport>,
    skipped: Vec<Skipped>,
    errors: Vec<FileError>,
    dictionary: &Dictionary,
    settings: &Settings,
) -> Report {
    let (use_cases, fix_first, re_export) = audit::summary::combine(&files, dictionary);
    let now = when::now_seconds();
    Report {
        schema_version: SCHEMA_VERSION,
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        generated_at: when::rfc3339(now),
        as_of: settings.as_of.clone().unwrap_or_else(|| when::date(now)),
        dictionary: DictionaryInfo {
            name: dictionary.name.clone(),
            hash: dictionary.hash.clone(),
        },
        summary: Summary {
            files: files.len(),
            rows: files.iter().map(|f| f.rows).sum(),
            verdicts: VerdictCounts::of(&use_cases),
            use_cases,
            fix_first,
            re_export,
        },
        files,
        skipped,
        errors,
        history: None,
        worklist: None,
        diagnostic: model::Diagnostic::default(),
    }
}

fn audit_source(
    source: &Source,
    settings: &Settings,
    builtin: &[FieldMap],
    forced: Option<&FieldMap>,
    related: Related,
    dictionary: &Dictionary,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<(FileReport, Option<AccountTable>), InputError> {
    let Related { accounts, owners } = related;
    let opened = input::open(source, &settings.read)?;
    let header = opened.header().clone();
    let info = opened.info();
    let detected = || {
        audit::detect_map(
            &header,
            builtin,
            source.file_stem().as_deref(),
            &audit::ID_COLUMNS
                .iter()
                .map(|name| opened.sample_column(name, SAMPLE_IDS))
                .find(|ids| !ids.is_empty())
                .unwrap_or_default(),
        )
    };
    let mut better_fit = None;
    let choice = match forced {
        Some(map) => {
            let choice = MapChoice::of(map, &header, ChosenBy::Option);
            // A map given by hand that recognises fewer columns than another: say which.
            better_fit = detected()
                .filter(|d| d.matched > choice.matched && d.map.name != choice.map.name)
                .map(|d| format!("{} recognises {} of the columns", d.map.name, d.matched));
            Some(choice)
        }
        None => detected(),
    };
    // A joined export (HubSpot's contacts with their company's columns) is read with the
    // vendor's company map for the columns after `Record ID - Company`.
    let companion = choice.as_ref().and_then(|c| {
        header.segments.iter().any(|&s| s > 0).then(|| {
            builtin
                .iter()
                .find(|m| m.vendor == c.map.vendor && m.kind == config::ObjectKind::Account)
        })?
    });
    let as_of = as_of_days(settings.as_of.as_deref());
    let plan = audit::plan(
        &header,
        choice.as_ref().map(|c| c.map),
        companion,
        accounts,
        dictionary,
        audit::CheckSettings {
            as_of,
            show_values: settings.show_values,
            by: settings.by.clone(),
            max_segments: settings.max_segments,
            owners: owners.cloned(),
        },
    );
    let (counters, summary) = opened.scan(
        TableCounters::default,
        |acc, batch| audit::measure_all(&plan, batch, acc),
        progress,
    )?;
    let fields = audit::field_reports(&plan, &counters);
    let (duplicates, reach) = audit::measure::record_reports(
        &plan.columns,
        &plan.records,
        &counters.records,
        summary.rows,
    );
    let counts = audit::count_results(&plan, &counters);
    // Per column: whether its slash dates read day first, kept past the counters (dropped
    // before the work list's second read).
    let day_first: Vec<bool> = (0..counters.columns.len())
        .map(|c| counters.day_first(c))
        .collect();
    let day_first = |c: usize| day_first.get(c).copied().unwrap_or(false);
    let segments = audit::segments::results(&plan.segments, &counters.segments, day_first);
    let (link_blank, link_unmatched) = (counters.link_blank, counters.link_unmatched);
    let table = plan.keys.as_ref().map(|_| AccountTable {
        files: Vec::new(),
        ids: counters.keys.iter().cloned().collect(),
        overflow: counters.keys_overflow,
    });
    // The counters (duplicate keys, sketches) are large: gone before the work list's read.
    drop(counters);
    let kind = choice.as_ref().map(|c| c.map.kind);
    let judgement = audit::judge(
        &audit::verdict::Measured {
            fields: &fields,
            rows: summary.rows,
            duplicates: &duplicates,
            reach: reach.as_ref(),
            counts: &counts,
            kind,
            segments: &segments,
            top: settings.top,
        },
        choice.as_ref().map(|c| c.map),
        dictionary,
    );
    if judgement
        .use_cases
        .iter()
        .all(|u| u.verdict == Verdict::NotApplicable)
    {
        // A wrong file, a wrong delimiter, or a dictionary for other records: never a pass
        // that judged nothing.
        return Err(InputError::Unrecognised {
            path: source.name.clone(),
            columns: header.len(),
            delimiter: info.delimiter.clone(),
            use_cases: judgement.use_cases.len(),
            kind: kind.map(|k| k.as_str().to_owned()),
        });
    }
    let input = InputReport {
        path: source.name.display().to_string(),
        size: summary.bytes,
        content_hash: format!("xxh3:{:016x}", summary.content_hash),
        format: info.format,
        vendor: choice.as_ref().map(|c| c.map.vendor.clone()),
        object: choice.as_ref().map(|c| c.map.object.clone()),
        kind,
        map: choice.as_ref().map(|c| c.map.name.clone()),
        map_score: choice.as_ref().map_or(0.0, |c| c.score),
        map_columns_matched: choice.as_ref().map_or(0, |c| c.matched),
        map_forced: choice
            .as_ref()
            .is_some_and(|c| c.chosen_by == ChosenBy::Option),
        map_chosen_by: choice.as_ref().map(|c| c.chosen_by),
        map_better_fit: better_fit,
        account_link: plan.link.as_ref().map(|(column, accounts)| AccountLink {
            column: header.names[*column].clone(),
            accounts: accounts.files.join(", "),
            blank: link_blank,
            unmatched: link_unmatched,
        }),
        map_tied_with: choice
            .as_ref()
            .map(|c| c.tied_with.clone())
            .unwrap_or_default(),
        encoding: info.encoding,
        delimiter: info.delimiter,
        line_ending: info.line_ending,
        sheet: info.sheet,
        header_line: info.header_line,
        columns: header.len(),
        rows: summary.rows,
        ragged_rows: summary.ragged_rows,
        ragged_examples: summary.ragged_examples,
        removed: summary.removed,
        suspected_summary_rows: summary.suspected_totals,
        footer_records: summary.footer_records,
        stray_trailing_byte: summary.stray_byte.map(|b| format!("0x{b:02X}")),
        renamed_headers: header.renamed.clone(),
        repaired_cells: summary.repaired_cells,
        sql: None,
    };
    // The work list: a second read, in file order (one worker), once the verdicts are known.
    let worklist = match &settings.worklist {
        None => None,
        Some(_) => Some(
            match audit::worklist::plan(
                &plan,
                &settings.by,
                &judgement.use_cases,
                dictionary,
                day_first,
            )
            .and_then(|work| {
                if source.rereadable() {
                    Ok(work)
                } else {
                    Err("standard input cannot be read twice: no work list".to_owned())
                }
            }) {
                Err(note) => model::WorklistPart {
                    note: Some(format!("{}: {note}", source.name.display())),
                    ..model::WorklistPart::default()
                },
                Ok(work) => {
                    let reopened = input::open(source, &settings.read)?;
                    let one = rayon::ThreadPoolBuilder::new()
                        .num_threads(1)
                        .build()
                        .map_err(|e| InputError::Io {
                            path: source.name.clone(),
                            source: std::io::Error::other(e),
                        })?;
                    let (rows, _) = one.install(|| {
                        reopened.scan(
                            audit::worklist::WorklistRows::default,
                            |acc, batch| audit::worklist::measure(&work, &plan, batch, acc),
                            &|_| {},
                        )
                    })?;
                    model::WorklistPart {
                        id_label: work.id_label.clone(),
                        by: work.dimensions.iter().map(|d| d.name.clone()).collect(),
                        segments: rows.segments,
                        lines: Some(std::sync::Arc::new(rows.spool)),
                        note: None,
                    }
                }
            },
        ),
    };
    Ok((
        FileReport {
            input,
            rows: summary.rows,
            fields,
            use_cases: judgement.use_cases,
            fix_first: judgement.fix_first,
            re_export: judgement.re_export,
            duplicates,
            reach,
            by_missing: plan.segments.missing.clone(),
            worklist,
        },
        table,
    ))
}
/// What other files of the same export lend a file: the accounts its records point to, and
/// the names of the users who own them.
struct Related<'a> {
    accounts: Option<&'a Arc<AccountTable>>,
    owners: Option<&'a Arc<std::collections::HashMap<String, String>>>,
}

/// A file's audit, and the accounts it holds when it is a Salesforce accounts file.
type Audited = Result<(FileReport, Option<AccountTable>), InputError>;

/// The maps given with `--field-map`: one for every file, and some for files of a name.
struct ForcedMaps {
    all: Option<FieldMap>,
    /// (file name, map), for `Lead.csv=salesforce/lead`.
    per_file: Vec<(String, FieldMap)>,
}

impl ForcedMaps {
    fn load(given: &[String]) -> Result<ForcedMaps> {
        let mut forced = ForcedMaps {
            all: None,
            per_file: Vec::new(),
        };
        for arg in given {
            let load = |name: &str| {
                config::load_field_map(name).with_context(|| {
                    format!("cannot load the field map given with --field-map {arg}")
                })
            };
            match arg.split_once('=') {
                Some((file, map)) if !file.is_empty() && !map.is_empty() => {
                    forced.per_file.push((file.to_owned(), load(map)?));
                }
                _ if forced.all.is_some() => bail!(
                    "--field-map {arg}: a map for every file is already given; for one file write FILE=MAP (e.g. Lead.csv=salesforce/lead)"
                ),
                _ => forced.all = Some(load(arg)?),
            }
        }
        Ok(forced)
    }

    /// The map forced for `source`: one given for its file name, else the one for all.
    fn for_source(&self, source: &Source) -> Option<&FieldMap> {
        let name = source.name.to_string_lossy();
        let base = name.rsplit(['/', '\\', '!']).next().unwrap_or(&name);
        self.per_file
            .iter()
            .find(|(file, _)| file.eq_ignore_ascii_case(base) || name.ends_with(file.as_str()))
            .map(|(_, map)| map)
            .or(self.all.as_ref())
    }
}

/// Record ids looked at to tell which Salesforce object an export holds.
const SAMPLE_IDS: usize = 20;

fn file_error(err: &InputError) -> FileError {
    FileError {
        path: err.path().display().to_string(),
        message: err.to_string(),
    }
}

/// How `crm-ready history list` and `show` print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryFormat {
    Text,
    Json,
    Csv,
}

/// What `crm-ready history` does to a history file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryAction {
    List {
        file: PathBuf,
        format: HistoryFormat,
    },
    Show {
        file: PathBuf,
        field: Option<String>,
        use_case: Option<String>,
        last: Option<usize>,
        input: Option<String>,
        format: HistoryFormat,
    },
    Pin {
        file: PathBuf,
        run: Option<i64>,
    },
    Prune {
        file: PathBuf,
        keep: usize,
    },
}

/// Reads or maintains a history file; never creates one.
pub fn history_command(action: &HistoryAction, out: &mut dyn Write) -> Result<()> {
    match action {
        HistoryAction::List { file, format } => {
            let store = history::Store::open_read(file)?;
            report::history::write_list(&store.list()?, *format, out)?;
        }
        HistoryAction::Show {
            file,
            field,
            use_case,
            last,
            input,
            format,
        } => {
            let store = history::Store::open_read(file)?;
            let ids = store.runs_of(input.as_deref(), *last)?;
            let runs: Vec<history::Snapshot> = ids
                .iter()
                .map(|id| store.load(*id))
                .collect::<Result<_, _>>()?;
            let wanted = |m: &history::compare::Measured| {
                let (uc, f) = match m.scope.as_str() {
                    "requirement" => m
                        .subject
                        .split_once(": ")
                        .map_or(("", m.subject.as_str()), |(u, f)| (u, f)),
                    _ => ("", m.subject.as_str()),
                };
                // Requirements by default; a field's own measures when it is asked for.
                let scope_ok = m.scope == "requirement" || field.is_some();
                let field_ok = field.as_deref().is_none_or(|want| {
                    f == want
                        || f.starts_with(&format!("{want} ("))
                        || m.subject.ends_with(&format!(": {want}"))
                });
                let use_case_ok = use_case.as_deref().is_none_or(|want| uc == want);
                scope_ok && field_ok && use_case_ok
            };
            // One series per input and measure: two exports are never drawn as one trend.
            let mut series: Vec<report::history::Series> = Vec::new();
            for run in &runs {
                for m in run.measures.iter().filter(|m| wanted(m)) {
                    if !series.iter().any(|s| {
                        s.input == run.input && s.subject == m.subject && s.measure == m.measure
                    }) {
                        series.push(report::history::Series {
                            input: run.input.clone(),
                            subject: m.subject.clone(),
                            measure: m.measure.clone(),
                            points: Vec::new(),
                        });
                    }
                }
            }
            for s in &mut series {
                for run in runs.iter().filter(|r| r.input == s.input) {
                    let value = run
                        .measures
                        .iter()
                        .find(|m| m.subject == s.subject && m.measure == s.measure)
                        .and_then(|m| m.value);
                    s.points.push(report::history::Point {
                        run_id: run.id.unwrap_or(0),
                        run_at: run.run_at.clone(),
                        as_of: run.as_of.clone(),
                        value,
                    });
                }
            }
            series.sort_by(|a, b| {
                (&a.input, &a.subject, &a.measure).cmp(&(&b.input, &b.subject, &b.measure))
            });
            report::history::write_series(&series, *format, out)?;
        }
        HistoryAction::Pin { file, run } => {
            let mut store = history::Store::open(file, false)?;
            let pinned = store.pin(*run)?;
            writeln!(
                out,
                "pinned run {} ({}, as of {}) as the baseline of {}",
                pinned.id,
                pinned.run_at,
                pinned.as_of,
                shown::escape_control(&pinned.input)
            )?;
        }
        HistoryAction::Prune { file, keep } => {
            let mut store = history::Store::open(file, false)?;
            let removed = store.prune(*keep)?;
            writeln!(
                out,
                "removed {removed} run{}; kept the last {keep} of each input and every pinned run",
                if removed == 1 { "" } else { "s" }
            )?;
        }
    }
    Ok(())
}

/// What `crm-ready sql` writes a query for.
#[derive(Debug, Clone)]
pub struct SqlSettings {
    pub dialect: sql::Dialect,
    /// The table, dotted parts allowed (`analytics.crm.contact`).
    pub table: String,
    /// The table's columns, as the engine lists them.
    pub columns: Vec<String>,
    /// `--field-map`: a built-in map or a TOML file; detected from the columns otherwise.
    pub field_map: Option<String>,
    pub dictionary: Option<PathBuf>,
    /// The day to judge the data as of (`YYYY-MM-DD`, validated); today when `None`.
    pub as_of: Option<String>,
    /// `--by`: fields to break the requirements down by, one result row per segment.
    pub by: Vec<String>,
}

/// `YYYY-MM-DD` (validated by the caller) in days since 1970-01-01; today when `None`.
fn as_of_days(as_of: Option<&str>) -> i32 {
    as_of
        .and_then(|d| {
            let (y, rest) = d.split_once('-')?;
            let (m, d) = rest.split_once('-')?;
            audit::checks::date::days(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
        })
        .unwrap_or_else(|| when::now_seconds().div_euclid(86_400) as i32)
}

/// The file audit's plan of a table's columns, and the query that measures them.
fn sql_query(
    columns: &[String],
    map: Option<&FieldMap>,
    dictionary: &Dictionary,
    table: &str,
    as_of: i32,
    dialect: sql::Dialect,
    by: &[String],
) -> (audit::Plan, sql::audit::AuditQuery, String) {
    let header = input::Header {
        names: columns.to_vec(),
        renamed: Vec::new(),
        segments: vec![0; columns.len()],
    };
    let plan = audit::plan(
        &header,
        map,
        None,
        None,
        dictionary,
        audit::CheckSettings {
            as_of,
            show_values: false,
            by: by.to_vec(),
            max_segments: 1,
            owners: None,
        },
    );
    let fingerprint = serde_json::to_string(&sql::result::Fingerprint {
        crm_ready_sql: sql::result::VERSION,
        dialect: dialect.name().to_owned(),
        table: table.to_owned(),
        as_of: audit::checks::date::iso(as_of),
        map: map.map(|m| m.name.clone()),
        dictionary: dictionary.hash.clone(),
        columns: columns.to_vec(),
        by: by.to_vec(),
    })
    .expect("a fingerprint serialises");
    let query = sql::audit::build(&plan, dictionary, table, as_of, dialect, &fingerprint);
    (plan, query, fingerprint)
}

/// The built-in maps with the dictionary's aliases, and the one a name or file gives.
fn sql_map(
    name: Option<&str>,
    dictionary: &Dictionary,
    builtin: &[FieldMap],
) -> Result<Option<FieldMap>> {
    let Some(name) = name else {
        return Ok(None);
    };
    if let Some(map) = builtin.iter().find(|m| m.name == name) {
        return Ok(Some(map.clone()));
    }
    let map = config::load_field_map(name)
        .with_context(|| format!("cannot load the field map {name}"))?;
    Ok(Some(map.with_aliases(&dictionary.aliases)))
}

/// A `--by` field that identifies people would print personal data: refused if the name is
/// such a field, or any map the run may use reads it as one.
fn refuse_identity_by<'a>(
    by: &[String],
    known: &std::collections::BTreeSet<String>,
    maps: impl Iterator<Item = &'a FieldMap> + Clone,
) -> Result<()> {
    for name in by {
        let trimmed = name.trim();
        if trimmed.is_empty() {
            bail!("--by needs a field or column name");
        }
        let fields: Vec<&str> = std::iter::once(trimmed)
            .filter(|n| known.contains(*n))
            .chain(maps.clone().filter_map(|m| m.canonical_for(trimmed)))
            .collect();
        // A column no map knows is judged by its name: `Secondary Email`, `LinkedIn URL`.
        let lower = trimmed.to_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
        let named = || {
            (has(audit::segments::IDENTITY_WORDS) && !has(audit::segments::PROCESS_WORDS))
                .then_some("a column named so")
        };
        let identity = fields
            .iter()
            .copied()
            .find(|f| audit::segments::IDENTITY_FIELDS.contains(f))
            .or_else(|| if fields.is_empty() { named() } else { None });
        if let Some(field) = identity {
            bail!(
                "--by {}: {field} identifies people, and a breakdown by it would print personal data; break down by owner, lead_source, country, created_month or another field of the process",
                shown::escape_control(name)
            );
        }
    }
    Ok(())
}

/// Writes the one-scan query that measures a warehouse table as the file audit measures an
/// export; returns what the user should know that the query's header says too (the map
/// detected, a `--by` field the table lacks), for standard error.
pub fn sql_command(settings: &SqlSettings, out: &mut dyn Write) -> Result<Vec<String>> {
    if settings.columns.is_empty() {
        bail!("--columns names no column: give the table's columns, comma-separated or in a file");
    }
    if settings.table.trim().is_empty() {
        bail!("--table names no table");
    }
    let object = match sql::table_parts(&settings.table) {
        Ok(parts) => parts
            .last()
            .map(|(part, _)| part.clone())
            .unwrap_or_default(),
        Err(e) => bail!("--table {e}"),
    };
    let builtin = config::builtin_field_maps().context("a built-in field map is invalid")?;
    let forced = settings
        .field_map
        .as_deref()
        .map(|name| {
            config::load_field_map(name)
                .with_context(|| format!("cannot load the field map given with --field-map {name}"))
        })
        .transpose()?;
    let known = config::known_fields(builtin.iter().chain(forced.as_ref()));
    let dictionary = config::load_dictionary(settings.dictionary.as_deref(), &known)
        .context("cannot load the data dictionary")?;
    let builtin: Vec<FieldMap> = builtin
        .into_iter()
        .map(|m| m.with_aliases(&dictionary.aliases))
        .collect();
    refuse_identity_by(&settings.by, &known, builtin.iter().chain(forced.as_ref()))?;
    let header = input::Header {
        names: settings.columns.clone(),
        renamed: Vec::new(),
        segments: vec![0; settings.columns.len()],
    };
    let map = match forced {
        Some(map) => Some(map.with_aliases(&dictionary.aliases)),
        None => audit::detect_map(&header, &builtin, Some(&object), &[]).map(|c| c.map.clone()),
    };
    if map.is_none() {
        // Without a map no use case can be judged: say so now, not after a warehouse scan.
        // A file's record ids tell Salesforce objects apart; a table's name must.
        let names: Vec<&str> = builtin.iter().map(|m| m.name.as_str()).collect();
        bail!(
            "no field map fits the {} column{} given for {} by their names alone{}: give --field-map with one of {} or a TOML map (the columns Salesforce objects share are told apart by a table named after its object: lead, contact, account, opportunity)",
            settings.columns.len(),
            if settings.columns.len() == 1 { "" } else { "s" },
            settings.table,
            if settings.columns.len() == 1 {
                "; is --columns a file that is not there?"
            } else {
                ""
            },
            names.join(", ")
        );
    }
    let (plan, query, _) = sql_query(
        &settings.columns,
        map.as_ref(),
        &dictionary,
        &settings.table,
        as_of_days(settings.as_of.as_deref()),
        settings.dialect,
        &settings.by,
    );
    // Postgres refuses a SELECT of more than 1664 columns; the widest of the query's is its
    // last step (every derived value) or its result.
    let widest = query
        .query
        .steps
        .iter()
        .map(Vec::len)
        .sum::<usize>()
        .max(query.query.select.len());
    if settings.dialect == sql::Dialect::Postgres && widest > 1664 {
        bail!(
            "the query for these {} columns selects {widest} values at once, and Postgres allows 1664: list fewer columns in --columns (those the dictionary asks about)",
            settings.columns.len()
        );
    }
    out.write_all(query.query.render(settings.dialect).as_bytes())?;
    let mut notes = Vec::new();
    if let (None, Some(map)) = (&settings.field_map, &map) {
        notes.push(format!(
            "the field map {} fits these columns best; give --field-map to choose another",
            map.name
        ));
    }
    for missing in &plan.segments.missing {
        notes.push(format!(
            "--by {}: the table has no such column; the query does not break down by it",
            shown::escape_control(missing)
        ));
    }
    Ok(notes)
}

/// The report of a warehouse table from the result of its query: the same counters a file
/// audit's scan leaves, judged by the same code.
fn sql_report(
    settings: &Settings,
    result: &std::path::Path,
    builtin: &[FieldMap],
    dictionary: &Dictionary,
) -> Result<Report> {
    let row = sql::result::ResultRow::read(result)?;
    let fingerprint = row.fingerprint()?;
    let shown = shown::path(result);
    let Some(dialect) = sql::Dialect::from_name(&fingerprint.dialect) else {
        bail!(
            "{shown}: the query was written for an unknown dialect {:?}",
            fingerprint.dialect
        );
    };
    if fingerprint.dictionary != dictionary.hash {
        bail!(
            "{shown}: the query was written for another data dictionary ({}; this run's is {} {}): give the same --dictionary as to crm-ready sql, or write the query again",
            fingerprint.dictionary,
            dictionary.name,
            dictionary.hash
        );
    }
    if let Some(given) = &settings.as_of
        && *given != fingerprint.as_of
    {
        bail!(
            "{shown}: the query judged dates as of {}, not {given}: write the query again with --as-of {given}, or leave --as-of out",
            fingerprint.as_of
        );
    }
    if let Some(given) = settings.field_maps.first()
        && Some(given) != fingerprint.map.as_ref()
    {
        bail!(
            "{shown}: the query was written with the field map {}, not {given}: write it again with --field-map {given}, or leave --field-map out",
            fingerprint.map.as_deref().unwrap_or("(none)")
        );
    }
    if !settings.by.is_empty() && settings.by != fingerprint.by {
        bail!(
            "{shown}: the query was written {}, not with --by {}: the breakdown is decided when the query is written (crm-ready sql --by ...); leave --by out here",
            if fingerprint.by.is_empty() {
                "without --by".to_owned()
            } else {
                format!("with --by {}", fingerprint.by.join(" --by "))
            },
            settings.by.join(" --by ")
        );
    }
    let map = sql_map(fingerprint.map.as_deref(), dictionary, builtin)?;
    let as_of = as_of_days(Some(&fingerprint.as_of));
    let (plan, query, written) = sql_query(
        &fingerprint.columns,
        map.as_ref(),
        dictionary,
        &fingerprint.table,
        as_of,
        dialect,
        &fingerprint.by,
    );
    if written != row.text("crm_ready")? {
        bail!(
            "{shown}: the result comes from a query this version of crm-ready would write otherwise (another version, or a map file that changed): write the query again with crm-ready sql and run it"
        );
    }
    let measured = sql::result::measured(&plan, &query, &row)?;
    let counters = &measured.counters;
    let mut fields = audit::field_reports(&plan, counters);
    for (field, dominant) in fields.iter_mut().zip(&measured.dominant) {
        // Distinct values and variants are not counted in SQL: null, not zero.
        field.distinct = None;
        field.variants = None;
        field.distinct_over_limit = false;
        field.dominant_value = None;
        field.dominant_count = *dominant;
        field.dominant_share = dominant.map(|n| {
            if measured.rows == 0 {
                0.0
            } else {
                n as f64 / measured.rows as f64
            }
        });
    }
    let counts = audit::count_results(&plan, counters);
    let kind = map.as_ref().map(|m| m.kind);
    let segment_counters = sql::result::segments(
        &query,
        &row,
        plan.segments.dimensions.len(),
        settings.max_segments,
    )?;
    let segments =
        audit::segments::results(&plan.segments, &segment_counters, |c| counters.day_first(c));
    let judgement = audit::judge(
        &audit::verdict::Measured {
            fields: &fields,
            rows: measured.rows,
            duplicates: &measured.duplicates,
            reach: measured.reach.as_ref(),
            counts: &counts,
            kind,
            segments: &segments,
            top: settings.top,
        },
        map.as_ref(),
        dictionary,
    );
    if judgement
        .use_cases
        .iter()
        .all(|u| u.verdict == Verdict::NotApplicable)
    {
        bail!(
            "{shown}: nothing can be judged on {}: no field map fits its {} columns, or no use case of the dictionary is built on its records (give --field-map to crm-ready sql)",
            fingerprint.table,
            fingerprint.columns.len()
        );
    }
    let matched = map.as_ref().map_or(0, |m| {
        fingerprint
            .columns
            .iter()
            .filter(|c| m.canonical_for(c).is_some())
            .count()
    });
    let input = InputReport {
        path: fingerprint.table.clone(),
        size: row.bytes.len() as u64,
        content_hash: format!("xxh3:{:016x}", xxhash_rust::xxh3::xxh3_64(&row.bytes)),
        format: "sql",
        vendor: map.as_ref().map(|m| m.vendor.clone()),
        object: map.as_ref().map(|m| m.object.clone()),
        kind,
        map: map.as_ref().map(|m| m.name.clone()),
        map_score: if fingerprint.columns.is_empty() {
            0.0
        } else {
            matched as f64 / fingerprint.columns.len() as f64
        },
        map_columns_matched: matched,
        map_forced: false,
        map_chosen_by: map.as_ref().map(|_| ChosenBy::Header),
        account_link: None,
        map_better_fit: None,
        map_tied_with: Vec::new(),
        encoding: None,
        delimiter: None,
        line_ending: None,
        sheet: None,
        header_line: 0,
        columns: fingerprint.columns.len(),
        rows: measured.rows,
        ragged_rows: 0,
        ragged_examples: Vec::new(),
        removed: Vec::new(),
        suspected_summary_rows: Vec::new(),
        footer_records: None,
        stray_trailing_byte: None,
        renamed_headers: Vec::new(),
        repaired_cells: 0,
        sql: Some(model::SqlInput {
            dialect: dialect.name().to_owned(),
            table: fingerprint.table.clone(),
            result: result.display().to_string(),
            deleted_rows: measured.deleted.as_ref().map(|(n, _)| *n),
            deleted_columns: measured
                .deleted
                .as_ref()
                .map(|(_, c)| c.split(", ").map(str::to_owned).collect())
                .unwrap_or_default(),
            not_measured: sql::audit::NOT_MEASURED
                .iter()
                .map(|s| s.to_string())
                .collect(),
            approximations: sql::audit::approximations(dialect),
        }),
    };
    let file = FileReport {
        input,
        rows: measured.rows,
        fields,
        use_cases: judgement.use_cases,
        fix_first: judgement.fix_first,
        re_export: judgement.re_export,
        duplicates: measured.duplicates,
        reach: measured.reach,
        by_missing: plan.segments.missing.clone(),
        worklist: None,
    };
    Ok(assemble(
        vec![file],
        Vec::new(),
        Vec::new(),
        dictionary,
        &Settings {
            as_of: Some(fingerprint.as_of.clone()),
            ..settings.clone()
        },
    ))
}
