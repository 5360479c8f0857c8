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
    assert!(
        run.stdout.contains("\x1b[2mNOT APPLICABLE"),
        "{}",
        run.stdout
    );
}

#[test]
fn help_lists_exit_codes() {
    let run = run_in(&repo(), &["audit", "--help"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("Exit codes:"), "{}", run.stdout);
    assert!(run.stdout.contains("--fail-on"), "{}", run.stdout);
}

#[test]
fn dictionary_command_prints_the_shipped_file() {
    let run = run_in(&repo(), &["dictionary"]);
    assert_eq!(run.code, 0);
    let shipped = std::fs::read_to_string(repo().join("field-maps/dictionary.toml")).unwrap();
    assert_eq!(run.stdout, shipped);
    // A copy passed back with --dictionary audits exactly like the default.
    let dir = temp_with(&[("mine.toml", run.stdout.as_bytes())]);
    let example = fixture("hubspot/contacts.csv");
    let example = example.to_str().unwrap();
    let default = run_in(dir.path(), &["audit", example, "--format", "json"]);
    let copied = run_in(
        dir.path(),
        &[
            "audit",
            example,
            "--format",
            "json",
            "--dictionary",
            "mine.toml",
        ],
    );
    // The same rules: the same hash and the same report, only the name differs.
    let mut default: serde_json::Value = serde_json::from_str(&default.stdout).unwrap();
    let mut copied: serde_json::Value = serde_json::from_str(&copied.stdout).unwrap();
    assert_eq!(default["dictionary"]["name"], "built-in");
    assert_eq!(copied["dictionary"]["name"], "mine.toml");
    assert_eq!(default["dictionary"]["hash"], copied["dictionary"]["hash"]);
    default["dictionary"]["name"] = serde_json::Value::Null;
    copied["dictionary"]["name"] = serde_json::Value::Null;
    assert_eq!(default, copied);
}

#[test]
fn maps_command_lists_the_shipped_maps() {
    let run = run_in(&repo(), &["maps"]);
    assert_eq!(run.code, 0);
    let listed: Vec<&str> = run
        .stdout
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    let mut shipped: Vec<String> = Vec::new();
    for vendor in ["hubspot", "salesforce", "fivetran", "airbyte"] {
        for entry in std::fs::read_dir(repo().join("field-maps").join(vendor)).unwrap() {
            let name = entry
                .unwrap()
                .file_name()
                .to_string_lossy()
                .trim_end_matches(".toml")
                .to_owned();
            shipped.push(format!("{vendor}/{name}"));
        }
    }
    let mut sorted = listed.clone();
    sorted.sort();
    shipped.sort();
    assert_eq!(sorted, shipped);
    let one = run_in(&repo(), &["maps", "salesforce/lead"]);
    assert_eq!(
        one.stdout,
        std::fs::read_to_string(repo().join("field-maps/salesforce/lead.toml")).unwrap()
    );
    assert_eq!(run_in(&repo(), &["maps", "nope/nothing"]).code, 2);
}
