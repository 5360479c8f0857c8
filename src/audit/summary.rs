//! The summary of a several-file audit: one verdict per use case and one fix-first list.

use crate::config::Dictionary;
use crate::model::{FileReport, FixFirst, ReExport, ToReady, UseCaseReport, Verdict};

use super::fix_first::rank;

/// Per use case, the worst verdict among the files it applies to (so one blocked dataset
/// fails the run), naming that file; and the fix-first entries of all files, ranked together.
pub fn combine(
    files: &[FileReport],
    dictionary: &Dictionary,
) -> (Vec<UseCaseReport>, Vec<FixFirst>, Vec<ReExport>) {
    let use_cases = dictionary
        .use_cases
        .iter()
        .map(|uc| {
            let mut worst: Option<(&FileReport, &UseCaseReport)> = None;
            for file in files {
                if let Some(report) = file.use_cases.iter().find(|u| u.id == uc.id)
                    && report.verdict != Verdict::NotApplicable
                    && worst.is_none_or(|(_, w)| report.verdict.severity() > w.verdict.severity())
                {
                    worst = Some((file, report));
                }
            }
            // One file: its own verdict, not applicable ones included (with their reason).
            if let [only] = files
                && worst.is_none()
                && let Some(report) = only.use_cases.iter().find(|u| u.id == uc.id)
            {
                worst = Some((only, report));
            }
            match worst {
                Some((file, report)) => UseCaseReport {
                    file: Some(file.input.path.clone()),
                    ..report.clone()
                },
                None => {
                    let wants: Vec<&str> = uc.objects.iter().map(|k| k.as_str()).collect();
                    UseCaseReport {
                        id: uc.id.clone(),
                        title: uc.title.clone(),
                        verdict: Verdict::NotApplicable,
                        note: Some(format!("no file holds {} records", wants.join(" or "))),
                        file: None,
                        requirements: Vec::new(),
                        to_ready: ToReady::default(),
                    }
                }
            }
        })
        .collect();
    let mut fix_first: Vec<FixFirst> = files
        .iter()
        .flat_map(|f| {
            f.fix_first.iter().map(|fix| FixFirst {
                file: Some(f.input.path.clone()),
                ..fix.clone()
            })
        })
        .collect();
    rank(&mut fix_first);
    let re_export = files
        .iter()
        .flat_map(|f| {
            f.re_export.iter().map(|r| ReExport {
                file: Some(f.input.path.clone()),
                ..r.clone()
            })
        })
        .collect();
    (use_cases, fix_first, re_export)
}
