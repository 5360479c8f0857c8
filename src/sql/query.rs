//! The typed query model: per-row expressions and conditions, aggregates over them, and a
//! query of steps (CTEs) rendered for one dialect. Identifiers and literals are quoted here
//! and nowhere else, so no name or value of a table can change the query's shape.

use std::fmt::Write as _;

use super::Dialect;

/// A value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A column of the table, as text (`CAST(col AS VARCHAR)`): warehouse columns are typed,
    /// the file audit reads text.
    Column(String),
    /// A value computed by an earlier step, by its alias.
    Ref(String),
    Str(String),
    Int(i64),
    /// The value without the padding the file audit trims (whitespace and NUL).
    Trimmed(Box<Expr>),
    Lower(Box<Expr>),
    /// Every match of a regular expression replaced by plain text (no group references).
    Replace(Box<Expr>, String, String),
    /// The first group of a regular expression's first match; NULL when none (or empty).
    Extract(Box<Expr>, String),
    Translate(Box<Expr>, String, String),
    Concat(Vec<Expr>),
    Length(Box<Expr>),
    /// Digits as an integer: `CAST(NULLIF(x, '') AS BIGINT)`.
    ToInt(Box<Expr>),
    /// An integer as text: `CAST(x AS VARCHAR)`.
    ToText(Box<Expr>),
    Arith(Box<Expr>, Op, Box<Expr>),
    /// The first branch whose condition holds, else NULL.
    Case(Vec<(Cond, Expr)>),
}

/// Integer arithmetic. `Div` and `Mod` are only used on non-negative values, where every
/// engine's integer division agrees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A condition on a row. A NULL operand makes it not hold.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    IsNull(Expr),
    NotNull(Expr),
    Cmp(Expr, CmpOp, Expr),
    In(Expr, Vec<String>),
    /// A regular expression found in the value (anchors written in the pattern).
    Matches(Expr, String),
    Or(Vec<Cond>),
    And(Vec<Cond>),
    Not(Box<Cond>),
    /// Holds on no row.
    Never,
}

impl Cond {
    pub fn and(parts: Vec<Cond>) -> Cond {
        match parts.len() {
            1 => parts.into_iter().next().expect("one part"),
            _ => Cond::And(parts),
        }
    }

    pub fn or(parts: Vec<Cond>) -> Cond {
        match parts.len() {
            0 => Cond::Never,
            1 => parts.into_iter().next().expect("one part"),
            _ => Cond::Or(parts),
        }
    }

    pub fn negate(inner: Cond) -> Cond {
        Cond::Not(Box::new(inner))
    }
}

/// One output column of the query.
#[derive(Debug, Clone, PartialEq)]
pub enum Aggregate {
    Rows,
    CountIf(Cond),
    CountDistinct(Expr),
    /// Records of the most common non-NULL value of a derived column (a grouped
    /// subquery over the last step).
    Dominant(String),
    /// Values of a derived column held by two records or more (a grouped subquery).
    Groups(String),
    /// A constant text (the fingerprint of the query).
    Literal(String),
    /// Rows of the table itself that a condition on its columns picks (the deleted rows a
    /// replicated table keeps, counted before they are left out).
    TableRows(Cond),
    /// A derived column the rows are grouped by (`Query::grouping`): its value, NULL in the
    /// rows of the other grouping sets.
    Key(String),
    /// 1 in the rows where a grouping column is not grouped by (the total, the other
    /// segments), 0 in its own: which set a row belongs to, whatever the key's values.
    Grouping(String),
}

/// One query: a filtered read of one table, steps that each add per-row values, and one
/// row of aggregates.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// Lines of the header comment.
    pub header: Vec<String>,
    pub table: String,
    /// Rows left out (replicated deletes).
    pub filter: Option<Cond>,
    /// Each step's (alias, value); a step reads the one before.
    pub steps: Vec<Vec<(String, Expr)>>,
    /// (alias, aggregate), in output order.
    pub select: Vec<(String, Aggregate)>,
    /// Derived columns broken down by, each a grouping set of its own beside the total:
    /// empty for one row.
    pub grouping: Vec<String>,
}

/// Whitespace and NUL, as the file audit trims them (`char::is_whitespace` or NUL).
pub const PADDING: &[u32] = &[
    0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0x00, 0x85, 0xA0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003,
    0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
];

/// Whitespace inside a regular expression's brackets: the ASCII ones escaped, the others
/// as themselves (every engine's regex reads a UTF-8 character in a class).
pub fn space_class() -> String {
    let mut class = String::from("\\t\\n\\x0B\\f\\r ");
    for &c in PADDING.iter().filter(|&&c| c > 0x7F) {
        class.push(char::from_u32(c).expect("a character"));
    }
    class
}

fn list(d: Dialect, values: &[String]) -> String {
    values
        .iter()
        .map(|v| d.literal(v))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Dialect {
    fn text_type(self) -> &'static str {
        match self {
            Dialect::Spark | Dialect::BigQuery => "STRING",
            Dialect::Postgres => "TEXT",
            Dialect::DuckDb | Dialect::Snowflake => "VARCHAR",
        }
    }

    fn int_type(self) -> &'static str {
        match self {
            Dialect::BigQuery => "INT64",
            _ => "BIGINT",
        }
    }

    /// The padding characters as one SQL string: ASCII ones by code (a tab, a NUL), the
    /// others as themselves. Postgres text holds no NUL, so it is not among them there.
    fn padding(self) -> String {
        let ascii = PADDING
            .iter()
            .filter(|&&c| c <= 0x7F && !(c == 0 && self == Dialect::Postgres))
            .map(|&c| self.character(c));
        let others: String = PADDING
            .iter()
            .filter(|&&c| c > 0x7F)
            .filter_map(|&c| char::from_u32(c))
            .collect();
        ascii
            .chain(std::iter::once(self.literal(&others)))
            .collect::<Vec<_>>()
            .join(" || ")
    }

    pub fn expr(self, e: &Expr) -> String {
        let d = self;
        match e {
            Expr::Column(name) => format!("CAST({} AS {})", d.ident(name), d.text_type()),
            Expr::Ref(alias) => d.ident(alias),
            Expr::Str(s) => d.literal(s),
            Expr::Int(n) => n.to_string(),
            Expr::Trimmed(inner) => {
                let x = d.expr(inner);
                let chars = d.padding();
                match d {
                    Dialect::Postgres => format!("BTRIM({x}, {chars})"),
                    Dialect::Spark => format!("TRIM(BOTH {chars} FROM {x})"),
                    _ => format!("TRIM({x}, {chars})"),
                }
            }
            Expr::Lower(inner) => format!("LOWER({})", d.expr(inner)),
            Expr::Replace(inner, pattern, with) => {
                let (x, p, w) = (d.expr(inner), d.literal(pattern), d.literal(with));
                match d {
                    Dialect::DuckDb | Dialect::Postgres => {
                        format!("REGEXP_REPLACE({x}, {p}, {w}, 'g')")
                    }
                    _ => format!("REGEXP_REPLACE({x}, {p}, {w})"),
                }
            }
            Expr::Extract(inner, pattern) => {
                let (x, p) = (d.expr(inner), d.literal(pattern));
                let found = match d {
                    Dialect::DuckDb | Dialect::Spark => format!("REGEXP_EXTRACT({x}, {p}, 1)"),
                    Dialect::Snowflake => format!("REGEXP_SUBSTR({x}, {p}, 1, 1, 'e', 1)"),
                    Dialect::BigQuery => format!("REGEXP_EXTRACT({x}, {p})"),
                    Dialect::Postgres => format!("SUBSTRING({x} FROM {p})"),
                };
                // DuckDB and Spark give '' where the others give NULL.
                format!("NULLIF({found}, '')")
            }
            Expr::Translate(inner, from, to) => format!(
                "TRANSLATE({}, {}, {})",
                d.expr(inner),
                d.literal(from),
                d.literal(to)
            ),
            Expr::Concat(parts) => format!(
                "({})",
                parts
                    .iter()
                    .map(|p| d.expr(p))
                    .collect::<Vec<_>>()
                    .join(" || ")
            ),
            Expr::Length(inner) => format!("LENGTH({})", d.expr(inner)),
            Expr::ToInt(inner) => {
                format!("CAST(NULLIF({}, '') AS {})", d.expr(inner), d.int_type())
            }
            Expr::ToText(inner) => format!("CAST({} AS {})", d.expr(inner), d.text_type()),
            Expr::Arith(a, op, b) => {
                let (a, b) = (d.expr(a), d.expr(b));
                match (op, d) {
                    (Op::Add, _) => format!("({a} + {b})"),
                    (Op::Sub, _) => format!("({a} - {b})"),
                    (Op::Mul, _) => format!("({a} * {b})"),
                    (Op::Div, Dialect::DuckDb) => format!("({a} // {b})"),
                    (Op::Div, Dialect::Spark) => format!("({a} DIV {b})"),
                    (Op::Div, Dialect::BigQuery) => format!("DIV({a}, {b})"),
                    (Op::Div, Dialect::Snowflake) => format!("FLOOR({a} / {b})"),
                    (Op::Div, Dialect::Postgres) => format!("({a} / {b})"),
                    (Op::Mod, Dialect::BigQuery) => format!("MOD({a}, {b})"),
                    (Op::Mod, _) => format!("({a} % {b})"),
                }
            }
            Expr::Case(branches) => {
                let mut s = String::from("CASE");
                for (cond, then) in branches {
                    let _ = write!(s, " WHEN {} THEN {}", d.cond(cond), d.expr(then));
                }
                s.push_str(" END");
                s
            }
        }
    }

    pub fn cond(self, c: &Cond) -> String {
        let d = self;
        match c {
            Cond::IsNull(e) => format!("{} IS NULL", d.expr(e)),
            Cond::NotNull(e) => format!("{} IS NOT NULL", d.expr(e)),
            Cond::Cmp(a, op, b) => {
                let op = match op {
                    CmpOp::Eq => "=",
                    CmpOp::Ne => "<>",
                    CmpOp::Lt => "<",
                    CmpOp::Le => "<=",
                    CmpOp::Gt => ">",
                    CmpOp::Ge => ">=",
                };
                format!("{} {op} {}", d.expr(a), d.expr(b))
            }
            Cond::In(_, values) if values.is_empty() => d.cond(&Cond::Never),
            Cond::In(e, values) => format!("{} IN ({})", d.expr(e), list(d, values)),
            Cond::Matches(e, pattern) => {
                let (x, p) = (d.expr(e), d.literal(pattern));
                match d {
                    Dialect::DuckDb => format!("REGEXP_MATCHES({x}, {p})"),
                    Dialect::Spark => format!("{x} RLIKE {p}"),
                    Dialect::Snowflake => format!("REGEXP_INSTR({x}, {p}) > 0"),
                    Dialect::BigQuery => format!("REGEXP_CONTAINS({x}, {p})"),
                    Dialect::Postgres => format!("{x} ~ {p}"),
                }
            }
            Cond::Or(parts) => format!(
                "({})",
                parts
                    .iter()
                    .map(|p| d.cond(p))
                    .collect::<Vec<_>>()
                    .join(" OR ")
            ),
            Cond::And(parts) => format!(
                "({})",
                parts
                    .iter()
                    .map(|p| d.cond(p))
                    .collect::<Vec<_>>()
                    .join(" AND ")
            ),
            // NULL inside is "not known": the outer test is on the whole being true.
            Cond::Not(inner) => format!("NOT COALESCE({}, FALSE)", d.cond(inner)),
            Cond::Never => "1 = 0".to_owned(),
        }
    }
}

/// The name of step `i`'s result.
fn step_name(i: usize) -> String {
    format!("crm_ready_step_{i}")
}

impl Query {
    /// The query's text in a dialect.
    pub fn render(&self, d: Dialect) -> String {
        let mut sql = String::new();
        for line in &self.header {
            // A comment line never ends the comment early: line breaks are spaces.
            let _ = writeln!(sql, "-- {}", line.replace(['\n', '\r'], " "));
        }
        let table = d.table(&self.table);
        let last = step_name(self.steps.len().saturating_sub(1));
        sql.push_str("WITH\n");
        let mut ctes = Vec::new();
        // The last step is read again by the grouped subqueries, and through it every step
        // before. DuckDB would keep a step read more than once whole, every derived column of
        // every row; recomputed, each subquery works out only the key it groups (1M rows: the
        // same time, 0.56 GB instead of 1.3).
        let subqueries = self
            .select
            .iter()
            .any(|(_, a)| matches!(a, Aggregate::Dominant(_) | Aggregate::Groups(_)));
        for (i, step) in self.steps.iter().enumerate() {
            let hint = if d == Dialect::DuckDb && subqueries {
                "NOT MATERIALIZED "
            } else {
                ""
            };
            let mut cte = format!("{} AS {hint}(\n  SELECT\n", d.ident(&step_name(i)));
            let mut columns: Vec<String> = Vec::new();
            if i > 0 {
                columns.push(format!("    {}.*", d.ident(&step_name(i - 1))));
            }
            for (alias, e) in step {
                columns.push(format!("    {} AS {}", d.expr(e), d.ident(alias)));
            }
            if columns.is_empty() {
                columns.push("    1 AS crm_ready_one".to_owned());
            }
            cte.push_str(&columns.join(",\n"));
            if i == 0 {
                let _ = write!(cte, "\n  FROM {table}");
                if let Some(filter) = &self.filter {
                    let _ = write!(cte, "\n  WHERE NOT COALESCE({}, FALSE)", d.cond(filter));
                }
            } else {
                let _ = write!(cte, "\n  FROM {}", d.ident(&step_name(i - 1)));
            }
            cte.push_str("\n)");
            ctes.push(cte);
        }
        sql.push_str(&ctes.join(",\n"));
        sql.push_str("\nSELECT\n");
        let select: Vec<String> = self
            .select
            .iter()
            .map(|(alias, aggregate)| {
                let value = match aggregate {
                    Aggregate::Rows => "COUNT(*)".to_owned(),
                    Aggregate::Literal(text) => d.literal(text),
                    Aggregate::CountIf(cond) => format!(
                        "COALESCE(SUM(CASE WHEN {} THEN 1 ELSE 0 END), 0)",
                        d.cond(cond)
                    ),
                    Aggregate::CountDistinct(e) => format!("COUNT(DISTINCT {})", d.expr(e)),
                    Aggregate::Dominant(column) => format!(
                        "(SELECT COALESCE(MAX(crm_ready_n), 0) FROM (SELECT COUNT(*) AS crm_ready_n FROM {} WHERE {c} IS NOT NULL GROUP BY {c}) AS crm_ready_g)",
                        d.ident(&last),
                        c = d.ident(column)
                    ),
                    Aggregate::Groups(column) => format!(
                        "(SELECT COUNT(*) FROM (SELECT {c} FROM {} WHERE {c} IS NOT NULL GROUP BY {c} HAVING COUNT(*) > 1) AS crm_ready_g)",
                        d.ident(&last),
                        c = d.ident(column)
                    ),
                    Aggregate::TableRows(cond) => format!(
                        "(SELECT COUNT(*) FROM {table} WHERE COALESCE({}, FALSE))",
                        d.cond(cond)
                    ),
                    Aggregate::Key(column) => d.ident(column),
                    Aggregate::Grouping(column) => format!("GROUPING({})", d.ident(column)),
                };
                format!("  {value} AS {}", d.ident(alias))
            })
            .collect();
        sql.push_str(&select.join(",\n"));
        let _ = write!(sql, "\nFROM {}", d.ident(&last));
        if !self.grouping.is_empty() {
            // The total row (the empty set) and one row per value of each key, in the same pass.
            let sets: Vec<String> = std::iter::once("()".to_owned())
                .chain(self.grouping.iter().map(|k| format!("({})", d.ident(k))))
                .collect();
            let _ = write!(sql, "\nGROUP BY GROUPING SETS ({})", sets.join(", "));
        }
        sql.push_str(";\n");
        sql
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_division_per_dialect() {
        let e = Expr::Arith(Box::new(Expr::Int(7)), Op::Div, Box::new(Expr::Int(2)));
        assert_eq!(Dialect::DuckDb.expr(&e), "(7 // 2)");
        assert_eq!(Dialect::Spark.expr(&e), "(7 DIV 2)");
        assert_eq!(Dialect::BigQuery.expr(&e), "DIV(7, 2)");
        let m = Expr::Arith(Box::new(Expr::Int(7)), Op::Mod, Box::new(Expr::Int(2)));
        assert_eq!(Dialect::BigQuery.expr(&m), "MOD(7, 2)");
        assert_eq!(Dialect::Postgres.expr(&m), "(7 % 2)");
    }

    #[test]
    fn an_empty_in_list_holds_on_no_row() {
        let c = Cond::In(Expr::Ref("x".into()), Vec::new());
        assert!(Dialect::DuckDb.cond(&c).starts_with("1 = 0"));
    }
}
