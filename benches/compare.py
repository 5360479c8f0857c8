"""Times crm-ready against its peers on the same generated export, after checking they agree.

Usage: python3 benches/compare.py [--rows 1000000 5000000] [--runs 5]
Needs: a release build (cargo build --release --example gen_export), and
`pip install polars duckdb`. Writes the Markdown table to stdout.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
CRM = os.path.join(TARGET, "release", "crm-ready")
GEN = os.path.join(TARGET, "release", "examples", "gen_export")
PEERS = os.path.join(HERE, "peers")


def timed(cmd, stdout=subprocess.PIPE):
    """(wall seconds, peak RSS MiB, stdout) of one run, measured by /usr/bin/time."""
    proc = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd, stdout=stdout,
                          stderr=subprocess.PIPE, text=True, cwd=PEERS)
    wall, rss_kb = proc.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss_kb) / 1024, proc.stdout


def counts_of(tool, path):
    if tool == "crm-ready":
        out = subprocess.run([CRM, "audit", path, "--format", "json", "-q"], capture_output=True, text=True).stdout
        report = json.loads(out)
        return {f["column"]: [f["rows"], f["blank"], f["placeholder"]] for f in report["fields"]}
    script = {"python polars": "polars_audit.py", "duckdb": "duckdb_audit.py"}[tool]
    return json.loads(subprocess.run([sys.executable, script, path], capture_output=True, text=True, cwd=PEERS).stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 5_000_000])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--skip", nargs="*", default=[], help="tools to leave out, e.g. duckdb")
    args = ap.parse_args()
    tools = {
        "crm-ready": lambda p: [CRM, "audit", p, "--format", "json", "-q"],
        "python polars": lambda p: [sys.executable, "polars_audit.py", p],
        "duckdb": lambda p: [sys.executable, "duckdb_audit.py", p],
        "wc -l (floor)": lambda p: ["wc", "-l", p],
    }
    print("| rows | file | tool | median wall (s) | MB/s | peak RSS (MiB) |")
    print("|---:|---:|---|---:|---:|---:|")
    for rows in args.rows:
        path = os.path.join(HERE, "data", f"hs_{rows}.csv")
        if not os.path.exists(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            subprocess.run([GEN, "--rows", str(rows), "--seed", "1", path], check=True)
        size_mb = os.path.getsize(path) / 1e6
        subprocess.run(["cat", path], stdout=subprocess.DEVNULL, check=True)  # page cache
        reference = counts_of("crm-ready", path)
        for tool in ("python polars", "duckdb"):
            if tool in args.skip:
                continue
            other = counts_of(tool, path)
            if other != reference:
                diff = {k: (reference.get(k), other.get(k)) for k in set(reference) | set(other)
                        if reference.get(k) != other.get(k)}
                sys.exit(f"{tool} disagrees with crm-ready on {path}: {diff}")
        for tool, cmd in tools.items():
            if tool in args.skip:
                continue
            runs = [timed(cmd(path), stdout=subprocess.DEVNULL) for _ in range(args.runs)]
            wall = statistics.median(r[0] for r in runs)
            rss = max(r[1] for r in runs)
            print(f"| {rows:,} | {size_mb:,.0f} MB | {tool} | {wall:.2f} | {size_mb / wall:,.0f} | {rss:,.0f} |",
                  flush=True)


if __name__ == "__main__":
    main()
