//! Every shape of fixtures/shapes (made by fixtures/make_shapes.py from one dataset) must give
//! the counts of the clean UTF-8 CSV, whose counts are known by construction.

mod common;

use common::*;

fn assert_base_counts(report: &Report, what: &str) {
    assert_eq!(report.rows, 10, "{what}");
    let columns: Vec<&str> = report.fields.iter().map(|f| f.column.as_str()).collect();
    let expected: Vec<&str> = BASE_COUNTS.iter().map(|c| c.0).collect();
    assert_eq!(columns, expected, "{what}");
    for &(column, rows, filled, blank, placeholder) in BASE_COUNTS {
        assert_eq!(
            report.counts(column),
            (rows, filled, blank, placeholder),
            "{what}: {column}"
        );
    }
    assert_eq!(
        report.inputs[0].map.as_deref(),
        Some("hubspot/contacts"),
        "{what}"
    );
}

fn audit_shape(name: &str, extra: &[&str]) -> Report {
    let (_, report) = audit_json(&repo(), &format!("fixtures/shapes/{name}"), extra);
    report
}

#[test]
fn clean_utf8_csv_has_the_constructed_counts() {
    let report = audit_shape("base.csv", &[]);
    assert_base_counts(&report, "base.csv");
    let input = &report.inputs[0];
    assert_eq!(input.encoding.as_deref(), Some("UTF-8"));
    assert_eq!(input.delimiter.as_deref(), Some("comma"));
    assert_eq!((input.ragged_rows, input.repaired_cells), (0, 0));
    assert!(input.removed.is_empty());
}

#[test]
fn encodings_give_the_same_counts() {
    for (name, encoding, delimiter) in [
        ("utf8_bom.csv", "UTF-8 (BOM)", "comma"),
        ("utf16le.txt", "UTF-16LE (BOM)", "tab"),
        ("utf16be.csv", "UTF-16BE (BOM)", "comma"),
        ("windows1252.csv", "Windows-1252", "comma"),
        ("mixed_1252.csv", "UTF-8", "comma"),
    ] {
        let report = audit_shape(name, &[]);
        assert_base_counts(&report, name);
        assert_eq!(
            report.inputs[0].encoding.as_deref(),
            Some(encoding),
            "{name}"
        );
        assert_eq!(
            report.inputs[0].delimiter.as_deref(),
            Some(delimiter),
            "{name}"
        );
    }
}

#[test]
fn mixed_encoding_cells_are_repaired_and_counted() {
    // Row 2's "Benoît" and "Dupré" are Windows-1252 inside a UTF-8 file.
    let report = audit_shape("mixed_1252.csv", &[]);
    assert_eq!(report.inputs[0].repaired_cells, 2);
    assert_eq!(audit_shape("base.csv", &[]).inputs[0].repaired_cells, 0);
}

#[test]
fn dialects_give_the_same_counts() {
    for (name, delimiter) in [
        ("semicolon_crlf.csv", "semicolon"),
        ("pipe_all_quoted.csv", "pipe"),
        ("tab.tsv", "tab"),
        ("nul_bytes.csv", "comma"),
        ("mac_cr.csv", "comma"),
    ] {
        let report = audit_shape(name, &[]);
        assert_base_counts(&report, name);
        assert_eq!(
            report.inputs[0].delimiter.as_deref(),
            Some(delimiter),
            "{name}"
        );
    }
}

#[test]
fn trailers_are_removed_and_reported() {
    let report = audit_shape("report_footer.csv", &[]);
    assert_base_counts(&report, "report_footer.csv");
    // Data ends on line 12 (row 3 holds a line break); the footer takes lines 13 to 18.
    assert_eq!(
        report.inputs[0].removed("report_footer"),
        (5, vec![13, 15, 16, 17, 18])
    );
    assert_eq!(report.inputs[0].removed("blank_line"), (1, vec![14]));

    let report = audit_shape("trailing_junk.csv", &[]);
    assert_base_counts(&report, "trailing_junk.csv");
    assert_eq!(report.inputs[0].removed("blank_line"), (2, vec![13, 16]));
    assert_eq!(
        report.inputs[0].removed("bare_delimiters"),
        (2, vec![14, 15])
    );

    let report = audit_shape("summary_row.csv", &[]);
    assert_base_counts(&report, "summary_row.csv");
    assert_eq!(report.inputs[0].removed("summary_row"), (1, vec![13]));
}

#[test]
fn gzip_gives_the_same_counts() {
    assert_base_counts(&audit_shape("base.csv.gz", &[]), "base.csv.gz");
}

#[test]
fn spreadsheet_report_with_title_rows_and_footer_gives_the_same_counts() {
    let report = audit_shape("salesforce_report.xlsx", &[]);
    assert_base_counts(&report, "salesforce_report.xlsx");
    let input = &report.inputs[0];
    assert_eq!(input.format, "xlsx");
    assert_eq!(input.sheet.as_deref(), Some("Contacts report"));
    assert_eq!(
        input.header_line, 4,
        "two title rows and a blank row above the header"
    );
    assert_eq!(input.removed("above_header"), (3, vec![1, 2, 3]));
    assert_eq!(input.removed("report_footer"), (2, vec![15, 17]));
    assert_eq!(input.removed("blank_line"), (1, vec![16]));
    assert_eq!(
        (input.encoding.as_deref(), input.delimiter.as_deref()),
        (None, None)
    );
}

#[test]
fn other_spreadsheet_formats_give_the_same_counts() {
    for (name, format) in [("base.xls", "xls"), ("base.ods", "ods")] {
        let report = audit_shape(name, &[]);
        assert_base_counts(&report, name);
        assert_eq!(report.inputs[0].format, format);
        assert_eq!(report.inputs[0].sheet.as_deref(), Some("Contacts"));
        assert_eq!(report.inputs[0].header_line, 1);
    }
}

#[test]
fn sheet_is_chosen_by_name_or_number() {
    let report = audit_shape("salesforce_report.xlsx", &["--sheet", "raw"]);
    assert_eq!(report.inputs[0].sheet.as_deref(), Some("Raw"));
    assert_eq!(report.rows, 1);
    let report = audit_shape("salesforce_report.xlsx", &["--sheet", "2"]);
    assert_eq!(report.inputs[0].sheet.as_deref(), Some("Raw"));
}

#[test]
fn zip_export_audits_each_file_and_lists_the_rest() {
    let (run, report) = audit_json(&repo(), "fixtures/shapes/weekly_export.zip", &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(report.files.len(), 1);
    assert_eq!(
        report.files[0].input.path,
        "fixtures/shapes/weekly_export.zip!Contact.csv"
    );
    assert_eq!(report.rows, 10);
    assert_eq!(report.summary.files, 1, "User.csv is skipped, not audited");
    let contact = &report.files[0];
    for &(column, rows, filled, blank, placeholder) in BASE_COUNTS {
        let f = contact.fields.iter().find(|f| f.column == column).unwrap();
        assert_eq!(
            (f.rows, f.filled, f.blank, f.placeholder),
            (rows, filled, blank, placeholder),
            "{column}"
        );
    }
    // The attachment, and User.csv: no map fits it, so nothing can be judged on it.
    let skipped: Vec<&str> = report.skipped.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(
        skipped,
        vec![
            "fixtures/shapes/weekly_export.zip!Attachments/readme.pdf",
            "fixtures/shapes/weekly_export.zip!User.csv"
        ]
    );
    assert!(report.skipped[1].reason.contains("no field map fits"));
    // Lead scoring applies to Contact.csv only (User.csv has no object kind... and no map).
    let lead = report.use_case("lead_scoring");
    assert_eq!(lead.verdict, "blocked");
    assert_eq!(
        lead.file.as_deref(),
        Some("fixtures/shapes/weekly_export.zip!Contact.csv")
    );
}

#[test]
fn folder_audits_every_export_in_it() {
    let dir = temp_with(&[
        (
            "a.csv",
            std::fs::read(fixture("shapes/base.csv"))
                .unwrap()
                .as_slice(),
        ),
        (
            "b.csv.gz",
            std::fs::read(fixture("shapes/base.csv.gz"))
                .unwrap()
                .as_slice(),
        ),
        ("notes.md", b"# not an export"),
    ]);
    let (_, report) = audit_json(dir.path(), ".", &[]);
    assert_eq!(report.files.len(), 2);
    assert_eq!(report.rows, 20);
    assert_eq!(report.skipped.len(), 1);
    assert!(report.skipped[0].path.ends_with("notes.md"));
}

#[test]
fn values_in_crm_forms_are_filled_and_empty_lookups_are_not() {
    let report = audit_shape("values.csv", &[]);
    assert_eq!(report.rows, 3);
    for column in [
        "IsConverted",
        "HasOptedOutOfEmail",
        "AnnualRevenue",
        "Probability",
        "CreatedDate",
        "LastActivityDate",
    ] {
        assert_eq!(
            report.counts(column),
            (3, 3, 0, 0),
            "{column}: 0, false, 1,234, 12% and dates are values"
        );
    }
    assert_eq!(report.counts("ConvertedAccountId"), (3, 1, 0, 2));
}

#[test]
fn joined_export_keeps_repeated_columns_apart_by_object() {
    let report = audit_shape("joined_contact_company.csv", &[]);
    let renamed: Vec<(usize, &str)> = report.inputs[0]
        .renamed_headers
        .iter()
        .map(|r| (r.position, r.renamed.as_str()))
        .collect();
    assert_eq!(
        renamed,
        vec![(8, "Create Date (Company)"), (9, "Phone Number (Company)")]
    );
    assert_eq!(
        report.field("Create Date").canonical.as_deref(),
        Some("created_at")
    );
    assert_eq!(report.field("Create Date (Company)").canonical, None);
    assert_eq!(report.counts("Phone Number"), (3, 2, 1, 0));
    assert_eq!(report.counts("Phone Number (Company)"), (3, 1, 2, 0));
    assert_eq!(
        report.field("Country/Region").canonical,
        None,
        "the company's country is not the contact's"
    );
}

#[test]
fn several_paths_are_audited_together() {
    let (_, report) = audit_json(
        &repo(),
        "fixtures/shapes/base.csv",
        &["fixtures/shapes/tab.tsv"],
    );
    let paths: Vec<&str> = report.files.iter().map(|f| f.input.path.as_str()).collect();
    assert_eq!(
        paths,
        vec!["fixtures/shapes/base.csv", "fixtures/shapes/tab.tsv"]
    );
    assert_eq!(report.rows, 20);
    assert_eq!(report.inputs.len(), 2);
}

#[test]
fn line_endings_are_reported() {
    for (name, ending) in [
        ("base.csv", "LF"),
        ("utf8_bom.csv", "CRLF"),
        ("mac_cr.csv", "CR"),
    ] {
        assert_eq!(
            audit_shape(name, &[]).inputs[0].line_ending.as_deref(),
            Some(ending),
            "{name}"
        );
    }
    assert_eq!(
        audit_shape("salesforce_report.xlsx", &[]).inputs[0].line_ending,
        None
    );
}
