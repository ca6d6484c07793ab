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
jobs = 0  # worker processes for reading, extraction and tokenizing (0 = the cores available)
use_cache = True  # reuse per-document results cached under output_dir/cache
cache_dir = ""  # where per-document results are cached ("" = output_dir/cache; the pipeline sets it)

# %%
from pathlib import Path

from analysis import parallel, schema

out = Path(output_dir)
out.mkdir(parents=True, exist_ok=True)
# Reads, extracts and tokenizes every report once (in parallel); the later notebooks reuse the cache.
run = parallel.process_corpus(corpus_dir, out, jobs=jobs, use_cache=use_cache, progress=True, glob=glob or None,
                              cache_dir=cache_dir or None)
print(f"{len(run.docs)} documents, {run.read} read now, {len(run.docs) - run.read} from the cache")
documents = run.documents_table()
schema.write_table(documents, out / "documents.csv", "documents")
documents.head(50)

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
removed = run.removed_spans_table()
schema.write_table(removed, out / "removed_spans.csv", "removed_spans")
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
