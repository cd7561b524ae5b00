package stats

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// Simulations with fixed seeds (math/rand/v2 PCG): the statistical
// properties the report relies on, checked on studies whose truth is known.

// binomial returns a Binomial(n, p) sampler on a seeded source.
func binomial(src rand.Source) func(n int64, p float64) int64 {
	return func(n int64, p float64) int64 {
		return int64(distuv.Binomial{N: float64(n), P: p, Src: src}.Rand())
	}
}

func simStudies(t *testing.T, full int) int {
	if testing.Short() {
		return full / 5
	}
	return full
}

// TestSimNewcombeCoverage: over 10,000 simulated studies with a true lift of
// 3 points, the 90% Newcombe interval covers the truth 88-92% of the time.
func TestSimNewcombeCoverage(t *testing.T) {
	scenarios := []struct {
		name   string
		pc, pe float64
		nc, ne int64
		assert bool
	}{
		{"typical 400 vs 1200", 0.25, 0.28, 400, 1200, true},
		{"equal 1000", 0.40, 0.43, 1000, 1000, true},
		{"small and rare 60 vs 80", 0.05, 0.08, 60, 80, false},
	}
	for i, sc := range scenarios {
		draw := binomial(rand.NewPCG(uint64(11+i), 2024))
		studies := simStudies(t, 10000)
		truth := sc.pe - sc.pc
		var covN, covW int
		for range studies {
			e := Count{draw(sc.ne, sc.pe), sc.ne}
			c := Count{draw(sc.nc, sc.pc), sc.nc}
			if NewcombeInterval(e, c, 0.9).Contains(truth) {
				covN++
			}
			if WaldInterval(e, c, 0.9).Contains(truth) {
				covW++
			}
		}
		rn, rw := float64(covN)/float64(studies), float64(covW)/float64(studies)
		t.Logf("%s: Newcombe 90%% interval covers %.2f%%, Wald %.2f%% (%d studies)", sc.name, 100*rn, 100*rw, studies)
		if sc.assert && (rn < 0.88 || rn > 0.92) {
			t.Errorf("%s: Newcombe coverage %.4f outside [0.88, 0.92]", sc.name, rn)
		}
	}
}

// TestSimZTestTypeI: with no true lift the pooled z-test at alpha = 0.1
// rejects 8-12% of 10,000 simulated studies.
func TestSimZTestTypeI(t *testing.T) {
	draw := binomial(rand.NewPCG(7, 99))
	studies := simStudies(t, 10000)
	var rej, rejFisher int
	for range studies {
		e := Count{draw(800, 0.3), 800}
		c := Count{draw(800, 0.3), 800}
		if _, p, _ := ZTest(e, c, TwoSided); p < 0.1 {
			rej++
		}
		if FisherExact(e, c) < 0.1 {
			rejFisher++
		}
	}
	r := float64(rej) / float64(studies)
	t.Logf("no lift: z-test rejects %.2f%%, Fisher %.2f%% at alpha 0.1 (%d studies)", 100*r, 100*float64(rejFisher)/float64(studies), studies)
	if r < 0.08 || r > 0.12 {
		t.Errorf("type I error %.4f outside [0.08, 0.12]", r)
	}
}

// TestSimSequential: with 20 interim looks and no true lift, the
// always-valid p-value falls to 0.1 or below in at most 10% of 2,000
// simulated studies, while the naive z-test repeated at every look rejects
// far more often.
func TestSimSequential(t *testing.T) {
	const looks, perLook = 20, 250
	studies := simStudies(t, 2000)
	run := func(seed uint64, pe float64) (seqRate, naiveRate float64) {
		draw := binomial(rand.NewPCG(seed, 5))
		var seqRej, naiveRej int
		for range studies {
			var e, c Count
			seqHit, naiveHit := false, false
			for range looks {
				e = Count{e.Positive + draw(perLook, pe), e.N + perLook}
				c = Count{c.Positive + draw(perLook, 0.3), c.N + perLook}
				if SequentialLift(e, c, 0.9, 0).PValue <= 0.1 {
					seqHit = true
				}
				if _, p, _ := ZTest(e, c, TwoSided); p < 0.1 {
					naiveHit = true
				}
			}
			if seqHit {
				seqRej++
			}
			if naiveHit {
				naiveRej++
			}
		}
		return float64(seqRej) / float64(studies), float64(naiveRej) / float64(studies)
	}
	seq, naive := run(3, 0.3)
	t.Logf("no lift, %d looks of %d per group, %d studies: sequential rejects %.2f%%, naive z-test at every look %.2f%%",
		looks, perLook, studies, 100*seq, 100*naive)
	if seq > 0.10 {
		t.Errorf("sequential false-positive rate %.4f above 0.10", seq)
	}
	if naive < 2*seq || naive < 0.2 {
		t.Errorf("naive rate %.4f not far above sequential %.4f", naive, seq)
	}
	seqPow, naivePow := run(4, 0.34)
	t.Logf("true lift 4 points: sequential detects %.2f%%, naive %.2f%%", 100*seqPow, 100*naivePow)
	if seqPow < 0.5 {
		t.Errorf("sequential power %.4f too low", seqPow)
	}
}

// TestSimPower: at the sample size SampleSizePerGroup asks for, the z-test
// rejects about as often as the power it was asked for.
func TestSimPower(t *testing.T) {
	n := SampleSizePerGroup(0.3, 0.05, 0.1, 0.8, TwoSided)
	draw := binomial(rand.NewPCG(21, 8))
	studies := simStudies(t, 4000)
	var rej int
	for range studies {
		e := Count{draw(n, 0.35), n}
		c := Count{draw(n, 0.3), n}
		if _, p, _ := ZTest(e, c, TwoSided); p < 0.1 {
			rej++
		}
	}
	r := float64(rej) / float64(studies)
	t.Logf("n = %d per group: simulated power %.2f%% (target 80%%)", n, 100*r)
	if r < 0.77 || r > 0.83 {
		t.Errorf("simulated power %.4f, want 0.80 ± 0.03", r)
	}
}
