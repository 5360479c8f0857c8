//! `--by`: requirements broken down by segment, on an export whose per-owner counts are
//! known by construction.

mod common;

use common::*;

const DICT: &str = "[use_cases.x]\ntitle = \"X\"\n[[use_cases.x.requires]]\nfield = \"job_title\"\nmin_fill = 0.7\n";

/// 30 contacts: owner A on 15 (3 with a job title), B on 10 (9 titled), C on 5 (all titled).
fn contacts() -> String {
    let mut csv = String::from("First Name,Email,Job Title,Contact owner\n");
    let owners = [("A", 15, 3), ("B", 10, 9), ("C", 5, 5)];
    let mut i = 0;
    for (owner, n, titled) in owners {
        for k in 0..n {
            let title = if k < titled { "Engineer" } else { "" };
            csv.push_str(&format!("F{i},p{i}@acme.com,{title},{owner}\n"));
            i += 1;
        }
    }
    csv
}

fn audit(extra: &[&str]) -> (Run, Report) {
    let dir = temp_with(&[
        ("contacts.csv", contacts().as_bytes()),
        ("d.toml", DICT.as_bytes()),
    ]);
    let mut args = vec!["--dictionary", "d.toml"];
    args.extend_from_slice(extra);
    audit_json(dir.path(), "contacts.csv", &args)
}

#[test]
fn a_gap_is_broken_down_by_owner_largest_first() {
    let (_, report) = audit(&["--by", "owner"]);
    let req = report.requirement("x", "job_title");
    // 17 of 30 titled; 21 needed (70%).
    assert_eq!((req.passing, req.records_needed), (17, 4));
    let owner = &req.segments[0];
    assert_eq!(owner.by, "owner");
    let rows: Vec<(&str, u64, u64, u64)> = owner
        .segments
        .iter()
        .map(|s| (s.segment.as_str(), s.rows, s.passing, s.records_needed))
        .collect();
    // A needs ceil(0.7 x 15) - 3 = 8; B ceil(7) - 9 = 0; C ceil(3.5) - 5 = 0. Ties by the
    // records that fail (B 1, C 0).
    assert_eq!(rows, vec![("A", 15, 3, 8), ("B", 10, 9, 0), ("C", 5, 5, 0)]);
    assert_eq!(owner.segments[0].observed, 0.2);
    assert_eq!(owner.other, None);
    assert!(!owner.capped);
    // 12 of the 13 records without a title are A's: workflow evidence.
    assert!(
        req.reason
            .contains("92.3% of the 13 records that fail it have owner = \"A\""),
        "{}",
        req.reason
    );
}

#[test]
fn top_groups_the_rest_as_other_segments() {
    let (_, report) = audit(&["--by", "owner", "--top", "1"]);
    let owner = &report.requirement("x", "job_title").segments[0];
    assert_eq!(owner.segments.len(), 1);
    let other = owner.other.as_ref().unwrap();
    assert_eq!(
        (other.segment.as_str(), other.rows, other.passing),
        ("other segments", 15, 14)
    );
    // B and C meet 70% on their own: nothing to fix in them.
    assert_eq!((other.records_needed, owner.other_segments), (0, 2));
}

/// Found by the hostile run: "other segments" pooled its rows, so one segment's surplus hid
/// another's gap. Owners D (10 records, none titled) and E (20, all titled) grouped behind
/// `--top 1`: pooled they pass 20 of 30 (ceil(0.7 x 30) = 21, 1 short), but D alone must
/// fix ceil(0.7 x 10) - 0 = 7 and E none.
#[test]
fn other_segments_add_up_each_segments_own_need_not_a_pooled_one() {
    let mut csv = String::from("First Name,Email,Job Title,Contact owner\n");
    let owners = [("A", 40, 0), ("D", 10, 0), ("E", 20, 20)];
    let mut i = 0;
    for (owner, n, titled) in owners {
        for k in 0..n {
            let title = if k < titled { "Engineer" } else { "" };
            csv.push_str(&format!("F{i},p{i}@acme.com,{title},{owner}\n"));
            i += 1;
        }
    }
    let dir = temp_with(&[
        ("contacts.csv", csv.as_bytes()),
        ("d.toml", DICT.as_bytes()),
    ]);
    let args = ["--dictionary", "d.toml", "--by", "owner", "--top", "1"];
    let (_, report) = audit_json(dir.path(), "contacts.csv", &args);
    let owner = &report.requirement("x", "job_title").segments[0];
    // A must fix ceil(0.7 x 40) = 28.
    assert_eq!(
        (
            owner.segments[0].segment.as_str(),
            owner.segments[0].records_needed
        ),
        ("A", 28)
    );
    let other = owner.other.as_ref().unwrap();
    assert_eq!(
        (other.rows, other.passing, other.records_needed),
        (30, 20, 7)
    );
    assert_eq!(owner.other_segments, 2);
    // The text report counts what its three lines leave out.
    let run = run_in(
        dir.path(),
        &[
            "audit",
            "contacts.csv",
            "--dictionary",
            "d.toml",
            "--by",
            "owner",
            "--top",
            "1",
        ],
    );
    assert!(
        run.stdout
            .contains("by owner: A 28; 7 more in the other segments (records to fix)"),
        "{}",
        run.stdout
    );
}

#[test]
fn max_segments_caps_what_is_kept_and_says_so() {
    let (_, report) = audit(&["--by", "owner", "--max-segments", "2"]);
    let owner = &report.requirement("x", "job_title").segments[0];
    assert!(owner.capped);
    assert_eq!(owner.segments.len(), 2);
    let other = owner.other.as_ref().unwrap();
    let rows: u64 = owner.segments.iter().map(|s| s.rows).sum::<u64>() + other.rows;
    let passing: u64 = owner.segments.iter().map(|s| s.passing).sum::<u64>() + other.passing;
    assert_eq!((rows, passing), (30, 17), "nothing lost in the merge");
}

#[test]
fn a_breakdown_by_a_field_that_identifies_people_is_refused() {
    for by in ["email", "Email", "first_name"] {
        let (run, _) = {
            let dir = temp_with(&[
                ("contacts.csv", contacts().as_bytes()),
                ("d.toml", DICT.as_bytes()),
            ]);
            let run = run_in(
                dir.path(),
                &[
                    "audit",
                    "contacts.csv",
                    "--dictionary",
                    "d.toml",
                    "--by",
                    by,
                ],
            );
            (run, ())
        };
        assert_eq!(run.code, 2, "{by}");
        assert!(run.stderr.contains("identifies people"), "{}", run.stderr);
    }
}

#[test]
fn a_by_field_the_export_lacks_breaks_nothing_down() {
    let (run, report) = audit(&["--by", "lead_source"]);
    assert_eq!(run.code, 1);
    assert!(report.requirement("x", "job_title").segments.is_empty());
    assert_eq!(
        report.files[0].by_missing,
        vec!["lead_source"],
        "and the report says so"
    );
}

// Found by the hostile run of the segments.

#[test]
fn a_breakdown_by_an_alias_or_a_vendor_label_of_an_identity_field_is_refused() {
    // An email column known only through the dictionary's aliases.
    let dict = format!("[aliases]\nemail = [\"Courriel\"]\n\n{DICT}");
    let csv = "First Name,Courriel,Job Title\nA,a@x.io,Eng\nB,b@x.io,\n";
    let dir = temp_with(&[("fr.csv", csv.as_bytes()), ("d.toml", dict.as_bytes())]);
    let run = run_in(
        dir.path(),
        &[
            "audit",
            "fr.csv",
            "--dictionary",
            "d.toml",
            "--by",
            "Courriel",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(!run.stdout.contains("a@x.io"));
    // Salesforce's `Name` is a lead's full name.
    let csv = "Id,Name,Company,Title\n00Q5g00000A0001AAA,Ana Lima,Acme,\n00Q5g00000A0002AAA,Bo Chan,Acme,CEO\n";
    let dir = temp_with(&[("Lead.csv", csv.as_bytes())]);
    let run = run_in(dir.path(), &["audit", "Lead.csv", "--by", "Name"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(!run.stdout.contains("Ana Lima"));
}

#[test]
fn created_month_reads_slash_dates_in_the_column_order() {
    // 25/03/2026 shows the column is day first: 05/03/2026 is 5 March, not 3 May.
    let csv = "First Name,Email,Job Title,Create Date\nA,a@x.io,,25/03/2026\nB,b@x.io,,05/03/2026\nC,c@x.io,Eng,25/03/2026\nD,d@x.io,,05/03/2026\n";
    let dir = temp_with(&[("c.csv", csv.as_bytes()), ("d.toml", DICT.as_bytes())]);
    let (_, report) = audit_json(
        dir.path(),
        "c.csv",
        &[
            "--dictionary",
            "d.toml",
            "--field-map",
            "hubspot/contacts",
            "--by",
            "created_month",
        ],
    );
    let by = &report.requirement("x", "job_title").segments[0];
    let rows: Vec<(&str, u64, u64)> = by
        .segments
        .iter()
        .map(|s| (s.segment.as_str(), s.rows, s.passing))
        .collect();
    assert_eq!(rows, vec![("2026-03", 4, 1)]);
}

#[test]
fn the_markdown_report_shows_the_breakdown() {
    let dir = temp_with(&[
        ("contacts.csv", contacts().as_bytes()),
        ("d.toml", DICT.as_bytes()),
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
            "markdown",
        ],
    );
    assert!(
        run.stdout.contains("by owner: A 8 (records to fix)"),
        "{}",
        run.stdout
    );
}

#[test]
fn owner_ids_are_named_from_the_exports_user_csv() {
    // A Data Export folder: two users, and leads owned by them by id (15 or 18 characters),
    // one by a user the file does not list.
    let users = "Id,FirstName,LastName,Name\n0055g00000A0001AAA,Jane,Roe,Jane Roe\n0055g00000A0002AAA,John,Doe,John Doe\n";
    let leads = "Id,FirstName,LastName,Company,Title,OwnerId\n\
00Q5g00000B0001AAA,A,B,Co,,0055g00000A0001AAA\n\
00Q5g00000B0002AAA,A,B,Co,,0055g00000A0001\n\
00Q5g00000B0003AAA,A,B,Co,CEO,0055g00000A0002AAA\n\
00Q5g00000B0004AAA,A,B,Co,,0055g00000A0009AAA\n";
    let dict = "[use_cases.x]\ntitle = \"X\"\n[[use_cases.x.requires]]\nfield = \"job_title\"\nmin_fill = 0.7\n";
    let dir = temp_with(&[
        ("export/User.csv", users.as_bytes()),
        ("export/Lead.csv", leads.as_bytes()),
        ("d.toml", dict.as_bytes()),
    ]);
    let (_, report) = audit_json(
        dir.path(),
        "export",
        &["--dictionary", "d.toml", "--by", "owner"],
    );
    let req = report
        .files
        .iter()
        .find(|f| f.input.path.ends_with("Lead.csv"))
        .unwrap()
        .use_cases
        .iter()
        .find(|u| u.id == "x")
        .unwrap()
        .requirements
        .iter()
        .find(|r| r.field == "job_title")
        .unwrap()
        .clone();
    let mut rows: Vec<(String, u64, u64)> = req.segments[0]
        .segments
        .iter()
        .map(|s| (s.segment.clone(), s.rows, s.passing))
        .collect();
    rows.sort();
    assert_eq!(
        rows,
        vec![
            ("0055g00000A0009AAA".to_owned(), 1, 0),
            ("Jane Roe".to_owned(), 2, 0),
            ("John Doe".to_owned(), 1, 1),
        ]
    );
}
