"""Python polars peer: the same per-column counts as `crm-ready audit` (rows, blank, placeholder)."""
import json
import sys

import polars as pl

from missing_rule import tokens

path = sys.argv[1]
lf = pl.scan_csv(path, infer_schema_length=0, encoding="utf8")
columns = lf.collect_schema().names()
exprs = [pl.len().alias("__rows")]
for i, c in enumerate(columns):
    trimmed = pl.col(c).str.strip_chars()
    exprs.append((pl.col(c).is_null() | (trimmed == "")).sum().alias(f"b{i}"))
    exprs.append(trimmed.str.to_lowercase().is_in(tokens(c.lstrip("\ufeff"))).sum().alias(f"p{i}"))
row = lf.select(exprs).collect(engine="streaming").row(0, named=True)
out = {c.lstrip("\ufeff"): [row["__rows"], row[f"b{i}"], row[f"p{i}"]] for i, c in enumerate(columns)}
json.dump(out, sys.stdout, sort_keys=True)
