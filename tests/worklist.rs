//! `--worklist`: the records to fix, one row each, sorted by segment then file order; on an
//! export whose failing records are known by construction.

mod common;

use common::*;

const DICT: &str = "[use_cases.x]\ntitle = \"X\"\n[[use_cases.x.requires]]\nfield = \"job_title\"\nmin_fill = 0.7\n";

/// 30 contacts, ids 1000..1029: owner A on the first 15 (3 with a job title), B on the next
/// 10 (9 titled), C on the last 5 (all titled). Owners interleave in the file: A, B, C, A...
/// is not used, so that file order and segment order differ below.
fn contacts() -> (String, Vec<(String, String)>) {
    let mut csv = String::from("Record ID,First Name,Email,Job Title,Contact owner\n");
    let mut expected = Vec::new();
    // Write B first, then A, then C: the list must still put A first.
    let owners = [("B", 10, 9), ("A", 15, 3), ("C", 5, 5)];
    let mut i = 1000;
    for (owner, n, titled) in owners {
        for k in 0..n {
            let title = if k < titled { "Engineer" } else { "" };
            csv.push_str(&format!("{i},F{i},p{i}@acme.com,{title},{owner}\n"));
            if k >= titled {
                expected.push((owner.to_owned(), format!("{i},{owner},job_title,x")));
            }
            i += 1;
        }
    }
    expected.sort_by(|a, b| a.0.cmp(&b.0)); // stable: file order within a segment
    (csv, expected)
}

#[test]
fn the_work_list_holds_exactly_the_failing_records_by_owner_then_file_order() {
    let (csv, expected) = contacts();
    let dir = temp_with(&[
        ("contacts.csv", csv.as_bytes()),
        ("d.toml", DICT.as_bytes()),
    ]);
    // Small blocks: the file is read in many pieces, and the order must hold across them.
    let (run, report) = audit_json(
        dir.path(),
        "contacts.csv",
        &[
            "--dictionary",
            "d.toml",
            "--worklist",
            "todo.csv",
            "--block-size",
            "300",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let written = std::fs::read_to_string(dir.path().join("todo.csv")).unwrap();
    let lines: Vec<&str> = written.lines().collect();
    assert_eq!(lines[0], "Record ID,owner,failing_fields,use_cases");
    let want: Vec<&str> = expected.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(&lines[1..], want.as_slice());
    assert_eq!(
        lines.len(),
        1 + 13,
        "12 of A's and 1 of B's records lack a job title"
    );
    // Only ids and segments: no names, no emails.
    assert!(
        !written.contains('@') && !written.contains("F10"),
        "{written}"
    );
    let summary = report.summary_worklist();
    assert_eq!(summary["rows"], 13);
    assert_eq!(summary["segments"][0]["segment"][0], "A");
    assert_eq!(summary["segments"][0]["rows"], 12);
    assert_eq!(summary["segments"][1]["rows"], 1);
}

#[test]
fn the_work_list_follows_by_and_refuses_to_overwrite_an_input() {
    let (csv, _) = contacts();
    let dir = temp_with(&[
        ("contacts.csv", csv.as_bytes()),
        ("d.toml", DICT.as_bytes()),
    ]);
    let run = run_in(
        dir.path(),
        &[
            "audit",
            "contacts.csv",
            "--dictionary",
            "d.toml",
            "--worklist",
            "contacts.csv",
        ],
    );
    assert_eq!(run.code, 2);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("contacts.csv")).unwrap(),
        csv
    );
}

/// Found by the hostile run: an owner named like a formula (`=HYPERLINK(...)`) was written
/// as it is, so opening the work list in a spreadsheet ran it.
#[test]
fn a_segment_value_that_looks_like_a_formula_is_written_as_text() {
    let csv = "Record ID,First Name,Job Title,Contact owner\n1,Ann,,=HYPERLINK(\"http://x\")\n2,Bob,,@SUM(A1)\n3,Cy,Engineer,Sam\n";
    let dict = "[use_cases.x]\ntitle = \"X\"\n[[use_cases.x.requires]]\nfield = \"job_title\"\nmin_fill = 0.9\n";
    let dir = temp_with(&[("c.csv", csv.as_bytes()), ("d.toml", dict.as_bytes())]);
    let run = run_in(
        dir.path(),
        &[
            "audit",
            "c.csv",
            "--dictionary",
            "d.toml",
            "--worklist",
            "w.csv",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let list = std::fs::read_to_string(dir.path().join("w.csv")).unwrap();
    // Segments in order: "'=HYPERLINK..." (quoted, it holds quotes) and "'@SUM(A1)".
    assert!(
        list.contains("1,\"'=HYPERLINK(\"\"http://x\"\")\",job_title,x\n"),
        "{list}"
    );
    assert!(list.contains("2,'@SUM(A1),job_title,x\n"), "{list}");
}
