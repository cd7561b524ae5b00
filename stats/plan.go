package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// SampleSizePlan is the number of completes (responses) that a study with
// one control group and Cells exposed cells needs: PlanSampleSize's answer.
type SampleSizePlan struct {
	// Cells is the number of exposed cells k, each compared with the one
	// control group.
	Cells int
	// Ratio is the planned completes per exposed cell over the completes
	// in control, (1 - c)/(k c) for a control share c.
	Ratio float64
	// AlphaPerCell is alpha/k, the significance at which each cell is
	// compared with control.
	AlphaPerCell float64

	// ControlExact, CellExact and TotalExact are the sizes before
	// rounding: completes in control, in each exposed cell, and in all,
	// ControlExact + k × CellExact.
	ControlExact, CellExact, TotalExact float64
	// Control and Cell are ControlExact and CellExact rounded up to whole
	// completes; Total = Control + k × Cell.
	Control, Cell, Total int64
}

// PlanSampleSize returns the completes that a study needs in its control
// group and in each of its cells exposed cells to detect the absolute lift
// over the control rate pControl in every cell with the given power, when
// each cell is compared with the one control group at significance
// alpha/cells (Bonferroni). Bonferroni is the first step of Holm's
// procedure, which the report applies across cells; Holm never rejects
// fewer cells than Bonferroni does, so each cell has at least this power
// under Holm too.
//
// The control group gets the share controlShare of all completes and each
// cell (1 - controlShare)/cells, so a cell has r = (1 - c)/(k c) times the
// completes of control. The size is Fleiss' formula of
// SampleSizePerGroupExact (no continuity correction) generalized to
// unequal groups:
//
//	n_c = (z_α sqrt(p̄q̄ (1 + 1/r)) + z_β sqrt(p₁q₁ + p₂q₂/r))² / lift²,   n_e = r n_c
//
// with p₁ = pControl, p₂ = pControl + lift, q = 1 - p, the pooled rate
// p̄ = (p₁ + r p₂)/(1 + r) under the null and the unpooled variances under
// the alternative, z_β = z_{power}, and z_α = z_{1-α/(2k)} for TwoSided or
// z_{1-α/k} for a one-sided test (Greater and Less are the same here:
// one-sided in the direction of lift). As in SampleSizePerGroupExact the
// two-sided size ignores the far tail. With controlShare = 0.5 and one
// cell it is SampleSizePerGroupExact; with alt = Greater, alpha = 0.1 and
// power = 0.8 at a 50% baseline its Total reproduces the DV360 figures of
// SampleSizePerGroupExact's doc. When the variances are close, the Total
// is smallest near controlShare = 1/(1 + sqrt(k)) (the square-root rule).
//
// Control and Cell are rounded up separately, as SampleSizePerGroup
// rounds (a size within 1e-9 relative above an integer is that integer).
//
// It panics unless pControl and pControl + lift are in [0, 1], lift != 0,
// 0 < controlShare < 1, cells >= 1, 0 < alpha < 1, 0 < power < 1 and the
// sizes fit in an int64. It sets no upper limit on cells: that is the
// product's choice.
//
// Source: Fleiss, Levin & Paik (2003) Statistical Methods for Rates and
// Proportions, 3rd ed., ch. 4 (unequal sample sizes), without the
// continuity correction; the same as statsmodels'
// samplesize_proportions_2indep_onetail with nobs1 = n_e and ratio = 1/r.
func PlanSampleSize(pControl, lift, controlShare float64, cells int, alpha, power float64, alt Alternative) SampleSizePlan {
	checkUnit("control rate", pControl)
	p2 := pControl + lift
	if lift == 0 || !(p2 >= 0 && p2 <= 1) {
		panic(fmt.Sprintf("stats: lift %v from %v leaves [0, 1] or is 0", lift, pControl))
	}
	checkOpenUnit("control share", controlShare)
	checkCells(cells)
	checkOpenUnit("alpha", alpha)
	checkOpenUnit("power", power)
	k := float64(cells)
	r := (1 - controlShare) / (k * controlShare)
	za := zAlpha(alpha/k, alt)
	zb := distuv.UnitNormal.Quantile(power)
	s0, s1 := planTerms(pControl, p2, r)
	a := (za*s0 + zb*s1) / lift
	nc := a * a
	ne := r * nc
	pl := SampleSizePlan{
		Cells:        cells,
		Ratio:        r,
		AlphaPerCell: alpha / k,
		ControlExact: nc,
		CellExact:    ne,
		TotalExact:   nc + k*ne,
		Control:      ceilSize(nc),
		Cell:         ceilSize(ne),
	}
	if !(float64(pl.Control)+k*float64(pl.Cell) < math.MaxInt64) {
		panic(fmt.Sprintf("stats: total sample size %v overflows int64", pl.TotalExact))
	}
	pl.Total = pl.Control + int64(cells)*pl.Cell
	return pl
}

// planTerms returns the standard errors of p_e - p_c under the null
// (pooled rate) and under the alternative for one control response and
// r exposed ones: powerTerms with n_c = 1 and n_e = r, so that for n_c
// control responses they are s0/sqrt(n_c) and s1/sqrt(n_c).
func planTerms(pControl, pExposed, r float64) (s0, s1 float64) {
	pbar := (r*pExposed + pControl) / (r + 1)
	s0 = math.Sqrt(pbar * (1 - pbar) * (1/r + 1))
	s1 = math.Sqrt(pExposed*(1-pExposed)/r + pControl*(1-pControl))
	return s0, s1
}

// PlanMinDetectableLift returns the smallest positive absolute lift that a
// study with nControl completes in control and nPerCell in each of its
// cells exposed cells detects in a cell with the given power, each cell
// compared with control at significance alpha/cells (Bonferroni, as in
// PlanSampleSize): MinDetectableLift(pControl, nPerCell, nControl,
// alpha/cells, power, alt), the root of
//
//	d - z_α se₀(d) = z_β se₁(d)
//
// with z_α = z_{1-α/(2k)} for TwoSided (the far tail ignored, as in
// PlanSampleSize, so that the lift of PlanSampleSize's exact sizes is the
// planned lift) or z_{1-α/k} one-sided. ok is false when even a lift to a
// rate of 1 is not detectable at these sizes. It panics unless
// 0 <= pControl <= 1, nControl and nPerCell are positive, cells >= 1,
// 0 < alpha < 1 and 0 < power < 1.
//
// Source: Fleiss, Levin & Paik (2003), ch. 4, solved for the difference.
func PlanMinDetectableLift(pControl float64, nControl, nPerCell int64, cells int, alpha, power float64, alt Alternative) (lift float64, ok bool) {
	checkCells(cells)
	checkOpenUnit("alpha", alpha)
	return MinDetectableLift(pControl, nPerCell, nControl, alpha/float64(cells), power, alt)
}

// InvitationsNeeded returns how many people to invite (or to serve the
// survey to) to expect the given number of completes:
//
//	invitations = ⌈completes / (responseRate × reachShare)⌉
//
// responseRate is the expected share of invited people who complete the
// survey, in (0, 1]; reachShare is the share of the invited or impressed
// people who were actually reached (for an exposed cell, exposed to the
// campaign), in (0, 1]: a complete counts only when both happen, assumed
// independent. Pass reachShare = 1 when every complete counts, as for a
// control group or a panel. A quotient within 1e-9 relative above an
// integer is that integer (21 / 0.7 is 30 invitations, not 31).
//
// The answer is an expected value: the completes that these invitations
// bring are random (binomial), and fall short of the target about half
// the time; invite more when the target is a hard minimum. It panics
// unless completes >= 0, 0 < responseRate <= 1, 0 < reachShare <= 1 and
// the answer fits in an int64.
func InvitationsNeeded(completes int64, responseRate, reachShare float64) int64 {
	if completes < 0 {
		panic(fmt.Sprintf("stats: negative number of completes %d", completes))
	}
	checkRate("response rate", responseRate)
	checkRate("reach share", reachShare)
	return ceilSize(float64(completes) / (responseRate * reachShare))
}

// checkRate panics unless 0 < p <= 1.
func checkRate(name string, p float64) {
	if !(p > 0 && p <= 1) {
		panic(fmt.Sprintf("stats: %s %v outside (0, 1]", name, p))
	}
}

// checkCells panics unless there is at least one exposed cell.
func checkCells(cells int) {
	if cells < 1 {
		panic(fmt.Sprintf("stats: %d exposed cells, need at least 1", cells))
	}
}

// ceilSize rounds a size up to a whole number, taking a size within 1e-9
// relative above an integer as that integer (as SampleSizePerGroup does,
// so that 2500.0000000000005 stays 2500). It panics if the size does not
// fit in an int64.
func ceilSize(n float64) int64 {
	c := math.Ceil(n - 1e-9*n)
	if !(c < math.MaxInt64) {
		panic(fmt.Sprintf("stats: size %v overflows int64", n))
	}
	return int64(c)
}
