//! Verdicts: each use case's requirements checked against the measured fields.

use crate::config::{Dictionary, ObjectKind, Requirement, Target, UseCase};
use crate::model::{FieldReport, RequirementReport, UseCaseReport, Verdict};

/// Records that must be filled for `threshold` of `rows` (ceil, with float noise forgiven).
pub fn required_count(threshold: f64, rows: u64) -> u64 {
    let exact = threshold * rows as f64;
    let rounded = exact.round();
    if (exact - rounded).abs() < 1e-9 {
        rounded as u64
    } else {
        exact.ceil() as u64
    }
}

/// The measured column a requirement refers to: the first with that canonical field, or the
/// column of that name (case and surrounding spaces ignored).
pub fn find_field<'a>(fields: &'a [FieldReport], target: &Target) -> Option<&'a FieldReport> {
    match target {
        Target::Field(name) => fields.iter().find(|f| f.canonical.as_deref() == Some(name)),
        Target::Column(name) => fields
            .iter()
            .find(|f| f.column.trim().eq_ignore_ascii_case(name)),
    }
}

fn percent(rate: f64) -> String {
    let p = rate * 100.0;
    if (p - p.round()).abs() < 0.05 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

fn check(
    req: &Requirement,
    fields: &[FieldReport],
    rows: u64,
    margin: f64,
) -> (RequirementReport, bool) {
    let field = find_field(fields, &req.target);
    let (observed, met, at_risk, reason) = match field {
        None => (None, false, false, "column not in export".to_owned()),
        Some(f) => {
            let needed = required_count(req.min_fill, rows);
            let met = f.filled >= needed;
            let comfortable = f.filled >= required_count((req.min_fill + margin).min(1.0), rows);
            let reason = if !met {
                let missing = needed - f.filled;
                format!(
                    "{} populated, needs {}: fill {missing} more record{}",
                    percent(f.fill_rate),
                    percent(req.min_fill),
                    if missing == 1 { "" } else { "s" }
                )
            } else if !comfortable {
                format!(
                    "{} populated, within {} points of the {} threshold",
                    percent(f.fill_rate),
                    (margin * 100.0).round(),
                    percent(req.min_fill)
                )
            } else {
                format!(
                    "{} populated, needs {}",
                    percent(f.fill_rate),
                    percent(req.min_fill)
                )
            };
            (Some(f.fill_rate), met, met && !comfortable, reason)
        }
    };
    let report = RequirementReport {
        field: req.target.name().to_owned(),
        column: field.map(|f| f.column.clone()),
        observed,
        threshold: req.min_fill,
        met,
        reason,
        source: req.source.clone(),
    };
    (report, at_risk)
}

pub fn evaluate_use_case(
    use_case: &UseCase,
    fields: &[FieldReport],
    rows: u64,
    kind: Option<ObjectKind>,
    dictionary: &Dictionary,
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
        };
    }
    let mut requirements = Vec::new();
    let mut any_at_risk = false;
    for req in &use_case.requires {
        let (report, at_risk) = check(req, fields, rows, dictionary.at_risk_margin);
        any_at_risk |= at_risk;
        requirements.push(report);
    }
    let verdict = if requirements.iter().any(|r| !r.met) {
        Verdict::Blocked
    } else if any_at_risk {
        Verdict::AtRisk
    } else {
        Verdict::Ready
    };
    UseCaseReport {
        id: use_case.id.clone(),
        title: use_case.title.clone(),
        verdict,
        note: None,
        file: None,
        requirements,
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
    }
}
