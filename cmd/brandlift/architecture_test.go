package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// mayImport is the import direction of docs/ARCHITECTURE.md: for each
// package of the module, the packages of ours it may import (not counting
// tests). A package missing here fails the test, so that a new one gets
// its place in the map.
var mayImport = map[string][]string{
	"stats":                   {},
	"migrations":              {},
	"frontend":                {},
	"frontend/charts":         {},
	"survey":                  {},
	"survey/results":          {"survey", "stats"},
	"survey/store":            {"survey", "survey/results", "migrations", "stats"},
	"survey/surveytest":       {"survey", "survey/store"},
	"api/tabular":             {"survey"},
	"api/tabular/tabulartest": {"survey"},
	"api":                     {"survey", "survey/results", "survey/store", "stats", "frontend", "frontend/charts", "api/tabular"},
	"cmd/brandlift":           {"api", "survey", "survey/store", "survey/results", "stats"},
}

// TestImportDirection checks the packages' imports, as go list reports
// them, against mayImport.
func TestImportDirection(t *testing.T) {
	const module = "github.com/brandlift/brandlift/"
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}|{{join .Imports \" \"}}", module+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, "|")
		pkg = strings.TrimPrefix(pkg, module)
		allowed, ok := mayImport[pkg]
		if !ok {
			t.Errorf("package %s has no place in the import direction (mayImport, docs/ARCHITECTURE.md)", pkg)
			continue
		}
		seen++
		for _, imp := range strings.Fields(imports) {
			ours, isOurs := strings.CutPrefix(imp, module)
			if isOurs && !slices.Contains(allowed, ours) {
				t.Errorf("%s imports %s, against the import direction", pkg, ours)
			}
		}
	}
	if seen < len(mayImport) {
		t.Errorf("go list showed %d of the %d packages", seen, len(mayImport))
	}
}
