//! Regression tests for what a hostile test of the release binary found (issue 7): records lost
//! or invented, a run that passed on the wrong file, cell values leaked, crashes and hangs, and
//! `--output` harming what was at the path. Each test is named after what broke.

mod common;

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

fn assert_base_counts(report: &Report, what: &str) {
    assert_eq!(report.rows, 10, "{what}");
    for &(column, rows, filled, blank, placeholder) in BASE_COUNTS {
        assert_eq!(
            report.counts(column),
            (rows, filled, blank, placeholder),
            "{what}: {column}"
        );
    }
}

/// Runs the binary, failing the test (not hanging it) if it does not end within `limit`.
fn run_with_limit(dir: &Path, args: &[&str], limit: Duration) -> Run {
    use std::io::Read as _;
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // Drained while it runs: a report larger than a pipe's buffer would block the child.
    let drain = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            pipe.read_to_string(&mut text).unwrap();
            text
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            child.kill().unwrap();
            panic!("crm-ready {args:?} did not end within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Run {
        code: status.code().expect("exited normally, not by a signal"),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

/// `crm-ready audit FILE --format json --quiet EXTRA...` within `limit`, decoded.
fn audit_json_within(dir: &Path, file: &str, extra: &[&str], limit: Duration) -> Run {
    let mut args = vec!["audit", file, "--format", "json", "--quiet"];
    args.extend_from_slice(extra);
    run_with_limit(dir, &args, limit)
}

// ---- Records lost or invented -------------------------------------------------------------

/// 20 records with names, then 5 whose only cells are an id, a phone number and a date: the
/// shape of a totals row, but in columns that hold ids, phones and dates.
fn records_ending_in_numbers(numeric_last: bool) -> String {
    let mut named: Vec<String> = (0..20)
        .map(|i| {
            format!(
                "{},Name{i},ana{i}@acme.test,+1 555 01{i:02},2026-01-{:02}",
                1000 + i,
                i + 1
            )
        })
        .collect();
    let numeric: Vec<String> = (20..25)
        .map(|i| format!("{},,,+1 555 01{i:02},2026-02-{:02}", 1000 + i, i - 19))
        .collect();
    let rows = if numeric_last {
        named.extend(numeric);
        named
    } else {
        numeric.into_iter().chain(named).collect()
    };
    format!(
        "Record ID,First Name,Email,Phone Number,Create Date\n{}\n",
        rows.join("\n")
    )
}

#[test]
fn numeric_records_at_the_end_of_a_file_are_kept() {
    let last = records_ending_in_numbers(true);
    let first = records_ending_in_numbers(false);
    let dir = temp_with(&[
        ("last.csv", last.as_bytes()),
        ("first.csv", first.as_bytes()),
    ]);
    let (run_last, last) = audit_json(dir.path(), "last.csv", &[]);
    let (run_first, first) = audit_json(dir.path(), "first.csv", &[]);
    for report in [&last, &first] {
        assert_eq!(report.rows, 25);
        assert_eq!(report.counts("Record ID"), (25, 25, 0, 0));
        assert_eq!(report.counts("First Name"), (25, 20, 5, 0));
        assert!(report.inputs[0].removed.is_empty());
        // Three of five cells, as wide as the records above: no reason to suspect a total.
        assert!(report.inputs[0].suspected_summary_rows.is_empty());
    }
    assert_eq!(
        run_last.code, run_first.code,
        "the order of records decides nothing"
    );
}

#[test]
fn a_file_of_numeric_records_has_data_rows() {
    let text: String = std::iter::once("Record ID,Phone Number,Amount\n".to_owned())
        .chain((0..10).map(|i| format!("{},555 01{i:02},{}.50\n", 1000 + i, i * 10)))
        .collect();
    let dir = temp_with(&[("numbers.csv", text.as_bytes())]);
    let (_, report) = audit_json(
        dir.path(),
        "numbers.csv",
        &["--field-map", "hubspot/contacts"],
    );
    assert_eq!(report.rows, 10);
    assert!(report.inputs[0].removed.is_empty());
}

#[test]
fn a_narrow_numeric_last_row_is_kept_and_reported_as_a_suspected_total() {
    // Amount holds numbers above, so nothing proves the last row is a total: it is kept.
    let text = "Record ID,Phone Number,Create Date,Amount\n\
                1001,555 0101,2026-01-02,7\n\
                1002,555 0102,2026-01-03,9\n\
                ,,,16\n";
    let dir = temp_with(&[("deals.csv", text.as_bytes())]);
    let (_, report) = audit_json(
        dir.path(),
        "deals.csv",
        &["--field-map", "hubspot/contacts"],
    );
    assert_eq!(report.rows, 3);
    assert_eq!(report.inputs[0].suspected_summary_rows, vec![4]);
    let text_report = run_in(
        dir.path(),
        &[
            "audit",
            "deals.csv",
            "--field-map",
            "hubspot/contacts",
            "--quiet",
        ],
    );
    assert!(
        text_report.stdout.contains("may be a totals row") && text_report.stdout.contains("line 4"),
        "{}",
        text_report.stdout
    );
}

#[test]
fn empty_spreadsheet_rows_are_removed_like_blank_csv_lines() {
    // fixtures/shapes/gaps.*: BASE with 4 empty rows between records (make_shapes.py).
    for (name, lines) in [
        ("gaps.csv", vec![4, 9, 10, 15]),
        ("gaps.xlsx", vec![4, 8, 9, 14]),
        ("gaps.xls", vec![4, 8, 9, 14]),
        ("gaps.ods", vec![4, 8, 9, 14]),
    ] {
        let (_, report) = audit_json(&repo(), &format!("fixtures/shapes/{name}"), &[]);
        assert_base_counts(&report, name);
        assert_eq!(report.inputs[0].removed("blank_line"), (4, lines), "{name}");
    }
}

#[test]
fn one_column_csv_counts_empty_lines_as_empty_values() {
    let dir = temp_with(&[(
        "emails.csv",
        b"Email\nana@acme.test\n\nben@beta.test\n\n\ncy@gamma.test\n",
    )]);
    let (_, report) = audit_json(
        dir.path(),
        "emails.csv",
        &["--field-map", "hubspot/contacts"],
    );
    assert_eq!(report.rows, 6);
    assert_eq!(report.counts("Email"), (6, 3, 3, 0));
    assert!(report.inputs[0].removed.is_empty());
}

#[test]
fn old_mac_cr_file_with_multiline_quoted_notes_is_read() {
    // Every record ends with a lone CR and holds a note of three LF-separated lines: the LFs
    // outnumber the CRs two to one, and the file is larger than one record may be (8 MiB).
    let records = 300_000;
    let mut text = String::from("Email,Notes\r");
    for i in 0..records {
        text.push_str(&format!("p{i}@acme.test,\"one\ntwo\nthree\"\r"));
    }
    assert!(text.len() > 8 << 20);
    let dir = temp_with(&[("mac.csv", text.as_bytes())]);
    let (_, report) = audit_json(dir.path(), "mac.csv", &["--field-map", "hubspot/contacts"]);
    assert_eq!(report.rows, records);
    assert_eq!(report.inputs[0].line_ending.as_deref(), Some("CR"));
    assert_eq!(report.counts("Notes"), (records, records, 0, 0));
}

#[test]
fn utf16_file_with_an_odd_last_byte_reports_the_byte_not_a_ragged_row() {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(
        "Email,First Name\nana@acme.test,Ana\nben@beta.test,Ben\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    bytes.push(0x41);
    let dir = temp_with(&[("utf16.csv", &bytes)]);
    let (_, report) = audit_json(dir.path(), "utf16.csv", &[]);
    assert_eq!(report.rows, 2);
    assert_eq!(report.inputs[0].ragged_rows, 0);
    assert_eq!(
        report.inputs[0].stray_trailing_byte.as_deref(),
        Some("0x41")
    );
}

// ---- A run that must not pass ---------------------------------------------------------------

#[test]
fn unrecognised_input_is_an_error_not_a_pass() {
    let passwd = b"root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\n";
    let dir = temp_with(&[
        ("passwd", passwd),
        (
            "contacts.csv",
            b"Email,First Name,Industry\nana@acme.test,Ana,Retail\n",
        ),
    ]);
    let run = run_in(dir.path(), &["audit", "passwd", "--quiet"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no field map fits"), "{}", run.stderr);
    assert!(!run.stderr.contains("root"), "no cell value in the message");
    // The right file read with the wrong delimiter.
    let run = run_in(
        dir.path(),
        &["audit", "contacts.csv", "--delimiter", "x", "--quiet"],
    );
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stderr.contains("--delimiter"), "{}", run.stderr);
}

#[test]
fn unrecognised_file_in_a_folder_is_listed_and_the_rest_judged() {
    let dir = temp_with(&[
        ("export/notes.csv", b"Colour,Taste\nred,sweet\n"),
        (
            "export/contacts.csv",
            b"Email,First Name,Industry\nana@acme.test,Ana,Retail\n",
        ),
    ]);
    let (run, report) = audit_json(dir.path(), "export", &[]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert_eq!(report.files.len(), 1);
    let skipped = &report.skipped[0];
    assert!(skipped.path.ends_with("notes.csv"), "{skipped:?}");
    assert!(skipped.reason.contains("no field map fits"), "{skipped:?}");
    // A folder where nothing fits is an error.
    let dir = temp_with(&[("export/notes.csv", b"Colour,Taste\nred,sweet\n")]);
    let run = run_in(
        dir.path(),
        &["audit", "export", "--quiet", "--format", "json"],
    );
    assert_eq!(run.code, 2);
}

// ---- Cell values never leaked -----------------------------------------------------------------

#[test]
fn headerless_file_is_refused_without_printing_its_first_row() {
    let text = "Ana,Müller,+1 (555) 010-2030,0035g00000XyZaBAAV\n\
                Ben,Dupré,+1 (555) 010-2031,0035g00000XyZaBAAW\n";
    let sheet = xlsx(&[
        ("A1", "Ana"),
        ("B1", "Müller"),
        ("C1", "+1 (555) 010-2030"),
        ("A2", "Ben"),
        ("B2", "Dupré"),
        ("C2", "+1 (555) 010-2031"),
    ]);
    let dir = temp_with(&[("people.csv", text.as_bytes()), ("people.xlsx", &sheet)]);
    for file in ["people.csv", "people.xlsx"] {
        for format in ["text", "json", "markdown"] {
            let run = run_in(dir.path(), &["audit", file, "--format", format]);
            assert_eq!(run.code, 2, "{file} {format}");
            assert!(run.stderr.contains("--no-header"), "{}", run.stderr);
            assert!(run.stderr.contains("phone number"), "{}", run.stderr);
            for value in ["Ana", "Müller", "555", "0035g"] {
                assert!(
                    !run.stdout.contains(value) && !run.stderr.contains(value),
                    "{file} {format} leaks {value:?}"
                );
            }
        }
        let (_, report) = audit_json(
            dir.path(),
            file,
            &["--no-header", "--field-map", "hubspot/contacts"],
        );
        assert_eq!(report.rows, 2, "{file}: the first row is a record");
        assert_eq!(report.fields[0].column, "column_1");
        assert_eq!(report.counts("column_3"), (2, 2, 0, 0), "{file}");
    }
}

// ---- Crashes and hangs ------------------------------------------------------------------------

#[test]
fn xlsx_with_a_cell_at_the_last_address_is_read_without_a_dense_grid() {
    // One stray cell at the last address Excel has: the declared range is 16,384 columns by
    // 1,048,576 rows; a dense grid would need half a terabyte.
    for far in ["XFD1048576", "AZ1048576"] {
        let sheet = xlsx(&[
            ("A1", "Email"),
            ("B1", "First Name"),
            ("A2", "ana@acme.test"),
            ("B2", "Ana"),
            ("A3", "ben@beta.test"),
            ("A4", "cy@gamma.test"),
            ("B4", "Cy"),
            (far, "x"),
        ]);
        let dir = temp_with(&[("sparse.xlsx", &sheet)]);
        let run = run_with_limit(
            dir.path(),
            &[
                "audit",
                "sparse.xlsx",
                "--format",
                "json",
                "--quiet",
                "--max-uncompressed",
                "1M",
            ],
            Duration::from_secs(60),
        );
        assert!(run.code == 0 || run.code == 1, "{far}: {}", run.stderr);
        let report = run.json();
        assert_eq!(report.rows, 3, "{far}");
        assert_eq!(report.counts("First Name"), (3, 2, 1, 0), "{far}");
        let input = &report.inputs[0];
        assert_eq!(
            input.removed("outside_columns"),
            (1, vec![1_048_576]),
            "{far}"
        );
        // The empty rows between the records and the stray cell.
        assert_eq!(input.removed("blank_line").0, 1_048_576 - 5, "{far}");
    }
}

#[test]
fn xlsx_that_expands_past_the_limit_is_refused() {
    let cells: Vec<(String, String)> = (1..=2000)
        .flat_map(|r| {
            [
                (
                    format!("A{r}"),
                    if r == 1 {
                        "Email".into()
                    } else {
                        format!("p{r}@acme.test")
                    },
                ),
                (
                    format!("B{r}"),
                    if r == 1 {
                        "Notes".into()
                    } else {
                        "x".repeat(200)
                    },
                ),
            ]
        })
        .collect();
    let refs: Vec<(&str, &str)> = cells
        .iter()
        .map(|(a, t)| (a.as_str(), t.as_str()))
        .collect();
    let sheet = xlsx(&refs);
    assert!(
        sheet.len() < 100 << 10,
        "compresses well: {} bytes",
        sheet.len()
    );
    let dir = temp_with(&[("big.xlsx", &sheet)]);
    let run = run_in(
        dir.path(),
        &["audit", "big.xlsx", "--quiet", "--max-uncompressed", "100K"],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("decompressed"), "{}", run.stderr);
}

#[test]
fn header_of_many_columns_is_read() {
    // 50,000 distinct names and 2,000 repeats of one: renaming and map matching must be linear
    // (the timing of 200,000 columns is in benches/README.md).
    let mut names: Vec<String> = (0..50_000).map(|i| format!("Custom field {i}")).collect();
    names.extend(std::iter::repeat_n("Email".to_owned(), 2_000));
    let header = names.join(",");
    let row = vec!["x"; names.len()].join(",");
    let text = format!("{header}\n{row}\n");
    let dir = temp_with(&[("wide.csv", text.as_bytes())]);
    let run = audit_json_within(
        dir.path(),
        "wide.csv",
        &["--field-map", "hubspot/contacts"],
        Duration::from_secs(120),
    );
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report.fields.len(), 52_000);
    assert_eq!(report.fields[51_999].column, "Email (2000)");
    assert_eq!(report.inputs[0].renamed_headers.len(), 1_999);
}

#[cfg(unix)]
#[test]
fn fifo_in_a_folder_is_skipped_not_waited_on() {
    let dir = temp_with(&[(
        "export/contacts.csv",
        b"Email,First Name,Industry\nana@acme.test,Ana,Retail\n",
    )]);
    let status = Command::new("mkfifo")
        .arg(dir.path().join("export/pipe.csv"))
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    let run = run_with_limit(
        dir.path(),
        &["audit", "export", "--format", "json", "--quiet"],
        Duration::from_secs(60),
    );
    let report = run.json();
    assert_eq!(report.rows, 1);
    let skipped = &report.skipped[0];
    assert!(skipped.path.ends_with("pipe.csv"), "{skipped:?}");
    assert!(skipped.reason.contains("not a regular file"), "{skipped:?}");
}

#[cfg(unix)]
#[test]
fn fifo_named_on_the_command_line_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.csv");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let writer = std::thread::spawn(move || {
        let mut f = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
        f.write_all(b"Email,First Name,Industry\nana@acme.test,Ana,Retail\nben@beta.test,,\n")
            .unwrap();
    });
    let run = run_with_limit(
        dir.path(),
        &["audit", "pipe.csv", "--format", "json", "--quiet"],
        Duration::from_secs(60),
    );
    writer.join().unwrap();
    let report = run.json();
    assert_eq!(report.rows, 2);
    assert_eq!(report.counts("First Name"), (2, 1, 1, 0));
}

#[test]
fn bad_zip_in_a_folder_is_reported_and_the_rest_audited() {
    let base = std::fs::read(fixture("shapes/base.csv")).unwrap();
    let empty_zip = zip_of(&[("README.md", b"nothing here")]);
    let dir = temp_with(&[
        ("export/base.csv", &base),
        ("export/corrupt.zip", b"PK\x03\x04 this is not an archive"),
        ("export/empty.zip", &empty_zip),
    ]);
    let run = run_in(
        dir.path(),
        &["audit", "export", "--format", "json", "--quiet"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report.files.len(), 1);
    let file = &report.files[0];
    assert_eq!(file.rows, 10);
    for &(column, rows, filled, blank, placeholder) in BASE_COUNTS {
        let f = file.fields.iter().find(|f| f.column == column).unwrap();
        assert_eq!(
            (f.rows, f.filled, f.blank, f.placeholder),
            (rows, filled, blank, placeholder)
        );
    }
    let mut failed: Vec<&str> = report.errors.iter().map(|e| e.path.as_str()).collect();
    failed.sort();
    assert_eq!(failed.len(), 2, "{:?}", report.errors);
    assert!(failed[0].ends_with("corrupt.zip") && failed[1].ends_with("empty.zip"));
    assert!(run.stderr.contains("corrupt.zip"), "{}", run.stderr);
}

#[test]
fn zip_inside_zip_and_gzip_inside_zip_are_read() {
    let base = std::fs::read(fixture("shapes/base.csv")).unwrap();
    let inner = zip_of(&[("Contact.csv", &base)]);
    let outer = zip_of(&[
        ("inner.zip", &inner),
        ("contacts.csv.gz", &gzip(&base)),
        ("deeper.zip", &zip_of(&[("x.zip", &inner)])),
    ]);
    let dir = temp_with(&[("export.zip", &outer)]);
    let run = run_in(
        dir.path(),
        &["audit", "export.zip", "--format", "json", "--quiet"],
    );
    let report = run.json();
    let mut paths: Vec<&str> = report.files.iter().map(|f| f.input.path.as_str()).collect();
    paths.sort();
    assert_eq!(
        paths,
        vec![
            "export.zip!contacts.csv.gz",
            "export.zip!inner.zip!Contact.csv"
        ]
    );
    for file in &report.files {
        assert_eq!(file.rows, 10, "{}", file.input.path);
    }
    let deeper = report
        .skipped
        .iter()
        .find(|s| s.path.ends_with("x.zip"))
        .expect("the archive two levels down is listed");
    assert!(deeper.reason.contains("one level"), "{deeper:?}");
}

// ---- Writing the report -----------------------------------------------------------------------

#[test]
fn output_that_is_an_input_is_refused_and_the_input_kept() {
    let base = std::fs::read(fixture("shapes/base.csv")).unwrap();
    let dir = temp_with(&[("base.csv", &base)]);
    let run = run_in(dir.path(), &["audit", "base.csv", "-o", "base.csv"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("is one of the inputs"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(dir.path().join("base.csv")).unwrap(), base);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("base.csv", dir.path().join("link.csv")).unwrap();
        let run = run_in(dir.path(), &["audit", "base.csv", "-o", "link.csv"]);
        assert_eq!(run.code, 2, "through a symlink too");
        assert_eq!(std::fs::read(dir.path().join("base.csv")).unwrap(), base);
    }
}

#[cfg(unix)]
#[test]
fn output_through_a_symlink_writes_its_target_and_keeps_the_link() {
    use std::os::unix::fs::PermissionsExt;
    let base = std::fs::read(fixture("shapes/base.csv")).unwrap();
    let dir = temp_with(&[("base.csv", &base), ("reports/real.json", b"old")]);
    let real = dir.path().join("reports/real.json");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    std::os::unix::fs::symlink("reports/real.json", dir.path().join("latest.json")).unwrap();
    let run = run_in(
        dir.path(),
        &["audit", "base.csv", "--format", "json", "-o", "latest.json"],
    );
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let link = std::fs::symlink_metadata(dir.path().join("latest.json")).unwrap();
    assert!(link.file_type().is_symlink(), "the link is still a link");
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&real).unwrap()).unwrap();
    assert_eq!(written["summary"]["rows"], 10);
    let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640, "the replaced file's permissions are kept");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("reports"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left: {leftovers:?}");
}

#[cfg(unix)]
#[test]
fn output_to_a_fifo_writes_into_it_and_keeps_it() {
    use std::io::Read as _;
    use std::os::unix::fs::FileTypeExt;
    let base = std::fs::read(fixture("shapes/base.csv")).unwrap();
    let dir = temp_with(&[("base.csv", &base)]);
    let fifo = dir.path().join("out.pipe");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader_path = fifo.clone();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::fs::File::open(&reader_path)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    });
    let run = run_with_limit(
        dir.path(),
        &["audit", "base.csv", "--format", "json", "-o", "out.pipe"],
        Duration::from_secs(60),
    );
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let text = reader.join().unwrap();
    let written: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(written["summary"]["rows"], 10);
    let meta = std::fs::symlink_metadata(&fifo).unwrap();
    assert!(
        meta.file_type().is_fifo(),
        "still a FIFO, not replaced by a file"
    );
}

#[cfg(unix)]
#[test]
fn interrupted_run_exits_130_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(BIN)
        .args(["audit", "-", "-o", "report.json", "--quiet"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(b"Email,First Name\nana@acme.test,Ana\n")
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    drop(stdin);
    assert_eq!(status.code(), Some(130));
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "nothing written: {left:?}");
}

// ---- Smaller ------------------------------------------------------------------------------------

#[test]
fn audit_dash_reads_standard_input() {
    let base = std::fs::read(fixture("shapes/base.csv")).unwrap();
    let mut child = Command::new(BIN)
        .args(["audit", "-", "--format", "json", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&base).unwrap();
    let out = child.wait_with_output().unwrap();
    let report: Report = serde_json::from_slice::<Json>(&out.stdout).unwrap().into();
    assert_base_counts(&report, "stdin");
    assert_eq!(report.inputs[0].path, "<stdin>");
}

#[test]
fn max_uncompressed_applies_to_decompressed_data_only() {
    let base = std::fs::read(fixture("shapes/base.csv")).unwrap();
    assert!(base.len() > 512);
    let dir = temp_with(&[("base.csv", &base), ("base.csv.gz", &gzip(&base))]);
    let (_, report) = audit_json(dir.path(), "base.csv", &["--max-uncompressed", "512"]);
    assert_base_counts(&report, "a plain file larger than the limit");
    let run = run_in(
        dir.path(),
        &[
            "audit",
            "base.csv.gz",
            "--max-uncompressed",
            "512",
            "--quiet",
        ],
    );
    assert_eq!(run.code, 2, "gzip past the limit is still refused");
}

#[test]
fn dictionary_that_is_a_data_file_is_not_echoed() {
    let record = format!("ana@acme.test,{},Retail\n", "secret ".repeat(100));
    let dir = temp_with(&[
        ("contacts.csv", b"Email,First Name\nana@acme.test,Ana\n"),
        ("dictionary.toml", record.as_bytes()),
    ]);
    let run = run_in(
        dir.path(),
        &["audit", "contacts.csv", "--dictionary", "dictionary.toml"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("does not look like TOML"),
        "{}",
        run.stderr
    );
    let longest = run.stderr.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(
        longest <= 220,
        "a line of {longest} characters:\n{}",
        run.stderr
    );
}

#[test]
fn delimiter_refuses_line_breaks_and_control_characters() {
    for bad in ["\n", "\r", "\u{1b}"] {
        let run = run_in(
            &repo(),
            &["audit", "fixtures/shapes/base.csv", "--delimiter", bad],
        );
        assert_eq!(run.code, 2, "{bad:?}");
        assert!(run.stderr.contains("not a delimiter"), "{}", run.stderr);
    }
}

#[test]
fn thresholds_print_readably() {
    let dictionary = |min_fill: &str| {
        format!(
            "[use_cases.scoring]\ntitle = \"Scoring\"\n[[use_cases.scoring.requires]]\nfield = \"email\"\nmin_fill = {min_fill}\n"
        )
    };
    let dir = temp_with(&[
        ("contacts.csv", b"Email,First Name\nana@acme.test,Ana\n"),
        ("zero.toml", dictionary("-0.0").as_bytes()),
        ("huge.toml", dictionary("1e308").as_bytes()),
    ]);
    let (_, report) = audit_json(dir.path(), "contacts.csv", &["--dictionary", "zero.toml"]);
    let threshold = report.use_cases[0].requirements[0].threshold;
    assert!(
        threshold == 0.0 && threshold.is_sign_positive(),
        "{threshold}"
    );
    let text = run_in(
        dir.path(),
        &[
            "audit",
            "contacts.csv",
            "--dictionary",
            "zero.toml",
            "--quiet",
        ],
    );
    assert!(!text.stdout.contains("-0"), "{}", text.stdout);
    let run = run_in(
        dir.path(),
        &["audit", "contacts.csv", "--dictionary", "huge.toml"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("min_fill 1e308 is outside"),
        "{}",
        run.stderr
    );
}

#[test]
fn file_names_cannot_steer_the_terminal_or_break_markdown() {
    let base = std::fs::read(fixture("shapes/base.csv")).unwrap();
    let dir = temp_with(&[("red\u{1b}[31m`x`.csv", &base)]);
    let name = "red\u{1b}[31m`x`.csv";
    let text = run_in(dir.path(), &["audit", name, "--quiet", "--color", "never"]);
    assert!(!text.stdout.contains('\u{1b}'), "{}", text.stdout);
    assert!(
        text.stdout.contains("red\\u{1b}[31m`x`.csv"),
        "{}",
        text.stdout
    );
    let markdown = run_in(dir.path(), &["audit", name, "--format", "markdown"]);
    assert!(!markdown.stdout.contains('\u{1b}'));
    assert!(
        markdown.stdout.contains("``red\\u{1b}[31m`x`.csv``"),
        "{}",
        markdown.stdout
    );
    // Errors name the file safely too.
    let run = run_in(dir.path(), &["audit", "missing\u{1b}[2J.csv"]);
    assert_eq!(run.code, 2);
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
}

// ---- Found by a second hostile run, after the fixes above ------------------------------------

#[test]
fn placeholders_above_a_numeric_last_record_do_not_make_it_a_total() {
    // Phone holds `unknown` in most records: a column of phone numbers all the same.
    let mut text = String::from("Record ID,Email,First Name,Phone Number\n");
    for i in 0..10 {
        let phone = if i % 3 == 0 { "+1 555 0100" } else { "unknown" };
        text.push_str(&format!("{},p{i}@acme.test,Name{i},{phone}\n", 1000 + i));
    }
    text.push_str("1011,,,+1 (555) 010-2030\n");
    let dir = temp_with(&[("contacts.csv", text.as_bytes())]);
    let (_, report) = audit_json(dir.path(), "contacts.csv", &[]);
    assert_eq!(report.rows, 11);
    assert!(
        report.inputs[0].removed.is_empty(),
        "{:?}",
        report.inputs[0].removed
    );
}

#[test]
fn a_quoted_note_with_a_line_break_at_the_end_is_not_cut() {
    let text = "Email,Notes,Number of Employees,Create Date,First Name\n\
                a@x.test,hello,75,2026-11-02,Ana\n\
                z@x.test,\"Call back\n555 0100\",75,2026-11-03,\n";
    let dir = temp_with(&[("contacts.csv", text.as_bytes())]);
    let (_, report) = audit_json(dir.path(), "contacts.csv", &[]);
    assert_eq!(report.rows, 2);
    assert_eq!(report.inputs[0].ragged_rows, 0);
    assert!(report.inputs[0].removed.is_empty());
    assert_eq!(report.counts("Number of Employees"), (2, 2, 0, 0));
    assert_eq!(report.counts("Create Date"), (2, 2, 0, 0));
}

#[test]
fn the_last_record_above_a_report_footer_is_kept_and_the_footer_count_checked() {
    let text = "Opportunity Name,Amount,Close Date\n\
                Acme renewal,1200,2026-12-01\n\
                Beta upsell,800,2026-12-15\n\
                ,300,2026-12-20\n\
                \n\
                \"Grand Totals (3 records)\"\n";
    let dir = temp_with(&[("opps.csv", text.as_bytes())]);
    let (_, report) = audit_json(dir.path(), "opps.csv", &[]);
    assert_eq!(report.rows, 3, "the third opportunity is a record");
    assert_eq!(report.inputs[0].footer_records, Some(3));
    // A footer that disagrees with the count is said.
    let text = text.replace("(3 records)", "(4 records)");
    let dir = temp_with(&[("opps.csv", text.as_bytes())]);
    let run = run_in(dir.path(), &["audit", "opps.csv", "--quiet"]);
    assert!(
        run.stdout
            .contains("the report footer says 4 records, but 3 were counted"),
        "{}",
        run.stdout
    );
}

#[test]
fn excel_csv_of_empty_rows_gives_the_counts_of_the_workbook() {
    // Excel saves an empty row as bare delimiters: removed like the workbook's empty rows,
    // wherever they stand.
    let base = std::fs::read_to_string(fixture("shapes/base.csv")).unwrap();
    let mut lines: Vec<String> = Vec::new();
    let mut record = String::new();
    for line in base.split_inclusive('\n') {
        record.push_str(line);
        // The one multi-line record ends with `lines"`.
        if record.matches('"').count().is_multiple_of(2) {
            lines.push(std::mem::take(&mut record));
        }
    }
    let mut text = lines[0].clone();
    for (i, record) in lines[1..].iter().enumerate() {
        text.push_str(record);
        if i == 1 || i == 4 {
            text.push_str(",,,,,,\n");
        }
    }
    let dir = temp_with(&[("excel.csv", text.as_bytes())]);
    let (_, report) = audit_json(dir.path(), "excel.csv", &[]);
    assert_base_counts(&report, "empty rows as bare delimiters");
    assert_eq!(report.inputs[0].removed("bare_delimiters").0, 2);
}

#[test]
fn one_column_files_keep_their_empty_values_in_every_format() {
    // Python's csv writer writes an empty single value as "".
    let dir = temp_with(&[
        ("py.csv", b"Email\na@x.test\n\"\"\nb@x.test\n\"\"\n\"\"\n"),
        (
            "gaps.xlsx",
            &xlsx(&[("A1", "Email"), ("A2", "a@x.test"), ("A4", "b@x.test")]),
        ),
        ("gaps.csv", b"Email\na@x.test\n\nb@x.test\n"),
    ]);
    let map = ["--field-map", "hubspot/contacts"];
    let (_, report) = audit_json(dir.path(), "py.csv", &map);
    assert_eq!(report.counts("Email"), (5, 2, 3, 0));
    for file in ["gaps.xlsx", "gaps.csv"] {
        let (_, report) = audit_json(dir.path(), file, &map);
        assert_eq!(report.counts("Email"), (3, 2, 1, 0), "{file}");
    }
}

#[test]
fn an_empty_line_right_after_the_header_is_counted() {
    let dir = temp_with(&[
        ("one.csv", b"Email\n\na@x.test\nb@x.test\n"),
        (
            "two.csv",
            b"Email,First Name\n\na@x.test,Ana\nb@x.test,Ben\n",
        ),
    ]);
    let map = ["--field-map", "hubspot/contacts"];
    let (_, report) = audit_json(dir.path(), "one.csv", &map);
    assert_eq!(report.counts("Email"), (3, 2, 1, 0), "an empty value");
    let (_, report) = audit_json(dir.path(), "two.csv", &map);
    assert_eq!(report.rows, 2);
    assert_eq!(report.inputs[0].removed("blank_line"), (1, vec![2]));
}

#[test]
fn a_literal_quote_does_not_hide_old_mac_line_endings() {
    let mut text = String::from("Email,Product,Notes\r");
    text.push_str("a@x.test,Bought 5\" screen,\"one\ntwo\"\r");
    for i in 0..8 {
        text.push_str(&format!("p{i}@x.test,TV,\"a\nb\nc\"\r"));
    }
    text.push_str("\r\"Grand Totals (9 records)\"\r");
    let dir = temp_with(&[("mac.csv", text.as_bytes())]);
    let (_, report) = audit_json(dir.path(), "mac.csv", &["--field-map", "hubspot/contacts"]);
    assert_eq!(report.inputs[0].line_ending.as_deref(), Some("CR"));
    assert_eq!(report.rows, 9);
    assert_eq!(report.inputs[0].ragged_rows, 0);
    assert_eq!(report.inputs[0].removed("report_footer").0, 1);
}

#[test]
fn a_headerless_file_of_dates_and_names_is_refused_without_its_values() {
    let text = "Zorblat,Quxley,11/23/2026 9:14 AM\nAna,Smith,11/24/2026 10:00 AM\n";
    let dir = temp_with(&[("people.csv", text.as_bytes())]);
    let run = run_in(
        dir.path(),
        &["audit", "people.csv", "--field-map", "hubspot/contacts"],
    );
    assert_eq!(run.code, 2);
    for value in ["Zorblat", "Quxley", "9:14"] {
        assert!(!run.stdout.contains(value) && !run.stderr.contains(value));
    }
}

#[test]
fn a_header_narrower_than_its_records_is_still_the_header() {
    let mut cells = vec![
        ("A1", "Email"),
        ("B1", "First Name"),
        ("C1", "Job Title"),
        ("D1", "Industry"),
    ];
    for row in 2..=4 {
        for col in ["A", "B", "C", "D", "E", "F", "G", "H"] {
            cells.push((
                Box::leak(format!("{col}{row}").into_boxed_str()),
                Box::leak(format!("secret{col}{row}").into_boxed_str()),
            ));
        }
    }
    let dir = temp_with(&[("narrow.xlsx", &xlsx(&cells))]);
    let (_, report) = audit_json(dir.path(), "narrow.xlsx", &[]);
    assert_eq!(report.inputs[0].header_line, 1);
    assert_eq!(report.rows, 3);
    assert_eq!(report.inputs[0].ragged_rows, 3);
    let run = run_in(dir.path(), &["audit", "narrow.xlsx", "--format", "json"]);
    assert!(
        !run.stdout.contains("secret"),
        "no cell value as a column name"
    );
}

#[test]
fn a_header_reaching_the_last_column_does_not_make_huge_batches() {
    // Header names in A1 and XFD1: 16,384 columns, and 3,000 one-cell records.
    let mut cells: Vec<(String, String)> = vec![
        ("A1".into(), "Email".into()),
        ("XFD1".into(), "Notes".into()),
    ];
    for row in 2..=3001 {
        cells.push((format!("A{row}"), format!("p{row}@acme.test")));
    }
    let refs: Vec<(&str, &str)> = cells
        .iter()
        .map(|(a, t)| (a.as_str(), t.as_str()))
        .collect();
    let dir = temp_with(&[("wide.xlsx", &xlsx(&refs))]);
    let run = audit_json_within(
        dir.path(),
        "wide.xlsx",
        &["--field-map", "hubspot/contacts"],
        Duration::from_secs(120),
    );
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report.rows, 3000);
    assert_eq!(report.fields.len(), 16_384);
}

#[test]
fn a_damaged_workbook_in_a_folder_is_an_error_and_the_rest_is_audited() {
    // The first 5,119 bytes of a valid XLS: calamine panics on it.
    let xls = std::fs::read(fixture("shapes/base.xls")).unwrap();
    let base = std::fs::read(fixture("shapes/base.csv")).unwrap();
    let dir = temp_with(&[
        ("export/base.csv", &base),
        ("export/cut.xls", &xls[..5119.min(xls.len() - 1)]),
    ]);
    let run = run_in(dir.path(), &["audit", "export", "--format", "json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report.files.len(), 1);
    assert_eq!(report.errors.len(), 1);
    assert!(
        report.errors[0].path.ends_with("cut.xls"),
        "{:?}",
        report.errors
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn many_joined_objects_in_a_header_are_read() {
    // 20,000 `Record ID - <Object>` markers (timing of the linear pass: benches/README.md).
    let names: Vec<String> = (0..20_000).map(|i| format!("Record ID - Obj{i}")).collect();
    let text = format!(
        "Email,{}\na@x.test,{}\n",
        names.join(","),
        vec!["1"; 20_000].join(",")
    );
    let dir = temp_with(&[("joined.csv", text.as_bytes())]);
    let run = audit_json_within(
        dir.path(),
        "joined.csv",
        &["--field-map", "hubspot/contacts"],
        Duration::from_secs(120),
    );
    assert_eq!(run.json().fields.len(), 20_001);
}

#[test]
fn a_dictionary_for_other_records_is_an_error_not_a_pass() {
    let dictionary = "[use_cases.churn]\ntitle = \"Churn\"\nobjects = [\"account\"]\n[[use_cases.churn.requires]]\nfield = \"industry\"\nmin_fill = 0.5\n";
    let dir = temp_with(&[
        ("contacts.csv", b"Email,First Name\nana@acme.test,Ana\n"),
        ("accounts.toml", dictionary.as_bytes()),
    ]);
    let run = run_in(
        dir.path(),
        &["audit", "contacts.csv", "--dictionary", "accounts.toml"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("built on contact records"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_dangling_link_in_a_folder_is_an_error() {
    let base = std::fs::read(fixture("shapes/base.csv")).unwrap();
    let dir = temp_with(&[("export/base.csv", &base)]);
    std::os::unix::fs::symlink("gone.csv", dir.path().join("export/link.csv")).unwrap();
    let run = run_in(dir.path(), &["audit", "export", "--format", "json"]);
    assert_eq!(run.code, 2);
    let report = run.json();
    assert_eq!(report.files.len(), 1);
    assert!(report.errors[0].path.ends_with("link.csv"));
}

#[test]
fn output_dash_is_standard_output() {
    let base = std::fs::read(fixture("shapes/base.csv")).unwrap();
    let dir = temp_with(&[("base.csv", &base)]);
    let run = run_in(
        dir.path(),
        &["audit", "base.csv", "--format", "json", "-o", "-"],
    );
    assert_base_counts(&run.json(), "-o -");
    assert!(!dir.path().join("-").exists());
}

// ---- Found by the second hostile run ---------------------------------------------------------

#[test]
fn empty_values_of_a_one_column_file_are_kept_across_blocks() {
    // Runs of empty lines that straddle the 1 MiB blocks the reader cuts (forced small here).
    let mut text = String::from("Email\n");
    let (mut rows, mut blank) = (0u64, 0u64);
    for i in 0..3000 {
        text.push_str("a@x.test\n");
        rows += 1;
        if i % 7 == 0 {
            text.push_str("\n\n\n");
            rows += 3;
            blank += 3;
        }
    }
    text.push_str("b@x.test\n");
    rows += 1;
    let dir = temp_with(&[("emails.csv", text.as_bytes())]);
    for block in ["64", "1000", "4096"] {
        let (_, report) = audit_json(
            dir.path(),
            "emails.csv",
            &["--field-map", "hubspot/contacts", "--block-size", block],
        );
        assert_eq!(
            report.counts("Email"),
            (rows, rows - blank, blank, 0),
            "block {block}"
        );
    }
}

#[test]
fn blank_lines_across_blocks_are_all_reported() {
    let mut text = String::from("Email,First Name\n");
    for _ in 0..500 {
        text.push_str("a@x.test,A\n");
    }
    text.push_str(&"\n".repeat(300));
    for _ in 0..500 {
        text.push_str("b@x.test,B\n");
    }
    let dir = temp_with(&[("c.csv", text.as_bytes())]);
    let (_, report) = audit_json(
        dir.path(),
        "c.csv",
        &["--field-map", "hubspot/contacts", "--block-size", "1024"],
    );
    assert_eq!(report.rows, 1000);
    let (count, lines) = report.inputs[0].removed("blank_line");
    assert_eq!(count, 300);
    assert_eq!(
        lines[0], 502,
        "the first blank line follows header + 500 records"
    );
}

#[test]
fn short_rows_under_a_very_wide_header_stay_small() {
    // 16,384 columns, 20,000 one-cell rows: batches are bounded by cells, not rows.
    let names: Vec<String> = (0..16_382).map(|i| format!("c{i}")).collect();
    let mut text = format!("Email,First Name,{}\n", names.join(","));
    for i in 0..20_000 {
        text.push_str(&format!("u{i}@x.test\n"));
    }
    let dir = temp_with(&[("wide.csv", text.as_bytes())]);
    let run = audit_json_within(
        dir.path(),
        "wide.csv",
        &[
            "--field-map",
            "hubspot/contacts",
            "-j",
            "1",
            "--fields",
            "none",
        ],
        Duration::from_secs(300),
    );
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report.rows, 20_000);
    assert_eq!(report.counts("First Name"), (20_000, 0, 20_000, 0));
}

#[test]
fn one_column_files_remove_empty_and_outside_rows_like_wider_ones() {
    let dir = temp_with(&[("c.csv", b"Email\na@x.test\n,\nb@x.test\n,extra\n\"\"\n")]);
    let (_, report) = audit_json(dir.path(), "c.csv", &["--field-map", "hubspot/contacts"]);
    assert_eq!(
        report.counts("Email"),
        (3, 2, 1, 0),
        "the quoted empty value is a record"
    );
    let input = &report.inputs[0];
    assert_eq!(input.removed("bare_delimiters"), (1, vec![3]));
    assert_eq!(input.removed("outside_columns"), (1, vec![5]));
    assert_eq!(input.ragged_rows, 0);
}

#[test]
fn spreadsheet_rows_of_spaces_are_said_wherever_they_stand() {
    let one = xlsx(&[
        ("A1", "Email"),
        ("A2", "a@x.test"),
        ("A3", "b@x.test"),
        ("A4", "  "),
        ("A5", "  "),
    ]);
    let two = xlsx(&[
        ("A1", "Email"),
        ("B1", "First Name"),
        ("A2", "a@x.test"),
        ("B2", "Ana"),
        ("A3", " "),
        ("B3", " "),
        ("A4", "b@x.test"),
        ("B4", "Ben"),
        ("A5", "  "),
    ]);
    let dir = temp_with(&[("one.xlsx", &one), ("two.xlsx", &two)]);
    let map = ["--field-map", "hubspot/contacts"];
    let (_, report) = audit_json(dir.path(), "one.xlsx", &map);
    assert_eq!(
        report.counts("Email"),
        (4, 2, 2, 0),
        "as the same one-column CSV"
    );
    let (_, report) = audit_json(dir.path(), "two.xlsx", &map);
    assert_eq!(report.rows, 2);
    assert_eq!(report.inputs[0].removed("bare_delimiters"), (2, vec![3, 5]));
}

#[test]
fn a_record_starting_with_footer_words_is_a_record() {
    let text = "Notes,Last Name,Company,Phone Number,Create Date,Original Source\n\
                Met at fair,Ng,Beta,555-0100,11/1/2026,Web\n\
                \"Confidential Information - Do Not Distribute\",Lee,Acme,555-0101,11/2/2026,Web\n";
    let dir = temp_with(&[("c.csv", text.as_bytes())]);
    let (_, report) = audit_json(dir.path(), "c.csv", &["--field-map", "hubspot/contacts"]);
    assert_eq!(report.rows, 2);
    assert!(report.inputs[0].removed.is_empty());
}

#[test]
fn spreadsheet_errors_never_quote_the_file() {
    // An error cell with a value calamine does not know: its message quotes the value.
    let sheet = xlsx(&[("A1", "Email"), ("B1", "First Name")]);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(sheet)).unwrap();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..archive.len() {
        use std::io::Read as _;
        let mut entry = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        let name = entry.name().unwrap().into_owned();
        if name.ends_with("sheet1.xml") {
            let xml = String::from_utf8(bytes).unwrap().replace(
                "</sheetData>",
                r#"<row r="2"><c r="A2" t="e"><v>#SECRETE!</v></c></row></sheetData>"#,
            );
            bytes = xml.into_bytes();
        }
        files.push((name, bytes));
    }
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let dir = temp_with(&[("leak.xlsx", &zip_of(&refs))]);
    let run = run_in(
        dir.path(),
        &["audit", "leak.xlsx", "--field-map", "hubspot/contacts"],
    );
    assert!(
        !run.stderr.contains("SECRET") && !run.stdout.contains("SECRET"),
        "{}",
        run.stderr
    );
}

#[test]
fn names_from_maps_and_dictionaries_cannot_steer_the_terminal() {
    let dictionary = "[use_cases.a]\ntitle = \"A\"\n[[use_cases.a.requires]]\ncolumn = \"Em\\u001b[31mail\\u202e\"\nmin_fill = 0.5\n";
    let bad = "[use_cases.\"u\\u001b[31mc\"]\ntitle = \"A\"\n[[use_cases.\"u\\u001b[31mc\".requires]]\nfield = \"email\"\nmin_fill = 0.5\n";
    let dir = temp_with(&[
        ("d.toml", dictionary.as_bytes()),
        ("bad.toml", bad.as_bytes()),
        (
            "c.csv",
            b"Email,First Name,Zero\xe2\x80\x8bWidth\na@x.test,Ana,x\n",
        ),
    ]);
    let run = run_in(
        dir.path(),
        &[
            "audit",
            "c.csv",
            "--dictionary",
            "d.toml",
            "--field-map",
            "hubspot/contacts",
            "--fields",
            "all",
        ],
    );
    for (what, out) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{202e}') && !out.contains('\u{200b}'),
            "{what}: {out}"
        );
    }
    let run = run_in(dir.path(), &["audit", "c.csv", "--dictionary", "bad.toml"]);
    assert_eq!(run.code, 2);
    assert!(!run.stderr.contains('\u{1b}'), "{}", run.stderr);
}
