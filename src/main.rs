//! The `crm-ready` binary: parses arguments, runs the library, maps the outcome to an exit code.

mod cli;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use cli::{Cli, Command};
use crm_ready::Outcome;
use crm_ready::input::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Cells are allocated by the reader thread and freed by the workers; glibc's allocator pays
/// for that hand-over in locks and consolidation (a fifth of a spreadsheet audit's time).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    // A panic is a bug or a damaged file that a reader could not handle; the library turns a
    // reader's panic into an error for that file. Say it in one line, not a backtrace hint.
    std::panic::set_hook(Box::new(|info| {
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let place = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        // A spreadsheet reader's panic on a damaged file is caught and reported as an error
        // for that file; only other panics (bugs) are said here.
        if !place.contains("calamine") {
            let _ = writeln!(io::stderr(), "error: internal: {payload}{place}");
        }
    }));
    let cli = Cli::parse();
    match cli.command {
        Command::Audit(args) => audit(&args),
        Command::Evidence(mut args) => {
            // The brief is its one output: other formats are audit's.
            if !args.format.is_empty() || args.output.iter().any(|o| o.contains('=')) {
                let _ = writeln!(
                    io::stderr(),
                    "error: evidence writes the brief only; for other formats use crm-ready audit --format ... (--format evidence adds the brief to them)"
                );
                return ExitCode::from(EXIT_ERROR);
            }
            args.format = vec![cli::FormatArg::Evidence];
            audit(&args)
        }
        Command::Dictionary => print_text(crm_ready::config::builtin_dictionary_text()),
        Command::Schema { of } => print_text(&of.schema().text()),
        Command::History(command) => history(&command),
        Command::Sql(args) => sql(&args),
        Command::Maps { name: None } => print_maps(),
        Command::Maps { name: Some(name) } => match crm_ready::config::builtin_map_text(&name) {
            Some(text) => print_text(text),
            None => {
                let known: Vec<&str> = crm_ready::config::builtin_map_names().collect();
                let _ = writeln!(
                    io::stderr(),
                    "error: no built-in map {name:?}; the maps are: {}",
                    known.join(", ")
                );
                ExitCode::from(EXIT_ERROR)
            }
        },
    }
}

fn print_text(text: &str) -> ExitCode {
    match io::stdout().lock().write_all(text.as_bytes()) {
        Err(err) if err.kind() != io::ErrorKind::BrokenPipe => {
            let _ = writeln!(io::stderr(), "error: {err}");
            ExitCode::from(EXIT_ERROR)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// One line per built-in map: name, record kind, how many column labels it knows.
fn print_maps() -> ExitCode {
    let maps = match crm_ready::config::builtin_field_maps() {
        Ok(maps) => maps,
        Err(err) => {
            let _ = writeln!(io::stderr(), "error: {err}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let mut text = String::new();
    for map in maps {
        text.push_str(&format!(
            "{:<24} {:<12} {} fields\n",
            map.name,
            map.kind.as_str(),
            map.canonical_fields()
                .collect::<std::collections::BTreeSet<_>>()
                .len()
        ));
    }
    print_text(&text)
}

/// Exit code after SIGINT or SIGTERM, as shells report an interrupted command.
const EXIT_INTERRUPTED: i32 = 130;

fn audit(args: &cli::AuditArgs) -> ExitCode {
    let settings = match args.settings() {
        Ok(settings) => settings,
        Err(message) => {
            let _ = writeln!(io::stderr(), "error: {message}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    // An interrupted run leaves no half-written temporary report behind.
    let _ = ctrlc::set_handler(|| {
        crm_ready::output::remove_temp_files();
        std::process::exit(EXIT_INTERRUPTED);
    });
    let bar = (!args.quiet && io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {bytes}/{total_bytes} {binary_bytes_per_sec} · {msg} · ETA {eta}",
            )
            .expect("the progress template is valid"),
        );
        bar
    });
    let started = std::time::Instant::now();
    let progress = |p: Progress| {
        if let Some(bar) = &bar {
            if p.finished {
                // Cleared before the report is written, so the two never interleave.
                bar.finish_and_clear();
                return;
            }
            if let Some(total) = p.total_bytes {
                bar.set_length(total);
            }
            bar.set_position(p.bytes_read);
            let secs = started.elapsed().as_secs_f64().max(1e-3);
            bar.set_message(format!(
                "{} lines, {:.0} lines/s",
                p.lines_read,
                p.lines_read as f64 / secs
            ));
        }
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = crm_ready::run(&settings, &mut out, &progress).and_then(|outcome| {
        match out.flush() {
            // `| head` stopped reading: the verdict still stands.
            Err(err) if err.kind() != io::ErrorKind::BrokenPipe => Err(err.into()),
            _ => Ok(outcome),
        }
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    match result {
        Ok(Outcome::Pass) => ExitCode::SUCCESS,
        Ok(Outcome::Fail) => ExitCode::from(1),
        Ok(Outcome::Errors(messages)) => {
            let mut stderr = io::stderr().lock();
            for message in messages {
                let _ = writeln!(stderr, "error: {message}");
            }
            ExitCode::from(EXIT_ERROR)
        }
        // Only when the pipe broke before any verdict was reached.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let mut stderr = io::stderr().lock();
            let _ = writeln!(stderr, "error: {err}");
            // A cause already quoted by the message above it is not said twice.
            let mut said = err.to_string();
            for cause in err.chain().skip(1) {
                let cause = cause.to_string();
                if !said.contains(&cause) {
                    let _ = writeln!(stderr, "  caused by: {cause}");
                }
                said = cause;
            }
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn history(command: &cli::HistoryCommand) -> ExitCode {
    to_stdout(|out| crm_ready::history_command(&command.action(), out))
}

fn sql(args: &cli::SqlArgs) -> ExitCode {
    match args.settings() {
        Ok(settings) => {
            let mut notes = Vec::new();
            let code = to_stdout(|out| {
                notes = crm_ready::sql_command(&settings, out)?;
                Ok(())
            });
            for note in notes {
                let _ = writeln!(io::stderr(), "note: {note}");
            }
            code
        }
        Err(message) => {
            let _ = writeln!(io::stderr(), "error: {message}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Runs a command that writes to standard output: its error and causes on standard error
/// with exit 2; a reader that stopped early (`| head`) is no error.
fn to_stdout(write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>) -> ExitCode {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = write(&mut out).and_then(|()| out.flush().map_err(Into::into));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let mut stderr = io::stderr().lock();
            let _ = writeln!(stderr, "error: {err}");
            for cause in err.chain().skip(1) {
                let _ = writeln!(stderr, "  caused by: {cause}");
            }
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// `crm-ready audit x.csv | head` is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}
