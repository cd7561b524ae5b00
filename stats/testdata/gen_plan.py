#!/usr/bin/python3
"""Reference values for the sample-size planner of the Go package stats
(stats/plan.go): one control group and k exposed cells, each cell compared
with the control at alpha/k (Bonferroni, the first step of Holm).

Values come from statsmodels 0.13 (Debian python3-statsmodels) and scipy
1.10 (python3-scipy):

- sample_size: samplesize_proportions_2indep_onetail(diff, prop2, power,
  ratio, alpha/k, alternative). statsmodels' sample 1 is the exposed cell
  (prop1 = prop2 + diff) and sample 2 the control (prop2), with
  nobs2 = ratio * nobs1, so ratio = n_control / n_cell = k c / (1 - c) for a
  control share c, and the answer nobs1 is the size of one cell. Its
  standard errors (_std_2prop_power) are Fleiss': the pooled rate
  (p1 + ratio p2) / (1 + ratio) under the null, unpooled under the
  alternative. For a two-sided test it uses alpha/2 and ignores the far
  tail, as Fleiss' formula does. Rounded sizes are ceil(n - 1e-9 n), the
  rounding of the Go code. power_at_sizes is power_proportions_2indep at
  the rounded sizes (both tails when two-sided).
- mde: for given sizes, the root in (0, 1 - p] (scipy.optimize.brentq,
  xtol 1e-15, default rtol) of power_proportions_2indep(d, ...) = power with
  alternative 'larger' at alpha/k (one-sided) or alpha/(2k) (two-sided):
  the one-tail equation that samplesize_proportions_2indep_onetail
  inverts. mde_both_tails is the root of the two-sided power with both
  tails (a little smaller). null when even a lift to a rate of 1 falls
  short of the power.

Run from the repository root:

    apt-get install -y python3-scipy python3-statsmodels   # once
    /usr/bin/python3 stats/testdata/gen_plan.py > stats/testdata/refs_plan.json

The Go tests read the JSON only; they never run Python.
"""
import json, math, warnings
from scipy.optimize import brentq
from statsmodels.stats.proportion import (power_proportions_2indep,
                                          samplesize_proportions_2indep_onetail)

warnings.simplefilter('ignore')


def ceil(n):
    return math.ceil(n - 1e-9 * n)


def power(d, p, n_cell, n_control, alpha, alternative):
    return float(power_proportions_2indep(d, p, n_cell, ratio=n_control / n_cell, alpha=alpha,
                                          alternative=alternative, return_results=False))


def mde(p, n_cell, n_control, alpha, pw, alternative):
    f = lambda d: power(d, p, n_cell, n_control, alpha, alternative) - pw
    hi = 1 - p
    if f(hi) < 0:
        return None
    return brentq(f, 1e-12, hi, xtol=1e-15, maxiter=500)


sizes = []
for p in (0.05, 0.2, 0.5, 0.8):
    for lift in (0.01, 0.03, 0.05):
        for alpha in (0.05, 0.1):
            for pw in (0.8, 0.9):
                for c in (0.5, 0.2, 0.3):
                    for k in (1, 2, 3):
                        for alt in ('two-sided', 'larger'):
                            ratio = k * c / (1 - c)
                            n_cell = float(samplesize_proportions_2indep_onetail(
                                lift, p, pw, ratio=ratio, alpha=alpha / k, alternative=alt))
                            n_control = ratio * n_cell
                            cell, control = ceil(n_cell), ceil(n_control)
                            sizes.append(dict(
                                p_control=p, lift=lift, alpha=alpha, power=pw, control_share=c,
                                cells=k, alternative=alt, n_cell_exact=n_cell,
                                n_control_exact=n_control, n_cell=cell, n_control=control,
                                total_exact=n_control + k * n_cell, total=control + k * cell,
                                power_at_sizes=power(lift, p, cell, control, alpha / k, alt)))

mdes = []
for p in (0.05, 0.2, 0.5, 0.8):
    for n_control, n_cell, k in ((500, 500, 1), (2000, 2000, 1), (1000, 2000, 2), (600, 700, 3),
                                 (10000, 5000, 3), (4000, 1000, 8), (12, 15, 2)):
        for alpha in (0.05, 0.1):
            for pw in (0.8, 0.9):
                for alt in ('two-sided', 'larger'):
                    a = alpha / k
                    one = mde(p, n_cell, n_control, a / 2 if alt == 'two-sided' else a, pw, 'larger')
                    both = mde(p, n_cell, n_control, a, pw, alt)
                    mdes.append(dict(p_control=p, n_control=n_control, n_cell=n_cell, cells=k,
                                     alpha=alpha, power=pw, alternative=alt, mde=one,
                                     mde_both_tails=both))

out = dict(generator='stats/testdata/gen_plan.py: statsmodels 0.13 samplesize_proportions_2indep_onetail, '
                     'power_proportions_2indep (sample 1 = exposed cell, nobs2 = ratio * nobs1 = control), '
                     'scipy 1.10 brentq; alpha/k per cell',
           sample_size=sizes, mde=mdes)
# One case per line keeps the file readable and its diffs small.
lines = ['{"generator": %s,' % json.dumps(out['generator'])]
for key in ('sample_size', 'mde'):
    rows = [' ' + json.dumps(r) for r in out[key]]
    lines.append(' "%s": [\n%s\n ]%s' % (key, ',\n'.join(rows), ',' if key == 'sample_size' else ''))
lines.append('}')
print('\n'.join(lines))
