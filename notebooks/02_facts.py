# ---
# jupyter:
#   depends_on:
#   - '01'
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
# # 2. Facts: every headline target and outcome, with its source quote
#
# Each number a report states about its own region becomes one row of the facts table: the
# indicator, whether it is a target or an outcome, the period, the qualifier (左右, 以上, 力争 …),
# and the exact quote with its position in the clean text and in the raw file. Statements that
# judge a result (高于预期, 目标完成率, 超额完成) go to the assessments table.

# %% tags=["parameters"]
corpus_dir = "../seeds"
output_dir = "../outputs"
glob = ""  # e.g. "**/*.md": only the corpus files that match
jobs = 0  # worker processes (0 = the cores available)
use_cache = True  # reuse the per-document results notebook 01 cached
cache_dir = ""  # where per-document results are cached ("" = output_dir/cache; the pipeline sets it)
gold = ""  # optional: a gold facts CSV (e.g. ../tests/data/seed_facts.csv)

# %%
from pathlib import Path

from analysis import parallel, schema, scorefile

out = Path(output_dir)
out.mkdir(parents=True, exist_ok=True)
facts, assessments = parallel.process_corpus(corpus_dir, out, jobs=jobs, use_cache=use_cache, glob=glob or None,
                                                    cache_dir=cache_dir or None).facts_tables()
for name, table in (("facts", facts), ("assessments", assessments)):
    schema.write_table(table, out / f"{name}.csv")
    schema.write_table(table, out / f"{name}.parquet")
print(f"{len(facts)} facts and {len(assessments)} assessments from {facts['doc_id'].nunique()} documents")

# %% [markdown]
# ## Facts per indicator and role

# %%
facts.pivot_table(index="indicator", columns="role", values="quote", aggfunc="count", fill_value=0)

# %%
facts[["doc_id", "role", "period", "indicator", "measure", "value", "unit", "comparator", "quote"]].head(30)

# %%
assessments[["doc_id", "period", "indicator", "kind", "value", "quote"]]

# %% [markdown]
# ## Extraction quality against a gold file
#
# When a hand-checked gold file is given, precision, recall and F1 are computed on the codebook
# indicators, and every miss and false positive is listed with its quote.

# %%
if gold:
    result, score_text = scorefile.write_score(out, Path(gold))  # score.json (read by the report), score.txt
    print(score_text)
else:
    print("No gold file given: extraction quality is not scored.")
