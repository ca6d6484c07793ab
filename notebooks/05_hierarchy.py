# ---
# jupyter:
#   depends_on:
#   - '01'
#   - '02'
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: depends_on
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 5. Targets across the hierarchy, achievement and bunching
#
# The published findings on growth targets were hand-coded; here they are computed from the facts the
# extractor found, every number traceable to its quotes:
#
# 1. **Hierarchy pairs** — a region's target beside its parent's for the same indicator, rate measure, year
#    and comparator class (prefecture with its province, province with the nation, district or county with
#    its city), and the escalation (层层加码) per level pair and year with 95% intervals from a seeded
#    cluster bootstrap by region (whole regions with all their years are resampled: a region's years are
#    not independent);
# 2. **Achievement** — the target for year Y against the outcome of Y from a later report of the same
#    region (a revised figure replaces a preliminary estimate, and the choice is recorded), met or missed
#    by the rule that scores `targets_vs_outcomes.csv` (a 左右 target is met up to 0.5 pp below it);
# 3. **Bunching** — outcome minus target for GDP growth near zero, tested so that it can say "no bunching";
# 4. **Annual against five-year targets** — annual growth targets against the current plan's average.
#
# Parameters select indicators, levels (`national`, `province`, `prefecture`, `district`, `county`,
# `county_city`), years and regions; empty means all. `gold` may name a hand-coded file (a provincial GDP
# target table, or gold facts) so the tables say which pairs rest on facts a person checked.
# `provincial_gold` names a hand-coded provincial GDP target table (province, year, gdp_growth_target):
# its targets also count as checked, and `gold_escalation.csv` sets the province − nation escalation with
# those targets beside ours on the same province-years; `gold_adjudication` (optional) lists gold errors
# with a reason (`tests/data/provincial_gold_adjudication.csv`) so that such differences are named.

# %% tags=["parameters"]
corpus_dir = "../seeds"
output_dir = "../outputs"
indicators = []  # indicator codes, e.g. ["gdp"]; empty = all
levels = []  # e.g. ["prefecture", "province"]; empty = all
years = []  # e.g. [2015, 2016]; empty = all
regions = []  # e.g. ["河北省"]; empty = all
gold = ""  # optional gold file (province,year,gdp_growth_target or gold facts)
provincial_gold = ""  # optional hand-coded provincial GDP targets (province,year,gdp_growth_target)
gold_adjudication = ""  # optional adjudicated gold errors (province,year,…,reason), with provincial_gold
lang = "zh"  # figure language: "zh" or "en"

# %%
from pathlib import Path

import pandas as pd

from analysis import findings, hierarchy, hierarchy_figures, schema, score
from analysis.figures import save_figure, show_saved

out = Path(output_dir)
facts = schema.read_table(out / "facts.csv")
documents = schema.read_table(out / "documents.csv") if (out / "documents.csv").exists() else None
provincial = hierarchy.read_gold(provincial_gold)
checked_gold = [g for g in (hierarchy.read_gold(gold), provincial) if g is not None]
tables = hierarchy.hierarchy_tables(facts, documents, gold=pd.concat(checked_gold, ignore_index=True)
                                    if checked_gold else None, indicators=indicators,
                                    levels=levels, years=years, regions=regions, provincial_gold=provincial,
                                    adjudication=score.read_adjudication(gold_adjudication) if gold_adjudication
                                    else None)
# Without a provincial gold table there is no gold_escalation.csv (a stale one would be reported as this run's).
(out / "gold_escalation.csv").unlink(missing_ok=True)
written = hierarchy.write_hierarchy_tables(tables, out)
hierarchy.region_table(documents, facts).groupby("level").size()

# %% [markdown]
# ## 1. Hierarchy pairs and escalation
#
# `escalation` is the lower government's target minus its parent's, turned so that positive means stricter
# (for ceilings such as unemployment a lower target is stricter). `checked` says whether a person checked
# the two targets (gold sets) or the pair rests on extraction alone. Rows with `small_n` have fewer than
# ten pairs: numbers to record, not to conclude from.

# %%
tables["hierarchy"]["checked"].value_counts()

# %%
tables["escalation"][tables["escalation"]["year"] == "all"]

# %%
tables["hierarchy"].head(20)

# %%
fig = hierarchy_figures.plot_difference_by_year(tables["hierarchy"], lang=lang)
show_saved(save_figure(fig, out / "figures", "hierarchy_difference_by_year"))

# %%
fig = hierarchy_figures.plot_level_means(tables["level_means"], lang=lang)
show_saved(save_figure(fig, out / "figures", "hierarchy_level_means"))

# %% [markdown]
# ### Beside the hand-coded provincial targets
#
# With `provincial_gold`, each province-year of the hand-coded table: our national target, our provincial
# target and the hand-coded one, both escalations, and how the two provincial values relate (`same`,
# `coding` for a range's midpoint or X以上 as X + 0.05, `gold_error` and `file_year` from the adjudication
# file, `differs`; without a pair of ours: `no_national`, `no_provincial`, `other_class`).

# %%
gold_found = findings.gold_escalation(tables.get("gold_escalation"))
{k: v for k, v in gold_found.stats.items() if not k.startswith("_")} if gold_found.assessed else gold_found.reason

# %% [markdown]
# ## 2. Achievement, by level and period
#
# `outcome_choice`: `revised` (a later figure replaced a preliminary estimate), `latest`, `estimate_only`
# (only a preliminary estimate exists) or `only`. `status` comes from `match.score_outcome`: `met`,
# `missed`, or `not_comparable` (an outcome stated only as a bound that does not settle it, left out of
# the shares).

# %%
tables["achievement_rates"]

# %%
tables["achievement"][["outcome_choice", "status"]].value_counts()

# %% [markdown]
# ## 3. Bunching: outcome minus target for GDP growth
#
# The histogram has a bin edge at 0. The test compares the counts just above and just below the target
# (an exact binomial test against one half): `no_bunching` when they do not differ, `too_few` when the
# two bands hold fewer than ten gaps.

# %%
tables["bunching"]

# %%
gdp_gaps = tables["achievement"].query("indicator == 'gdp' and measure == 'growth_pct'")["gap"]
fig = hierarchy_figures.plot_gap_histogram(gdp_gaps, lang=lang)
show_saved(save_figure(fig, out / "figures", "hierarchy_gap_histogram"))

# %% [markdown]
# ## 4. Annual targets against the five-year plan

# %%
tables["annual_vs_plan_summary"]

# %% [markdown]
# ## Beside the literature
#
# Each paper's own figure (or that it could not be verified), ours, N and years; the same rows are in
# `findings.csv`, which the report step writes.

# %%
found = findings.all_findings({"facts": facts, "documents": documents, "hierarchy": tables["hierarchy"],
                               "gold_escalation": tables.get("gold_escalation")})
findings.comparisons(found)
