package charts

import (
	"html/template"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestShots writes every chart, in English and in Russian, into
// all.html (and each in chartN.html) in the folder $BRANDLIFT_SHOTS, to be looked at in a browser or
// screenshot with headless Chromium:
//
//	BRANDLIFT_SHOTS=/tmp/charts go test -run TestShots ./frontend/charts/
//	chromium --headless=new --no-sandbox --disable-gpu --window-size=360,900 \
//	    --screenshot=/tmp/charts/narrow.png file:///tmp/charts/all.html
//
// The page has no CSS for the charts, so what shows is their defaults.
func TestShots(t *testing.T) {
	dir := os.Getenv("BRANDLIFT_SHOTS")
	if dir == "" {
		t.Skip("BRANDLIFT_SHOTS is not set")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	const head = `<!doctype html><html><head><meta charset="utf-8">` +
		`<meta name="viewport" content="width=device-width, initial-scale=1"><title>charts</title>` +
		`<style>body{font-family:system-ui,sans-serif;margin:16px;color:#1f2937}` +
		`main{max-width:760px} h2{font-size:15px;margin:24px 0 4px} figure{margin:0;max-width:40rem}` +
		`table{width:100%;border-collapse:collapse} td{padding:4px;border-bottom:1px solid #eee}` +
		`td:nth-child(2),td:last-child{width:30%}</style></head><body><main>`
	b.WriteString(head)
	for i, s := range shots() {
		fig := `<h2>` + template.HTMLEscapeString(s.name) + `</h2><figure>` + string(s.svg) + `</figure>`
		b.WriteString(fig)
		// One chart a file too, for screenshots of one chart at a time.
		one := filepath.Join(dir, "chart"+strconv.Itoa(i)+".html")
		if err := os.WriteFile(one, []byte(head+fig+`</main></body></html>`), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var list strings.Builder
	list.WriteString(`<h2>Progress in a list, the label in the SVG, then in HTML</h2><table>`)
	for i, p := range [][2]int{{120, 400}, {400, 400}, {12345, 10000}, {0, 300}, {57, 0}} {
		label := strconv.Itoa(p[0]) + " / " + strconv.Itoa(p[1])
		if p[1] == 0 {
			label = strconv.Itoa(p[0])
		}
		with := Progress{ID: "pl" + strconv.Itoa(i), Title: "Responses", Desc: label + " responses",
			Value: p[0], Target: p[1], Label: label}
		without := with
		without.ID, without.Label = "pn"+strconv.Itoa(i), ""
		list.WriteString(`<tr><td>Study ` + strconv.Itoa(i+1) + `</td><td>` + string(with.SVG()) +
			`</td><td>` + label + `</td><td>` + string(without.SVG()) + `</td></tr>`)
	}
	list.WriteString(`</table>`)
	b.WriteString(list.String() + `</main></body></html>`)
	if err := os.WriteFile(filepath.Join(dir, "progress.html"), []byte(head+list.String()+`</main></body></html>`), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "all.html")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", path)
}

type shot struct {
	name string
	svg  template.HTML
}

// ruPP writes a fraction in percentage points the Russian way.
func ruPP(v float64) string {
	s := strings.TrimSuffix(strconv.FormatFloat(v*100, 'f', 1, 64), ".0")
	return strings.Replace(s, ".", ",", 1) + " п.п."
}

func ruPct(v float64) string {
	return strings.Replace(strconv.FormatFloat(v*100, 'f', 0, 64), ".", ",", 1) + "%"
}

func shots() []shot {
	lift := sampleLift()
	ruLift := Lift{
		ID: "ru-lift", Title: "Прирост по метрикам", Desc: "Знание бренда выросло на 7,6 п.п.", Format: ruPP,
		SignificantLabel: "значимо", NotSignificantLabel: "незначимо",
		Rows: []LiftRow{
			{Label: "Знание бренда (подсказанное)", Value: 0.076, Low: 0.041, High: 0.111, Significant: true, ValueLabel: "+7,6 п.п."},
			{Label: "Запоминание рекламы", Value: 0.124, Low: 0.08, High: 0.168, Significant: true, ValueLabel: "+12,4 п.п."},
			{Label: "Рассмотрение покупки среди тех, кто видел рекламу", Value: -0.012, Low: -0.045, High: 0.021, ValueLabel: "−1,2 п.п."},
			{Label: "Намерение купить", Value: 0.004, Low: -0.02, High: 0.028, ValueLabel: "+0,4 п.п."},
		},
	}
	nps := Stacked{ID: "nps", Title: "NPS", Desc: "Exposed have more promoters than control.", Rows: []StackedRow{
		{Label: "Exposed", Segments: []Segment{
			{Label: "Detractors", Share: 0.18, Class: "ch-detractor", ValueLabel: "18%"},
			{Label: "Passives", Share: 0.34, Class: "ch-passive", ValueLabel: "34%"},
			{Label: "Promoters", Share: 0.48, Class: "ch-promoter", ValueLabel: "48%"},
		}},
		{Label: "Control", Segments: []Segment{
			{Label: "Detractors", Share: 0.27, Class: "ch-detractor", ValueLabel: "27%"},
			{Label: "Passives", Share: 0.06, Class: "ch-passive", ValueLabel: "6%"},
			{Label: "Promoters", Share: 0.67, Class: "ch-promoter", ValueLabel: "67%"},
		}},
	}}
	generic := Stacked{ID: "gen", Title: "Где видели рекламу", Desc: "Чаще всего — в интернете.", Format: ruPct,
		Rows: []StackedRow{{Label: "Все респонденты", Segments: []Segment{
			{Label: "Интернет", Share: 0.41, Class: "ch-s1"}, {Label: "Телевидение", Share: 0.22, Class: "ch-s2"},
			{Label: "Наружная реклама", Share: 0.15, Class: "ch-s3"}, {Label: "Радио", Share: 0.12, Class: "ch-s4"},
			{Label: "Не помню, где именно я её видел", Share: 0.1, Class: "ch-s5"},
		}}}}
	ruBars := Bars{ID: "ru-bars", Title: "Оценка", Desc: "Оценки группы с рекламой выше.", Format: ruPct,
		Categories: []string{"1 — очень плохо", "2", "3", "4", "5 — отлично"},
		Series: []Series{
			{Label: "Видели рекламу", Values: []float64{0.04, 0.08, 0.21, 0.37, 0.3},
				Low: []float64{0.02, 0.05, 0.17, 0.32, 0.26}, High: []float64{0.06, 0.11, 0.25, 0.42, 0.34}},
			{Label: "Контрольная группа", Values: []float64{0.07, 0.14, 0.27, 0.33, 0.19},
				Low: []float64{0.05, 0.11, 0.23, 0.29, 0.15}, High: []float64{0.09, 0.17, 0.31, 0.37, 0.23}},
		}}
	oneBars := Bars{ID: "nps-dist", Title: "Scores", Desc: "Distribution of 0..10 scores.",
		Format: func(v float64) string { return strconv.FormatFloat(v*100, 'f', 0, 64) + "%" }}
	var vals []float64
	for i := range 11 {
		oneBars.Categories = append(oneBars.Categories, strconv.Itoa(i))
		vals = append(vals, []float64{0.02, 0.01, 0.02, 0.03, 0.04, 0.08, 0.07, 0.15, 0.2, 0.18, 0.2}[i])
	}
	oneBars.Series = []Series{{Values: vals}}
	daily := sampleLine(30)
	daily.ID, daily.Desc = "daily30", "Lift by day over 30 days."
	buckets := Line{ID: "freq", Title: "Lift by frequency", Desc: "Lift grows with frequency.", ZeroLine: true, Format: pp,
		X: []string{"1", "2", "3-5", "6+"},
		Series: []Series{{Label: "Awareness", Values: []float64{0.02, 0.045, 0.07, 0.081},
			Low: []float64{-0.01, 0.01, 0.03, 0.035}, High: []float64{0.05, 0.08, 0.11, 0.127}},
			{Label: "Consideration", Values: []float64{0.005, 0.012, 0.03, 0.02},
				Low: []float64{-0.025, -0.02, 0, -0.02}, High: []float64{0.035, 0.044, 0.06, 0.06}},
		}}
	counts := Line{ID: "resp", Title: "Ответы по дням", Desc: "Ответы поступают равномерно.",
		Format: func(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) }}
	var c1, c2 []float64
	for i := range 14 {
		counts.X = append(counts.X, "2026-11-"+strconv.Itoa(2+i))
		c1 = append(c1, float64(120+i*7%30))
		c2 = append(c2, float64(80+i*11%25))
	}
	c1[5] = nan()
	counts.Series = []Series{{Label: "Группа с рекламой", Values: c1}, {Label: "Контрольная группа", Values: c2}}
	return []shot{
		{"Lift (English)", lift.SVG()},
		{"Lift (Russian)", ruLift.SVG()},
		{"Stacked NPS", nps.SVG()},
		{"Stacked, generic classes", generic.SVG()},
		{"Bars, two series with whiskers", ruBars.SVG()},
		{"Bars, one series, 11 categories", oneBars.SVG()},
		{"Line, 30 days, band and zero line", daily.SVG()},
		{"Line, frequency buckets, two series", buckets.SVG()},
		{"Line, counts with a gap", counts.SVG()},
		{"Progress 120 / 400", Progress{ID: "p1", Title: "Responses", Desc: "120 of 400", Value: 120, Target: 400, Label: "120 / 400"}.SVG()},
	}
}

func nan() float64 { return math.NaN() }
