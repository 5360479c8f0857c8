//! `crm-ready sql`: the one-scan query of a warehouse table (fill, for now). It parses in
//! every dialect (sqlparser), quotes odd names, and on DuckDB gives the file audit's own
//! blank and placeholder counts for the same export.

mod common;

use common::*;
use serde_json::Value;
use sqlparser::dialect::{
    BigQueryDialect, Dialect, DuckDbDialect, HiveDialect, PostgreSqlDialect, SnowflakeDialect,
};
use sqlparser::parser::Parser;

const DIALECTS: [&str; 5] = ["duckdb", "spark", "snowflake", "bigquery", "postgres"];

fn parser_for(dialect: &str) -> Box<dyn Dialect> {
    match dialect {
        "duckdb" => Box::new(DuckDbDialect {}),
        "spark" => Box::new(HiveDialect {}),
        "snowflake" => Box::new(SnowflakeDialect {}),
        "bigquery" => Box::new(BigQueryDialect {}),
        _ => Box::new(PostgreSqlDialect {}),
    }
}

/// The example export's header, as an engine would list its columns.
fn example_columns() -> Vec<String> {
    let text = std::fs::read_to_string(fixture("hubspot/contacts.csv")).unwrap();
    let first = text.lines().next().unwrap().trim_start_matches('\u{feff}');
    first.split(',').map(str::to_owned).collect()
}

fn sql(dir: &std::path::Path, dialect: &str, table: &str, columns: &str) -> Run {
    run_in(
        dir,
        &[
            "sql",
            "--dialect",
            dialect,
            "--table",
            table,
            "--columns",
            columns,
        ],
    )
}

#[test]
fn the_query_parses_in_every_dialect_with_odd_names() {
    let dir = temp_with(&[]);
    for dialect in DIALECTS {
        let mut columns = example_columns();
        columns.push("it's \"odd\"".to_owned());
        // BigQuery column names cannot hold a backtick (and sqlparser does not read its
        // backslash escape); the others quote it by doubling.
        if dialect != "bigquery" {
            columns.push("back`tick".to_owned());
        }
        std::fs::write(dir.path().join("columns.txt"), columns.join("\n")).unwrap();
        let run = sql(dir.path(), dialect, "crm.contacts", "columns.txt");
        assert_eq!(run.code, 0, "{dialect}: {}", run.stderr);
        let statements = Parser::parse_sql(&*parser_for(dialect), &run.stdout)
            .unwrap_or_else(|e| panic!("{dialect}: {e}\n{}", run.stdout));
        assert_eq!(statements.len(), 1, "{dialect}: one statement");
        // rows, then blank and placeholder per column.
        let selected = run.stdout.matches(" AS ").count();
        assert_eq!(selected, 1 + 2 * columns.len(), "{dialect}");
        assert!(
            run.stdout.contains("Not measured by this query yet"),
            "{dialect}"
        );
    }
}

#[test]
fn a_column_list_that_names_nothing_is_refused() {
    let dir = temp_with(&[]);
    let run = sql(dir.path(), "duckdb", "t", " , ");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--columns names no column"),
        "{}",
        run.stderr
    );
}

/// Runs the query in DuckDB (the Python package) on the example export and compares every
/// column's blanks and placeholders with the file audit's. Skipped, and said so, when the
/// package is not installed; CI installs it (`pip install duckdb`).
#[test]
fn duckdb_counts_what_the_file_audit_counts() {
    if !needs(
        "duckdb_counts_what_the_file_audit_counts",
        &["python3", "-c", "import duckdb"],
        "the duckdb Python package is not installed (pip install duckdb)",
    ) {
        return;
    }
    let dir = temp_with(&[]);
    std::fs::copy(
        fixture("hubspot/contacts.csv"),
        dir.path().join("contacts.csv"),
    )
    .unwrap();
    let columns = example_columns();
    let query = sql(dir.path(), "duckdb", "contacts", &columns.join(","));
    assert_eq!(query.code, 0, "{}", query.stderr);
    std::fs::write(dir.path().join("audit.sql"), &query.stdout).unwrap();
    let script = r#"
import duckdb, json
con = duckdb.connect()
con.execute("CREATE TABLE contacts AS SELECT * FROM read_csv('contacts.csv', header=true, all_varchar=true)")
cur = con.execute(open('audit.sql').read())
names = [d[0] for d in cur.description]
print(json.dumps(dict(zip(names, cur.fetchone()))))
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    // The example's counts by construction (fixtures/README.md): (column, blank, placeholder).
    let by_hand: [(&str, u64, u64); 17] = [
        ("Record ID", 0, 0),
        ("First Name", 1, 0),
        ("Last Name", 0, 0),
        ("Email", 0, 1),
        ("Phone Number", 5, 3),
        ("Company Name", 2, 1),
        ("Job Title", 5, 2),
        ("Industry", 3, 5),
        ("Lifecycle Stage", 0, 0),
        ("Lead Status", 5, 0),
        ("Number of Employees", 10, 0),
        ("Country/Region", 3, 0),
        ("Create Date", 0, 0),
        ("Last Activity Date", 6, 0),
        ("Contact owner", 0, 0),
        ("Original Source", 2, 0),
        ("Favorite Color", 13, 0),
    ];
    assert_eq!(result["rows"], 20);
    for (n, (column, blank, placeholder)) in by_hand.iter().enumerate() {
        assert_eq!(columns[n], *column);
        assert_eq!(
            result[format!("blank_{}", n + 1)],
            *blank,
            "blank of {column}"
        );
        assert_eq!(
            result[format!("placeholder_{}", n + 1)],
            *placeholder,
            "placeholders of {column}"
        );
    }
    // And the file audit agrees with the warehouse, column by column.
    let audit = run_in(dir.path(), &["audit", "contacts.csv", "--format", "json"]);
    let json: Value = serde_json::from_str(&audit.stdout).unwrap();
    let fields = json["files"][0]["fields"].as_array().unwrap();
    assert_eq!(result["rows"], json["files"][0]["rows"]);
    assert_eq!(fields.len(), columns.len());
    for (i, field) in fields.iter().enumerate() {
        let n = i + 1;
        assert_eq!(field["column"], columns[i].as_str());
        assert_eq!(
            result[format!("blank_{n}")],
            field["blank"],
            "blank of {}",
            columns[i]
        );
        assert_eq!(
            result[format!("placeholder_{n}")],
            field["placeholder"],
            "placeholders of {}",
            columns[i]
        );
    }
}
