//! The audit where the data lives: the dictionary compiled to one SQL scan of a warehouse
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

    /// A table name, dotted parts quoted one by one: `analytics.crm.contact`.
    pub fn table(self, name: &str) -> String {
        if self == Dialect::BigQuery {
            // BigQuery quotes a whole path as one identifier.
            return self.ident(name);
        }
        name.split('.')
            .map(|part| self.ident(part))
            .collect::<Vec<_>>()
            .join(".")
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
}
