//! The checks beyond fill (validity, freshness, duplicates, consistency, consent and reach,
//! record counts in a window) on exports built here, whose answers are counted by
//! construction in the comments beside each value.

mod common;

use common::*;

/// 10 HubSpot contacts; what each column holds is counted in the test below, value by value.
const CONTACTS: &str = "\
First Name,Last Name,Email,Phone Number,Company Name,Country/Region,Industry,Lifecycle Stage,Last Activity Date,Unsubscribed from all email\n\
Ana,Lima,ana@acme.com,+1 415 555 0101,Acme,United States,Technology,lead,2026-11-20,false\n\
Ana,Lima,ANA@acme.com ,415-555-0101,Acme,USA,technology,Lead,11/01/2026,false\n\
Bo,Chan,info@acme.com,000-000-0000,Acme,U.S.,TECHNOLOGY,customer,2019-05-02,true\n\
Cy,Dee,jane at acme.com,555-01,Beta,Germany,Retail,customer,soon,false\n\
Di,Eve,joe@gmail.com,+49 30 1234567,Beta,DEU,Retail ,subscriber,2026-13-01,false\n\
Ed,Fox,ed@beta.io,call me,Beta,Narnia,Retail,bogus,2027-06-01,false\n\
Fa,Gil,a@@b.com,,Gamma,,Banking,customer,2026-06-01,false\n\
Gu,Ho,bob@acme,,Gamma,,Banking,customer,2026-10-30,false\n\
Ana,Lima,ana@acme.com,,Acme,,Technology,lead,,true\n\
Hi,Jo,,,Delta,Spain,MÃ¼nchen Tech,lead,,false\n";

#[test]
fn validity_freshness_duplicates_consistency_and_reach_are_counted() {
    let dir = temp_with(&[("contacts.csv", CONTACTS.as_bytes())]);
    let (_, report) = audit_json(dir.path(), "contacts.csv", &["--as-of", "2026-11-28"]);
    assert_eq!(report.rows, 10);

    let email = report.field("Email");
    assert_eq!(email.field_type.as_deref(), Some("email"));
    assert_eq!(email.filled, 9);
    // Valid: rows 1, 2, 3, 5, 6, 9.
    assert_eq!(email.valid, Some(6));
    assert_eq!(email.valid_rate, Some(0.6));
    let invalid: Vec<(&str, u64)> = email
        .invalid
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(
        invalid,
        vec![("bad_domain", 1), ("no_at", 1), ("several_at", 1)]
    );
    assert_eq!(email.personal_domain, Some(1)); // joe@gmail.com
    assert_eq!(email.role_account, Some(1)); // info@acme.com
    assert!(email.examples.is_empty(), "no values without --show-values");

    // Phone: 6 filled; valid rows 1, 2, 5 (14155550101, 4155550101, 49301234567);
    // 000-000-0000 repeated_digit, 555-01 too_short, `call me` not_a_phone.
    let phone = report.field("Phone Number");
    assert_eq!((phone.filled, phone.valid), (6, Some(3)));
    assert_eq!(phone.invalid["repeated_digit"], 1);
    assert_eq!(phone.invalid["too_short"], 1);
    assert_eq!(phone.invalid["not_a_phone"], 1);

    // Country: 7 filled; Narnia is not a country. United States, USA, U.S. are one country:
    // 7 raw distinct (United States, USA, U.S., Germany, DEU, Narnia, Spain), 4 normalised
    // (US, DE, narnia, ES): 3 variants.
    let country = report.field("Country/Region");
    assert_eq!((country.filled, country.valid), (7, Some(6)));
    assert_eq!(country.invalid["not_a_country"], 1);
    assert_eq!(country.distinct, Some(7));
    assert_eq!(country.variants, Some(3));

    // Industry: raw Technology, technology, TECHNOLOGY, Retail, "Retail ", Banking,
    // MÃ¼nchen Tech = 7; normalised technology, retail, banking, mÃ¼nchen tech = 4.
    let industry = report.field("Industry");
    assert_eq!(industry.distinct, Some(7));
    assert_eq!(industry.variants, Some(3));
    assert_eq!(industry.mojibake, 1);
    // Most common normalised value: technology on 4 of 10 records.
    assert_eq!(industry.dominant_count, Some(4));
    assert_eq!(industry.dominant_share, Some(0.4));
    assert_eq!(
        industry.dominant_value, None,
        "no values without --show-values"
    );

    // Lifecycle Stage: HubSpot's standard values; `bogus` is not one.
    let stage = report.field("Lifecycle Stage");
    assert_eq!((stage.filled, stage.valid), (10, Some(9)));
    assert_eq!(stage.invalid["not_allowed"], 1);

    // Last Activity Date on 2026-11-28: 8 filled. Valid: 2026-11-20 (8 days), 11/01/2026
    // (27 days, month first: no value shows day first), 2019-05-02 (older), 2026-06-01
    // (180 days), 2026-10-30 (29 days) = 5. Invalid: soon (not_a_date), 2026-13-01
    // (impossible_date), 2027-06-01 (in_the_future: a record-history date).
    let activity = report.field("Last Activity Date");
    assert_eq!((activity.filled, activity.valid), (8, Some(5)));
    assert_eq!(activity.invalid["not_a_date"], 1);
    assert_eq!(activity.invalid["impossible_date"], 1);
    assert_eq!(activity.invalid["in_the_future"], 1);
    let age = activity.age.as_ref().unwrap();
    assert_eq!(age["<=30"], 3);
    assert_eq!(age["<=180"], 1);
    assert_eq!(age["older"], 1);
    // soon and 2026-13-01 cannot be read; 2027-06-01 is a date, but in the future.
    assert_eq!(age["unparseable"], 2);
    assert_eq!(age["future"], 1);
    let order = activity.date_order.as_ref().unwrap();
    assert_eq!(
        (order.order.as_str(), order.decided_by.as_str()),
        ("month_first", "default")
    );
    assert_eq!(order.ambiguous, 1);

    // Email key: valid addresses ana (rows 1, 2, 9), info (3), joe (5), ed (6): 6 records,
    // 4 distinct, 1 group, 2 duplicate records: rate 2/10.
    let dup = report.duplicates("email");
    assert_eq!(
        (dup.records, dup.distinct, dup.groups, dup.duplicate_records),
        (6, 4, 1, 2)
    );
    assert_eq!(dup.duplicate_rate, 0.2);
    // Name + company: Ana Lima Acme (rows 1, 2, 9) and 7 others = 10 records, 8 distinct.
    let names = report.duplicates("name_company");
    assert_eq!(
        (names.records, names.distinct, names.duplicate_records),
        (10, 8, 2)
    );
    // Phone key: valid numbers +1 415 555 0101, 415-555-0101 (the same North American number,
    // with and without its country code) and +49 30 1234567: 3 records, 2 distinct.
    let phones = report.duplicates("phone");
    assert_eq!(
        (phones.records, phones.distinct, phones.duplicate_records),
        (3, 2, 1)
    );

    // Reach: the opt-out column blocks rows 3 (info@) and 9 (ana@, whose other records are
    // not opted out: the address is blocked). Reachable: joe, ed = 2 of 4 addresses.
    let reach = report.files[0].reach.as_ref().unwrap();
    assert_eq!(reach.consent_columns, vec!["Unsubscribed from all email"]);
    assert_eq!(
        (reach.addresses, reach.reachable, reach.opted_out),
        (4, 2, 2)
    );
    let reachable = report.measure("email_personalization", "email", "reachable");
    assert_eq!(reachable.observed, Some(2.0));
    assert_eq!(reachable.records_needed, 98);
}

#[test]
fn show_values_gives_masked_examples_and_the_common_value() {
    let dir = temp_with(&[("contacts.csv", CONTACTS.as_bytes())]);
    let (_, report) = audit_json(
        dir.path(),
        "contacts.csv",
        &["--as-of", "2026-11-28", "--show-values"],
    );
    let email = report.field("Email");
    let examples: Vec<(&str, &str)> = email
        .examples
        .iter()
        .map(|e| (e.reason.as_str(), e.value.as_str()))
        .collect();
    assert_eq!(
        examples,
        vec![
            ("bad_domain", "b***@acme"),
            ("no_at", "j*** at acme.com"),
            ("several_at", "a***@b.com")
        ]
    );
    let phone = report.field("Phone Number");
    assert!(phone.examples.iter().all(|e| e.value.starts_with("***")));
    assert_eq!(
        report.field("Industry").dominant_value.as_deref(),
        Some("TECHNOLOGY")
    );
}

#[test]
fn a_day_first_column_is_read_day_first_and_says_so() {
    // 25/10 can only be day first; 03/11 and 01/11 are ambiguous; all valid day first.
    let csv = "First Name,Email,Last Activity Date\nA,a@x.io,25/10/2026\nB,b@x.io,03/11/2026\nC,c@x.io,01/11/2026\n";
    let dir = temp_with(&[("contacts.csv", csv.as_bytes())]);
    let (_, report) = audit_json(
        dir.path(),
        "contacts.csv",
        &["--as-of", "2026-11-28", "--field-map", "hubspot/contacts"],
    );
    let f = report.field("Last Activity Date");
    let order = f.date_order.as_ref().unwrap();
    assert_eq!(order.order, "day_first");
    assert_eq!((order.evidence, order.against, order.ambiguous), (1, 0, 2));
    assert_eq!(f.valid, Some(3));
    // Day first: 2026-10-25 (34 days), 2026-11-03 (25), 2026-11-01 (27).
    let age = f.age.as_ref().unwrap();
    assert_eq!((age["<=30"], age["<=90"]), (2, 1));
}

/// A Salesforce lead export of 1,000 leads: `inside` of them created 10 days before
/// 2026-11-28, the rest 300 days before; the first 130 converted.
fn leads(inside: usize) -> String {
    let mut csv =
        String::from("Id,FirstName,LastName,Company,Email,Status,CreatedDate,IsConverted\n");
    for i in 0..1000 {
        let created = if i < inside {
            "2026-11-18"
        } else {
            "2026-02-01"
        };
        let converted = if i < 130 { "true" } else { "false" };
        csv.push_str(&format!(
            "00Q5g00000{i:05}AAA,F{i},L{i},Co{i},p{i}@co{i}.com,Working - Contacted,{created}T10:00:00.000Z,{converted}\n"
        ));
    }
    csv
}

#[test]
fn einstein_lead_scoring_gate_flips_between_999_and_1000_leads_in_the_window() {
    for (inside, verdict_met) in [(999, false), (1000, true)] {
        let dir = temp_with(&[("Lead.csv", leads(inside).as_bytes())]);
        let (_, report) = audit_json(dir.path(), "Lead.csv", &["--as-of", "2026-11-28"]);
        assert_eq!(report.inputs[0].map.as_deref(), Some("salesforce/lead"));
        let reqs = &report.use_case("einstein_lead_scoring").requirements;
        let created = &reqs[0];
        assert_eq!(created.measure, "count");
        assert_eq!(created.observed, Some(inside as f64));
        assert_eq!(created.met, verdict_met, "{inside}: {}", created.reason);
        assert_eq!(created.records_needed, 1000 - inside as u64);
        // Converted in the window: 130 (all converted leads are among the first 999).
        let converted = &reqs[1];
        assert_eq!(converted.observed, Some(130.0));
        assert!(converted.met);
        assert_eq!(
            converted.condition.as_deref(),
            Some("is_converted is true, created_at in the last 200 days")
        );
        // 1,000 inside the window meets the line but within the 5% margin: at risk.
        let verdict = report.verdict("einstein_lead_scoring");
        assert_eq!(
            verdict,
            if verdict_met { "at_risk" } else { "blocked" },
            "{inside}"
        );
    }
}

#[test]
fn a_gate_whose_column_is_missing_blocks_and_asks_for_it() {
    let csv = leads(1000)
        .replace(",IsConverted\n", "\n")
        .lines()
        .map(|l| {
            l.rsplit_once(',').map_or(l.to_owned(), |(head, last)| {
                if last == "true" || last == "false" {
                    head.to_owned()
                } else {
                    l.to_owned()
                }
            })
        })
        .collect::<Vec<_>>()
        .join("\n");
    let dir = temp_with(&[("Lead.csv", csv.as_bytes())]);
    let (_, report) = audit_json(dir.path(), "Lead.csv", &["--as-of", "2026-11-28"]);
    assert_eq!(report.verdict("einstein_lead_scoring"), "blocked");
    let converted = &report.use_case("einstein_lead_scoring").requirements[1];
    assert_eq!(converted.status, "failed");
    assert_eq!(
        converted.reason,
        "no IsConverted column: export it to check this gate"
    );
    assert!(report.re_export.iter().any(|r| r.label == "IsConverted"));
}

#[test]
fn an_invalid_pattern_is_a_config_error_with_its_place() {
    let dict = "[fields.email]\npattern = '^[a-z+$'\n\n[use_cases.x]\ntitle = \"X\"\n[[use_cases.x.requires]]\nfield = \"email\"\nmin_valid = 0.5\n";
    let dir = temp_with(&[("d.toml", dict.as_bytes()), ("c.csv", CONTACTS.as_bytes())]);
    let run = run_in(dir.path(), &["audit", "c.csv", "--dictionary", "d.toml"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("d.toml:2:11"), "{}", run.stderr);
    assert!(run.stderr.contains("invalid pattern"), "{}", run.stderr);
}

#[test]
fn a_requirement_with_two_measures_is_a_config_error() {
    let dict = "[use_cases.x]\ntitle = \"X\"\n[[use_cases.x.requires]]\nfield = \"email\"\nmin_valid = 0.5\nmin_fill = 0.5\n";
    let dir = temp_with(&[("d.toml", dict.as_bytes()), ("c.csv", CONTACTS.as_bytes())]);
    let run = run_in(dir.path(), &["audit", "c.csv", "--dictionary", "d.toml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("more than one measure: min_fill, min_valid"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_fill_only_dictionary_gets_a_fill_only_audit() {
    let dir = temp_with(&[("contacts.csv", CONTACTS.as_bytes())]);
    let fill_only = fixture("dictionaries/fill_only.toml");
    let (_, report) = audit_json(
        dir.path(),
        "contacts.csv",
        &["--dictionary", fill_only.to_str().unwrap()],
    );
    let email = report.field("Email");
    assert_eq!(email.field_type.as_deref(), Some("email"));
    assert_eq!((email.filled, email.valid), (9, None));
    assert!(report.files[0].duplicates.is_empty());
    assert_eq!(report.files[0].reach, None);
}

// Found by the hostile run of the checks.

/// 40,000 leads: `OwnerA` on 25,000, every other lead its own owner (15,000 values).
fn owners() -> String {
    let mut csv = String::from("Id,FirstName,LastName,Company,Email,Status,CreatedDate,OwnerId\n");
    for k in 0..40_000u64 {
        let owner = if (k * 7919) % 40_000 < 25_000 {
            "OwnerA".to_owned()
        } else {
            format!("U{k:06}")
        };
        csv.push_str(&format!(
            "00Q5g0000{k:06}AAA,A,B,C,a{k}@c.com,Open - Not Contacted,2026-11-01,{owner}\n"
        ));
    }
    csv
}

#[test]
fn a_dominant_value_past_ten_thousand_distinct_is_found_whatever_the_threads() {
    let dict = "[use_cases.x]\ntitle = \"X\"\nobjects = [\"lead\"]\n[[use_cases.x.requires]]\nfield = \"owner\"\nmax_dominant_share = 0.5\n";
    let dir = temp_with(&[
        ("Lead.csv", owners().as_bytes()),
        ("d.toml", dict.as_bytes()),
    ]);
    let mut outputs = Vec::new();
    for threads in ["1", "2", "3"] {
        let (run, report) = audit_json(
            dir.path(),
            "Lead.csv",
            &["--dictionary", "d.toml", "-j", threads],
        );
        let owner = report.field("OwnerId");
        assert_eq!(owner.distinct, None, "more than 10,000 distinct owners");
        assert!(owner.distinct_over_limit);
        // 25,000 exactly when OwnerA is in the sample; an upper bound a few records over
        // when it is found among the rest.
        let count = owner.dominant_count.unwrap();
        assert!(
            (25_000..25_100).contains(&count),
            "{count} with -j {threads}"
        );
        assert_eq!(report.verdict("x"), "blocked", "-j {threads}");
        assert_eq!(run.code, 1);
        outputs.push(run.stdout);
    }
    assert!(
        outputs.windows(2).all(|w| w[0] == w[1]),
        "same bytes whatever -j"
    );
}

#[test]
fn salesforce_report_dates_with_a_comma_are_read() {
    let csv = "Lead ID,First Name,Company,Created Date\n00Q5g00000A0001AAA,A,Co,\"11/28/2026, 9:14 AM\"\n00Q5g00000A0002AAA,B,Co,\"11/20/2026, 4:30 PM\"\n";
    let dir = temp_with(&[("leads.csv", csv.as_bytes())]);
    let (_, report) = audit_json(dir.path(), "leads.csv", &["--as-of", "2026-11-28"]);
    let created = report.field("Created Date");
    assert_eq!(created.valid, Some(2));
    let gate = &report.use_case("einstein_lead_scoring").requirements[0];
    assert_eq!(gate.observed, Some(2.0));
}

#[test]
fn opportunity_gates_use_is_won_and_is_closed_whatever_the_stages_are_called() {
    // 3 won, 2 lost (renamed stages), 2 open, all closing within 730 days of 2026-11-28.
    let csv = "Id,Name,StageName,Amount,CloseDate,IsClosed,IsWon\n\
0065g00000A0001AAA,a,Closed - Won,100,2026-01-01,true,true\n\
0065g00000A0002AAA,b,Won (signed),100,2026-02-01,true,true\n\
0065g00000A0003AAA,c,Closed Won,,2026-03-01,true,true\n\
0065g00000A0004AAA,d,Closed - Lost,,2026-04-01,true,false\n\
0065g00000A0005AAA,e,Lost to competitor,,2025-05-01,true,false\n\
0065g00000A0006AAA,f,Negotiation/Review,,2026-12-20,false,false\n\
0065g00000A0007AAA,g,Prospecting,50,2027-01-20,false,false\n";
    let dir = temp_with(&[("Opportunity.csv", csv.as_bytes())]);
    let (_, report) = audit_json(dir.path(), "Opportunity.csv", &["--as-of", "2026-11-28"]);
    let gates = &report.use_case("einstein_opportunity_scoring").requirements;
    assert_eq!(gates[0].observed, Some(3.0), "won");
    assert_eq!(gates[1].observed, Some(2.0), "lost");
    // Forecasting: Amount on 1 of the 2 open opportunities.
    let forecast = &report.use_case("einstein_forecasting").requirements[0];
    assert_eq!(forecast.observed, Some(0.5));
    assert_eq!(forecast.passing, 1);
}

#[test]
fn where_values_compare_without_punctuation() {
    let csv = "Id,Name,StageName,Amount,CloseDate\n0065g00000A0001AAA,a,Closed - Won,100,2026-01-01\n0065g00000A0002AAA,b,closed won,100,2026-01-01\n0065g00000A0003AAA,c,Closed Lost,100,2026-01-01\n";
    let dict = "[use_cases.x]\ntitle = \"X\"\n[[use_cases.x.requires]]\nmin_count = 2\nwhere = { field = \"deal_stage\", in = [\"Closed Won\"] }\n";
    let dir = temp_with(&[
        ("Opportunity.csv", csv.as_bytes()),
        ("d.toml", dict.as_bytes()),
    ]);
    let (_, report) = audit_json(dir.path(), "Opportunity.csv", &["--dictionary", "d.toml"]);
    assert_eq!(report.use_case("x").requirements[0].observed, Some(2.0));
}

#[test]
fn a_pattern_on_a_date_field_and_a_date_field_that_is_no_date_are_config_errors() {
    let dict = "[fields.created_at]\npattern = '^NEVER$'\n\n[use_cases.x]\ntitle = \"X\"\n[[use_cases.x.requires]]\nmin_count = 10\nwithin_days = 30\ndate_field = \"email\"\n[[use_cases.x.requires]]\nfield = \"email\"\nmin_fresh = 0.5\nwithin_days = 30\n";
    let dir = temp_with(&[("d.toml", dict.as_bytes()), ("c.csv", CONTACTS.as_bytes())]);
    let run = run_in(dir.path(), &["audit", "c.csv", "--dictionary", "d.toml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("d.toml:2:11: `pattern` does not apply to a date field"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("date_field `email` is not a date field"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("min_fresh needs a date field; `email` is email"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_platform_website_is_not_a_company_domain() {
    let csv = "Id,Name,Website,Industry\n0015g00000A0001AAA,Acme,https://www.linkedin.com/company/acme,x\n0015g00000A0002AAA,Beta,https://linkedin.com/company/beta,x\n0015g00000A0003AAA,Gamma,gamma.io,x\n0015g00000A0004AAA,Gamma Inc,www.gamma.io,x\n";
    let dir = temp_with(&[("Account.csv", csv.as_bytes())]);
    let (_, report) = audit_json(dir.path(), "Account.csv", &[]);
    // Only gamma.io twice: 2 records with the key, 1 duplicate.
    let domain = report.duplicates("domain");
    assert_eq!(
        (domain.records, domain.distinct, domain.duplicate_records),
        (2, 1, 1)
    );
}

#[test]
fn overlapping_count_gates_are_not_added_in_to_ready() {
    // 5 leads, none converted: the lead gate needs 1,050 more (1,000 plus the 5% margin,
    // less 5), the converted gate 126; converted leads are leads, so 1,050 in all.
    let (_, report) = {
        let csv = leads_without_conversions();
        let dir = temp_with(&[("Lead.csv", csv.as_bytes())]);
        audit_json(dir.path(), "Lead.csv", &["--as-of", "2026-11-28"])
    };
    let to_ready = &report.use_case("einstein_lead_scoring").to_ready;
    assert_eq!(to_ready.records, 1045);
    assert_eq!(to_ready.fill, vec!["record count"]);
}

fn leads_without_conversions() -> String {
    let mut csv = String::from("Id,FirstName,LastName,Company,CreatedDate,IsConverted\n");
    for i in 0..5 {
        csv.push_str(&format!("00Q5g00000{i:05}AAA,F,L,C,2026-11-01,false\n"));
    }
    csv
}

#[test]
fn values_outside_the_standard_picklist_point_to_allowed() {
    // Lead Status holds an org's own values: 3 of 3 not in HubSpot's list.
    let csv = "First Name,Email,Lead Status\nA,a@x.io,Hot\nB,b@x.io,Warm\nC,c@x.io,Hot\n";
    let dict = "[use_cases.x]\ntitle = \"X\"\n[[use_cases.x.requires]]\nfield = \"lead_status\"\nmin_valid = 0.8\n";
    let dir = temp_with(&[("c.csv", csv.as_bytes()), ("d.toml", dict.as_bytes())]);
    let (_, report) = audit_json(
        dir.path(),
        "c.csv",
        &["--dictionary", "d.toml", "--field-map", "hubspot/contacts"],
    );
    let req = report.measure("x", "lead_status", "valid");
    assert_eq!((req.passing, req.records_needed), (0, 3));
    assert!(
        req.reason
            .contains("list them with `allowed` in [fields.lead_status]"),
        "{}",
        req.reason
    );
}
