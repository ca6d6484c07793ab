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
# # 4. Policy emphasis: what each district stresses
#
# The clean texts are cut into words as jieba cuts them (by rjieba, its faster Rust port, checked to give
# the same words on the whole corpus), with a user dictionary of the genre's fixed terms
# (老城市新活力, 营商环境, 微改造 …). A documented lexicon maps policy areas to terms; mentions are
# counted per 10,000 characters so documents of different lengths compare. Distinctive terms per
# region are weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008).

# %% tags=["parameters"]
corpus_dir = "../seeds"
output_dir = "../outputs"
regions = []  # empty = all
years = []  # report years; empty = all
areas = []  # policy-area codes; empty = all
max_reports = 20  # the heatmap shows one column per report up to this many
max_regions = 9  # per-region figures show the regions with the most rows
kwic_per_term = 50  # keywords-in-context lines kept per term (the first in document order)
jobs = 0  # worker processes (0 = the cores available)
use_cache = True  # reuse the per-document results notebook 01 cached
glob = ""  # e.g. "**/*.md": only the corpus files that match
cache_dir = ""  # where per-document results are cached ("" = output_dir/cache; the pipeline sets it)

# %%
from pathlib import Path

from analysis import figures, parallel, schema, text

out = Path(output_dir)
run = parallel.process_corpus(corpus_dir, out, jobs=jobs, use_cache=use_cache, glob=glob or None,
                             cache_dir=cache_dir or None)
emphasis, distinctive, kwic = run.text_tables(regions=regions, years=years, kwic_per_term=kwic_per_term)
commitments = text.commitments_by_area(schema.read_table(out / "facts.csv"))
if areas:
    emphasis, kwic, commitments = (t[t["area"].isin(areas)] for t in (emphasis, kwic, commitments))
for name, table in (("emphasis", emphasis), ("distinctive", distinctive), ("kwic", kwic),
                    ("commitments", commitments)):
    schema.write_table(table, out / f"{name}.csv", name)
emphasis.groupby("area")["per_10k"].describe().round(2)

# %% [markdown]
# ## Figures

# %%
# One column per report up to max_reports, else the mean of each year's reports; distinctive terms
# of the max_regions regions with the most rows; commitments by level when there are more regions.
figures.use_cjk_font()
heat = emphasis if emphasis["doc_id"].nunique() <= max_reports else figures.emphasis_by_year(emphasis)
for name, fig in [
    ("emphasis_heatmap", figures.plot_emphasis_heatmap(heat)),
    ("distinctive_terms", figures.plot_distinctive_terms(figures.limit_regions(distinctive, max_regions))),
    ("commitments_by_area", figures.plot_commitments_by_area(
        commitments if commitments["region"].nunique() <= max_regions else figures.regions_as_levels(commitments))),
]:
    display(figures.show_saved(figures.save_figure(fig, out / "figures", name)))  # noqa: F821 (IPython)

# %% [markdown]
# ## What the counts mean: keywords in context
#
# A few mentions per area, with their sentence, so a reader can check what is being counted.

# %%
kwic.groupby("area").head(2)[["doc_id", "area", "term", "left", "keyword", "right"]]
