"""spreadsheets.batchUpdate requests. Each function mutates a working copy of
the spreadsheet; the caller commits the copy only if every request succeeded
(Google applies a batchUpdate atomically)."""

from __future__ import annotations

import copy
import random
from typing import Any, Callable

from .model import ApiError, Sheet, Spreadsheet, bad
from .values import Cell, ErrorValue, raw_cell, user_entered_cell

HANDLERS: dict[str, Callable[..., dict]] = {}


def handler(name: str):
    def deco(fn):
        HANDLERS[name] = fn
        return fn
    return deco


def apply_request(backend, ss: Spreadsheet, kind: str, body: dict) -> dict:
    fn = HANDLERS.get(kind)
    if fn is None:
        raise ApiError(400, f"Invalid JSON payload received. Unknown name \"{kind}\" at 'requests[0]': Cannot find field.")
    return fn(backend, ss, body)


def _sheet(ss: Spreadsheet, sheet_id: Any) -> Sheet:
    sh = ss.sheet_by_id(int(sheet_id or 0))
    if sh is None:
        raise bad(f"No grid with id: {sheet_id or 0}")
    return sh


def _grid(ss: Spreadsheet, gr: dict) -> tuple[Sheet, int, int, int, int]:
    sh = _sheet(ss, gr.get("sheetId", 0))
    r1 = gr.get("startRowIndex", 0) or 0
    c1 = gr.get("startColumnIndex", 0) or 0
    r2 = gr.get("endRowIndex", sh.row_count)
    c2 = gr.get("endColumnIndex", sh.col_count)
    if r2 is None:
        r2 = sh.row_count
    if c2 is None:
        c2 = sh.col_count
    if r1 < 0 or c1 < 0 or r2 > sh.row_count or c2 > sh.col_count or r1 > r2 or c1 > c2:
        raise bad(f"Range ({sh.title}!{r1}:{r2},{c1}:{c2}) exceeds grid limits. Max rows: {sh.row_count}, max columns: {sh.col_count}")
    return sh, r1, c1, r2, c2


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


def _clean_gridrange(gr: dict) -> dict:
    out = {k: v for k, v in gr.items() if v is not None}
    if out.get("sheetId", 0) == 0:
        out.pop("sheetId", None)
    return out


@handler("addSheet")
def add_sheet(backend, ss: Spreadsheet, body: dict) -> dict:
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
        if k in ("title", "sheetId", "index", "gridProperties"):
            continue
        if k == "hidden" and not v:
            continue
        if k == "sheetType" and v == "GRID":
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


@handler("deleteSheet")
def delete_sheet(backend, ss: Spreadsheet, body: dict) -> dict:
    sh = _sheet(ss, body.get("sheetId"))
    if len(ss.sheets) == 1:
        raise bad("You can't remove all the sheets in a document.")
    if all(s.props.get("hidden") for s in ss.sheets if s is not sh):
        raise bad("You can't remove all the visible sheets in a document.")
    ss.sheets.remove(sh)
    ss.reindex()
    return {}


@handler("updateSheetProperties")
def update_sheet_properties(backend, ss: Spreadsheet, body: dict) -> dict:
    from .api import set_by_mask
    p = body.get("properties") or {}
    fields = body.get("fields")
    if not fields:
        raise bad("At least one field must be updated, but 'fields' is empty.")
    sh = _sheet(ss, p.get("sheetId", 0))
    new = copy.deepcopy(sh.props)
    set_by_mask(new, p, fields)
    new["sheetId"] = sh.sheet_id
    new.setdefault("gridProperties", {})
    gp = new["gridProperties"]
    for k in [k for k, v in gp.items() if v in (None, False, 0) and k not in ("rowCount", "columnCount")]:
        gp.pop(k)
    if new.get("title") != sh.title:
        _check_title(ss, new.get("title") or "", exclude=sh)
    if not new.get("hidden"):
        new.pop("hidden", None)
    elif all(s.props.get("hidden") for s in ss.sheets if s is not sh):
        raise bad("You can't hide all the sheets in a document.")
    if "tabColor" in new:
        new["tabColor"] = _color(new["tabColor"])
    if "tabColorStyle" in new and isinstance(new["tabColorStyle"], dict) and "rgbColor" in new["tabColorStyle"]:
        c = _color(new["tabColorStyle"]["rgbColor"])
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
    rows = gp.get("rowCount", sh.row_count)
    cols = gp.get("columnCount", sh.col_count)
    if rows < 1 or cols < 1:
        raise bad("Sheet must have at least one row and one column.")
    frozen_r = gp.get("frozenRowCount", 0)
    frozen_c = gp.get("frozenColumnCount", 0)
    if frozen_r >= rows and frozen_r:
        raise bad("You can't freeze all visible rows on the sheet.")
    if frozen_c >= cols and frozen_c:
        raise bad("You can't freeze all visible columns on the sheet.")
    index = new.pop("index", sh.props["index"])
    sh.props = new
    sh.props["index"] = sh.props.get("index", index)
    sh.set_size(rows, cols)
    ss.check_cells()
    if index != ss.sheets.index(sh):
        ss.sheets.remove(sh)
        ss.sheets.insert(max(0, min(int(index), len(ss.sheets))), sh)
    ss.reindex()
    # Keep Google's key order: sheetId, title, index, sheetType, gridProperties, ...
    order = ["sheetId", "title", "index", "sheetType", "gridProperties", "hidden", "tabColor", "rightToLeft", "tabColorStyle"]
    sh.props = {k: sh.props[k] for k in order if k in sh.props} | {k: v for k, v in sh.props.items() if k not in order}
    return {}


@handler("updateSpreadsheetProperties")
def update_spreadsheet_properties(backend, ss: Spreadsheet, body: dict) -> dict:
    from .api import set_by_mask
    fields = body.get("fields")
    if not fields:
        raise bad("At least one field must be updated, but 'fields' is empty.")
    set_by_mask(ss.props, body.get("properties") or {}, fields)
    return {}


def _dim(body: dict, ss: Spreadsheet) -> tuple[Sheet, str, int, int]:
    rng = body.get("range") or body
    sh = _sheet(ss, rng.get("sheetId", 0))
    dim = rng.get("dimension")
    if dim not in ("ROWS", "COLUMNS"):
        raise bad("Invalid dimension.")
    start = rng.get("startIndex", 0) or 0
    end = rng.get("endIndex")
    limit = sh.row_count if dim == "ROWS" else sh.col_count
    if end is None:
        end = limit
    return sh, dim, start, end


@handler("insertDimension")
def insert_dimension(backend, ss: Spreadsheet, body: dict) -> dict:
    sh, dim, start, end = _dim(body, ss)
    limit = sh.row_count if dim == "ROWS" else sh.col_count
    if start < 0 or end <= start:
        raise bad("Invalid range: startIndex must be less than endIndex.")
    if start > limit:
        raise bad(f"Cannot insert {dim.lower()} at index {start}: the sheet only has {limit} {dim.lower()}.")
    if dim == "ROWS":
        sh.insert_rows(start, end - start)
    else:
        sh.insert_cols(start, end - start)
    ss.check_cells()
    return {}


@handler("appendDimension")
def append_dimension(backend, ss: Spreadsheet, body: dict) -> dict:
    sh = _sheet(ss, body.get("sheetId", 0))
    n = int(body.get("length", 0))
    if n <= 0:
        raise bad("length must be greater than 0")
    if body.get("dimension") == "ROWS":
        sh.props["gridProperties"]["rowCount"] += n
    elif body.get("dimension") == "COLUMNS":
        sh.props["gridProperties"]["columnCount"] += n
    else:
        raise bad("Invalid dimension.")
    ss.check_cells()
    return {}


@handler("deleteDimension")
def delete_dimension(backend, ss: Spreadsheet, body: dict) -> dict:
    sh, dim, start, end = _dim(body, ss)
    limit = sh.row_count if dim == "ROWS" else sh.col_count
    if start < 0 or end > limit or start >= end:
        raise bad(f"Invalid range: {dim.lower()} {start}-{end} outside the sheet ({limit} {dim.lower()}).")
    if start == 0 and end == limit:
        what = "rows" if dim == "ROWS" else "columns"
        raise bad(f"You can't delete all the {what} on the sheet.")
    if dim == "ROWS":
        sh.delete_rows(start, end)
    else:
        sh.delete_cols(start, end)
    return {}


@handler("updateDimensionProperties")
def update_dimension_properties(backend, ss: Spreadsheet, body: dict) -> dict:
    sh, dim, start, end = _dim(body, ss)
    props = body.get("properties") or {}
    fields = body.get("fields") or ""
    sizes = sh.row_sizes if dim == "ROWS" else sh.col_sizes
    if "pixelSize" in fields or fields == "*":
        for i in range(start, end):
            sizes[i] = int(props.get("pixelSize", 100 if dim == "COLUMNS" else 21))
    return {}


@handler("autoResizeDimensions")
def auto_resize(backend, ss: Spreadsheet, body: dict) -> dict:
    _dim(body.get("dimensions") or {}, ss)
    return {}


def _sort_key(cell: Cell | None, value: Any):
    if cell is None or cell.kind == "":
        return (1, 0, "")
    if isinstance(value, bool):
        return (0, 2, value)
    if isinstance(value, (int, float)):
        return (0, 0, value)
    if isinstance(value, ErrorValue):
        return (0, 3, str(value))
    return (0, 1, str(value).lower())


def sort_rows(ss: Spreadsheet, sh: Sheet, r1: int, c1: int, r2: int, c2: int, specs: list[dict]) -> None:
    memo: dict = {}
    block = []
    for r in range(r1, r2):
        cells = [sh.get(r, c) for c in range(c1, c2)]
        block.append(cells)
    keyed = []
    for i, cells in enumerate(block):
        keys = []
        for spec in specs:
            idx = spec.get("dimensionIndex", 0)
            cell = sh.get(r1 + i, idx)
            val = ss.effective(sh, r1 + i, idx, memo, set()) if cell is not None else None
            keys.append(_sort_key(cell, val))
        keyed.append((keys, i, cells))
    # stable multi-key sort, last key first; blanks always last
    order = list(range(len(keyed)))
    for k in range(len(specs) - 1, -1, -1):
        desc = specs[k].get("sortOrder", "ASCENDING") == "DESCENDING"
        blanks = [i for i in order if keyed[i][0][k][0] == 1]
        filled = [i for i in order if keyed[i][0][k][0] == 0]
        filled.sort(key=lambda i: keyed[i][0][k][1:], reverse=desc)
        if desc:  # keep stability for equal keys under reverse=True
            pass
        order = filled + blanks
    for new_r, i in enumerate(order):
        cells = keyed[i][2]
        for j, cell in enumerate(cells):
            sh.put(r1 + new_r, c1 + j, cell)
            if cell is None and sh.get(r1 + new_r, c1 + j) is not None:
                sh.put(r1 + new_r, c1 + j, None)
    sh.trim()


@handler("sortRange")
def sort_range(backend, ss: Spreadsheet, body: dict) -> dict:
    sh, r1, c1, r2, c2 = _grid(ss, body.get("range") or {})
    specs = body.get("sortSpecs") or [{"dimensionIndex": c1, "sortOrder": "ASCENDING"}]
    for s in specs:
        if not c1 <= s.get("dimensionIndex", 0) < c2:
            raise bad("Sort dimension index is outside the sort range.")
    sort_rows(ss, sh, r1, c1, r2, c2, specs)
    return {}


def _cell_from_data(cd: dict, old: Cell | None, fields: str) -> Cell | None:
    every = fields.strip() == "*"
    names = {f.strip().split(".")[0].split("/")[0] for f in fields.split(",")}
    cell = old
    if every or "userEnteredValue" in names:
        uev = cd.get("userEnteredValue")
        note = old.note if old else None
        if not uev:
            cell = Cell("", None, note=note) if note else None
        elif "formulaValue" in uev:
            cell = user_entered_cell(uev["formulaValue"])
        elif "stringValue" in uev:
            cell = raw_cell(uev["stringValue"]) or Cell("s", "")
        elif "numberValue" in uev:
            cell = raw_cell(uev["numberValue"])
        elif "boolValue" in uev:
            cell = raw_cell(bool(uev["boolValue"]))
        if cell is not None and note:
            cell = cell._replace(note=note)
    if every or "note" in names:
        note = cd.get("note") or None
        if cell is None:
            cell = Cell("", None, note=note) if note else None
        else:
            cell = cell._replace(note=note)
            if cell.kind == "" and not note:
                cell = None
    return cell


@handler("updateCells")
def update_cells(backend, ss: Spreadsheet, body: dict) -> dict:
    fields = body.get("fields")
    if not fields:
        raise bad("At least one field must be updated, but 'fields' is empty.")
    if "range" in body:
        sh, r1, c1, r2, c2 = _grid(ss, body["range"])
    else:
        start = body.get("start") or {}
        sh = _sheet(ss, start.get("sheetId", 0))
        r1, c1 = start.get("rowIndex", 0), start.get("columnIndex", 0)
        r2, c2 = sh.row_count, sh.col_count
    rows = body.get("rows") or []
    if "range" in body and fields.strip() in ("*",) or ("userEnteredValue" in fields and "range" in body):
        # a range with fewer rows given clears the rest of the range's fields
        for r in range(r1, r2):
            for c in range(c1, c2):
                if (r - r1 >= len(rows)) or (c - c1 >= len((rows[r - r1] or {}).get("values") or [])):
                    sh.put(r, c, _cell_from_data({}, sh.get(r, c), fields))
    for i, row in enumerate(rows):
        for j, cd in enumerate((row or {}).get("values") or []):
            r, c = r1 + i, c1 + j
            if r >= r2 or c >= c2:
                raise bad(f"Range exceeds grid limits. Max rows: {sh.row_count}, max columns: {sh.col_count}")
            sh.put(r, c, _cell_from_data(cd or {}, sh.get(r, c), fields))
            if "userEnteredFormat" in fields and cd and "userEnteredFormat" in cd:
                sh.formats.append({"range": {"sheetId": sh.sheet_id, "startRowIndex": r, "endRowIndex": r + 1,
                                             "startColumnIndex": c, "endColumnIndex": c + 1},
                                   "format": cd["userEnteredFormat"]})
    sh.trim()
    return {}


@handler("repeatCell")
def repeat_cell(backend, ss: Spreadsheet, body: dict) -> dict:
    sh, r1, c1, r2, c2 = _grid(ss, body.get("range") or {})
    cd = body.get("cell") or {}
    fields = body.get("fields") or ""
    if "userEnteredValue" in fields or "note" in fields or fields == "*":
        for r in range(r1, r2):
            for c in range(c1, c2):
                sh.put(r, c, _cell_from_data(cd, sh.get(r, c), fields))
        sh.trim()
    if "userEnteredFormat" in fields or fields == "*":
        sh.formats.append({"range": _clean_gridrange(body.get("range") or {}), "format": cd.get("userEnteredFormat") or {},
                           "fields": fields})
    return {}


@handler("setDataValidation")
def set_data_validation(backend, ss: Spreadsheet, body: dict) -> dict:
    sh, r1, c1, r2, c2 = _grid(ss, body.get("range") or {})
    rule = body.get("rule")
    rng = {"startRowIndex": r1, "endRowIndex": r2, "startColumnIndex": c1, "endColumnIndex": c2}
    sh.validations = [v for v in sh.validations if v["range"] != rng]
    if rule:
        cond = rule.get("condition") or {}
        if cond.get("type") == "ONE_OF_LIST" and not cond.get("values"):
            raise bad("Invalid ConditionValue.userEnteredValue: must have at least one value for ONE_OF_LIST")
        sh.validations.append({"range": rng, "rule": copy.deepcopy(rule)})
    return {}


@handler("addProtectedRange")
def add_protected_range(backend, ss: Spreadsheet, body: dict) -> dict:
    pr = copy.deepcopy(body.get("protectedRange") or {})
    gr = pr.get("range") or {}
    sh, *_ = _grid(ss, gr)
    pid = pr.get("protectedRangeId") or random.randint(1, 2_000_000_000)
    out: dict[str, Any] = {"protectedRangeId": pid, "range": _clean_gridrange(gr)}
    if pr.get("description"):
        out["description"] = pr["description"]
    if pr.get("warningOnly"):
        out["warningOnly"] = True
    out["requestingUserCanEdit"] = True
    editors = pr.get("editors") or {}
    reply = dict(out)
    reply["editors"] = {k: copy.deepcopy(v) for k, v in editors.items() if v} if editors else {}
    stored = dict(out)
    stored_editors = dict(reply["editors"])
    users = list(stored_editors.get("users") or [])
    if backend.user_email not in users:
        users.insert(0, backend.user_email)
    stored_editors["users"] = users
    stored["editors"] = stored_editors
    sh.protected.append(stored)
    return {"addProtectedRange": {"protectedRange": reply}}


@handler("deleteProtectedRange")
def delete_protected_range(backend, ss: Spreadsheet, body: dict) -> dict:
    pid = body.get("protectedRangeId")
    for sh in ss.sheets:
        for p in sh.protected:
            if p["protectedRangeId"] == pid:
                sh.protected.remove(p)
                return {}
    raise bad(f"No protected range with id: {pid}")


@handler("addNamedRange")
def add_named_range(backend, ss: Spreadsheet, body: dict) -> dict:
    nr = copy.deepcopy(body.get("namedRange") or {})
    _grid(ss, nr.get("range") or {})
    nr.setdefault("namedRangeId", str(random.randint(1, 2_000_000_000)))
    nr["range"] = _clean_gridrange(nr.get("range") or {})
    ss.named_ranges.append(nr)
    return {"addNamedRange": {"namedRange": nr}}


@handler("deleteNamedRange")
def delete_named_range(backend, ss: Spreadsheet, body: dict) -> dict:
    nid = body.get("namedRangeId")
    for nr in ss.named_ranges:
        if nr.get("namedRangeId") == nid:
            ss.named_ranges.remove(nr)
            return {}
    raise bad(f"No named range with id {nid}")
