#!/usr/bin/env bash
# Builds crm-ready and the export generator in release mode, then times crm-ready against
# Python polars and DuckDB on the same generated exports (see benches/README.md).
# Usage: benches/compare.sh [--rows 1000000 5000000] [--runs 5] [--skip duckdb]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release --quiet --bin crm-ready --example gen_export
python3 -c "import polars, duckdb" 2>/dev/null || pip install --quiet polars duckdb
exec python3 benches/compare.py "$@"
