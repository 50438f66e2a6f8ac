"""GridRange helpers shared by the batchUpdate requests: the sheet an id
names, a GridRange clamped and checked against the grid."""

from __future__ import annotations

from typing import Any

from .model import Sheet, Spreadsheet, bad


def sheet_of(ss: Spreadsheet, sheet_id: Any) -> Sheet:
    sh = ss.sheet_by_id(int(sheet_id or 0))
    if sh is None:
        raise bad(f"No grid with id: {sheet_id or 0}")
    return sh


def grid(ss: Spreadsheet, gr: dict) -> tuple[Sheet, int, int, int, int]:
    """(sheet, r1, c1, r2, c2) of a GridRange; open ends run to the grid's."""
    sh = sheet_of(ss, gr.get("sheetId", 0))
    r1 = gr.get("startRowIndex", 0) or 0
    c1 = gr.get("startColumnIndex", 0) or 0
    r2 = gr.get("endRowIndex")
    c2 = gr.get("endColumnIndex")
    r2 = sh.row_count if r2 is None else r2
    c2 = sh.col_count if c2 is None else c2
    if r1 < 0 or c1 < 0 or r2 > sh.row_count or c2 > sh.col_count or r1 > r2 or c1 > c2:
        raise bad(f"Range ({sh.title}!{r1}:{r2},{c1}:{c2}) exceeds grid limits. "
                  f"Max rows: {sh.row_count}, max columns: {sh.col_count}")
    return sh, r1, c1, r2, c2


def clean_gridrange(gr: dict) -> dict:
    """A GridRange as Google echoes it: no nulls, no ``sheetId`` 0."""
    out = {k: v for k, v in gr.items() if v is not None}
    if out.get("sheetId", 0) == 0:
        out.pop("sheetId", None)
    return out
