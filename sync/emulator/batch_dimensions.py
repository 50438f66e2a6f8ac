"""batchUpdate requests on rows and columns: insertDimension,
appendDimension, deleteDimension, updateDimensionProperties,
autoResizeDimensions, and sortRange (also the staff's "sort range")."""

from __future__ import annotations

from typing import Any

from .grid_range import grid, sheet_of
from .model import Sheet, Spreadsheet, bad
from .values import Cell, ErrorValue


def _dim(body: dict, ss: Spreadsheet) -> tuple[Sheet, str, int, int]:
    rng = body.get("range") or body
    sh = sheet_of(ss, rng.get("sheetId", 0))
    dim = rng.get("dimension")
    if dim not in ("ROWS", "COLUMNS"):
        raise bad("Invalid dimension.")
    start = rng.get("startIndex", 0) or 0
    end = rng.get("endIndex")
    if end is None:
        end = sh.row_count if dim == "ROWS" else sh.col_count
    return sh, dim, start, end


def insert_dimension(ss: Spreadsheet, body: dict) -> dict:
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


def append_dimension(ss: Spreadsheet, body: dict) -> dict:
    sh = sheet_of(ss, body.get("sheetId", 0))
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


def delete_dimension(ss: Spreadsheet, body: dict) -> dict:
    sh, dim, start, end = _dim(body, ss)
    limit = sh.row_count if dim == "ROWS" else sh.col_count
    if start < 0 or end > limit or start >= end:
        raise bad(f"Invalid range: {dim.lower()} {start}-{end} outside the sheet ({limit} {dim.lower()}).")
    if start == 0 and end == limit:
        raise bad(f"You can't delete all the {'rows' if dim == 'ROWS' else 'columns'} on the sheet.")
    if dim == "ROWS":
        sh.delete_rows(start, end)
    else:
        sh.delete_cols(start, end)
    return {}


def update_dimension_properties(ss: Spreadsheet, body: dict) -> dict:
    sh, dim, start, end = _dim(body, ss)
    props = body.get("properties") or {}
    fields = body.get("fields") or ""
    sizes = sh.row_sizes if dim == "ROWS" else sh.col_sizes
    if "pixelSize" in fields or fields == "*":
        for i in range(start, end):
            sizes[i] = int(props.get("pixelSize", 100 if dim == "COLUMNS" else 21))
    return {}


def auto_resize(ss: Spreadsheet, body: dict) -> dict:
    _dim(body.get("dimensions") or {}, ss)  # checked; widths are the browser's business
    return {}


def _sort_key(cell: Cell | None, value: Any) -> tuple:
    """Numbers, then text (case-insensitive), then booleans, then errors;
    blanks (first element 1) always last."""
    if cell is None or cell.kind == "":
        return (1, 0, "")
    if isinstance(value, bool):
        return (0, 2, value)
    if isinstance(value, (int, float)):
        return (0, 0, value)
    if isinstance(value, ErrorValue):
        return (0, 3, str(value))
    return (0, 1, str(value).lower())


def sort_rows(ss: Spreadsheet, sh: Sheet, box: tuple[int, int, int, int], specs: list[dict]) -> None:
    """Sort the rows of ``box`` (r1, c1, r2, c2) by ``specs`` (SortSpec:
    dimensionIndex, sortOrder), stably, blanks last whatever the order."""
    r1, c1, r2, c2 = box
    memo: dict = {}
    keyed = []
    for r in range(r1, r2):
        keys = []
        for spec in specs:
            idx = spec.get("dimensionIndex", 0)
            cell = sh.get(r, idx)
            keys.append(_sort_key(cell, ss.effective(sh, r, idx, memo, set()) if cell is not None else None))
        keyed.append((keys, [sh.get(r, c) for c in range(c1, c2)]))
    order = list(range(len(keyed)))
    for k in range(len(specs) - 1, -1, -1):  # stable multi-key sort: last key first
        desc = specs[k].get("sortOrder", "ASCENDING") == "DESCENDING"
        blanks = [i for i in order if keyed[i][0][k][0] == 1]
        filled = sorted((i for i in order if keyed[i][0][k][0] == 0), key=lambda i: keyed[i][0][k][1:],
                        reverse=desc)
        order = filled + blanks
    for new_r, i in enumerate(order):
        for j, cell in enumerate(keyed[i][1]):
            sh.put(r1 + new_r, c1 + j, cell)
    sh.trim()


def sort_range(ss: Spreadsheet, body: dict) -> dict:
    sh, r1, c1, r2, c2 = grid(ss, body.get("range") or {})
    specs = body.get("sortSpecs") or [{"dimensionIndex": c1, "sortOrder": "ASCENDING"}]
    for s in specs:
        if not c1 <= s.get("dimensionIndex", 0) < c2:
            raise bad("Sort dimension index is outside the sort range.")
    sort_rows(ss, sh, (r1, c1, r2, c2), specs)
    return {}


HANDLERS = {"insertDimension": insert_dimension, "appendDimension": append_dimension,
            "deleteDimension": delete_dimension, "updateDimensionProperties": update_dimension_properties,
            "autoResizeDimensions": auto_resize, "sortRange": sort_range}
