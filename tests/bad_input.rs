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
        run.stderr.contains("cannot read hubspot/tickets"),
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
