# ---
# jupyter:
#   depends_on: []
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
# # 1. The corpus: what was read, and what normalisation did
#
# Every report is read as it was found (scraped pages, mirrors, traditional script), decoded,
# converted to simplified Chinese, and stripped of what is not the report: navigation, forum panels,
# spam banners, footers and repeated paragraphs. Each removed span is recorded, so nothing disappears
# silently. Metadata (region, year, type) is read from the text itself, never from the file name.

# %% tags=["parameters"]
corpus_dir = "../seeds"
output_dir = "../outputs"
jobs = 0  # worker processes for reading, extraction and tokenizing (0 = the cores available)
use_cache = True  # reuse per-document results cached under output_dir/cache

# %%
from pathlib import Path

from analysis import parallel

out = Path(output_dir)
out.mkdir(parents=True, exist_ok=True)
# Reads, extracts and tokenizes every report once (in parallel); the later notebooks reuse the cache.
run = parallel.process_corpus(corpus_dir, out, jobs=jobs, use_cache=use_cache, progress=True)
print(f"{len(run.docs)} documents, {run.read} read now, {len(run.docs) - run.read} from the cache")
documents = run.documents_table()
documents.to_csv(out / "documents.csv", index=False)
documents.head(50)

# %% [markdown]
# ## What normalisation removed
#
# One row per removed span: why it was removed and how it began. Reasons include navigation,
# forum panels, spam banners, footers, page furniture and repeated paragraphs.

# %%
removed = run.removed_spans_table()
removed.to_csv(out / "removed_spans.csv", index=False)
removed.groupby("reason").agg(documents=("doc_id", "nunique"), spans=("chars", "size"), chars=("chars", "sum"))

# %%
removed.head(20)

# %% [markdown]
# ## The clean text the extractor sees
#
# Each document's clean text is written to `clean/<doc_id>.txt` under the output folder.

# %%
paths = run.write_clean(out / "clean")
print(f"{len(paths)} clean texts written")
