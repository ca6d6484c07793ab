# ---
# jupyter:
#   depends_on:
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
# # 3. Targets against outcomes
#
# A target (region, indicator, measure, period) meets the outcome of the same key wherever each was
# found: the target in the report of year P, the outcome usually in the report of year P+1, a
# five-year average target against each year inside the span. Every pair gets a gap and a status
# (met, missed, pending, no_target); the report's own assessment (高于预期, 目标完成率) sits beside ours.

# %% tags=["parameters"]
corpus_dir = "../seeds"
output_dir = "../outputs"
regions = []  # e.g. ["荔湾区"]; empty = all
years = []  # periods to show, e.g. ["2021"]; empty = all
indicators = []  # indicator codes; empty = all
max_regions = 12  # per-region figures show the regions with the most pairs
max_periods = 8  # ... over the latest years

# %%
from pathlib import Path

import pandas as pd

from analysis import figures, filters, match, schema

out = Path(output_dir)
facts = schema.read_table(out / "facts.csv")
assessments = schema.read_table(out / "assessments.csv")
tvo = match.match_targets(facts, assessments)
panel = match.build_panel(tvo)
written = match.write_match_outputs(tvo, panel, out)
shown = filters.select_rows(tvo, regions=regions, years=years, indicators=indicators)
match.summarise_matches(shown)

# %% [markdown]
# ## Every pair, with the evidence on both sides

# %%
shown[["region", "indicator", "measure", "period", "target_period", "comparator", "target_value",
       "outcome_value", "gap", "status", "report_assessment", "target_quote", "outcome_quote"]].head(50)

# %% [markdown]
# ## The panel: one row per region and year, ready for regression

# %%
panel.head(50)

# %% [markdown]
# ## Figures
#
# Pending targets are drawn as pending (hollow markers), not left out. Figures with one row or column
# per region show the `max_regions` regions with the most pairs over the `max_periods` latest years
# (the heatmaps the nine indicators with the most cells); the distributions by year and level
# and the small multiples by province use every pair (levels and provinces come from the documents
# table, or the level from the region's name when the table has no `level`).

# %%
documents = pd.read_csv(out / "documents.csv", dtype=str) if (out / "documents.csv").exists() else None
per_region = figures.limit_periods(figures.limit_regions(shown, max_regions), max_periods)
drawn = [
    ("gdp_target_vs_outcome", figures.plot_gdp_target_vs_outcome(per_region)),
    ("gap_by_indicator", figures.plot_gap_by_indicator(shown)),
    ("targets_across", figures.plot_targets_across(per_region)),
    ("outcomes_across", figures.plot_outcomes_across(per_region)),
    ("target_distribution", figures.plot_target_distribution(shown, documents)),
    ("target_vs_outcome_by_level", figures.plot_target_vs_outcome_by_level(shown, documents)),
]
if documents is not None and "parent" in documents.columns:
    drawn.append(("gdp_by_province", figures.plot_gdp_by_province(shown, documents)))
figures.use_cjk_font()
for name, fig in drawn:
    display(figures.show_saved(figures.save_figure(fig, out / "figures", name)))  # noqa: F821 (IPython)
