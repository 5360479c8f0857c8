//! JSON Lines for pipelines: one flat object a line (a use case, a requirement, a field), each
//! carrying the run's and the input's identity, so a warehouse can load every night's lines
//! into one table without reshaping. Keys are those of the JSON report's objects.

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use crate::model::Report;

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let run = json!({
        "schema_version": report.schema_version,
        "tool_version": report.tool_version,
        "generated_at": report.generated_at,
        "as_of": report.as_of,
        "dictionary_hash": report.dictionary.hash,
        "run_id": report.history.as_ref().map(|h| h.run_id),
    });
    let mut line =
        |kind: &str, input: Option<(&str, Option<&str>)>, body: Value| -> io::Result<()> {
            let mut object = Map::new();
            object.insert("kind".to_owned(), json!(kind));
            if let Value::Object(run) = &run {
                object.extend(run.clone());
            }
            object.insert("input".to_owned(), json!(input.map(|i| i.0)));
            object.insert("content_hash".to_owned(), json!(input.and_then(|i| i.1)));
            if let Value::Object(body) = body {
                for (k, v) in body {
                    // Nested lists stay in the JSON report; a line holds scalars and short lists.
                    if !matches!(k.as_str(), "requirements" | "segments" | "examples") {
                        object.insert(k, v);
                    }
                }
            }
            serde_json::to_writer(&mut *out, &Value::Object(object))?;
            writeln!(out)
        };
    for file in &report.files {
        let input = Some((
            file.input.path.as_str(),
            Some(file.input.content_hash.as_str()),
        ));
        for uc in &file.use_cases {
            let mut body = serde_json::to_value(uc)?;
            body["use_case"] = json!(uc.id);
            body["file"] = json!(file.input.path);
            line("use_case", input, body)?;
            for (index, r) in uc.requirements.iter().enumerate() {
                let mut body = serde_json::to_value(r)?;
                body["use_case"] = json!(uc.id);
                body["index"] = json!(index);
                line("requirement", input, body)?;
            }
        }
        for f in &file.fields {
            line("field", input, serde_json::to_value(f)?)?;
        }
    }
    for e in &report.errors {
        line(
            "error",
            Some((e.path.as_str(), None)),
            serde_json::to_value(e)?,
        )?;
    }
    for s in &report.skipped {
        line(
            "skipped",
            Some((s.path.as_str(), None)),
            serde_json::to_value(s)?,
        )?;
    }
    Ok(())
}
