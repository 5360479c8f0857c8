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
    let usage = "usage: gen_export [--rows N] [--seed N] [--vendor hubspot|salesforce] OUT.csv\n\nWrites a deterministic CRM-style export for benchmarks (default: 100000 HubSpot rows, seed 1).";
    let fail = |why: &str| -> ! {
        let _ = writeln!(std::io::stderr(), "gen_export: {why}\n{usage}");
        std::process::exit(2)
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| {
            args.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| fail(&format!("{name} takes a whole number")))
        };
        match arg.as_str() {
            "-h" | "--help" => {
                let _ = writeln!(std::io::stdout(), "{usage}");
                return;
            }
            "--rows" => rows = number("--rows"),
            "--seed" => seed = number("--seed"),
            "--vendor" => {
                vendor = args
                    .next()
                    .filter(|v| v == "hubspot" || v == "salesforce")
                    .unwrap_or_else(|| fail("--vendor takes hubspot or salesforce"))
            }
            other if !other.starts_with('-') => path = Some(other.to_owned()),
            other => fail(&format!("unknown option {other}")),
        }
    }
    let path = path.unwrap_or_else(|| fail("give the file to write"));
    let mut out = BufWriter::with_capacity(
        1 << 20,
        std::fs::File::create(&path).expect("create output"),
    );
    generator::write_export(&mut out, &vendor, rows, seed).expect("write export");
    out.flush().expect("write export");
}
