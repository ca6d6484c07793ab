"""Throughput of analysis.hierarchy on a synthetic facts table the size of the shared corpus or larger.

Usage: python benchmarks/bench_hierarchy.py [--provinces 30] [--cities 10] [--years 20] [--other 40]
Builds one nation, P provinces with C prefectures each, a GDP growth target and outcome per region and
year plus ``other`` filler facts per report (the real facts table has ~40 rows per report), then times
each step. Prints seconds and rows per second.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from analysis import hierarchy


def synthetic(provinces: int, cities: int, years: int, other: int, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    docs, facts = [{"doc_id": "n", "region": "中国", "level": "national", "parent": ""}], []
    regions = [("中国", "national", "")]
    for p in range(provinces):
        regions.append((f"省{p}省", "province", "中国"))
        regions += [(f"省{p}市{c}市", "prefecture", f"省{p}省") for c in range(cities)]
    for name, level, parent in regions:
        docs.append({"doc_id": name, "region": name, "level": level, "parent": parent})
        for y in range(2000, 2000 + years):
            target = 7.0 + {"national": 0, "province": 0.5, "prefecture": 1.0}[level] + rng.choice([0, 0.5])
            base = {"doc_id": f"{name}/{y}", "region": name, "doc_type": "work_report", "report_year": y,
                    "indicator": "gdp", "measure": "growth_pct", "comparator": "exact", "stretch": False,
                    "estimate": False, "quote": ""}
            facts.append({**base, "role": "target", "period": str(y), "value": target})
            facts.append({**base, "report_year": y + 1, "doc_id": f"{name}/{y + 1}", "role": "outcome",
                          "period": str(y), "value": round(target + rng.normal(0.2, 1.0), 1)})
            facts += [{**base, "role": "outcome", "indicator": "other", "measure": "count", "period": str(y),
                       "value": float(i)} for i in range(other)]
    return pd.DataFrame(facts), pd.DataFrame(docs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--provinces", type=int, default=30)
    ap.add_argument("--cities", type=int, default=10)
    ap.add_argument("--years", type=int, default=20)
    ap.add_argument("--other", type=int, default=40)
    args = ap.parse_args()
    facts, docs = synthetic(args.provinces, args.cities, args.years, args.other)
    print(f"facts rows: {len(facts)}, regions: {len(docs)}")
    for name, step in [("hierarchy_pairs", lambda: hierarchy.hierarchy_pairs(facts, docs)),
                       ("achievement_pairs", lambda: hierarchy.achievement_pairs(facts, docs)),
                       ("annual_vs_plan", lambda: hierarchy.annual_vs_plan(facts, docs)),
                       ("level_means", lambda: hierarchy.level_means(facts, docs))]:
        t0 = time.perf_counter()
        out = step()
        dt = time.perf_counter() - t0
        print(f"{name:18s} {dt:6.2f} s  {len(out):7d} rows out  {len(facts) / dt:10.0f} facts/s")
    pairs = hierarchy.hierarchy_pairs(facts, docs)
    t0 = time.perf_counter()
    hierarchy.escalation_summary(pairs)
    print(f"{'escalation_summary':18s} {time.perf_counter() - t0:6.2f} s  ({len(pairs)} pairs, bootstrap 2000)")


if __name__ == "__main__":
    main()
