#!/usr/bin/python3
"""Reference values for small samples, read by the report tests of issue 13
(survey/results and the API, on both databases): n = 5, 10, 25 and 40 per
group, with x = 0, x = n and values between, at 90% confidence.

Values come from scipy 1.10 (fisher_exact) and statsmodels 0.13
(proportion_confint method='wilson', confint_proportions_2indep
method='newcomb', proportions_ztest), Debian python3-scipy and
python3-statsmodels. A z-test with no variance (x = 0 or x = n in both
groups) is undefined in statsmodels (NaN): it is written as null.

Run from the repository root:

    /usr/bin/python3 stats/testdata/gen_small.py > stats/testdata/refs_small.json
"""
import json, math, warnings
from scipy import stats
from statsmodels.stats.proportion import (proportions_ztest, proportion_confint,
                                          confint_proportions_2indep)

warnings.simplefilter('ignore')


def num(v):
    v = float(v)
    return v if math.isfinite(v) else None


cases = []
for n in (5, 10, 25, 40):
    for xe, xc in ((0, 0), (n, n), (n, 0), (0, n), (n, n // 2), (n // 2, 0), (n - 1, 1), (n // 2, n // 2)):
        out = dict(n=n, x_exposed=xe, x_control=xc)
        z, p = proportions_ztest([xe, xc], [n, n]) if 0 < xe + xc < 2 * n else (math.nan, math.nan)
        out['z'], out['p_value'] = num(z), num(p)
        out['p_value_fisher'] = stats.fisher_exact([[xe, n - xe], [xc, n - xc]])[1]
        out['exposed_wilson_90'] = [num(v) for v in proportion_confint(xe, n, alpha=0.1, method='wilson')]
        out['control_wilson_90'] = [num(v) for v in proportion_confint(xc, n, alpha=0.1, method='wilson')]
        out['diff_ci_newcombe_90'] = [num(v) for v in confint_proportions_2indep(xe, n, xc, n, method='newcomb', compare='diff', alpha=0.1)]
        cases.append(out)
print(json.dumps(dict(origin='stats/testdata/gen_small.py: scipy 1.10 fisher_exact, statsmodels 0.13 proportion_confint(wilson), '
                             'confint_proportions_2indep(newcomb), proportions_ztest; 90% confidence',
                      cases=cases), indent=1))
