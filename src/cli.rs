//! Command-line arguments (clap derive) and their translation into library settings.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};
use crm_ready::input::ReadOptions;
use crm_ready::{FailOn, FieldList, Format, ReportOutput, Settings, Style};

const EXIT_CODES: &str = "\
Exit codes:
  0  no use case is blocked (with --fail-on at-risk: none blocked or at risk)
  1  at least one use case is blocked, or unknown (the export lacks a column it needs;
     not with --allow-partial), or at risk with --fail-on at-risk, or a regression since
     the previous run with --fail-on regression
  2  error: bad arguments, unreadable or malformed input, invalid dictionary or field map,
     a history file that is damaged or from a newer version (left untouched), or nothing
     could be judged (no field map fits the file: wrong file or wrong delimiter?)
130  interrupted (SIGINT, SIGTERM); no temporary report is left behind";

#[derive(Debug, Parser)]
#[command(
    name = "crm-ready",
    version,
    about = "Tells whether a CRM export is good enough for the AI use cases you want to run, and what to fix first.",
    after_help = EXIT_CODES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit HubSpot or Salesforce exports against a data dictionary.
    #[command(after_help = EXIT_CODES)]
    Audit(Box<AuditArgs>),
    /// Audit, then write the one-page evidence brief for the AI failure diagnostic.
    ///
    /// The same as `audit --format evidence`: Markdown, per finding the symptom, the
    /// diagnostic category, the root cause in the data, the fix and how the next run shows
    /// it worked; then the checklist answers and the baseline.
    #[command(after_help = EXIT_CODES)]
    Evidence(Box<AuditArgs>),
    /// Print the built-in data dictionary (TOML), to copy and edit for --dictionary.
    Dictionary,
    /// List the built-in field maps, or print one (TOML) to copy and edit for --field-map.
    Maps {
        /// A map to print, e.g. hubspot/contacts.
        #[arg(value_name = "NAME")]
        name: Option<String>,
    },
    /// Print the JSON Schema of the JSON report or of the history's JSON.
    ///
    /// Draft 2020-12, generated from the types that are serialised: the report (default),
    /// `history list` or `history show`. The same files are in the repository's schema/
    /// folder.
    Schema {
        #[arg(value_enum, default_value_t = SchemaArg::Report)]
        of: SchemaArg,
    },
    /// Print one SQL query that audits a warehouse table where it lives, in one pass over its rows.
    ///
    /// Fill, validity, freshness, record counts in a window, duplicates and reach, by the
    /// file audit's rules, for DuckDB, Spark, Snowflake, BigQuery or Postgres. Run it in the
    /// engine, save its one-row result as CSV or JSON, then judge it with
    /// `crm-ready audit --from-sql-result RESULT`. The query's header says what it does not
    /// measure and where a dialect reads values otherwise.
    Sql(SqlArgs),
    /// Read a history file written by `audit --history`: list runs, show trends, pin a
    /// baseline, prune old runs.
    #[command(subcommand)]
    History(HistoryCommand),
}

#[derive(Debug, Subcommand)]
pub enum HistoryCommand {
    /// One line per run: id, time, input, records, verdict counts.
    List {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = HistoryFormatArg::Text)]
        format: HistoryFormatArg,
    },
    /// The trend of each requirement's measure, one row per run (a sparkline in text).
    Show {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Only this field (canonical name, or column for field measures).
        #[arg(long, value_name = "FIELD")]
        field: Option<String>,
        /// Only this use case.
        #[arg(long, value_name = "ID")]
        use_case: Option<String>,
        /// Only the last N runs.
        #[arg(long, value_name = "N")]
        last: Option<usize>,
        /// Only this input's runs (--name, or the paths as given) [default: every input].
        #[arg(long, value_name = "NAME")]
        input: Option<String>,
        #[arg(long, value_enum, default_value_t = HistoryFormatArg::Text)]
        format: HistoryFormatArg,
    },
    /// Pin a run as its input's baseline: later runs are compared with it too.
    Pin {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The run to pin [default: the last run].
        #[arg(long, value_name = "ID")]
        run: Option<i64>,
    },
    /// Keep only the last N runs of each input (pinned runs are always kept). To drop every
    /// run, delete the file.
    Prune {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Runs to keep per input: at least 1
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
        keep: u64,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum HistoryFormatArg {
    Text,
    Json,
    Csv,
}

impl HistoryCommand {
    pub fn action(&self) -> crm_ready::HistoryAction {
        use crm_ready::{HistoryAction, HistoryFormat};
        let format = |f: &HistoryFormatArg| match f {
            HistoryFormatArg::Text => HistoryFormat::Text,
            HistoryFormatArg::Json => HistoryFormat::Json,
            HistoryFormatArg::Csv => HistoryFormat::Csv,
        };
        match self {
            HistoryCommand::List { file, format: f } => HistoryAction::List {
                file: file.clone(),
                format: format(f),
            },
            HistoryCommand::Show {
                file,
                field,
                use_case,
                last,
                input,
                format: f,
            } => HistoryAction::Show {
                file: file.clone(),
                field: field.clone(),
                use_case: use_case.clone(),
                last: *last,
                input: input.clone(),
                format: format(f),
            },
            HistoryCommand::Pin { file, run } => HistoryAction::Pin {
                file: file.clone(),
                run: *run,
            },
            HistoryCommand::Prune { file, keep } => HistoryAction::Prune {
                file: file.clone(),
                keep: *keep as usize,
            },
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// Exports to audit: CSV/TSV (any common encoding and delimiter, or .csv.gz), spreadsheets
    /// (.xlsx, .xlsm, .xls, .xlsb, .ods), folders of them, or ZIP archives such as the
    /// Salesforce weekly Data Export. `-` reads a CSV from standard input.
    #[arg(value_name = "PATH", required_unless_present = "from_sql_result")]
    pub paths: Vec<PathBuf>,

    /// Judge the one-row result of the query `crm-ready sql` wrote (CSV, TSV or JSON, as
    /// the engine's CLI saves it) instead of exports: same report, verdicts, history and
    /// exit code.
    #[arg(long, value_name = "FILE", conflicts_with = "paths")]
    pub from_sql_result: Option<PathBuf>,

    /// Data dictionary (TOML) of use cases and thresholds [default: the built-in one, as in field-maps/dictionary.toml].
    #[arg(long, value_name = "FILE")]
    pub dictionary: Option<PathBuf>,

    /// Use this field map instead of detecting one: a built-in name (e.g. hubspot/contacts,
    /// salesforce/lead) or a TOML file; FILE=MAP for the files of that name only
    /// (Lead.csv=salesforce/lead). Repeatable.
    #[arg(long, value_name = "[FILE=]MAP")]
    pub field_map: Vec<String>,

    /// Report format; several, comma-separated, with --output-dir or one --output
    /// FORMAT=FILE each (e.g. --format json,markdown,html --output-dir reports).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "FORMAT")]
    pub format: Vec<FormatArg>,

    /// The AI failure diagnostic's checklist questions to answer (TOML, the shape of
    /// field-maps/checklist.toml), instead of the built-in list.
    #[arg(long, value_name = "FILE")]
    pub checklist: Option<PathBuf>,

    /// Write each --format to DIR/report.EXT (txt, json, md, html, jsonl, evidence.md), each
    /// replaced only once complete; the folder is made if need be.
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,

    /// Which fields the text and Markdown reports list: those the use cases need and those
    /// with findings (used), every column (all), or none. JSON always has all.
    #[arg(long, value_enum, default_value_t = FieldsArg::Used)]
    pub fields: FieldsArg,

    /// Judge the data as of this day (YYYY-MM-DD): freshness windows, record counts in a
    /// window and future dates are measured from it [default: today, UTC].
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<String>,

    /// Show cell values: up to 5 examples of each kind of invalid value and each field's most
    /// common value (emails masked as j***@acme.com, phones to their last 2 digits). Off by
    /// default: exports hold personal data.
    #[arg(long)]
    pub show_values: bool,

    /// Write the report to FILE instead of standard output (replaced only once complete);
    /// FORMAT=FILE (json=r.json) writes that format there. Repeatable.
    #[arg(long, short, value_name = "[FORMAT=]FILE")]
    pub output: Vec<String>,

    /// What makes the exit code 1, comma-separated: blocked (a blocked use case), at-risk
    /// (blocked or at risk), regression (with --history: a verdict or measure worse than at
    /// the previous run), e.g. --fail-on blocked,regression.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "blocked")]
    pub fail_on: Vec<FailOnArg>,

    /// Break every requirement that is not met down by this field: its segments, their records
    /// and how many each must fix, largest first. A canonical field (owner, lead_source,
    /// country), a column name, or created_month. Repeatable. Fields that identify people
    /// (email, names, phone) are refused. With --from-sql-result the breakdown is the
    /// query's (crm-ready sql --by).
    #[arg(long, value_name = "FIELD")]
    pub by: Vec<String>,

    /// Segments shown per requirement with --by; the rest are grouped as "other segments".
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..))]
    pub top: u16,

    /// Segments kept per --by field (the rest merged into "other segments"), so memory stays
    /// bounded.
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub max_segments: u32,

    /// Write the records that fail a requirement of a blocked or at-risk use case to this CSV
    /// file, one row each: record id, the --by values (owner by default), the failing fields
    /// and the use cases they hold back; sorted by segment, then file order; ready to import
    /// back as a task list. The one output that holds record ids: only when asked.
    #[arg(long, value_name = "FILE.csv")]
    pub worklist: Option<PathBuf>,

    /// Append this run to a history file (SQLite; made if missing) and compare it with the
    /// previous run of the same input and with the pinned baseline.
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,

    /// The input's name in the history, for exports whose file name carries a date
    /// (hubspot-crm-exports-all-contacts-2026-11-28.csv) [default: the paths as given].
    #[arg(long, value_name = "NAME", requires = "history")]
    pub name: Option<String>,

    /// A use case that cannot be judged because the export lacks a column it needs (verdict
    /// "unknown") does not make the exit code 1.
    #[arg(long)]
    pub allow_partial: bool,

    /// Field delimiter, instead of detecting it: , ; | tab (or comma, semicolon, pipe).
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,

    /// The files have no header row: every row is data, and the columns are named column_1,
    /// column_2, ... (without it, a first row that holds data is refused, never printed).
    #[arg(long)]
    pub no_header: bool,

    /// How many levels of folders below a folder given are searched (hidden ones never).
    #[arg(long, value_name = "N", default_value_t = crm_ready::input::DEFAULT_MAX_DEPTH)]
    pub max_depth: usize,

    /// Spreadsheet sheet to read, by name or 1-based number [default: the first with data].
    #[arg(long, value_name = "NAME|N")]
    pub sheet: Option<String>,

    /// Refuse a file larger than this once decompressed (ZIP or gzip bombs): bytes, or with
    /// a K, M, G or T suffix (powers of 1024).
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "64G")]
    pub max_uncompressed: u64,

    /// Worker threads [default: one per core].
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// Bytes per parallel parse block (tuning and tests).
    #[arg(long, hide = true, value_name = "BYTES")]
    pub block_size: Option<usize>,

    /// When to colour the text report.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,

    /// Print nothing but the report and errors (no progress bar).
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Text,
    Json,
    Markdown,
    Html,
    /// One JSON object a line: per use case, per requirement and per field.
    Jsonl,
    /// The one-page brief for the AI failure diagnostic (Markdown).
    Evidence,
}

impl FormatArg {
    fn format(self) -> Format {
        match self {
            FormatArg::Text => Format::Text,
            FormatArg::Json => Format::Json,
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Html => Format::Html,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Evidence => Format::Evidence,
        }
    }
}

/// Where each format goes: `--output-dir`, `--output FORMAT=FILE`, `--output FILE` (one
/// format), or standard output (one format).
fn report_outputs(
    formats_given: &[FormatArg],
    outputs: &[String],
    dir: Option<&Path>,
) -> Result<Vec<ReportOutput>, String> {
    let explicit = !formats_given.is_empty();
    let mut formats: Vec<FormatArg> = Vec::new();
    for f in formats_given {
        if !formats.contains(f) {
            formats.push(*f);
        }
    }
    if formats.is_empty() {
        formats.push(FormatArg::Text);
    }
    let names = "text, json, markdown, html, jsonl, evidence";
    let mut named: Vec<ReportOutput> = Vec::new();
    let mut plain: Vec<PathBuf> = Vec::new();
    for o in outputs {
        // FORMAT=FILE when what stands before `=` could be a format name (no folder, no dot).
        let spec = o
            .split_once('=')
            .filter(|(f, _)| !f.is_empty() && !f.contains(['/', '\\', '.']));
        let Some((f, file)) = spec else {
            plain.push(PathBuf::from(o));
            continue;
        };
        let format = FormatArg::from_str(f, true)
            .map_err(|_| format!("--output {o}: {f:?} is not a format; the formats are {names}"))?
            .format();
        if file.is_empty() {
            return Err(format!(
                "--output {o}: give a file after the =, or - for standard output"
            ));
        }
        if named.iter().any(|n| n.format == format) {
            return Err(format!("--output gives {f} twice: one file per format"));
        }
        named.push(ReportOutput {
            format,
            file: Some(PathBuf::from(file)).filter(|p| p.as_os_str() != "-"),
        });
    }
    if !named.is_empty()
        && dir.is_none()
        && explicit
        && let Some(f) = formats
            .iter()
            .find(|f| !named.iter().any(|n| n.format == f.format()))
    {
        let name = f.format().name();
        return Err(format!(
            "--format {name} has no place to go: add --output {name}=FILE, or --output-dir DIR"
        ));
    }
    if !named.is_empty() || dir.is_some() {
        if !plain.is_empty() {
            return Err(format!(
                "--output {} names no format: with several outputs, write --output FORMAT=FILE (json=report.json)",
                plain[0].display()
            ));
        }
        let mut all = named;
        if let Some(dir) = dir {
            for f in &formats {
                let format = f.format();
                if !all.iter().any(|o| o.format == format) {
                    all.push(ReportOutput {
                        format,
                        file: Some(dir.join(format!("report.{}", format.extension()))),
                    });
                }
            }
        }
        if all.iter().filter(|o| o.file.is_none()).count() > 1 {
            return Err("only one format can go to standard output (-)".to_owned());
        }
        return Ok(all);
    }
    if formats.len() > 1 {
        return Err(format!(
            "{} formats, one output: give --output-dir DIR, or --output FORMAT=FILE for each",
            formats.len()
        ));
    }
    if plain.len() > 1 {
        return Err("one --output FILE per format: give --output FORMAT=FILE for each".to_owned());
    }
    Ok(vec![ReportOutput {
        format: formats.first().copied().unwrap_or(FormatArg::Text).format(),
        file: plain.pop().filter(|p| p.as_os_str() != "-"),
    }])
}

#[derive(Debug, Parser)]
pub struct SqlArgs {
    /// The engine the query is for.
    #[arg(long, value_enum)]
    pub dialect: DialectArg,
    /// The table, dotted parts allowed (analytics.crm.contact). Unquoted parts are found as
    /// the engine finds them (Snowflake upper case, Postgres lower case); a part in double
    /// quotes keeps its case (crm."Lead").
    #[arg(long, value_name = "NAME")]
    pub table: String,
    /// The table's columns, as the engine lists them: comma-separated, or a file with one
    /// name per line.
    #[arg(long, value_name = "LIST|FILE")]
    pub columns: String,
    /// Use this field map instead of detecting one from the columns.
    #[arg(long, value_name = "NAME|FILE")]
    pub field_map: Option<String>,
    /// Data dictionary (default: the built-in one); give the same one to
    /// `audit --from-sql-result`.
    #[arg(long, value_name = "FILE")]
    pub dictionary: Option<PathBuf>,
    /// The day dates are judged as of (YYYY-MM-DD) [default: today], written into the query.
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<String>,
    /// Break every requirement down by this field, as audit --by does: the query returns
    /// one more row per segment (GROUPING SETS, in the same pass). owner, lead_source,
    /// country, created_month or a column name; repeatable. Fields that identify people
    /// are refused.
    #[arg(long, value_name = "FIELD")]
    pub by: Vec<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DialectArg {
    Duckdb,
    Spark,
    Snowflake,
    Bigquery,
    Postgres,
}

impl SqlArgs {
    /// The settings, reading `--columns` from a file when it names one.
    pub fn settings(&self) -> Result<crm_ready::SqlSettings, String> {
        let path = Path::new(&self.columns);
        // One name with a path separator or an extension (`cols.txt`, or `cols.tx` mistyped)
        // is a file that is not there, not a table of one column.
        let extension = self.columns.rsplit_once('.').is_some_and(|(_, e)| {
            (1..=4).contains(&e.len()) && e.chars().all(|c| c.is_ascii_alphanumeric())
        });
        let looks_like_a_file =
            !self.columns.contains(',') && (self.columns.contains(['/', '\\']) || extension);
        let columns: Vec<String> = if path.is_file() {
            std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read the columns file {}: {e}", path.display()))?
                .trim_start_matches('\u{feff}')
                .lines()
                .map(|l| l.trim().to_owned())
                .filter(|l| !l.is_empty())
                .collect()
        } else if looks_like_a_file {
            return Err(format!(
                "--columns {}: no such file; give the table's columns comma-separated, or a file with one name a line",
                self.columns
            ));
        } else {
            self.columns
                .split(',')
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty())
                .collect()
        };
        use crm_ready::sql::Dialect;
        Ok(crm_ready::SqlSettings {
            dialect: match self.dialect {
                DialectArg::Duckdb => Dialect::DuckDb,
                DialectArg::Spark => Dialect::Spark,
                DialectArg::Snowflake => Dialect::Snowflake,
                DialectArg::Bigquery => Dialect::BigQuery,
                DialectArg::Postgres => Dialect::Postgres,
            },
            table: self.table.clone(),
            columns,
            field_map: self.field_map.clone(),
            dictionary: self.dictionary.clone(),
            as_of: self.as_of.clone(),
            by: self.by.clone(),
        })
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SchemaArg {
    Report,
    HistoryList,
    HistoryShow,
}

impl SchemaArg {
    pub fn schema(self) -> crm_ready::report::Schema {
        match self {
            SchemaArg::Report => crm_ready::report::Schema::Report,
            SchemaArg::HistoryList => crm_ready::report::Schema::HistoryList,
            SchemaArg::HistoryShow => crm_ready::report::Schema::HistoryShow,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FieldsArg {
    Used,
    All,
    None,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FailOnArg {
    Blocked,
    AtRisk,
    Regression,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "," | "comma" => Ok(b','),
        ";" | "semicolon" => Ok(b';'),
        "|" | "pipe" => Ok(b'|'),
        "\t" | "\\t" | "tab" => Ok(b'\t'),
        other
            if other.len() == 1
                && other.is_ascii()
                && other != "\""
                && !other.as_bytes()[0].is_ascii_control() =>
        {
            Ok(other.as_bytes()[0])
        }
        other => Err(format!(
            "{} is not a delimiter: use one printable character such as , ; | or the word tab",
            other.escape_debug()
        )),
    }
}

fn parse_as_of(s: &str) -> Result<String, String> {
    crm_ready::when::parse_date(s)
}

fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (digits, shift) = match t.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&t[..t.len() - 1], 10),
        Some('M') => (&t[..t.len() - 1], 20),
        Some('G') => (&t[..t.len() - 1], 30),
        Some('T') => (&t[..t.len() - 1], 40),
        _ => (t, 0),
    };
    digits
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(1u64 << shift))
        .filter(|&n| n > 0)
        .ok_or_else(|| {
            format!("{s:?} is not a size; use bytes or a number with K, M, G or T, e.g. 64G")
        })
}

impl AuditArgs {
    /// The run's settings, or what is wrong with the options.
    pub fn settings(&self) -> Result<Settings, String> {
        // `-o -` is standard output, as in most tools.
        let outputs = report_outputs(&self.format, &self.output, self.output_dir.as_deref())?;
        let to_stdout = outputs.iter().any(|o| o.file.is_none());
        let color = match self.color {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => {
                to_stdout
                    && std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        Ok(Settings {
            from_sql_result: self.from_sql_result.clone(),
            paths: self.paths.clone(),
            dictionary: self.dictionary.clone(),
            field_maps: self.field_map.clone(),
            outputs,
            output_dir: self.output_dir.clone(),
            checklist: self.checklist.clone(),
            fail_on: if self.fail_on.iter().any(|f| matches!(f, FailOnArg::AtRisk)) {
                FailOn::AtRisk
            } else if self.fail_on.iter().any(|f| matches!(f, FailOnArg::Blocked)) {
                FailOn::Blocked
            } else {
                // `--fail-on regression` alone: only a regression fails the run.
                FailOn::Nothing
            },
            fail_on_regression: self
                .fail_on
                .iter()
                .any(|f| matches!(f, FailOnArg::Regression)),
            history: self.history.clone(),
            worklist: self.worklist.clone(),
            by: self.by.clone(),
            top: usize::from(self.top),
            max_segments: self.max_segments as usize,
            name: self.name.clone(),
            allow_partial: self.allow_partial,
            as_of: self.as_of.clone(),
            show_values: self.show_values,
            style: Style {
                color,
                // Wrapped to the terminal; 100 columns into a file or a pipe.
                width: if to_stdout {
                    console::Term::stdout()
                        .size_checked()
                        .map_or(100, |(_, cols)| usize::from(cols).max(40))
                } else {
                    100
                },
                fields: match self.fields {
                    FieldsArg::Used => FieldList::Used,
                    FieldsArg::All => FieldList::All,
                    FieldsArg::None => FieldList::None,
                },
            },
            threads: self.threads.map(usize::from),
            read: ReadOptions {
                delimiter: self.delimiter,
                block_size: self
                    .block_size
                    .unwrap_or(ReadOptions::default().block_size)
                    .max(1),
                max_uncompressed: self.max_uncompressed,
                sheet: self.sheet.clone(),
                no_header: self.no_header,
                max_depth: self.max_depth,
                ..ReadOptions::default()
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_binary_suffixes() {
        assert_eq!(parse_size("1024"), Ok(1024));
        assert_eq!(parse_size("2k"), Ok(2048));
        assert_eq!(parse_size("64G"), Ok(64 << 30));
        assert!(parse_size("0").is_err());
        assert!(parse_size("lots").is_err());
    }

    #[test]
    fn delimiters_by_character_or_name() {
        assert_eq!(parse_delimiter("tab"), Ok(b'\t'));
        assert_eq!(parse_delimiter(";"), Ok(b';'));
        assert!(parse_delimiter("\"").is_err());
        assert!(parse_delimiter("ab").is_err());
        for control in ["\n", "\r", "\0", "\x1b"] {
            assert!(parse_delimiter(control).is_err(), "{control:?}");
        }
    }
}
