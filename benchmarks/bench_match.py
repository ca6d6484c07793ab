"""Matching at corpus scale: time and peak memory of ``match.match_targets`` + ``build_panel`` from 100 to 3,000 reports.

    .venv/bin/python benchmarks/bench_match.py [--sizes 100,300,1000,3000] [--facts outputs/facts.csv]

Synthetic facts tables shaped like the extractor's output: each report (region × year) states last
year's outcomes and this year's targets for the headline indicators, some with a stretch target, a
plan-year report also five-year targets, and a few assessments. With ``--facts`` (a real facts table,
e.g. from bench_corpus.py) the table itself is matched, and its first 10/30/100 % of documents.
Prints seconds, seconds per report and the growth ratio between sizes (near-linear: time ratio ≈
size ratio), plus peak RSS. Not a timed test.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import match, schema  # noqa: E402

INDICATORS = [("gdp", "growth_pct", "%"), ("budget_revenue", "growth_pct", "%"),
              ("fixed_asset_investment", "growth_pct", "%"), ("retail_sales", "growth_pct", "%"),
              ("resident_income", "growth_pct", "%"), ("unemployment_rate", "share_pct", "%"),
              ("new_jobs", "count", "人"), ("gdp", "level", "亿元")]


def synthetic_facts(n_reports: int, years_per_region: int = 10, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Facts and assessments of ``n_reports`` synthetic reports (regions × consecutive years)."""
    rng = random.Random(seed)
    facts, assessments = [], []
    n_regions = max(1, n_reports // years_per_region)
    for r in range(n_reports):
        region = f"区{r % n_regions:04d}"
        year = 2010 + r // n_regions
        doc = f"{region}/{year}"
        base = dict(doc_id=doc, region=region, doc_type="work_report", report_year=year, stretch=False,
                    derived=False, value_high=float("nan"), quote="…", indicator_name="")
        for code, measure, unit in INDICATORS:
            v = round(rng.uniform(3, 12), 1) if unit == "%" else round(rng.uniform(1000, 50000))
            facts.append(dict(base, role="outcome", period=str(year - 1), indicator=code, measure=measure,
                              value=v, unit=unit, comparator="exact"))
            facts.append(dict(base, role="target", period=str(year), indicator=code, measure=measure,
                              value=round(v * rng.uniform(0.9, 1.1), 1), unit=unit,
                              comparator=rng.choice(["approx", "at_least", "exact"])))
            if rng.random() < 0.2:
                facts.append(dict(base, role="target", period=str(year), indicator=code, measure=measure,
                                  value=v + 1, unit=unit, comparator="at_least", stretch=True))
        if year % 5 == 1:  # a plan year: five-year targets
            facts.append(dict(base, role="target", period=f"{year}-{year + 4}", indicator="gdp",
                              measure="avg_growth_pct", value=7.0, unit="%", comparator="approx"))
            facts.append(dict(base, role="target", period=f"{year}-{year + 4}", indicator="new_jobs",
                              measure="cumulative", value=50000, unit="人", comparator="at_least"))
        facts.append(dict(base, role="target", period=str(year), indicator="resident_income",
                          measure="qualitative", value=float("nan"), unit="", comparator="parity"))
        facts.append(dict(base, role="target", period=str(year), indicator="other", measure="count",
                          value=rng.randint(1, 50), unit="个", comparator="exact",
                          indicator_name=f"项目{rng.randint(1, 30)}"))
        assessments.append(dict(doc_id=doc, region=region, report_year=year, period=str(year - 1),
                                indicator="gdp", kind="gap_pp", value=round(rng.uniform(-2, 2), 1), quote="…"))
    return pd.DataFrame(facts), pd.DataFrame(assessments)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_match(facts: pd.DataFrame, assessments: pd.DataFrame | None) -> tuple[float, int]:
    start = time.perf_counter()
    tvo = match.match_targets(facts, assessments)
    match.build_panel(tvo)
    return time.perf_counter() - start, len(tvo)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,300,1000,3000")
    parser.add_argument("--facts", help="a real facts table (CSV/Parquet); assessments read from beside it")
    args = parser.parse_args()
    runs: list[tuple[str, int, int, float, int]] = []
    if args.facts:
        facts = schema.read_table(Path(args.facts))
        a_path = Path(args.facts).with_name(Path(args.facts).name.replace("facts", "assessments"))
        assessments = schema.read_table(a_path) if a_path.exists() else None
        docs = sorted(facts["doc_id"].unique())
        for share in (0.1, 0.3, 1.0):
            keep = set(docs[: max(1, int(len(docs) * share))])
            f = facts[facts["doc_id"].isin(keep)]
            a = assessments[assessments["doc_id"].isin(keep)] if assessments is not None else None
            seconds, pairs = time_match(f, a)
            runs.append(("real", len(keep), len(f), seconds, pairs))
    else:
        for n in (int(x) for x in args.sizes.split(",")):
            facts, assessments = synthetic_facts(n)
            seconds, pairs = time_match(facts, assessments)
            runs.append(("synthetic", n, len(facts), seconds, pairs))
    print(f"{'input':>9} {'reports':>8} {'facts':>8} {'pairs':>8} {'seconds':>8} {'ms/report':>10} {'time ratio':>10} {'size ratio':>10}")
    prev = None
    for kind, n, nf, seconds, pairs in runs:
        ratio = f"{seconds / prev[1]:.2f}" if prev else ""
        size = f"{n / prev[0]:.2f}" if prev else ""
        print(f"{kind:>9} {n:>8} {nf:>8} {pairs:>8} {seconds:>8.2f} {seconds / n * 1000:>10.2f} {ratio:>10} {size:>10}")
        prev = (n, seconds)
    first, last = runs[0], runs[-1]
    growth = (last[3] / first[3]) / (last[1] / first[1])
    print(f"time per report, largest / smallest: {growth:.2f} (1.0 = linear)")
    print(f"peak RSS: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
