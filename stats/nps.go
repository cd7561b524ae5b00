package stats

import (
	"fmt"
	"math"
)

// NPS is a Net Promoter Score summary. Shares are fractions; NPS, SE and
// CI are in NPS points (-100 to 100). JSON names follow the results report.
type NPS struct {
	N          int64    `json:"n"`
	Promoters  float64  `json:"promoters"`
	Passives   float64  `json:"passives"`
	Detractors float64  `json:"detractors"`
	NPS        float64  `json:"nps"`
	SE         float64  `json:"se"`
	CI         Interval `json:"ci"`
	Defined    bool     `json:"defined"`
	Reason     string   `json:"reason,omitempty"`
}

// variance returns the per-respondent variance of the score in {-1, 0, 1},
// P + D - (P - D)², as a fraction.
func (s NPS) variance() float64 {
	d := s.Promoters - s.Detractors
	return math.Max(0, s.Promoters+s.Detractors-d*d)
}

// NPSFromCounts returns the NPS of the answers to "How likely are you to
// recommend ...?" on the 0-10 scale, given counts[k] = number of answers k.
// Promoters answer 9-10, passives 7-8 and detractors 0-6; with P and D the
// promoter and detractor shares of n answers,
//
//	NPS = 100 (P - D),  SE = 100 sqrt((P + D - (P - D)²) / n)
//
// (each answer scores +1, 0 or -1; P + D - (P - D)² is the variance of that
// score), and the interval is NPS ± z SE, limited to [-100, 100].
// With n = 0 the result is not Defined. When everyone is in one category the
// SE is 0 and the interval has no width; Reason says so.
//
// Source: Reichheld, F. (2003) The one number you need to grow. Harvard
// Business Review 81(12); the variance is that of a trinomial score, see
// Rocks, B. (2016) Interval estimation for the "net promoter score". Am Stat
// 70:365-372 (the Wald interval).
func NPSFromCounts(counts [11]int64, confidence float64) NPS {
	z := zTwoSided(confidence)
	var n, prom, det int64
	for k, c := range counts {
		if c < 0 {
			panic(fmt.Sprintf("stats: negative count %d for score %d", c, k))
		}
		n += c
		switch {
		case k >= 9:
			prom += c
		case k <= 6:
			det += c
		}
	}
	s := NPS{N: n}
	if n == 0 {
		s.Reason = "no responses"
		return s
	}
	s.Defined = true
	fn := float64(n)
	s.Promoters = float64(prom) / fn
	s.Detractors = float64(det) / fn
	s.Passives = float64(n-prom-det) / fn
	s.NPS = 100 * (s.Promoters - s.Detractors)
	s.SE = 100 * math.Sqrt(s.variance()/fn)
	s.CI = Interval{Lo: clamp(s.NPS-z*s.SE, -100, 100), Hi: clamp(s.NPS+z*s.SE, -100, 100)}
	if s.SE == 0 {
		s.Reason = "all answers in one category: standard error is 0"
	}
	return s
}

// NPSComparison is the difference of two independent NPS values,
// exposed minus control, in NPS points.
type NPSComparison struct {
	Diff    float64  `json:"diff"`
	DiffCI  Interval `json:"diff_ci"`
	SE      float64  `json:"se_diff"`
	Z       float64  `json:"z"`
	PValue  float64  `json:"p_value"`
	Defined bool     `json:"defined"`
	Reason  string   `json:"reason,omitempty"`
}

// CompareNPS tests the difference of two independent NPS values:
//
//	diff = NPS_e - NPS_c,  SE = sqrt(SE_e² + SE_c²),  z = diff / SE,
//
// with a two-sided normal p-value and the interval diff ± z_{1-α/2} SE,
// where SE_g² = 100² (P + D - (P - D)²) / n for each group. It is not
// Defined when a group is empty or both groups have zero variance
// (everyone in one category); then p = 1.
//
// Source: Rocks, B. (2016) Am Stat 70:365-372; the z-test for independent
// means.
func CompareNPS(exposed, control NPS, confidence float64) NPSComparison {
	zTwoSided(confidence)
	r := NPSComparison{PValue: 1}
	if exposed.N <= 0 || control.N <= 0 {
		r.Reason = "a group has no responses"
		return r
	}
	seE := 100 * math.Sqrt(exposed.variance()/float64(exposed.N))
	seC := 100 * math.Sqrt(control.variance()/float64(control.N))
	c := CompareEstimates(control.NPS, seC, exposed.NPS, seE, confidence)
	r.Diff, r.DiffCI, r.SE, r.Z, r.PValue, r.Defined = c.Diff, c.DiffCI, c.SE, c.Z, c.PValue, c.Defined
	if !c.Defined {
		r.Reason = "no variance in either group: test undefined"
	}
	return r
}
