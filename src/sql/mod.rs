//! The audit where the data lives: the dictionary compiled to one SQL query over a warehouse
//! table (`audit`), built from a small typed query model rendered per dialect (`query`), and
//! its one-row result read back into the file audit's counters (`result`), so that verdicts,
//! fix-first, history and exit code come from the same code as a file audit's.

pub mod audit;
pub mod query;
pub mod result;

/// The engines the query is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    DuckDb,
    Spark,
    Snowflake,
    BigQuery,
    Postgres,
}

impl Dialect {
    pub const ALL: [Dialect; 5] = [
        Dialect::DuckDb,
        Dialect::Spark,
        Dialect::Snowflake,
        Dialect::BigQuery,
        Dialect::Postgres,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Dialect::DuckDb => "duckdb",
            Dialect::Spark => "spark",
            Dialect::Snowflake => "snowflake",
            Dialect::BigQuery => "bigquery",
            Dialect::Postgres => "postgres",
        }
    }

    pub fn from_name(name: &str) -> Option<Dialect> {
        Dialect::ALL.into_iter().find(|d| d.name() == name)
    }

    /// An identifier, quoted: `"it's ""odd"""`, or with backticks in Spark and BigQuery.
    pub fn ident(self, name: &str) -> String {
        match self {
            Dialect::Spark | Dialect::BigQuery => {
                // BigQuery escapes a backtick with a backslash, Spark by doubling it.
                let escaped = if self == Dialect::BigQuery {
                    name.replace('\\', "\\\\").replace('`', "\\`")
                } else {
                    name.replace('`', "``")
                };
                format!("`{escaped}`")
            }
            _ => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// A string literal. Spark, Snowflake and BigQuery read backslash escapes inside quotes.
    pub fn literal(self, text: &str) -> String {
        match self {
            // Spark reads backslash escapes too, but a quote or backslash is written as
            // CHAR(39) / CHAR(92): sqlparser's Spark dialect (and some tools) read the
            // escapes otherwise, and the query must mean one thing to every reader.
            Dialect::Spark if text.contains(['\\', '\'']) => {
                let mut parts = Vec::new();
                let mut plain = String::new();
                for c in text.chars() {
                    match c {
                        '\\' | '\'' => {
                            if !plain.is_empty() {
                                parts.push(format!("'{}'", std::mem::take(&mut plain)));
                            }
                            parts.push(format!("CHAR({})", u32::from(c)));
                        }
                        _ => plain.push(c),
                    }
                }
                if !plain.is_empty() {
                    parts.push(format!("'{plain}'"));
                }
                format!("CONCAT({})", parts.join(", "))
            }
            Dialect::Spark | Dialect::Snowflake | Dialect::BigQuery => {
                format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
            }
            Dialect::DuckDb | Dialect::Postgres => format!("'{}'", text.replace('\'', "''")),
        }
    }

    /// A one-character string from its code point (a tab, a NUL) without writing it raw.
    fn character(self, code: u32) -> String {
        match self {
            Dialect::BigQuery => format!("CODE_POINTS_TO_STRING([{code}])"),
            Dialect::Spark => format!("CHAR({code})"),
            _ => format!("CHR({code})"),
        }
    }

    /// A table name, dotted parts quoted one by one: `analytics.crm.contact`. A part given
    /// unquoted names what the engine would find unquoted: Snowflake folds it to upper case
    /// (a table Fivetran made is `ANALYTICS.CRM.LEAD`), Postgres to lower case; a part given
    /// in double quotes (`crm."Lead"`) keeps its case.
    pub fn table(self, name: &str) -> String {
        let parts = table_parts(name).unwrap_or_else(|_| vec![(name.to_owned(), true)]);
        if self == Dialect::BigQuery {
            // BigQuery quotes a whole path as one identifier.
            let path: Vec<String> = parts.into_iter().map(|(part, _)| part).collect();
            return self.ident(&path.join("."));
        }
        parts
            .into_iter()
            .map(|(part, quoted)| match self {
                // Both fold ASCII letters only (Postgres in a UTF-8 database).
                Dialect::Snowflake if !quoted => self.ident(&part.to_ascii_uppercase()),
                Dialect::Postgres if !quoted => self.ident(&part.to_ascii_lowercase()),
                _ => self.ident(&part),
            })
            .collect::<Vec<_>>()
            .join(".")
    }
}

/// The dotted parts of a table name, each with whether it was given quoted (in double
/// quotes, or in backticks as Spark and BigQuery write them).
pub fn table_parts(name: &str) -> Result<Vec<(String, bool)>, String> {
    let mut parts = Vec::new();
    let mut chars = name.trim().chars().peekable();
    loop {
        let mut part = String::new();
        let quote = chars.peek().copied().filter(|c| *c == '"' || *c == '`');
        if let Some(q) = quote {
            chars.next();
            loop {
                match chars.next() {
                    Some(c) if c == q && chars.peek() == Some(&q) => {
                        chars.next();
                        part.push(q);
                    }
                    Some(c) if c == q => break,
                    Some(c) => part.push(c),
                    None => return Err(format!("{name}: a quote is not closed")),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == '.' {
                    break;
                }
                if c == '"' || c == '`' {
                    return Err(format!(
                        "{name}: a quote inside a part; quote a whole part (crm.\"Lead\")"
                    ));
                }
                part.push(c);
                chars.next();
            }
            part = part.trim().to_owned();
        }
        let quoted = quote.is_some();
        if part.trim().is_empty() {
            return Err(format!("{name}: an empty part between dots"));
        }
        parts.push((part, quoted));
        match chars.next() {
            None => return Ok(parts),
            Some('.') => {}
            Some(c) => return Err(format!("{name}: {c:?} after a quoted part, expected a dot")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_and_literals_are_quoted_per_dialect() {
        let odd = "it's \"odd\"";
        assert_eq!(Dialect::DuckDb.ident(odd), "\"it's \"\"odd\"\"\"");
        assert_eq!(Dialect::Spark.ident("a`b"), "`a``b`");
        assert_eq!(Dialect::BigQuery.ident("a`b"), "`a\\`b`");
        assert_eq!(Dialect::Postgres.literal("it's"), "'it''s'");
        assert_eq!(Dialect::Snowflake.literal("it's \\"), "'it\\'s \\\\'");
        assert_eq!(Dialect::Spark.table("db.contact"), "`db`.`contact`");
        assert_eq!(
            Dialect::Spark.literal("it's \\."),
            "CONCAT('it', CHAR(39), 's ', CHAR(92), '.')"
        );
        assert_eq!(Dialect::Spark.literal("plain"), "'plain'");
        assert_eq!(Dialect::BigQuery.table("p.d.t"), "`p.d.t`");
    }

    #[test]
    fn unquoted_table_parts_fold_as_the_engine_folds_them() {
        assert_eq!(
            Dialect::Snowflake.table("analytics.crm.lead"),
            "\"ANALYTICS\".\"CRM\".\"LEAD\""
        );
        assert_eq!(
            Dialect::Snowflake.table("analytics.\"Crm\".lead"),
            "\"ANALYTICS\".\"Crm\".\"LEAD\""
        );
        assert_eq!(Dialect::Postgres.table("CRM.Lead"), "\"crm\".\"lead\"");
        assert_eq!(
            Dialect::Postgres.table("crm.\"Le.ad\"\"s\""),
            "\"crm\".\"Le.ad\"\"s\""
        );
        assert_eq!(Dialect::DuckDb.table("Crm.Lead"), "\"Crm\".\"Lead\"");
        assert_eq!(Dialect::Postgres.table("Lead_ÄÖ"), "\"lead_ÄÖ\"");
        assert_eq!(Dialect::BigQuery.table("crm.\"Lead\""), "`crm.Lead`");
        assert_eq!(Dialect::BigQuery.table("`proj.ds.tbl`"), "`proj.ds.tbl`");
        assert_eq!(Dialect::Snowflake.table(" crm . lead "), "\"CRM\".\"LEAD\"");
        assert!(table_parts("crm.Lead\"x\"").is_err());
        assert!(table_parts("a..b").is_err());
        assert!(table_parts("a.\"b").is_err());
    }
}
