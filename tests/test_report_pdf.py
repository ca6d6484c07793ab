"""The PDF's tables: column widths computed from the cells' text, the fixed layout WeasyPrint prints
them with (no text outside its cell or the page, short values on one line), and a reproducible PDF."""

from __future__ import annotations

import html
import re
import warnings

import pandas as pd
import pytest

from _pdf_layout import assert_nothing_overflows, boxes_of, cell_text, lines_in
from analysis import report

QUOTE = "全年地区生产总值增长百分之六左右，一般公共预算收入增长百分之五，城镇新增就业三万人以上，居民人均可支配收入与经济增长同步"


def _units_of(percent: float) -> float:
    """A column's text width (half-em units) from its percent of the table."""
    return percent / 100 * report.TABLE_UNITS - report.CELL_PAD_UNITS


def _pairs() -> pd.DataFrame:
    return pd.DataFrame({"region": ["荔湾区", "海珠区", "越秀区"], "report_year": [2021, 2022, 2022],
                         "target_value": [6.0, 5.5, 12.25], "unit": ["%", "%", "万人"],
                         "quote": [QUOTE, QUOTE[:30], QUOTE * 2]})


def _wide(columns: int = 24) -> pd.DataFrame:
    return pd.DataFrame({f"column_{j}_name": [f"/work/some/path/seeds/00{j}_482a6d875095efef.txt", "海珠区", 2022.5]
                         for j in range(columns)})


# ---------------------------------------------------------------- widths, without WeasyPrint

def test_text_units_count_chinese_twice_a_latin_character():
    assert report.text_units("地区生产总值") == 12
    assert report.text_units("region") == pytest.approx(6 * report.LATIN_UNITS)
    assert report.text_units("增长8.5%") == pytest.approx(4 + 4 * report.LATIN_UNITS)


@pytest.mark.parametrize("frame", [_pairs(), _wide(), _wide(3), pd.DataFrame({"only": ["x"]}),
                                   pd.DataFrame({"a": [], "b": []})])
def test_widths_fill_the_table(frame):
    header = [str(c) for c in frame.columns]
    rows = [[report.format_cell(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    widths = report.column_widths(header, rows)
    assert len(widths) == len(header)
    assert 100 - 0.01 * len(widths) <= sum(widths) <= 100  # never more: WeasyPrint would widen the table
    assert min(widths) > 0


def test_quotes_get_the_room_and_short_values_stay_whole():
    df = _pairs()
    header = list(df.columns)
    rows = [[report.format_cell(v) for v in row] for row in df.itertuples(index=False, name=None)]
    widths = dict(zip(header, report.column_widths(header, rows)))
    assert max(widths, key=widths.get) == "quote"
    assert widths["quote"] > 50
    for col in ("region", "report_year", "target_value", "unit"):
        # every value of the column fits on one line, and no more than twice that is given
        longest = max(report.text_units(t) for t in [*(r[header.index(col)] for r in rows)])
        assert longest <= _units_of(widths[col]) <= 2 * max(longest, report.COLUMN_MIN), col


def test_a_table_that_fits_gets_widths_in_proportion_to_its_text():
    widths = report.column_widths(["a", "b"], [["地区", "地区生产总值"]])
    assert _units_of(widths[1]) / _units_of(widths[0]) == pytest.approx(3, rel=0.01)


def test_header_words_are_kept_whole_when_the_minimums_fit():
    header = ["outcome_value", "comparator", "gap", "status"]
    rows = [["8.5", "approx", "2.5", "达成"], ["2.7", "exact", "0.7", QUOTE * 3]]
    widths = report.column_widths(header, rows)
    for name, w in zip(header, widths):
        for part in re.findall(r"[^_]+_?", name):
            assert report.text_units(part) <= _units_of(w) + 0.02, (name, part)  # 0.02: widths are rounded


def test_html_table_has_one_col_per_column_and_header_breaks_after_underscores():
    page = report.render_html([report.Block("table", table=_pairs())])
    cols = re.findall(r'<col style="width:([0-9.]+)%">', page)
    assert len(cols) == 5 and sum(map(float, cols)) == pytest.approx(100, abs=0.05)
    assert "<th>report_<wbr>year</th>" in page
    cells = [html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", page)]
    assert cells[:5] == ["荔湾区", "2021", "6", "%", QUOTE]


def test_the_print_stylesheet_lays_tables_out_fixed():
    css = report.report_css()
    assert re.search(r"@media print\s*\{[^}]*table\s*\{[^}]*table-layout:\s*fixed", css)


# ---------------------------------------------------------------- the PDF's layout

@pytest.fixture(scope="module")
def laid_out():
    blocks = [report.Block("h1", "表格"), report.Block("table", table=_pairs()), report.Block("table", table=_wide())]
    page = report.render_html(blocks)
    return page, report.layout_pdf(page)


def test_tables_are_laid_out_fixed_and_fit(laid_out):
    _, document = laid_out
    tables = list(boxes_of(document, "TableBox"))
    assert tables and all(t.style["table_layout"] == "fixed" for t in tables)
    assert_nothing_overflows(document)


def test_short_values_stay_on_one_line_and_the_quote_takes_the_width(laid_out):
    _, document = laid_out
    cells = [c for c in boxes_of(document, "TableCellBox") if c.colspan == 1]
    by_text = {}
    for c in cells:
        by_text.setdefault(cell_text(c), []).append(c)
    for value in ("荔湾区", "2021", "12.25", "万人", "region", "unit"):
        assert all(lines_in(c) == 1 for c in by_text[value]), value
    quote = by_text[QUOTE][0]
    assert quote.width > 0.5 * next(boxes_of(document, "TableBox")).width


def test_the_pdf_is_byte_identical_on_rerun(laid_out, tmp_path):
    page, _ = laid_out
    first = report.render_pdf(page, tmp_path / "a.pdf").read_bytes()
    assert first.startswith(b"%PDF") and report.render_pdf(page, tmp_path / "b.pdf").read_bytes() == first


def test_a_character_the_font_lacks_is_drawn_as_a_box(tmp_path):
    from fontTools.ttLib import TTFont

    cmap = TTFont(str(report.cjk_font_path()), lazy=True, fontNumber=0).getBestCmap()
    lacking = next(chr(c) for c in range(0x3000, 0xA000) if c not in cmap)
    page = report.render_html([report.Block("p", f"地区{lacking}生产总值")])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        document = report.layout_pdf(page)
    assert any(lacking in str(w.message) for w in caught)
    text = "".join(cell_text(p) for p in boxes_of(document, "BlockBox") if p.element_tag == "p")
    assert report.MISSING_GLYPH in text and lacking not in text
