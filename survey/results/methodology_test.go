package results

import (
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// reportFields collects the JSON names of every field the report and the
// trend can hold, through nested structs, pointers, slices and maps.
func reportFields() map[string]bool {
	names := map[string]bool{}
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] || t.PkgPath() == "time" {
			return
		}
		seen[t] = true
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if f.Anonymous && name == "" {
				walk(f.Type)
				continue
			}
			if name == "" || name == "-" || !f.IsExported() {
				continue
			}
			names[name] = true
			walk(f.Type)
		}
	}
	for _, v := range []any{Report{}, LiftMetric{}, RateMetric{}, NPSMetric{}, RatingMetric{}, TextMetric{},
		WithheldMetric{}, Trend{}} {
		walk(reflect.TypeOf(v))
	}
	return names
}

// notFields are the other lower-case words the page puts in code marks:
// query options and their values, and tools.
var notFields = map[string]bool{
	"include_flagged": true, "weighting": true, "segment": true, "confidence": true, "rake": true, "none": true,
	"true": true, "false": true, "nps": true, "brand_lift": true, "interval": true, "day": true, "week": true, "month": true,
	"proportions_ztest": true, "proportion_confint": true, "multipletests": true, "fisher_exact": true,
	"confint_proportions_2indep": true, "ttest_ind": true, "gen_refs.py": true, "gen_extra.py": true, "stats": true,
	"all": true, "exposed": true, "control": true, "achieved": true, "on_track": true, "at_risk": true, "missed": true,
	"not_enough_data": true, "scipy": true, "gen_refs": true, "gen_extra": true, "py": true,
	"ad_recall": true, "awareness": true,
	// study settings, option values and problem fields
	"control_share": true, "planned_split": true, "fixed": true, "stratify": true, "valid_values": true,
	"z_test": true, "welch_t": true, "nps_diff": true, "started_at": true, "duration_ms": true, "holm": true, "exclude_from_norms": true, "completes": true, "target_per_group": true,
	"power_proportions_2indep": true, "samplesize_proportions_2indep_onetail": true,
	"email": true, "widget": true, "link": true, "throttle_days": true, "throttled": true,
	"primary": true, "replica": true, // values of read_from
}

// TestMethodologyMatchesTheReport: docs/METHODOLOGY.md explains every field
// the report has, and names no field the report lacks.
func TestMethodologyMatchesTheReport(t *testing.T) {
	raw, err := os.ReadFile("../../docs/METHODOLOGY.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	fields := reportFields()
	var missing []string
	for name := range fields {
		if !strings.Contains(doc, "`"+name+"`") && !strings.Contains(doc, "."+name+"`") && !strings.Contains(doc, "`"+name+".") {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("report fields docs/METHODOLOGY.md does not explain: %v", missing)
	}
	var unknown []string
	for _, m := range regexp.MustCompile("`([a-z][a-z0-9_]*(?:\\.[a-z0-9_]+)*)`").FindAllStringSubmatch(doc, -1) {
		for _, part := range strings.Split(m[1], ".") {
			if !fields[part] && !notFields[part] {
				unknown = append(unknown, m[1])
				break
			}
		}
	}
	sort.Strings(unknown)
	if len(unknown) > 0 {
		t.Errorf("docs/METHODOLOGY.md names fields the report does not have: %v", unknown)
	}
}
