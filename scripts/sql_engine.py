#!/usr/bin/env python3
"""Loads CSV exports into a real SQL engine and runs crm-ready's audit query on them.

    sql_engine.py check ENGINE                       exit 0 when ENGINE can run here
    sql_engine.py columns ENGINE CSV                 the table's columns, one a line
    sql_engine.py run ENGINE CSV SQL OUT [CSV SQL OUT ...]

ENGINE is duckdb (the Python package), spark (pyspark in local mode) or postgres (a
throwaway cluster of Debian's postgresql in a temporary folder, on a Unix socket only).
Every column is loaded as text, as the file audit reads it; the result is written as the
engines' CLIs write it (a header line and the rows of CSV: one, or with --by one per segment
besides the total), for
`crm-ready audit --from-sql-result OUT`. Used by tests/sql.rs and benches/README.md.
"""

import csv
import os
import shutil
import subprocess
import sys
import tempfile


def read_header(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return next(csv.reader(f))


def write_result(out, names, rows):
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(names)
        for row in rows:
            w.writerow(["" if v is None else v for v in row])


class DuckDb:
    def __init__(self):
        import duckdb

        self.con = duckdb.connect()

    def load(self, path):
        self.con.execute("DROP TABLE IF EXISTS export")
        self.con.execute(
            "CREATE TABLE export AS SELECT * FROM read_csv(?, all_varchar = true, header = true, delim = ',', quote = '\"', escape = '\"')",
            [path],
        )
        return [r[0] for r in self.con.execute("DESCRIBE export").fetchall()]

    def run(self, sql, out):
        cur = self.con.execute(sql)
        rows = cur.fetchall()
        write_result(out, [d[0] for d in cur.description], rows)

    def close(self):
        self.con.close()


class Spark:
    def __init__(self):
        from pyspark.sql import SparkSession

        self.spark = (
            SparkSession.builder.master("local[2]")
            .appName("crm-ready")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate()
        )
        self.spark.sparkContext.setLogLevel("ERROR")

    def load(self, path):
        df = (
            self.spark.read.option("header", True)
            .option("multiLine", True)
            .option("escape", '"')
            .option("encoding", "UTF-8")
            .csv(path)
        )
        df.createOrReplaceTempView("export")
        return df.columns

    def run(self, sql, out):
        df = self.spark.sql(sql.strip().rstrip(";"))
        write_result(out, df.columns, [list(row) for row in df.collect()])

    def close(self):
        self.spark.stop()


class Postgres:
    """A cluster of its own, started for the run and removed after it."""

    def __init__(self):
        bindir = self.bindir()
        self.dir = tempfile.mkdtemp(prefix="crm-ready-pg-")
        os.chmod(self.dir, 0o777)
        self.data = os.path.join(self.dir, "data")
        self.sock = self.dir
        self.bin = bindir
        self.as_user(
            [os.path.join(bindir, "initdb"), "-D", self.data, "-E", "UTF8", "--locale=C.UTF-8", "-A", "trust"]
        )
        self.as_user(
            [
                os.path.join(bindir, "pg_ctl"),
                "-D",
                self.data,
                "-l",
                os.path.join(self.dir, "log"),
                "-w",
                "-o",
                f"-c listen_addresses='' -k {self.sock} -c fsync=off",
                "start",
            ]
        )

    @staticmethod
    def bindir():
        for root in ["/usr/lib/postgresql"]:
            if os.path.isdir(root):
                for version in sorted(os.listdir(root), reverse=True):
                    b = os.path.join(root, version, "bin")
                    if os.path.exists(os.path.join(b, "postgres")):
                        return b
        found = shutil.which("postgres")
        if found:
            return os.path.dirname(found)
        raise RuntimeError("no PostgreSQL server (apt-get install postgresql)")

    def as_user(self, cmd, **kw):
        # The server refuses to run as root: as the postgres user, then.
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        return subprocess.run(cmd, check=True, capture_output=True, **kw)

    def psql(self, args, **kw):
        return self.as_user(
            [os.path.join(self.bin, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", self.sock, "-d", "postgres"]
            + args,
            **kw,
        )

    def load(self, path):
        names = read_header(path)
        quoted = ", ".join('"' + n.replace('"', '""') + '" text' for n in names)
        self.psql(["-c", "DROP TABLE IF EXISTS export"])
        self.psql(["-c", f"CREATE TABLE export ({quoted})"])
        # Blank lines are no records (the file audit skips them); COPY would refuse them.
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer)
        with open(path, newline="", encoding="utf-8-sig") as f:
            writer.writerows(row for row in csv.reader(f) if row)
        data = buffer.getvalue().encode("utf-8")
        self.psql(["-c", "COPY export FROM STDIN WITH (FORMAT csv, HEADER true)"], input=data)
        return names

    def run(self, sql, out):
        fd, path = tempfile.mkstemp(suffix=".sql", dir=self.dir)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(sql)
        os.chmod(path, 0o644)
        result = self.psql(["--csv", "-f", path])
        with open(out, "wb") as f:
            f.write(result.stdout)

    def close(self):
        try:
            self.as_user([os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-m", "immediate", "stop"])
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


ENGINES = {"duckdb": DuckDb, "spark": Spark, "postgres": Postgres}


def main(argv):
    if len(argv) < 2 or argv[0] not in ("check", "columns", "run") or argv[1] not in ENGINES:
        sys.stderr.write(__doc__)
        return 2
    action, engine = argv[0], ENGINES[argv[1]]
    if action == "check":
        try:
            engine().close()
        except Exception as e:  # noqa: BLE001 - any failure means "not here"
            sys.stderr.write(f"{argv[1]} is not available: {e}\n")
            return 1
        return 0
    e = engine()
    try:
        if action == "columns":
            print("\n".join(e.load(argv[2])))
            return 0
        jobs = argv[2:]
        if len(jobs) % 3:
            sys.stderr.write("run takes CSV SQL OUT triples\n")
            return 2
        for i in range(0, len(jobs), 3):
            csv_path, sql_path, out = jobs[i : i + 3]
            e.load(csv_path)
            with open(sql_path, encoding="utf-8") as f:
                e.run(f.read(), out)
        return 0
    finally:
        e.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
