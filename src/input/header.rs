//! Header hygiene: trimmed names, stray BOMs removed, blank and duplicated names made unique, visibly.

use serde::Serialize;

/// A column whose name had to change so every column can be told apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    pub fn from_raw<S: AsRef<str>>(raw: &[S]) -> Header {
        let mut names: Vec<String> = Vec::with_capacity(raw.len());
        let mut renamed = Vec::new();
        let mut segments = Vec::with_capacity(raw.len());
        let mut objects: Vec<String> = Vec::new();
        for (i, name) in raw.iter().enumerate() {
            let original = name.as_ref();
            let clean = original
                .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '\0')
                .to_owned();
            let position = i + 1;
            if let Some(object) = object_marker(&clean)
                && !objects.iter().any(|o| o.eq_ignore_ascii_case(object))
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
            let taken = |candidate: &str| names.iter().any(|n| n.eq_ignore_ascii_case(candidate));
            let mut unique = base.clone();
            let mut n = 2;
            if taken(&unique) && segment > 0 {
                // Say which object the repeated column belongs to, as the export does.
                unique = format!("{base} ({})", objects[segment]);
            }
            while taken(&unique) {
                unique = format!("{base} ({n})");
                n += 1;
            }
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

    /// Why the first row cannot be a header, if it plainly holds data: an email address, a
    /// number or a date where a column name should be. Only positions are named, never values.
    pub fn looks_like_data(raw: &[&str]) -> Option<String> {
        for (i, cell) in raw.iter().enumerate() {
            let t = cell.trim();
            let what = if t.contains('@') && t.contains('.') && !t.contains(' ') {
                "an email address"
            } else if !t.is_empty()
                && t.bytes().all(|b| {
                    b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'/' | b':' | b' ' | b',')
                })
            {
                "a number or a date"
            } else {
                continue;
            };
            return Some(format!("column {} of the first row holds {what}", i + 1));
        }
        None
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
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
    }

    #[test]
    fn blank_names_get_their_position() {
        let h = Header::from_raw(&["a", " ", "b"]);
        assert_eq!(h.names, vec!["a", "column 2", "b"]);
        assert_eq!(h.renamed[0].reason, "blank header");
    }
}
