"""Agreement of our GDP growth targets with the literature's hand-coded provincial targets, and coverage.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_provincial.py [--corpus /tmp/gwr] [--shared ../shared]
        [--coverage] [--out /tmp/provincial.csv]

1. Agreement: for each of the province-years of ``gold/provincial_gdp_targets.csv`` that name a report
   (``corpus_path``), the report-year GDP growth target we extract (stated, not stretch, not derived; a
   range compared by its midpoint, ``X以上`` as X or X+0.05, as the gold codes them) against the gold.
   A disagreement counts as agreement only when the case is listed with a written reason in
   ``tests/data/provincial_gold_adjudication.csv`` (or ``--extra-adjudication``) and we extract the
   text's value. Goal: >= 97%.
2. ``--coverage``: the share of work reports from 2000 on, in all four folders, where a GDP growth
   target for the report's year is found (goal >= 97%), with the years that state none listed.

The corpus is the unpacked shared archives (``/tmp/gwr`` or ``$GWR_CORPUS``); the gold is read from
``--shared`` (default ``$GWR_SHARED`` or ``../shared``).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

import pandas as pd

from analysis.extract import extract_document
from analysis.score import corpus_report, headline_growth_target, provincial_agreement, read_adjudication

REPO = Path(__file__).resolve().parents[1]


def coverage(root: Path, since: int = 2000) -> pd.DataFrame:
    """One row per work report from ``since`` on: whether its report-year GDP growth target is found."""
    rows = []
    for path in sorted(root.glob("政府工作报告-*/**/*.md")):
        rel = str(path.relative_to(root))
        m = re.match(r"(\d{4})", path.stem)
        if not m or int(m.group(1)) < since:
            continue
        doc = corpus_report(root, rel)
        facts = extract_document(doc)[0] if doc.ok else []
        fact = headline_growth_target(facts, doc.report_year) if doc.report_year else None
        rows.append({"doc_id": doc.doc_id, "folder": rel.split("/")[0], "region": doc.region,
                     "report_year": doc.report_year, "status": doc.status, "found": fact is not None,
                     "value": None if fact is None else fact["value"],
                     "any_gdp_target": any(f["indicator"] == "gdp" and f["role"] == "target" for f in facts)})
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=os.environ.get("GWR_CORPUS", "/tmp/gwr"))
    parser.add_argument("--shared", default=os.environ.get("GWR_SHARED", str(REPO / ".." / "shared")))
    parser.add_argument("--extra-adjudication", default=None)
    parser.add_argument("--coverage", action="store_true")
    parser.add_argument("--out", default=None, help="write the per-province-year table here")
    args = parser.parse_args()
    root, shared = Path(args.corpus), Path(args.shared)
    gold_path = shared / "gold" / "provincial_gdp_targets.csv"
    if not gold_path.exists() or not root.exists():
        sys.exit(f"{gold_path if not gold_path.exists() else root}: not found (set --shared / --corpus)")

    start = time.perf_counter()
    adjudication = read_adjudication(REPO / "tests" / "data" / "provincial_gold_adjudication.csv",
                                     *([args.extra_adjudication] if args.extra_adjudication else []))
    table = provincial_agreement(root, pd.read_csv(gold_path), adjudication)
    counts = Counter(table["status"])
    n = len(table)
    agree = counts["agree"] + counts["adjudicated"]
    print(f"province-years with a report: {n}; agree {counts['agree']}, adjudicated gold errors "
          f"{counts['adjudicated']}, disagree {counts['disagree']}, no target found {counts['missing']}")
    print(f"agreement: {agree / n:.1%} (goal >= 97%), {time.perf_counter() - start:.0f} s")
    if args.out:
        table.to_csv(args.out, index=False)
    with pd.option_context("display.width", 200, "display.max_colwidth", 50, "display.max_rows", 200):
        bad = table[table["status"].isin(["disagree", "missing"])]
        if len(bad):
            print(bad[["province", "year", "gold", "extracted", "extracted_high", "comparator", "source", "quote"]]
                  .to_string(index=False))

    if args.coverage:
        start = time.perf_counter()
        cov = coverage(root)
        ok = cov[cov["status"] == "ok"]
        print(f"\ncoverage: {ok['found'].mean():.1%} of {len(ok)} readable work reports from 2000 on state a "
              f"report-year GDP growth target we extract (goal >= 97%; {len(cov) - len(ok)} unreadable), "
              f"{time.perf_counter() - start:.0f} s")
        print(ok.groupby("folder")["found"].agg(["mean", "size"]).to_string())
        missing = ok[~ok["found"]]
        print("\nreports without a found target, by year:")
        print(missing.groupby("report_year").size().to_string())
        if args.out:
            cov.to_csv(Path(args.out).with_name(Path(args.out).stem + "_coverage.csv"), index=False)


if __name__ == "__main__":
    main()
