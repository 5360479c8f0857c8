//! Verdicts: each use case's requirements checked against the measured fields.

use crate::config::{Dictionary, FieldMap, ObjectKind, Requirement, Target, UseCase};
use crate::model::{FieldReport, RequirementReport, Status, ToReady, UseCaseReport, Verdict};
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
    }
}

fn percent(rate: f64) -> String {
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
        Target::AnyOf { fields, .. } => fields
            .iter()
            .map(|f| label(f))
            .collect::<Vec<_>>()
            .join(" or "),
    }
}

/// One requirement against the measured fields; also the records that would make it
/// comfortably met (ready, not at risk).
fn check(
    req: &Requirement,
    fields: &[FieldReport],
    rows: u64,
    margin: f64,
    map: Option<&FieldMap>,
) -> (RequirementReport, u64) {
    let field = find_field(fields, &req.target);
    let (status, filled, needed, to_ready, reason) = match field {
        None => {
            // A `column = "..."` that is a typo of a column the export has: say which.
            let near = match &req.target {
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
            let on_account = matches!(&req.target, Target::Field(name) if crate::config::ACCOUNT_FIELDS.contains(&name.as_str()))
                && map.is_some_and(|m| {
                    m.vendor == "salesforce"
                        && matches!(m.kind, ObjectKind::Contact | ObjectKind::Opportunity)
                        && m.vendor_label(req.target.name()).is_none()
                });
            let reason = if on_account {
                "in Salesforce this lives on the Account: audit the file with Account.csv (the Data Export folder or ZIP), or export again with the account's column".to_owned()
            } else {
                format!(
                    "not in the export: export again with the {:?} column{near}",
                    re_export_label(&req.target, map)
                )
            };
            (Status::Unknown, 0, 0, 0, reason)
        }
        Some(f) => {
            let needed = required_count(req.min_fill, rows);
            let comfortable = required_count((req.min_fill + margin).min(1.0), rows);
            let to_ready = comfortable.saturating_sub(f.filled);
            let (status, reason) = if f.filled < needed {
                let missing = needed - f.filled;
                (
                    Status::Failed,
                    format!(
                        "{} populated, needs {}: fill {} more record{}",
                        percent(f.fill_rate),
                        percent(req.min_fill),
                        thousands(missing),
                        if missing == 1 { "" } else { "s" }
                    ),
                )
            } else if f.filled < comfortable {
                (
                    Status::AtRisk,
                    format!(
                        "{} populated, within {} points of the {} threshold",
                        percent(f.fill_rate),
                        (margin * 100.0).round(),
                        percent(req.min_fill)
                    ),
                )
            } else {
                (
                    Status::Met,
                    format!(
                        "{} populated, needs {}",
                        percent(f.fill_rate),
                        percent(req.min_fill)
                    ),
                )
            };
            // Say how much each column carried when several fill the field record by record.
            let reason = if f.combines.is_empty() {
                reason
            } else if f.combines.len() == 1 {
                // The column label already says where the value comes from.
                reason
            } else {
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
            };
            (
                status,
                f.filled,
                needed.saturating_sub(f.filled),
                to_ready,
                reason,
            )
        }
    };
    let report = RequirementReport {
        field: req.target.name().to_owned(),
        column: field.map(|f| f.column.clone()),
        observed: field.map(|f| f.fill_rate),
        threshold: req.min_fill,
        met: matches!(status, Status::Met | Status::AtRisk),
        status,
        filled,
        records_needed: needed,
        reason,
        source: req.source.clone(),
    };
    (report, to_ready)
}

pub fn evaluate_use_case(
    use_case: &UseCase,
    fields: &[FieldReport],
    rows: u64,
    kind: Option<ObjectKind>,
    dictionary: &Dictionary,
    map: Option<&FieldMap>,
) -> UseCaseReport {
    if !use_case.applies_to(kind) {
        let wants: Vec<&str> = use_case.objects.iter().map(|k| k.as_str()).collect();
        return UseCaseReport {
            id: use_case.id.clone(),
            title: use_case.title.clone(),
            verdict: Verdict::NotApplicable,
            file: None,
            note: Some(match kind {
                Some(kind) => format!(
                    "built on {} records; this export holds {kind} records",
                    wants.join(" or ")
                ),
                None => format!(
                    "built on {} records; no field map matched this export, so its kind of records is unknown (use --field-map)",
                    wants.join(" or ")
                ),
            }),
            requirements: Vec::new(),
            to_ready: ToReady::default(),
        };
    }
    let mut requirements = Vec::new();
    let mut to_ready = ToReady::default();
    for req in &use_case.requires {
        let (report, records) = check(req, fields, rows, dictionary.at_risk_margin, map);
        match report.status {
            Status::Unknown => to_ready.re_export.push(re_export_label(&req.target, map)),
            _ if records > 0 => {
                to_ready.fill.push(report.field.clone());
                to_ready.records += records;
            }
            _ => {}
        }
        requirements.push(report);
    }
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
        format!(
            "cannot judge: the export lacks {}",
            to_ready.re_export.join(", ")
        )
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
