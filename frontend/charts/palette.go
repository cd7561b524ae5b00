package charts

import "strings"

// swatch is the default look of a colour class: the fill of its shapes and
// the colour of text written on that fill.
type swatch struct {
	fill, ink string
}

// palette holds the default colours of the classes a caller may give.
// Each fill has a contrast of at least 3:1 on white (WCAG 1.4.11), and
// each ink at least 4.5:1 on its fill (charts_test.go checks both).
var palette = map[string]swatch{
	"ch-exposed":   {"#1d4ed8", "#ffffff"},
	"ch-control":   {"#64748b", "#ffffff"},
	"ch-sig":       {"#1d4ed8", "#ffffff"},
	"ch-nonsig":    {"#4b5563", "#ffffff"},
	"ch-promoter":  {"#15803d", "#ffffff"},
	"ch-passive":   {"#8d939d", "#111827"},
	"ch-detractor": {"#c62828", "#ffffff"},
	"ch-s1":        {"#1d4ed8", "#ffffff"},
	"ch-s2":        {"#0f766e", "#ffffff"},
	"ch-s3":        {"#b45309", "#ffffff"},
	"ch-s4":        {"#7c3aed", "#ffffff"},
	"ch-s5":        {"#be185d", "#ffffff"},
}

// Default classes, by position: of the 1st, 2nd, ... series of Bars and
// Line, and of the segments of a stacked bar.
var (
	seriesClasses  = []string{"ch-exposed", "ch-control", "ch-s3", "ch-s4", "ch-s5", "ch-s2"}
	segmentClasses = []string{"ch-s1", "ch-s2", "ch-s3", "ch-s4", "ch-s5"}
)

// classFor returns the class a caller gave, or the i-th of defaults, and
// the swatch that goes with it: that of the first known class among the
// caller's space-separated ones, else that of the i-th default.
func classFor(class string, defaults []string, i int) (string, swatch) {
	class = strings.Join(strings.Fields(class), " ")
	def := defaults[i%len(defaults)]
	if class == "" {
		return def, palette[def]
	}
	for _, c := range strings.Fields(class) {
		if s, ok := palette[c]; ok {
			return class, s
		}
	}
	return class, palette[def]
}
