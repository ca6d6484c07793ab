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
# silently. Files are read by format (txt, md, html, csv/jsonl/parquet, docx, pdf), folders recursively.
# Metadata (region, level, parent, year, type) comes from a `metadata.csv` sidecar, the reader's
# front matter or columns, the title and date lines, the text's references to its own government,
# and last the folder and file names; the `*_source` columns say which decided each field.

# %% tags=["parameters"]
corpus_dir = "../seeds"
output_dir = "../outputs"
glob = ""  # e.g. "**/*.md": only the corpus files that match

# %%
from pathlib import Path

from analysis import corpus

out = Path(output_dir)
out.mkdir(parents=True, exist_ok=True)
docs = corpus.load_corpus(corpus_dir, glob=glob or None)
documents = corpus.documents_table(docs)
documents.to_csv(out / "documents.csv", index=False)
documents

# %% [markdown]
# ## Where the metadata came from
#
# How many documents had each field decided by each source (sidecar, front_matter, column, title,
# date_line, self_reference, text_mentions, url_date, path, gazetteer, suffix), and the status of
# every document: `no_metadata` means the year or region is unknown and can be given in `metadata.csv`.

# %%
sources = documents.melt(id_vars="doc_id", value_vars=[c for c in documents.columns if c.endswith("_source")],
                         var_name="field", value_name="source")
sources.assign(source=sources["source"].fillna("unknown")).groupby(["field", "source"]).size().unstack(fill_value=0)

# %%
documents["status"].value_counts()

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
