//! The audit where the data lives: measures compiled to one SQL scan of a warehouse table.
//! A small typed query model (aggregates of conditions on columns) rendered per dialect, so
//! identifiers and literals are quoted by construction, never pasted.
//!
//! This first part measures fill (records, blanks and placeholders of every column, by the
//! file audit's missing rule); validity, freshness, duplicates and `--from-sql-result` come
//! next, and the query's header says what it does not measure.

use std::fmt::Write as _;

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
    pub fn name(self) -> &'static str {
        match self {
            Dialect::DuckDb => "duckdb",
            Dialect::Spark => "spark",
            Dialect::Snowflake => "snowflake",
            Dialect::BigQuery => "bigquery",
            Dialect::Postgres => "postgres",
        }
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

/// A value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Column(String),
    /// The value without the padding the file audit trims (whitespace and NUL).
    Trimmed(Box<Expr>),
    Lower(Box<Expr>),
}

/// A condition on a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    IsNull(Expr),
    IsEmpty(Expr),
    In(Expr, Vec<String>),
    Or(Vec<Cond>),
    And(Vec<Cond>),
    Not(Box<Cond>),
}

/// One output column of the query.
#[derive(Debug, Clone, PartialEq)]
pub enum Aggregate {
    Rows,
    CountIf(Cond),
}

/// One scan of one table, one row out.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// Lines of the header comment.
    pub header: Vec<String>,
    pub table: String,
    /// (alias, aggregate), in output order.
    pub select: Vec<(String, Aggregate)>,
}

/// The padding the file audit trims: whitespace and NUL (Postgres text holds no NUL).
const PADDING: &[u32] = &[0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0x00];

fn padding(d: Dialect) -> String {
    PADDING
        .iter()
        .filter(|&&c| !(c == 0 && d == Dialect::Postgres))
        .map(|&c| d.character(c))
        .collect::<Vec<_>>()
        .join(" || ")
}

fn render_expr(e: &Expr, d: Dialect) -> String {
    match e {
        Expr::Column(name) => d.ident(name),
        Expr::Trimmed(inner) => {
            let x = render_expr(inner, d);
            let chars = padding(d);
            match d {
                Dialect::Postgres => format!("BTRIM({x}, {chars})"),
                Dialect::Spark => format!("TRIM(BOTH {chars} FROM {x})"),
                _ => format!("TRIM({x}, {chars})"),
            }
        }
        Expr::Lower(inner) => format!("LOWER({})", render_expr(inner, d)),
    }
}

fn render_cond(c: &Cond, d: Dialect) -> String {
    match c {
        Cond::IsNull(e) => format!("{} IS NULL", render_expr(e, d)),
        Cond::IsEmpty(e) => format!("{} = ''", render_expr(e, d)),
        Cond::In(e, values) => format!(
            "{} IN ({})",
            render_expr(e, d),
            values
                .iter()
                .map(|v| d.literal(v))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Cond::Or(parts) => format!(
            "({})",
            parts
                .iter()
                .map(|p| render_cond(p, d))
                .collect::<Vec<_>>()
                .join(" OR ")
        ),
        Cond::And(parts) => format!(
            "({})",
            parts
                .iter()
                .map(|p| render_cond(p, d))
                .collect::<Vec<_>>()
                .join(" AND ")
        ),
        Cond::Not(inner) => format!("NOT {}", render_cond(inner, d)),
    }
}

impl Query {
    /// The query's text in a dialect.
    pub fn render(&self, d: Dialect) -> String {
        let mut sql = String::new();
        for line in &self.header {
            // A comment line never ends the comment early: line breaks are spaces.
            let _ = writeln!(sql, "-- {}", line.replace(['\n', '\r'], " "));
        }
        sql.push_str("SELECT\n");
        let select: Vec<String> = self
            .select
            .iter()
            .map(|(alias, aggregate)| {
                let value = match aggregate {
                    Aggregate::Rows => "COUNT(*)".to_owned(),
                    Aggregate::CountIf(cond) => format!(
                        "COALESCE(SUM(CASE WHEN {} THEN 1 ELSE 0 END), 0)",
                        render_cond(cond, d)
                    ),
                };
                format!("  {value} AS {}", d.ident(alias))
            })
            .collect();
        sql.push_str(&select.join(",\n"));
        let _ = write!(sql, "\nFROM {};\n", d.table(&self.table));
        sql
    }
}

/// One column to measure: its name in the table and the placeholders its missing rule
/// counts as empty (lower case).
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnToMeasure {
    pub name: String,
    pub placeholders: Vec<String>,
}

/// The fill query of a table: `rows`, then per column (numbered from 1, in the order given)
/// `blank_N` (null, or only padding) and `placeholder_N` (a placeholder once trimmed,
/// compared in lower case).
pub fn fill_query(table: &str, columns: &[ColumnToMeasure], dialect: Dialect) -> Query {
    let mut header = vec![
        format!(
            "crm-ready {} fill audit of {table} ({}): one scan, one row.",
            env!("CARGO_PKG_VERSION"),
            dialect.name()
        ),
        "Measures: rows; per column blank_N (NULL, or only whitespace/NUL) and placeholder_N (a placeholder such as N/A once trimmed, any case).".to_owned(),
        "Not measured by this query yet: validity, freshness, duplicates, record counts in a window.".to_owned(),
    ];
    if dialect == Dialect::Postgres {
        header.push("Postgres text holds no NUL: NUL is not among the padding trimmed.".to_owned());
    }
    header.push("Columns:".to_owned());
    let mut select = vec![("rows".to_owned(), Aggregate::Rows)];
    for (i, c) in columns.iter().enumerate() {
        let n = i + 1;
        header.push(format!("  {n}: {}", c.name));
        let column = Expr::Column(c.name.clone());
        let trimmed = Expr::Trimmed(Box::new(column.clone()));
        let blank = Cond::Or(vec![
            Cond::IsNull(column.clone()),
            Cond::IsEmpty(trimmed.clone()),
        ]);
        select.push((format!("blank_{n}"), Aggregate::CountIf(blank.clone())));
        let placeholder = if c.placeholders.is_empty() {
            // Nothing is a placeholder: a condition that holds on no row.
            Cond::And(vec![
                Cond::IsNull(column.clone()),
                Cond::Not(Box::new(Cond::IsNull(column))),
            ])
        } else {
            Cond::And(vec![
                Cond::Not(Box::new(blank)),
                Cond::In(Expr::Lower(Box::new(trimmed)), c.placeholders.clone()),
            ])
        };
        select.push((format!("placeholder_{n}"), Aggregate::CountIf(placeholder)));
    }
    Query {
        header,
        table: table.to_owned(),
        select,
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
        assert_eq!(Dialect::BigQuery.table("p.d.t"), "`p.d.t`");
    }
}
