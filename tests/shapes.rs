//! Real-world export shapes: each fixture's counts worked out by hand (fixtures/README.md).

mod common;

use common::*;

#[test]
fn salesforce_report_footer_is_removed_and_reported() {
    let (_, report) = audit_json(&repo(), "fixtures/salesforce/leads_report.csv", &[]);
    let input = &report.inputs[0];
    assert_eq!(input.map.as_deref(), Some("salesforce/lead"));
    assert_eq!(input.map_columns_matched, 11);
    assert_eq!(report.rows, 4, "the footer is not a record");
    assert_eq!(input.ragged_rows, 0, "footer lines are not ragged rows");
    assert_eq!(
        input.removed("report_footer"),
        (6, vec![6, 8, 9, 10, 11, 12])
    );
    assert_eq!(input.removed("blank_line"), (1, vec![7]));
    assert_eq!(report.counts("Title"), (4, 2, 1, 1));
    assert_eq!(report.counts("Industry"), (4, 2, 1, 1)); // "Other" is an industry placeholder
    assert_eq!(report.counts("Lead Source"), (4, 3, 1, 0));
    assert_eq!(report.counts("Company"), (4, 4, 0, 0)); // "Beta, Inc." is one quoted value
    assert_eq!(report.counts("Email"), (4, 3, 1, 0));
}

#[test]
fn salesforce_data_export_empty_lookups_are_placeholders() {
    let (_, report) = audit_json(&repo(), "fixtures/salesforce/Lead.csv", &[]);
    let input = &report.inputs[0];
    assert_eq!(input.map.as_deref(), Some("salesforce/lead"));
    // Every column but the custom Persona__c.
    assert_eq!((input.map_columns_matched, input.columns), (18, 19));
    assert_eq!(
        input.map_chosen_by.as_deref(),
        Some("record_ids"),
        "00Q... ids are leads"
    );
    assert_eq!(report.rows, 5);
    assert_eq!(report.counts("MasterRecordId"), (5, 1, 0, 4));
    assert_eq!(
        report.field("MasterRecordId").canonical.as_deref(),
        Some("master_record_id")
    );
    assert_eq!(report.counts("Title"), (5, 3, 1, 1));
    assert_eq!(report.counts("Industry"), (5, 3, 1, 1));
    assert_eq!(report.counts("LeadSource"), (5, 3, 1, 1));
    assert_eq!(
        report.counts("Country"),
        (5, 4, 1, 0),
        "NA is Namibia, not a placeholder"
    );
    assert_eq!(report.counts("NumberOfEmployees"), (5, 3, 2, 0));
    assert_eq!(report.counts("AnnualRevenue"), (5, 2, 3, 0));
    assert_eq!(report.counts("Persona__c"), (5, 2, 1, 2));
    assert_eq!(
        report.field("LeadSource").canonical.as_deref(),
        Some("lead_source")
    );
    assert_eq!(report.field("OwnerId").canonical.as_deref(), Some("owner"));
    assert_eq!(
        report.field("HasOptedOutOfEmail").canonical.as_deref(),
        Some("email_opt_out")
    );
}

#[test]
fn ragged_rows_are_counted_with_their_lines_not_dropped() {
    let (_, report) = audit_json(&repo(), "fixtures/shapes/ragged.csv", &[]);
    let input = &report.inputs[0];
    assert_eq!(report.rows, 6);
    assert_eq!(input.ragged_rows, 3);
    assert_eq!(
        input.ragged_examples,
        vec![
            Ragged {
                line: 3,
                cells: 2,
                expected: 4
            },
            Ragged {
                line: 5,
                cells: 6,
                expected: 4
            },
            Ragged {
                line: 6,
                cells: 1,
                expected: 4
            },
        ]
    );
    assert_eq!(report.counts("Email"), (6, 6, 0, 0));
    assert_eq!(report.counts("First Name"), (6, 5, 1, 0));
    assert_eq!(report.counts("Industry"), (6, 3, 2, 1));
    assert_eq!(report.counts("Job Title"), (6, 3, 3, 0));
}

#[test]
fn blank_lines_and_crlf_inside_quotes_keep_line_numbers_right() {
    // Lines: 1 header, 2 record, 3-4 blank, 5 short record, 6 long record, 7-8 one record
    // with a CRLF inside quotes, 9 a record with two cells.
    let csv = b"Email,Industry,Job Title\r\na@x.com,Software,CEO\r\n\r\n\r\nb@x.com,N/A\r\nc@x.com,Retail,CTO,extra\r\n\"d@x.com\",\"Multi\r\nline\",VP\r\ne@x.com,Banking\r\n";
    let dir = temp_with(&[("t.csv", csv)]);
    let (_, report) = audit_json(dir.path(), "t.csv", &[]);
    let input = &report.inputs[0];
    assert_eq!(report.rows, 5);
    assert_eq!(input.removed("blank_line"), (2, vec![3, 4]));
    let lines: Vec<u64> = input.ragged_examples.iter().map(|r| r.line).collect();
    assert_eq!(lines, vec![5, 6, 9]);
    assert_eq!(report.counts("Industry"), (5, 4, 0, 1)); // Software, N/A, Retail, Multi-line, Banking
    assert_eq!(report.counts("Job Title"), (5, 3, 2, 0));
}

#[test]
fn semicolon_export_is_sniffed() {
    let csv = "Email;Industry;Annual Revenue\na@x.com;Software;1,5\nb@x.com;;2,25\n".as_bytes();
    let dir = temp_with(&[("eu.csv", csv)]);
    let (_, report) = audit_json(dir.path(), "eu.csv", &[]);
    assert_eq!(report.inputs[0].delimiter.as_deref(), Some("semicolon"));
    assert_eq!(report.counts("Annual Revenue"), (2, 2, 0, 0));
    assert_eq!(report.counts("Industry"), (2, 1, 1, 0));
}

#[test]
fn forced_delimiter_overrides_sniffing() {
    let dir = temp_with(&[("p.csv", b"Email|Industry\na@x.com|N/A\n")]);
    let (_, report) = audit_json(dir.path(), "p.csv", &["--delimiter", "|"]);
    assert_eq!(report.inputs[0].delimiter.as_deref(), Some("pipe"));
    assert_eq!(report.counts("Industry"), (1, 0, 0, 1));
}

#[test]
fn header_names_with_doubled_quotes_are_unescaped() {
    // HubSpot's lifecycle stage date columns carry quotes in their names.
    let csv = b"Email,\"Date entered \"\"Lead (Lifecycle Stage Pipeline)\"\"\",Industry\r\na@x.test,2026-01-02,N/A\r\n";
    let dir = temp_with(&[("hs.csv", csv)]);
    let (_, report) = audit_json(dir.path(), "hs.csv", &[]);
    assert_eq!(
        report.fields[1].column,
        "Date entered \"Lead (Lifecycle Stage Pipeline)\""
    );
    assert_eq!(
        report.counts("Date entered \"Lead (Lifecycle Stage Pipeline)\""),
        (1, 1, 0, 0)
    );
    assert_eq!(report.counts("Industry"), (1, 0, 0, 1));
}

#[test]
fn utf16_without_bom_is_detected() {
    let text = "Email,Industry\r\na@x.test,Software\r\nb@x.test,\r\n";
    let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let dir = temp_with(&[("u16.csv", &bytes)]);
    let (_, report) = audit_json(dir.path(), "u16.csv", &[]);
    assert_eq!(report.inputs[0].encoding.as_deref(), Some("UTF-16LE"));
    assert_eq!(report.counts("Industry"), (2, 1, 1, 0));
}

#[test]
fn salesforce_objects_without_a_map_get_none_even_if_columns_match() {
    // A Data Export's User.csv shares system and address columns with Account; it must not
    // be audited as accounts. Lead.csv is recognised by its name.
    use std::io::Write;
    let lead = std::fs::read(fixture("salesforce/Lead.csv")).unwrap();
    let user = b"Id,IsDeleted,Name,Phone,City,State,Country,CreatedDate,LastModifiedDate,Username\r\n0055g00000XyZaBAAV,false,Jane Roe,+1 555 0100,Paris,,France,2026-01-01T00:00:00.000Z,2026-01-02T00:00:00.000Z,jane@acme.test\r\n";
    let dir = temp_with(&[]);
    let path = dir.path().join("WE_00D_1.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("Lead.csv", stored).unwrap();
    zip.write_all(&lead).unwrap();
    zip.start_file("User.csv", stored).unwrap();
    zip.write_all(user).unwrap();
    zip.finish().unwrap();
    let (_, report) = audit_json(dir.path(), "WE_00D_1.zip", &[]);
    assert_eq!(report.files.len(), 1);
    assert_eq!(
        report.files[0].input.map.as_deref(),
        Some("salesforce/lead")
    );
    assert_eq!(
        report.files[0].input.map_chosen_by.as_deref(),
        Some("record_ids")
    );
    // Nothing can be judged on the users: listed as passed over, with the reason.
    let user = report
        .skipped
        .iter()
        .find(|s| s.path == "WE_00D_1.zip!User.csv")
        .expect("User.csv is listed");
    assert!(user.reason.contains("no field map fits"), "{user:?}");
    assert_eq!(report.verdict("churn_prediction"), "not_applicable");
    assert_eq!(
        report.use_case("lead_scoring").file.as_deref(),
        Some("WE_00D_1.zip!Lead.csv")
    );
}

#[test]
fn blank_lines_above_the_header_are_reported() {
    let dir = temp_with(&[("lead.csv", b"\r\n\r\nEmail,Industry\r\na@x.test,N/A\r\n")]);
    let (_, report) = audit_json(dir.path(), "lead.csv", &[]);
    let input = &report.inputs[0];
    assert_eq!(input.header_line, 3);
    assert_eq!(input.removed("above_header"), (2, vec![1, 2]));
    assert_eq!(report.counts("Industry"), (1, 0, 0, 1));
}

#[test]
fn data_loader_extract_is_recognised_by_its_record_ids() {
    // Not named after its object, system columns present: the 00Q id prefix says leads.
    let csv = b"Id,IsDeleted,Company,Status,Industry,Title\r\n00Q5g00000A1bCdEAF,false,Acme,Open,N/A,CEO\r\n00Q5g00000A2bCdEAF,false,Beta,Working,Retail,\r\n";
    let dir = temp_with(&[("extract.csv", csv)]);
    let (_, report) = audit_json(dir.path(), "extract.csv", &[]);
    assert_eq!(report.inputs[0].map.as_deref(), Some("salesforce/lead"));
    assert_eq!(
        report.inputs[0].map_chosen_by.as_deref(),
        Some("record_ids")
    );
    assert_eq!(report.counts("Industry"), (2, 1, 0, 1));
    // Record ids are read to decide, never reported.
    let run = run_in(dir.path(), &["audit", "extract.csv", "--format", "json"]);
    assert!(!run.stdout.contains("00Q5g"), "{}", run.stdout);
}

#[test]
fn salesforce_file_named_after_its_object_without_usable_ids() {
    // Ids too short to carry a key prefix: the file name decides.
    let csv = b"Id,IsDeleted,StageName,Amount,CloseDate\r\n1,false,Closed Won,100,2026-01-01\r\n";
    let dir = temp_with(&[("Opportunity.csv", csv)]);
    let (_, report) = audit_json(dir.path(), "Opportunity.csv", &[]);
    assert_eq!(
        report.inputs[0].map.as_deref(),
        Some("salesforce/opportunity")
    );
    assert_eq!(report.inputs[0].map_chosen_by.as_deref(), Some("file_name"));
}
