//! Header hygiene: trimmed names, stray BOMs removed, blank and duplicated names made unique, visibly.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

/// A column whose name had to change so every column can be told apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Renamed {
    /// 1-based position in the header.
    pub position: usize,
    pub original: String,
    pub renamed: String,
    pub reason: &'static str,
}

/// The cleaned header: one unique name per column, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub names: Vec<String>,
    pub renamed: Vec<Renamed>,
    /// Per column: 0 for the export's own object, k > 0 for the k-th other object of a joined
    /// export (HubSpot's contact + company export marks them with `Record ID - Company`).
    pub segments: Vec<usize>,
}

/// The object a `Record ID - <Object>` column introduces.
fn object_marker(name: &str) -> Option<&str> {
    let lower = name.to_ascii_lowercase();
    lower
        .starts_with("record id - ")
        .then(|| name["record id - ".len()..].trim())
}

impl Header {
    /// Cleans the names of a header row. Linear in the number of columns: names already taken
    /// are kept in a set, and each repeated name remembers the next suffix to try.
    pub fn from_raw<S: AsRef<str>>(raw: &[S]) -> Header {
        let mut names: Vec<String> = Vec::with_capacity(raw.len());
        let mut renamed = Vec::new();
        let mut segments = Vec::with_capacity(raw.len());
        let mut objects: Vec<String> = Vec::new();
        let mut objects_seen: HashSet<String> = HashSet::new();
        // Lower-cased names in use, and per base name the next number to try.
        let mut taken: HashSet<String> = HashSet::with_capacity(raw.len());
        let mut next_suffix: HashMap<String, usize> = HashMap::new();
        for (i, name) in raw.iter().enumerate() {
            let original = name.as_ref();
            let clean = original
                .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '\0')
                .to_owned();
            let position = i + 1;
            if let Some(object) = object_marker(&clean)
                && objects_seen.insert(object.to_lowercase())
            {
                objects.push(object.to_owned());
            }
            let segment = objects.len().saturating_sub(1);
            segments.push(segment);
            let (base, reason) = if clean.is_empty() {
                (format!("column {position}"), "blank header")
            } else {
                (clean, "duplicate header")
            };
            let mut unique = base.clone();
            if taken.contains(&unique.to_lowercase()) && segment > 0 {
                // Say which object the repeated column belongs to, as the export does.
                unique = format!("{base} ({})", objects[segment]);
            }
            if taken.contains(&unique.to_lowercase()) {
                let n = next_suffix.entry(base.to_lowercase()).or_insert(2);
                loop {
                    unique = format!("{base} ({n})");
                    *n += 1;
                    if !taken.contains(&unique.to_lowercase()) {
                        break;
                    }
                }
            }
            taken.insert(unique.to_lowercase());
            if unique != base || reason == "blank header" {
                renamed.push(Renamed {
                    position,
                    original: original.to_owned(),
                    renamed: unique.clone(),
                    reason,
                });
            }
            names.push(unique);
        }
        Header {
            names,
            renamed,
            segments,
        }
    }

    /// Names for a file without a header row (`--no-header`): `column_1`, `column_2`...
    pub fn numbered(width: usize) -> Header {
        Header {
            names: (1..=width).map(|i| format!("column_{i}")).collect(),
            renamed: Vec::new(),
            segments: vec![0; width],
        }
    }

    /// Why the first row cannot be a header, if it plainly holds data: an email address, a
    /// phone number, a number or date, a record id or a web address where a column name should
    /// be. Only positions are named, never values: the row may hold personal data.
    pub fn looks_like_data<S: AsRef<str>>(raw: &[S]) -> Option<String> {
        raw.iter().enumerate().find_map(|(i, cell)| {
            let what = data_shape(cell.as_ref().trim())?;
            Some(format!("column {} of the first row holds {what}", i + 1))
        })
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A date or time written with words or a clock: `3-Nov-2026`, `11/23/2026 9:14 AM`,
/// `2026-11-03T09:30:00Z`, `Nov 3, 2026`.
fn is_dated(lower: &str) -> bool {
    let digits = lower.chars().filter(char::is_ascii_digit).count();
    if digits < 2 {
        return false;
    }
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let only = |allowed: &dyn Fn(&str) -> bool| words.iter().all(|w| allowed(w));
    let is_number = |w: &str| w.chars().all(|c| c.is_ascii_digit());
    let is_month = |w: &str| MONTHS.iter().any(|m| w.starts_with(m)) && w.len() <= 9;
    let is_clock = |w: &str| matches!(w, "am" | "pm" | "t" | "z" | "utc" | "gmt");
    // ISO timestamps glue the T and Z to the numbers: 2026-11-03T09:30:00Z.
    let iso = lower.len() >= 16
        && lower.as_bytes()[..4].iter().all(u8::is_ascii_digit)
        && lower.as_bytes()[4] == b'-'
        && lower.contains('t');
    iso || only(&|w| is_number(w) || is_month(w) || is_clock(w))
        && words.iter().any(|w| is_month(w) || is_clock(w))
}

/// What kind of value a cell holds, when it is plainly a value and not a label.
fn data_shape(t: &str) -> Option<&'static str> {
    let lower = t.to_lowercase();
    // An address anywhere in it: `ana@acme.test`, `Ann Lee <ann@x.test>`, `a@x.test; b@y.test`.
    let has_email = t
        .split(|c: char| c.is_whitespace() || "<>;,()\"'".contains(c))
        .any(|w| {
            // Even an intranet `x@host`.
            w.split_once('@').is_some_and(|(user, domain)| {
                !user.is_empty()
                    && !domain.is_empty()
                    && domain
                        .chars()
                        .all(|c| c.is_alphanumeric() || ".-_".contains(c))
            })
        });
    if has_email {
        return Some("an email address");
    }
    if lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("www.")
        || lower.starts_with("tel:")
        || lower.starts_with("mailto:")
    {
        return Some("a web address");
    }
    // A bare domain: lower-case labels and a top-level domain of letters (`acme-example.com`;
    // Data Loader's `Account.Name` has capitals and is a label).
    let labels: Vec<&str> = t.split('.').collect();
    if labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_lowercase()))
    {
        return Some("a web address");
    }
    let b = lower.as_bytes();
    let iso_date = b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-';
    // 2026年11月3日, 3rd November 2026.
    let cjk_date = lower.chars().any(|c| "年月日".contains(c))
        && lower
            .chars()
            .all(|c| c.is_numeric() || "年月日 ".contains(c));
    let ordinal_date = lower.split_whitespace().any(|w| {
        w.trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .parse::<u32>()
            .is_ok_and(|d| (1..=31).contains(&d))
            && ["st", "nd", "rd", "th"].iter().any(|s| w.ends_with(s))
    }) && lower
        .split_whitespace()
        .any(|w| MONTHS.iter().any(|m| w.starts_with(m)));
    if is_dated(&lower) || iso_date || cjk_date || ordinal_date {
        return Some("a date or time");
    }
    // Excel's booleans and error values are values.
    if matches!(
        lower.as_str(),
        "true" | "false" | "#n/a" | "#value!" | "#ref!" | "#div/0!" | "#name?" | "#num!" | "#null!"
    ) {
        return Some("a value");
    }
    // Scientific notation (how Excel shows a phone number it took for a number) and amounts
    // with a unit: 1.55501E+10, $1.2M, 12.5k, −5.
    let plain = lower.replace('\u{2212}', "-");
    let numeric_body = plain
        .trim_start_matches(['$', '€', '£', '¥', '-', '+'])
        .trim_end_matches(['k', 'm', 'b']);
    if numeric_body.parse::<f64>().is_ok() && plain.chars().any(|c| c.is_ascii_digit()) {
        return Some("a number or a date");
    }
    // Numbers, amounts, percentages, phone numbers: digits (of any script) with the marks they
    // are written with; a word of letters is allowed only as a phone extension.
    let digits = t.chars().filter(|c| c.is_numeric()).count();
    let marks = |c: char| {
        c.is_numeric()
            || c.is_whitespace()
            || ".,-/:+()%#'\u{2010}\u{2011}\u{2012}\u{2013}\u{2014}".contains(c)
            || "$€£¥".contains(c)
    };
    let without_extension = lower
        .replace("ext.", " ")
        .replace("ext", " ")
        .replace('x', " ");
    if digits > 0 && without_extension.chars().all(marks) {
        return Some(
            if digits >= 7
                && (t.starts_with('+')
                    || t.contains('(')
                    || t.chars().any(char::is_whitespace)
                    || t.contains('-'))
            {
                "a phone number"
            } else {
                "a number or a date"
            },
        );
    }
    // Salesforce record ids (15 or 18 letters and digits) and UUIDs.
    let ascii_digits = t.bytes().filter(u8::is_ascii_digit).count();
    let alnum = t.bytes().all(|b| b.is_ascii_alphanumeric());
    if alnum && (t.len() == 15 || t.len() == 18) && ascii_digits >= 3 && ascii_digits < t.len() {
        return Some("a record id");
    }
    let groups: Vec<usize> = t.split('-').map(str::len).collect();
    if groups == [8, 4, 4, 4, 12] && t.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') {
        return Some("a record id");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_strips_bom() {
        let h = Header::from_raw(&["\u{feff}Email", "  First Name "]);
        assert_eq!(h.names, vec!["Email", "First Name"]);
        assert!(h.renamed.is_empty());
    }

    #[test]
    fn duplicates_are_kept_apart_by_position() {
        let h = Header::from_raw(&["Create Date", "Phone Number", "Create Date", "create date"]);
        assert_eq!(
            h.names,
            vec![
                "Create Date",
                "Phone Number",
                "Create Date (2)",
                "create date (3)"
            ]
        );
        assert_eq!(h.renamed.len(), 2);
        assert_eq!(h.renamed[0].position, 3);
        assert_eq!(h.renamed[0].reason, "duplicate header");
    }

    #[test]
    fn joined_exports_name_the_object_of_repeated_columns() {
        let h = Header::from_raw(&[
            "Record ID - Contact",
            "Create Date",
            "Phone Number",
            "Record ID - Company",
            "Create Date",
            "Phone Number",
        ]);
        assert_eq!(h.names[4], "Create Date (Company)");
        assert_eq!(h.names[5], "Phone Number (Company)");
        assert_eq!(h.segments, vec![0, 0, 0, 1, 1, 1]);
    }

    #[test]
    fn a_first_row_of_data_is_not_a_header() {
        assert!(Header::looks_like_data(&["Email", "Create Date"]).is_none());
        assert_eq!(
            Header::looks_like_data(&["Ana", "ana@acme.test"]).as_deref(),
            Some("column 2 of the first row holds an email address")
        );
        assert!(Header::looks_like_data(&["1001", "Ana"]).is_some());
        assert_eq!(
            Header::looks_like_data(&["Ana", "+1 (555) 010-2030"]).as_deref(),
            Some("column 2 of the first row holds a phone number")
        );
        assert_eq!(
            Header::looks_like_data(&["0035g00000XyZaBAAV", "Ana"]).as_deref(),
            Some("column 1 of the first row holds a record id")
        );
        assert!(Header::looks_like_data(&["www.acme.test"]).is_some());
        // Shapes a hostile test found slipping through.
        for value in [
            "Ann Lee <ann@x.test>",
            "a@x.test; b@x.test",
            "11/23/2026 9:14 AM",
            "2026-11-03T09:30:00Z",
            "3-Nov-2026",
            "Nov 3, 2026",
            "+1 555 010 2030 ext. 7",
            "555-0100x12",
            "+1\u{a0}555\u{a0}010\u{a0}2030",
            "555\u{2013}0100",
            "tel:+15550102030",
            "$1,234.00",
            "12%",
            "1.234,56 €",
            "acme-example.com",
            "\u{ff11}\u{ff12}\u{ff13}",
            "1.55501E+10",
            "TRUE",
            "#N/A",
            "\u{2212}5",
            "$1.2M",
            "12.5k",
            "2026年11月3日",
            "3rd November 2026",
            "x@x",
            "2026-11-03 09:30:00",
        ] {
            assert!(
                Header::looks_like_data(&["Name", value]).is_some(),
                "{value:?} is data"
            );
        }
        // Real labels, including Salesforce API names of 15 or 18 letters.
        assert!(
            Header::looks_like_data(&[
                "Id",
                "SystemModstamp",
                "LastActivityDate",
                "Phone Number",
                "Q1 2026 Revenue",
                "HasOptedOutOfEmail",
                "Account.Name",
                "Probability (%)",
                "No. of Employees",
                "Email Opt Out",
                "Created Date",
                "Last Activity",
                "Mobile Phone Number",
                "Number of Employees",
                "Date of Birth",
                "Mailing Zip/Postal Code",
                "Annual Revenue ($)",
                "Opted out of email: Marketing Information",
                "Maxed out"
            ])
            .is_none()
        );
    }

    #[test]
    fn many_repeated_names_are_renamed_in_linear_time() {
        let names = vec!["Email"; 20_000];
        let h = Header::from_raw(&names);
        assert_eq!(h.names[19_999], "Email (20000)");
        assert_eq!(h.renamed.len(), 19_999);
        // A name that already looks like a renamed one is not taken twice.
        let h = Header::from_raw(&["a", "a (2)", "a"]);
        assert_eq!(h.names, vec!["a", "a (2)", "a (3)"]);
    }

    #[test]
    fn blank_names_get_their_position() {
        let h = Header::from_raw(&["a", " ", "b"]);
        assert_eq!(h.names, vec!["a", "column 2", "b"]);
        assert_eq!(h.renamed[0].reason, "blank header");
    }
}
