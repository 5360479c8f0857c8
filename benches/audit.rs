//! Criterion bench: the whole audit of a generated 100k-row HubSpot-style export, with
//! throughput in bytes, under the default dictionary (every check) and under the fill-only
//! dictionary of `fixtures/dictionaries/fill_only.toml`. Run with `cargo bench --bench audit`.

use std::io::BufWriter;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use crm_ready::{Format, ReportOutput, Settings};

mod generator;

fn audit_100k(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut group = c.benchmark_group("audit");
    for vendor in ["hubspot", "salesforce"] {
        let path = dir.path().join(format!("{vendor}.csv"));
        let mut file = BufWriter::new(std::fs::File::create(&path).expect("create"));
        generator::write_export(&mut file, vendor, 100_000, 1).expect("generate");
        drop(file);
        let bytes = std::fs::metadata(&path).expect("size").len();
        let fill_only = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/dictionaries/fill_only.toml");
        for (name, dictionary) in [("checks", None), ("fill_only", Some(fill_only))] {
            let settings = Settings {
                paths: vec![path.clone()],
                outputs: vec![ReportOutput {
                    format: Format::Json,
                    file: None,
                }],
                dictionary,
                as_of: Some("2026-11-28".to_owned()),
                ..Settings::default()
            };
            group.throughput(Throughput::Bytes(bytes));
            group.sample_size(20);
            group.bench_function(format!("{vendor}_100k_rows_{name}"), |b| {
                b.iter(|| crm_ready::run(&settings, &mut std::io::sink(), &|_| {}).expect("audit"))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, audit_100k);
criterion_main!(benches);
