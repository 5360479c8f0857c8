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
}

impl Header {
    pub fn from_raw<S: AsRef<str>>(raw: &[S]) -> Header {
        let mut names: Vec<String> = Vec::with_capacity(raw.len());
        let mut renamed = Vec::new();
        for (i, name) in raw.iter().enumerate() {
            let original = name.as_ref();
            let clean = original
                .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '\0')
                .to_owned();
            let position = i + 1;
            let (base, reason) = if clean.is_empty() {
                (format!("column {position}"), "blank header")
            } else {
                (clean, "duplicate header")
            };
            let taken = |candidate: &str| names.iter().any(|n| n.eq_ignore_ascii_case(candidate));
            let mut unique = base.clone();
            let mut n = 2;
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
        Header { names, renamed }
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
    fn blank_names_get_their_position() {
        let h = Header::from_raw(&["a", " ", "b"]);
        assert_eq!(h.names, vec!["a", "column 2", "b"]);
        assert_eq!(h.renamed[0].reason, "blank header");
    }
}
