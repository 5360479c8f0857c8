"""Reads `crm-ready audit --format json` on stdin and prints the peers' shape of counts."""
import json
import sys

report = json.load(sys.stdin)
out = {f["column"]: [f["rows"], f["blank"], f["placeholder"]] for f in report["fields"]}
json.dump(out, sys.stdout, sort_keys=True)
