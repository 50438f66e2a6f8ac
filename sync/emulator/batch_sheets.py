"""batchUpdate requests on tabs and the spreadsheet: addSheet, deleteSheet,
updateSheetProperties, updateSpreadsheetProperties."""

from __future__ import annotations

import copy
from typing import Any

from .grid_range import sheet_of
from .masks import set_by_mask
from .model import Sheet, Spreadsheet, bad

# Google's key order in a sheet's properties
_PROP_ORDER = ["sheetId", "title", "index", "sheetType", "gridProperties", "hidden", "tabColor", "rightToLeft",
               "tabColorStyle"]


def _color(c: Any) -> dict:
    """Google stores colours as 8-bit channels and answers float32 text,
    dropping zero channels: 0.5 -> 0.49803922."""
    if not isinstance(c, dict):
        return {}
    out = {}
    for k in ("red", "green", "blue", "alpha"):
        v = c.get(k)
        if v is None:
            continue
        q = int(float(v) * 255 + 1e-6) / 255 if k != "alpha" else float(v)
        if q == 0:
            continue
        q = float(f"{q:.8g}")
        out[k] = int(q) if q.is_integer() else q
    return out


def _check_title(ss: Spreadsheet, title: str, exclude: Sheet | None = None) -> None:
    if not title or not title.strip():
        raise bad("The sheet name cannot be empty.")
    for s in ss.sheets:
        if s is not exclude and s.title.lower() == title.lower():
            raise bad(f"A sheet with the name \"{title}\" already exists. Please enter another name.")


def add_sheet(ss: Spreadsheet, body: dict) -> dict:
    p = copy.deepcopy(body.get("properties") or {})
    title = p.get("title")
    if title is None:
        n = len(ss.sheets) + 1
        while ss.sheet_by_title(f"Sheet{n}"):
            n += 1
        title = f"Sheet{n}"
    _check_title(ss, title)
    sid = p.get("sheetId")
    if sid is not None and ss.sheet_by_id(sid):
        raise bad(f"A sheet with id {sid} already exists.")
    gp = p.get("gridProperties") or {}
    sh = Sheet(sid if sid is not None else ss.new_sheet_id(), title, gp.get("rowCount", 1000), gp.get("columnCount", 26))
    for k, v in p.items():
        if k in ("title", "sheetId", "index", "gridProperties") or (k == "hidden" and not v) \
                or (k == "sheetType" and v == "GRID"):
            continue
        sh.props[k] = v
    for k, v in gp.items():
        if k not in ("rowCount", "columnCount") and v:
            sh.props["gridProperties"][k] = v
    idx = p.get("index")
    idx = len(ss.sheets) if idx is None else max(0, min(int(idx), len(ss.sheets)))
    ss.sheets.insert(idx, sh)
    ss.reindex()
    ss.check_cells()
    return {"addSheet": {"properties": copy.deepcopy(sh.props)}}


def delete_sheet(ss: Spreadsheet, body: dict) -> dict:
    sh = sheet_of(ss, body.get("sheetId"))
    if len(ss.sheets) == 1:
        raise bad("You can't remove all the sheets in a document.")
    if all(s.props.get("hidden") for s in ss.sheets if s is not sh):
        raise bad("You can't remove all the visible sheets in a document.")
    ss.sheets.remove(sh)
    ss.reindex()
    return {}


def update_sheet_properties(ss: Spreadsheet, body: dict) -> dict:
    p = body.get("properties") or {}
    fields = body.get("fields")
    if not fields:
        raise bad("At least one field must be updated, but 'fields' is empty.")
    sh = sheet_of(ss, p.get("sheetId", 0))
    new = copy.deepcopy(sh.props)
    set_by_mask(new, p, fields)
    new["sheetId"] = sh.sheet_id
    gp = new.setdefault("gridProperties", {})
    for k in [k for k, v in gp.items() if v in (None, False, 0) and k not in ("rowCount", "columnCount")]:
        gp.pop(k)
    if new.get("title") != sh.title:
        _check_title(ss, new.get("title") or "", exclude=sh)
    if not new.get("hidden"):
        new.pop("hidden", None)
    elif all(s.props.get("hidden") for s in ss.sheets if s is not sh):
        raise bad("You can't hide all the sheets in a document.")
    _normalise_tab_color(new)
    rows, cols = _checked_grid(gp, sh)
    index = new.pop("index", sh.props["index"])
    sh.props = new
    sh.props["index"] = sh.props.get("index", index)
    sh.set_size(rows, cols)
    ss.check_cells()
    if index != ss.sheets.index(sh):
        ss.sheets.remove(sh)
        ss.sheets.insert(max(0, min(int(index), len(ss.sheets))), sh)
    ss.reindex()
    sh.props = {k: sh.props[k] for k in _PROP_ORDER if k in sh.props} | \
        {k: v for k, v in sh.props.items() if k not in _PROP_ORDER}
    return {}


def _normalise_tab_color(new: dict) -> None:
    """tabColor and tabColorStyle as Google keeps them: 8-bit channels, each
    mirrored in the other, both gone when empty."""
    if "tabColor" in new:
        new["tabColor"] = _color(new["tabColor"])
    style = new.get("tabColorStyle")
    if isinstance(style, dict) and "rgbColor" in style:
        c = _color(style["rgbColor"])
        new["tabColorStyle"] = {"rgbColor": c} if c else {}
        if not c:
            new.pop("tabColor", None)
    for k in ("tabColor", "tabColorStyle"):
        if k in new and not new[k]:
            new.pop(k)
    if "tabColorStyle" in new and "tabColor" not in new and "rgbColor" in new["tabColorStyle"]:
        new["tabColor"] = copy.deepcopy(new["tabColorStyle"]["rgbColor"])
    if "tabColor" in new and "tabColorStyle" not in new:
        new["tabColorStyle"] = {"rgbColor": copy.deepcopy(new["tabColor"])}


def _checked_grid(gp: dict, sh: Sheet) -> tuple[int, int]:
    """The new grid size, refused when empty or entirely frozen."""
    rows = gp.get("rowCount", sh.row_count)
    cols = gp.get("columnCount", sh.col_count)
    if rows < 1 or cols < 1:
        raise bad("Sheet must have at least one row and one column.")
    frozen_r = gp.get("frozenRowCount", 0)
    frozen_c = gp.get("frozenColumnCount", 0)
    if frozen_r and frozen_r >= rows:
        raise bad("You can't freeze all visible rows on the sheet.")
    if frozen_c and frozen_c >= cols:
        raise bad("You can't freeze all visible columns on the sheet.")
    return rows, cols


def update_spreadsheet_properties(ss: Spreadsheet, body: dict) -> dict:
    fields = body.get("fields")
    if not fields:
        raise bad("At least one field must be updated, but 'fields' is empty.")
    set_by_mask(ss.props, body.get("properties") or {}, fields)
    return {}


HANDLERS = {"addSheet": add_sheet, "deleteSheet": delete_sheet, "updateSheetProperties": update_sheet_properties,
            "updateSpreadsheetProperties": update_spreadsheet_properties}
