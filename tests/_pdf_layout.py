"""Checks on a WeasyPrint layout (``analysis.report.layout_pdf``): what overflows, how many lines a cell takes."""

from __future__ import annotations

import re
from typing import Any, Iterator

# A value that is one short word or number: it should never be broken over lines.
SHORT_VALUE = re.compile(r"[0-9A-Za-z.%+-]{1,7}|[\u4e00-\u9fff]{1,4}")


def boxes_of(document: Any, kind: str) -> Iterator[Any]:
    """Every box of the WeasyPrint class ``kind`` (``TableBox``, ``TableCellBox`` …) on every page."""
    from weasyprint.formatting_structure import boxes

    cls = getattr(boxes, kind)
    for page in document.pages:
        yield from (b for b in page._page_box.descendants() if isinstance(b, cls))


def cell_text(cell: Any) -> str:
    """The text a box holds, as laid out (a ``<wbr>`` shows as U+200B)."""
    from weasyprint.formatting_structure import boxes

    return "".join(b.text for b in cell.descendants() if isinstance(b, boxes.TextBox))


def lines_in(cell: Any) -> int:
    """Lines a box's text takes."""
    from weasyprint.formatting_structure import boxes

    return sum(1 for b in cell.descendants() if isinstance(b, boxes.LineBox))


def assert_nothing_overflows(document: Any) -> None:
    """No text leaves its table cell, and no table or text leaves the page's content area."""
    from weasyprint.formatting_structure import boxes

    eps = 0.5  # CSS px
    for page in document.pages:
        box = page._page_box
        left, right = box.content_box_x(), box.content_box_x() + box.width
        for b in box.descendants():
            if isinstance(b, (boxes.TableBox, boxes.TextBox)) and b.element_tag not in ("html", "body"):
                if getattr(b, "position_x", None) is not None and not isinstance(b.width, str):
                    assert left - eps <= b.position_x and b.position_x + b.width <= right + eps, \
                        f"{type(b).__name__} {getattr(b, 'text', '')!r} outside the page"
            if isinstance(b, boxes.TableCellBox):
                lo, hi = b.content_box_x(), b.content_box_x() + b.width
                for t in b.descendants():
                    if isinstance(t, boxes.TextBox):
                        assert lo - eps <= t.position_x and t.position_x + t.width <= hi + eps, \
                            f"{t.text!r} overflows its cell ({cell_text(b)!r})"


def broken_short_values(document: Any, max_columns: int) -> list[str]:
    """Short values (``SHORT_VALUE``) laid out on more than one line, in tables of at most ``max_columns``."""
    from weasyprint.formatting_structure import boxes

    broken = []
    for table in boxes_of(document, "TableBox"):
        if len(table.column_widths) > max_columns:
            continue
        for cell in table.descendants():
            if isinstance(cell, boxes.TableCellBox) and SHORT_VALUE.fullmatch(cell_text(cell)) and lines_in(cell) > 1:
                broken.append(cell_text(cell))
    return broken
