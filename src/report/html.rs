//! The HTML report: one self-contained page (inline CSS and SVG, no script, no request) for
//! people who open an attachment rather than a terminal. The page is an askama template
//! (`templates/report.html`), checked against these view structs when the crate compiles, and
//! every value is HTML-escaped by askama unless the template says otherwise, which it never
//! does for a value from the export.

use std::io::{self, Write};

use askama::Template;

use super::{FieldList, closest_to_ready, listed_fields, percent};
use crate::model::{
    FieldReport, FileReport, Report, RequirementReport, Status, TrendSeries, UseCaseReport, Verdict,
};
use crate::shown::thousands;

#[derive(Template)]
#[template(path = "report.html")]
struct Page {
    headline: String,
    generated_at: String,
    as_of: String,
    tool_version: String,
    dictionary: String,
    cards: Vec<Card>,
    not_applicable: Vec<String>,
    fixes: Vec<Fix>,
    re_exports: Vec<String>,
    since: Option<Since>,
    trends: Vec<Trend>,
    worklist: Option<String>,
    files: Vec<FileView>,
    problems: Vec<String>,
}

struct Card {
    title: String,
    /// CSS class: ready, at-risk, blocked, unknown.
    class: &'static str,
    /// A sign that says the verdict without colour.
    sign: &'static str,
    verdict: &'static str,
    reason: String,
    unblock: String,
    file: Option<String>,
}

struct Fix {
    rank: usize,
    what: String,
    records: String,
    unblocks: String,
    file: Option<String>,
}

struct Since {
    against: String,
    lines: Vec<String>,
    baseline: Option<String>,
}

struct Trend {
    title: String,
    /// Words for a screen reader: first, last and baseline values.
    description: String,
    /// SVG polyline points in a 240 x 64 box.
    points: String,
    dots: Vec<(f64, f64)>,
    baseline: Option<(f64, f64)>,
    threshold_y: Option<f64>,
    last: String,
}

struct FileView {
    path: String,
    inputs: Vec<(String, String)>,
    notes: Vec<String>,
    fields: Vec<FieldRow>,
    fields_total: usize,
    duplicates: Vec<[String; 4]>,
    segments: Vec<SegmentView>,
    /// With `--show-values`: per column, its examples and most common value.
    values: Vec<(String, Vec<String>)>,
}

struct FieldRow {
    column: String,
    canonical: String,
    filled: Bar,
    valid: Option<Bar>,
    fresh: Option<Bar>,
    findings: String,
}

/// A share drawn as a bar and written as a number.
struct Bar {
    width: String,
    label: String,
}

impl Bar {
    fn of(rate: f64) -> Bar {
        Bar {
            width: format!("{:.1}", (rate.clamp(0.0, 1.0) * 100.0)),
            label: percent(rate),
        }
    }
}

struct SegmentView {
    use_case: String,
    requirement: String,
    by: String,
    rows: Vec<[String; 4]>,
    note: Option<String>,
}

pub fn render(report: &Report, fields: FieldList, out: &mut dyn Write) -> io::Result<()> {
    let page = page(report, fields);
    let html = page.render().map_err(io::Error::other)?;
    out.write_all(html.as_bytes())
}

fn page(report: &Report, fields: FieldList) -> Page {
    let summary = &report.summary;
    let several = report.files.len() > 1;
    let mut cards = Vec::new();
    let mut not_applicable = Vec::new();
    for uc in closest_to_ready(&summary.use_cases) {
        if uc.verdict == Verdict::NotApplicable {
            not_applicable.push(uc.title.clone());
            continue;
        }
        cards.push(card(uc, several));
    }
    let fixes = summary
        .fix_first
        .iter()
        .enumerate()
        .map(|(i, f)| Fix {
            rank: i + 1,
            what: f
                .fields
                .iter()
                .map(super::fix_label)
                .collect::<Vec<_>>()
                .join(" + "),
            records: thousands(f.records_needed),
            unblocks: if f.unblocks.is_empty() {
                format!("needed by {} (with other fixes)", f.affects.join(", "))
            } else {
                f.unblocks.join(", ")
            },
            file: f.file.clone().filter(|_| several),
        })
        .collect();
    let re_exports = summary
        .re_export
        .iter()
        .map(|r| match r.label.strip_prefix("one of ") {
            Some(any) => format!(
                "export again with one of these columns: {any}; for {}",
                r.use_cases.join(", ")
            ),
            None => format!(
                "export again with the column \u{201c}{}\u{201d} ({}), for {}",
                r.label,
                r.field,
                r.use_cases.join(", ")
            ),
        })
        .collect();
    let (since, trends) = match &report.history {
        None => (None, Vec::new()),
        Some(h) => (
            Some(Since {
                against: match &h.previous {
                    None => format!("First run of this input in {} (run {}).", h.file, h.run_id),
                    Some(p) => format!(
                        "Run {} against run {} ({}, as of {}): {}.",
                        h.run_id,
                        p.run_id,
                        p.run_at,
                        p.as_of,
                        super::since_tally(p)
                    ),
                },
                // The tally is in the line above: the list is what moved.
                lines: h
                    .previous
                    .as_ref()
                    .map(|p| super::since_lines(p).into_iter().skip(1).collect())
                    .unwrap_or_default(),
                baseline: h.baseline.as_ref().map(|b| {
                    format!(
                        "Since the baseline (run {}, as of {}): {}.",
                        b.run_id,
                        b.as_of,
                        super::since_tally(b)
                    )
                }),
            }),
            h.trend.iter().filter_map(trend).collect(),
        ),
    };
    let worklist = report.worklist.as_ref().map(|w| {
        format!(
            "Work list: {} record{} to fix written to {} (by {}).",
            thousands(w.rows),
            if w.rows == 1 { "" } else { "s" },
            w.file,
            w.by.join(", ")
        )
    });
    let mut problems: Vec<String> = report
        .skipped
        .iter()
        .map(|s| format!("{}: skipped, {}", s.path, s.reason))
        .collect();
    problems.extend(
        report
            .errors
            .iter()
            .map(|e| format!("error: {}", e.message)),
    );
    Page {
        headline: format!(
            "{} file{}, {} record{}: {}",
            report.files.len(),
            if several { "s" } else { "" },
            thousands(summary.rows),
            if summary.rows == 1 { "" } else { "s" },
            super::verdict_tally(&summary.verdicts)
        ),
        generated_at: report.generated_at.clone(),
        as_of: report.as_of.clone(),
        tool_version: report.tool_version.clone(),
        dictionary: report.dictionary.name.clone(),
        cards,
        not_applicable,
        fixes,
        re_exports,
        since,
        trends,
        worklist,
        files: report.files.iter().map(|f| file_view(f, fields)).collect(),
        problems,
    }
}

fn card(uc: &UseCaseReport, several: bool) -> Card {
    let (class, sign) = match uc.verdict {
        Verdict::Ready => ("ready", "\u{2713}"),
        Verdict::AtRisk => ("at-risk", "!"),
        Verdict::Blocked => ("blocked", "\u{2715}"),
        Verdict::Unknown | Verdict::NotApplicable => ("unknown", "?"),
    };
    // The one line: what fails first, else what is met by too little, else the note.
    let first = [Status::Failed, Status::AtRisk]
        .iter()
        .find_map(|s| uc.requirements.iter().find(|r| r.status == *s));
    let reason = match (first, &uc.note) {
        (_, Some(note)) => note.clone(),
        (Some(r), None) => format!("{}: {}", super::requirement_label(r), r.reason),
        (None, None) => "every requirement met".to_owned(),
    };
    let to_ready = &uc.to_ready;
    let mut unblock = Vec::new();
    if to_ready.records > 0 {
        unblock.push(format!(
            "fix {} record{} ({})",
            thousands(to_ready.records),
            if to_ready.records == 1 { "" } else { "s" },
            to_ready.fill.join(", ")
        ));
    }
    if !to_ready.re_export.is_empty() {
        let columns = to_ready.re_export.join(", ");
        // A card is read at a glance: a long list of columns is in the fix-first section.
        unblock.push(if columns.chars().count() > 60 {
            format!(
                "export again with {} (see Fix first)",
                if to_ready.re_export.len() == 1 {
                    "a column the export lacks".to_owned()
                } else {
                    format!("{} columns the export lacks", to_ready.re_export.len())
                }
            )
        } else {
            format!("export again with {columns}")
        });
    }
    Card {
        title: uc.title.clone(),
        class,
        sign,
        verdict: uc.verdict.label(),
        reason,
        unblock: if unblock.is_empty() {
            String::new()
        } else {
            format!("To ready: {}", unblock.join("; "))
        },
        file: uc.file.clone().filter(|_| several),
    }
}

/// A small line chart of one requirement's measure; none with fewer than two runs.
fn trend(series: &TrendSeries) -> Option<Trend> {
    let values: Vec<Option<f64>> = series.points.iter().map(|p| p.value).collect();
    if values.iter().flatten().count() < 2 {
        return None;
    }
    let share = !matches!(series.measure.as_str(), "count" | "reachable");
    let top = if share {
        1.0
    } else {
        values
            .iter()
            .flatten()
            .copied()
            .chain(series.threshold)
            .fold(1.0f64, f64::max)
    };
    let (w, h, pad) = (240.0, 64.0, 4.0);
    let n = series.points.len();
    let x = |i: usize| pad + (w - 2.0 * pad) * i as f64 / (n.max(2) - 1) as f64;
    let y = |v: f64| h - pad - (h - 2.0 * pad) * (v / top).clamp(0.0, 1.0);
    let dots: Vec<(f64, f64)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (x(i), y(v))))
        .collect();
    let points = dots
        .iter()
        .map(|(a, b)| format!("{a:.1},{b:.1}"))
        .collect::<Vec<_>>()
        .join(" ");
    let shown = |v: Option<f64>| match v {
        None => "not measured".to_owned(),
        Some(v) if share => percent(v),
        Some(v) => thousands(v as u64),
    };
    let baseline = series
        .points
        .iter()
        .enumerate()
        .find(|(_, p)| p.baseline)
        .and_then(|(i, p)| p.value.map(|v| (x(i), y(v))));
    let baseline_value = series.points.iter().find(|p| p.baseline).map(|p| p.value);
    let last = values.last().copied().flatten();
    let mut description = format!(
        "{} over {} runs: from {} to {}",
        series.measure,
        n,
        shown(values.iter().flatten().next().copied()),
        shown(last)
    );
    if let Some(b) = baseline_value {
        description.push_str(&format!("; baseline {}", shown(b)));
    }
    if let Some(t) = series.threshold {
        description.push_str(&format!("; threshold {}", shown(Some(t))));
    }
    Some(Trend {
        title: format!("{} [{}]", series.subject, series.measure),
        description,
        points,
        dots,
        baseline,
        threshold_y: series.threshold.map(y),
        last: shown(last),
    })
}

fn file_view(file: &FileReport, list: FieldList) -> FileView {
    let input = &file.input;
    let mut inputs = vec![
        ("Read".to_owned(), super::read_description(input)),
        ("Map".to_owned(), super::map_description(input)),
        ("Records".to_owned(), thousands(file.rows)),
        ("Columns".to_owned(), thousands(input.columns as u64)),
    ];
    if let Some(link) = &input.account_link {
        inputs.push((
            "Accounts".to_owned(),
            format!("linked through {} to {}", link.column, link.accounts),
        ));
    }
    let listed: Vec<&FieldReport> = if list == FieldList::None {
        Vec::new()
    } else {
        listed_fields(&file.fields, &file.use_cases, list)
    };
    let fields = listed
        .iter()
        .map(|f| FieldRow {
            column: f.column.clone(),
            canonical: f.canonical.clone().unwrap_or_default(),
            filled: Bar::of(f.fill_rate),
            valid: f.valid_rate.map(Bar::of),
            fresh: f
                .fresh
                .first()
                .filter(|_| f.rows > 0)
                .map(|c| Bar::of(c.fresh as f64 / f.rows as f64)),
            findings: super::findings(f),
        })
        .collect();
    let duplicates = file
        .duplicates
        .iter()
        .map(|d| {
            [
                d.key.to_owned(),
                d.columns.join(" + "),
                thousands(d.duplicate_records),
                percent(d.duplicate_rate),
            ]
        })
        .collect();
    let mut segments = Vec::new();
    for uc in &file.use_cases {
        for r in &uc.requirements {
            segments.extend(segment_views(uc, r));
        }
    }
    FileView {
        path: input.path.clone(),
        inputs,
        notes: super::input_notes(input),
        fields,
        fields_total: file.fields.len(),
        duplicates,
        segments,
        values: super::shown_values(&file.fields),
    }
}

fn segment_views(uc: &UseCaseReport, r: &RequirementReport) -> Vec<SegmentView> {
    r.segments
        .iter()
        .map(|b| {
            let row = |s: &crate::model::SegmentRow| {
                [
                    s.segment.clone(),
                    thousands(s.rows),
                    percent(s.observed),
                    thousands(s.records_needed),
                ]
            };
            let mut rows: Vec<[String; 4]> = b.segments.iter().map(row).collect();
            if let Some(other) = &b.other {
                let mut r = row(other);
                r[0] = if b.other_segments > 0 {
                    format!("{} other segments", b.other_segments)
                } else {
                    "other segments".to_owned()
                };
                rows.push(r);
            }
            SegmentView {
                use_case: uc.title.clone(),
                requirement: super::requirement_label(r),
                by: b.by.clone(),
                rows,
                note: b.capped.then(|| {
                    "More segments than --max-segments: the rest were counted together as they were read.".to_owned()
                }),
            }
        })
        .collect()
}
