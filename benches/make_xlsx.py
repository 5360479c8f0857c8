"""Turns a generated CSV export into an XLSX workbook for the spreadsheet benchmark.
Usage: python3 benches/make_xlsx.py IN.csv OUT.xlsx   (needs openpyxl)"""
import csv
import sys

import openpyxl

src, dst = sys.argv[1], sys.argv[2]
wb = openpyxl.Workbook(write_only=True)
ws = wb.create_sheet("Contacts")
with open(src, newline="", encoding="utf-8-sig") as f:
    for row in csv.reader(f):
        # Control characters other than tab and line breaks are not allowed in XLSX cells.
        ws.append([None if v == "" else v for v in row])
wb.save(dst)
