//! Bad input: a clear message naming the file (and line), exit code 2, never a panic.

mod common;

use common::*;

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
    let run = fails(&repo(), &["audit", "fixtures/no/such.csv"]);
    assert!(
        run.stderr.contains("fixtures/no/such.csv: cannot read"),
        "{}",
        run.stderr
    );
}

#[test]
fn empty_file() {
    let run = fails(&repo(), &["audit", "fixtures/bad/empty.csv"]);
    assert!(
        run.stderr
            .contains("fixtures/bad/empty.csv: the file is empty"),
        "{}",
        run.stderr
    );
}

#[test]
fn whitespace_only_file_is_empty() {
    let dir = temp_with(&[("ws.csv", b" \r\n\r\n  \n")]);
    let run = fails(dir.path(), &["audit", "ws.csv"]);
    assert!(
        run.stderr.contains("ws.csv: the file is empty"),
        "{}",
        run.stderr
    );
}

#[test]
fn header_only_file() {
    let run = fails(&repo(), &["audit", "fixtures/bad/header_only.csv"]);
    assert!(
        run.stderr
            .contains("fixtures/bad/header_only.csv:1: the file has a header but no data rows"),
        "{}",
        run.stderr
    );
}

#[test]
fn unbalanced_quote_names_the_line_it_opens_on() {
    let run = fails(&repo(), &["audit", "fixtures/bad/unbalanced_quote.csv"]);
    assert!(
        run.stderr
            .contains("fixtures/bad/unbalanced_quote.csv:3: unbalanced quote"),
        "{}",
        run.stderr
    );
}

#[test]
fn binary_file_renamed_csv() {
    let run = fails(&repo(), &["audit", "fixtures/bad/binary.csv"]);
    assert!(
        run.stderr
            .contains("fixtures/bad/binary.csv: not a CSV export: it is a PNG image"),
        "{}",
        run.stderr
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
        run.stderr.contains("bad.toml:6:1: unknown field `min_fil`"),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_dictionary_file() {
    let fixture = fixture("hubspot/contacts.csv");
    let run = fails(
        &repo(),
        &[
            "audit",
            fixture.to_str().unwrap(),
            "--dictionary",
            "nope.toml",
        ],
    );
    assert!(
        run.stderr.contains("cannot read nope.toml"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_field_map_name() {
    let fixture = fixture("hubspot/contacts.csv");
    let run = fails(
        &repo(),
        &[
            "audit",
            fixture.to_str().unwrap(),
            "--field-map",
            "hubspot/tickets",
        ],
    );
    assert!(
        run.stderr.contains("no field map \"hubspot/tickets\": give a TOML file, or one of the built-in maps: hubspot/contacts, hubspot/companies"),
        "{}",
        run.stderr
    );
}

#[test]
fn bad_arguments_exit_two() {
    let run = fails(
        &repo(),
        &["audit", "fixtures/hubspot/contacts.csv", "--format", "xml"],
    );
    assert!(run.stderr.contains("invalid value 'xml'"), "{}", run.stderr);
}

#[test]
fn truncated_zip() {
    let run = fails(&repo(), &["audit", "fixtures/bad/truncated.zip"]);
    assert!(
        run.stderr
            .contains("fixtures/bad/truncated.zip: cannot read the archive"),
        "{}",
        run.stderr
    );
}

#[test]
fn truncated_gzip() {
    let run = fails(&repo(), &["audit", "fixtures/bad/truncated.csv.gz"]);
    assert!(
        run.stderr
            .contains("fixtures/bad/truncated.csv.gz: cannot read"),
        "{}",
        run.stderr
    );
}

#[test]
fn corrupt_spreadsheet() {
    let run = fails(&repo(), &["audit", "fixtures/bad/corrupt.xlsx"]);
    assert!(
        run.stderr
            .contains("fixtures/bad/corrupt.xlsx: cannot read the spreadsheet"),
        "{}",
        run.stderr
    );
}

#[test]
fn decompression_bomb_is_refused_past_the_limit() {
    // 8 MiB of commas compressed to 8 KiB; the limit is set below it.
    let run = fails(
        &repo(),
        &["audit", "fixtures/bad/bomb.zip", "--max-uncompressed", "1M"],
    );
    assert!(
        run.stderr.contains("fixtures/bad/bomb.zip!Contact.csv: refused: larger than 1048576 bytes once decompressed"),
        "{}",
        run.stderr
    );
}

#[test]
fn first_row_of_data_is_not_taken_for_a_header() {
    let run = fails(&repo(), &["audit", "fixtures/bad/no_header.csv"]);
    assert!(
        run.stderr.contains("fixtures/bad/no_header.csv:1: no header row: column 1 of the first row holds an email address"),
        "{}",
        run.stderr
    );
}

#[test]
fn huge_single_field_is_an_error_not_a_hang() {
    // A 10 MB field: past the 8 MiB record limit, nearly always a quote that never closed.
    let mut csv = b"Email,Notes\na@x.test,\"".to_vec();
    csv.extend(std::iter::repeat_n(b'x', 10 << 20));
    csv.extend_from_slice(b"\"\n");
    let dir = temp_with(&[("big.csv", &csv)]);
    let run = fails(dir.path(), &["audit", "big.csv"]);
    assert!(
        run.stderr
            .contains("big.csv:2: a single record is larger than 8 MiB"),
        "{}",
        run.stderr
    );
}

#[test]
fn directory_without_exports() {
    let dir = temp_with(&[("notes.md", b"# nothing to audit")]);
    let run = fails(dir.path(), &["audit", "."]);
    assert!(run.stderr.contains(".: no exports found"), "{}", run.stderr);
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
    let run = fails(
        &repo(),
        &[
            "audit",
            "fixtures/shapes/salesforce_report.xlsx",
            "--sheet",
            "Leads",
        ],
    );
    assert!(
        run.stderr
            .contains("no sheet \"Leads\"; the sheets are: Contacts report, Raw"),
        "{}",
        run.stderr
    );
}

#[test]
fn password_protected_workbook() {
    let run = fails(&repo(), &["audit", "fixtures/bad/password.xlsx"]);
    assert!(
        run.stderr.contains("fixtures/bad/password.xlsx: cannot read the spreadsheet: the workbook is password-protected"),
        "{}",
        run.stderr
    );
}
