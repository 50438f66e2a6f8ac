"""spreadsheets.get: properties of the spreadsheet and its tabs, and with
``includeGridData`` (or a field mask naming ``sheets.data``) their cells as
GridData, under the ``fields`` mask."""

from __future__ import annotations

import copy
from typing import Any

from .a1 import Box
from .masks import apply_mask, parse_mask
from .model import Sheet, Spreadsheet
from .values import Cell, render

DEFAULT_FORMAT = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {"foregroundColor": {}, "fontFamily": "arial,sans,sans-serif", "fontSize": 10, "bold": False,
                   "italic": False, "strikethrough": False, "underline": False,
                   "foregroundColorStyle": {"rgbColor": {}}},
    "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 1, "blue": 1}},
}
THEME = {"primaryFontFamily": "Arial", "themeColors": [
    {"colorType": "TEXT", "color": {"rgbColor": {}}},
    {"colorType": "BACKGROUND", "color": {"rgbColor": {"red": 1, "green": 1, "blue": 1}}},
    {"colorType": "ACCENT1", "color": {"rgbColor": {"red": 0.25882354, "green": 0.52156866, "blue": 0.95686275}}},
    {"colorType": "ACCENT2", "color": {"rgbColor": {"red": 0.91764706, "green": 0.2627451, "blue": 0.20784314}}},
    {"colorType": "ACCENT3", "color": {"rgbColor": {"red": 0.9843137, "green": 0.7372549, "blue": 0.015686275}}},
    {"colorType": "ACCENT4", "color": {"rgbColor": {"red": 0.20392157, "green": 0.65882355, "blue": 0.3254902}}},
    {"colorType": "ACCENT5", "color": {"rgbColor": {"red": 1, "green": 0.42745098, "blue": 0.003921569}}},
    {"colorType": "ACCENT6", "color": {"rgbColor": {"red": 0.27450982, "green": 0.7411765, "blue": 0.7764706}}},
    {"colorType": "LINK", "color": {"rgbColor": {"red": 0.06666667, "green": 0.33333334, "blue": 0.8}}},
]}


def get_spreadsheet(ss: Spreadsheet, query: dict[str, list[str]]) -> dict:
    """The spreadsheets.get answer for ``query`` (fields, includeGridData,
    ranges)."""
    fields = (query.get("fields") or [None])[-1]
    include = (query.get("includeGridData") or ["false"])[-1].lower() == "true"
    ranges = query.get("ranges") or []
    mask = parse_mask(fields) if fields else None
    want_data = include if mask is None else ("data" in (mask.get("sheets") or {}) or "*" in mask)
    out: dict[str, Any] = {
        "spreadsheetId": ss.id,
        "properties": {**copy.deepcopy(ss.props), "defaultFormat": copy.deepcopy(DEFAULT_FORMAT),
                       "spreadsheetTheme": copy.deepcopy(THEME)},
        "sheets": [],
    }
    wanted: list[tuple[Sheet, Box | None]] = ([ss.resolve(r) for r in ranges] if ranges
                                              else [(sh, None) for sh in ss.sheets])
    seen: dict[int, dict] = {}
    for sh, box in wanted:
        if sh.sheet_id not in seen:
            seen[sh.sheet_id] = _sheet_json(sh)
            out["sheets"].append(seen[sh.sheet_id])
        if want_data:
            seen[sh.sheet_id].setdefault("data", []).append(_grid_data(ss, sh, box))
    if ss.named_ranges:
        out["namedRanges"] = copy.deepcopy(ss.named_ranges)
    out["spreadsheetUrl"] = f"https://docs.google.com/spreadsheets/d/{ss.id}/edit"
    return out if mask is None else apply_mask(out, mask)


def _sheet_json(sh: Sheet) -> dict:
    d: dict[str, Any] = {"properties": copy.deepcopy(sh.props)}
    if sh.protected:
        d["protectedRanges"] = copy.deepcopy(sh.protected)
    for k, v in sh.extra.items():
        d[k] = copy.deepcopy(v)
    return d


def _grid_data(ss: Spreadsheet, sh: Sheet, box: Box | None) -> dict:
    """One GridData block: rows and cells trimmed as Google trims them,
    with every row's and column's pixel size."""
    r1, c1, r2, c2 = ss.clamp(sh, box)
    memo: dict = {}
    rows = []
    for r in range(r1, min(r2, len(sh.rows))):
        vals = []
        for c in range(c1, c2):
            cell = sh.get(r, c)
            vals.append(_cell_data(ss, sh, (r, c), cell, memo) if cell is not None else {})
        while vals and not vals[-1]:
            vals.pop()
        rows.append({"values": vals} if vals else {})
    while rows and not rows[-1]:
        rows.pop()
    d: dict[str, Any] = {}
    if r1:
        d["startRow"] = r1
    if c1:
        d["startColumn"] = c1
    if rows:
        d["rowData"] = rows
    d["rowMetadata"] = [{"pixelSize": sh.row_sizes.get(r, 21)} for r in range(r1, r2)]
    d["columnMetadata"] = [{"pixelSize": sh.col_sizes.get(c, 100)} for c in range(c1, c2)]
    return d


_ENTERED_KEY = {"f": "formulaValue", "s": "stringValue", "b": "boolValue", "n": "numberValue", "d": "numberValue"}


def _cell_data(ss: Spreadsheet, sh: Sheet, at: tuple[int, int], cell: Cell, memo: dict) -> dict:
    """CellData: what was entered, its effective value, its formatted text
    and its note."""
    d: dict[str, Any] = {}
    key = _ENTERED_KEY.get(cell.kind)
    if key:
        d["userEnteredValue"] = {key: cell.formula if cell.kind == "f" else cell.value}
    if cell.kind not in (None, "") and (cell.kind != "s" or cell.value is not None):
        v = ss.effective(sh, at[0], at[1], memo, set())
        if isinstance(v, bool):
            d["effectiveValue"] = {"boolValue": v}
        elif isinstance(v, (int, float)):
            d["effectiveValue"] = {"numberValue": v}
        elif v is not None:
            d["effectiveValue"] = {"stringValue": str(v)}
        text = render(v, cell, "FORMATTED_VALUE", "FORMATTED_STRING")
        if text != "":
            d["formattedValue"] = text
    if cell.note:
        d["note"] = cell.note
    return d
