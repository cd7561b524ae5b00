#!/usr/bin/python3
"""Reference values for the norms of the Go package stats (stats/norms.go)
and for the norms fixture of api/norms_test.go.

- quantile: numpy.quantile(x, p) with numpy's default method 'linear',
  Hyndman and Fan's definition 7 (numpy 1.24, Debian python3-numpy);
- quartiles: the same at p = 0.25, 0.5 and 0.75;
- percentile_rank: scipy.stats.percentileofscore(x, v, kind='mean')
  (scipy 1.10, Debian python3-scipy);
- fixture: the studies of api/norms_test.go (recall counts per group),
  their headline lifts, and the norms and positions the API must show,
  from the same two functions; the test reads them from here.

Run from the repository root:

    apt-get install -y python3-scipy   # once
    /usr/bin/python3 stats/testdata/gen_norms.py 11 > stats/testdata/refs_norms.json

The Go tests read the JSON only; they never run Python.
"""
import json, math, sys
import numpy as np
import scipy
from scipy import stats

rng = np.random.default_rng(int(sys.argv[1]) if len(sys.argv) > 1 else 11)
PS = [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0]


def clean(v):
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


def quartiles(x):
    q1, med, q3 = np.quantile(np.asarray(x, dtype=float), [0.25, 0.5, 0.75])
    return {"q1": q1, "median": med, "q3": q3}


def rank(x, v):
    return stats.percentileofscore(np.asarray(x, dtype=float), v, kind='mean')


samples = [
    [0.03],
    [0.01, 0.05],
    [-0.02, 0.0, 0.04],
    [0.0, 0.01, 0.02, 0.1],
    [0.012, 0.018, 0.025, 0.031, 0.047],
    [0.02, 0.02, 0.02, 0.05, 0.05, 0.09],
    [-0.03, -0.01, -0.01, 0.0, 0.02],
    [0.04, 0.04, 0.04, 0.04],
    [12.5, -3.0, 20.0, 7.25, 0.0, 15.0, 5.0],  # NPS points, unsorted
    sorted(rng.normal(0.03, 0.02, 10).round(6).tolist()),
    sorted(rng.normal(0.05, 0.04, 101).round(6).tolist()),
]

out = {"generator": "gen_norms.py: numpy %s (quantile, method='linear' = Hyndman-Fan 7), "
       "scipy %s (percentileofscore, kind='mean')" % (np.__version__, scipy.__version__)}
out["quantile"] = [{"x": sorted(x), "p": PS, "quantiles": np.quantile(np.asarray(sorted(x)), PS).tolist()}
                   for x in samples]
out["quartiles"] = [dict({"x": x}, **quartiles(x)) for x in samples]
pr = []
for x in samples:
    lo, hi = min(x), max(x)
    for v in sorted(set([lo - 1, lo, float(np.median(x)), x[len(x) // 2], (lo + hi) / 2, hi, hi + 1])):
        pr.append({"x": x, "v": v, "rank": rank(x, v)})
out["percentile_rank"] = pr

# The fixture of api/norms_test.go: each study has 20 control respondents,
# 4 of whom recall the ad, and 20 exposed, yes of whom recall it; both
# groups give the same NPS scores, so every NPS lift is 0. "live" is still
# open; "excluded" sets exclude_from_norms.
fixture = [{"name": "fmcg%d" % i, "category": "fmcg", "yes": y} for i, y in enumerate([5, 6, 8, 9, 12])]
fixture += [{"name": "auto", "category": "auto", "yes": 10},
            {"name": "excluded", "category": "fmcg", "yes": 18, "exclude_from_norms": True},
            {"name": "live", "category": "fmcg", "yes": 7, "live": True}]


def lift(yes, n=20):
    return yes / n - 4 / 20


for s in fixture:
    s["abs_lift"] = lift(s["yes"])
    s["rel_lift"] = (s["yes"] / 20) / (4 / 20) - 1


def pool(cond):
    return [s for s in fixture if not s.get("exclude_from_norms") and not s.get("live") and cond(s)]


def position(others, own):
    a = [s["abs_lift"] for s in others]
    return {"studies": len(a), "abs_lift": quartiles(a), "percentile": rank(a, own["abs_lift"])}


by = {s["name"]: s for s in fixture}
fmcg = pool(lambda s: s["category"] == "fmcg")
expect = {
    "all": {"studies": len(pool(lambda s: True)), "abs_lift": quartiles([s["abs_lift"] for s in pool(lambda s: True)])},
    "fmcg": {"studies": len(fmcg), "abs_lift": quartiles([s["abs_lift"] for s in fmcg]),
             "rel_lift": quartiles([s["rel_lift"] for s in fmcg])},
    # The live study among the closed fmcg ones.
    "live_position": position(fmcg, by["live"]),
    # fmcg2 is left out of its own pool; 4 other fmcg studies are too few,
    # so every other closed study serves.
    "fmcg2_position": position(pool(lambda s: s["name"] != "fmcg2"), by["fmcg2"]),
}
# Erasing fmcg1's first exposed respondent, who recalled the ad.
erased = [dict(s, abs_lift=5 / 19 - 4 / 20) if s["name"] == "fmcg1" else s for s in fmcg]
expect["fmcg_after_erasure"] = {"abs_lift": quartiles([s["abs_lift"] for s in erased])}
out["fixture"] = {"studies": fixture, "expect": expect}

json.dump(clean(out), sys.stdout, indent=1)
sys.stdout.write("\n")
