package api

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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
