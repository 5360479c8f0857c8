//! The `crm-ready` binary: parses arguments, runs the library, maps the outcome to an exit code.

mod cli;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use cli::{Cli, Command};
use crm_ready::Outcome;
use crm_ready::input::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Audit(args) => audit(&args),
    }
}

fn audit(args: &cli::AuditArgs) -> ExitCode {
    let settings = args.settings();
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
        out.flush()?;
        Ok(outcome)
    });
    if let Some(bar) = bar {
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
