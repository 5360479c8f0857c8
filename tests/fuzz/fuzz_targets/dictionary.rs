//! Any text as a data dictionary or field map: an error with a location, never a panic.
#![no_main]

use std::collections::BTreeSet;
use std::path::Path;

use crm_ready::config::{parse_dictionary, parse_field_map};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let known: BTreeSet<String> = ["industry", "job_title", "email"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    if let Err(err) = parse_dictionary(Path::new("fuzz.toml"), text, &known) {
        let _ = err.to_string();
    }
    if let Err(err) = parse_field_map(Path::new("fuzz.toml"), text) {
        let _ = err.to_string();
    }
});
