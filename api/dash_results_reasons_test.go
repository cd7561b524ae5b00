package api

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// TestReasonsTranslated reads the sources of the packages that write the
// report's reasons and notes (survey/results, stats, and survey for the
// sample ratio check's reasons) and checks that the results page has a
// Russian text for every one: a reason added there without a translation
// here fails this test, instead of showing English on a Russian page.
//
// A reason is a string that the code puts in a field or variable named
// Reason, Notes, notes, reason or why, passes to reasons.set or stats'
// note, or appends to a list of notes, or returns as a result named
// reason or from a function named for notes (lowSample); or a constant
// named reason*. Format verbs get sample values, and an operand
// the code computes (a group, an attribute, another reason) a sample word.
func TestReasonsTranslated(t *testing.T) {
	found := map[string]string{} // reason -> where
	for _, dir := range []string{"../survey/results", "../stats", "../survey"} {
		collectReasons(t, dir, found)
	}
	if len(found) < 50 {
		t.Fatalf("found only %d reasons; is the scan stale?", len(found))
	}
	keys := make([]string, 0, len(found))
	for r := range found {
		keys = append(keys, r)
	}
	sort.Strings(keys)
	cyrillic := func(s string) bool {
		for _, r := range s {
			if unicode.Is(unicode.Cyrillic, r) {
				return true
			}
		}
		return false
	}
	for _, r := range keys {
		ru, ok := translateReason("ru", r)
		if !ok || !cyrillic(ru) || strings.Contains(ru, "%!") {
			t.Errorf("%s: no Russian text for %q (got %q)", found[r], r, ru)
		}
		if en, ok := translateReason("en", r); !ok || strings.Contains(en, "%!") || en == "" {
			t.Errorf("%s: no English text for %q (got %q)", found[r], r, en)
		}
	}
	t.Logf("%d reasons, each with a Russian text", len(keys))
}

// reasonFields are the names whose values are reasons.
var reasonFields = map[string]bool{"Reason": true, "Notes": true, "notes": true, "reason": true, "why": true}

// noteFuncs are the functions whose string results are notes (the
// low-sample caveat).
var noteFuncs = regexp.MustCompile(`(?i)(note|reason|lowsample|caveat)`)

// sampleVerbs gives format verbs a value in the sample reasons.
var sampleVerbs = regexp.MustCompile(`%(\.\d+)?[a-zA-Z%]`)

func sampleFormat(f string) string {
	return sampleVerbs.ReplaceAllStringFunc(f, func(v string) string {
		switch v[len(v)-1] {
		case '%':
			return "%"
		case 'q':
			return `"level"`
		case 's':
			return "age"
		case 'd':
			return "3"
		}
		return "0.25"
	})
}

func collectReasons(t *testing.T, dir string, found map[string]string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	consts := map[string]string{}
	var parsed []*ast.File
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatalf("parse %s: %v", f, err)
		}
		parsed = append(parsed, file)
		for _, d := range file.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if i < len(vs.Values) {
						if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							consts[n.Name], _ = strconv.Unquote(lit.Value)
						}
					}
				}
			}
		}
	}
	// eval returns the expression's text and whether any of it is written
	// out in the source (an operand the code computes alone is no reason).
	var eval func(e ast.Expr) (string, bool)
	eval = func(e ast.Expr) (string, bool) {
		switch e := e.(type) {
		case *ast.BasicLit:
			if e.Kind == token.STRING {
				s, _ := strconv.Unquote(e.Value)
				return s, strings.ContainsFunc(s, unicode.IsLetter) // "; " joins reasons, it is none
			}
		case *ast.Ident:
			if v, ok := consts[e.Name]; ok {
				return v, true
			}
		case *ast.BinaryExpr:
			if e.Op == token.ADD {
				a, okA := eval(e.X)
				b, okB := eval(e.Y)
				return a + b, okA || okB
			}
		case *ast.SelectorExpr:
			if e.Sel.Name == "Reason" {
				return "no respondents", false // another reason, itself scanned
			}
		case *ast.CallExpr:
			if sel, ok := e.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Sprintf" && len(e.Args) > 0 {
				if f, ok := eval(e.Args[0]); ok {
					return sampleFormat(f), true
				}
			}
			if id, ok := e.Fun.(*ast.Ident); ok && id.Name == "note" && len(e.Args) == 2 {
				return eval(e.Args[1])
			}
		}
		return "exposed", false
	}
	add := func(e ast.Expr) {
		if s, ok := eval(e); ok {
			found[s] = fset.Position(e.Pos()).String()
		}
	}
	named := func(e ast.Expr) bool {
		switch e := e.(type) {
		case *ast.Ident:
			return reasonFields[e.Name]
		case *ast.SelectorExpr:
			return reasonFields[e.Sel.Name]
		}
		return false
	}
	for _, file := range parsed {
		for n, v := range consts {
			if strings.HasPrefix(n, "reason") {
				found[v] = "const " + n
			}
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				if n.Tok == token.ADD_ASSIGN { // a suffix ("s"): the whole is scanned where it is built
					return true
				}
				for i, l := range n.Lhs {
					if named(l) && len(n.Rhs) == len(n.Lhs) {
						add(n.Rhs[i])
					}
				}
			case *ast.KeyValueExpr:
				if k, ok := n.Key.(*ast.Ident); ok && reasonFields[k.Name] {
					add(n.Value)
				}
			case *ast.CallExpr:
				switch fun := n.Fun.(type) {
				case *ast.SelectorExpr:
					if fun.Sel.Name == "set" && len(n.Args) == 2 {
						add(n.Args[1])
					}
				case *ast.Ident:
					if fun.Name == "note" && len(n.Args) == 2 {
						add(n.Args[1])
					}
					if fun.Name == "append" && len(n.Args) > 1 && named(n.Args[0]) {
						for _, a := range n.Args[1:] {
							add(a)
						}
					}
				}
			case *ast.FuncDecl:
				// A result named reason: each return's string is one.
				if n.Type.Results == nil || n.Body == nil {
					return true
				}
				idx := -1
				i := 0
				for _, f := range n.Type.Results.List {
					for _, name := range f.Names {
						if name.Name == "reason" {
							idx = i
						}
						i++
					}
				}
				if idx < 0 && noteFuncs.MatchString(n.Name.Name) {
					i = 0
					for _, f := range n.Type.Results.List {
						for range max(1, len(f.Names)) {
							if id, ok := f.Type.(*ast.Ident); ok && id.Name == "string" {
								idx = i
							}
							i++
						}
					}
				}
				if idx < 0 {
					return true
				}
				ast.Inspect(n.Body, func(m ast.Node) bool {
					if r, ok := m.(*ast.ReturnStmt); ok && len(r.Results) > idx {
						add(r.Results[idx])
					}
					return true
				})
			}
			return true
		})
	}
}

// TestReasonClauses checks notes that join several reasons, a clause that
// itself contains "; ", and the low-sample clause the page writes itself.
func TestReasonClauses(t *testing.T) {
	low := "low sample: fewer than 50 answers per group (exposed 30, control 30); the numbers are shown, read them with care"
	for _, c := range []struct{ in, ru string }{
		{low, "мало ответов: меньше 50 на группу (тестовая группа — 30, контрольная группа — 30); цифры показаны, читайте их с осторожностью"},
		{low + "; control rate is 0: relative lift undefined",
			"мало ответов: меньше 50 на группу (тестовая группа — 30, контрольная группа — 30); цифры показаны, читайте их с осторожностью; никто в контрольной группе не ответил положительно, относительный прирост не определён"},
		{"control: did not converge in 50 iterations (largest margin error 0.0012)",
			"контрольная группа: ракинг не сошёлся за 50 итераций (наибольшее отклонение от целевых долей — 0.0012)"},
		{"nothing to rake to: no exposed respondents with gender; the report is unweighted",
			"взвешивать не к чему: в тестовой группе нет респондентов с атрибутом «Пол»; отчёт без взвешивания"},
	} {
		if got, ok := translateReason("ru", c.in); !ok || got != c.ru {
			t.Errorf("%q:\n got %q (%v)\nwant %q", c.in, got, ok, c.ru)
		}
	}
	// An unknown clause stays as given, the rest is translated.
	if got, ok := translateReason("ru", "no strata; something new"); ok || got != "нет страт; something new" {
		t.Errorf("a new clause: %q, %v", got, ok)
	}
	// The metric's notes without the low-sample clause, which the page writes from the counts.
	if got := otherNotes("ru", low+"; control rate is 1: headroom lift undefined"); got != "все в контрольной группе ответили положительно, потенциала для прироста нет" {
		t.Errorf("otherNotes: %q", got)
	}
	if got := otherNotes("en", low); got != "" {
		t.Errorf("otherNotes of the low-sample clause alone: %q", got)
	}
}
