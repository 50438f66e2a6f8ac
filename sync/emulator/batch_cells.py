"""batchUpdate requests on cells and ranges: updateCells, repeatCell,
setDataValidation, add/deleteProtectedRange, add/deleteNamedRange."""

from __future__ import annotations

import copy
import random
from typing import Any

from .grid_range import clean_gridrange, grid, sheet_of
from .model import Spreadsheet, bad
from .values import Cell, raw_cell, user_entered_cell


_VALUE_KEYS = ("formulaValue", "stringValue", "numberValue", "boolValue")


def _entered(uev: dict) -> Cell | None:
    """The cell an ExtendedValue makes (a string is kept as typed)."""
    if "formulaValue" in uev:
        return user_entered_cell(uev["formulaValue"])
    if "stringValue" in uev:
        return raw_cell(uev["stringValue"]) or Cell("s", "")
    if "numberValue" in uev:
        return raw_cell(uev["numberValue"])
    if "boolValue" in uev:
        return raw_cell(bool(uev["boolValue"]))
    return None


def _cell_from_data(cd: dict, old: Cell | None, fields: str) -> Cell | None:
    """``old`` with the CellData fields the mask names applied (value and
    note; formats are kept apart)."""
    every = fields.strip() == "*"
    names = {f.strip().split(".")[0].split("/")[0] for f in fields.split(",")}
    cell = old
    if every or "userEnteredValue" in names:
        uev = cd.get("userEnteredValue")
        note = old.note if old else None
        if not uev:
            cell = Cell("", None, note=note) if note else None
        elif any(k in uev for k in _VALUE_KEYS):
            cell = _entered(uev)
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


def update_cells(ss: Spreadsheet, body: dict) -> dict:
    fields = body.get("fields")
    if not fields:
        raise bad("At least one field must be updated, but 'fields' is empty.")
    if "range" in body:
        sh, r1, c1, r2, c2 = grid(ss, body["range"])
    else:
        start = body.get("start") or {}
        sh = sheet_of(ss, start.get("sheetId", 0))
        r1, c1 = start.get("rowIndex", 0), start.get("columnIndex", 0)
        r2, c2 = sh.row_count, sh.col_count
    rows = body.get("rows") or []
    if "range" in body and (fields.strip() == "*" or "userEnteredValue" in fields):
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


def repeat_cell(ss: Spreadsheet, body: dict) -> dict:
    sh, r1, c1, r2, c2 = grid(ss, body.get("range") or {})
    cd = body.get("cell") or {}
    fields = body.get("fields") or ""
    if "userEnteredValue" in fields or "note" in fields or fields == "*":
        for r in range(r1, r2):
            for c in range(c1, c2):
                sh.put(r, c, _cell_from_data(cd, sh.get(r, c), fields))
        sh.trim()
    if "userEnteredFormat" in fields or fields == "*":
        sh.formats.append({"range": clean_gridrange(body.get("range") or {}),
                           "format": cd.get("userEnteredFormat") or {}, "fields": fields})
    return {}


def set_data_validation(ss: Spreadsheet, body: dict) -> dict:
    sh, r1, c1, r2, c2 = grid(ss, body.get("range") or {})
    rule = body.get("rule")
    rng = {"startRowIndex": r1, "endRowIndex": r2, "startColumnIndex": c1, "endColumnIndex": c2}
    sh.validations = [v for v in sh.validations if v["range"] != rng]
    if rule:
        cond = rule.get("condition") or {}
        if cond.get("type") == "ONE_OF_LIST" and not cond.get("values"):
            raise bad("Invalid ConditionValue.userEnteredValue: must have at least one value for ONE_OF_LIST")
        sh.validations.append({"range": rng, "rule": copy.deepcopy(rule)})
    return {}


def add_protected_range(ss: Spreadsheet, body: dict, editor: str) -> dict:
    """The reply lists the editors asked for; the stored range also has the
    caller (``editor``) first, as Google adds the requesting user."""
    pr = copy.deepcopy(body.get("protectedRange") or {})
    gr = pr.get("range") or {}
    sh, *_ = grid(ss, gr)
    out: dict[str, Any] = {"protectedRangeId": pr.get("protectedRangeId") or random.randint(1, 2_000_000_000),
                           "range": clean_gridrange(gr)}
    if pr.get("description"):
        out["description"] = pr["description"]
    if pr.get("warningOnly"):
        out["warningOnly"] = True
    out["requestingUserCanEdit"] = True
    editors = pr.get("editors") or {}
    reply = {**out, "editors": {k: copy.deepcopy(v) for k, v in editors.items() if v}}
    users = list(reply["editors"].get("users") or [])
    if editor not in users:
        users.insert(0, editor)
    sh.protected.append({**out, "editors": {**reply["editors"], "users": users}})
    return {"addProtectedRange": {"protectedRange": reply}}


def delete_protected_range(ss: Spreadsheet, body: dict) -> dict:
    pid = body.get("protectedRangeId")
    for sh in ss.sheets:
        for p in sh.protected:
            if p["protectedRangeId"] == pid:
                sh.protected.remove(p)
                return {}
    raise bad(f"No protected range with id: {pid}")


def add_named_range(ss: Spreadsheet, body: dict) -> dict:
    nr = copy.deepcopy(body.get("namedRange") or {})
    grid(ss, nr.get("range") or {})
    nr.setdefault("namedRangeId", str(random.randint(1, 2_000_000_000)))
    nr["range"] = clean_gridrange(nr.get("range") or {})
    ss.named_ranges.append(nr)
    return {"addNamedRange": {"namedRange": nr}}


def delete_named_range(ss: Spreadsheet, body: dict) -> dict:
    nid = body.get("namedRangeId")
    for nr in ss.named_ranges:
        if nr.get("namedRangeId") == nid:
            ss.named_ranges.remove(nr)
            return {}
    raise bad(f"No named range with id {nid}")


# addProtectedRange also needs the caller: batch.py binds it
HANDLERS = {"updateCells": update_cells, "repeatCell": repeat_cell, "setDataValidation": set_data_validation,
            "deleteProtectedRange": delete_protected_range, "addNamedRange": add_named_range,
            "deleteNamedRange": delete_named_range}
