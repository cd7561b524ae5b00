package api

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/survey"
)

// debianPython is the interpreter Debian's python3-openpyxl installs for;
// .ci/run installs the package.
const debianPython = "/usr/bin/python3"

// TestXLSXReadByOpenpyxl opens the XLSX export with an independent reader
// (openpyxl) and compares every cell with the CSV export of the same
// study: the writer's own reader in tabulartest is ours, and could share
// its mistakes. It skips when openpyxl is not installed.
func TestXLSXReadByOpenpyxl(t *testing.T) {
	if out, err := exec.Command(debianPython, "-c", "import openpyxl").CombinedOutput(); err != nil {
		t.Skipf("openpyxl is missing (apt-get install python3-openpyxl): %v %s", err, out)
	}
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := exportStudy(app)
		app.submitAll(st, exportRespondents())
		dir := t.TempDir()
		for _, f := range []string{"xlsx", "csv"} {
			res := app.getUnchecked("/api/v1/studies/"+st.ID+"/responses?format="+f+"&weighting=rake", survey.RoleAnalyst).status(200)
			if err := os.WriteFile(filepath.Join(dir, "export."+f), res.Body.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		out, err := exec.Command(debianPython, "testdata/xlsx_vs_csv.py", filepath.Join(dir, "export.xlsx"), filepath.Join(dir, "export.csv")).CombinedOutput()
		if err != nil {
			t.Fatalf("openpyxl disagrees with the CSV export: %v\n%s", err, out)
		}
		if want := fmt.Sprintf("compared %d rows", len(exportRespondents())+1); !strings.Contains(string(out), want) {
			t.Fatalf("%q, want %s (the header and every response)", out, want)
		}
		t.Logf("%s", strings.TrimSpace(string(out)))
	})
}

// reportFormatsWant are the number formats the report's sheets must show,
// by sheet and column; "field=value:column" checks only the rows whose
// field column has that value. Written out here, not taken from the
// writer's tables, so that a wrong table fails.
var reportFormatsWant = map[string]map[string]string{
	"metrics": {"control_n": "#,##0", "exposed_positive": "#,##0", "exposed_rate": "0.0%", "abs_lift": "0.0%",
		"abs_lift_ci_low": "0.0%", "rel_lift": "0.0%", "headroom_lift": "0.0%", "prob_positive": "0.0%", "mde": "0.0%",
		"p_value": "0.00E+00", "p_value_fisher": "0.00E+00", "q_value": "0.00E+00", "p_value_sequential": "0.00E+00",
		"lifted_users": "#,##0", "cost_per_lifted_user": "0.00", "n_needed_per_group": "#,##0", "z": "0.00",
		"control_nps": "0.0", "control_promoters": "0.0%", "control_mean": "0.00", "control_sd": "0.00", "control_top2box": "0.0%",
		"type=lift:control_ci_low": "0.0%", "type=nps:control_ci_low": "0.0", "type=rating:exposed_ci_high": "0.00",
		"type=nps:diff": "0.0", "type=rating:diff": "0.00", "type=lift:sequential_cs_low": "0.0%", "type=nps:sequential_abs_lift": "0.0"},
	"segments":  {"control_n": "#,##0", "exposed_n": "#,##0"},
	"frequency": {"exposed_n": "#,##0", "exposed_rate": "0.0%", "abs_lift_ci_high": "0.0%", "p_value": "0.00E+00"},
	"targets": {"measure=abs_lift:target": "0.0%", "measure=abs_lift:estimate": "0.0%", "prob_above": "0.0%",
		"deadline": "yyyy-mm-dd hh:mm:ss"},
	"health": {"field=counts.exposed:value": "#,##0", "field=progress.control.share:value": "0.0%",
		"field=srm.p_value:value": "0.00E+00", "field=srm.chi_sq:value": "0.00"},
	"weights":    {"field=effective_n.control:value": "0.0", "field=max_weight:value": "0.00", "field=iterations:value": "#,##0"},
	"stratified": {"abs_lift": "0.0%", "p_value": "0.00E+00", "cmh_p_value": "0.00E+00", "cmh_chi_sq": "0.00", "strata": "#,##0"},
	"summary": {"field=confidence:value": "0.0%", "field=min_per_group:value": "#,##0", "field=generated_at:value": "yyyy-mm-dd hh:mm:ss",
		"field=as_of:value": "yyyy-mm-dd hh:mm:ss"},
}

// TestReportXLSXReadByOpenpyxl opens the report workbook with openpyxl and
// checks each sheet against its section's CSV file, cell by cell, and
// that its header row is frozen and bold, its columns wide enough for
// every cell as the format shows it (up to 60), and its numbers in the
// formats of reportFormatsWant. It prints each sheet's first rows with
// their formats (go test -v). It skips when openpyxl is not installed.
func TestReportXLSXReadByOpenpyxl(t *testing.T) {
	if out, err := exec.Command(debianPython, "-c", "import openpyxl").CombinedOutput(); err != nil {
		t.Skipf("openpyxl is missing (apt-get install python3-openpyxl): %v %s", err, out)
	}
	forEachDB(t, func(t *testing.T, app *testApp) {
		dash := seedResultsStudy(t, app.store, dashResultsSpec, 150)
		tiny := exportStudy(app)
		seedSplit(t, app, tiny, 300, 285, 15)
		dir := t.TempDir()
		script := filepath.Join(dir, "check.py")
		if err := os.WriteFile(script, []byte(reportXLSXCheck), 0o644); err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(reportFormatsWant)
		for name, b := range map[string][]byte{"formats.json": want, "none.json": []byte("{}")} {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for i, c := range []struct {
			study   survey.Study
			query   string
			check   string // a line the script must print
			formats string
		}{
			{*dash, "&segment=age,gender&weighting=rake", "checked 8 sheets", "formats.json"},
			{*dash, "&weighting=stratify&by=age,gender", "checked 7 sheets", "formats.json"},
			// Its formats are the same; some of its columns hold no number.
			{tiny, "", "checked 5 sheets", "none.json"},
		} {
			sub := filepath.Join(dir, strconv.Itoa(i))
			if err := os.Mkdir(sub, 0o755); err != nil {
				t.Fatal(err)
			}
			base := "/api/v1/studies/" + c.study.ID + "/results?"
			body := app.getUnchecked(base+"format=xlsx"+c.query, survey.RoleAnalyst).status(200).Body.Bytes()
			if err := os.WriteFile(filepath.Join(sub, "report.xlsx"), body, 0o644); err != nil {
				t.Fatal(err)
			}
			for _, sec := range sectionNames() {
				res := app.getUnchecked(base+"format=csv&section="+sec+c.query, survey.RoleAnalyst)
				if res.Code != 200 {
					continue // a section this report has not
				}
				if err := os.WriteFile(filepath.Join(sub, sec+".csv"), res.Body.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			out, err := exec.Command(debianPython, script, sub, filepath.Join(dir, c.formats)).CombinedOutput()
			if err != nil {
				t.Fatalf("openpyxl disagrees with the report (%s): %v\n%s", c.query, err, out)
			}
			if !strings.Contains(string(out), c.check) {
				t.Errorf("%s: output lacks %q:\n%s", c.query, c.check, out)
			}
			if c.study.ID == tiny.ID {
				m := regexp.MustCompile(`smallest p: (\S+)`).FindStringSubmatch(string(out))
				if p, err := strconv.ParseFloat(m[1], 64); err != nil || p > 1e-80 || p <= 0 {
					t.Errorf("smallest p-value read back %v (%v), want a tiny positive number", m[1], err)
				}
			}
			t.Logf("%s\n%s", c.query, out)
		}
	})
}

// reportXLSXCheck is the openpyxl side of TestReportXLSXReadByOpenpyxl.
// Usage: check.py DIR formats.json, DIR holding report.xlsx and one CSV
// per section (name.csv). Exits 1 on any difference.
const reportXLSXCheck = `
import csv, datetime, json, math, os, sys
import openpyxl
from openpyxl.utils import get_column_letter

d, want = sys.argv[1], json.load(open(sys.argv[2]))
wb = openpyxl.load_workbook(os.path.join(d, "report.xlsx"))
bad, smallest = [], None

def shown(v, fmt):
    """The text a spreadsheet shows for v in number format fmt."""
    if isinstance(v, bool):
        return "FALSE"
    if isinstance(v, datetime.datetime):
        return "2006-01-02 15:04:05"
    if isinstance(v, str):
        return max(v.split("\n"), key=len)
    if fmt == "0.0%":
        return "%.1f%%" % (v * 100)
    if fmt == "0.00E+00":
        return "%.2E" % v
    if fmt == "#,##0":
        return "{:,.0f}".format(v)
    if fmt == "0.0":
        return "%.1f" % v
    if fmt == "0.00":
        return "%.2f" % v
    return repr(v)[:11]

for ws in wb.worksheets:
    name = ws.title
    path = os.path.join(d, name + ".csv")
    if not os.path.exists(path):
        bad.append("%s: a sheet without a CSV section" % name)
        continue
    with open(path, newline="", encoding="utf-8") as f:
        crows = list(csv.reader(f))
    xrows = [list(r) for r in ws.iter_rows()]
    if ws.freeze_panes != "A2":
        bad.append("%s: freeze panes %r" % (name, ws.freeze_panes))
    if len(xrows) != len(crows):
        bad.append("%s: %d rows, csv %d" % (name, len(xrows), len(crows)))
    header = crows[0]
    for j, h in enumerate(header):
        c = xrows[0][j]
        if c.value != h or not c.font.b:
            bad.append("%s: header %r (bold %s), csv %r" % (name, c.value, c.font.b, h))
        w = ws.column_dimensions[get_column_letter(j + 1)].width
        if w is None or w < 8 or w > 60 or (w < len(h) + 2 and w < 60):
            bad.append("%s: column %s width %r" % (name, h, w))
        for r in xrows[1:]:
            c = r[j] if j < len(r) else None
            if c is not None and c.value is not None and len(shown(c.value, c.number_format)) + 2 > w and w < 60:
                bad.append("%s: %s=%r shown as %r in a column %r wide" % (name, h, c.value, shown(c.value, c.number_format), w))
    for i, (xr, cr) in enumerate(zip(xrows, crows)):
        for j, want_text in enumerate(cr):
            x = xr[j].value if j < len(xr) else None
            if x is None:
                ok = want_text == ""
            elif isinstance(x, datetime.datetime):
                t = datetime.datetime.fromisoformat(want_text.replace("Z", "+00:00")).replace(tzinfo=None)
                # generated_at and as_of differ by the time between the requests: each file is a fresh report
                slack = 60 if xr[0].value in ("generated_at", "as_of") else 0.001
                ok = abs((x - t).total_seconds()) < slack
            elif isinstance(x, bool):
                ok = want_text == ("true" if x else "false")
            elif isinstance(x, (int, float)):
                ok = want_text != "" and float(want_text) == x
                if ok and ("p_value" in header[j] or "q_value" in header[j]) and 0 < x and (smallest is None or x < smallest):
                    smallest = x
            else:
                ok = x == want_text
            if not ok:
                bad.append("%s row %d %s: xlsx %r, csv %r" % (name, i, header[j], x, want_text))
    for key, fmt in want.get(name, {}).items():
        cond, _, col = key.rpartition(":")
        if col not in header:
            bad.append("%s: no column %s" % (name, col))
            continue
        j, seen = header.index(col), 0
        fcol, _, fval = cond.partition("=")
        for r in xrows[1:]:
            if cond and r[header.index(fcol)].value != fval:
                continue
            c = r[j] if j < len(r) else None
            if c is None or c.value is None or isinstance(c.value, (bool, str)):
                continue
            seen += 1
            if c.number_format != fmt:
                bad.append("%s %s: %r formatted %r, want %r" % (name, key, c.value, c.number_format, fmt))
        if seen == 0:
            bad.append("%s %s: no number to check" % (name, key))
    print("== %s: freeze %s, widths %s" % (name, ws.freeze_panes,
          [ws.column_dimensions[get_column_letter(j + 1)].width for j in range(min(len(header), 10))]))
    for r in xrows[:3]:
        print("   ", [(c.value if c.number_format == "General" else (c.value, c.number_format)) for c in r[:10]])
print("checked %d sheets" % len(wb.worksheets))
print("smallest p: %r" % smallest)
for b in bad[:30]:
    print(b)
sys.exit(1 if bad else 0)
`
