"""Times `crm-ready audit` on a workbook against `pandas.read_excel` (openpyxl) reading it.
Usage: python3 benches/compare_xlsx.py BOOK.xlsx [--runs 3]"""
import argparse
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(os.path.dirname(HERE), "target"))
CRM = os.path.join(TARGET, "release", "crm-ready")


def timed(cmd):
    proc = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    wall, rss = proc.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024


ap = argparse.ArgumentParser()
ap.add_argument("book")
ap.add_argument("--runs", type=int, default=3)
args = ap.parse_args()
tools = {
    "crm-ready": [CRM, "audit", args.book, "--format", "json", "-q"],
    "pandas.read_excel (openpyxl)": [sys.executable, "-c",
                                     f"import pandas; pandas.read_excel({args.book!r}, dtype=str, engine='openpyxl')"],
}
print("| tool | median wall (s) | peak RSS (MiB) |")
print("|---|---:|---:|")
for name, cmd in tools.items():
    runs = [timed(cmd) for _ in range(args.runs)]
    print(f"| {name} | {statistics.median(r[0] for r in runs):.2f} | {max(r[1] for r in runs):,.0f} |", flush=True)
