package charts

import (
	"encoding/xml"
	"errors"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
)

// node is one element of a parsed chart.
type node struct {
	name  string
	attrs map[string]string
	text  string // the character data directly inside it
	kids  []*node
}

// parse checks that svg is one well-formed XML element and returns it.
func parse(t *testing.T, svg template.HTML) *node {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(string(svg)))
	d.Strict = true
	var stack []*node
	var root *node
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, svg)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			} else if root != nil {
				t.Fatalf("more than one root element")
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tok)
			} else if strings.TrimSpace(string(tok)) != "" {
				t.Fatalf("text outside the svg: %q", tok)
			}
		}
	}
	if root == nil || root.name != "svg" {
		t.Fatalf("no svg root in %s", svg)
	}
	return root
}

// all returns the elements under n named name whose class has every one
// of classes.
func (n *node) all(name string, classes ...string) []*node {
	var out []*node
	var walk func(*node)
	walk = func(m *node) {
		if m.name == name && hasClasses(m, classes) {
			out = append(out, m)
		}
		for _, k := range m.kids {
			walk(k)
		}
	}
	walk(n)
	return out
}

func hasClasses(n *node, classes []string) bool {
	have := strings.Fields(n.attrs["class"])
	for _, c := range classes {
		found := false
		for _, h := range have {
			found = found || h == c
		}
		if !found {
			return false
		}
	}
	return true
}

func (n *node) f(t *testing.T, attr string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(n.attrs[attr], 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", n.name, attr, n.attrs[attr], err)
	}
	return v
}

// check runs the checks every chart passes and returns the parsed svg.
func check(t *testing.T, svg template.HTML, id string) *node {
	t.Helper()
	s := string(svg)
	for _, bad := range []string{"style=", "<style", "NaN", "Inf", "<script"} {
		if strings.Contains(s, bad) {
			t.Errorf("svg contains %q:\n%s", bad, s)
		}
	}
	root := parse(t, svg)
	if root.attrs["role"] != "img" || root.attrs["width"] != "100%" || root.attrs["viewBox"] == "" {
		t.Errorf("svg attributes %v", root.attrs)
	}
	if _, ok := root.attrs["height"]; ok {
		t.Errorf("svg has a fixed height")
	}
	if got, want := root.attrs["aria-labelledby"], id+"-title "+id+"-desc"; got != want {
		t.Errorf("aria-labelledby = %q, want %q", got, want)
	}
	if len(root.kids) < 2 || root.kids[0].name != "title" || root.kids[0].attrs["id"] != id+"-title" ||
		root.kids[1].name != "desc" || root.kids[1].attrs["id"] != id+"-desc" {
		t.Errorf("svg does not start with its title and desc")
	}
	// Every shape and text has a default colour, so that it renders
	// without the page's CSS.
	for _, name := range []string{"rect", "circle", "polygon", "text"} {
		for _, n := range root.all(name) {
			if n.attrs["fill"] == "" {
				t.Errorf("<%s class=%q> has no fill", name, n.attrs["class"])
			}
		}
	}
	for _, name := range []string{"line", "polyline"} {
		for _, n := range root.all(name) {
			if n.attrs["stroke"] == "" {
				t.Errorf("<%s class=%q> has no stroke", name, n.attrs["class"])
			}
		}
	}
	return root
}

func pp(v float64) string { return strconv.FormatFloat(v*100, 'f', 0, 64) + " p.p." }

func sampleLift() Lift {
	return Lift{
		ID: "lift1", Title: "Lift by metric", Desc: "Awareness rose by 5 p.p.",
		Format: pp,
		Rows: []LiftRow{
			{Label: "Awareness", Value: 0.05, Low: 0.02, High: 0.08, Significant: true, ValueLabel: "+5.0 p.p."},
			{Label: "Consideration", Value: -0.02, Low: 0.01, High: -0.05, ValueLabel: "−2.0 p.p."},
			{Label: "Purchase intent among people who saw the ad twice", Value: 0.01, Low: -0.01, High: 0.03, ValueLabel: "+1.0 p.p."},
		},
		SignificantLabel: "significant", NotSignificantLabel: "not significant",
	}
}

func TestLift(t *testing.T) {
	root := check(t, sampleLift().SVG(), "lift1")
	zero := root.all("line", "ch-zero")
	if len(zero) != 1 {
		t.Fatalf("%d zero lines", len(zero))
	}
	x0 := zero[0].f(t, "x1")
	points := root.all("circle", "ch-point")
	if len(points) != 3+2 { // the rows and the legend
		t.Fatalf("%d points", len(points))
	}
	if cx := points[0].f(t, "cx"); cx <= x0 {
		t.Errorf("lift 0.05 at x=%v, not right of zero at %v", cx, x0)
	}
	if cx := points[1].f(t, "cx"); cx >= x0 {
		t.Errorf("lift -0.02 at x=%v, not left of zero at %v", cx, x0)
	}
	if !hasClasses(points[0], []string{"ch-sig"}) || !hasClasses(points[1], []string{"ch-nonsig"}) {
		t.Errorf("classes %q, %q", points[0].attrs["class"], points[1].attrs["class"])
	}
	if points[0].attrs["fill"] == "#ffffff" || points[1].attrs["fill"] != "#ffffff" {
		t.Errorf("the significant point is not filled or the other not hollow")
	}
	// Each row has a whisker (from Low to High) and two caps, at its bounds.
	ci := root.all("line", "ch-ci")
	if len(ci) != 9 {
		t.Fatalf("%d whisker lines, want 9", len(ci))
	}
	for r := range 3 {
		wh, c1, c2 := ci[3*r], ci[3*r+1], ci[3*r+2]
		lo, hi := wh.f(t, "x1"), wh.f(t, "x2")
		cx := points[r].f(t, "cx")
		if r != 1 && !(lo < cx && cx < hi) {
			t.Errorf("row %d: whisker %v..%v does not hold the point %v", r, lo, hi, cx)
		}
		if lo >= hi {
			t.Errorf("row %d: whisker from %v to %v, not Low to High", r, lo, hi)
		}
		if c1.f(t, "x1") != lo || c2.f(t, "x1") != hi {
			t.Errorf("row %d: caps at %v, %v, whisker %v..%v", r, c1.f(t, "x1"), c2.f(t, "x1"), lo, hi)
		}
	}
	// Row 1 has Low > High: swapped, its whisker is -0.05..0.01, so it
	// crosses zero.
	if lo, hi := ci[3].f(t, "x1"), ci[3].f(t, "x2"); !(lo < x0 && x0 < hi) {
		t.Errorf("row 1: whisker %v..%v does not cross zero at %v", lo, hi, x0)
	}
}

func TestLiftDomainHoldsZero(t *testing.T) {
	c := Lift{ID: "l", Format: pp, Rows: []LiftRow{
		{Label: "A", Value: 0.12, Low: 0.1, High: 0.14, Significant: true},
		{Label: "B", Value: 0.2, Low: 0.15, High: 0.25, Significant: true},
	}}
	root := check(t, c.SVG(), "l")
	x0 := root.all("line", "ch-zero")[0].f(t, "x1")
	grid := root.all("line", "ch-grid")
	if first := grid[0].f(t, "x1"); x0 != first {
		t.Errorf("zero at %v, the axis starts at %v", x0, first)
	}
	for _, p := range root.all("circle", "ch-point") {
		if p.f(t, "cx") <= x0 {
			t.Errorf("point at %v not right of zero at %v", p.f(t, "cx"), x0)
		}
	}
	var ticks []string
	for _, n := range root.all("text", "ch-tick") {
		ticks = append(ticks, n.text)
	}
	if len(ticks) < 3 || ticks[0] != "0 p.p." {
		t.Errorf("ticks %q, want from 0 p.p.", ticks)
	}
	// Round ticks in percentage points: 0, 5, 10, ... or 0, 10, 20, ...
	for _, tk := range ticks {
		v, err := strconv.Atoi(strings.TrimSuffix(tk, " p.p."))
		if err != nil || v%5 != 0 {
			t.Errorf("tick %q is not a round number of p.p.", tk)
		}
	}
}

func TestTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		n      int
		want   []float64
	}{
		{-0.02, 0.08, 5, []float64{-0.02, 0, 0.02, 0.04, 0.06, 0.08}},
		{0, 0.47, 5, []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5}},
		{0, 1, 5, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{3, 97, 4, []float64{0, 50, 100}},
		{0, 0, 2, []float64{-0.01, 0, 0.01}},
	} {
		got := ticks(tc.lo, tc.hi, tc.n, 0.01)
		if len(got) != len(tc.want) {
			t.Errorf("ticks(%v, %v, %d) = %v, want %v", tc.lo, tc.hi, tc.n, got, tc.want)
			continue
		}
		for i := range got {
			if math.Abs(got[i]-tc.want[i]) > 1e-12 {
				t.Errorf("ticks(%v, %v, %d) = %v, want %v", tc.lo, tc.hi, tc.n, got, tc.want)
				break
			}
		}
	}
}

func TestStackedFillsTheBar(t *testing.T) {
	c := Stacked{ID: "nps", Title: "NPS", Desc: "More promoters among the exposed.", Rows: []StackedRow{
		{Label: "Exposed", Segments: []Segment{
			{Label: "Detractors", Share: 0.21, Class: "ch-detractor"},
			{Label: "Passives", Share: 0.33, Class: "ch-passive"},
			{Label: "Promoters", Share: 0.45, Class: "ch-promoter"}, // sums to 0.99
		}},
		{Label: "Control", Segments: []Segment{
			{Label: "Detractors", Share: 0.3, Class: "ch-detractor", ValueLabel: "30%"},
			{Label: "Passives", Share: 0.05, Class: "ch-passive", ValueLabel: "5%"},
			{Label: "Promoters", Share: 0.65, Class: "ch-promoter", ValueLabel: "65%"},
		}},
	}}
	root := check(t, c.SVG(), "nps")
	byRow := map[string]float64{}
	for _, r := range root.all("rect", "ch-segment") {
		byRow[r.attrs["y"]] += r.f(t, "width")
	}
	if len(byRow) != 2 {
		t.Fatalf("segments in %d rows", len(byRow))
	}
	for y, sum := range byRow {
		if math.Abs(sum-(width-2*pad)) > 0.5 {
			t.Errorf("row at y=%s: segments %v wide, want %v", y, sum, width-2*pad)
		}
	}
	var inside []string
	for _, n := range root.all("text", "ch-seglabel") {
		inside = append(inside, n.text)
	}
	// 5% is too narrow for a label inside.
	if got := strings.Join(inside, " "); got != "21.0 33.0 45.0 30% 65%" {
		t.Errorf("labels inside segments: %q", got)
	}
	if got := len(root.all("rect", "ch-swatch")); got != 3 {
		t.Errorf("%d legend entries, want 3", got)
	}
	if got := root.all("rect", "ch-segment", "ch-promoter")[0].attrs["fill"]; got != palette["ch-promoter"].fill {
		t.Errorf("promoter fill %q", got)
	}
}

func TestProgress(t *testing.T) {
	for _, tc := range []struct {
		value, target int
		want          float64 // filled width
		class         string
	}{
		{100, 400, progressBar / 4, "ch-fill"},
		{500, 400, progressBar, "ch-done"},
		{400, 400, progressBar, "ch-done"},
		{-3, 400, 0, ""},
		{120, 0, progressBar, "ch-neutral"},
	} {
		root := check(t, Progress{ID: "p", Value: tc.value, Target: tc.target, Label: "x"}.SVG(), "p")
		fills := root.all("rect", "ch-fill")
		got := 0.0
		for _, f := range fills {
			got = f.f(t, "width")
			if !hasClasses(f, []string{tc.class}) {
				t.Errorf("%d/%d: class %q, want %s", tc.value, tc.target, f.attrs["class"], tc.class)
			}
		}
		if got != tc.want {
			t.Errorf("%d/%d: filled %v, want %v", tc.value, tc.target, got, tc.want)
		}
		if tc.target > 0 && len(root.all("rect", "ch-track")) != 1 {
			t.Errorf("%d/%d: no track", tc.value, tc.target)
		}
	}
}

func sampleLine(n int) Line {
	c := Line{ID: "daily", Title: "Lift by day", Desc: "The lift held steady.", ZeroLine: true, Format: pp}
	s := Series{Label: "Lift"}
	for i := range n {
		c.X = append(c.X, "2026-11-"+strconv.Itoa(10+i))
		v := 0.03 + 0.02*math.Sin(float64(i)/3)
		s.Values = append(s.Values, v)
		s.Low = append(s.Low, v-0.03)
		s.High = append(s.High, v+0.03)
	}
	c.Series = []Series{s}
	return c
}

// xTicks returns the x labels of a Line: the centred tick labels.
func xTicks(root *node) []*node {
	var out []*node
	for _, n := range root.all("text", "ch-tick") {
		if n.attrs["text-anchor"] == "middle" {
			out = append(out, n)
		}
	}
	return out
}

func TestLineThinsXLabels(t *testing.T) {
	for _, n := range []int{1, 2, 5, 8, 9, 13, 30, 31, 100} {
		c := sampleLine(n)
		root := check(t, c.SVG(), "daily")
		xs := xTicks(root)
		if len(xs) > 9 || len(xs) > n {
			t.Errorf("%d points: %d x labels", n, len(xs))
		}
		if xs[0].text != c.X[0] || xs[len(xs)-1].text != c.X[n-1] {
			t.Errorf("%d points: labels from %q to %q, want %q to %q", n, xs[0].text, xs[len(xs)-1].text, c.X[0], c.X[n-1])
		}
		for i := 1; i < len(xs); i++ {
			a, b := xs[i-1], xs[i]
			room := b.f(t, "x") - a.f(t, "x")
			need := (textWidth(a.text, fontTick) + textWidth(b.text, fontTick)) / 2
			if room < need {
				t.Errorf("%d points: labels %q and %q overlap", n, a.text, b.text)
			}
		}
		if got := len(root.all("circle", "ch-marker")); got != n {
			t.Errorf("%d points: %d markers", n, got)
		}
		if n > 1 && len(root.all("polygon", "ch-band")) != 1 {
			t.Errorf("%d points: no band", n)
		}
	}
}

func TestLineBandHoldsTheLine(t *testing.T) {
	root := check(t, sampleLine(12).SVG(), "daily")
	band := root.all("polygon", "ch-band")[0]
	if band.attrs["fill-opacity"] == "" {
		t.Errorf("band is not translucent")
	}
	top, bottom := math.Inf(1), math.Inf(-1)
	for _, pt := range strings.Fields(band.attrs["points"]) {
		_, y, _ := strings.Cut(pt, ",")
		v, _ := strconv.ParseFloat(y, 64)
		top, bottom = math.Min(top, v), math.Max(bottom, v)
	}
	grid := root.all("line", "ch-grid")
	if axisTop := grid[len(grid)-1].f(t, "y1"); top < axisTop {
		t.Errorf("band reaches y=%v, above the axis top %v", top, axisTop)
	}
	if axisBottom := grid[0].f(t, "y1"); bottom > axisBottom {
		t.Errorf("band reaches y=%v, below the axis bottom %v", bottom, axisBottom)
	}
}

func sampleBars() Bars {
	return Bars{
		ID: "rating", Title: "Rating", Desc: "Exposed rate higher.",
		Categories: []string{"1", "2", "3", "4", "5"},
		Series: []Series{
			{Label: "Exposed", Values: []float64{0.05, 0.1, 0.2, 0.35, 0.3},
				Low: []float64{0.03, 0.07, 0.16, 0.3, 0.26}, High: []float64{0.07, 0.13, 0.24, 0.4, 0.34}},
			{Label: "Control", Values: []float64{0.08, 0.15, 0.25, 0.32, 0.2}},
		},
		Format: func(v float64) string { return strconv.FormatFloat(v*100, 'f', 0, 64) + "%" },
	}
}

func TestBars(t *testing.T) {
	root := check(t, sampleBars().SVG(), "rating")
	exposed := root.all("rect", "ch-bar", "ch-exposed")
	control := root.all("rect", "ch-bar", "ch-control")
	if len(exposed) != 5 || len(control) != 5 {
		t.Fatalf("%d exposed and %d control bars", len(exposed), len(control))
	}
	// Heights follow the values: 0.35 is seven times 0.05.
	if r := exposed[3].f(t, "height") / exposed[0].f(t, "height"); math.Abs(r-7) > 0.05 {
		t.Errorf("bar heights ratio %v, want 7", r)
	}
	// Bars stand on the zero line.
	base := exposed[0].f(t, "y") + exposed[0].f(t, "height")
	for _, b := range append(exposed, control...) {
		if got := b.f(t, "y") + b.f(t, "height"); math.Abs(got-base) > 0.02 {
			t.Errorf("bar ends at %v, others at %v", got, base)
		}
		if b.f(t, "x")+b.f(t, "width") > width || b.f(t, "x") < 0 {
			t.Errorf("bar outside the chart")
		}
	}
	if got := len(root.all("line", "ch-ci")); got != 5*3 {
		t.Errorf("%d whisker lines, want 15", got)
	}
	var ticks []string
	for _, n := range root.all("text", "ch-tick") {
		ticks = append(ticks, n.text)
	}
	if ticks[0] != "0%" {
		t.Errorf("y ticks %q, want from 0%%", ticks)
	}
}

func TestEscaping(t *testing.T) {
	evil := `<script>alert("x")</script> & "quotes"`
	charts := map[string]template.HTML{
		"lift":     Lift{ID: `a"b`, Title: evil, Desc: evil, Rows: []LiftRow{{Label: evil, Value: 0.1, Low: 0, High: 0.2, ValueLabel: evil}}}.SVG(),
		"stacked":  Stacked{ID: `a"b`, Title: evil, Desc: evil, Rows: []StackedRow{{Label: evil, Segments: []Segment{{Label: evil, Share: 1, Class: `x" onload="y`, ValueLabel: evil}}}}}.SVG(),
		"bars":     Bars{ID: `a"b`, Title: evil, Desc: evil, Categories: []string{evil}, Series: []Series{{Label: evil, Class: "<b>", Values: []float64{0.5}}}}.SVG(),
		"line":     Line{ID: `a"b`, Title: evil, Desc: evil, X: []string{evil, evil}, Series: []Series{{Label: evil, Values: []float64{1, 2}}}}.SVG(),
		"progress": Progress{ID: `a"b`, Title: evil, Desc: evil, Value: 1, Target: 2, Label: evil}.SVG(),
	}
	for name, svg := range charts {
		t.Run(name, func(t *testing.T) {
			root := check(t, svg, "a-b")
			if root.kids[0].text != evil {
				t.Errorf("title %q, want %q", root.kids[0].text, evil)
			}
			if !strings.Contains(string(svg), "&lt;script&gt;") {
				t.Errorf("label not escaped")
			}
			if strings.Contains(string(svg), "onload") && !strings.Contains(string(svg), "&#34; onload") {
				t.Errorf("class not escaped")
			}
		})
	}
}

func TestLongLabelsAreCut(t *testing.T) {
	long := "Покупательское намерение среди видевших рекламу дважды"
	root := check(t, Lift{ID: "l", Rows: []LiftRow{{Label: long, Value: 0.1, Low: 0.05, High: 0.15}}}.SVG(), "l")
	var found bool
	for _, n := range root.all("text", "ch-label") {
		if len(n.kids) == 1 && n.kids[0].name == "title" {
			found = true
			if n.kids[0].text != long {
				t.Errorf("title %q, want the full label", n.kids[0].text)
			}
			if r := []rune(n.text); len(r) > maxRunes || r[len(r)-1] != '…' {
				t.Errorf("label shown as %q", n.text)
			}
		}
	}
	if !found {
		t.Errorf("the long label was not cut")
	}
}

func TestNonFinite(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	charts := map[string]template.HTML{
		"lift": Lift{ID: "x", Rows: []LiftRow{
			{Label: "a", Value: nan, Low: nan, High: nan},
			{Label: "b", Value: 0.1, Low: nan, High: inf},
			{Label: "c", Value: inf, Low: -0.1, High: 0.2},
			{Label: "d", Value: 0.05, Low: 0.01, High: nan},
		}}.SVG(),
		"stacked": Stacked{ID: "x", Rows: []StackedRow{
			{Label: "a", Segments: []Segment{{Share: nan}, {Share: inf}, {Share: 0.5}}},
			{Label: "b", Segments: []Segment{{Share: nan}}},
		}}.SVG(),
		"bars": Bars{ID: "x", Categories: []string{"1", "2", "3"}, Series: []Series{
			{Values: []float64{nan, 0.2, inf}, Low: []float64{nan, 0.1}, High: []float64{0.3, inf, 0.4}},
		}}.SVG(),
		"line": Line{ID: "x", X: []string{"1", "2", "3", "4"}, ZeroLine: true, Series: []Series{
			{Values: []float64{nan, 0.2, -inf, 0.1}, Low: []float64{0, nan, 0, 0}, High: []float64{inf, 0.3, 0.1, 0.2}},
		}}.SVG(),
		"huge": Line{ID: "x", X: []string{"1", "2"}, Series: []Series{{Values: []float64{-math.MaxFloat64, math.MaxFloat64}}}}.SVG(),
	}
	for name, svg := range charts {
		t.Run(name, func(t *testing.T) {
			if svg == "" {
				t.Fatalf("empty")
			}
			check(t, svg, "x")
		})
	}
	// Nothing finite to draw: nothing at all.
	if got := (Bars{Categories: []string{"1"}, Series: []Series{{Values: []float64{nan}}}}).SVG(); got != "" {
		t.Errorf("bars of NaN: %s", got)
	}
	if got := (Line{X: []string{"1"}, Series: []Series{{Values: []float64{inf}}}}).SVG(); got != "" {
		t.Errorf("line of Inf: %s", got)
	}
}

func TestEmpty(t *testing.T) {
	for name, svg := range map[string]template.HTML{
		"lift":          Lift{ID: "x"}.SVG(),
		"stacked":       Stacked{ID: "x"}.SVG(),
		"bars":          Bars{ID: "x", Categories: []string{"1"}}.SVG(),
		"bars, no data": Bars{ID: "x"}.SVG(),
		"line":          Line{ID: "x", X: []string{"1"}}.SVG(),
	} {
		if svg != "" {
			t.Errorf("%s: %s", name, svg)
		}
	}
}

func TestDeterministic(t *testing.T) {
	for i := range 3 {
		for name, draw := range map[string]func() template.HTML{
			"lift":     sampleLift().SVG,
			"bars":     sampleBars().SVG,
			"line":     sampleLine(30).SVG,
			"stacked":  sampleStacked().SVG,
			"progress": Progress{ID: "p", Value: 3, Target: 7, Label: "3 / 7"}.SVG,
		} {
			if a, b := draw(), draw(); a != b {
				t.Errorf("%s (round %d): two renderings differ", name, i)
			}
		}
	}
}

func sampleStacked() Stacked {
	return Stacked{ID: "s", Rows: []StackedRow{{Label: "Exposed", Segments: []Segment{
		{Label: "s1", Share: 0.2}, {Label: "s2", Share: 0.3}, {Label: "s3", Share: 0.5},
	}}}}
}

// TestPalette checks the default colours' contrast: shapes at least 3:1
// on white (WCAG 1.4.11), text at least 4.5:1 on its background.
func TestPalette(t *testing.T) {
	for class, s := range palette {
		if c := contrast(s.fill, "#ffffff"); c < 3 {
			t.Errorf("%s: fill %s has contrast %.2f on white", class, s.fill, c)
		}
		if c := contrast(s.ink, s.fill); c < 4.5 {
			t.Errorf("%s: text %s has contrast %.2f on %s", class, s.ink, c, s.fill)
		}
	}
	for _, c := range []string{colText, colAxis} {
		if got := contrast(c, "#ffffff"); got < 4.5 {
			t.Errorf("%s has contrast %.2f on white", c, got)
		}
	}
}

// contrast is the WCAG 2 contrast ratio of two #rrggbb colours.
func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

func luminance(hex string) float64 {
	ch := func(i int) float64 {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		c := float64(v) / 255
		if c <= 0.04045 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(0) + 0.7152*ch(1) + 0.0722*ch(2)
}

func TestTicksAreClean(t *testing.T) {
	for _, tk := range ticks(0, 0.93, 10, 0.01) {
		if s := strconv.FormatFloat(tk, 'f', -1, 64); len(s) > 4 {
			t.Errorf("tick %s", s)
		}
	}
}

func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		s    string
		per  int
		want string
	}{
		{"1 — очень плохо", 10, "1 — очень|плохо"},
		{"short", 10, "short"},
		{"one two three four five", 9, "one two|three fo…"},
		{"Supercalifragilistic", 8, "Supercal|ifragil…"},
	} {
		if got := strings.Join(wrap(tc.s, tc.per, 2), "|"); got != tc.want {
			t.Errorf("wrap(%q, %d) = %q, want %q", tc.s, tc.per, got, tc.want)
		}
	}
}
