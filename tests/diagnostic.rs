//! Diagnostic evidence: the JSON `diagnostic` section and the `crm-ready evidence` brief, on
//! an export whose gaps are known by construction.

mod common;

use common::*;
use serde_json::Value;

/// X needs job_title on 70%; Y needs industry, which the export does not have.
const DICT: &str = "[use_cases.x]\ntitle = \"X\"\n[[use_cases.x.requires]]\nfield = \"job_title\"\nmin_fill = 0.7\n[use_cases.y]\ntitle = \"Y\"\n[[use_cases.y.requires]]\nfield = \"industry\"\nmin_fill = 0.5\n";

/// 10 contacts: Sam owns 4, all titled; "Import" owns 6, none titled.
fn contacts() -> String {
    let mut csv = String::from("First Name,Email,Job Title,Contact owner\n");
    for i in 0..10 {
        let (title, owner) = if i < 4 {
            ("Engineer", "Sam")
        } else {
            ("", "Import")
        };
        csv.push_str(&format!("F{i},p{i}@acme.com,{title},{owner}\n"));
    }
    csv
}

fn setup() -> tempfile::TempDir {
    temp_with(&[
        ("contacts.csv", contacts().as_bytes()),
        ("d.toml", DICT.as_bytes()),
    ])
}

#[test]
fn findings_are_tagged_with_the_category_they_are_evidence_for() {
    let dir = setup();
    let run = run_in(
        dir.path(),
        &[
            "audit",
            "contacts.csv",
            "--dictionary",
            "d.toml",
            "--by",
            "owner",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let findings = json["diagnostic"]["findings"].as_array().unwrap();
    let of = |category: &str| -> Vec<&Value> {
        findings
            .iter()
            .filter(|f| f["category"] == category)
            .collect()
    };
    // Data quality: 4 of 10 titled, 7 needed: 3 records to fix.
    let quality = of("data_quality");
    assert_eq!(quality.len(), 1);
    assert_eq!(quality[0]["severity"], "high");
    assert_eq!(quality[0]["field"], "job_title");
    assert_eq!(quality[0]["records"], 3);
    assert_eq!(
        quality[0]["evidence"],
        "job_title is 40% populated on 10 records; at least 70% needed by X"
    );
    // Workflow: all 6 untitled records are Import's. Import alone would need
    // ceil(0.7 x 6) = 5, but the requirement needs 3: the finding says 3.
    let workflow = of("workflow_alignment");
    assert_eq!(workflow.len(), 1);
    assert_eq!(workflow[0]["records"], 3);
    assert_eq!(
        workflow[0]["evidence"],
        "100% of the 6 records that fail job_title [fill] have owner = \"Import\" (holds back X)"
    );
    // Goal: Y needs a field no export of these records has.
    let goal = of("goal_misalignment");
    assert_eq!(goal.len(), 1);
    assert_eq!(goal[0]["use_case"], "y");
    // Measurement: no history.
    let measurement = of("measurement_gaps");
    assert_eq!(measurement.len(), 1);
    assert!(
        measurement[0]["evidence"]
            .as_str()
            .unwrap()
            .contains("not kept in a history")
    );
    // The checklist question, word for word: no (a fill gap, and no intent signal).
    let checklist = json["diagnostic"]["checklist"].as_array().unwrap();
    assert_eq!(checklist.len(), 1);
    assert_eq!(
        checklist[0]["question"],
        "Do your AI tools have access to complete CRM records and intent signals?"
    );
    assert_eq!(checklist[0]["answer"], "no");
    assert_eq!(
        json["diagnostic"]["not_answerable"][0]["category"],
        "prompt_strategy"
    );
}

#[test]
fn a_history_with_a_baseline_closes_the_measurement_gap() {
    let dir = setup();
    let args = [
        "audit",
        "contacts.csv",
        "--dictionary",
        "d.toml",
        "--format",
        "json",
        "--history",
        "h.db",
    ];
    let first: Value = serde_json::from_str(&run_in(dir.path(), &args).stdout).unwrap();
    let gaps = |json: &Value| -> Vec<String> {
        json["diagnostic"]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["category"] == "measurement_gaps")
            .map(|f| f["severity"].as_str().unwrap().to_owned())
            .collect()
    };
    // Kept, but no baseline: a low gap.
    assert_eq!(gaps(&first), vec!["low"]);
    assert_eq!(run_in(dir.path(), &["history", "pin", "h.db"]).code, 0);
    let second: Value = serde_json::from_str(&run_in(dir.path(), &args).stdout).unwrap();
    assert!(gaps(&second).is_empty());
}

#[test]
fn the_evidence_brief_walks_from_symptom_to_proof() {
    let dir = setup();
    let run = run_in(
        dir.path(),
        &[
            "evidence",
            "contacts.csv",
            "--dictionary",
            "d.toml",
            "--by",
            "owner",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let brief = &run.stdout;
    assert!(
        brief.starts_with("# AI failure diagnostic: evidence from the CRM\n"),
        "{brief}"
    );
    assert!(
        brief.contains("**Findings by category:** Data quality 1 · Goal misalignment 1 · Measurement gaps 1 · Workflow alignment 1."),
        "{brief}"
    );
    assert!(brief.contains("| Severity | Symptom | Category | Root cause in the data | Fix | How the next run shows it |"));
    assert!(
        brief.contains("| Workflow alignment | 100% of the 6 records that fail job_title \\[fill\\] have owner = \"Import\" (holds back X) |"),
        "{brief}"
    );
    assert!(
        brief.contains(
            "| Goal misalignment | Y: the one field it requires is not in the export (Industry) |"
        ),
        "{brief}"
    );
    assert!(brief.contains("- \u{201c}Do your AI tools have access to complete CRM records and intent signals?\u{201d} **No**"));
    assert!(brief.contains("Prompt strategy: not answerable from CRM data"));
    assert!(brief.contains("## Baseline\n\nThis run is not kept."));
    // The same brief through audit's --format.
    let same = run_in(
        dir.path(),
        &[
            "audit",
            "contacts.csv",
            "--dictionary",
            "d.toml",
            "--by",
            "owner",
            "--format",
            "evidence",
        ],
    );
    assert_eq!(&same.stdout, brief);
}

#[test]
fn a_checklist_of_ones_own_is_answered_and_a_bad_one_refused() {
    let dir = setup();
    std::fs::write(
        dir.path().join("q.toml"),
        "[[question]]\ntext = \"Is the CRM free of duplicate contacts?\"\ncategory = \"data_quality\"\nanswer_by = \"duplicates\"\n[[question]]\ntext = \"Do you have a baseline?\"\ncategory = \"measurement_gaps\"\nanswer_by = \"baseline\"\n",
    )
    .unwrap();
    let run = run_in(
        dir.path(),
        &[
            "audit",
            "contacts.csv",
            "--dictionary",
            "d.toml",
            "--format",
            "json",
            "--checklist",
            "q.toml",
        ],
    );
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let answers: Vec<(&str, &str)> = json["diagnostic"]["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["question"].as_str().unwrap(),
                a["answer"].as_str().unwrap(),
            )
        })
        .collect();
    // The dictionary measures no duplicates: that cannot be told; no history is kept.
    assert_eq!(
        answers,
        vec![
            ("Is the CRM free of duplicate contacts?", "unknown"),
            ("Do you have a baseline?", "no")
        ]
    );
    std::fs::write(
        dir.path().join("bad.toml"),
        "[[question]]\ntext = \"?\"\ncategory = \"x\"\nanswer_by = \"vibes\"\n",
    )
    .unwrap();
    let run = run_in(
        dir.path(),
        &[
            "audit",
            "contacts.csv",
            "--dictionary",
            "d.toml",
            "--checklist",
            "bad.toml",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("bad.toml: not a checklist"),
        "{}",
        run.stderr
    );
}

/// Found by the hostile run: a field broken down by itself ("the blank job titles all have
/// job title = (blank)") was reported as workflow evidence.
#[test]
fn a_field_broken_down_by_itself_is_no_workflow_evidence() {
    let dir = setup();
    let run = run_in(
        dir.path(),
        &[
            "audit",
            "contacts.csv",
            "--dictionary",
            "d.toml",
            "--by",
            "Job Title",
            "--format",
            "json",
        ],
    );
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let findings = json["diagnostic"]["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .all(|f| f["category"] != "workflow_alignment"),
        "{findings:?}"
    );
    let job = &json["files"][0]["use_cases"][0]["requirements"][0];
    assert_eq!(job["field"], "job_title");
    assert_eq!(job["segments"], serde_json::json!([]));
}

/// Found by the hostile run: one concentrated gap held back two use cases and was listed
/// twice, each time with the segment's own need (beyond the requirement's).
#[test]
fn a_concentrated_gap_is_one_finding_naming_every_use_case_it_holds_back() {
    let dict = format!(
        "{DICT}[use_cases.z]\ntitle = \"Z\"\n[[use_cases.z.requires]]\nfield = \"job_title\"\nmin_fill = 0.5\n"
    );
    let dir = temp_with(&[
        ("contacts.csv", contacts().as_bytes()),
        ("d.toml", dict.as_bytes()),
    ]);
    let run = run_in(
        dir.path(),
        &[
            "audit",
            "contacts.csv",
            "--dictionary",
            "d.toml",
            "--by",
            "owner",
            "--format",
            "json",
        ],
    );
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let workflow: Vec<&Value> = json["diagnostic"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["category"] == "workflow_alignment")
        .collect();
    assert_eq!(workflow.len(), 1, "{workflow:?}");
    assert!(
        workflow[0]["evidence"]
            .as_str()
            .unwrap()
            .ends_with("(holds back X, Z)")
    );
    // X needs 3 (7 of 10, 4 filled); Import alone would need 5: the finding says 3.
    assert_eq!(workflow[0]["records"], 3);
}

/// Found by the hostile run: 8,999 of 10,000 first names (89.99%) printed as "90% ...
/// at least 90% needed" on a blocked use case.
#[test]
fn a_share_just_below_its_threshold_is_not_rounded_up_to_it() {
    let mut csv = String::from("First Name,Email\n");
    for i in 0..10_000 {
        let name = if i < 8_999 { "Ann" } else { "" };
        csv.push_str(&format!("{name},p{i}@acme.com\n"));
    }
    let dict = "[use_cases.n]\ntitle = \"N\"\n[[use_cases.n.requires]]\nfield = \"first_name\"\nmin_fill = 0.9\n";
    let dir = temp_with(&[("c.csv", csv.as_bytes()), ("d.toml", dict.as_bytes())]);
    let run = run_in(
        dir.path(),
        &[
            "audit",
            "c.csv",
            "--dictionary",
            "d.toml",
            "--format",
            "json",
        ],
    );
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let evidence = json["diagnostic"]["findings"][0]["evidence"]
        .as_str()
        .unwrap();
    assert_eq!(
        evidence,
        "first_name is 89.99% populated on 10,000 records; at least 90.00% needed by N"
    );
}

/// Found by the hostile run: questions the export could not answer were answered "yes" with
/// no numbers; a checklist with an unknown category, no text or no question was accepted.
#[test]
fn a_question_the_export_cannot_answer_says_so_and_a_bad_checklist_is_refused() {
    let dir = setup();
    std::fs::write(
        dir.path().join("q.toml"),
        "[[question]]\ntext = \"Who owns the gaps?\"\ncategory = \"workflow_alignment\"\nanswer_by = \"ownership\"\n",
    )
    .unwrap();
    let run = run_in(
        dir.path(),
        &[
            "audit",
            "contacts.csv",
            "--dictionary",
            "d.toml",
            "--format",
            "json",
            "--checklist",
            "q.toml",
        ],
    );
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let answer = &json["diagnostic"]["checklist"][0];
    assert_eq!(answer["answer"], "unknown");
    assert!(
        answer["evidence"][0]
            .as_str()
            .unwrap()
            .contains("run with --by owner")
    );
    for (text, says) in [
        ("", "it has no [[question]]"),
        (
            "[[question]]\ntext = \" \"\ncategory = \"data_quality\"\nanswer_by = \"duplicates\"\n",
            "question 1 has no text",
        ),
        (
            "[[question]]\ntext = \"Prompts?\"\ncategory = \"prompt_strategy\"\nanswer_by = \"duplicates\"\n",
            "is not one CRM data answers",
        ),
        (
            "[[question]]\ntext = \"A\"\ncategory = \"data_quality\"\nanswer_by = \"duplicates\"\n[[question]]\ntext = \"A\"\ncategory = \"data_quality\"\nanswer_by = \"freshness\"\n",
            "given twice",
        ),
    ] {
        std::fs::write(dir.path().join("bad.toml"), text).unwrap();
        let run = run_in(
            dir.path(),
            &[
                "audit",
                "contacts.csv",
                "--dictionary",
                "d.toml",
                "--checklist",
                "bad.toml",
            ],
        );
        assert_eq!(run.code, 2, "{text}");
        assert!(run.stderr.contains(says), "{text}: {}", run.stderr);
    }
}

/// Found by the hostile run: the brief named only the files it audited, not those it could
/// not read.
#[test]
fn the_evidence_brief_lists_what_it_could_not_audit() {
    let dir = temp_with(&[
        ("in/contacts.csv", contacts().as_bytes()),
        ("in/broken.xlsx", b"PK\x03\x04 not really a workbook"),
        ("d.toml", DICT.as_bytes()),
    ]);
    let run = run_in(dir.path(), &["evidence", "in", "--dictionary", "d.toml"]);
    assert!(
        run.stdout.contains("## Not audited\n\n- error: "),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("broken.xlsx"), "{}", run.stdout);
}

/// Found by the hostile run: a dominant-share requirement on a text column the export has
/// said "export again with" that column, and the diagnostic called it a goal misalignment.
#[test]
fn a_column_that_is_there_but_not_counted_is_no_export_gap() {
    let csv = "First Name,Email,Notes X\nA,a@x.com,same\nB,b@x.com,same\nC,c@x.com,other\n";
    let dict = "[use_cases.x]\ntitle = \"X\"\n[[use_cases.x.requires]]\ncolumn = \"Notes X\"\nmax_dominant_share = 0.5\n";
    let dir = temp_with(&[("c.csv", csv.as_bytes()), ("d.toml", dict.as_bytes())]);
    let run = run_in(
        dir.path(),
        &[
            "audit",
            "c.csv",
            "--dictionary",
            "d.toml",
            "--format",
            "json",
        ],
    );
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let uc = &json["files"][0]["use_cases"][0];
    assert_eq!(uc["verdict"], "unknown");
    assert_eq!(uc["to_ready"]["re_export"], serde_json::json!([]));
    assert_eq!(uc["requirements"][0]["column"], "Notes X");
    assert!(
        uc["note"]
            .as_str()
            .unwrap()
            .contains("give it type = \"picklist\""),
        "{uc}"
    );
    let findings = json["diagnostic"]["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .all(|f| f["category"] != "goal_misalignment"),
        "{findings:?}"
    );
    assert!(
        findings[0]["evidence"]
            .as_str()
            .unwrap()
            .starts_with("Notes X cannot be measured")
    );
}
