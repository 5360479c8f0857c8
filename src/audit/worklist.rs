//! The work list: the records that fail a requirement of a blocked or at-risk use case, one
//! row each, found in a second read of the file once the verdicts are known. Only with
//! `--worklist`: it is the one output that holds record ids.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::ops::AddAssign;
use std::sync::Mutex;

use polars::prelude::DataFrame;

use super::checks::fill::Cell;
use super::segments::{self, Dimension, SegmentedRequirement};
use super::{AccountTable, Plan, id15};
use crate::model::{Status, UseCaseReport, Verdict};

/// What the second read needs: the requirements to test, the id column, the segments.
#[derive(Debug, Clone)]
pub struct WorklistPlan {
    pub id_column: usize,
    pub id_label: String,
    pub dimensions: Vec<Dimension>,
    /// Per dimension, whether its slash dates read day first.
    pub day_first_keys: Vec<bool>,
    /// (requirement, its field's name, the use case, the date order of its column).
    pub requirements: Vec<(SegmentedRequirement, String, String, bool)>,
}

/// Lines held in memory before they go to the temporary file: memory stays bounded however
/// many records fail.
const MEMORY_BUDGET: usize = 8 << 20;

/// A file's rows, grouped by segment in file order.
#[derive(Debug, Default)]
pub struct WorklistRows {
    /// Segment (the `--by` values joined by U+001F) -> rows.
    pub segments: BTreeMap<String, u64>,
    pub spool: Spool,
}

impl AddAssign for WorklistRows {
    fn add_assign(&mut self, other: Self) {
        for (segment, rows) in &other.segments {
            *self.segments.entry(segment.clone()).or_default() += rows;
        }
        self.spool.append(other.spool);
    }
}

/// Each segment's CSV lines in the order they were pushed: the newest in memory, the rest
/// in chunks of an anonymous temporary file (deleted by the system when closed, so record
/// ids never outlive the run).
#[derive(Debug, Default)]
pub struct Spool {
    pending: HashMap<String, Vec<u8>>,
    pending_bytes: usize,
    budget: usize,
    file: Option<Mutex<File>>,
    end: u64,
    /// Per segment, its spilled chunks (offset, length), in order.
    chunks: HashMap<String, Vec<(u64, usize)>>,
    /// The first failure to spill, returned when the lines are written.
    failed: Option<String>,
}

impl Spool {
    /// A spool that keeps at most `budget` bytes in memory.
    pub fn with_budget(budget: usize) -> Self {
        Spool {
            budget,
            ..Spool::default()
        }
    }

    fn budget(&self) -> usize {
        if self.budget == 0 {
            MEMORY_BUDGET
        } else {
            self.budget
        }
    }

    pub fn push(&mut self, segment: &str, line: &[u8]) {
        match self.pending.get_mut(segment) {
            Some(lines) => lines.extend_from_slice(line),
            None => {
                self.pending.insert(segment.to_owned(), line.to_vec());
            }
        }
        self.pending_bytes += line.len();
        if self.pending_bytes >= self.budget() {
            self.spill();
        }
    }

    /// Moves every pending line to the temporary file.
    fn spill(&mut self) {
        if self.failed.is_some() {
            return;
        }
        if let Err(e) = self.try_spill() {
            self.failed = Some(format!(
                "cannot write the work list's temporary file (in {}): {e}",
                std::env::temp_dir().display()
            ));
        }
    }

    fn try_spill(&mut self) -> io::Result<()> {
        if self.file.is_none() {
            self.file = Some(Mutex::new(tempfile::tempfile()?));
        }
        let file = self.file.as_mut().expect("opened above");
        let file = file.get_mut().map_err(|_| io::Error::other("poisoned"))?;
        let mut out = io::BufWriter::new(file);
        // Segments in a fixed order: the file's layout does not depend on hashing.
        let mut pending: Vec<(String, Vec<u8>)> = self.pending.drain().collect();
        pending.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (segment, lines) in pending {
            out.write_all(&lines)?;
            self.chunks
                .entry(segment)
                .or_default()
                .push((self.end, lines.len()));
            self.end += lines.len() as u64;
        }
        out.flush()?;
        self.pending_bytes = 0;
        Ok(())
    }

    /// Adds another spool's lines after this one's, segment by segment.
    fn append(&mut self, other: Spool) {
        let mut segments: Vec<&String> = other.chunks.keys().chain(other.pending.keys()).collect();
        segments.sort_unstable();
        segments.dedup();
        for segment in segments {
            let mut lines = Vec::new();
            if let Err(e) = other.write_segment_to(segment, &mut lines) {
                self.failed.get_or_insert(e.to_string());
            }
            self.push(segment, &lines);
        }
        if let Some(failed) = other.failed {
            self.failed.get_or_insert(failed);
        }
    }

    fn write_segment_to(&self, segment: &str, out: &mut dyn Write) -> io::Result<()> {
        if let Some(failed) = &self.failed {
            return Err(io::Error::other(failed.clone()));
        }
        if let (Some(chunks), Some(file)) = (self.chunks.get(segment), &self.file) {
            let mut file = file.lock().map_err(|_| io::Error::other("poisoned"))?;
            let mut buffer = Vec::new();
            for &(offset, len) in chunks {
                file.seek(SeekFrom::Start(offset))?;
                buffer.resize(len, 0);
                file.read_exact(&mut buffer)?;
                out.write_all(&buffer)?;
            }
        }
        if let Some(lines) = self.pending.get(segment) {
            out.write_all(lines)?;
        }
        Ok(())
    }
}

impl crate::model::SegmentLines for Spool {
    fn write_segment(&self, segment: &str, out: &mut dyn Write) -> io::Result<()> {
        self.write_segment_to(segment, out)
    }
}

/// Plans the second read, or says why the file has no work list.
pub fn plan(
    plan: &Plan,
    by: &[String],
    use_cases: &[UseCaseReport],
    dictionary: &crate::config::Dictionary,
    day_first: impl Fn(usize) -> bool,
) -> Result<WorklistPlan, String> {
    let id_column = plan
        .columns
        .iter()
        .position(|c| c.canonical.as_deref() == Some("record_id"))
        .ok_or("no record id column: the work list cannot name records")?;
    let by: Vec<String> = if by.is_empty() {
        vec!["owner".to_owned()]
    } else {
        by.to_vec()
    };
    let all = segments::plan(&by, usize::MAX, &plan.columns, &plan.combined, dictionary);
    let failing = |use_case: &str, index: usize| {
        use_cases.iter().any(|u| {
            u.id == use_case
                && matches!(u.verdict, Verdict::Blocked | Verdict::AtRisk)
                && u.requirements
                    .get(index)
                    .is_some_and(|r| matches!(r.status, Status::Failed | Status::AtRisk))
        })
    };
    let requirements = all
        .requirements
        .into_iter()
        .filter(|r| failing(&r.use_case, r.index))
        .map(|r| {
            let field = dictionary
                .use_cases
                .iter()
                .find(|u| u.id == r.use_case)
                .and_then(|u| u.requires.get(r.index))
                .map_or_else(String::new, |q| q.target.name().to_owned());
            let order = match r.pass {
                segments::Pass::Valid(c) | segments::Pass::Fresh(c, _) => day_first(c),
                segments::Pass::Fill { .. } => false,
            };
            let use_case = r.use_case.clone();
            (r, field, use_case, order)
        })
        .collect();
    let day_first_keys = all
        .dimensions
        .iter()
        .map(|d| match d.source {
            segments::Source::CreatedMonth(c) => day_first(c),
            segments::Source::Column(_) => false,
        })
        .collect();
    Ok(WorklistPlan {
        id_column,
        id_label: plan.columns[id_column].name.clone(),
        dimensions: all.dimensions,
        day_first_keys,
        requirements,
    })
}

/// A CSV field: quoted when it holds a delimiter, a quote or a line break.
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// A CRM value (an owner's name) as a CSV field that a spreadsheet shows as text: one that
/// starts like a formula (`=`, `+`, `-`, `@`, tab, carriage return) gets a leading `'`, so
/// opening the work list never runs it.
pub fn csv_text(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        csv_field(&format!("'{text}"))
    } else {
        csv_field(text)
    }
}

/// Adds one batch's failing records.
pub fn measure(work: &WorklistPlan, plan: &Plan, batch: &DataFrame, rows: &mut WorklistRows) {
    if work.requirements.is_empty() {
        return;
    }
    let frame = batch.columns();
    let text = |i: usize| frame[i].str().expect("input batches hold string columns");
    let account_bits: Option<Vec<u8>> = plan.link.as_ref().map(|(column, accounts)| {
        let accounts: &AccountTable = accounts;
        text(*column)
            .iter()
            .map(|id| {
                id.map(id15)
                    .and_then(|id| accounts.ids.get(id).copied())
                    .unwrap_or(0)
            })
            .collect()
    });
    let requirements: Vec<SegmentedRequirement> =
        work.requirements.iter().map(|r| r.0.clone()).collect();
    let passes = segments::record_passes(
        &requirements,
        &plan.columns,
        batch,
        account_bits.as_deref(),
        None,
    );
    let keys: Vec<Vec<String>> = work
        .dimensions
        .iter()
        .zip(&work.day_first_keys)
        .map(|(d, day_first)| {
            segments::dimension_keys(
                d,
                *day_first,
                &plan.columns,
                plan.segments.owners.as_deref(),
                batch,
            )
        })
        .collect();
    let ids = text(work.id_column);
    let id_plan = &plan.columns[work.id_column];
    for (r, id) in ids.iter().enumerate() {
        let mut fields: Vec<&str> = Vec::new();
        let mut use_cases: Vec<&str> = Vec::new();
        for (k, (_, field, use_case, day_first)) in work.requirements.iter().enumerate() {
            let hit = passes[k][r];
            let pass = hit.fixed
                || if *day_first {
                    hit.day_first
                } else {
                    hit.month_first
                };
            if !pass {
                if !fields.contains(&field.as_str()) {
                    fields.push(field);
                }
                if !use_cases.contains(&use_case.as_str()) {
                    use_cases.push(use_case);
                }
            }
        }
        if fields.is_empty() {
            continue;
        }
        let id = id
            .filter(|v| id_plan.missing.classify(v) == Cell::Filled)
            .map(str::trim)
            .unwrap_or("");
        let segment: Vec<&str> = keys.iter().map(|k| k[r].as_str()).collect();
        let segment_key = segment.join("\u{1f}");
        match rows.segments.get_mut(&segment_key) {
            Some(n) => *n += 1,
            None => {
                rows.segments.insert(segment_key.clone(), 1);
            }
        }
        let mut line = csv_field(id);
        for value in &segment {
            line.push(',');
            line.push_str(&csv_text(value));
        }
        line.push(',');
        line.push_str(&csv_field(&fields.join(";")));
        line.push(',');
        line.push_str(&csv_field(&use_cases.join(";")));
        line.push('\n');
        rows.spool.push(&segment_key, line.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(spool: &Spool, segment: &str) -> String {
        let mut out = Vec::new();
        spool.write_segment_to(segment, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_spool_past_its_budget_keeps_each_segments_lines_in_order() {
        // 10-byte budget: nearly every push spills to the temporary file.
        let mut spool = Spool::with_budget(10);
        let mut expected: BTreeMap<&str, String> = BTreeMap::new();
        for i in 0..200 {
            let segment = ["ada", "sam", "(blank)"][i % 3];
            let line = format!("{i},{segment}\n");
            spool.push(segment, line.as_bytes());
            expected.entry(segment).or_default().push_str(&line);
        }
        assert!(spool.file.is_some(), "the spool spilled");
        assert!(spool.pending_bytes < 10);
        for (segment, want) in &expected {
            assert_eq!(&lines(&spool, segment), want);
        }
        assert_eq!(lines(&spool, "nobody"), "");
    }

    #[test]
    fn appended_spools_keep_the_first_ones_lines_first() {
        let mut first = Spool::with_budget(8);
        let mut second = Spool::with_budget(8);
        for i in 0..20 {
            first.push("ada", format!("a{i}\n").as_bytes());
            second.push("ada", format!("b{i}\n").as_bytes());
            second.push("sam", format!("s{i}\n").as_bytes());
        }
        first.append(second);
        let a: String = (0..20).map(|i| format!("a{i}\n")).collect();
        let b: String = (0..20).map(|i| format!("b{i}\n")).collect();
        let s: String = (0..20).map(|i| format!("s{i}\n")).collect();
        assert_eq!(lines(&first, "ada"), a + &b);
        assert_eq!(lines(&first, "sam"), s);
    }
}
