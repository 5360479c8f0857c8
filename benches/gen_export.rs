//! Deterministic generator of CRM-style exports for benchmarks:
//! `cargo run --release --example gen_export -- --rows 1000000 --seed 1 out.csv`
//! (`--vendor salesforce` for a Salesforce Data Export Lead.csv shape).

use std::io::{BufWriter, Write};

mod generator;

fn main() {
    let mut rows: u64 = 100_000;
    let mut seed: u64 = 1;
    let mut vendor = String::from("hubspot");
    let mut path: Option<String> = None;
    let usage = "usage: gen_export [--rows N] [--seed N] [--vendor hubspot|salesforce] OUT.csv";
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--rows" => rows = args.next().and_then(|v| v.parse().ok()).expect(usage),
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).expect(usage),
            "--vendor" => vendor = args.next().expect(usage),
            other if !other.starts_with('-') => path = Some(other.to_owned()),
            _ => panic!("{usage}"),
        }
    }
    let path = path.expect(usage);
    let mut out = BufWriter::with_capacity(
        1 << 20,
        std::fs::File::create(&path).expect("create output"),
    );
    generator::write_export(&mut out, &vendor, rows, seed).expect("write export");
    out.flush().expect("write export");
}
