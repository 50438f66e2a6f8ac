"""values.update, values:batchUpdate, values.clear and values:batchClear.
A write goes to a working copy of the spreadsheet, adopted only when every
range succeeded (one bad range and nothing is written, as with Google)."""

from __future__ import annotations

import json
from typing import Any, Callable

from .a1 import Box, RangeError, col_to_letters, format_range, split_sheet
from .model import ApiError, Sheet, Spreadsheet, bad
from .values import Cell, raw_cell, user_entered_cell
from .values_read import value_range

Box4 = tuple[int, int, int, int]


def check_values(values: Any) -> list[list[Any]]:
    """``values`` must be a list of lists (Google's ListValue errors)."""
    if values is None:
        return []
    if not isinstance(values, list):
        raise _list_value_error("data.values", values)
    for i, row in enumerate(values):
        if not isinstance(row, list):
            raise _list_value_error(f"data.values[{i}]", row)
    return list(values)


def _list_value_error(field: str, value: Any) -> ApiError:
    msg = (f"Invalid value at '{field}' (type.googleapis.com/google.protobuf.ListValue), "
           f"{json.dumps(value, ensure_ascii=False)}")
    return ApiError(400, msg, details=[{"@type": "type.googleapis.com/google.rpc.BadRequest",
                                        "fieldViolations": [{"field": field, "description": msg}]}])


def input_option(opt: str | None) -> str:
    if not opt:
        raise bad("'valueInputOption' is required but not specified")
    if opt not in ("RAW", "USER_ENTERED"):
        raise bad("Invalid value at 'value_input_option' "
                  f"(type.googleapis.com/google.apps.sheets.v4.ValueInputOption), \"{opt}\"")
    return opt


def write_block(ss: Spreadsheet, rng: str, values: Any, major: str | None, opt: str, *,
                append_at: tuple[int, int] | None = None) -> dict:
    """Write a block at ``rng``, or for an append at ``append_at`` (the
    grid grows to fit); returns the UpdateValuesResponse without the
    spreadsheet id (keys starting with ``_`` are for batch totals only)."""
    sh, box = ss.resolve(rng)
    values = check_values(values)
    if major == "COLUMNS":
        width = max((len(r) for r in values), default=0)
        values = [[col[i] if i < len(col) else None for col in values] for i in range(width)]
    at = append_at or ((0, 0) if box is None else (box.r1, box.c1))
    r1, c1 = at
    n, m = len(values), max((len(r) for r in values), default=0)
    if n == 0 or m == 0:
        return {"updatedRange": format_range(sh.title, r1, c1, r1 + 1, c1 + 1)}
    block = (r1, c1, r1 + n, c1 + m)
    if box is not None and append_at is None:
        _check_inside(rng, box, block)
    _fit_grid(ss, sh, block, grow=append_at is not None)
    rows, cols, cells = _put_cells(sh, at, values, raw_cell if opt == "RAW" else user_entered_cell)
    return {"updatedRange": format_range(sh.title, *block), "updatedRows": rows, "updatedColumns": cols,
            "updatedCells": cells, "_sheet": sh.sheet_id, "_rows": range(r1, r1 + n), "_cols": range(c1, c1 + m)}


def _check_inside(rng: str, box: Box, block: Box4) -> None:
    """A bounded range (``A1:B2``) refuses values past its end; a single
    cell is only an anchor."""
    try:
        _, cells_text = split_sheet(rng)
    except RangeError:
        return
    if cells_text is None or ":" not in cells_text:
        return
    if box.r2 is not None and block[2] > box.r2:
        raise bad(f"Requested writing within range [{rng}], but tried writing to row [{block[2]}]")
    if box.c2 is not None and block[3] > box.c2:
        raise bad(f"Requested writing within range [{rng}], but tried writing to column "
                  f"[{col_to_letters(block[3] - 1)}]")


def _fit_grid(ss: Spreadsheet, sh: Sheet, block: Box4, grow: bool) -> None:
    """Grow the grid for ``block`` (appends) or refuse it (other writes)."""
    if block[2] <= sh.row_count and block[3] <= sh.col_count:
        return
    if not grow:
        raise bad(f"Range ({format_range(sh.title, *block)}) exceeds grid limits. "
                  f"Max rows: {sh.row_count}, max columns: {sh.col_count}")
    sh.set_size(max(sh.row_count, block[2]), max(sh.col_count, block[3]))
    ss.check_cells()


def _put_cells(sh: Sheet, at: tuple[int, int], values: list[list[Any]],
               parse: Callable[[Any], Cell | None]) -> tuple[int, int, int]:
    """Store the non-null values (a cell's note survives); returns the
    rows, columns and cells touched."""
    touched_r: set[int] = set()
    touched_c: set[int] = set()
    cells = 0
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, (dict, list)):
                raise bad(f"Invalid values[{i}][{j}]: {json.dumps(v)}")
            touched_r.add(i)
            touched_c.add(j)
            old = sh.get(at[0] + i, at[1] + j)
            cell = parse(v)
            if old is not None and old.note:
                cell = (cell or Cell("", None))._replace(note=old.note)
            sh.put(at[0] + i, at[1] + j, cell)
            cells += 1
    sh.trim()
    return len(touched_r), len(touched_c), cells


def public(resp: dict, sid: str) -> dict:
    return {"spreadsheetId": sid, **{k: v for k, v in resp.items() if not k.startswith("_")}}


def with_values(ss: Spreadsheet, resp: dict, q: dict) -> dict:
    """Add ``updatedData`` when ``includeValuesInResponse`` asks for it."""
    if str(q.get("includeValuesInResponse", "false")).lower() == "true":
        opts = {"valueRenderOption": q.get("responseValueRenderOption", "FORMATTED_VALUE"),
                "dateTimeRenderOption": q.get("responseDateTimeRenderOption", "SERIAL_NUMBER")}
        resp["updatedData"] = value_range(ss, resp["updatedRange"], opts)
    return resp


def values_update(ss: Spreadsheet, rng: str, q: dict[str, str], data: dict) -> dict:
    opt = input_option(q.get("valueInputOption"))
    work = ss.clone()
    resp = write_block(work, rng, data.get("values"), data.get("majorDimension"), opt)
    ss.adopt(work)
    return with_values(ss, public(resp, ss.id), q)


_TOTALS = ("totalUpdatedRows", "totalUpdatedColumns", "totalUpdatedCells", "totalUpdatedSheets")


def values_batch_update(ss: Spreadsheet, data: dict) -> dict:
    opt = input_option(data.get("valueInputOption"))
    work = ss.clone()
    responses = [write_block(work, item.get("range", ""), item.get("values"), item.get("majorDimension"), opt)
                 for item in data.get("data") or []]
    ss.adopt(work)
    out: dict[str, Any] = {"spreadsheetId": ss.id}
    if not responses:
        return out
    written = [r for r in responses if "_sheet" in r]
    total = sum(r.get("updatedCells", 0) for r in responses)
    if total:
        out.update(zip(_TOTALS, (len({(r["_sheet"], i) for r in written for i in r["_rows"]}),
                                 len({(r["_sheet"], i) for r in written for i in r["_cols"]}),
                                 total, len({r["_sheet"] for r in written}))))
    out["responses"] = [with_values(ss, public(r, ss.id), data) for r in responses]
    return out


def clear_box(sh: Sheet, box: Box4) -> None:
    """Clear values in ``box``; notes stay."""
    r1, c1, r2, c2 = box
    for r in range(r1, min(r2, len(sh.rows))):
        row = sh.rows[r]
        for c in range(c1, min(c2, len(row))):
            cell = row[c]
            if cell is not None:
                row[c] = Cell("", None, note=cell.note) if cell.note else None
    sh.trim()


def values_clear(ss: Spreadsheet, rng: str, q: dict, data: dict) -> dict:
    sh, box = ss.resolve(rng)
    clamped = ss.clamp(sh, box)
    clear_box(sh, clamped)
    ss.touch()
    return {"spreadsheetId": ss.id, "clearedRange": format_range(sh.title, *clamped)}


def values_batch_clear(ss: Spreadsheet, data: dict) -> dict:
    resolved = [ss.resolve(r) for r in data.get("ranges") or []]
    cleared = []
    for sh, box in resolved:
        clamped = ss.clamp(sh, box)
        clear_box(sh, clamped)
        cleared.append(format_range(sh.title, *clamped))
    ss.touch()
    out: dict[str, Any] = {"spreadsheetId": ss.id}
    if cleared:
        out["clearedRanges"] = cleared
    return out
