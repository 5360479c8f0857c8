//! The history of runs: exact deltas and regressions between runs whose data differ by
//! construction, all-or-nothing writes under kills, concurrent runs, and files that are not
//! ours left untouched.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::*;
use serde_json::Value;

/// A use case that is ready on `contacts(10, 9)`: emails valid on at least half the records,
/// job titles on 80%.
const DICT: &str = "[use_cases.x]\ntitle = \"X\"\n[[use_cases.x.requires]]\nfield = \"email\"\nmin_valid = 0.5\n[[use_cases.x.requires]]\nfield = \"job_title\"\nmin_fill = 0.8\n";

/// 10 contacts: the first `valid` with a valid email (the others `broken`), the first
/// `titled` with a job title.
fn contacts(valid: usize, titled: usize) -> String {
    let mut csv = String::from("First Name,Last Name,Email,Job Title,Company Name\n");
    for i in 0..10 {
        let email = if i < valid {
            format!("p{i}@acme.com")
        } else {
            "broken".to_owned()
        };
        let title = if i < titled { "Engineer" } else { "" };
        csv.push_str(&format!("F{i},L{i},{email},{title},Acme\n"));
    }
    csv
}

fn audit(dir: &Path, csv: &str, extra: &[&str]) -> (Run, Value) {
    std::fs::write(dir.join("contacts.csv"), csv).unwrap();
    let mut args = vec![
        "audit",
        "contacts.csv",
        "--dictionary",
        "d.toml",
        "--history",
        "h.db",
        "--format",
        "json",
        "--as-of",
        "2026-11-28",
    ];
    args.extend_from_slice(extra);
    let run = run_in(dir, &args);
    let json: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {} {}", run.stdout, run.stderr));
    (run, json)
}

/// `crm-ready audit contacts.csv` with the history, quiet, to run as a child process.
fn audit_command(dir: &Path) -> Command {
    let mut command = Command::new(BIN);
    command.current_dir(dir).args([
        "audit",
        "contacts.csv",
        "--dictionary",
        "d.toml",
        "--history",
        "h.db",
        "-q",
    ]);
    command
}

fn runs(dir: &Path) -> Vec<Value> {
    let run = run_in(dir, &["history", "list", "h.db", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str::<Vec<Value>>(&run.stdout).unwrap()
}

#[test]
fn two_runs_give_exact_deltas_and_regressions() {
    let dir = temp_with(&[("d.toml", DICT.as_bytes())]);
    let (run, first) = audit(
        dir.path(),
        &contacts(10, 9),
        &["--fail-on", "blocked,regression"],
    );
    assert_eq!(run.code, 0);
    assert_eq!(first["history"]["run_id"], 1);
    assert_eq!(first["history"]["previous"], Value::Null);

    // Emails valid 10 -> 8 of 10: 100% -> 80%, 20 points down (more than 5): a regression,
    // though the use case stays ready (80% >= 50% + 5).
    let (run, second) = audit(dir.path(), &contacts(8, 9), &[]);
    assert_eq!(
        run.code, 0,
        "a regression alone does not fail without --fail-on regression"
    );
    let previous = &second["history"]["previous"];
    assert_eq!(previous["run_id"], 1);
    let email = previous["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "email")
        .unwrap();
    assert_eq!(email["before"], 1.0);
    assert_eq!(email["after"], 0.8);
    assert!((email["delta"].as_f64().unwrap() + 0.2).abs() < 1e-12);
    assert_eq!(email["direction"], "worse");
    assert_eq!(
        (
            previous["improved"].as_u64(),
            previous["worse"].as_u64(),
            previous["unchanged"].as_u64()
        ),
        (Some(0), Some(1), Some(1))
    );
    let regressions = previous["regressions"].as_array().unwrap();
    assert_eq!(regressions.len(), 1);
    assert_eq!(regressions[0]["kind"], "measure");
    assert_eq!(regressions[0]["measure"], "valid");

    // The same data again with --fail-on regression: compared with run 2, nothing moved.
    let (run, third) = audit(dir.path(), &contacts(8, 9), &["--fail-on", "regression"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        third["history"]["previous"]["regressions"],
        serde_json::json!([])
    );

    // Job titles 9 -> 5: the use case goes from ready to blocked, a verdict regression.
    let (run, fourth) = audit(dir.path(), &contacts(8, 5), &["--fail-on", "regression"]);
    assert_eq!(run.code, 1);
    let previous = &fourth["history"]["previous"];
    assert_eq!(previous["verdict_changes"][0]["before"], "ready");
    assert_eq!(previous["verdict_changes"][0]["after"], "blocked");
    let kinds: Vec<&str> = previous["regressions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["measure", "verdict"]);

    // The text report says it on the first screen.
    std::fs::write(dir.path().join("contacts.csv"), contacts(8, 9)).unwrap();
    let text = run_in(
        dir.path(),
        &[
            "audit",
            "contacts.csv",
            "--dictionary",
            "d.toml",
            "--history",
            "h.db",
        ],
    );
    let since = text
        .stdout
        .find("SINCE LAST RUN (run 4")
        .expect(&text.stdout);
    assert!(since < text.stdout.find("USE CASES").unwrap());
    assert!(
        text.stdout.contains("1 improved · 0 worse · 1 unchanged"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("x: blocked -> ready"),
        "{}",
        text.stdout
    );
    assert_eq!(runs(dir.path()).len(), 5);
}

#[test]
fn a_pinned_baseline_is_compared_and_survives_pruning() {
    let dir = temp_with(&[("d.toml", DICT.as_bytes())]);
    audit(dir.path(), &contacts(10, 9), &[]);
    let pin = run_in(dir.path(), &["history", "pin", "h.db", "--run", "1"]);
    assert_eq!(pin.code, 0, "{}", pin.stderr);
    assert!(pin.stdout.starts_with("pinned run 1"), "{}", pin.stdout);
    for _ in 0..3 {
        audit(dir.path(), &contacts(9, 9), &[]);
    }
    let (_, last) = audit(dir.path(), &contacts(6, 9), &[]);
    let baseline = &last["history"]["baseline"];
    assert_eq!(baseline["run_id"], 1);
    let email = &baseline["changes"][0];
    assert_eq!(
        (email["before"].as_f64(), email["after"].as_f64()),
        (Some(1.0), Some(0.6))
    );
    let prune = run_in(dir.path(), &["history", "prune", "h.db", "--keep", "2"]);
    assert_eq!(prune.code, 0, "{}", prune.stderr);
    assert!(
        prune.stdout.starts_with("removed 2 runs"),
        "{}",
        prune.stdout
    );
    let ids: Vec<i64> = runs(dir.path())
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![1, 4, 5], "the last two and the pinned one");
    let csv = run_in(
        dir.path(),
        &[
            "history", "show", "h.db", "--field", "email", "--format", "csv",
        ],
    );
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(lines[0], "run_id,run_at,as_of,input,subject,measure,value");
    assert!(
        lines.contains(&"5,2026-11-28T08:13:23Z,2026-11-28,contacts.csv,x: email,valid,0.6"),
        "{}",
        csv.stdout
    );
}

#[test]
fn a_run_killed_before_its_commit_leaves_no_trace() {
    let dir = temp_with(&[("d.toml", DICT.as_bytes())]);
    audit(dir.path(), &contacts(10, 9), &[]);
    for _ in 0..3 {
        let status = audit_command(dir.path())
            .env("CRM_READY_TEST_DIE_BEFORE_COMMIT", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(!status.success());
    }
    assert_eq!(runs(dir.path()).len(), 1, "no half-written run");
    let (_, next) = audit(dir.path(), &contacts(10, 9), &[]);
    assert_eq!(next["history"]["previous"]["run_id"], 1);
}

#[test]
fn runs_killed_at_random_points_leave_whole_runs_only() {
    let dir = temp_with(&[("d.toml", DICT.as_bytes())]);
    audit(dir.path(), &contacts(10, 9), &[]);
    let measures_per_run = |dir: &Path| {
        // Every run in the file must have all of its measures.
        let show = run_in(dir, &["history", "show", "h.db", "--format", "csv"]);
        assert_eq!(show.code, 0, "{}", show.stderr);
        show.stdout
            .lines()
            .skip(1)
            .filter(|l| !l.ends_with(','))
            .count()
    };
    for i in 0..12u64 {
        let mut child = audit_command(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis((i * 7) % 40));
        let _ = child.kill();
        let _ = child.wait();
        let listed = runs(dir.path()).len();
        assert_eq!(measures_per_run(dir.path()), 2 * listed, "after kill {i}");
    }
}

#[test]
fn eight_runs_at_once_all_land() {
    let dir = temp_with(&[("d.toml", DICT.as_bytes())]);
    std::fs::write(dir.path().join("contacts.csv"), contacts(10, 9)).unwrap();
    let children: Vec<_> = (0..8)
        .map(|_| {
            audit_command(dir.path())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let ids: Vec<i64> = runs(dir.path())
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, (1..=8).collect::<Vec<_>>());
}

#[test]
fn a_file_that_is_not_a_history_is_refused_and_left_unchanged() {
    let dir = temp_with(&[("d.toml", DICT.as_bytes()), ("h.db", b"name,email\nx,y\n")]);
    std::fs::write(dir.path().join("contacts.csv"), contacts(10, 9)).unwrap();
    let run = run_in(
        dir.path(),
        &[
            "audit",
            "contacts.csv",
            "--dictionary",
            "d.toml",
            "--history",
            "h.db",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("h.db: not a crm-ready history file"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read(dir.path().join("h.db")).unwrap(),
        b"name,email\nx,y\n"
    );

    // An SQLite database of another program.
    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let before = std::fs::read(&other).unwrap();
    let run = run_in(
        dir.path(),
        &[
            "audit",
            "contacts.csv",
            "--dictionary",
            "d.toml",
            "--history",
            "other.db",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("another program"), "{}", run.stderr);
    assert_eq!(std::fs::read(&other).unwrap(), before);
}

/// Found by the hostile run: a history cut short (a copy that stopped half-way) and a
/// folder given as the history gave SQLite's own words, or were taken for a new file.
#[test]
fn a_damaged_history_or_a_folder_is_refused_with_what_to_do() {
    let dir = temp_with(&[("d.toml", DICT.as_bytes())]);
    let (first, _) = audit(dir.path(), &contacts(10, 9), &[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let whole = std::fs::read(dir.path().join("h.db")).unwrap();
    assert!(whole.len() > 8192, "the history spans several pages");
    // The first 4 KiB page only: its header names pages the file no longer has.
    let cut = &whole[..4096];
    std::fs::write(dir.path().join("cut.db"), cut).unwrap();
    for args in [
        vec!["history", "list", "cut.db"],
        vec![
            "audit",
            "contacts.csv",
            "--dictionary",
            "d.toml",
            "--history",
            "cut.db",
        ],
    ] {
        let run = run_in(dir.path(), &args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(
            run.stderr
                .contains("cut.db: the history file is damaged (cut short or overwritten); it was left as it is"),
            "{}",
            run.stderr
        );
        assert_eq!(std::fs::read(dir.path().join("cut.db")).unwrap(), cut);
    }
    std::fs::create_dir(dir.path().join("folder.db")).unwrap();
    let run = run_in(
        dir.path(),
        &[
            "audit",
            "contacts.csv",
            "--dictionary",
            "d.toml",
            "--history",
            "folder.db",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("folder.db: not a crm-ready history file (a folder)"),
        "{}",
        run.stderr
    );
    // Pruning to nothing is refused: deleting the file says it better.
    let run = run_in(dir.path(), &["history", "prune", "h.db", "--keep", "0"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--keep"), "{}", run.stderr);
    assert_eq!(std::fs::read(dir.path().join("h.db")).unwrap(), whole);
}

#[test]
fn a_history_from_a_newer_version_is_refused_and_left_unchanged() {
    let dir = temp_with(&[("d.toml", DICT.as_bytes())]);
    audit(dir.path(), &contacts(10, 9), &[]);
    let path = dir.path().join("h.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        conn.pragma_update(None, "journal_mode", "delete").unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let run = run_in(
        dir.path(),
        &[
            "audit",
            "contacts.csv",
            "--dictionary",
            "d.toml",
            "--history",
            "h.db",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("written by a newer crm-ready (history schema 99"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let list = run_in(dir.path(), &["history", "list", "h.db"]);
    assert_eq!(list.code, 2);
}

// Found by the hostile run of the history.

#[test]
fn a_run_whose_report_cannot_be_written_is_not_kept() {
    let dir = temp_with(&[("d.toml", DICT.as_bytes())]);
    audit(dir.path(), &contacts(10, 9), &[]);
    let run = run_in(
        dir.path(),
        &[
            "audit",
            "contacts.csv",
            "--dictionary",
            "d.toml",
            "--history",
            "h.db",
            "-o",
            "no/such/folder/report.json",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        runs(dir.path()).len(),
        1,
        "the failed run is not in the history"
    );
}

#[test]
fn a_measure_that_can_no_longer_be_measured_is_a_regression() {
    let dir = temp_with(&[("d.toml", DICT.as_bytes())]);
    audit(dir.path(), &contacts(10, 9), &["--name", "c"]);
    // The same contacts without the Job Title column.
    let without: String = contacts(10, 9)
        .lines()
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            format!("{},{},{},{}\n", cells[0], cells[1], cells[2], cells[4])
        })
        .collect();
    let (_, report) = audit(dir.path(), &without, &["--name", "c"]);
    let previous = &report["history"]["previous"];
    let title = previous["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "job_title")
        .unwrap();
    assert_eq!(title["direction"], "lost");
    assert!(
        previous["regressions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["field"] == "job_title" && r["after"].is_null()),
        "{previous}"
    );
}

#[test]
fn fail_on_regression_alone_does_not_fail_on_blocked_and_needs_history() {
    let dir = temp_with(&[("d.toml", DICT.as_bytes())]);
    // Job titles on 5 of 10: blocked, but the first run has nothing to regress from.
    let (run, _) = audit(dir.path(), &contacts(10, 5), &["--fail-on", "regression"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = run_in(
        dir.path(),
        &[
            "audit",
            "contacts.csv",
            "--dictionary",
            "d.toml",
            "--fail-on",
            "regression",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--fail-on regression needs --history"),
        "{}",
        run.stderr
    );
}

#[test]
fn reading_a_history_never_writes_it() {
    let dir = temp_with(&[("d.toml", DICT.as_bytes()), ("empty.db", b"")]);
    let run = run_in(dir.path(), &["history", "list", "empty.db"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("an empty file"), "{}", run.stderr);
    assert_eq!(
        std::fs::metadata(dir.path().join("empty.db"))
            .unwrap()
            .len(),
        0
    );
}
