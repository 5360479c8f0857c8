//! Human output: snapshots of the text and Markdown reports of the bundled example.

mod common;

use common::*;

#[test]
fn text_report_of_the_example() {
    let run = run_in(&repo(), &["audit", "fixtures/hubspot/contacts.csv"]);
    assert_eq!(run.code, 1);
    assert!(
        !run.stdout.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn markdown_report_of_the_example() {
    let run = run_in(
        &repo(),
        &[
            "audit",
            "fixtures/hubspot/contacts.csv",
            "--format",
            "markdown",
        ],
    );
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn text_report_notes_what_was_removed() {
    let run = run_in(
        &repo(),
        &[
            "audit",
            "fixtures/salesforce/leads_report.csv",
            "--color",
            "never",
        ],
    );
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let run = run_in(
        &repo(),
        &[
            "audit",
            "fixtures/hubspot/contacts.csv",
            "--color",
            "always",
        ],
    );
    assert!(run.stdout.contains("\x1b[1;31mBLOCKED"), "{}", run.stdout);
    assert!(run.stdout.contains("\x1b[33mAT RISK"), "{}", run.stdout);
}

#[test]
fn help_lists_exit_codes() {
    let run = run_in(&repo(), &["audit", "--help"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("Exit codes:"), "{}", run.stdout);
    assert!(run.stdout.contains("--fail-on"), "{}", run.stdout);
}
