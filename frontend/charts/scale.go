package charts

import (
	"math"
	"strconv"
)

// scale maps the domain [d0, d1] linearly onto the range [r0, r1].
type scale struct {
	d0, d1, r0, r1 float64
}

// at returns the position of v, kept within the range so that a value
// outside the domain cannot draw outside the plot.
func (s scale) at(v float64) float64 {
	if s.d1 == s.d0 {
		return (s.r0 + s.r1) / 2
	}
	p := s.r0 + (v-s.d0)/(s.d1-s.d0)*(s.r1-s.r0)
	lo, hi := math.Min(s.r0, s.r1), math.Max(s.r0, s.r1)
	return math.Min(math.Max(p, lo), hi)
}

// extent is the smallest and largest finite value seen.
type extent struct {
	lo, hi float64
	ok     bool
}

// add widens the extent to the finite ones of vs.
func (e *extent) add(vs ...float64) {
	for _, v := range vs {
		if !finite(v) {
			continue
		}
		if !e.ok {
			e.lo, e.hi, e.ok = v, v, true
			continue
		}
		e.lo = math.Min(e.lo, v)
		e.hi = math.Max(e.hi, v)
	}
}

// ticks returns about n round tick values (multiples of 1, 2 or 5 times a
// power of ten) whose first and last enclose [lo, hi]; the domain of the
// axis is then [ticks[0], ticks[len-1]]. An empty or degenerate extent
// gets the span [lo-1, lo+1] scaled to lo's size, or fallback when lo is 0.
func ticks(lo, hi float64, n int, fallback float64) []float64 {
	if !finite(lo) || !finite(hi) {
		lo, hi = 0, 0
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	if hi-lo < 1e-12 || !finite(hi-lo) {
		d := math.Abs(lo) / 2
		if d == 0 || !finite(d) {
			d = fallback
		}
		if !finite(lo-d) || !finite(lo+d) {
			lo, d = 0, fallback
		}
		lo, hi = lo-d, lo+d
	}
	step := niceStep((hi - lo) / float64(max(n, 1)))
	k0 := math.Floor(lo/step + 1e-9)
	k1 := math.Ceil(hi/step - 1e-9)
	if !finite(step) || step <= 0 || k1-k0 > 100 {
		return []float64{lo, hi}
	}
	// Round each tick to the decimals of the step, so that 3 × 0.1 is the
	// float64 nearest 0.3, not 0.30000000000000004.
	digits := max(0, int(-math.Floor(math.Log10(step)+1e-9)))
	out := make([]float64, 0, int(k1-k0)+1)
	for k := k0; k <= k1; k++ {
		v, err := strconv.ParseFloat(strconv.FormatFloat(k*step, 'f', digits, 64), 64)
		if err != nil || v == 0 {
			v = 0 // also no -0
		}
		out = append(out, v)
	}
	return out
}

// niceStep rounds a raw step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if !finite(raw) || raw <= 0 {
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	switch f := raw / mag; {
	case f <= 1:
		return mag
	case f <= 2:
		return 2 * mag
	case f <= 5:
		return 5 * mag
	default:
		return 10 * mag
	}
}

// fitTicks chooses the ticks of an axis of length room whose labels, as
// format writes them, are spaced at least gap apart: wide labels or a short
// axis get fewer ticks. horizontal says whether the labels sit side by
// side (the x axis) or one above another (the y axis).
func fitTicks(lo, hi, room float64, format func(float64) string, horizontal bool, fallback float64) ([]float64, []string) {
	var ts []float64
	var labels []string
	for n := 6; n >= 1; n-- {
		ts = ticks(lo, hi, n, fallback)
		labels = make([]string, len(ts))
		widest := 0.0
		for i, t := range ts {
			labels[i] = format(t)
			widest = math.Max(widest, textWidth(labels[i], fontTick))
		}
		need := fontTick * 1.8
		if horizontal {
			need = widest + 10
		}
		if len(ts) < 2 || room/float64(len(ts)-1) >= need {
			break
		}
	}
	return ts, labels
}
