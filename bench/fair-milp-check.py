"""
Exact check of the fair mission planner (issue 22 item 4): solve each instance written by
bench/fair-local-search.ts (CW_MILP_DIR=...) as a 0-1 integer program with scipy's HiGHS MILP and compare the
exact optimum with the planner, the local search and the LP bound. Evidence only: scipy is not a dependency of
the product. Prints one JSON object.
  CW_MILP_DIR=/tmp/milp npx tsx bench/fair-local-search.ts 200 4 ours && python3 bench/fair-milp-check.py /tmp/milp

  max  sum_c risk_c x_c
  s.t. sum_c x_c = budget;  sum_c p_c x_c >= 1;
       for every estimable group k:  sum_c x_c (w_kc - hi s_k p_c) <= 0  and  sum_c x_c (lo s_k p_c - w_kc) <= 0
       (share of exposure / share of victimization within [lo, hi]);  x binary.
"""
import glob, json, sys, time
import numpy as np
from scipy.optimize import milp, LinearConstraint, Bounds

rows = []
for f in sorted(glob.glob(sys.argv[1] + '/*.json')):
    d = json.load(open(f))
    r = np.array(d['risk']); p = np.array(d['p']); lo, hi = d['band']
    A = [np.ones_like(r), p]; lb = [d['budget'], 1]; ub = [d['budget'], np.inf]
    for w, s in zip(d['w'], d['s']):
        w = np.array(w)
        A += [w - hi * s * p, lo * s * p - w]; lb += [-np.inf, -np.inf]; ub += [0, 0]
    t = time.time()
    res = milp(-r, constraints=LinearConstraint(np.array(A), lb, ub), integrality=np.ones_like(r), bounds=Bounds(0, 1), options={'time_limit': 120, 'mip_rel_gap': 1e-6})
    H0 = d['unconstrainedHits']
    exact = -res.fun / H0 if res.x is not None else None
    rows.append({
        'variant': d['variant'], 'asOf': d['asOf'], 'budget': d['budget'], 'status': res.message[:60], 'optimal': bool(res.status == 0),
        'exactKept': None if exact is None else round(exact, 4), 'plannerKept': round(d['plannerHits'] / H0, 4) if d['plannerFeasible'] else None,
        'localSearchKept': None if d['localSearchHits'] is None else round(d['localSearchHits'] / H0, 4),
        'lpBoundKept': None if d['lpBound'] is None else round(d['lpBound'] / H0, 4), 'seconds': round(time.time() - t, 2),
    })
def gap(x):
    return None if x['exactKept'] is None or x['plannerKept'] is None else round((x['exactKept'] - x['plannerKept']) / x['exactKept'], 4)
for x in rows: x['plannerGapToExact'] = gap(x)
feas = [x for x in rows if x['exactKept'] is not None]
gaps = [x['plannerGapToExact'] for x in rows if x['plannerGapToExact'] is not None]
print(json.dumps({'bench': 'fair-milp-check', 'solver': 'scipy.optimize.milp (HiGHS)', 'instances': len(rows),
                  'bandReachable': len(feas), 'plannerFoundBandWhenReachable': sum(1 for x in feas if x['plannerKept'] is not None),
                  'plannerGapToExact': {'mean': round(sum(gaps) / len(gaps), 4) if gaps else None, 'max': max(gaps) if gaps else None},
                  'rows': rows}, indent=1))
