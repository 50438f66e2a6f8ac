"""The body rows of a large .xlsx sheet, written as XML in one pass.

XlsxWriter spends ~15 µs a cell (a cell object, then its XML element with
attribute escaping): 32,000 rows of 18 columns took 9-14 s here.  This
worksheet class lets XlsxWriter write everything else (header, 合计 row,
column widths, styles, page setup) and writes the block of body rows itself:
inline strings, money straight from integer fen as decimal text (no float),
dates as Excel serial numbers.  It overrides one method of XlsxWriter's
Worksheet (``_write_rows``; XlsxWriter is pinned in uv.lock) and is checked
by reading the files back with python-calamine and LibreOffice.
"""

from __future__ import annotations

import datetime as dt
import re

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from domain.exporting.columns import DATE, MONEY, NUMBER, TEXT

EXCEL_EPOCH = dt.date(1899, 12, 30)
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# XML markup, characters XML 1.0 cannot hold (and CR, which a reader turns into LF),
# and a literal _xHHHH_ (Excel would read it as an escape)
_NEEDS_ESCAPE = re.compile("[&<>\x00-\x08\x0b-\x0d\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")


def _escape_match(m: re.Match) -> str:
    s = m.group(0)
    if s in _ESCAPES:
        return _ESCAPES[s]
    if s.startswith("_x"):  # a literal _xHHHH_ would be read as an escape: escape its underscore
        return "_x005F" + s
    return f"_x{ord(s):04X}_"  # control characters, as Excel writes them


def xml_text(text: str) -> str:
    return _NEEDS_ESCAPE.sub(_escape_match, text) if _NEEDS_ESCAPE.search(text) else text


def fen_text(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    whole, frac = divmod(abs(fen), 100)
    return f"{sign}{whole}.{frac:02d}"


def _inline(text: str) -> str:
    text = xml_text(text)
    space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
    return f' t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _cell_body(kind: str, value) -> str:
    """What follows a cell's style: its number, or its text inline."""
    if kind == MONEY:
        return f"><v>{fen_text(value)}</v></c>"
    if kind == NUMBER:
        return f"><v>{int(value)}</v></c>"
    if kind == DATE and isinstance(value, dt.date):
        return f"><v>{(value - EXCEL_EPOCH).days}</v></c>"
    return _inline(str(value))  # text, or a date column's value that is no date


def row_xml(r: int, row: list, templates: list[tuple[str, str, str]]) -> str:
    """One ``<row>``; ``templates``: per column (``<c r="B``, ``" s="3"``, kind)."""
    rs = str(r)
    cells = [head + rs + style + (_inline(value) if kind == TEXT else _cell_body(kind, value))
             for (head, style, kind), value in zip(templates, row) if value is not None and value != ""]
    return f'<row r="{rs}">' + "".join(cells) + "</row>"


class BulkWorksheet(Worksheet):
    """A worksheet whose rows ``first``..``first + len(rows) - 1`` are written here."""

    _bulk: tuple | None = None

    def set_bulk(self, first: int, rows: list[list], kinds: list[str], formats: list) -> None:
        """``formats``: the XlsxWriter Format of each column (for its style index)."""
        styles = [f._get_xf_index() for f in formats]  # assigns the index before the workbook closes
        self._bulk = (first, rows, kinds, styles)
        if rows:  # the dimensions (and the autofilter's range) must cover the block
            self.write_blank(first + len(rows) - 1, len(kinds) - 1, None, formats[-1])

    def _write_rows(self) -> None:
        if not self._bulk or not self._bulk[1]:
            super()._write_rows()
            return
        first, rows, kinds, styles = self._bulk
        last = first + len(rows) - 1
        low, high = self.dim_rowmin, self.dim_rowmax
        try:
            if low < first:
                self.dim_rowmax = first - 1
                super()._write_rows()
            self._write_block(first, rows, kinds, styles)
            if high > last:
                self.dim_rowmin, self.dim_rowmax = last + 1, high
                super()._write_rows()
        finally:
            self.dim_rowmin, self.dim_rowmax = low, high

    def _write_block(self, first: int, rows: list[list], kinds: list[str], styles: list[int]) -> None:
        templates = [(f'<c r="{xl_col_to_name(c)}', f'" s="{style}"', kind)
                     for c, (style, kind) in enumerate(zip(styles, kinds))]
        write = self.fh.write
        for r, row in enumerate(rows, start=first + 1):
            write(row_xml(r, row, templates))
