//! The export generator shared by the `gen_export` example and the criterion bench.
//!
//! HubSpot shape: UTF-8 BOM, CRLF, ~40 columns with realistic fill rates, placeholders,
//! whitespace-only cells, and a free-text column with quoted commas and embedded newlines.
//! Salesforce shape: a Data Export `Lead.csv`, API names, every value quoted, empty lookups.

use std::io::Write;

/// splitmix64: tiny, fast, and the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

#[derive(Clone, Copy)]
pub enum Kind {
    Id,
    Name,
    Email,
    Phone,
    Company,
    Word(&'static [&'static str]),
    Number(u64),
    Date,
    Text,
    Url,
    Bool,
    SfId,
}

const FIRST: &[&str] = &[
    "Ana", "Ben", "Chloé", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivan", "Jo", "Kai", "Lea", "Mo",
    "Nia", "Oz", "Zoë",
];
const LAST: &[&str] = &[
    "Smith", "Jones", "Dupont", "Patel", "Ng", "Ali", "Berg", "Sato", "Petrov", "Kim", "Müller",
    "García",
];
const INDUSTRY: &[&str] = &[
    "Software",
    "Retail",
    "Banking",
    "Healthcare",
    "Manufacturing",
    "Education",
    "Other",
    "Telecommunications",
];
const STAGE: &[&str] = &[
    "subscriber",
    "lead",
    "marketingqualifiedlead",
    "salesqualifiedlead",
    "opportunity",
    "customer",
    "evangelist",
];
const STATUS: &[&str] = &[
    "New",
    "Open",
    "In Progress",
    "Open Deal",
    "Unqualified",
    "Attempted to Contact",
    "Connected",
];
const SOURCE: &[&str] = &[
    "Organic Search",
    "Paid Search",
    "Email Marketing",
    "Social Media",
    "Referrals",
    "Direct Traffic",
    "Offline Sources",
];
const COUNTRY: &[&str] = &[
    "United States",
    "France",
    "Germany",
    "Japan",
    "Brazil",
    "India",
    "United Kingdom",
    "NA",
];
const TITLE: &[&str] = &[
    "CEO",
    "VP Sales",
    "Software Engineer",
    "Marketing Manager",
    "Head of Operations",
    "Data Analyst",
    "CFO",
];
const OWNER: &[&str] = &["Jane Roe", "John Doe", "Ada Park", "Sam Lee"];
const PLACEHOLDERS: &[&str] = &["N/A", "unknown", "-", "null", "TBD", "#N/A", "none", "?"];
const WORDS: &[&str] = &[
    "renewal",
    "pricing",
    "demo",
    "follow up",
    "budget",
    "Q3",
    "integration",
    "security review",
    "champion",
    "procurement",
];

pub fn hubspot_columns() -> Vec<(&'static str, f64, Kind)> {
    use Kind::*;
    vec![
        ("Record ID", 1.0, Id),
        ("First Name", 0.97, Name),
        ("Last Name", 0.95, Name),
        ("Email", 0.93, Email),
        ("Phone Number", 0.55, Phone),
        ("Mobile Phone Number", 0.25, Phone),
        ("Company Name", 0.82, Company),
        ("Associated Company", 0.7, Company),
        ("Website URL", 0.6, Url),
        ("Industry", 0.58, Word(INDUSTRY)),
        ("Job Title", 0.66, Word(TITLE)),
        ("Job function", 0.3, Word(TITLE)),
        ("Persona", 0.2, Word(STAGE)),
        ("Lifecycle Stage", 0.99, Word(STAGE)),
        ("Lead Status", 0.62, Word(STATUS)),
        ("Annual Revenue", 0.35, Number(50_000_000)),
        ("Number of Employees", 0.48, Number(20_000)),
        ("Street Address", 0.4, Text),
        ("City", 0.7, Word(LAST)),
        ("State/Region", 0.65, Word(LAST)),
        ("Postal Code", 0.5, Number(99_999)),
        ("Country/Region", 0.78, Word(COUNTRY)),
        ("Create Date", 1.0, Date),
        ("Last Modified Date", 1.0, Date),
        ("Last Activity Date", 0.61, Date),
        ("Last Contacted", 0.52, Date),
        ("Contact owner", 0.9, Word(OWNER)),
        ("Original Source", 0.95, Word(SOURCE)),
        ("Original Source Drill-Down 1", 0.8, Word(WORDS)),
        ("Unsubscribed from all email", 0.1, Bool),
        ("Marketing contact status", 0.99, Bool),
        ("Number of Sales Activities", 0.7, Number(40)),
        ("Number of Pageviews", 0.75, Number(400)),
        ("Recent Deal Amount", 0.15, Number(200_000)),
        ("Time Zone", 0.45, Word(COUNTRY)),
        ("Preferred language", 0.3, Word(COUNTRY)),
        ("Message", 0.35, Text),
        ("Notes", 0.3, Text),
        ("Twitter Username", 0.05, Name),
        ("LinkedIn Bio", 0.12, Text),
    ]
}

pub fn salesforce_columns() -> Vec<(&'static str, f64, Kind)> {
    use Kind::*;
    vec![
        ("Id", 1.0, SfId),
        ("IsDeleted", 1.0, Bool),
        ("MasterRecordId", 0.02, SfId),
        ("LastName", 1.0, Name),
        ("FirstName", 0.96, Name),
        ("Salutation", 0.3, Word(&["Mr.", "Ms.", "Dr."])),
        ("Title", 0.64, Word(TITLE)),
        ("Company", 0.99, Company),
        ("Street", 0.5, Text),
        ("City", 0.7, Word(LAST)),
        ("State", 0.66, Word(LAST)),
        ("PostalCode", 0.5, Number(99_999)),
        ("Country", 0.75, Word(COUNTRY)),
        ("Phone", 0.6, Phone),
        ("MobilePhone", 0.3, Phone),
        ("Email", 0.9, Email),
        ("Website", 0.55, Url),
        ("Description", 0.25, Text),
        ("LeadSource", 0.85, Word(SOURCE)),
        ("Status", 1.0, Word(STATUS)),
        ("Industry", 0.57, Word(INDUSTRY)),
        ("Rating", 0.3, Word(&["Hot", "Warm", "Cold"])),
        ("AnnualRevenue", 0.33, Number(50_000_000)),
        ("NumberOfEmployees", 0.46, Number(20_000)),
        ("OwnerId", 1.0, SfId),
        ("HasOptedOutOfEmail", 1.0, Bool),
        ("IsConverted", 1.0, Bool),
        ("ConvertedDate", 0.2, Date),
        ("ConvertedAccountId", 0.2, SfId),
        ("ConvertedContactId", 0.2, SfId),
        ("CreatedDate", 1.0, Date),
        ("CreatedById", 1.0, SfId),
        ("LastModifiedDate", 1.0, Date),
        ("LastActivityDate", 0.58, Date),
        ("Persona__c", 0.22, Word(STAGE)),
    ]
}

fn value(rng: &mut Rng, row: u64, kind: Kind, out: &mut String) {
    use std::fmt::Write as _;
    match kind {
        Kind::Id => write!(out, "{}", 1_000_000 + row).unwrap(),
        Kind::SfId => {
            if rng.chance(0.1) {
                out.push_str("000000000000000AAA");
            } else {
                write!(out, "00Q5g{:013}", rng.below(10_000_000_000_000)).unwrap();
            }
        }
        Kind::Name => out.push_str(rng.pick(FIRST)),
        Kind::Email => write!(
            out,
            "{}.{}{}@example.com",
            rng.pick(FIRST).to_lowercase(),
            rng.pick(LAST).to_lowercase(),
            row
        )
        .unwrap(),
        Kind::Phone => write!(
            out,
            "+1 555 {:03} {:04}",
            rng.below(1000),
            rng.below(10_000)
        )
        .unwrap(),
        Kind::Company => write!(
            out,
            "{} {}",
            rng.pick(LAST),
            rng.pick(&["Inc.", "LLC", "GmbH", "SA", "Group"])
        )
        .unwrap(),
        Kind::Word(items) => out.push_str(rng.pick(items)),
        Kind::Number(max) => write!(out, "{}", rng.below(max) + 1).unwrap(),
        Kind::Date => write!(
            out,
            "2026-{:02}-{:02} {:02}:{:02}",
            1 + rng.below(12),
            1 + rng.below(28),
            rng.below(24),
            rng.below(60)
        )
        .unwrap(),
        Kind::Url => write!(
            out,
            "https://www.{}.example.com",
            rng.pick(LAST).to_lowercase()
        )
        .unwrap(),
        Kind::Bool => out.push_str(if rng.chance(0.2) { "true" } else { "false" }),
        Kind::Text => {
            // Quoted, with commas, doubled quotes and sometimes a line break inside.
            out.push('"');
            for i in 0..(3 + rng.below(12)) {
                if i > 0 {
                    out.push_str(if rng.chance(0.15) { ", " } else { " " });
                }
                out.push_str(rng.pick(WORDS));
            }
            if rng.chance(0.2) {
                out.push_str("\r\nsaid \"\"yes\"\"");
            }
            out.push('"');
        }
    }
}

/// Writes `rows` generated records of `vendor` ("hubspot" or "salesforce") with `seed`.
pub fn write_export(
    out: &mut dyn Write,
    vendor: &str,
    rows: u64,
    seed: u64,
) -> std::io::Result<()> {
    let (columns, bom, quote_all) = match vendor {
        "hubspot" => (hubspot_columns(), true, false),
        "salesforce" => (salesforce_columns(), false, true),
        other => return Err(std::io::Error::other(format!("unknown vendor {other}"))),
    };
    if bom {
        out.write_all(b"\xEF\xBB\xBF")?;
    }
    let header: Vec<String> = columns
        .iter()
        .map(|(name, _, _)| {
            if quote_all {
                format!("\"{name}\"")
            } else {
                (*name).to_owned()
            }
        })
        .collect();
    out.write_all(header.join(",").as_bytes())?;
    out.write_all(b"\r\n")?;
    let mut rng = Rng(seed);
    let mut line = String::with_capacity(4096);
    for row in 0..rows {
        line.clear();
        for (i, (_, fill, kind)) in columns.iter().enumerate() {
            if i > 0 {
                line.push(',');
            }
            let start = line.len();
            if rng.chance(*fill) {
                value(&mut rng, row, *kind, &mut line);
            } else {
                match rng.below(10) {
                    0..=5 => {}
                    6 | 7 => line.push_str(rng.pick(PLACEHOLDERS)),
                    _ => line.push_str(rng.pick(&["  ", " ", "\t"])),
                }
            }
            if quote_all && !line[start..].starts_with('"') {
                line.insert(start, '"');
                line.push('"');
            }
        }
        line.push_str("\r\n");
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}
