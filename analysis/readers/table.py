"""Tables with one report per row (``.csv``, ``.tsv``, ``.jsonl``, ``.parquet``).

Columns are recognised by common names (case-insensitive): the text in ``full_text``, ``content``,
``text``, ``正文`` …; ``title``; the region in the most specific of ``county``/``district``/``city``/
``province``/``region``/``地区`` … (the next one up becomes the parent hint); ``year``/``年份``;
``date``; ``url``; ``doc_type``; an ``id`` column names the row in the doc_id (else its 1-based row
number). A table without a text column gives one record with a problem naming the columns looked for.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from . import Record
from ._decode import decode_or_record

EXTENSIONS = (".csv", ".tsv", ".jsonl", ".ndjson", ".parquet")

TEXT_COLUMNS = ("full_text", "fulltext", "content", "text", "body", "article", "正文", "全文", "内容", "文本")
TITLE_COLUMNS = ("title", "标题", "题目", "name", "名称")
# Most specific first: the first present is the region, the next present one its parent.
REGION_COLUMNS = (("county", "区县", "县"), ("district", "区"), ("city", "prefecture", "城市", "地市", "市"),
                  ("province", "省份", "省"), ("region", "area", "place", "地区", "地名", "行政区"))
YEAR_COLUMNS = ("year", "report_year", "年份", "年度", "年")
DATE_COLUMNS = ("date", "meeting_date", "publish_date", "pub_date", "日期", "发布日期")
URL_COLUMNS = ("url", "link", "source", "source_url", "链接", "网址", "来源")
TYPE_COLUMNS = ("doc_type", "type", "类型", "文种")
ID_COLUMNS = ("doc_id", "id", "编号")


def _find(columns: dict[str, str], names: tuple[str, ...]) -> str | None:
    for n in names:
        if n in columns:
            return columns[n]
    return None


def _frame(path: Path, data: bytes):
    import pandas as pd

    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return pd.read_parquet(io.BytesIO(data))
    got = decode_or_record(data)
    if isinstance(got, Record):
        return got
    text, _ = got
    if suffix in (".jsonl", ".ndjson"):
        return pd.read_json(io.StringIO(text), lines=True, dtype=False)
    return pd.read_csv(io.StringIO(text), sep="\t" if suffix == ".tsv" else ",", dtype=str,
                       keep_default_na=False)


def _cell(row, col: str | None) -> str:
    if col is None:
        return ""
    v = row[col]
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def read(path: Path, data: bytes) -> list[Record]:
    try:
        df = _frame(path, data)
    except Exception as exc:  # malformed table
        return [Record(status="undecodable", problem=f"not a readable table ({type(exc).__name__}: {exc})")]
    if isinstance(df, Record):
        return [df]
    columns = {str(c).strip().lower(): c for c in df.columns}
    text_col = _find(columns, TEXT_COLUMNS)
    if text_col is None:
        return [Record(status="not_a_report",
                       problem=f"no text column (looked for {', '.join(TEXT_COLUMNS)}; found {', '.join(map(str, df.columns))})")]
    region_cols = [c for group in REGION_COLUMNS if (c := _find(columns, group)) is not None]
    fields = {"title": _find(columns, TITLE_COLUMNS), "year": _find(columns, YEAR_COLUMNS),
              "date": _find(columns, DATE_COLUMNS), "url": _find(columns, URL_COLUMNS),
              "doc_type": _find(columns, TYPE_COLUMNS)}
    id_col = _find(columns, ID_COLUMNS)
    records = []
    for i, (_, row) in enumerate(df.iterrows(), start=1):
        hints = {k: v for k, c in fields.items() if (v := _cell(row, c))}
        regions = [v for c in region_cols if (v := _cell(row, c))]
        if regions:
            hints["region"] = regions[0]
            if len(regions) > 1:
                hints["parent"] = regions[1]
        key = _cell(row, id_col) if id_col else ""
        key = re.sub(r"[\\/:*?\"<>|\s]+", "_", key) or str(i)
        text = _cell(row, text_col)
        rec = Record(text=text, encoding="table", hints=hints, hint_source="column", key=key, row=i)
        if not text:
            rec.status, rec.problem = "empty", f"row {i} has an empty {text_col}"
        records.append(rec)
    if not records:
        return [Record(status="empty", problem="the table has no rows")]
    return records
