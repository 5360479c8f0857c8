//! Verdicts: each use case's requirements checked against the measured fields.

use std::collections::BTreeMap;

use crate::config::{
    Dictionary, FieldMap, FieldType, FilterTest, Measure, ObjectKind, Requirement, Target, UseCase,
};
use crate::model::{
    DuplicateReport, FieldReport, ReachReport, RequirementReport, Status, ToReady, UseCaseReport,
    Verdict,
};
use crate::shown::thousands;

/// Records that must be filled for `threshold` of `rows` (ceil, with float noise forgiven).
pub fn required_count(threshold: f64, rows: u64) -> u64 {
    let exact = threshold * rows as f64;
    let rounded = exact.round();
    // Forgive only the noise of one multiplication (0.7 x 10 = 7.000000000000001), relative
    // to the size: a threshold of 1e-10 still needs one record.
    if (exact - rounded).abs() <= exact.abs() * 1e-12 {
        rounded as u64
    } else {
        exact.ceil() as u64
    }
}

/// The record's own column for a requirement: never a field combined from several columns.
pub fn find_column<'a>(fields: &'a [FieldReport], target: &Target) -> Option<&'a FieldReport> {
    let own = |name: &str| {
        fields
            .iter()
            .find(|f| f.canonical.as_deref() == Some(name) && f.combines.is_empty())
    };
    match target {
        Target::Field(name) => own(name),
        Target::AnyOf { fields: any, .. } => any.iter().find_map(|f| own(f)),
        _ => find_field(fields, target),
    }
}

/// The measured column a requirement refers to: the first with that canonical field, or the
/// column of that name (case and surrounding spaces ignored).
pub fn find_field<'a>(fields: &'a [FieldReport], target: &Target) -> Option<&'a FieldReport> {
    let canonical = |name: &str, combined: bool| {
        fields
            .iter()
            .find(|f| f.canonical.as_deref() == Some(name) && f.combines.is_empty() != combined)
    };
    match target {
        // The record's own value or its company's, when the export has both; else its own.
        Target::Field(name) => canonical(name, true).or_else(|| canonical(name, false)),
        // Several of the fields in the export: combined; one: that one.
        Target::AnyOf { fields: any, name } => canonical(name, true).or_else(|| {
            any.iter()
                .find_map(|f| canonical(f, true).or_else(|| canonical(f, false)))
        }),
        Target::Column(name) => fields
            .iter()
            .find(|f| f.combines.is_empty() && f.column.trim().eq_ignore_ascii_case(name)),
        Target::Records | Target::Key(_) => None,
    }
}

pub fn percent(rate: f64) -> String {
    let p = rate * 100.0;
    if p > 0.0 && p < 0.05 {
        // A tiny threshold is not 0%: it still needs a record.
        return format!("{}%", crate::config::readable(p));
    }
    if (p - p.round()).abs() < 0.05 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

/// The label to export again with: the vendor's label for a canonical field, the column name
/// itself for a column requirement.
pub fn re_export_label(target: &Target, map: Option<&FieldMap>) -> String {
    let label = |name: &str| {
        map.and_then(|m| m.vendor_label(name))
            .unwrap_or(name)
            .to_owned()
    };
    match target {
        Target::Field(name) => label(name),
        Target::Column(name) => name.clone(),
        Target::Records => "records".to_owned(),
        Target::Key(key) => key.clone(),
        Target::AnyOf { fields, .. } => {
            // The vendor's own columns only, when it has some: HubSpot has no `rating`.
            let known: Vec<String> = fields
                .iter()
                .filter_map(|f| map.and_then(|m| m.vendor_label(f)).map(str::to_owned))
                .collect();
            let labels: Vec<String> = if known.is_empty() {
                fields.iter().map(|f| label(f)).collect()
            } else {
                known
            };
            if labels.len() > 2 {
                format!("one of {}", labels.join(", "))
            } else {
                labels.join(" or ")
            }
        }
    }
}

/// Records allowed over a line of `max` of `rows` (floor, with float noise forgiven).
pub fn allowed_count(max: f64, rows: u64) -> u64 {
    let exact = max * rows as f64;
    let rounded = exact.round();
    if (exact - rounded).abs() <= exact.abs() * 1e-12 {
        rounded as u64
    } else {
        exact.floor() as u64
    }
}

/// Everything a file's requirements are judged on.
pub struct Measured<'a> {
    pub fields: &'a [FieldReport],
    pub rows: u64,
    pub duplicates: &'a [DuplicateReport],
    pub reach: Option<&'a ReachReport>,
    /// (use case, requirement index) -> (records that pass, of those filled).
    pub counts: &'a BTreeMap<(String, usize), (u64, u64)>,
    /// The kind of records, to name them ("leads").
    pub kind: Option<ObjectKind>,
    /// `--by` breakdowns per requirement, and how many segments to show.
    pub segments: &'a crate::audit::segments::Results,
    pub top: usize,
}

/// What `n` records of `kind` are called: `1 lead`, `2 leads`.
fn noun(kind: Option<ObjectKind>, n: u64) -> &'static str {
    let (one, many) = match kind {
        Some(ObjectKind::Contact) => ("contact", "contacts"),
        Some(ObjectKind::Lead) => ("lead", "leads"),
        Some(ObjectKind::Account) => ("account", "accounts"),
        Some(ObjectKind::Opportunity) => ("opportunity", "opportunities"),
        None => ("record", "records"),
    };
    if n == 1 { one } else { many }
}

fn s(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A requirement's condition in words: `is_converted is true, created_at in the last 200 days`.
pub fn condition(req: &Requirement) -> Option<String> {
    let mut parts = Vec::new();
    for f in &req.filter {
        let name = f.target.name();
        parts.push(match &f.test {
            FilterTest::In(v) => format!("{name} in [{}]", v.join(", ")),
            FilterTest::NotIn(v) => format!("{name} not in [{}]", v.join(", ")),
            FilterTest::Is(b) => format!("{name} is {b}"),
        });
    }
    if let Measure::Count {
        window: Some(w), ..
    } = &req.measure
    {
        parts.push(format!(
            "{} in the last {} days",
            w.date_field.name(),
            w.within_days
        ));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The status of a measure that must reach `needed` (comfortably `comfortable`).
fn at_least(passing: u64, needed: u64, comfortable: u64) -> Status {
    if passing < needed {
        Status::Failed
    } else if passing < comfortable {
        Status::AtRisk
    } else {
        Status::Met
    }
}

/// The status of a measure that must stay at or under `allowed` (comfortably `comfortable`).
fn at_most(over: u64, allowed: u64, comfortable: u64) -> Status {
    if over > allowed {
        Status::Failed
    } else if over > comfortable {
        Status::AtRisk
    } else {
        Status::Met
    }
}

/// What a check concluded before it is written up.
struct Outcome {
    status: Status,
    column: Option<String>,
    observed: Option<f64>,
    passing: u64,
    needed: u64,
    to_ready: u64,
    action: Option<String>,
    reason: String,
}

impl Outcome {
    fn absent(reason: String) -> Self {
        Outcome {
            status: Status::Unknown,
            column: None,
            observed: None,
            passing: 0,
            needed: 0,
            to_ready: 0,
            action: None,
            reason,
        }
    }
}

/// Why a requirement's field is missing, and what to export.
fn absent_reason(target: &Target, fields: &[FieldReport], map: Option<&FieldMap>) -> String {
    // A `column = "..."` that is a typo of a column the export has: say which.
    let near = match target {
        Target::Column(name) => crate::config::closest(
            name,
            fields
                .iter()
                .filter(|f| f.combines.is_empty())
                .map(|f| f.column.as_str()),
        )
        .map(|c| format!(" (did you mean the {c:?} column?)"))
        .unwrap_or_default(),
        _ => String::new(),
    };
    // A Salesforce contact or opportunity holds no company fields: they live on the
    // Account, which a Data Export folder or ZIP brings along.
    let on_account = matches!(target, Target::Field(name) if crate::config::ACCOUNT_FIELDS.contains(&name.as_str()))
        && map.is_some_and(|m| {
            m.vendor == "salesforce"
                && matches!(m.kind, ObjectKind::Contact | ObjectKind::Opportunity)
                && m.vendor_label(target.name()).is_none()
        });
    if on_account {
        "in Salesforce this lives on the Account: audit the file with Account.csv (the Data Export folder or ZIP), or export again with the account's column".to_owned()
    } else {
        format!(
            "not in the export: export again with the {:?} column{near}",
            re_export_label(target, map)
        )
    }
}

/// Say how much each column carried when several fill the field record by record.
fn with_parts(reason: String, f: &FieldReport, rows: u64) -> String {
    if f.combines.len() < 2 {
        return reason;
    }
    let parts: Vec<String> = f
        .combines
        .iter()
        .map(|p| {
            format!(
                "{} {}",
                p.column,
                percent(p.filled as f64 / rows.max(1) as f64)
            )
        })
        .collect();
    format!("{reason} (record by record: {})", parts.join(", "))
}

/// A share measure that must reach `min` of `base` records.
#[allow(clippy::too_many_arguments)]
fn share_at_least(
    passing: u64,
    base: u64,
    min: f64,
    margin: f64,
    what: &str,
    column: &str,
    action: impl Fn(u64) -> String,
) -> Outcome {
    let needed = required_count(min, base);
    let comfortable = required_count((min + margin).min(1.0), base);
    let status = at_least(passing, needed, comfortable);
    let observed = if base == 0 {
        0.0
    } else {
        passing as f64 / base as f64
    };
    let missing = needed.saturating_sub(passing);
    let reason = match status {
        Status::Failed => format!(
            "{} {what}, needs {}: {}",
            percent(observed),
            percent(min),
            action(missing)
        ),
        Status::AtRisk => format!(
            "{} {what}, within {} points of the {} threshold",
            percent(observed),
            (margin * 100.0).round(),
            percent(min)
        ),
        _ => format!("{} {what}, needs {}", percent(observed), percent(min)),
    };
    Outcome {
        status,
        column: Some(column.to_owned()),
        observed: Some(observed),
        passing,
        needed: missing,
        to_ready: comfortable.saturating_sub(passing),
        action: (missing > 0).then(|| action(missing)),
        reason,
    }
}

/// A share measure that must stay at or under `max` of `rows`.
fn share_at_most(
    over: u64,
    rows: u64,
    max: f64,
    margin: f64,
    what: &str,
    column: Option<String>,
    action: impl Fn(u64) -> String,
) -> Outcome {
    let allowed = allowed_count(max, rows);
    let comfortable = allowed_count((max - margin).max(0.0), rows);
    let status = at_most(over, allowed, comfortable);
    let observed = if rows == 0 {
        0.0
    } else {
        over as f64 / rows as f64
    };
    let excess = over.saturating_sub(allowed);
    let reason = match status {
        Status::Failed => format!(
            "{} {what}, at most {}: {}",
            percent(observed),
            percent(max),
            action(excess)
        ),
        Status::AtRisk => format!(
            "{} {what}, within {} points of the {} limit",
            percent(observed),
            (margin * 100.0).round(),
            percent(max)
        ),
        _ => format!("{} {what}, at most {}", percent(observed), percent(max)),
    };
    Outcome {
        status,
        column,
        observed: Some(observed),
        passing: over,
        needed: excess,
        to_ready: over.saturating_sub(comfortable),
        action: (excess > 0).then(|| action(excess)),
        reason,
    }
}

/// One requirement against the measures; also the records that would make it comfortably
/// met (ready, not at risk).
fn check(
    req: &Requirement,
    key: (&str, usize),
    m: &Measured,
    margin: f64,
    map: Option<&FieldMap>,
) -> (RequirementReport, u64) {
    let rows = m.rows;
    let name = req.target.name().to_owned();
    // Fill may come from several columns record by record; every other measure is of the
    // record's own column.
    let field = match req.measure {
        Measure::Fill { .. } => find_field(m.fields, &req.target),
        _ => find_column(m.fields, &req.target),
    };
    let label = |f: &FieldReport| f.column.clone();
    let outcome = match (&req.measure, field) {
        (Measure::Fill { min }, _) if !req.filter.is_empty() => {
            match m.counts.get(&(key.0.to_owned(), key.1)) {
                None => gate_absent(req, m.fields, map),
                Some(&(matched, filled)) => share_at_least(
                    filled,
                    matched,
                    *min,
                    margin,
                    &format!(
                        "populated on the {} record{} where {}",
                        thousands(matched),
                        s(matched),
                        condition(req).unwrap_or_default()
                    ),
                    &field.map(label).unwrap_or(name.clone()),
                    |n| format!("fill {name} on {} more record{}", thousands(n), s(n)),
                ),
            }
        }
        (Measure::Fill { min }, Some(f)) => {
            let mut o = share_at_least(f.filled, rows, *min, margin, "populated", &f.column, |n| {
                format!("fill {} more record{}", thousands(n), s(n))
            });
            o.reason = with_parts(o.reason, f, rows);
            o
        }
        (Measure::Valid { min }, Some(f)) => match f.valid {
            None => Outcome::absent(format!(
                "{name} has no validity check (type {}): give it `allowed` or `pattern` in [fields.{name}]",
                f.field_type.map_or("text", FieldType::as_str)
            )),
            Some(valid) => {
                let worst = f
                    .invalid
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                    .map(|(r, n)| format!(" ({} {r})", thousands(*n)))
                    .unwrap_or_default();
                let mut o = share_at_least(valid, rows, *min, margin, "valid", &f.column, |n| {
                    format!("make {} more {name} value{} valid", thousands(n), s(n))
                });
                if o.status != Status::Met {
                    o.reason = format!("{}{worst}", o.reason);
                    // Values outside the vendor's standard list may be the org's own picklist.
                    let custom = f.invalid.get("not_allowed").copied().unwrap_or(0);
                    if custom * 2 > f.invalid.values().sum::<u64>() {
                        o.reason = format!(
                            "{}; if these are your CRM's own picklist values, list them with `allowed` in [fields.{name}]",
                            o.reason
                        );
                    }
                }
                o
            }
        },
        (Measure::Fresh { min, within_days }, Some(f)) => {
            match f.fresh.iter().find(|w| w.within_days == *within_days) {
                None => Outcome::absent(format!(
                    "{name} is not a date field: freshness cannot be measured"
                )),
                Some(w) => share_at_least(
                    w.fresh,
                    rows,
                    *min,
                    margin,
                    &format!("dated within {within_days} days"),
                    &f.column,
                    |n| {
                        format!(
                            "refresh {} {name} date{} older than {within_days} days (or fill blank ones)",
                            thousands(n),
                            s(n)
                        )
                    },
                ),
            }
        }
        (Measure::Duplicates { max, key }, _) => match m.duplicates.iter().find(|d| d.key == key) {
            None if key == "domain" && m.kind != Some(ObjectKind::Account) => {
                Outcome::absent(format!(
                    "the domain key is built for account records; this export holds {}",
                    noun(m.kind, 2)
                ))
            }
            None => Outcome::absent(format!(
                "no {key} key: the export lacks its columns ({})",
                match key.as_str() {
                    "email" => "Email",
                    "phone" => "Phone",
                    "domain" => "Website or Email",
                    _ => "First Name, Last Name and Company",
                }
            )),
            Some(d) => {
                let mut o = share_at_most(
                    d.duplicate_records,
                    rows,
                    *max,
                    margin,
                    &format!("duplicates by {key}"),
                    Some(d.columns.join(" + ")),
                    |n| format!("merge {} duplicate record{} (by {key})", thousands(n), s(n)),
                );
                o.reason = format!(
                    "{} ({} records in {} groups)",
                    o.reason,
                    thousands(d.duplicate_records),
                    thousands(d.groups)
                );
                o
            }
        },
        (Measure::Dominant { max }, Some(f)) => match f.dominant_count {
            // The column is there: unknown until the dictionary types it, not an export gap.
            None => Outcome {
                column: Some(f.column.clone()),
                ..Outcome::absent(format!(
                    "{name}'s values are not counted (type {}): give it type = \"picklist\"",
                    f.field_type.map_or("text", FieldType::as_str)
                ))
            },
            Some(top) => share_at_most(
                top,
                rows,
                *max,
                margin,
                "of records hold the same value",
                Some(f.column.clone()),
                |n| {
                    format!(
                        "vary {name}: {} more record{} than the limit hold one value",
                        thousands(n),
                        s(n)
                    )
                },
            ),
        },
        (Measure::Count { min, .. }, _) => match m.counts.get(&(key.0.to_owned(), key.1)) {
            None => gate_absent(req, m.fields, map),
            Some(&(matched, _)) => {
                let comfortable = (*min as f64 * (1.0 + margin)).ceil() as u64;
                let status = at_least(matched, *min, comfortable);
                let name = |n| noun(m.kind, n);
                let cond = condition(req)
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default();
                let missing = min.saturating_sub(matched);
                let wait = if matches!(
                    req.measure,
                    Measure::Count {
                        window: Some(_),
                        ..
                    }
                ) {
                    " or wait"
                } else {
                    ""
                };
                let short = format!("add {} {}{wait}", thousands(missing), name(missing));
                let action = format!(
                    "{short}: {} {}{cond}, {} needed",
                    thousands(matched),
                    name(matched),
                    thousands(*min)
                );
                let reason = match status {
                    Status::Failed => format!(
                        "{} {}{cond}, {} needed: {short}",
                        thousands(matched),
                        name(matched),
                        thousands(*min)
                    ),
                    Status::AtRisk => format!(
                        "{} {}{cond}, within {}% of the {} needed",
                        thousands(matched),
                        name(matched),
                        (margin * 100.0).round(),
                        thousands(*min)
                    ),
                    _ => format!(
                        "{} {}{cond}, {} needed",
                        thousands(matched),
                        name(matched),
                        thousands(*min)
                    ),
                };
                // Dates that cannot be read count as outside the window: say how many, so
                // "add 1,000 leads" is not taken at face value when the dates are the problem.
                let reason = match &req.measure {
                    Measure::Count {
                        window: Some(w), ..
                    } => {
                        let unreadable = find_column(m.fields, &w.date_field).map_or(0, |f| {
                            f.invalid
                                .iter()
                                .filter(|(r, _)| r.as_str() != "in_the_future")
                                .map(|(_, n)| n)
                                .sum::<u64>()
                        });
                        if unreadable > 0 {
                            format!(
                                "{reason}; {} {} value{} are not readable dates and count as outside the window",
                                thousands(unreadable),
                                w.date_field.name(),
                                s(unreadable)
                            )
                        } else {
                            reason
                        }
                    }
                    _ => reason,
                };
                Outcome {
                    status,
                    column: None,
                    observed: Some(matched as f64),
                    passing: matched,
                    needed: missing,
                    to_ready: comfortable.saturating_sub(matched),
                    action: (missing > 0).then_some(action),
                    reason,
                }
            }
        },
        (Measure::Reachable { min }, _) => match m.reach {
            None => Outcome::absent(absent_reason(&Target::Field("email".into()), m.fields, map)),
            Some(r) => {
                let unknown = r.consent_columns.is_empty();
                let reachable = if unknown { r.addresses } else { r.reachable };
                let comfortable = (*min as f64 * (1.0 + margin)).ceil() as u64;
                let mut status = at_least(reachable, *min, comfortable);
                let missing = min.saturating_sub(reachable);
                let action = format!(
                    "win {} more reachable address{}",
                    thousands(missing),
                    if missing == 1 { "" } else { "es" }
                );
                let mut reason = if unknown {
                    format!(
                        "{} valid addresses, {} needed",
                        thousands(reachable),
                        thousands(*min)
                    )
                } else {
                    format!(
                        "{} of {} valid addresses reachable (opted out {}, bounced {}, non-marketing {} records), {} needed",
                        thousands(reachable),
                        thousands(r.addresses),
                        thousands(r.opted_out),
                        thousands(r.bounced),
                        thousands(r.not_marketing),
                        thousands(*min)
                    )
                };
                if status == Status::Failed {
                    reason = format!("{reason}: {action}");
                }
                if unknown {
                    reason = format!(
                        "consent unknown: suppression cannot be applied (no opt-out, bounce or marketing status column); {reason}"
                    );
                    if status == Status::Met {
                        status = Status::AtRisk;
                    }
                }
                Outcome {
                    status,
                    column: Some("Email".to_owned()).and(
                        find_field(m.fields, &Target::Field("email".into()))
                            .map(|f| f.column.clone()),
                    ),
                    observed: Some(reachable as f64),
                    passing: reachable,
                    needed: missing,
                    to_ready: comfortable.saturating_sub(reachable),
                    action: (missing > 0).then_some(action),
                    reason,
                }
            }
        },
        (_, None) => Outcome::absent(absent_reason(&req.target, m.fields, map)),
    };
    let report = RequirementReport {
        field: name,
        column: outcome.column,
        measure: req.measure.name(),
        condition: condition(req),
        observed: outcome.observed,
        threshold: req.measure.threshold(),
        met: matches!(outcome.status, Status::Met | Status::AtRisk),
        status: outcome.status,
        passing: outcome.passing,
        records_needed: outcome.needed,
        action: outcome.action,
        reason: outcome.reason,
        source: req.source.clone(),
        segments: Vec::new(),
    };
    let report = with_segments(report, req, key, m);
    (report, outcome.to_ready)
}

/// The fields a count or filtered fill lacks, with the labels to export them with.
pub fn gate_labels(
    req: &Requirement,
    fields: &[FieldReport],
    map: Option<&FieldMap>,
) -> Vec<(String, String)> {
    let mut missing: Vec<&Target> = Vec::new();
    for f in &req.filter {
        if find_field(fields, &f.target).is_none() {
            missing.push(&f.target);
        }
    }
    if let Measure::Count {
        window: Some(w), ..
    } = &req.measure
        && find_field(fields, &w.date_field).is_none()
    {
        missing.push(&w.date_field);
    }
    if matches!(req.measure, Measure::Fill { .. }) && find_field(fields, &req.target).is_none() {
        missing.push(&req.target);
    }
    missing
        .into_iter()
        .map(|t| (t.name().to_owned(), re_export_label(t, map)))
        .collect()
}

/// Adds the `--by` breakdowns to a requirement that is not met, the segments that must fix
/// the most records first; and says so in the reason when one segment holds most of the gap.
fn with_segments(
    mut report: RequirementReport,
    req: &Requirement,
    key: (&str, usize),
    m: &Measured,
) -> RequirementReport {
    use crate::model::{SegmentBreakdown, SegmentRow};
    let min = match req.measure {
        Measure::Fill { min } | Measure::Valid { min } | Measure::Fresh { min, .. } => min,
        _ => return report,
    };
    if matches!(report.status, Status::Met | Status::Unknown) {
        return report;
    }
    let Some(breakdowns) = m.segments.get(&(key.0.to_owned(), key.1)) else {
        return report;
    };
    let row = |segment: String, rows: u64, passing: u64| SegmentRow {
        segment,
        rows,
        passing,
        observed: if rows == 0 {
            0.0
        } else {
            passing as f64 / rows as f64
        },
        records_needed: required_count(min, rows).saturating_sub(passing),
    };
    let mut evidence = Vec::new();
    for b in breakdowns {
        let mut rows: Vec<SegmentRow> = b
            .segments
            .iter()
            .map(|(s, n, p)| row(s.clone(), *n, *p))
            .collect();
        rows.sort_by(|a, b| {
            b.records_needed
                .cmp(&a.records_needed)
                .then((b.rows - b.passing).cmp(&(a.rows - a.passing)))
                .then(a.segment.cmp(&b.segment))
        });
        // Workflow evidence: one segment holds more than half of the records that fail.
        let failing: u64 =
            rows.iter().map(|r| r.rows - r.passing).sum::<u64>() + (b.merged.0 - b.merged.1);
        // Not on a handful of records, nor when the dimension has one segment only.
        if let Some(top) = rows.first()
            && failing >= 5
            && rows.len() + usize::from(b.merged.0 > 0) >= 2
            && (top.rows - top.passing) * 2 > failing
        {
            evidence.push(format!(
                "{} of the {} records that fail it have {} = {:?}: a process may be creating them (workflow evidence)",
                percent((top.rows - top.passing) as f64 / failing as f64),
                thousands(failing),
                b.by,
                top.segment
            ));
        }
        let shown = m.top.min(rows.len());
        let rest = rows.split_off(shown);
        // Segments merged past the cap can only be counted together.
        let mut other = row("other segments".to_owned(), b.merged.0, b.merged.1);
        for r in &rest {
            other.rows += r.rows;
            other.passing += r.passing;
            other.records_needed += r.records_needed;
        }
        if other.rows > 0 {
            other.observed = other.passing as f64 / other.rows as f64;
        }
        report.segments.push(SegmentBreakdown {
            by: b.by.clone(),
            segments: rows,
            other: (other.rows > 0).then_some(other),
            other_segments: rest.len(),
            capped: b.capped,
        });
    }
    if !evidence.is_empty() {
        report.reason = format!("{}; {}", report.reason, evidence.join("; "));
    }
    report
}

/// A count or filtered fill whose condition or date column is missing: the gate cannot be
/// checked, and a gate that cannot be checked is not passed.
fn gate_absent(req: &Requirement, fields: &[FieldReport], map: Option<&FieldMap>) -> Outcome {
    let labels: Vec<String> = gate_labels(req, fields, map)
        .into_iter()
        .map(|(_, l)| l)
        .collect();
    Outcome {
        status: Status::Failed,
        column: None,
        observed: None,
        passing: 0,
        needed: 0,
        to_ready: 0,
        action: None,
        reason: if map.is_some_and(|m| {
            gate_labels(req, fields, map)
                .iter()
                .any(|(field, _)| m.vendor_label(field).is_none())
        }) {
            format!(
                "no {} column, and {} exports have none: this gate cannot be checked on this export",
                labels.join(" or "),
                map.map_or("these", |m| m.name.as_str())
            )
        } else {
            format!(
                "no {} column: export it to check this gate",
                labels.join(" or ")
            )
        },
    }
}

pub fn evaluate_use_case(
    use_case: &UseCase,
    measured: &Measured,
    dictionary: &Dictionary,
    map: Option<&FieldMap>,
) -> UseCaseReport {
    let kind = measured.kind;
    let vendor = map.map(|m| m.vendor.as_str());
    if !use_case.applies_to(kind) || !use_case.serves_vendor(vendor) {
        let wants: Vec<&str> = use_case.objects.iter().map(|k| k.as_str()).collect();
        let note = if !use_case.serves_vendor(vendor) {
            format!(
                "a {} feature; this export is {}",
                use_case.vendors.join(" or "),
                vendor.map_or("from no known vendor".to_owned(), |v| format!(
                    "a {v} export"
                ))
            )
        } else {
            match kind {
                Some(kind) => format!(
                    "built on {} records; this export holds {kind} records",
                    wants.join(" or ")
                ),
                None => format!(
                    "built on {} records; no field map matched this export, so its kind of records is unknown (use --field-map)",
                    wants.join(" or ")
                ),
            }
        };
        return UseCaseReport {
            id: use_case.id.clone(),
            title: use_case.title.clone(),
            verdict: Verdict::NotApplicable,
            file: None,
            note: Some(note),
            requirements: Vec::new(),
            to_ready: ToReady::default(),
        };
    }
    let mut requirements = Vec::new();
    let mut to_ready = ToReady::default();
    let mut count_records = 0;
    for (index, req) in use_case.requires.iter().enumerate() {
        let (report, records) = check(
            req,
            (&use_case.id, index),
            measured,
            dictionary.at_risk_margin,
            map,
        );
        // A column two requirements need is exported once.
        let mut re_export = |label: String| {
            if !to_ready.re_export.contains(&label) {
                to_ready.re_export.push(label);
            }
        };
        match report.status {
            // Unknown with its column there (a text column asked for a dominant share): the
            // reason says what to change; exporting again would not help.
            Status::Unknown if report.column.is_none() => {
                re_export(re_export_label(&req.target, map))
            }
            Status::Failed if report.observed.is_none() => {
                for (_, label) in gate_labels(req, measured.fields, map) {
                    re_export(label);
                }
            }
            // Records added for one count serve the others (a converted lead is also a lead):
            // the counts need the most any of them needs, not the sum.
            _ if records > 0 && report.measure == "count" => {
                if !to_ready.fill.iter().any(|f| f == "record count") {
                    to_ready.fill.push("record count".to_owned());
                }
                count_records = count_records.max(records);
            }
            _ if records > 0 => {
                to_ready.fill.push(match report.measure {
                    "fill" => report.field.clone(),
                    measure => format!("{} {measure}", report.field),
                });
                to_ready.records += records;
            }
            _ => {}
        }
        requirements.push(report);
    }
    to_ready.records += count_records;
    let has = |status| {
        requirements
            .iter()
            .any(|r: &RequirementReport| r.status == status)
    };
    let verdict = if has(Status::Failed) {
        Verdict::Blocked
    } else if has(Status::Unknown) {
        Verdict::Unknown
    } else if has(Status::AtRisk) {
        Verdict::AtRisk
    } else {
        Verdict::Ready
    };
    let note = (verdict == Verdict::Unknown).then(|| {
        let mut why = Vec::new();
        if !to_ready.re_export.is_empty() {
            why.push(format!(
                "the export lacks {}",
                to_ready.re_export.join(", ")
            ));
        }
        for r in requirements
            .iter()
            .filter(|r| r.status == Status::Unknown && r.column.is_some())
        {
            why.push(format!("{}: {}", r.field, r.reason));
        }
        format!("cannot judge: {}", why.join("; "))
    });
    UseCaseReport {
        id: use_case.id.clone(),
        title: use_case.title.clone(),
        verdict,
        note,
        file: None,
        requirements,
        to_ready,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_count_is_a_ceiling_without_float_noise() {
        assert_eq!(required_count(0.6, 10), 6);
        assert_eq!(required_count(0.7, 10), 7); // 0.7 * 10 = 7.000000000000001 in f64
        assert_eq!(required_count(0.6, 11), 7);
        assert_eq!(required_count(0.95, 1_000_000), 950_000);
        assert_eq!(required_count(1.0, 3), 3);
        assert_eq!(required_count(0.0, 3), 0);
        assert_eq!(required_count(1e-10, 3), 1);
        assert_eq!(required_count(0.1, 30), 3); // 0.1 x 30 = 3.0000000000000004
    }
}
