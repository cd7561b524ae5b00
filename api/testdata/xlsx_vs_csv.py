"""Compares an XLSX export, read by openpyxl (an independent reader), with
the CSV export of the same study, cell by cell. Usage:
    xlsx_vs_csv.py export.xlsx export.csv
Prints one line per difference and exits 1 if there is any."""
import csv, datetime, sys
import openpyxl

wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
ws = wb.worksheets[0]
xrows = [list(r) for r in ws.iter_rows(values_only=True)]
with open(sys.argv[2], newline="", encoding="utf-8-sig") as f:
    crows = list(csv.reader(f))
bad = []
if len(xrows) != len(crows):
    bad.append("rows: xlsx %d, csv %d" % (len(xrows), len(crows)))
for i, (xr, cr) in enumerate(zip(xrows, crows)):
    xr = list(xr) + [None] * (len(cr) - len(xr))
    for j, (x, c) in enumerate(zip(xr, cr)):
        if x is None:
            ok = c == ""
        elif isinstance(x, datetime.datetime):
            t = datetime.datetime.fromisoformat(c.replace("Z", "+00:00")).replace(tzinfo=None)
            ok = abs((x - t).total_seconds()) < 0.001  # Excel keeps milliseconds
        elif isinstance(x, bool):
            ok = c == ("true" if x else "false")
        elif isinstance(x, (int, float)):
            ok = c != "" and abs(float(c) - x) <= 1e-12 * max(1.0, abs(x))
        else:
            ok = x == c
        if not ok:
            bad.append("row %d col %d (%s): xlsx %r, csv %r" % (i, j, crows[0][j], x, c))
print("compared %d rows x %d columns" % (len(crows), len(crows[0]) if crows else 0))
for b in bad[:20]:
    print(b)
sys.exit(1 if bad else 0)
