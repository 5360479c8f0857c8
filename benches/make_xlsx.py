"""Turns a generated CSV export into an XLSX workbook for the spreadsheet benchmarks, writing
the sheet XML directly (inline strings, as openpyxl's write-only mode does) so that a
million-row sheet takes seconds, not minutes.
Usage: python3 benches/make_xlsx.py IN.csv OUT.xlsx [--rows N] [--columns N]
(--rows: data rows to take, the header not counted; --columns: the first N columns)"""
import csv
import sys
import zipfile
from xml.sax.saxutils import escape

args = sys.argv[1:]
def option(name):
    if name in args:
        i = args.index(name)
        value = int(args[i + 1])
        del args[i:i + 2]
        return value
    return None

max_rows, max_columns = option("--rows"), option("--columns")
src, dst = args

CONTENT_TYPES = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
RELS = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
WORKBOOK = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Contacts" sheetId="1" r:id="rId1"/></sheets></workbook>'
WORKBOOK_RELS = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'


def column_letters(i):
    letters = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def clean(value):
    # Control characters other than tab and line breaks are not allowed in XLSX cells.
    return "".join(c for c in value if c in "\t\r\n" or ord(c) >= 32)


with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", CONTENT_TYPES)
    z.writestr("_rels/.rels", RELS)
    z.writestr("xl/workbook.xml", WORKBOOK)
    z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
    with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out, \
            open(src, newline="", encoding="utf-8-sig") as f:
        out.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        letters = [column_letters(i) for i in range(16384)]
        for r, row in enumerate(csv.reader(f), start=1):
            if max_rows is not None and r > max_rows + 1:
                break
            if max_columns is not None:
                row = row[:max_columns]
            cells = "".join(
                f'<c r="{letters[c]}{r}" t="inlineStr"><is><t xml:space="preserve">{escape(clean(v))}</t></is></c>'
                for c, v in enumerate(row) if v != ""
            )
            out.write(f'<row r="{r}">{cells}</row>'.encode("utf-8"))
        out.write(b"</sheetData></worksheet>")
