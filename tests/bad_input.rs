//! Bad input: a clear message naming the file (and line), exit code 2, never a panic.

mod common;

use common::*;

/// `fails`, and stderr says `expected`.
fn fails_with(dir: &std::path::Path, args: &[&str], expected: &str) -> Run {
    let run = fails(dir, args);
    assert!(
        run.stderr.contains(expected),
        "expected {expected:?} in:\n{}",
        run.stderr
    );
    run
}

fn fails(dir: &std::path::Path, args: &[&str]) -> Run {
    let run = run_in(dir, args);
    assert_eq!(
        run.code, 2,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    assert!(run.stdout.is_empty(), "no report on error: {}", run.stdout);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

#[test]
fn missing_file() {
    fails_with(
        &repo(),
        &["audit", "fixtures/no/such.csv"],
        "fixtures/no/such.csv: cannot read",
    );
}

#[test]
fn empty_file() {
    fails_with(
        &repo(),
        &["audit", "fixtures/bad/empty.csv"],
        "fixtures/bad/empty.csv: the file is empty",
    );
}

#[test]
fn whitespace_only_file_is_empty() {
    let dir = temp_with(&[("ws.csv", b" \r\n\r\n  \n")]);
    fails_with(
        dir.path(),
        &["audit", "ws.csv"],
        "ws.csv: the file is empty",
    );
}

#[test]
fn header_only_file() {
    fails_with(
        &repo(),
        &["audit", "fixtures/bad/header_only.csv"],
        "fixtures/bad/header_only.csv:1: the file has a header but no data rows",
    );
}

#[test]
fn unbalanced_quote_names_the_line_it_opens_on() {
    fails_with(
        &repo(),
        &["audit", "fixtures/bad/unbalanced_quote.csv"],
        "fixtures/bad/unbalanced_quote.csv:3: unbalanced quote",
    );
}

#[test]
fn binary_file_renamed_csv() {
    fails_with(
        &repo(),
        &["audit", "fixtures/bad/binary.csv"],
        "fixtures/bad/binary.csv: not a CSV export: it is a PNG image",
    );
}

#[test]
fn invalid_dictionary_points_at_line_and_column() {
    let dict = "[use_cases.x]\ntitle = \"X\"\n[[use_cases.x.requires]]\nfield = \"industry\"\nmin_fill = 1.5\n";
    let dir = temp_with(&[("bad.toml", dict.as_bytes())]);
    let fixture = fixture("hubspot/contacts.csv");
    let run = fails(
        dir.path(),
        &[
            "audit",
            fixture.to_str().unwrap(),
            "--dictionary",
            "bad.toml",
        ],
    );
    assert!(
        run.stderr
            .contains("bad.toml:5:12: min_fill 1.5 is outside 0..1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("hint: min_fill is a fraction of records"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_dictionary_key_is_an_error() {
    let dict = "[use_cases.x]\ntitle = \"X\"\n[[use_cases.x.requires]]\nfield = \"industry\"\nmin_fill = 0.5\nmin_fil = 0.2\n";
    let dir = temp_with(&[("bad.toml", dict.as_bytes())]);
    let fixture = fixture("hubspot/contacts.csv");
    fails_with(
        dir.path(),
        &[
            "audit",
            fixture.to_str().unwrap(),
            "--dictionary",
            "bad.toml",
        ],
        "bad.toml:6:1: unknown field `min_fil`",
    );
}

#[test]
fn missing_dictionary_file() {
    let fixture = fixture("hubspot/contacts.csv");
    fails_with(
        &repo(),
        &[
            "audit",
            fixture.to_str().unwrap(),
            "--dictionary",
            "nope.toml",
        ],
        "cannot read nope.toml",
    );
}

#[test]
fn unknown_field_map_name() {
    let fixture = fixture("hubspot/contacts.csv");
    fails_with(
        &repo(),
        &[
            "audit",
            fixture.to_str().unwrap(),
            "--field-map",
            "hubspot/tickets",
        ],
        "no field map \"hubspot/tickets\": give a TOML file, or one of the built-in maps: hubspot/contacts, hubspot/companies",
    );
}

#[test]
fn bad_arguments_exit_two() {
    fails_with(
        &repo(),
        &["audit", "fixtures/hubspot/contacts.csv", "--format", "xml"],
        "invalid value 'xml'",
    );
}

#[test]
fn truncated_zip() {
    fails_with(
        &repo(),
        &["audit", "fixtures/bad/truncated.zip"],
        "fixtures/bad/truncated.zip: cannot read the archive",
    );
}

#[test]
fn truncated_gzip() {
    fails_with(
        &repo(),
        &["audit", "fixtures/bad/truncated.csv.gz"],
        "fixtures/bad/truncated.csv.gz: cannot read",
    );
}

#[test]
fn corrupt_spreadsheet() {
    fails_with(
        &repo(),
        &["audit", "fixtures/bad/corrupt.xlsx"],
        "fixtures/bad/corrupt.xlsx: cannot read the spreadsheet",
    );
}

#[test]
fn decompression_bomb_is_refused_past_the_limit() {
    // 8 MiB of commas compressed to 8 KiB; the limit is set below it.
    fails_with(
        &repo(),
        &["audit", "fixtures/bad/bomb.zip", "--max-uncompressed", "1M"],
        "fixtures/bad/bomb.zip!Contact.csv: refused: larger than 1048576 bytes once decompressed",
    );
}

#[test]
fn first_row_of_data_is_not_taken_for_a_header() {
    fails_with(
        &repo(),
        &["audit", "fixtures/bad/no_header.csv"],
        "fixtures/bad/no_header.csv:1: no header row: column 1 of the first row holds an email address",
    );
}

#[test]
fn huge_single_field_is_an_error_not_a_hang() {
    // A 10 MB field: past the 8 MiB record limit, nearly always a quote that never closed.
    let mut csv = b"Email,Notes\na@x.test,\"".to_vec();
    csv.extend(std::iter::repeat_n(b'x', 10 << 20));
    csv.extend_from_slice(b"\"\n");
    let dir = temp_with(&[("big.csv", &csv)]);
    fails_with(
        dir.path(),
        &["audit", "big.csv"],
        "big.csv:2: a single record is larger than 8 MiB",
    );
}

#[test]
fn directory_without_exports() {
    let dir = temp_with(&[("notes.md", b"# nothing to audit")]);
    fails_with(dir.path(), &["audit", "."], ".: no exports found");
}

#[test]
fn one_bad_file_in_a_folder_is_reported_and_the_rest_audited() {
    let good = std::fs::read(fixture("shapes/base.csv")).unwrap();
    let dir = temp_with(&[
        ("a_good.csv", &good),
        ("b_empty.csv", b""),
        ("c_good.csv", &good),
    ]);
    let run = run_in(dir.path(), &["audit", ".", "--format", "json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("b_empty.csv: the file is empty"),
        "{}",
        run.stderr
    );
    let report = run.json();
    assert_eq!(report.files.len(), 2);
    assert_eq!(report.rows, 20);
    assert_eq!(report.errors.len(), 1);
    assert!(report.errors[0].path.ends_with("b_empty.csv"));
}

#[test]
fn unknown_sheet_lists_the_sheets() {
    fails_with(
        &repo(),
        &[
            "audit",
            "fixtures/shapes/salesforce_report.xlsx",
            "--sheet",
            "Leads",
        ],
        "no sheet \"Leads\"; the sheets are: Contacts report, Raw",
    );
}

#[test]
fn password_protected_workbook() {
    fails_with(
        &repo(),
        &["audit", "fixtures/bad/password.xlsx"],
        "fixtures/bad/password.xlsx: cannot read the spreadsheet: the workbook is password-protected",
    );
}
