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

# %%
from pathlib import Path

from analysis import extract, figures, filters, match

out = Path(output_dir)
facts = extract.read_table(out / "facts.csv")
assessments = extract.read_table(out / "assessments.csv")
tvo = match.match_targets(facts, assessments)
panel = match.build_panel(tvo)
written = match.write_match_outputs(tvo, panel, out)
shown = filters.select_rows(tvo, regions=regions, years=years, indicators=indicators)
match.summarise_matches(shown)

# %% [markdown]
# ## Every pair, with the evidence on both sides

# %%
shown[["region", "indicator", "measure", "period", "target_period", "comparator", "target_value",
       "outcome_value", "gap", "status", "report_assessment", "target_quote", "outcome_quote"]]

# %% [markdown]
# ## The panel: one row per region and year, ready for regression

# %%
panel

# %% [markdown]
# ## Figures
#
# Pending targets are drawn as pending (hollow markers), not left out.

# %%
figures.use_cjk_font()
for name, fig in [
    ("gdp_target_vs_outcome", figures.plot_gdp_target_vs_outcome(shown)),
    ("gap_by_indicator", figures.plot_gap_by_indicator(shown)),
    ("targets_across", figures.plot_targets_across(shown)),
    ("outcomes_across", figures.plot_outcomes_across(shown)),
]:
    figures.save_figure(fig, out / "figures", name)
    display(fig)  # noqa: F821 (IPython)
