"""The README's "Findings from the hierarchy" table, measured from a pipeline output folder.

Usage:
    PYTHONPATH=. python benchmarks/hierarchy_findings.py [--out /tmp/corpus_out] [--shared ../shared]
        [--sample 20 --corpus /tmp/gwr]

Reads ``facts.csv`` and ``documents.csv`` of a run (nothing is re-extracted), recomputes the hierarchy
tables with this checkout's ``analysis.hierarchy`` and prints the table rows in Markdown, so the README
can be refreshed in one command after the extractor changes. Which pairs rest on facts a person
checked is counted against two gold sets, kept apart because they were checked differently:

- ``quote``: the hand-coded corpus sample (``tests/data/corpus_sample_facts_*.csv``), every fact located
  in its report by offsets and a hash of its quote;
- ``provincial``: the hand-coded provincial GDP targets (``<shared>/gold/provincial_gdp_targets.csv``),
  one target per province-year, coded from the report by a person but without a quote.

``--sample N`` also prints N random GDP hierarchy and achievement rows (seeded) with the quote text
found at their offsets in the corpus, for checking by eye.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from analysis import findings, hierarchy  # noqa: E402
from analysis.findings import fmt_number, fmt_p  # noqa: E402
from analysis.schema import read_table  # noqa: E402
from analysis.score import read_adjudication  # noqa: E402

QUOTE_GOLD = ("corpus_sample_facts_provinces.csv", "corpus_sample_facts_cities.csv")


def quote_gold() -> pd.DataFrame:
    """The corpus-sample gold facts (both files) as one gold table."""
    tables = [pd.read_csv(REPO / "tests" / "data" / name, dtype=str, keep_default_na=False) for name in QUOTE_GOLD]
    return pd.concat(tables, ignore_index=True)


def provincial_gold(shared: Path) -> pd.DataFrame | None:
    path = shared / "gold" / "provincial_gdp_targets.csv"
    return hierarchy.read_gold(str(path)) if path.exists() else None


def _pct(part: int, whole: int) -> str:
    return fmt_number(100.0 * part / whole, 1) if whole else "–"


def _interval(low: float, high: float, decimals: int = 2) -> str:
    return f"[{fmt_number(low, decimals)}, {fmt_number(high, decimals)}]"


def _checked_counts(table: pd.DataFrame) -> str:
    counts = table["checked"].value_counts()
    return ", ".join(f"{k} {int(counts.get(k, 0))}" for k in ("both", "one", "disagrees"))


def _gold_escalation_row(facts: pd.DataFrame, documents: pd.DataFrame, gold_p: pd.DataFrame | None) -> str:
    """The findings' gold_escalation row: both escalations with intervals, and why provincial values differ."""
    if gold_p is None:
        return "no provincial gold table"
    adjudication = read_adjudication(REPO / "tests" / "data" / "provincial_gold_adjudication.csv")
    f = findings.gold_escalation(hierarchy.gold_escalation_pairs(facts, documents, gold_p, adjudication))
    s = f.stats
    if not f.assessed:
        return f"not assessed ({f.reason})"

    def side(p: str, name: str) -> str:
        return (f"{name} mean +{fmt_number(s[f'{p}_mean'])} pp {_interval(s[f'{p}_mean_low'], s[f'{p}_mean_high'])}, "
                f"{fmt_number(s[f'{p}_share_above'], 1)}% higher, {fmt_number(s[f'{p}_share_equal'], 1)}% equal, "
                f"{fmt_number(s[f'{p}_share_below'], 1)}% lower")

    return (f"{s['n']} of the gold's {s['gold_province_years']} province-years ({s['regions']} provinces, "
            f"{s['first_year']}–{s['last_year']}; the other {s['not_paired']} have no pair of ours: no national target "
            f"{s['no_national']}, no provincial target {s['no_provincial']}, comparator classes differ "
            f"{s['other_class']}), both against our "
            f"national target: {side('gold', 'hand-coded')}; {side('ours', 'extracted')}; ours − hand-coded "
            f"{fmt_number(s['diff_mean'])} pp {_interval(s['diff_mean_low'], s['diff_mean_high'])}; provincial "
            f"values differ in {s['values_differ']} ({s['coding']} only by the gold's coding of ranges and 以上, "
            f"{s['gold_error']} adjudicated gold errors, {s['file_year']} next year's report in the file, "
            f"{s['differs']} other)")


def measure(out: Path, shared: Path) -> tuple[list[tuple[str, str]], dict[str, pd.DataFrame]]:
    facts = read_table(out / "facts.csv")
    documents = read_table(out / "documents.csv")
    gold_q, gold_p = quote_gold(), provincial_gold(shared)
    both = pd.concat([g for g in (gold_q, gold_p) if g is not None], ignore_index=True)
    tables = hierarchy.hierarchy_tables(facts, documents, gold=both, indicators=["gdp"])
    pairs, ach = tables["hierarchy"], tables["achievement"]
    rows: list[tuple[str, str]] = []

    gdp_pairs = pairs[(pairs["indicator"] == "gdp") & (pairs["measure"] == "growth_pct")]
    esc = findings.escalation(facts, documents, pairs=gdp_pairs)
    s = esc.stats
    for lp, label in (("prefecture_province", "escalation of GDP growth targets, prefecture − province"),
                      ("province_national", "escalation, province − nation")):
        if f"{lp}_n" not in s:
            rows.append((label, "no pairs"))
            continue
        rows.append((label, f"{s[f'{lp}_n']:,} pairs, {s[f'{lp}_regions']} regions, {s[f'{lp}_first_year']}–"
                            f"{s[f'{lp}_last_year']}: mean +{fmt_number(s[f'{lp}_mean'])} pp "
                            f"{_interval(s[f'{lp}_mean_low'], s[f'{lp}_mean_high'])}; "
                            f"{fmt_number(s[f'{lp}_share_above'], 1)}% higher "
                            f"{_interval(s[f'{lp}_share_above_low'], s[f'{lp}_share_above_high'], 1)}, "
                            f"{fmt_number(s[f'{lp}_share_equal'], 1)}% equal, "
                            f"{fmt_number(s[f'{lp}_share_below'], 1)}% lower"))

    rows.append(("escalation, province − nation, hand-coded (Li et al.) vs extracted provincial targets on the "
                 "same province-years", _gold_escalation_row(facts, documents, gold_p)))

    gdp_ach = ach[(ach["indicator"] == "gdp") & (ach["measure"] == "growth_pct")]
    a = findings.achievement(facts, documents, pairs=gdp_ach).stats
    parts = [f"{a['pairs']:,} pairs scored ({a['not_comparable']} with an outcome stated only as a bound left out), "
             f"{fmt_number(a['share_met_pct'], 1)}% met"]
    for level, name in (("province", "provinces"), ("prefecture", "prefectures")):
        bits = []
        for pg, when in ((f"before_{hierarchy.PERIOD_SPLIT_YEAR}", "before 2013"),
                         (f"from_{hierarchy.PERIOD_SPLIT_YEAR}", "from 2013")):
            key = f"{level}_{pg}"
            if f"{key}_n" in a:
                bits.append(f"{fmt_number(a[f'{key}_share_met'], 1)}% {_interval(a[f'{key}_low'], a[f'{key}_high'], 1)} "
                            f"{when} (N = {a[f'{key}_n']})")
        if bits:
            parts.append(f"{name} " + ", ".join(bits))
    rows.append(("GDP targets met (outcome from a later report of the same region; approx targets within 0.5 pp)",
                 "; ".join(parts)))

    b = findings.bunching(facts, documents, pairs=gdp_ach).stats
    scored = hierarchy.scored(gdp_ach)
    hits = scored[pd.to_numeric(scored["gap"], errors="coerce").round(6) == 0]
    rows.append(("bunching of outcome − target in [0, 0.5) vs [−0.5, 0)",
                 f"{b['just_above']} vs {b['just_below']} (p {fmt_p(b['p_value'])}); final figures only "
                 f"{b['final_just_above']} vs {b['final_just_below']} (p {fmt_p(b['final_p_value'])}); without the "
                 f"{len(hits)} exact hits ({int(hits['outcome_estimate'].astype(bool).sum())} of them preliminary "
                 f"estimates) {b['nonzero_just_above']} vs {b['nonzero_just_below']} "
                 f"(p {fmt_p(b['nonzero_p_value'])})"))

    plan = tables["annual_vs_plan_summary"].set_index("level")
    bits = [f"{name} {fmt_number(plan.loc[lv, 'share_equal'], 1)}% (N = {plan.loc[lv, 'n']})"
            for lv, name in (("province", "provinces"), ("prefecture", "prefectures")) if lv in plan.index]
    rows.append(("annual GDP target equal to the plan's average", ", ".join(bits) or "no pairs"))

    # which pairs rest on checked facts, per gold set (all indicators for the hierarchy pairs)
    all_pairs = {name: hierarchy.hierarchy_pairs(facts, documents, gold=g) for name, g in
                 (("quote", gold_q), ("provincial", gold_p))}
    all_ach = {name: hierarchy.achievement_pairs(facts, documents, gold=g, indicators=["gdp"]) for name, g in
               (("quote", gold_q), ("provincial", gold_p))}
    n_pairs = len(next(iter(all_pairs.values())))
    checked = "; ".join(f"{name} gold: target pairs {_checked_counts(all_pairs[name])}, "
                        f"GDP achievement pairs {_checked_counts(all_ach[name])}"
                        for name in ("quote", "provincial"))
    rows.append(("pairs resting on facts a person checked",
                 f"of {n_pairs:,} target pairs (all indicators) and {len(gdp_ach):,} GDP achievement pairs — {checked}; "
                 "the rest rest on extraction alone"))
    return rows, {"hierarchy": gdp_pairs, "achievement": gdp_ach, "facts": facts}


def print_table(rows: list[tuple[str, str]]) -> None:
    print("| finding | result |\n|---|---|")
    for name, text in rows:
        print(f"| {name} | {text} |")


def _quote_at(corpus: Path, doc_id: str, quote: str, span: tuple[int, int] | None, width: int = 50) -> str:
    """The fact's clause as it stands in the report file (its raw offsets index the decoded file), with
    ``width`` characters either side, for reading by eye beside the (normalised) quote."""
    path = corpus / f"{doc_id}.md"
    if not path.exists() or not quote or span is None:
        return "(file or quote missing)"
    text = path.read_text(encoding="utf-8", errors="replace")
    a, b = span
    return (text[max(0, a - width):a] + "【" + text[a:b] + "】" + text[b:b + width]).replace("\n", " ")


def print_sample(tables: dict[str, pd.DataFrame], corpus: Path, n: int, seed: int = 20260101) -> None:
    facts = tables["facts"]
    spans = {(d, q): (int(a), int(b)) for d, q, a, b in
             zip(facts["doc_id"], facts["quote"], facts["raw_start"], facts["raw_end"])}

    def show(label: str, doc_id: str, quote: str) -> None:
        print(f"  {label} [{doc_id}]: {_quote_at(corpus, doc_id, quote, spans.get((doc_id, quote)))}")

    for name in ("hierarchy", "achievement"):
        t = tables[name]
        pick = t.sample(min(n // 2, len(t)), random_state=np.random.RandomState(seed))
        print(f"\n## {len(pick)} random {name} rows")
        for r in pick.itertuples():
            if name == "hierarchy":
                print(f"\n{r.region} ({r.region_level}) {r.period}: {r.value} {r.comparator} vs {r.parent} "
                      f"{r.parent_value} {r.parent_comparator}")
                show("region", r.doc_id, r.quote)
                show("parent", r.parent_doc_id, r.parent_quote)
            else:
                print(f"\n{r.region} ({r.level}) {r.year}: target {r.target_value} {r.comparator}, outcome "
                      f"{r.outcome_value} ({r.outcome_choice}) -> {r.status}")
                show("target", r.target_doc_id, r.target_quote)
                show("outcome", r.outcome_doc_id, r.outcome_quote)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="/tmp/corpus_out", help="a pipeline output folder (facts.csv, documents.csv)")
    parser.add_argument("--shared", default=os.environ.get("GWR_SHARED", str(REPO / ".." / "shared")))
    parser.add_argument("--sample", type=int, default=0, help="also print N random rows with their corpus text")
    parser.add_argument("--corpus", default=os.environ.get("GWR_CORPUS_DIR", "/tmp/gwr"))
    args = parser.parse_args()
    rows, tables = measure(Path(args.out), Path(args.shared))
    print_table(rows)
    if args.sample:
        print_sample(tables, Path(args.corpus), args.sample)


if __name__ == "__main__":
    main()
