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

# %%
from pathlib import Path

from analysis import corpus

out = Path(output_dir)
out.mkdir(parents=True, exist_ok=True)
docs = corpus.load_corpus(corpus_dir)
documents = corpus.documents_table(docs)
documents.to_csv(out / "documents.csv", index=False)
documents

# %% [markdown]
# ## What normalisation removed
#
# One row per removed span: why it was removed and how it began. Reasons include navigation,
# forum panels, spam banners, footers, page furniture and repeated paragraphs.

# %%
removed = corpus.removed_spans_table(docs)
removed.to_csv(out / "removed_spans.csv", index=False)
removed.groupby(["doc_id", "reason"]).agg(spans=("chars", "size"), chars=("chars", "sum"))

# %%
removed.head(20)

# %% [markdown]
# ## The clean text the extractor sees
#
# Each document's clean text is written to `clean/<doc_id>.txt` under the output folder.

# %%
paths = corpus.write_normalized(docs, out / "clean")
[p.name for p in paths]
