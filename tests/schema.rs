//! The published JSON Schemas (`schema/`): generated from the model, so they cannot drift
//! from it, and every fixture's JSON report, the history's JSON and the multi-file reports
//! validate against them.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

const SCHEMAS: [(&str, &str); 3] = [
    ("report", "report.schema.json"),
    ("history-list", "history-list.schema.json"),
    ("history-show", "history-show.schema.json"),
];

fn published(file: &str) -> Value {
    let text = std::fs::read_to_string(repo().join("schema").join(file)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn assert_valid(schema: &Value, instance: &Value, what: &str) {
    let validator = jsonschema::validator_for(schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(5)
        .collect();
    assert!(errors.is_empty(), "{what}: {}", errors.join("\n"));
}

/// `crm-ready schema X` prints exactly the file in `schema/`. After a change to the model:
/// `CRM_READY_UPDATE_SCHEMA=1 cargo test --test schema` rewrites them (review the diff, and
/// bump `schema_version` if a key was removed or changed meaning).
#[test]
fn the_published_schemas_are_those_of_the_model() {
    let dir = temp_with(&[]);
    for (arg, file) in SCHEMAS {
        let run = run_in(dir.path(), &["schema", arg]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let path = repo().join("schema").join(file);
        if std::env::var_os("CRM_READY_UPDATE_SCHEMA").is_some() {
            std::fs::write(&path, &run.stdout).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == run.stdout,
            "schema/{file} is not the model's schema: run CRM_READY_UPDATE_SCHEMA=1 cargo test --test schema"
        );
        let schema: Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
    }
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_under(&path, out);
        } else if !path
            .extension()
            .is_some_and(|e| e == "md" || e == "py" || e == "toml")
        {
            out.push(path);
        }
    }
}

#[test]
fn every_fixtures_json_report_validates() {
    let schema = published("report.schema.json");
    let mut files = Vec::new();
    files_under(&repo().join("fixtures"), &mut files);
    let dir = temp_with(&[]);
    let mut reports = 0;
    for file in &files {
        let run = run_in(
            dir.path(),
            &[
                "audit",
                file.to_str().unwrap(),
                "--format",
                "json",
                "--by",
                "owner",
            ],
        );
        // An unreadable fixture (fixtures/bad) exits 2 with no report: nothing to validate.
        if run.code == 2 {
            continue;
        }
        let json: Value =
            serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert_valid(&schema, &json, &file.display().to_string());
        reports += 1;
    }
    // A whole folder and an archive-like export: many files in one report.
    for folder in ["fixtures/salesforce/data_export", "fixtures/shapes"] {
        let run = run_in(
            dir.path(),
            &[
                "audit",
                repo().join(folder).to_str().unwrap(),
                "--format",
                "json",
                "--show-values",
            ],
        );
        let json: Value = serde_json::from_str(&run.stdout).unwrap();
        assert_valid(&schema, &json, folder);
        reports += 1;
    }
    assert!(reports >= 30, "only {reports} reports validated");

    // The schema holds the report to its shape: a wrong type or a missing key is caught.
    let run = run_in(
        dir.path(),
        &[
            "audit",
            fixture("hubspot/contacts.csv").to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    let good: Value = serde_json::from_str(&run.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut wrong = good.clone();
    wrong["summary"]["rows"] = Value::from("twenty");
    assert!(!validator.is_valid(&wrong));
    let mut missing = good.clone();
    missing["files"][0]
        .as_object_mut()
        .unwrap()
        .remove("use_cases");
    assert!(!validator.is_valid(&missing));
    let mut verdict = good;
    verdict["summary"]["use_cases"][0]["verdict"] = Value::from("fine");
    assert!(!validator.is_valid(&verdict));
}

#[test]
fn the_history_json_validates() {
    let dir = temp_with(&[]);
    std::fs::copy(
        fixture("hubspot/contacts.csv"),
        dir.path().join("contacts.csv"),
    )
    .unwrap();
    for _ in 0..2 {
        let run = run_in(
            dir.path(),
            &[
                "audit",
                "contacts.csv",
                "--history",
                "h.db",
                "--format",
                "json",
                "--worklist",
                "w.csv",
            ],
        );
        let json: Value = serde_json::from_str(&run.stdout).unwrap();
        assert!(json["history"]["previous"].is_object() || json["history"]["run_id"] == 1);
        assert_valid(&published("report.schema.json"), &json, "audit --history");
    }
    let list = run_in(dir.path(), &["history", "list", "h.db", "--format", "json"]);
    let json: Value = serde_json::from_str(&list.stdout).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 2);
    assert_valid(
        &published("history-list.schema.json"),
        &json,
        "history list",
    );
    let show = run_in(dir.path(), &["history", "show", "h.db", "--format", "json"]);
    let json: Value = serde_json::from_str(&show.stdout).unwrap();
    assert!(!json.as_array().unwrap().is_empty());
    assert_valid(
        &published("history-show.schema.json"),
        &json,
        "history show",
    );
}
