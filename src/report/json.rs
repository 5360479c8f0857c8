//! JSON: the stable, versioned evidence format (see `model::SCHEMA_VERSION`).

use std::io::{self, Write};

use crate::model::Report;

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}
