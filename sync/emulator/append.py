"""values:append and Google's table detection: a whole-sheet range picks
the table holding the last value; a range picks the table at its top-left
cell (see the module doc of the conformance test)."""

from __future__ import annotations

from typing import Any

from .a1 import Box, format_range
from .model import Sheet, Spreadsheet, bad
from .values_write import check_values, input_option, public, with_values, write_block

Box4 = tuple[int, int, int, int]


def values_append(ss: Spreadsheet, rng: str, q: dict[str, str], data: dict) -> dict:
    opt = input_option(q.get("valueInputOption"))
    insert = q.get("insertDataOption", "OVERWRITE")
    if insert not in ("OVERWRITE", "INSERT_ROWS"):
        raise bad("Invalid value at 'insert_data_option' "
                  f"(type.googleapis.com/google.apps.sheets.v4.ValueRangeInsertDataOption), \"{insert}\"")
    work = ss.clone()
    sh, box = work.resolve(rng)
    table = find_table(sh, box)
    if table is None:
        at = (0, 0) if box is None else (box.r1, box.c1)
    else:
        at = (table[2], table[1])
    values = check_values(data.get("values"))
    n = len(values) if data.get("majorDimension") != "COLUMNS" else max((len(c) for c in values), default=0)
    if insert == "INSERT_ROWS" and n:
        sh.insert_rows(min(at[0], sh.row_count), n)
        work.check_cells()
    resp = write_block(work, rng, values, data.get("majorDimension"), opt, append_at=at)
    ss.adopt(work)
    out: dict[str, Any] = {"spreadsheetId": ss.id}
    if table is not None:
        out["tableRange"] = format_range(sh.title, *table)
    out["updates"] = with_values(ss, public(resp, ss.id), q)
    return out


def find_table(sh: Sheet, box: Box | None) -> Box4 | None:
    """The (top, left, bottom, right) of the table an append goes after, or
    None when there is none. The table found may extend past the range
    (gspread's ``table_range="A1:C1"`` idiom appends below the whole table)."""
    seed = _seed(sh, box)
    if seed is None:
        return None
    return _grow_block(sh, seed, (0, 0, sh.row_count, sh.col_count))


def _filled(sh: Sheet, r: int, c: int) -> bool:
    cell = sh.get(r, c)
    return cell is not None and cell.kind != ""


def _seed(sh: Sheet, box: Box | None) -> tuple[int, int] | None:
    """A single-cell range seeds at that cell (if filled); any other range
    at its last filled cell."""
    r1, c1, r2, c2 = Spreadsheet.clamp(sh, box)
    single = (box is not None and box.r2 is not None and box.c2 is not None
              and box.r2 - box.r1 == 1 and box.c2 - box.c1 == 1)
    if single:
        return (r1, c1) if _filled(sh, r1, c1) else None
    for r in range(min(r2, len(sh.rows)) - 1, r1 - 1, -1):
        for c in range(min(c2, len(sh.rows[r])) - 1, c1 - 1, -1):
            if _filled(sh, r, c):
                return r, c
    return None


def _grow_block(sh: Sheet, seed: tuple[int, int], lim: Box4) -> Box4:
    """Grow the bounding box of the contiguous (8-connected) block."""
    top, left, bottom, right = seed[0], seed[1], seed[0] + 1, seed[1] + 1
    changed = True
    while changed:
        cols = range(max(left - 1, lim[1]), min(right + 1, lim[3]))
        rows = range(max(top - 1, lim[0]), min(bottom + 1, lim[2]))
        grow = (top > lim[0] and any(_filled(sh, top - 1, c) for c in cols),
                bottom < lim[2] and any(_filled(sh, bottom, c) for c in cols),
                left > lim[1] and any(_filled(sh, r, left - 1) for r in rows),
                right < lim[3] and any(_filled(sh, r, right) for r in rows))
        top, bottom, left, right = top - grow[0], bottom + grow[1], left - grow[2], right + grow[3]
        changed = any(grow)
    return top, left, bottom, right
