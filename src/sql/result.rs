//! The query's one-row result, as an engine's CLI writes it (CSV, TSV or JSON), read back
//! into the file audit's counters: the same report code then judges it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::audit::{AuditQuery, ReadingNames};
use super::query::Aggregate;
use crate::audit::Plan;
use crate::audit::checks::count::{CountCounter, Readings};
use crate::audit::checks::duplicates::IdentityKey;
use crate::audit::checks::freshness::Tally;
use crate::audit::checks::reach::Consent;
use crate::audit::checks::validity::Invalid;
use crate::audit::counters::{FillCounter, TableCounters};
use crate::audit::segments::{SegmentCounter, Segments};
use crate::model::{DuplicateReport, ReachReport};

/// What the query was written for: the first column of its result, so the result is read
/// back with the same columns, map, dictionary and day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fingerprint {
    pub crm_ready_sql: u32,
    pub dialect: String,
    pub table: String,
    pub as_of: String,
    pub map: Option<String>,
    pub dictionary: String,
    pub columns: Vec<String>,
    /// `--by`: the fields broken down by, one row per segment besides the total.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by: Vec<String>,
}

/// The version of the result's shape; a result of another is refused.
pub const VERSION: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum ResultError {
    #[error("cannot read the SQL result {}: {source}", crate::shown::path(path))]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: {message}", crate::shown::path(path))]
    Shape { path: PathBuf, message: String },
    #[error(
        "{}: no column {column:?}; it is not the result of the query `crm-ready sql` wrote for these columns (run that query again and save all its output columns)",
        crate::shown::path(path)
    )]
    Missing { path: PathBuf, column: String },
    #[error(
        "{}: column {column:?} holds {value:?}, expected a count (a whole number of 0 or more)",
        crate::shown::path(path)
    )]
    NotACount {
        path: PathBuf,
        column: String,
        value: String,
    },
}

/// One row of the result: output column (lower case) -> its text.
type Row = BTreeMap<String, String>;

/// The result's total row, and with `--by` its rows per segment.
pub struct ResultRow {
    pub path: PathBuf,
    pub values: Row,
    /// The rows of the `--by` breakdown's grouping sets (a `grouping_` column 0).
    pub segments: Vec<Row>,
    pub bytes: Vec<u8>,
}

/// Output columns that tell a breakdown's rows from the total (`GROUPING(key)`); no other
/// output column's name starts so.
pub const GROUPING_PREFIX: &str = "grouping_";

impl ResultRow {
    /// The result at `path`, or on standard input for `-`.
    pub fn read(path: &Path) -> Result<ResultRow, ResultError> {
        let read = if path.as_os_str() == "-" {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes).map(|_| bytes)
        } else {
            std::fs::read(path)
        };
        let bytes = read.map_err(|source| ResultError::Read {
            path: path.to_owned(),
            source,
        })?;
        let shape = |message: String| ResultError::Shape {
            path: path.to_owned(),
            message,
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(shape(
                "empty: the engine wrote nothing (did the query fail? its error is on the engine's output)".to_owned(),
            ));
        }
        // PowerShell 5's `>` writes UTF-16 with a byte-order mark.
        let text: std::borrow::Cow<str> = match encoding_rs::Encoding::for_bom(&bytes) {
            Some((encoding, bom)) if encoding != encoding_rs::UTF_8 => {
                let (text, errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
                if errors {
                    return Err(shape(format!(
                        "not valid {} text; save the result as CSV or JSON in UTF-8",
                        encoding.name()
                    )));
                }
                text
            }
            _ => std::borrow::Cow::Borrowed(std::str::from_utf8(&bytes).map_err(|e| {
                shape(format!(
                    "not UTF-8 text ({e}); save the result as CSV or JSON"
                ))
            })?),
        };
        let text = text.trim_start_matches('\u{feff}');
        let trimmed = text.trim_start();
        let rows = if trimmed.starts_with('[') || trimmed.starts_with('{') {
            json_rows(trimmed).map_err(shape)?
        } else {
            csv_rows(text).map_err(shape)?
        };
        let (values, segments) = total_row(rows).map_err(shape)?;
        Ok(ResultRow {
            path: path.to_owned(),
            values,
            segments,
            bytes,
        })
    }

    pub fn text(&self, column: &str) -> Result<&str, ResultError> {
        self.text_of(&self.values, column)
    }

    pub fn count(&self, column: &str) -> Result<u64, ResultError> {
        self.count_of(&self.values, column)
    }

    fn text_of<'a>(&self, row: &'a Row, column: &str) -> Result<&'a str, ResultError> {
        row.get(column)
            .map(String::as_str)
            .ok_or_else(|| ResultError::Missing {
                path: self.path.clone(),
                column: column.to_owned(),
            })
    }

    fn count_of(&self, row: &Row, column: &str) -> Result<u64, ResultError> {
        let text = self.text_of(row, column)?.trim();
        // Some engines write counts as decimals (Snowflake's NUMBER, `12.0`).
        let digits = text.strip_suffix(".0").unwrap_or(text);
        digits.parse().map_err(|_| ResultError::NotACount {
            path: self.path.clone(),
            column: column.to_owned(),
            value: text.chars().take(40).collect(),
        })
    }

    pub fn fingerprint(&self) -> Result<Fingerprint, ResultError> {
        let text = self.text("crm_ready")?;
        let fingerprint: Fingerprint =
            serde_json::from_str(text).map_err(|e| ResultError::Shape {
                path: self.path.clone(),
                message: format!(
                    "its crm_ready column is not the fingerprint `crm-ready sql` writes ({e})"
                ),
            })?;
        if fingerprint.crm_ready_sql != VERSION {
            return Err(ResultError::Shape {
                path: self.path.clone(),
                message: format!(
                    "the query was written by a crm-ready whose result shape is {} (this one reads {VERSION}); write the query again with this version",
                    fingerprint.crm_ready_sql
                ),
            });
        }
        Ok(fingerprint)
    }
}

/// The total row (every grouping column 1, or the only row of a query without `--by`) and
/// the rows of the breakdown (one grouping column 0).
fn total_row(rows: Vec<Row>) -> Result<(Row, Vec<Row>), String> {
    if rows.is_empty() {
        return Err("no row: the result holds only a header".to_owned());
    }
    let mut totals = Vec::new();
    let mut segments = Vec::new();
    for (i, row) in rows.into_iter().enumerate() {
        let mut grouped = 0;
        for (column, value) in row.iter().filter(|(k, _)| k.starts_with(GROUPING_PREFIX)) {
            match value.trim() {
                "0" => grouped += 1,
                "1" => {}
                other => {
                    return Err(format!(
                        "row {}: column {column:?} holds {other:?}, expected 0 or 1 (GROUPING of a --by key)",
                        i + 1
                    ));
                }
            }
        }
        match grouped {
            0 => totals.push(row),
            1 => segments.push(row),
            _ => {
                return Err(format!(
                    "row {}: {grouped} grouping columns are 0; a row of the query belongs to one segment or to the total",
                    i + 1
                ));
            }
        }
    }
    match totals.len() {
        1 => Ok((totals.remove(0), segments)),
        0 => Err("no total row (one whose grouping columns are all 1): save the whole result of the query".to_owned()),
        n if segments.is_empty() => Err(format!(
            "{n} rows: the query returns one row (with --by, one per segment besides the total, told apart by its grouping_ columns: save every column); save only its result"
        )),
        n => Err(format!(
            "{n} total rows (grouping columns all 1): save the result of one run of the query"
        )),
    }
}

fn json_rows(text: &str) -> Result<Vec<Row>, String> {
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        // JSON Lines: one object a line.
        Err(_) => {
            let rows: Result<Vec<serde_json::Value>, _> = text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(serde_json::from_str)
                .collect();
            serde_json::Value::Array(rows.map_err(|e| format!("not JSON ({e})"))?)
        }
    };
    let objects = match value {
        serde_json::Value::Array(rows) => rows,
        other => vec![other],
    };
    objects
        .into_iter()
        .map(|object| {
            let serde_json::Value::Object(map) = object else {
                return Err("expected a JSON object of the query's columns".to_owned());
            };
            Ok(map
                .into_iter()
                .map(|(k, v)| {
                    let text = match v {
                        serde_json::Value::String(s) => s,
                        serde_json::Value::Null => String::new(),
                        other => other.to_string(),
                    };
                    (k.to_lowercase(), text)
                })
                .collect())
        })
        .collect()
}

fn csv_rows(text: &str) -> Result<Vec<Row>, String> {
    // A CLI may print the output of statements run before the query (spark-sql's
    // `Response code` of a `USE` or `CREATE VIEW`, psql's `SET`): the result starts at the
    // header, whose first column is the fingerprint's.
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let head = line.trim_start().trim_start_matches('"');
        if head
            .get(..9)
            .is_some_and(|h| h.eq_ignore_ascii_case("crm_ready"))
        {
            break;
        }
        start += line.len();
    }
    let text = if start < text.len() {
        &text[start..]
    } else {
        text
    };
    let first = text.lines().next().unwrap_or_default();
    // The delimiter the header uses most: comma (DuckDB, psql --csv, snowsql, bq), tab
    // (spark-sql), or the pipe of psql -A.
    let delimiter = [b',', b'\t', b'|', b';']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    // spark-sql writes tab-separated values raw, without quotes: a quote is data there.
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .quoting(delimiter != b'\t')
        .from_reader(text.as_bytes());
    let unreadable = |e: csv::Error| {
        if delimiter == b'\t' {
            format!(
                "cannot read it as tab-separated values ({e}): a value holding a tab or a line break breaks spark-sql's output; save the result as CSV or JSON instead (from a notebook or pyspark: df.write.csv)"
            )
        } else {
            format!("not CSV ({e})")
        }
    };
    let header: Vec<String> = reader
        .headers()
        .map_err(unreadable)?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .map_err(unreadable)?;
    let rows: Vec<csv::StringRecord> = rows
        .into_iter()
        .filter(|r| !(r.len() == 1 && r[0].trim().is_empty()))
        .collect();
    rows.iter()
        .enumerate()
        .map(|(i, row)| {
            if row.len() != header.len() {
                return Err(format!(
                    "row {} has {} values for {} columns",
                    i + 1,
                    row.len(),
                    header.len()
                ));
            }
            Ok(header
                .iter()
                .cloned()
                .zip(row.iter().map(str::to_owned))
                .collect())
        })
        .collect()
}

/// What the result measured, in the file audit's terms.
pub struct Measured {
    pub counters: TableCounters,
    pub rows: u64,
    pub deleted: Option<(u64, String)>,
    /// Per column, the records of its most common value, where counted.
    pub dominant: Vec<Option<u64>>,
    pub duplicates: Vec<DuplicateReport>,
    pub reach: Option<ReachReport>,
}

fn tally(row: &ResultRow, names: &ReadingNames) -> Result<Tally, ResultError> {
    let mut tally = Tally {
        valid: row.count(&names.valid)?,
        ..Tally::default()
    };
    tally.invalid[Invalid::NotADate as usize] = row.count(&names.not_a_date)?;
    tally.invalid[Invalid::Before1900 as usize] = row.count(&names.before_1900)?;
    tally.invalid[Invalid::ImpossibleDate as usize] = row.count(&names.impossible)?;
    tally.invalid[Invalid::InTheFuture as usize] = row.count(&names.in_the_future)?;
    for (slot, name) in tally.ages.iter_mut().zip(&names.ages) {
        *slot = row.count(name)?;
    }
    tally.fresh = names
        .fresh
        .iter()
        .map(|n| row.count(n))
        .collect::<Result<_, _>>()?;
    Ok(tally)
}

/// The counters of the result, laid out as the file audit's scan leaves them.
pub fn measured(plan: &Plan, query: &AuditQuery, row: &ResultRow) -> Result<Measured, ResultError> {
    let rows = row.count(&query.rows)?;
    bounded(row, &row.values, query, rows, true)?;
    for names in &query.columns {
        let (blank, placeholder) = (row.count(&names.blank)?, row.count(&names.placeholder)?);
        if blank + placeholder > rows {
            return Err(ResultError::Shape {
                path: row.path.clone(),
                message: format!(
                    "columns {:?} and {:?} count {} missing values of {rows} records: the result does not come from this query, or was edited",
                    names.blank,
                    names.placeholder,
                    blank + placeholder
                ),
            });
        }
    }
    let mut counters = TableCounters::new(plan.columns.len());
    let mut dominant = Vec::with_capacity(plan.columns.len());
    for (counter, names) in counters.columns.iter_mut().zip(&query.columns) {
        counter.fill = FillCounter {
            rows,
            blank: row.count(&names.blank)?,
            placeholder: row.count(&names.placeholder)?,
        };
        let filled = counter.fill.filled();
        let checks = &mut counter.checks;
        if let Some(valid) = &names.valid {
            checks.valid.checked = filled;
            checks.valid.valid = row.count(valid)?;
        }
        for (why, n) in &names.reasons {
            checks.valid.invalid[*why as usize] = row.count(n)?;
        }
        if let Some(n) = &names.not_allowed {
            checks.valid.invalid[Invalid::NotAllowed as usize] = row.count(n)?;
        }
        if let Some(n) = &names.no_pattern_match {
            checks.valid.invalid[Invalid::NoPatternMatch as usize] = row.count(n)?;
        }
        if let Some(n) = &names.personal_domain {
            checks.valid.personal_domain = row.count(n)?;
        }
        if let Some(n) = &names.role_account {
            checks.valid.role_account = row.count(n)?;
        }
        if let Some(date) = &names.date {
            let dates = &mut checks.dates;
            dates.checked = filled;
            dates.fixed = tally(row, &date.readings[0])?;
            dates.slash = [
                tally(row, &date.readings[1])?,
                tally(row, &date.readings[2])?,
            ];
            dates.slash_values = row.count(&date.slash_values)?;
            dates.day_first_evidence = row.count(&date.day_first_evidence)?;
            dates.month_first_evidence = row.count(&date.month_first_evidence)?;
            dates.ambiguous = row.count(&date.ambiguous)?;
        }
        dominant.push(names.dominant.as_ref().map(|n| row.count(n)).transpose()?);
    }
    counters.combined = query
        .combined
        .iter()
        .map(|name| {
            let filled = row.count(name)?;
            Ok(FillCounter {
                rows,
                blank: rows.saturating_sub(filled),
                placeholder: 0,
            })
        })
        .collect::<Result<_, ResultError>>()?;
    counters.from_accounts = vec![0; query.combined.len()];
    let readings = |names: &[String; 3]| -> Result<Readings, ResultError> {
        Ok(Readings([
            row.count(&names[0])?,
            row.count(&names[1])?,
            row.count(&names[2])?,
        ]))
    };
    counters.records.counts = query
        .counts
        .iter()
        .map(|(matched, filled)| {
            Ok(CountCounter {
                matched: readings(matched)?,
                filled: readings(filled)?,
            })
        })
        .collect::<Result<_, ResultError>>()?;
    for ((_, consent), name) in plan.records.consent.iter().zip(&query.consent) {
        let n = row.count(name)?;
        let reach = &mut counters.records.reach;
        match consent {
            Consent::OptOut => reach.opted_out += n,
            Consent::MarketingStatus => reach.not_marketing += n,
            Consent::Bounced | Consent::InvalidFlag => reach.bounced += n,
        }
    }
    let share = |part: u64| {
        if rows == 0 {
            0.0
        } else {
            part as f64 / rows as f64
        }
    };
    let mut duplicates = Vec::new();
    let mut reach = None;
    for ((key, parts), names) in plan
        .records
        .keys
        .iter()
        .filter(|(key, _)| query.keys.iter().any(|k| k.key == *key))
        .zip(&query.keys)
    {
        let records = row.count(&names.records)?;
        let distinct = row.count(&names.distinct)?;
        let duplicate_records = records.saturating_sub(distinct);
        duplicates.push(DuplicateReport {
            key: key.as_str(),
            columns: parts
                .columns()
                .iter()
                .map(|c| plan.columns[*c].name.clone())
                .collect(),
            records,
            distinct,
            groups: row.count(&names.groups)?,
            duplicate_records,
            duplicate_rate: share(duplicate_records),
        });
        if *key == IdentityKey::Email {
            let blocked = names.blocked.as_ref().map(|n| row.count(n)).transpose()?;
            let r = &counters.records.reach;
            reach = Some(ReachReport {
                consent_columns: plan
                    .records
                    .consent
                    .iter()
                    .map(|(c, _)| plan.columns[*c].name.clone())
                    .collect(),
                addresses: distinct,
                reachable: distinct.saturating_sub(blocked.unwrap_or(0)),
                opted_out: r.opted_out,
                not_marketing: r.not_marketing,
                bounced: r.bounced,
            });
        }
    }
    let deleted = query
        .deleted
        .as_ref()
        .map(|(name, columns)| Ok::<_, ResultError>((row.count(name)?, columns.clone())))
        .transpose()?;
    Ok(Measured {
        counters,
        rows,
        deleted,
        dominant,
        duplicates,
        reach,
    })
}

/// The `--by` breakdown's rows in the file audit's segment counters (two per dimension, as
/// `segments::measure` keeps them), capped at `cap` segments the same way.
pub fn segments(
    query: &AuditQuery,
    row: &ResultRow,
    dimensions: usize,
    cap: usize,
) -> Result<Vec<Segments>, ResultError> {
    let names = &query.segments;
    let shape = |message: String| ResultError::Shape {
        path: row.path.clone(),
        message,
    };
    if names.keys.is_empty() && !row.segments.is_empty() {
        return Err(shape(format!(
            "{} rows: the query returns one row; save only its result",
            row.segments.len() + 1
        )));
    }
    let total = row.count(&query.rows)?;
    let fingerprint = row.text(&query.fingerprint)?;
    let mut counters: Vec<Segments> = (0..2 * dimensions).map(|_| Segments::new(cap)).collect();
    // Every count of a record is in one segment of each grouping set: per key, the sums of
    // its segments' counts (records first), and the segments seen.
    let additive: Vec<&str> = query
        .query
        .select
        .iter()
        .filter(|(_, a)| matches!(a, Aggregate::Rows | Aggregate::CountIf(_)))
        .map(|(alias, _)| alias.as_str())
        .collect();
    let mut seen: Vec<(Vec<u64>, std::collections::HashSet<&str>)> = names
        .keys
        .iter()
        .map(|_| (vec![0; additive.len()], std::collections::HashSet::new()))
        .collect();
    for segment in &row.segments {
        if row.text_of(segment, &query.fingerprint)? != fingerprint {
            return Err(shape(
                "its rows come from different runs of the query (their crm_ready columns differ): save the result of one run".to_owned(),
            ));
        }
        for (key, (sums, values)) in names.keys.iter().zip(seen.iter_mut()) {
            if row.text_of(segment, &key.grouping)?.trim() != "0" {
                continue;
            }
            let value = row.text_of(segment, &key.value)?;
            if !values.insert(value) {
                return Err(shape(format!(
                    "segment {value:?} of {} appears twice: the rows of two runs, or an edited result",
                    key.by
                )));
            }
            let rows = row.count_of(segment, &query.rows)?;
            for (sum, alias) in sums.iter_mut().zip(&additive) {
                *sum += row.count_of(segment, alias)?;
            }
            bounded(row, segment, query, rows, false)?;
            let passing = names
                .passing
                .iter()
                .map(|per_reading| {
                    let mut readings = Readings::default();
                    for (slot, name) in readings.0.iter_mut().zip(per_reading) {
                        if let Some(name) = name {
                            *slot = row.count_of(segment, name)?;
                        }
                    }
                    Ok(readings)
                })
                .collect::<Result<Vec<_>, ResultError>>()?;
            let counts = SegmentCounter { rows, passing };
            counters[2 * key.dimension + usize::from(key.day_first)].add_counts(value, counts);
        }
    }
    // Each grouping set covers every record once: a result cut short (`bq query` returns
    // 100 rows unless told otherwise) or edited would give a breakdown that is wrong.
    for (key, (sums, _)) in names.keys.iter().zip(&seen) {
        for (sum, alias) in sums.iter().zip(&additive) {
            let whole = row.count(alias)?;
            if *sum == whole {
                continue;
            }
            return Err(shape(if *alias == query.rows {
                format!(
                    "the segments of {} add up to {sum} records and the total row says {total}: the result was cut short or edited (bq query returns 100 rows unless given --max_rows); save every row of the query's result",
                    key.by
                )
            } else {
                format!(
                    "the segments of {} count {sum} in column {alias:?} and the total row {whole}: the result was edited, or comes from more than one run",
                    key.by
                )
            }));
        }
    }
    Ok(counters)
}

/// Every count of a row is at most its records (the total's, or its segment's): a count
/// above them is no result of this query, and would make the rates absurd.
pub fn bounded(
    result: &ResultRow,
    row: &Row,
    query: &AuditQuery,
    rows: u64,
    total: bool,
) -> Result<(), ResultError> {
    for (alias, aggregate) in &query.query.select {
        let per_row = match aggregate {
            Aggregate::CountIf(_) | Aggregate::CountDistinct(_) => true,
            // Whole-table subqueries: repeated on every segment's row.
            Aggregate::Dominant(_) | Aggregate::Groups(_) => total,
            _ => false,
        };
        if !per_row {
            continue;
        }
        let n = result.count_of(row, alias)?;
        if n > rows {
            return Err(ResultError::Shape {
                path: result.path.clone(),
                message: format!(
                    "column {alias:?} counts {n} records of {rows}: the result does not come from this query, or was edited"
                ),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_cli_prints_before_the_header_is_not_the_result() {
        // spark-sql -f with a CREATE VIEW before the query: its `Response code` block first.
        let text = "Response code\n\ncrm_ready\trows\tgrouping_b1\tb1\n{}\t5\t1\tNULL\n{}\t3\t0\tAnn\n{}\t2\t0\t(blank)\n";
        let rows = csv_rows(text).unwrap();
        assert_eq!(rows.len(), 3);
        let (total, segments) = total_row(rows).unwrap();
        assert_eq!(total["rows"], "5");
        let names: Vec<&str> = segments.iter().map(|r| r["b1"].as_str()).collect();
        assert_eq!(names, ["Ann", "(blank)"]);
    }

    #[test]
    fn a_breakdown_without_its_total_row_is_refused() {
        let rows = csv_rows("crm_ready,rows,grouping_b1,b1\nx,3,0,Ann\n").unwrap();
        let error = total_row(rows).err().unwrap();
        assert!(error.contains("no total row"), "{error}");
    }

    #[test]
    fn a_utf16_result_is_read() {
        let dir = std::env::temp_dir().join(format!("crm-ready-utf16-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("result.csv");
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "crm_ready,rows\r\nx,7\r\n".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        std::fs::write(&path, bytes).unwrap();
        let row = ResultRow::read(&path).unwrap();
        assert_eq!(row.count("rows").unwrap(), 7);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn json_nulls_read_as_empty() {
        let rows = json_rows(r#"[{"crm_ready":"x","ROWS":4,"b1":null}]"#).unwrap();
        assert_eq!(rows[0]["rows"], "4");
        assert_eq!(rows[0]["b1"], "");
    }
}
