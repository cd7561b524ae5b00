#!/usr/bin/python3
"""Extra reference values for the Go package stats: edge cases (x = 0, x = n,
n = 1, n = 10^6, p = 0.5) and checks that refs_public.json does not cover.

Values come from scipy 1.10 and statsmodels 0.13 (Debian python3-scipy and
python3-statsmodels) and, for P(exposed > control) at large n, from mpmath at
40 significant digits.

The sections after t_quantiles (and the cases appended to multitest, nps_diff,
welch_from_stats and srm at the end of this script, after every random draw of
the older sections, so that their values do not move) check p-values far in
the tails, down to 1e-300: the normal tail from mpmath's erfc, Student's t
tail by quadrature of its density in mpmath (t_sf), the chi-square tail from
mpmath's regularized upper incomplete gamma function, Fisher's test from
fisher_mp, the sequential p-value from its closed form in mpmath, and the
post-stratified lift and Cochran-Mantel-Haenszel test from numpy and
statsmodels' StratifiedTable. The per-case formulas are those of
../../../shared/stats-reference/gen_refs.py (copied below so that this script
runs on its own); outputs that statsmodels leaves undefined (NaN) are null.

Run from the repository root:

    apt-get install -y python3-scipy python3-statsmodels   # once
    /usr/bin/python3 stats/testdata/gen_extra.py 7 > stats/testdata/refs_extra.json

The Go tests read the JSON only; they never run Python.
"""
import json, math, sys, warnings
import numpy as np
import mpmath
from scipy import stats, special
from statsmodels.stats.proportion import (proportions_ztest, proportion_confint,
                                          confint_proportions_2indep)
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.contingency_tables import StratifiedTable

warnings.simplefilter('ignore')
rng = np.random.default_rng(int(sys.argv[1]) if len(sys.argv) > 1 else 7)


def clean(v):
    """Replace NaN and infinities (not valid JSON) by None, recursively."""
    if isinstance(v, dict):
        return {k: clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [clean(x) for x in v]
    if isinstance(v, (float, np.floating)):
        v = float(v)
        return v if math.isfinite(v) else None
    if isinstance(v, np.integer):
        return int(v)
    return v


def prob_b_beats_a(a1, b1, a2, b2):
    # from gen_refs.py: P(pB > pA), exact sum (Evan Miller)
    total = 0.0
    for i in range(int(a2)):
        total += math.exp(special.betaln(a1 + i, b1 + b2) - math.log(b2 + i)
                          - special.betaln(1 + i, b2) - special.betaln(a1, b1))
    return total


def prob_b_beats_a_mp(a1, b1, a2, b2):
    """The same sum in 40-digit arithmetic, summed outward from its largest
    term until the terms are below 1e-30 of the sum."""
    mpmath.mp.dps = 40
    a1, b1, a2, b2 = (mpmath.mpf(int(v)) for v in (a1, b1, a2, b2))
    def logt(i):
        return (mpmath.log(mpmath.beta(a1 + i, b1 + b2)) - mpmath.log(b2 + i)
                - mpmath.log(mpmath.beta(1 + i, b2)) - mpmath.log(mpmath.beta(a1, b1)))
    i0 = (a1 * b2 - a1 - b1 - b2) / (b1 + 1)
    peak = int(min(max(mpmath.floor(i0) + 1, 0), a2 - 1)) if i0 >= 0 else 0
    lp = logt(peak)
    s = mpmath.mpf(1)
    t = mpmath.mpf(1)
    i = peak
    while i < a2 - 1:
        t *= (a1 + i) * (b2 + i) / ((a1 + b1 + b2 + i) * (1 + i))
        s += t; i += 1
        if t < s * mpmath.mpf('1e-30'):
            break
    t = mpmath.mpf(1)
    i = peak
    while i > 0:
        i -= 1
        t /= (a1 + i) * (b2 + i) / ((a1 + b1 + b2 + i) * (1 + i))
        s += t
        if t < s * mpmath.mpf('1e-30'):
            break
    return float(mpmath.exp(lp) * s)


def fisher_mp(xe, ne, xc, nc):
    """Two-sided Fisher p-value as scipy defines it (tables no more likely than
    the observed one, relative tolerance 1e-7 for ties as in R), in 40-digit
    arithmetic, summing outward from the mode until terms are below 1e-30."""
    mpmath.mp.dps = 40
    N, K, n = ne + nc, xe + xc, ne
    if ne == 0 or nc == 0 or K == 0 or K == N:
        return 1.0
    lo, hi = max(0, n - (N - K)), min(n, K)
    def lp(k):
        return (mpmath.loggamma(K + 1) - mpmath.loggamma(k + 1) - mpmath.loggamma(K - k + 1)
                + mpmath.loggamma(N - K + 1) - mpmath.loggamma(n - k + 1) - mpmath.loggamma(N - K - n + k + 1))
    m = min(max((n + 1) * (K + 1) // (N + 2), lo), hi)
    lm = lp(m)
    pobs = mpmath.exp(lp(xe) - lm)
    total, tail = mpmath.mpf(0), mpmath.mpf(0)
    for step in (1, -1):
        k = m if step == 1 else m - 1
        if k < lo:
            continue
        t = mpmath.exp(lp(k) - lm)
        while True:
            total += t
            if t <= pobs * (1 + mpmath.mpf('1e-7')):
                tail += t
            nk = k + step
            if nk < lo or nk > hi or (t < total * mpmath.mpf('1e-30') and t < tail * mpmath.mpf('1e-30')):
                break
            if step == 1:
                t *= mpmath.mpf((K - k) * (n - k)) / ((k + 1) * (N - K - n + k + 1))
            else:
                t /= mpmath.mpf((K - nk) * (n - nk)) / ((nk + 1) * (N - K - n + nk + 1))
            k = nk
    return float(min(tail / total, 1))


def proportion_case(xc, nc, xe, ne, exact_bayes=True):
    # from gen_refs.py, with NaN-safe relative lifts and mpmath for P(B > A)
    pc, pe = xc / nc, xe / ne
    z, p = proportions_ztest([xe, xc], [ne, nc], alternative='two-sided')
    _, p_larger = proportions_ztest([xe, xc], [ne, nc], alternative='larger')
    out = dict(x_control=xc, n_control=nc, x_exposed=xe, n_exposed=ne,
               p_control=pc, p_exposed=pe, abs_lift=pe - pc,
               rel_lift=(pe - pc) / pc if pc > 0 else None,
               headroom_lift=(pe - pc) / (1 - pc) if pc < 1 else None,
               z_pooled=z, p_value_pooled_two_sided=p, p_value_pooled_larger=p_larger,
               fisher_p_two_sided=stats.fisher_exact([[xe, ne - xe], [xc, nc - xc]])[1],
               fisher_p_two_sided_mp=fisher_mp(xe, ne, xc, nc))
    args = (1 + xc, 1 + nc - xc, 1 + xe, 1 + ne - xe)
    if exact_bayes:
        out['prob_exposed_better_beta11'] = prob_b_beats_a(*args)
    out['prob_exposed_better_beta11_mp'] = prob_b_beats_a_mp(*args)
    for conf in (0.80, 0.90, 0.95):
        a = 1 - conf
        lo, hi = confint_proportions_2indep(xe, ne, xc, nc, method='newcomb', compare='diff', alpha=a)
        out[f'diff_ci_newcombe_{int(conf*100)}'] = [lo, hi]
        lo, hi = confint_proportions_2indep(xe, ne, xc, nc, method='wald', compare='diff', alpha=a)
        out[f'diff_ci_wald_{int(conf*100)}'] = [lo, hi]
        if xc > 0 and xe > 0:
            lo, hi = confint_proportions_2indep(xe, ne, xc, nc, method='log', compare='ratio', alpha=a)
            out[f'rel_lift_ci_log_{int(conf*100)}'] = [lo - 1, hi - 1]
        lo, hi = proportion_confint(xe, ne, alpha=a, method='wilson')
        out[f'exposed_wilson_{int(conf*100)}'] = [lo, hi]
        lo, hi = proportion_confint(xc, nc, alpha=a, method='wilson')
        out[f'control_wilson_{int(conf*100)}'] = [lo, hi]
    return out


def nps_case(counts):
    # from gen_refs.py
    counts = np.asarray(counts, dtype=float)
    n = counts.sum()
    prom = counts[9:].sum() / n; det = counts[:7].sum() / n
    nps = prom - det
    var = prom + det - nps ** 2
    se = math.sqrt(max(var, 0) / n)
    out = dict(score_counts=[int(c) for c in counts], n=int(n), promoters=prom,
               detractors=det, passives=1 - prom - det, nps=100 * nps, se=100 * se)
    for conf in (0.90, 0.95):
        zc = stats.norm.ppf(1 - (1 - conf) / 2)
        out[f'ci_{int(conf*100)}'] = [100 * (nps - zc * se), 100 * (nps + zc * se)]
    return out, nps, var, n


def nps_diff_case(c1, c2):
    a, nps1, v1, n1 = nps_case(c1); b, nps2, v2, n2 = nps_case(c2)
    se = math.sqrt(v1 / n1 + v2 / n2)
    z = (nps2 - nps1) / se
    out = dict(control=a, exposed=b, diff=100 * (nps2 - nps1), se_diff=100 * se, z=z,
               p_value_two_sided=2 * stats.norm.sf(abs(z)))
    for conf in (0.90, 0.95):
        zc = stats.norm.ppf(1 - (1 - conf) / 2)
        out[f'diff_ci_{int(conf*100)}'] = [out['diff'] - zc * out['se_diff'], out['diff'] + zc * out['se_diff']]
    return out


def mean_case(x1, x2):
    # from gen_refs.py, plus 90% intervals and the Welch df and interval
    x1, x2 = np.asarray(x1), np.asarray(x2)
    t, p = stats.ttest_ind(x2, x1, equal_var=False)
    def desc(x):
        m, s, n = float(np.mean(x)), float(np.std(x, ddof=1)), len(x)
        out = dict(level_counts=[int(np.sum(x == k)) for k in range(1, 6)], mean=m, sd=s, n=n,
                   top2box_share=float(np.mean(np.asarray(x) >= 4)))
        for conf in (0.90, 0.95):
            h = stats.t.ppf(1 - (1 - conf) / 2, n - 1) * s / math.sqrt(n)
            out[f'ci_{int(conf*100)}'] = [m - h, m + h]
        return out
    v1, v2 = np.var(x1, ddof=1) / len(x1), np.var(x2, ddof=1) / len(x2)
    df = (v1 + v2) ** 2 / (v1 ** 2 / (len(x1) - 1) + v2 ** 2 / (len(x2) - 1))
    d = float(np.mean(x2) - np.mean(x1))
    h = stats.t.ppf(0.95, df) * math.sqrt(v1 + v2)
    return dict(control=desc(x1), exposed=desc(x2), welch_t=float(t), welch_p_two_sided=float(p),
                welch_df=float(df), mean_diff=d, mean_diff_ci_90=[d - h, d + h])


def sample_size(p1, mde, alpha, power, alternative='two-sided'):
    # gen_refs.py's formula; one-sided uses z_{1-alpha}
    p2 = p1 + mde; pbar = (p1 + p2) / 2
    za = stats.norm.ppf(1 - alpha / 2) if alternative == 'two-sided' else stats.norm.ppf(1 - alpha)
    zb = stats.norm.ppf(power)
    n = (za * math.sqrt(2 * pbar * (1 - pbar)) + zb * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / mde ** 2
    return dict(p_control=p1, mde_abs=mde, alpha=alpha, power=power, alternative=alternative,
                n_per_group_exact=n, n_per_group=math.ceil(n))


def rake(rows, margins, iters=200):
    # from gen_refs.py
    w = np.ones(len(rows))
    for _ in range(iters):
        for var, target in margins.items():
            vals = np.array([r[var] for r in rows])
            for level, share in target.items():
                m = vals == level
                w[m] *= share * w.sum() / w[m].sum()
    return w / w.mean()


def raking_case(margins, probs, n):
    dims = list(margins)
    cols = {d: rng.choice(list(margins[d]), size=n, p=probs[d]) for d in dims}
    y = (rng.random(n) < 0.2 + 0.15 * (cols[dims[0]] == list(margins[dims[0]])[0])).astype(int)
    rows = [dict({d: str(cols[d][i]) for d in dims}, positive=int(y[i])) for i in range(n)]
    w = rake(rows, margins)
    return dict(rows=rows, target_margins=margins,
                weighted_positive_share=float((w * y).sum() / w.sum()),
                unweighted_positive_share=float(y.mean()),
                kish_effective_n=float(w.sum() ** 2 / (w ** 2).sum()),
                max_weight=float(w.max()), min_weight=float(w.min()))


def t_sf(t, df, dps=40):
    """Student's t survival P(T > t), t > 0, by tanh-sinh quadrature of the
    density in 40-digit arithmetic after the substitution s = t/u, which
    maps the heavy tail onto (0, 1]; checked against the closed forms at
    df = 1 and 2 and against mpmath's betainc to 25 digits."""
    with mpmath.workdps(dps):
        t = mpmath.mpf(t); nu = mpmath.mpf(df)
        h = (nu + 1) / 2
        lc = mpmath.loggamma(h) - mpmath.loggamma(nu / 2) - mpmath.log(nu * mpmath.pi) / 2
        base = nu + t * t
        def g(u):
            if u == 0:
                return mpmath.mpf(0) if df > 1 else t
            s = t / u
            return mpmath.exp(-h * mpmath.log((nu + s * s) / base)) * t / (u * u)
        k = t * t / base
        pts = sorted(set([mpmath.mpf(0), mpmath.mpf(1)] +
                         [max(1 - mpmath.mpf(c) / (h * k + 1), mpmath.mpf(0)) for c in (64, 16, 4, 1, 0.25)]))
        return mpmath.exp(lc - h * mpmath.log(base / nu)) * mpmath.quad(g, pts)


def normal_two_sided_mp(z):
    with mpmath.workdps(40):
        return mpmath.erfc(abs(mpmath.mpf(z)) / mpmath.sqrt(2))


def post_stratified(strata):
    """Post-stratified lift (control reweighted to the exposed strata), its
    variance with the weights held fixed, and the CMH test and pooled odds
    ratio of statsmodels' StratifiedTable over the strata with both groups.
    strata: rows [x_e, n_e, x_c, n_c]."""
    a = np.asarray(strata, dtype=float)
    used = (a[:, 1] > 0) & (a[:, 3] > 0)
    dropped = ~used & ((a[:, 1] > 0) | (a[:, 3] > 0))
    u = a[used]
    xe, ne, xc, nc = u.T
    w = ne / ne.sum()
    pe, pc = xe / ne, xc / nc
    lift = np.sum(w * (pe - pc))
    se = math.sqrt(np.sum(w ** 2 * (pe * (1 - pe) / ne + pc * (1 - pc) / nc)))
    z = lift / se
    out = dict(strata=[[int(v) for v in row] for row in strata],
               exposed_rate=np.sum(w * pe), control_rate=np.sum(w * pc),
               abs_lift=lift, abs_lift_se=se, z=z, p_value=2 * stats.norm.sf(abs(z)),
               strata_used=int(used.sum()), strata_dropped=int(dropped.sum()),
               exposed_dropped=int(a[dropped, 1].sum()), control_dropped=int(a[dropped, 3].sum()))
    for conf in (0.90, 0.95):
        zc = stats.norm.ppf(1 - (1 - conf) / 2)
        out[f'abs_lift_ci_{int(conf*100)}'] = [lift - zc * se, lift + zc * se]
    tables = np.stack([[[r[0], r[1] - r[0]], [r[2], r[3] - r[2]]] for r in u], axis=2)
    st = StratifiedTable(tables)
    null = st.test_null_odds(correction=False)
    out['cmh_chi_sq'] = null.statistic
    # statsmodels' p-value is 1 - chi2.cdf, which cancels below 1e-16;
    # chi2.sf is accurate in the tail.
    out['cmh_p_value_statsmodels'] = null.pvalue
    out['cmh_p_value'] = stats.chi2.sf(null.statistic, 1)
    out['odds_ratio_mh'] = st.oddsratio_pooled
    return out


out = dict(generator='gen_extra.py: scipy %s, statsmodels, mpmath %s' % (
    __import__('scipy').__version__, mpmath.__version__),
    proportions=[], proportions_large=[], nps=[], nps_diff=[], means=[], welch_from_stats=[],
    multitest=[], sample_size=[], srm=[], raking=[], lbeta=[], fisher_tables=[], t_quantiles=[],
    normal_tail=[], t_tail=[], chi2_tail=[], proportions_extreme=[], sequential=[], change=[],
    stratified=[])

# proportions: x = 0, x = n, n = 1, p = 0.5, tiny against large
for xc, nc, xe, ne in [(0, 1, 0, 1), (0, 1, 1, 1), (1, 1, 0, 1), (1, 1, 1, 1),
                       (0, 100, 0, 120), (50, 50, 60, 60), (0, 40, 40, 40), (40, 40, 0, 40),
                       (3, 30, 0, 25), (25, 30, 30, 30), (500, 1000, 500, 1000),
                       (1000, 2000, 1100, 2000), (1, 2, 1, 2), (0, 5, 5, 5),
                       (7, 1000, 0, 1), (400, 1000, 1, 1), (2, 3000, 9, 3100)]:
    out['proportions'].append(proportion_case(xc, nc, xe, ne))
# n = 10^6 per group (P(B > A) from mpmath only: the float sum takes minutes)
for xc, nc, xe, ne in [(300000, 1000000, 301500, 1000000), (500000, 1000000, 500000, 1000000),
                       (500000, 1000000, 501000, 1000000), (1000, 1000000, 1100, 1000000),
                       (0, 1000000, 3, 1000000), (100000, 1000000, 100400, 1000000),
                       (150000, 300000, 1352000, 2700000), (2000, 2000000, 20, 18000)]:
    out['proportions_large'].append(proportion_case(xc, nc, xe, ne, exact_bayes=False))

for counts in ([0] * 9 + [1, 0], [0] * 7 + [3, 4, 0, 0], [5] + [0] * 10, [0] * 10 + [7],
               [1] * 11, [10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10]):
    out['nps'].append(nps_case(counts)[0])
out['nps'].append(nps_case(rng.multinomial(1000000, rng.dirichlet(np.ones(11))))[0])
for _ in range(3):
    p1 = rng.dirichlet(np.ones(11)); p2 = rng.dirichlet(np.ones(11))
    out['nps_diff'].append(nps_diff_case(rng.multinomial(int(rng.integers(50, 5000)), p1),
                                         rng.multinomial(int(rng.integers(50, 5000)), p2)))
out['nps_diff'].append(nps_diff_case([0] * 10 + [5], [1] + [0] * 9 + [4]))

out['means'].append(mean_case([1, 5], [2, 3]))
out['means'].append(mean_case([3, 3, 3, 3], [1, 5, 4, 2, 5]))
out['means'].append(mean_case(rng.integers(1, 6, size=20000), rng.integers(2, 6, size=30000)))
for _ in range(2):
    out['means'].append(mean_case(rng.integers(1, 6, size=int(rng.integers(2, 40))),
                                  rng.integers(1, 6, size=int(rng.integers(2, 40)))))
for m1, s1, n1, m2, s2, n2 in [(3.1, 1.2, 800000, 3.102, 1.25, 900000), (4.0, 0.5, 10, 3.0, 2.0, 400)]:
    t, p = stats.ttest_ind_from_stats(m2, s2, n2, m1, s1, n1, equal_var=False)
    out['welch_from_stats'].append(dict(control=dict(mean=m1, sd=s1, n=n1),
                                        exposed=dict(mean=m2, sd=s2, n=n2), t=t, p=p))

for p in ([0.01], [0.0, 1.0, 0.5], [0.02, 0.02, 0.02, 0.5, 0.04], [1.0, 1.0],
          list(rng.uniform(0, 0.1, size=40))):
    p = np.asarray(p)
    out['multitest'].append(dict(p_values=p.tolist(), bh=multipletests(p, method='fdr_bh')[1].tolist(),
                                 holm=multipletests(p, method='holm')[1].tolist(),
                                 bonferroni=multipletests(p, method='bonferroni')[1].tolist()))

# DV360 table (one-sided 90%, 80% power, 50% baseline) and two-sided extremes
for mde in (0.04, 0.03, 0.02, 0.015, 0.01, 0.005):
    out['sample_size'].append(sample_size(0.5, mde, 0.1, 0.8, 'larger'))
for p1, mde, a, pw in [(0.01, 0.002, 0.05, 0.8), (0.9, 0.05, 0.1, 0.9), (0.5, -0.1, 0.05, 0.8)]:
    out['sample_size'].append(sample_size(p1, mde, a, pw))

for obs, shares in [([9000, 1000], [0.9, 0.1]), ([8950, 1050], [0.9, 0.1]), ([5100, 4900], [0.5, 0.5]),
                    ([3300, 3350, 3000], [1 / 3, 1 / 3, 1 / 3]), ([1, 0], [0.5, 0.5])]:
    e = np.asarray(shares) * sum(obs)
    c, p = stats.chisquare(obs, e)
    out['srm'].append(dict(observed=obs, shares=shares, chi_sq=c, p_value=p))

out['raking'].append(raking_case({'age': {'18-34': .3, '35-54': .4, '55+': .3},
                                  'region': {'msk': .2, 'spb': .1, 'other': .7},
                                  'gender': {'f': .52, 'm': .48}},
                                 {'age': [.5, .3, .2], 'region': [.4, .2, .4], 'gender': [.6, .4]}, 700))
# Fisher's test on many small and mid-size tables, including exact ties
# (equal groups), as [x_e, n_e, x_c, n_c, p]
for _ in range(250):
    ne, nc = int(rng.integers(1, 40)), int(rng.integers(1, 40))
    xe, xc = int(rng.integers(0, ne + 1)), int(rng.integers(0, nc + 1))
    out['fisher_tables'].append([xe, ne, xc, nc, stats.fisher_exact([[xe, ne - xe], [xc, nc - xc]])[1]])
for _ in range(50):
    n = int(rng.integers(2, 60))
    xe, xc = int(rng.integers(0, n + 1)), int(rng.integers(0, n + 1))
    out['fisher_tables'].append([xe, n, xc, n, stats.fisher_exact([[xe, n - xe], [xc, n - xc]])[1]])
for _ in range(50):
    ne, nc = int(rng.integers(100, 5000)), int(rng.integers(100, 5000))
    p = rng.uniform(0.001, 0.5)
    xe, xc = int(rng.binomial(ne, p * rng.uniform(0.7, 1.4))), int(rng.binomial(nc, p))
    out['fisher_tables'].append([xe, ne, xc, nc, stats.fisher_exact([[xe, ne - xe], [xc, nc - xc]])[1]])
mpmath.mp.dps = 40
for a, b in [(0.5, 0.5), (1, 1), (3, 7.5), (1, 1e6), (2.5, 2e6), (9.99, 10.01), (10, 10), (12, 1e9),
             (1e3, 1e3), (3e5, 7e5), (1e6 + 1, 1e6 + 1), (1.5e7, 3e5), (2e8, 2e8)]:
    out['lbeta'].append(dict(a=a, b=b, lbeta=float(mpmath.log(mpmath.beta(a, b)))))
# Student's t quantiles at 30 digits (scipy 1.10's t.ppf is off by up to
# ~5e-9 relative at small df, e.g. t.ppf(0.95, 4))
mpmath.mp.dps = 30
for p, df in [(0.95, 1), (0.95, 4), (0.975, 4), (0.9, 2.5), (0.95, 29), (0.975, 144), (0.95, 401.7), (0.995, 10), (0.95, 1e5)]:
    f = lambda x: 1 - mpmath.betainc(df / 2, 0.5, 0, df / (df + x * x), regularized=True) / 2 - p
    out['t_quantiles'].append(dict(p=p, df=df, q=float(mpmath.findroot(f, stats.t.ppf(p, df)))))
# --- p-values far in the tails (none of these draw from rng before the
# stratified cases at the end) ---
# Normal tail: erfc(|z|/sqrt 2) at 40 digits for the double z.
for z in (0.3, 1.5, 5, 6.5, 8.3, 8.95, 10, 15, 20, 25, 30, 33, 35, 37, 37.5, -5, -20, -37):
    with mpmath.workdps(40):
        x = mpmath.mpf(z) / mpmath.sqrt(2)
        out['normal_tail'].append(dict(z=z, p_two_sided=float(mpmath.erfc(abs(x))),
                                       p_greater=float(mpmath.erfc(x) / 2), p_less=float(mpmath.erfc(-x) / 2)))
# Student's t tail: for each df, t near the quantiles of p = 0.3 ... 1e-300
# (scipy's isf, or the tail asymptote p ~ c t^-df where isf gives up), kept
# when P(T > t) is a normal double (>= 1e-306).
for df in (1, 1.5, 2, 3, 4.7, 10, 30, 100, 1000, 1e4, 1e5, 1e6, 1.7e6):
    for p in (0.3, 1e-3, 1e-10, 1e-20, 1e-50, 1e-100, 1e-200, 1e-300):
        t = stats.t.isf(p, df)
        if t >= 1e99:
            h = (df + 1) / 2
            lc = special.gammaln(h) - special.gammaln(df / 2) - math.log(df * math.pi) / 2
            t = math.exp((lc + h * math.log(df) - math.log(df) - math.log(p)) / df)
        t = float('%.6g' % t)
        sf = float(t_sf(t, df))
        if sf >= 1e-306:
            out['t_tail'].append(dict(t=t, df=df, sf=sf))
# Chi-square tail Q(df/2, x/2) at 40 digits.
for df in range(1, 8):
    for x in (0.5, 3, 20, 100, 400, 700, 1000, 1200, 1350, 1380, 1400):
        with mpmath.workdps(40):
            sf = float(mpmath.gammainc(mpmath.mpf(df) / 2, mpmath.mpf(x) / 2, mpmath.inf, regularized=True))
        out['chi2_tail'].append(dict(df=df, x=x, sf=sf))
# Two proportions far apart: pooled z and its p-values at 40 digits from the
# exact counts, and Fisher's test from fisher_mp (p from 1e-40 to 1e-300).
for xe, ne, xc, nc in [(2875, 5000, 2125, 5000), (3025, 5000, 1975, 5000), (3225, 5000, 1775, 5000),
                       (3425, 5000, 1575, 5000), (360, 400, 12000, 40000), (2000, 100000, 330, 100000),
                       (319440, 1000000, 300000, 1000000), (40, 60, 2, 70), (1000, 3000, 9000, 11000)]:
    with mpmath.workdps(40):
        pe, pc = mpmath.mpf(xe) / ne, mpmath.mpf(xc) / nc
        pool = mpmath.mpf(xe + xc) / (ne + nc)
        z = (pe - pc) / mpmath.sqrt(pool * (1 - pool) * (mpmath.mpf(1) / ne + mpmath.mpf(1) / nc))
        x = z / mpmath.sqrt(2)
        out['proportions_extreme'].append(dict(
            x_exposed=xe, n_exposed=ne, x_control=xc, n_control=nc, z=float(z),
            p_two_sided=float(mpmath.erfc(abs(x))), p_greater=float(mpmath.erfc(x) / 2),
            p_less=float(mpmath.erfc(-x) / 2), fisher_p_mp=fisher_mp(xe, ne, xc, nc)))
# Sequential p-value and confidence sequence (SequentialLift and
# SequentialDiff) from their closed forms at 40 digits.
def sequential_mp(d, v, n, conf, tuning):
    with mpmath.workdps(40):
        d, v = mpmath.mpf(d), mpmath.mpf(v)
        la = -2 * mpmath.log(1 - mpmath.mpf(conf))
        rho2 = (la + mpmath.log(la + 1)) / tuning
        nr = n * rho2
        h = mpmath.sqrt(v * (nr + 1) / nr * (mpmath.log(nr + 1) + la))
        p = min(mpmath.mpf(1), mpmath.sqrt(nr + 1) * mpmath.exp(-d * d * nr / (2 * v * (nr + 1))))
        return dict(rho2=float(rho2), cs=[float(d - h), float(d + h)], p=float(p))
for xe, ne, xc, nc, conf, tuning in [(560, 2000, 500, 2000, 0.9, 5000), (700, 2000, 600, 2000, 0.9, 5000),
                                     (52000, 100000, 50000, 100000, 0.95, 20000),
                                     (7000, 10000, 3000, 10000, 0.9, 5000),
                                     (9300, 10000, 500, 10000, 0.8, 1000)]:
    pe, pc = mpmath.mpf(xe) / ne, mpmath.mpf(xc) / nc
    v = pe * (1 - pe) / ne + pc * (1 - pc) / nc
    out['sequential'].append(dict(x_exposed=xe, n_exposed=ne, x_control=xc, n_control=nc,
                                  confidence=conf, tuning=tuning, **sequential_mp(pe - pc, v, ne + nc, conf, tuning)))
for d, v, n, conf, tuning in [(4.5, 9.0, 1800, 0.9, 5000), (-12.0, 4.0, 20000, 0.95, 5000),
                              (0.3, 0.0004, 60000, 0.9, 5000), (30.0, 1.0, 50000, 0.9, 5000),
                              (1.0, 1 / 1380, 1000000, 0.9, 5000)]:
    out['sequential'].append(dict(diff=d, variance=v, n=n, confidence=conf, tuning=tuning,
                                  **sequential_mp(d, v, n, conf, tuning)))
# Change between two independent estimates (scipy's norm.sf).
for b, sb, a, sa in [(12.0, 3.1, 17.5, 2.9), (0.31, 0.012, 0.29, 0.011), (3.9, 0.05, 3.9, 0.07),
                     (-20.0, 0.4, 1.0, 0.45), (0.05, 0.0, 0.052, 0.0003), (-5.0, 0.1, 5.0, 0.2)]:
    se = math.hypot(sb, sa)
    d = a - b
    z = d / se
    c = dict(before=b, se_before=sb, after=a, se_after=sa, diff=d, se=se, z=z, p_value=2 * stats.norm.sf(abs(z)))
    for conf in (0.90, 0.95):
        zc = stats.norm.ppf(1 - (1 - conf) / 2)
        c[f'diff_ci_{int(conf*100)}'] = [d - zc * se, d + zc * se]
    out['change'].append(c)

# BH, Holm and Bonferroni over vectors with p-values of 1e-300 and 1e-200.
for p in ([1e-300, 1e-200, 0.03, 0.5, 1e-250, 0.04], [3e-301, 1e-200, 2e-200, 1.0]):
    p = np.asarray(p)
    out['multitest'].append(dict(p_values=p.tolist(), bh=multipletests(p, method='fdr_bh')[1].tolist(),
                                 holm=multipletests(p, method='holm')[1].tolist(),
                                 bonferroni=multipletests(p, method='bonferroni')[1].tolist()))
# NPS differences with z from 28 to 37 (scipy's norm.sf is accurate there).
for n1, n2 in ((5000, 5000), (8400, 8800)):
    c1 = [n1 * s // 100 for s in (10, 5, 5, 5, 5, 5, 5, 15, 15, 15, 15)]
    c2 = [n2 * s // 100 for s in (4, 2, 2, 2, 2, 3, 5, 12, 13, 25, 30)]
    out['nps_diff'].append(nps_diff_case(c1, c2))
# Welch tests at extreme t, small and large df: t and df from scipy, p from
# t_sf (scipy's t.sf fails beyond t ~ 1e100 at df = 1).
for m1, s1, n1, m2, s2, n2 in [(3.0, 1.0, 1000000, 3.05, 1.0, 1000000), (3.0, 1.0, 1000000, 3.052, 1.0, 1000000),
                               (1.0, 0.001, 3, 5.0, 0.001, 3), (1.0, 1e-60, 3, 5.0, 1e-60, 3),
                               (1.0, 1e-100, 2, 5.0, 1e-120, 1000)]:
    t, _ = stats.ttest_ind_from_stats(m2, s2, n2, m1, s1, n1, equal_var=False)
    v1, v2 = s1 ** 2 / n1, s2 ** 2 / n2
    f1, f2 = v1 / (v1 + v2), v2 / (v1 + v2)  # scaled: v1² underflows at s1 = 1e-100
    df = 1 / (f1 ** 2 / (n1 - 1) + f2 ** 2 / (n2 - 1))
    out['welch_from_stats'].append(dict(control=dict(mean=m1, sd=s1, n=n1),
                                        exposed=dict(mean=m2, sd=s2, n=n2), t=t,
                                        p=float(2 * t_sf(abs(t), df))))
# SRM far from the split: p from mpmath (chi2_tail), chi2 from scipy.
for obs, shares in [([6803, 3197], [0.5, 0.5]), ([60000, 40000], [0.7, 0.3]), ([1100, 2000, 3400], [1 / 3, 1 / 3, 1 / 3])]:
    e = np.asarray(shares) * sum(obs)
    c, _ = stats.chisquare(obs, e)
    with mpmath.workdps(40):
        p = float(mpmath.gammainc(mpmath.mpf(len(obs) - 1) / 2, mpmath.mpf(c) / 2, mpmath.inf, regularized=True))
    out['srm'].append(dict(observed=obs, shares=shares, chi_sq=c, p_value=p))

# Post-stratified lift and CMH: random strata (2 to 12, small and large n,
# exposed and control in different mixes), then fixed cases with a stratum
# that lacks a group. These draw from rng last.
for k, scale in [(2, 30), (3, 200), (5, 50), (8, 2000), (12, 400), (4, 100000), (6, 15), (12, 30000)]:
    rows = []
    shares_e = rng.dirichlet(np.ones(k)); shares_c = rng.dirichlet(np.ones(k))
    ne_tot, nc_tot = int(scale * k * rng.uniform(0.5, 2)), int(scale * k * rng.uniform(0.5, 2))
    base = rng.uniform(0.05, 0.6, size=k); lift = rng.uniform(-0.02, 0.1)
    for s in range(k):
        ne_s = max(1, int(round(ne_tot * shares_e[s]))); nc_s = max(1, int(round(nc_tot * shares_c[s])))
        xe = int(rng.binomial(ne_s, min(1, base[s] + lift))); xc = int(rng.binomial(nc_s, base[s]))
        rows.append([xe, ne_s, xc, nc_s])
    out['stratified'].append(post_stratified(rows))
out['stratified'].append(post_stratified([[30, 100, 20, 100], [50, 200, 45, 300], [7, 20, 0, 0], [0, 0, 4, 9]]))
out['stratified'].append(post_stratified([[0, 10, 0, 12], [10, 10, 3, 10], [5, 40, 9, 30], [3, 3, 0, 0]]))
out['stratified'].append(post_stratified([[9000, 20000, 6000, 20000], [12000, 30000, 8000, 30000]]))
json.dump(clean(out), sys.stdout, indent=1)
print()
