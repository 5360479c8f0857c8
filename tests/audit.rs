//! End-to-end audits of the bundled fixtures: counts worked out by construction (see
//! fixtures/README.md), verdicts, the fix-first list and exit codes.

mod common;

use common::*;

#[test]
fn hubspot_contacts_fixture_counts_match_construction() {
    let dir = repo();
    let (run, report) = audit_json(&dir, "fixtures/hubspot/contacts.csv", &[]);
    assert_eq!(run.code, 1, "use cases are blocked");
    assert_eq!(report.schema_version, 3);
    assert_eq!(report.rows, 20);

    let input = &report.inputs[0];
    assert_eq!(input.map.as_deref(), Some("hubspot/contacts"));
    assert_eq!(input.kind.as_deref(), Some("contact"));
    assert_eq!(input.map_columns_matched, 16);
    assert!((input.map_score - 16.0 / 17.0).abs() < 1e-12);
    assert!(!input.map_forced);
    assert_eq!(input.map_chosen_by.as_deref(), Some("header"));
    assert_eq!(
        (input.encoding.as_deref(), input.delimiter.as_deref()),
        (Some("UTF-8"), Some("comma"))
    );
    assert_eq!(input.sheet, None);
    assert_eq!((input.columns, input.rows, input.ragged_rows), (17, 20, 0));
    assert!(input.removed.is_empty());

    // (rows, filled, blank, placeholder), as built in fixtures/README.md.
    type Counts = (u64, u64, u64, u64);
    let expected: &[(&str, Option<&str>, Counts)] = &[
        ("Record ID", Some("record_id"), (20, 20, 0, 0)),
        ("First Name", Some("first_name"), (20, 19, 1, 0)),
        ("Last Name", Some("last_name"), (20, 20, 0, 0)),
        ("Email", Some("email"), (20, 19, 0, 1)),
        ("Phone Number", Some("phone"), (20, 12, 5, 3)),
        ("Company Name", Some("company_name"), (20, 17, 2, 1)),
        ("Job Title", Some("job_title"), (20, 13, 5, 2)),
        ("Industry", Some("industry"), (20, 12, 3, 5)),
        ("Lifecycle Stage", Some("lifecycle_stage"), (20, 20, 0, 0)),
        ("Lead Status", Some("lead_status"), (20, 15, 5, 0)),
        (
            "Number of Employees",
            Some("employee_count"),
            (20, 10, 10, 0),
        ),
        ("Country/Region", Some("country"), (20, 17, 3, 0)),
        ("Create Date", Some("created_at"), (20, 20, 0, 0)),
        (
            "Last Activity Date",
            Some("last_activity_at"),
            (20, 14, 6, 0),
        ),
        ("Contact owner", Some("owner"), (20, 20, 0, 0)),
        ("Original Source", Some("lead_source"), (20, 18, 2, 0)),
        ("Favorite Color", None, (20, 7, 13, 0)),
    ];
    let columns: Vec<&str> = report.fields.iter().map(|f| f.column.as_str()).collect();
    let expected_columns: Vec<&str> = expected.iter().map(|e| e.0).collect();
    assert_eq!(
        columns, expected_columns,
        "fields keep the file's column order"
    );
    for (column, canonical, counts) in expected {
        assert_eq!(
            report.field(column).canonical.as_deref(),
            *canonical,
            "{column}"
        );
        assert_eq!(report.counts(column), *counts, "{column}");
        assert_eq!(
            report.field(column).fill_rate,
            counts.1 as f64 / 20.0,
            "{column}"
        );
    }
}

#[test]
fn hubspot_contacts_fixture_verdicts_and_fix_first() {
    let (_, report) = audit_json(&repo(), "fixtures/hubspot/contacts.csv", &[]);
    // 20 records: no use case of the default dictionary can be ready on so few.
    for (id, needed) in [
        ("lead_scoring", 1000),
        ("email_personalization", 100),
        ("next_best_action", 500),
        ("hubspot_priority_tiers", 100),
    ] {
        assert_eq!(report.verdict(id), "blocked", "{id}");
        let count = report.measure(id, "records", "count");
        assert_eq!(count.observed, Some(20.0), "{id}");
        assert_eq!(count.records_needed, needed - 20, "{id}");
        assert_eq!(count.status, "failed");
    }
    for id in [
        "churn_prediction",
        "icp_abm_targeting",
        "opportunity_scoring",
        "einstein_lead_scoring",
        "einstein_opportunity_scoring",
        "einstein_forecasting",
        "dynamics_lead_scoring",
    ] {
        assert_eq!(report.verdict(id), "not_applicable", "{id}");
        assert!(report.use_case(id).requirements.is_empty());
    }
    assert!(
        report
            .use_case("einstein_lead_scoring")
            .note
            .as_deref()
            .unwrap()
            .contains("a salesforce feature")
    );
    let ids: Vec<&str> = report.use_cases.iter().map(|u| u.id.as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "use cases are sorted by id");

    let job = report.requirement("lead_scoring", "job_title");
    assert!(!job.met);
    assert_eq!(job.observed, Some(0.65));
    assert_eq!(job.threshold, 0.70);
    assert_eq!(job.column.as_deref(), Some("Job Title"));
    assert_eq!(job.reason, "65% populated, needs 70%: fill 1 more record");

    // The fixture has no consent column: reach is unknown, and says so.
    let reach = report.measure("email_personalization", "email", "reachable");
    assert!(
        reach.reason.starts_with("consent unknown"),
        "{}",
        reach.reason
    );
    // Lead Status values are all HubSpot's standard ones: 15 filled, 15 valid.
    let status = report.measure("next_best_action", "lead_status", "valid");
    assert_eq!(status.passing, 15);
    assert_eq!(status.records_needed, 1); // 80% of 20 = 16
    // Every fix-first action names what to do.
    assert!(
        report
            .fix_first
            .iter()
            .all(|f| f.fields.iter().all(|x| !x.action.is_empty()))
    );
    // Lead scoring also needs an intent signal (page views, form fills, email engagement...)
    // that the example does not export: no fill alone makes it ready, so the job_title action
    // is needed by it but does not unblock it, and the use case asks for a re-export.
    let job = report
        .fix_first
        .iter()
        .find(|f| f.fields.iter().any(|x| x.field == "job_title"))
        .expect("an action fills job_title");
    // job_title: 14 needed (70% of 20), 13 filled.
    let parts: Vec<(&str, &str, u64)> = job
        .fields
        .iter()
        .map(|f| (f.field.as_str(), f.measure.as_str(), f.records_needed))
        .collect();
    assert_eq!(parts, vec![("job_title", "fill", 1)]);
    assert_eq!(job.affects, vec!["lead_scoring".to_owned()]);
    assert!(job.unblocks.is_empty());
    let re_export = &report.use_case("lead_scoring").to_ready.re_export;
    assert_eq!(re_export.len(), 1);
    assert!(
        re_export[0].starts_with("one of Number of Pageviews, Number of Sessions, "),
        "{re_export:?}"
    );
}

const DICT_HEAD: &str = "[settings]\nat_risk_margin = 0.05\n\n";

fn dictionary_run(requirements: &str, extra: &[&str]) -> (Run, Report) {
    let dict = format!("{DICT_HEAD}[use_cases.probe]\ntitle = \"Probe\"\n{requirements}");
    let dir = temp_with(&[("dict.toml", dict.as_bytes())]);
    let fixture = fixture("hubspot/contacts.csv");
    let mut args = vec!["--dictionary", "dict.toml"];
    args.extend_from_slice(extra);
    audit_json(dir.path(), fixture.to_str().unwrap(), &args)
}

#[test]
fn ready_use_case_exits_zero() {
    let (run, report) = dictionary_run(
        "[[use_cases.probe.requires]]\nfield = \"email\"\nmin_fill = 0.5\n[[use_cases.probe.requires]]\nfield = \"owner\"\nmin_fill = 0.9\n",
        &[],
    );
    assert_eq!(report.verdict("probe"), "ready");
    assert!(report.fix_first.is_empty());
    assert_eq!(run.code, 0);
}

#[test]
fn at_risk_exits_zero_unless_fail_on_at_risk() {
    // Phone is 12/20 = 60%: meets 58% (12 records), but 58% + 5 points would need 13.
    let req = "[[use_cases.probe.requires]]\nfield = \"phone\"\nmin_fill = 0.58\n";
    let (run, report) = dictionary_run(req, &[]);
    assert_eq!(report.verdict("probe"), "at_risk");
    assert_eq!(run.code, 0);
    let (run, _) = dictionary_run(req, &["--fail-on", "at-risk"]);
    assert_eq!(run.code, 1);
}

#[test]
fn blocked_exits_one_with_records_needed() {
    let (run, report) = dictionary_run(
        "[[use_cases.probe.requires]]\nfield = \"phone\"\nmin_fill = 0.7\n",
        &[],
    );
    assert_eq!(report.verdict("probe"), "blocked");
    assert_eq!(run.code, 1);
    let fix = &report.fix_first[0];
    assert_eq!(
        (
            fix.field.as_str(),
            fix.fields[0].passing,
            fix.records_needed
        ),
        ("phone", 12, 2)
    );
    assert_eq!(fix.unblocks, vec!["probe"]);
}

#[test]
fn column_requirements_use_the_raw_column_and_are_unknown_when_absent() {
    let (_, report) = dictionary_run(
        "[[use_cases.probe.requires]]\ncolumn = \"favorite color\"\nmin_fill = 0.3\n[[use_cases.probe.requires]]\ncolumn = \"Persona__c\"\nmin_fill = 0.5\n",
        &[],
    );
    let reqs = &report.use_case("probe").requirements;
    assert_eq!(reqs[0].column.as_deref(), Some("Favorite Color"));
    assert_eq!(reqs[0].observed, Some(0.35));
    assert!(reqs[0].met);
    assert_eq!(reqs[1].observed, None);
    assert_eq!(reqs[1].status, "unknown");
    // An export gap, not a data gap: export again with the column, nothing to fill.
    assert_eq!(report.verdict("probe"), "unknown");
    assert!(report.fix_first.is_empty());
    assert_eq!(report.re_export[0].label, "Persona__c");
    assert_eq!(report.re_export[0].use_cases, vec!["probe"]);
}

#[test]
fn dictionary_placeholders_count_only_for_their_field() {
    // "Other" is an industry placeholder in the default dictionary (3 of them in the fixture);
    // without that rule the same cells count as filled.
    let (_, report) = dictionary_run(
        "[[use_cases.probe.requires]]\nfield = \"industry\"\nmin_fill = 0.1\n",
        &[],
    );
    assert_eq!(report.counts("Industry"), (20, 15, 3, 2));
}

#[test]
fn forced_field_map_is_reported_as_forced() {
    let (_, report) = audit_json(
        &repo(),
        "fixtures/hubspot/contacts.csv",
        &["--field-map", "salesforce/lead"],
    );
    let input = &report.inputs[0];
    assert_eq!(input.map.as_deref(), Some("salesforce/lead"));
    assert!(input.map_forced);
    assert_eq!(input.map_chosen_by.as_deref(), Some("option"));
    // Salesforce lead labels found in this HubSpot header: First Name, Last Name, Email,
    // Industry, Lead Status, Create Date, Last Activity Date.
    assert_eq!(input.map_columns_matched, 7);
    assert_eq!(report.field("Job Title").canonical, None);
}

#[test]
fn same_input_gives_same_bytes_whatever_the_thread_count() {
    let dir = repo();
    let one = run_in(
        &dir,
        &[
            "audit",
            "fixtures/hubspot/contacts.csv",
            "--format",
            "json",
            "-j",
            "1",
        ],
    );
    let two = run_in(
        &dir,
        &[
            "audit",
            "fixtures/hubspot/contacts.csv",
            "--format",
            "json",
            "-j",
            "2",
        ],
    );
    let again = run_in(
        &dir,
        &[
            "audit",
            "fixtures/hubspot/contacts.csv",
            "--format",
            "json",
            "-j",
            "2",
        ],
    );
    assert_eq!(one.stdout, two.stdout);
    assert_eq!(two.stdout, again.stdout);
}

#[test]
fn output_file_holds_the_report_and_stdout_stays_empty() {
    let dir = temp_with(&[]);
    let fixture = fixture("hubspot/contacts.csv");
    let run = run_in(
        dir.path(),
        &[
            "audit",
            fixture.to_str().unwrap(),
            "--format",
            "json",
            "-o",
            "report.json",
        ],
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    let text = std::fs::read_to_string(dir.path().join("report.json")).unwrap();
    let report: Report = serde_json::from_str::<Json>(&text).unwrap().into();
    assert_eq!(report.rows, 20);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "no temporary file is left behind: {leftovers:?}"
    );
}
