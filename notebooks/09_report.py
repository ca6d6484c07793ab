# ---
# jupyter:
#   depends_on:
#   - '01'
#   - '02'
#   - '03'
#   - '04'
#   - '05'
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
# # 9. The written report
#
# Assembles `report.md`, a self-contained `report.html` and `report.pdf` from the tables and figures
# the earlier notebooks wrote. Every number in the text is read from those tables.

# %% tags=["parameters"]
output_dir = "../outputs"
lang = "zh"  # "zh" or "en"
title = ""  # empty = the default title for the language
gold = ""  # optional gold facts CSV, for the extraction-quality section

# %%
from pathlib import Path

from analysis import report

paths = report.build_report(Path(output_dir), lang=lang, title=title or None, gold=Path(gold) if gold else None)
{k: str(v) for k, v in paths.items()}

# %%
from IPython.display import Markdown

Markdown(paths["md"].read_text(encoding="utf-8"))
