"""DuckDB peer: the same per-column counts as `crm-ready audit` (rows, blank, placeholder)."""
import json
import sys

import duckdb

from missing_rule import tokens

path = sys.argv[1]
con = duckdb.connect()
src = f"read_csv('{path}', all_varchar=true, header=true, delim=',', quote='\"', escape='\"')"
columns = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()]
parts = ["count(*)"]
for c in columns:
    q = '"' + c.replace('"', '""') + '"'
    t = f"trim({q}, ' \t\r\n')"
    toks = ", ".join("'" + x.replace("'", "''") + "'" for x in tokens(c.lstrip("\ufeff")))
    parts.append(f"count(*) FILTER (WHERE {q} IS NULL OR {t} = '')")
    parts.append(f"count(*) FILTER (WHERE lower({t}) IN ({toks}))")
row = con.execute(f"SELECT {', '.join(parts)} FROM {src}").fetchone()
out = {c.lstrip("\ufeff"): [row[0], row[1 + 2 * i], row[2 + 2 * i]] for i, c in enumerate(columns)}
json.dump(out, sys.stdout, sort_keys=True)
