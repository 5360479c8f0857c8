//! Which map an export gets, and which columns it recognises (issue 8, objects and maps): real
//! report labels and API names, record-id prefixes, and ties between maps said and broken.

mod common;

use common::*;

#[test]
fn salesforce_report_with_owner_id_has_its_owner_mapped() {
    // fixtures/salesforce/leads_owner_id_report.csv: a leads report as Salesforce exports it,
    // with report labels (Owner ID, Company / Account, Last Activity, Email Opt Out).
    let (_, report) = audit_json(
        &repo(),
        "fixtures/salesforce/leads_owner_id_report.csv",
        &[],
    );
    let input = &report.inputs[0];
    assert_eq!(input.map.as_deref(), Some("salesforce/lead"));
    assert_eq!(input.map_chosen_by.as_deref(), Some("record_ids"));
    assert_eq!(report.rows, 3);
    // Owner ID is the first owner column: 2 of 3 filled.
    assert_eq!(report.field("Owner ID").canonical.as_deref(), Some("owner"));
    assert_eq!(report.counts("Owner ID"), (3, 2, 1, 0));
    for (column, canonical) in [
        ("Company / Account", "company_name"),
        ("Last Activity", "last_activity_at"),
        ("Email Opt Out", "email_opt_out"),
        ("Lead Status", "lead_status"),
        ("Created Date", "created_at"),
        ("Title", "job_title"),
    ] {
        assert_eq!(
            report.field(column).canonical.as_deref(),
            Some(canonical),
            "{column}"
        );
    }
    let lead_scoring = report.use_case("lead_scoring");
    let owner_gap = lead_scoring
        .requirements
        .iter()
        .find(|r| r.field == "owner");
    assert!(
        owner_gap.is_none_or(|r| r.column.is_some()),
        "owner is never 'not in export': {owner_gap:?}"
    );
}

#[test]
fn contact_ids_make_a_two_column_file_contacts_and_the_tie_is_reported() {
    // Id and Name: every Salesforce map recognises both; the ids (003...) say contacts.
    let (_, report) = audit_json(&repo(), "fixtures/salesforce/contacts_id_name.csv", &[]);
    let input = &report.inputs[0];
    assert_eq!(input.map.as_deref(), Some("salesforce/contact"));
    assert_eq!(input.kind.as_deref(), Some("contact"));
    assert_eq!(input.map_chosen_by.as_deref(), Some("record_ids"));
    let mut tied = input.map_tied_with.clone();
    tied.sort();
    assert_eq!(
        tied,
        vec![
            "salesforce/account",
            "salesforce/lead",
            "salesforce/opportunity"
        ]
    );
    assert_eq!(report.verdict("churn_prediction"), "not_applicable");
    let text = run_in(
        &repo(),
        &[
            "audit",
            "fixtures/salesforce/contacts_id_name.csv",
            "--quiet",
        ],
    );
    let words = text.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("recognised as many columns; chose salesforce/contact by its record ids"),
        "{}",
        text.stdout
    );
}

#[test]
fn a_tie_between_hubspot_maps_is_broken_by_the_file_name() {
    // Record ID, Create Date, Last Activity Date: contacts, companies and deals know all three.
    let name = "fixtures/hubspot/hubspot-crm-exports-all-companies-2026-11-28.csv";
    let (_, report) = audit_json(&repo(), name, &[]);
    let input = &report.inputs[0];
    assert_eq!(input.map.as_deref(), Some("hubspot/companies"));
    assert_eq!(input.map_chosen_by.as_deref(), Some("file_name"));
    assert_eq!(
        input.map_tied_with,
        vec!["hubspot/contacts", "hubspot/deals"]
    );
    // The same columns under a name that says nothing: the first map, and the tie said.
    let bytes = std::fs::read(repo().join(name)).unwrap();
    let dir = temp_with(&[("export.csv", &bytes)]);
    let (_, report) = audit_json(dir.path(), "export.csv", &[]);
    let input = &report.inputs[0];
    assert_eq!(input.map.as_deref(), Some("hubspot/contacts"));
    assert_eq!(input.map_chosen_by.as_deref(), Some("header"));
    assert_eq!(
        input.map_tied_with,
        vec!["hubspot/companies", "hubspot/deals"]
    );
}

#[test]
fn hubspot_internal_property_names_are_mapped() {
    let header = "hs_object_id,firstname,lastname,email,jobtitle,lifecyclestage,hs_lead_status,numemployees,hubspot_owner_id,createdate,hs_email_domain,notes_last_updated,hs_analytics_source,industry";
    let dir = temp_with(&[(
        "contacts.csv",
        format!("{header}\n1,Ana,Smith,ana@acme.test,CEO,lead,Open,50,77,2026-01-01,acme.test,2026-11-01,ORGANIC_SEARCH,Retail\n").as_bytes(),
    )]);
    let (_, report) = audit_json(dir.path(), "contacts.csv", &[]);
    assert_eq!(report.inputs[0].map.as_deref(), Some("hubspot/contacts"));
    let unmapped: Vec<&str> = report
        .fields
        .iter()
        .filter(|f| f.canonical.is_none())
        .map(|f| f.column.as_str())
        .collect();
    assert!(unmapped.is_empty(), "{unmapped:?}");
}

/// Columns of the fixtures that are not standard CRM fields: free text, custom fields
/// (`__c`), and a Probability on a lead (an opportunity field, there to test number forms).
const NOT_STANDARD: &[&str] = &["Notes", "Favorite Color", "Persona__c", "Probability"];

#[test]
fn every_standard_column_in_the_fixtures_is_mapped() {
    let mut unmapped = Vec::new();
    for file in [
        "fixtures/hubspot/contacts.csv",
        "fixtures/salesforce/Lead.csv",
        "fixtures/salesforce/leads_report.csv",
        "fixtures/salesforce/leads_owner_id_report.csv",
        "fixtures/shapes/base.csv",
        "fixtures/shapes/values.csv",
    ] {
        let (_, report) = audit_json(&repo(), file, &[]);
        for field in &report.fields {
            if field.canonical.is_none() && !NOT_STANDARD.contains(&field.column.as_str()) {
                unmapped.push(format!("{file}: {}", field.column));
            }
        }
    }
    assert!(
        unmapped.is_empty(),
        "unmapped standard columns: {unmapped:#?}"
    );
}

#[test]
fn folders_are_searched_below_and_what_is_not_a_table_is_listed() {
    let base = std::fs::read(fixture("shapes/base.csv")).unwrap();
    let dir = temp_with(&[
        ("export/2026-11-28/contacts.csv", &base),
        ("export/.git/config.txt", b"[core]\n"),
        ("export/notes.txt", b"remember to export the accounts too\n"),
        ("export/README.md", b"# export\n"),
    ]);
    let (_, report) = audit_json(dir.path(), "export", &[]);
    let audited: Vec<&str> = report.files.iter().map(|f| f.input.path.as_str()).collect();
    assert_eq!(audited, vec!["export/2026-11-28/contacts.csv"]);
    assert_eq!(report.rows, 10);
    let skipped: Vec<(&str, &str)> = report
        .skipped
        .iter()
        .map(|s| (s.path.as_str(), s.reason.as_str()))
        .collect();
    assert!(
        skipped
            .iter()
            .any(|(p, r)| *p == "export/.git" && r.contains("hidden")),
        "{skipped:?}"
    );
    assert!(
        skipped.iter().any(|(p, _)| *p == "export/notes.txt"),
        "a one-line note is passed over, not an error: {skipped:?}"
    );
    assert!(skipped.iter().any(|(p, _)| *p == "export/README.md"));
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    // Not below --max-depth.
    let run = run_in(
        dir.path(),
        &["audit", "export", "--max-depth", "0", "--format", "json"],
    );
    assert_eq!(run.code, 2, "nothing left to audit: {}", run.stderr);
}

#[test]
fn a_map_can_be_forced_for_one_file_of_a_folder() {
    let base = std::fs::read(fixture("shapes/base.csv")).unwrap();
    let dir = temp_with(&[("export/Lead.csv", &base), ("export/contacts.csv", &base)]);
    let (_, report) = audit_json(
        dir.path(),
        "export",
        &["--field-map", "Lead.csv=salesforce/lead"],
    );
    let maps: Vec<(&str, Option<&str>, Option<&str>)> = report
        .files
        .iter()
        .map(|f| {
            (
                f.input.path.as_str(),
                f.input.map.as_deref(),
                f.input.map_chosen_by.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        maps,
        vec![
            ("export/Lead.csv", Some("salesforce/lead"), Some("option")),
            (
                "export/contacts.csv",
                Some("hubspot/contacts"),
                Some("header")
            ),
        ]
    );
}

#[test]
fn a_forced_map_that_fits_badly_names_the_better_fit() {
    // fixtures/hubspot/contacts.csv: hubspot/contacts knows 16 of its 17 labels (all but
    // Favorite Color, see fixtures/README.md); salesforce/account knows far fewer.
    let (_, report) = audit_json(
        &repo(),
        "fixtures/hubspot/contacts.csv",
        &["--field-map", "salesforce/account"],
    );
    let input = &report.inputs[0];
    assert_eq!(input.map.as_deref(), Some("salesforce/account"));
    assert_eq!(
        input.map_better_fit.as_deref(),
        Some("hubspot/contacts recognises 16 of the columns")
    );
}

#[test]
fn dictionary_aliases_extend_every_map() {
    let dictionary = "[aliases]\nowner = [\"Rep\"]\n[use_cases.routing]\ntitle = \"Routing\"\n[[use_cases.routing.requires]]\nfield = \"owner\"\nmin_fill = 0.5\n";
    let dir = temp_with(&[
        ("d.toml", dictionary.as_bytes()),
        (
            "c.csv",
            b"Email,First Name,Rep\na@x.test,Ana,Jane\nb@x.test,Ben,\n",
        ),
    ]);
    let (_, report) = audit_json(dir.path(), "c.csv", &["--dictionary", "d.toml"]);
    assert_eq!(report.field("Rep").canonical.as_deref(), Some("owner"));
    assert_eq!(report.use_case("routing").requirements[0].passing, 1);
    let bad = "[aliases]\nownr = [\"Rep\"]\n[use_cases.a]\ntitle = \"A\"\n[[use_cases.a.requires]]\nfield = \"email\"\nmin_fill = 0.5\n";
    let dir = temp_with(&[
        ("d.toml", bad.as_bytes()),
        ("c.csv", b"Email,First Name\na@x.test,Ana\n"),
    ]);
    let run = run_in(dir.path(), &["audit", "c.csv", "--dictionary", "d.toml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `owner`?"),
        "{}",
        run.stderr
    );
}
