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
    // Workflow: all 6 untitled records are Import's; Import alone needs ceil(0.7 x 6) = 5.
    let workflow = of("workflow_alignment");
    assert_eq!(workflow.len(), 1);
    assert_eq!(workflow[0]["records"], 5);
    assert_eq!(
        workflow[0]["evidence"],
        "100% of the 6 records that fail job_title [fill] have owner = \"Import\""
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
        brief.contains("| Workflow alignment | 100% of the 6 records that fail job_title [fill] have owner = \"Import\" |"),
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
    // No duplicate requirement fails; no history is kept.
    assert_eq!(
        answers,
        vec![
            ("Is the CRM free of duplicate contacts?", "yes"),
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
