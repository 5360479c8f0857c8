//! Verdicts a CRM admin would agree with (issue 8): export gaps are `unknown` with the columns
//! to export again, fix-first is ranked by impact, each use case says how far it is from
//! ready, and the JSON has one shape with when, by which rules and on which bytes.

mod common;

use std::io::Read as _;
use std::process::{Command, Stdio};

use common::*;

/// A HubSpot deals view of four columns, all filled: no requirement fails, but the export
/// lacks the owner and the source that opportunity scoring needs.
const DEALS_VIEW: &[u8] = b"Deal Name,Deal Stage,Amount,Close Date\n\
Acme renewal,closedwon,1200,2026-12-01\n\
Beta upsell,appointmentscheduled,800,2026-12-15\n";

#[test]
fn a_view_lacking_columns_is_unknown_with_re_export_actions() {
    let dir = temp_with(&[("deals.csv", DEALS_VIEW)]);
    let fill_only = fixture("dictionaries/fill_only.toml");
    let (run, report) = audit_json(
        dir.path(),
        "deals.csv",
        &["--dictionary", fill_only.to_str().unwrap()],
    );
    assert_eq!(report.inputs[0].map.as_deref(), Some("hubspot/deals"));
    let scoring = report.use_case("opportunity_scoring");
    assert_eq!(scoring.verdict, "unknown");
    assert_eq!(
        scoring.note.as_deref(),
        Some("cannot judge: the export lacks Deal owner, Original Source Type")
    );
    assert_eq!(
        scoring.to_ready.re_export,
        vec!["Deal owner", "Original Source Type"]
    );
    assert_eq!(
        scoring.to_ready.records, 0,
        "nothing to fill: every column is full"
    );
    let labels: Vec<(&str, &str)> = report
        .re_export
        .iter()
        .map(|r| (r.field.as_str(), r.label.as_str()))
        .collect();
    assert_eq!(
        labels,
        vec![
            ("lead_source", "Original Source Type"),
            ("owner", "Deal owner")
        ]
    );
    assert!(
        report.fix_first.is_empty(),
        "an export gap is not a fill action"
    );
    assert_eq!(report.summary.verdicts.unknown, 1);
    assert_eq!(run.code, 1, "unknown fails the run like blocked");
    let (run, _) = audit_json(
        dir.path(),
        "deals.csv",
        &[
            "--allow-partial",
            "--dictionary",
            fill_only.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0);
    let text = run_in(dir.path(), &["audit", "deals.csv", "--quiet"]);
    assert!(text.stdout.contains("EXPORT AGAIN WITH"), "{}", text.stdout);
    assert!(
        text.stdout.contains("\"Deal owner\" (owner)"),
        "{}",
        text.stdout
    );
}

/// A dictionary over fixtures/hubspot/contacts.csv (20 records; Phone 12 filled, Number of
/// Employees 10, counted when the fixture was built).
const IMPACT: &str = "[settings]\nat_risk_margin = 0.0\n\
[use_cases.a]\ntitle = \"A\"\n[[use_cases.a.requires]]\nfield = \"phone\"\nmin_fill = 0.85\n\
[use_cases.b]\ntitle = \"B\"\n[[use_cases.b.requires]]\nfield = \"employee_count\"\nmin_fill = 0.9\n\
[use_cases.c]\ntitle = \"C\"\n[[use_cases.c.requires]]\nfield = \"employee_count\"\nmin_fill = 0.9\n";

#[test]
fn fix_first_is_ranked_by_use_cases_per_record_not_by_records() {
    // phone: 17 needed, 12 filled: 5 records unblock one use case (200 per 1,000 records).
    // employee_count: 18 needed, 10 filled: 8 records unblock two (250 per 1,000).
    let dir = temp_with(&[("impact.toml", IMPACT.as_bytes())]);
    let contacts = fixture("hubspot/contacts.csv");
    let (_, report) = audit_json(
        dir.path(),
        contacts.to_str().unwrap(),
        &["--dictionary", "impact.toml"],
    );
    let order: Vec<(&str, u64, usize)> = report
        .fix_first
        .iter()
        .map(|f| (f.field.as_str(), f.records_needed, f.unblocks.len()))
        .collect();
    assert_eq!(order, vec![("employee_count", 8, 2), ("phone", 5, 1)]);
    assert_eq!(report.fix_first[0].impact, 250.0);
    assert_eq!(report.fix_first[1].impact, 200.0);
}

#[test]
fn each_use_case_says_how_far_it_is_from_ready() {
    // fixtures/hubspot/contacts.csv with the built-in dictionary (margin 5 points, 20 rows):
    // ready needs threshold + 5 points. Lead scoring: job_title 13 of 15, industry 12 of 13,
    // employee_count 10 of 11: 2 + 1 + 1. Next best action: lead_status 15 of 17,
    // last_activity_at 14 of 17: 2 + 3. Email personalization: email 19 of 20, industry 12 of
    // 13: 1 + 1.
    let fill_only = ["--dictionary", "fixtures/dictionaries/fill_only.toml"];
    let (_, report) = audit_json(&repo(), "fixtures/hubspot/contacts.csv", &fill_only);
    for (id, fill, records) in [
        (
            "lead_scoring",
            vec!["job_title", "industry", "employee_count"],
            4,
        ),
        (
            "next_best_action",
            vec!["lead_status", "last_activity_at"],
            5,
        ),
        ("email_personalization", vec!["email", "industry"], 2),
    ] {
        let to_ready = &report.use_case(id).to_ready;
        assert_eq!(to_ready.fill, fill, "{id}");
        assert_eq!(to_ready.records, records, "{id}");
        assert!(to_ready.re_export.is_empty(), "{id}");
    }
    // The text report puts the closest first: 2 records, then 4, then 5.
    let text = run_in(
        &repo(),
        &[
            "audit",
            "fixtures/hubspot/contacts.csv",
            "--quiet",
            "--dictionary",
            "fixtures/dictionaries/fill_only.toml",
        ],
    );
    let at = |title: &str| text.stdout.find(title).unwrap();
    assert!(at("AI email personalization") < at("Predictive lead scoring"));
    assert!(at("Predictive lead scoring") < at("Next-best-action recommendations"));
    assert!(at("Next-best-action recommendations") < at("Churn prediction"));
}

#[test]
fn the_report_says_when_by_which_rules_and_on_which_bytes() {
    let (_, report) = audit_json(&repo(), "fixtures/hubspot/contacts.csv", &[]);
    assert_eq!(report.schema_version, 3);
    assert_eq!(report.generated_at, "2026-11-28T08:13:23Z"); // SOURCE_DATE_EPOCH of the tests
    assert_eq!(report.as_of, "2026-11-28");
    assert_eq!(report.dictionary.name, "built-in");
    let dictionary = std::fs::read(repo().join("field-maps/dictionary.toml")).unwrap();
    assert_eq!(
        report.dictionary.hash,
        format!("xxh3:{:016x}", xxhash_rust::xxh3::xxh3_64(&dictionary))
    );
    let bytes = std::fs::read(fixture("hubspot/contacts.csv")).unwrap();
    let input = &report.inputs[0];
    assert_eq!(input.size, bytes.len() as u64);
    assert_eq!(
        input.content_hash,
        format!("xxh3:{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes))
    );
    let (_, report) = audit_json(
        &repo(),
        "fixtures/hubspot/contacts.csv",
        &["--as-of", "2026-06-30"],
    );
    assert_eq!(report.as_of, "2026-06-30");
    let run = run_in(
        &repo(),
        &[
            "audit",
            "fixtures/hubspot/contacts.csv",
            "--as-of",
            "2026-02-30",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("YYYY-MM-DD"), "{}", run.stderr);
}

#[test]
fn every_key_is_present_for_one_file_and_many() {
    for path in [
        "fixtures/hubspot/contacts.csv",
        "fixtures/shapes/weekly_export.zip",
    ] {
        let run = run_in(&repo(), &["audit", path, "--format", "json"]);
        let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        for key in [
            "schema_version",
            "tool_version",
            "generated_at",
            "as_of",
            "dictionary",
            "files",
            "summary",
            "skipped",
            "errors",
        ] {
            assert!(json.get(key).is_some(), "{path}: {key}");
        }
        let use_case = &json["summary"]["use_cases"][0];
        for key in ["note", "file", "requirements", "to_ready"] {
            assert!(use_case.get(key).is_some(), "{path}: use case {key}");
        }
    }
}

#[test]
fn the_field_table_lists_what_the_use_cases_need_unless_asked() {
    // 17 columns; 12 are used by a requirement of an applicable use case or hold placeholders.
    let listed = |extra: &[&str]| {
        let mut args = vec!["audit", "fixtures/hubspot/contacts.csv", "--quiet"];
        args.extend_from_slice(extra);
        let run = run_in(&repo(), &args);
        run.stdout
            .lines()
            .skip_while(|l| !l.starts_with("FIELDS"))
            .skip(2)
            .take_while(|l| !l.is_empty())
            .count()
    };
    assert_eq!(listed(&[]), 12);
    assert_eq!(listed(&["--fields", "all"]), 17);
    let none = run_in(
        &repo(),
        &[
            "audit",
            "fixtures/hubspot/contacts.csv",
            "--quiet",
            "--fields",
            "none",
        ],
    );
    assert!(!none.stdout.contains("FIELDS"));
}

#[test]
fn dictionary_errors_are_reported_at_once_with_their_places() {
    let text = "[fields.industy]\nmissing_values = [\"x\"]\n\n[use_cases.a]\ntitle = \"A\"\n[[use_cases.a.requires]]\nfield = \"emial\"\nmin_fill = 1.5\n";
    let dir = temp_with(&[
        ("d.toml", text.as_bytes()),
        ("c.csv", b"Email,First Name\na@x.test,Ana\n"),
    ]);
    let run = run_in(dir.path(), &["audit", "c.csv", "--dictionary", "d.toml"]);
    assert_eq!(run.code, 2);
    for expected in [
        "d.toml:1:9: unknown field `industy`",
        "did you mean `industry`?",
        "d.toml:7:9: unknown field `emial`",
        "did you mean `email`?",
        "d.toml:8:12: min_fill 1.5 is outside 0..1",
    ] {
        assert!(
            run.stderr.contains(expected),
            "{expected:?} in:\n{}",
            run.stderr
        );
    }
    assert!(
        !run.stderr.contains("field-maps/"),
        "hints name commands, not repository paths"
    );
}

#[test]
fn an_error_cause_is_not_said_twice() {
    let run = run_in(&repo(), &["audit", "no-such-export.csv"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.matches("No such file or directory").count(),
        1,
        "{}",
        run.stderr
    );
}

#[test]
fn a_broken_pipe_keeps_the_exit_code_of_the_verdicts() {
    // A report far larger than a pipe holds, read one line and dropped (`| head -1`).
    let names: Vec<String> = (0..3000).map(|i| format!("Custom {i}")).collect();
    let text = format!(
        "Email,First Name,{}\na@x.test,Ana,{}\n",
        names.join(","),
        vec!["x"; 3000].join(",")
    );
    let dir = temp_with(&[("wide.csv", text.as_bytes())]);
    let mut child = Command::new(BIN)
        .args(["audit", "wide.csv", "--format", "json", "--quiet"])
        .current_dir(dir.path())
        .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // Dropping stdout closed the pipe.
    let out = child.wait_with_output().unwrap();
    // Email personalization and the others lack columns: unknown, exit 1 as without a pipe.
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_hubspot_joined_export_takes_company_fields_record_by_record() {
    // fixtures/hubspot/contacts_with_company.csv, 10 contacts: the contact's Industry is
    // filled on records 1-3, the company's on 2-7: 7 records have one or the other. Number of
    // Employees stands only in the company's columns (records 1, 3, 5, 7).
    let (_, report) = audit_json(&repo(), "fixtures/hubspot/contacts_with_company.csv", &[]);
    let industry = report.requirement("email_personalization", "industry");
    assert_eq!(industry.observed, Some(0.7));
    assert_eq!(
        industry.column.as_deref(),
        Some("Industry or Industry (Company)")
    );
    assert_eq!(industry.status, "met");
    let combined = report
        .fields
        .iter()
        .find(|f| f.column == "Industry or Industry (Company)")
        .unwrap();
    let parts: Vec<(&str, u64)> = combined
        .combines
        .iter()
        .map(|p| (p.column.as_str(), p.filled))
        .collect();
    assert_eq!(parts, vec![("Industry", 3), ("Industry (Company)", 6)]);
    let employees = report.requirement("lead_scoring", "employee_count");
    assert_eq!(employees.observed, Some(0.4));
    assert_eq!(employees.status, "failed");
}

#[test]
fn any_of_is_met_record_by_record() {
    // fixtures/hubspot/contacts.csv: Phone Number filled on 12 of 20 records, Last Activity
    // Date on 14; only record 1001 has neither (read off the fixture with the built-in
    // placeholders): 19 records, not 12 + 14 and not 14. 90% needs 18.
    let dictionary = "[settings]\nat_risk_margin = 0.0\n[use_cases.reach]\ntitle = \"Reach\"\n[[use_cases.reach.requires]]\nany_of = [\"phone\", \"last_activity_at\"]\nmin_fill = 0.9\n";
    let dir = temp_with(&[("any.toml", dictionary.as_bytes())]);
    let contacts = fixture("hubspot/contacts.csv");
    let (_, report) = audit_json(
        dir.path(),
        contacts.to_str().unwrap(),
        &["--dictionary", "any.toml"],
    );
    let req = &report.use_case("reach").requirements[0];
    assert_eq!(req.field, "phone or last_activity_at");
    assert_eq!(req.passing, 19);
    assert_eq!(report.verdict("reach"), "ready");
}

#[test]
fn a_column_requirement_with_a_typo_names_the_column_the_export_has() {
    let dictionary = "[use_cases.persona]\ntitle = \"Persona\"\n[[use_cases.persona.requires]]\ncolumn = \"Persona_c\"\nmin_fill = 0.5\n";
    let dir = temp_with(&[
        ("d.toml", dictionary.as_bytes()),
        (
            "c.csv",
            b"Email,First Name,Persona__c\na@x.test,Ana,Buyer\n",
        ),
    ]);
    let (_, report) = audit_json(dir.path(), "c.csv", &["--dictionary", "d.toml"]);
    let req = &report.use_case("persona").requirements[0];
    assert_eq!(req.status, "unknown");
    assert!(
        req.reason
            .ends_with("(did you mean the \"Persona__c\" column?)"),
        "{}",
        req.reason
    );
}

#[test]
fn salesforce_contacts_take_company_fields_from_their_accounts_in_the_same_run() {
    // fixtures/salesforce/data_export: 5 accounts (Industry filled on the first two; the
    // fifth holds `Other`, an industry placeholder) and 10 contacts: contacts 1 and 2 point to
    // account 1 (one by its 15-character id), 3 to account 2, 4 and 10 to account 3, 5 to 4,
    // 6 to 5; 7 and 8 have no AccountId, 9 names an account not in the export. So industry
    // reaches contacts 1-3 (30%), employee count (accounts 1, 3, 5) contacts 1, 2, 4, 6, 10
    // (50%), the account name every matched contact (70%).
    let (_, report) = audit_json(&repo(), "fixtures/salesforce/data_export", &[]);
    let contact = report
        .files
        .iter()
        .find(|f| f.input.path.ends_with("Contact.csv"))
        .unwrap();
    let observed = |field: &str| {
        contact
            .use_cases
            .iter()
            .flat_map(|u| &u.requirements)
            .find(|r| r.field == field)
            .and_then(|r| r.observed)
    };
    assert_eq!(observed("industry"), Some(0.3));
    assert_eq!(observed("employee_count"), Some(0.5));
    assert_eq!(observed("company_name"), Some(0.7));
    let link = contact
        .input
        .account_link
        .as_ref()
        .expect("linked to accounts");
    assert_eq!(link.column, "AccountId");
    assert_eq!((link.blank, link.unmatched), (2, 1));
    assert!(link.accounts.ends_with("Account.csv"));
    let account = report
        .files
        .iter()
        .find(|f| f.input.path.ends_with("Account.csv"))
        .unwrap();
    assert!(account.input.account_link.is_none());
}

#[test]
fn a_salesforce_contacts_file_alone_points_to_the_account_for_company_fields() {
    let contacts = std::fs::read(fixture("salesforce/data_export/Contact.csv")).unwrap();
    let dir = temp_with(&[("Contact.csv", &contacts)]);
    let (_, report) = audit_json(dir.path(), "Contact.csv", &[]);
    let industry = report.requirement("email_personalization", "industry");
    assert_eq!(industry.status, "unknown");
    assert!(
        industry.reason.contains("lives on the Account"),
        "{}",
        industry.reason
    );
}
