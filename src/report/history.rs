//! What `crm-ready history list` and `history show` print: runs and trends, as text (with
//! sparklines), JSON or CSV.

use std::io::{self, Write};

use serde::Serialize;

use crate::history::RunInfo;
use crate::shown::escape_control;

/// One measure over runs.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Series {
    /// The input the runs are of (`--name`, or the paths as given).
    pub input: String,
    /// `use_case: field` for a requirement, the column for a field.
    pub subject: String,
    pub measure: String,
    pub points: Vec<Point>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Point {
    pub run_id: i64,
    pub run_at: String,
    pub as_of: String,
    pub value: Option<f64>,
}

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A sparkline of the values, scaled between their minimum and maximum; a gap is a space.
pub fn sparkline(values: &[Option<f64>]) -> String {
    let known: Vec<f64> = values.iter().flatten().copied().collect();
    let (lo, hi) = known
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(*v), hi.max(*v))
        });
    values
        .iter()
        .map(|v| match v {
            None => ' ',
            Some(_) if hi - lo < 1e-12 => BARS[3],
            Some(v) => BARS[(((v - lo) / (hi - lo)) * 7.0).round() as usize],
        })
        .collect()
}

fn value(measure: &str, v: Option<f64>) -> String {
    match v {
        None => "-".to_owned(),
        Some(v) if matches!(measure, "count" | "reachable") => crate::shown::thousands(v as u64),
        Some(v) => crate::audit::verdict::percent(v),
    }
}

pub fn write_list(
    runs: &[RunInfo],
    format: crate::HistoryFormat,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        crate::HistoryFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, runs)?;
            writeln!(out)
        }
        crate::HistoryFormat::Csv => {
            writeln!(
                out,
                "id,run_at,as_of,input,rows,ready,at_risk,blocked,unknown,not_applicable,pinned"
            )?;
            for r in runs {
                writeln!(
                    out,
                    "{},{},{},{},{},{},{},{},{},{},{}",
                    r.id,
                    r.run_at,
                    r.as_of,
                    csv_field(&r.input),
                    r.rows,
                    r.ready,
                    r.at_risk,
                    r.blocked,
                    r.unknown,
                    r.not_applicable,
                    r.pinned
                )?;
            }
            Ok(())
        }
        crate::HistoryFormat::Text => {
            if runs.is_empty() {
                return writeln!(out, "no runs yet");
            }
            for r in runs {
                writeln!(
                    out,
                    "{:>5}  {}  as of {}  {}  {} records · {} ready · {} at risk · {} blocked · {} unknown{}",
                    r.id,
                    r.run_at,
                    r.as_of,
                    escape_control(&r.input),
                    crate::shown::thousands(r.rows),
                    r.ready,
                    r.at_risk,
                    r.blocked,
                    r.unknown,
                    if r.pinned { "  [baseline]" } else { "" }
                )?;
            }
            Ok(())
        }
    }
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

pub fn write_series(
    series: &[Series],
    format: crate::HistoryFormat,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        crate::HistoryFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, series)?;
            writeln!(out)
        }
        crate::HistoryFormat::Csv => {
            writeln!(out, "run_id,run_at,as_of,input,subject,measure,value")?;
            for s in series {
                for p in &s.points {
                    writeln!(
                        out,
                        "{},{},{},{},{},{},{}",
                        p.run_id,
                        p.run_at,
                        p.as_of,
                        csv_field(&s.input),
                        csv_field(&s.subject),
                        s.measure,
                        p.value.map_or(String::new(), |v| format!("{v}"))
                    )?;
                }
            }
            Ok(())
        }
        crate::HistoryFormat::Text => {
            if series.is_empty() {
                return writeln!(out, "no measures match");
            }
            for s in series {
                let values: Vec<Option<f64>> = s.points.iter().map(|p| p.value).collect();
                let first = values.iter().flatten().next().copied();
                let last = values.iter().flatten().last().copied();
                writeln!(
                    out,
                    "{}: {} [{}]  {}  {} -> {}",
                    escape_control(&s.input),
                    escape_control(&s.subject),
                    s.measure,
                    sparkline(&values),
                    value(&s.measure, first),
                    value(&s.measure, last)
                )?;
                for p in &s.points {
                    writeln!(
                        out,
                        "  run {:>4}  {}  as of {}  {}",
                        p.run_id,
                        p.run_at,
                        p.as_of,
                        value(&s.measure, p.value)
                    )?;
                }
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparklines_scale_between_min_and_max() {
        assert_eq!(sparkline(&[Some(0.1), Some(0.5), Some(0.9)]), "▁▅█");
        assert_eq!(sparkline(&[Some(0.4), None, Some(0.4)]), "▄ ▄");
        assert_eq!(sparkline(&[]), "");
    }
}
