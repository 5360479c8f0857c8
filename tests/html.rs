//! `--format html` and the other ways out of a run: the HTML page (escaping, snapshot, a real
//! browser), several formats from one run, and JSON Lines.

mod common;

use common::*;

const DICT: &str = "[use_cases.x]\ntitle = \"X <b>bold</b>\"\n[[use_cases.x.requires]]\nfield = \"job_title\"\nmin_fill = 0.7\n";

/// 10 contacts, 4 with a job title; one column named like a script.
fn contacts() -> String {
    let mut csv =
        String::from("First Name,Email,Job Title,Contact owner,<script>alert(1)</script>\n");
    for i in 0..10 {
        let title = if i < 4 { "Engineer" } else { "" };
        let owner = if i % 2 == 0 {
            "<img src=x onerror=alert(2)>"
        } else {
            "Sam"
        };
        csv.push_str(&format!("F{i},p{i}@acme.com,{title},{owner},x\n"));
    }
    csv
}

#[test]
fn values_from_the_export_and_the_dictionary_are_escaped_in_html() {
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
            "--format",
            "html",
            "--fields",
            "all",
            "--by",
            "owner",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let html = &run.stdout;
    // The column, the owner value (a segment) and the dictionary's title, as text.
    for raw in [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(2)>",
        "<b>bold</b>",
    ] {
        assert!(!html.contains(raw), "{raw} reached the page unescaped");
    }
    assert!(
        html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "{html}"
    );
    assert!(
        html.contains("&#60;img src=x onerror=alert(2)&#62;"),
        "{html}"
    );
    assert!(html.contains("X &#60;b&#62;bold&#60;/b&#62;"), "{html}");
    // No script of its own, and nothing fetched: the policy forbids it.
    assert!(!html.contains("<script"));
    assert!(html.contains("default-src 'none'"));
    // Sam owns the odd rows: 2 titled of 5 (rows 1, 3), so 40%, and needs ceil(3.5) - 2 = 2.
    assert!(
        html.contains("<tr><td><bdi>Sam</bdi></td><td class=\"num\">5</td><td class=\"num\">40%</td><td class=\"num\">2</td></tr>"),
        "{html}"
    );
    assert!(html.contains("<li class=\"card blocked\">"), "{html}");
}

/// With a history, one small chart per requirement: its values run after run, the threshold
/// dashed, and words for a screen reader.
#[test]
fn the_html_report_draws_the_trend_of_each_requirement() {
    let dir = temp_with(&[("d.toml", DICT.as_bytes())]);
    let write = |titled: usize| {
        let mut csv = String::from("First Name,Email,Job Title\n");
        for i in 0..10 {
            let title = if i < titled { "Engineer" } else { "" };
            csv.push_str(&format!("F{i},p{i}@acme.com,{title}\n"));
        }
        std::fs::write(dir.path().join("contacts.csv"), csv).unwrap();
    };
    let args = [
        "audit",
        "contacts.csv",
        "--dictionary",
        "d.toml",
        "--history",
        "h.db",
        "--format",
        "html",
    ];
    write(4);
    let first = run_in(dir.path(), &args);
    assert_eq!(first.code, 1, "{}", first.stderr);
    assert!(!first.stdout.contains("<svg"), "one run: no trend yet");
    write(9);
    let second = run_in(dir.path(), &args);
    assert_eq!(second.code, 0, "{}", second.stderr);
    let html = &second.stdout;
    assert_eq!(html.matches("<svg").count(), 1, "{html}");
    assert!(
        html.contains("<title id=\"trend-1-title\">x: job_title [fill]</title>"),
        "{html}"
    );
    assert!(
        html.contains("fill over 2 runs: from 40% to 90%; threshold 70%"),
        "{html}"
    );
    // 240 x 64 box, 4 of padding: x 4 and 236; y = 60 - 56 x value; threshold at 70%.
    assert!(html.contains("points=\"4.0,37.6 236.0,9.6\""), "{html}");
    assert!(html.contains("y1=\"20.8\""), "{html}");
}

#[test]
fn the_html_report_of_the_example_export() {
    let dir = temp_with(&[]);
    let example = fixture("hubspot/contacts.csv");
    std::fs::copy(&example, dir.path().join("contacts.csv")).unwrap();
    let run = run_in(
        dir.path(),
        &[
            "audit",
            "contacts.csv",
            "--format",
            "html",
            "--as-of",
            "2026-11-28",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!("html_example", run.stdout);
}

/// Opens the example's report in headless Chromium (scripts/check-html.sh): no console
/// message, no request, verdict cards rendered, a screenshot saved. Skipped, and said so,
/// when Chromium is not installed; CI installs it.
#[test]
fn the_html_report_renders_in_chromium() {
    let found = std::env::var_os("CHROMIUM").is_some()
        || needs(
            "the_html_report_renders_in_chromium",
            &[
                "sh",
                "-c",
                "command -v chromium || command -v chromium-browser || command -v google-chrome",
            ],
            "Chromium is not installed (apt-get install -y chromium)",
        );
    if !found {
        return;
    }
    let dir = temp_with(&[]);
    std::fs::copy(
        fixture("hubspot/contacts.csv"),
        dir.path().join("contacts.csv"),
    )
    .unwrap();
    let run = run_in(
        dir.path(),
        &[
            "audit",
            "contacts.csv",
            "--format",
            "html",
            "-o",
            "report.html",
            "--by",
            "owner",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let check = std::process::Command::new("bash")
        .arg(repo().join("scripts/check-html.sh"))
        .arg(dir.path().join("report.html"))
        .arg(dir.path().join("shot.png"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&check.stdout);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "{stdout}{stderr}");
    // The example has 4 applicable use cases (the 7 others are for other records).
    assert!(stdout.contains("4 verdict cards"), "{stdout}");
    let png = std::fs::read(dir.path().join("shot.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
}

#[test]
fn several_formats_from_one_run() {
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
            "--format",
            "json,markdown,html,jsonl",
            "--output-dir",
            "out",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, "", "nothing on standard output");
    let read = |name: &str| std::fs::read_to_string(dir.path().join("out").join(name)).unwrap();
    let json: serde_json::Value = serde_json::from_str(&read("report.json")).unwrap();
    assert_eq!(json["summary"]["verdicts"]["blocked"], 1);
    assert!(read("report.md").starts_with("# CRM data readiness"));
    assert!(read("report.html").starts_with("<!DOCTYPE html>"));
    // JSON Lines: one use case, its one requirement, five fields; each line whole.
    let lines: Vec<serde_json::Value> = read("report.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kinds = |k: &str| lines.iter().filter(|l| l["kind"] == k).count();
    assert_eq!(
        (kinds("use_case"), kinds("requirement"), kinds("field")),
        (1, 1, 5)
    );
    let requirement = lines.iter().find(|l| l["kind"] == "requirement").unwrap();
    assert_eq!(requirement["use_case"], "x");
    assert_eq!(requirement["passing"], 4);
    assert_eq!(requirement["records_needed"], 3);
    for l in &lines {
        assert_eq!(l["input"], "contacts.csv");
        assert!(l["content_hash"].as_str().unwrap().starts_with("xxh3:"));
        assert_eq!(l["as_of"], json["as_of"]);
    }

    // Named outputs; one of them on standard output.
    let run = run_in(
        dir.path(),
        &[
            "audit",
            "contacts.csv",
            "--dictionary",
            "d.toml",
            "--output",
            "html=page.html",
            "--output",
            "json=-",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["summary"]["verdicts"]["blocked"], 1);
    assert!(dir.path().join("page.html").exists());
}

#[test]
fn several_formats_without_a_place_for_each_are_refused() {
    let dir = temp_with(&[
        ("contacts.csv", contacts().as_bytes()),
        ("d.toml", DICT.as_bytes()),
    ]);
    for (args, says) in [
        (vec!["--format", "json,html"], "2 formats, one output"),
        (
            vec!["--format", "json,html", "-o", "r.json"],
            "2 formats, one output",
        ),
        (
            vec!["--output", "json=a.json", "--output", "b.html"],
            "--output b.html names no format",
        ),
        (
            vec!["--output", "json=-", "--output", "html=-"],
            "only one format can go to standard output",
        ),
    ] {
        let mut all = vec!["audit", "contacts.csv", "--dictionary", "d.toml"];
        all.extend(&args);
        let run = run_in(dir.path(), &all);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
    }
}

/// Found by the hostile run: outputs that share a path overwrote each other (the text report
/// over the history database, the HTML over the JSON), an unknown FORMAT= became a file
/// name, and a run that failed on its second output left the first one written.
#[test]
fn outputs_that_collide_or_cannot_be_written_are_refused_before_anything_is_written() {
    let dir = temp_with(&[
        ("contacts.csv", contacts().as_bytes()),
        ("d.toml", DICT.as_bytes()),
    ]);
    let base = ["audit", "contacts.csv", "--dictionary", "d.toml"];
    let history = run_in(
        dir.path(),
        &[&base[..], &["--history", "h.db", "-q"]].concat(),
    );
    assert_eq!(history.code, 1, "{}", history.stderr);
    let db = std::fs::read(dir.path().join("h.db")).unwrap();
    for (args, says) in [
        (
            vec!["--history", "h.db", "-o", "h.db"],
            "h.db is given twice: as the history and as the text report",
        ),
        (
            vec!["--history", "./h.db", "--worklist", "h.db"],
            "is given twice: as the history and as the work list",
        ),
        (
            vec!["--worklist", "out.txt", "-o", "out.txt"],
            "out.txt is given twice",
        ),
        (
            vec!["--output", "json=a.json", "--output", "html=a.json"],
            "a.json is given twice: as the json report and as the html report",
        ),
        (vec!["--output", "yaml=a.json"], "\"yaml\" is not a format"),
        (vec!["--output", "json="], "give a file after the ="),
        (
            vec!["--format", "json,html", "--output", "json=a.json"],
            "--format html has no place to go",
        ),
        (
            vec!["--output", "json=a.json", "--output", "html=nowhere/x.html"],
            "no folder nowhere",
        ),
    ] {
        let run = run_in(dir.path(), &[&base[..], &args[..]].concat());
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
        assert!(!dir.path().join("a.json").exists(), "{args:?} wrote a.json");
        assert!(
            !dir.path().join("out.txt").exists(),
            "{args:?} wrote out.txt"
        );
        assert!(!dir.path().join("yaml=a.json").exists());
        assert_eq!(
            std::fs::read(dir.path().join("h.db")).unwrap(),
            db,
            "{args:?}"
        );
    }
    // `evidence` writes the brief and nothing else.
    let run = run_in(
        dir.path(),
        &[
            "evidence",
            "contacts.csv",
            "--dictionary",
            "d.toml",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("evidence writes the brief only"),
        "{}",
        run.stderr
    );
}

/// Found by the hostile run: JSON Lines gave skipped files no line and use cases no file.
#[test]
fn json_lines_name_each_use_cases_file_and_each_skipped_file() {
    let dir = temp_with(&[
        ("in/contacts.csv", contacts().as_bytes()),
        ("in/notes.txt", b"not an export"),
        ("d.toml", DICT.as_bytes()),
    ]);
    let run = run_in(
        dir.path(),
        &["audit", "in", "--dictionary", "d.toml", "--format", "jsonl"],
    );
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let use_case = lines.iter().find(|l| l["kind"] == "use_case").unwrap();
    assert_eq!(use_case["file"], use_case["input"]);
    let skipped: Vec<&serde_json::Value> =
        lines.iter().filter(|l| l["kind"] == "skipped").collect();
    assert_eq!(skipped.len(), 1, "{}", run.stdout);
    assert!(skipped[0]["input"].as_str().unwrap().ends_with("notes.txt"));
    assert_eq!(skipped[0]["content_hash"], serde_json::Value::Null);
}
