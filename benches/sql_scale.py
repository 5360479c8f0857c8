#!/usr/bin/env python3
"""The SQL audit at scale: crm-ready's file audit of a generated export, next to the query
`crm-ready sql` writes for the same data, run in DuckDB and in local Spark.

    benches/sql_scale.py [--rows 5000000] [--engines duckdb,spark] [--dir /tmp/crm-ready-sql]

Builds nothing: run `cargo build --release --bin crm-ready --example gen_export` first (or
benches/compare.sh once). Each engine's table is loaded once and timed apart from the query
(a warehouse holds its tables already): DuckDB in a database file, Spark as Parquet. The
query then runs in a fresh process (DuckDB's Python package; Spark's own `spark-sql -f`, as
README.md gives it), timed with /usr/bin/time (wall seconds, peak RSS: the JVM's for
Spark), and its result goes through `audit --from-sql-result`,
whose every field count and verdict must equal the file audit's.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
CRM = os.path.join(TARGET, "release", "crm-ready")
GEN = os.path.join(TARGET, "release", "examples", "gen_export")
AS_OF = "2026-11-28"

DUCKDB_LOAD = """
import duckdb, sys
con = duckdb.connect(sys.argv[1])
con.execute("SET enable_progress_bar = false")
con.execute("DROP TABLE IF EXISTS export")
con.execute("CREATE TABLE export AS SELECT * FROM read_csv(?, all_varchar = true, header = true, delim = ',', quote = '\\"', escape = '\\"')", [sys.argv[2]])
"""

DUCKDB_RUN = """
import csv, duckdb, sys
con = duckdb.connect(sys.argv[1], read_only=True)
con.execute("SET enable_progress_bar = false")
cur = con.execute(open(sys.argv[2]).read())
rows = cur.fetchall()
with open(sys.argv[3], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow([d[0] for d in cur.description])
    w.writerows([["" if v is None else v for v in r] for r in rows])
"""

SPARK_SESSION = """
from pyspark.sql import SparkSession
spark = (SparkSession.builder.master("local[2]").appName("crm-ready-bench")
         .config("spark.ui.enabled", "false").config("spark.driver.memory", "4g")
         .config("spark.sql.shuffle.partitions", "8").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
"""

SPARK_LOAD = SPARK_SESSION + """
import sys
(spark.read.option("header", True).option("multiLine", True).option("escape", '"')
 .csv(sys.argv[2]).write.mode("overwrite").parquet(sys.argv[1]))
spark.stop()
"""


def spark_sql(parquet, sql, out):
    """The command README.md gives (`spark-sql -f`), on a view of the Parquet table: its
    tab-separated output is what `audit --from-sql-result` reads."""
    script = sql + ".spark"
    with open(script, "w") as f:
        f.write(f"CREATE TEMPORARY VIEW export USING parquet OPTIONS (path '{parquet}');\n")
        f.write(open(sql).read())
    return [
        "sh", "-c",
        'exec spark-sql --master "local[2]" --driver-memory 4g --conf spark.ui.enabled=false '
        "--conf spark.sql.shuffle.partitions=8 "
        '--conf spark.hadoop.hive.cli.print.header=true -f "$1" > "$2" 2>/dev/null',
        "spark-sql", script, out,
    ]


def timed(cmd, **kw):
    """Runs cmd under /usr/bin/time: (wall seconds, peak RSS MiB, completed process)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        p = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", t.name] + cmd, **kw)
        if p.returncode not in (0, 1):
            sys.stderr.write(f"{cmd[:3]} failed ({p.returncode})\n")
            sys.exit(1)
        wall, rss = open(t.name).read().split()[-2:]
        return float(wall), int(rss) / 1024, p


def fields(report):
    f = report["files"][0]
    return (
        f["rows"],
        [(x["column"], x["blank"], x["placeholder"], x.get("valid")) for x in f["fields"]],
        [(u["id"], u["verdict"]) for u in f["use_cases"]],
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=5_000_000)
    ap.add_argument("--engines", default="duckdb,spark")
    ap.add_argument("--dir", default=os.path.join(tempfile.gettempdir(), "crm-ready-sql"))
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    export = os.path.join(args.dir, f"export_{args.rows}.csv")
    if not os.path.exists(export):
        subprocess.run([GEN, "--rows", str(args.rows), "--seed", "1", export], check=True)
    size = os.path.getsize(export) / 1e6
    print(f"{args.rows:,} rows, {size:,.0f} MB")

    wall, rss, p = timed(
        [CRM, "audit", export, "--as-of", AS_OF, "--format", "json", "--quiet"],
        capture_output=True,
        text=True,
    )
    file_report = json.loads(p.stdout)
    print(f"| crm-ready file audit | - | {wall:.2f} | {rss:.0f} |")
    with open(export, encoding="utf-8-sig") as f:
        columns = next(__import__("csv").reader(f))
    cols = os.path.join(args.dir, "columns.txt")
    with open(cols, "w") as f:
        f.write("\n".join(columns))

    for engine in args.engines.split(","):
        sql = os.path.join(args.dir, f"audit_{engine}.sql")
        with open(sql, "w") as f:
            subprocess.run(
                [CRM, "sql", "--dialect", engine, "--table", "export", "--columns", cols,
                 "--as-of", AS_OF],
                stdout=f,
                check=True,
            )
        result = os.path.join(args.dir, f"result_{engine}.csv")
        if engine == "duckdb":
            store = os.path.join(args.dir, f"export_{args.rows}.duckdb")
            load = DUCKDB_LOAD
            run = [sys.executable, "-c", DUCKDB_RUN, store, sql, result]
        else:
            store = os.path.join(args.dir, f"export_{args.rows}.parquet")
            load = SPARK_LOAD
            run = spark_sql(store, sql, result)
        start = time.time()
        subprocess.run([sys.executable, "-c", load, store, export], check=True)
        loaded = time.time() - start
        wall, rss, _ = timed(run, cwd=args.dir)
        back = subprocess.run(
            [CRM, "audit", "--from-sql-result", result, "--format", "json", "--quiet"],
            capture_output=True,
            text=True,
        )
        same = fields(json.loads(back.stdout)) == fields(file_report)
        print(
            f"| {engine} query | {loaded:.1f} | {wall:.2f} | {rss:.0f} | "
            f"{'same counts and verdicts' if same else 'DIFFERENT'} |"
        )
        if not same:
            sys.exit(1)


if __name__ == "__main__":
    main()
