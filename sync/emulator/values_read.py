"""values.get and values:batchGet: a range's values, rendered as asked
(FORMATTED_VALUE / UNFORMATTED_VALUE / FORMULA, SERIAL_NUMBER /
FORMATTED_STRING, ROWS / COLUMNS), trailing empties dropped as Google
drops them."""

from __future__ import annotations

from typing import Any, NamedTuple

from .a1 import format_range
from .model import Sheet, Spreadsheet, bad
from .values import render

VALUE_RENDER = ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")
DATE_RENDER = ("SERIAL_NUMBER", "FORMATTED_STRING")
MAJOR = ("ROWS", "COLUMNS")


class RenderOptions(NamedTuple):
    value: str = "FORMATTED_VALUE"
    date: str = "SERIAL_NUMBER"
    major: str = "ROWS"


def render_options(q: dict[str, str]) -> RenderOptions:
    """The query's render options, refused as Google refuses them."""
    opts = RenderOptions(q.get("valueRenderOption", "FORMATTED_VALUE"),
                         q.get("dateTimeRenderOption", "SERIAL_NUMBER"), q.get("majorDimension", "ROWS"))
    for value, allowed, field, proto in ((opts.value, VALUE_RENDER, "value_render_option", "ValueRenderOption"),
                                         (opts.date, DATE_RENDER, "date_time_render_option", "DateTimeRenderOption"),
                                         (opts.major, MAJOR, "major_dimension", "Dimension")):
        if value not in allowed:
            raise bad(f"Invalid value at '{field}' (type.googleapis.com/google.apps.sheets.v4.{proto}), \"{value}\"")
    return opts


def values_grid(ss: Spreadsheet, sh: Sheet, box: tuple[int, int, int, int], opts: RenderOptions) -> list[list[Any]]:
    """The rendered values of ``box`` (r1, c1, r2, c2), trailing empty cells
    and rows dropped."""
    r1, c1, r2, c2 = box
    memo: dict = {}
    grid: list[list[Any]] = []
    for r in range(r1, min(r2, len(sh.rows))):
        row = sh.rows[r]
        out = []
        for c in range(c1, min(c2, len(row))):
            cell = row[c]
            if cell is None or cell.kind == "":
                out.append("")
            else:
                v = ss.effective(sh, r, c, memo, set()) if cell.kind == "f" else cell.value
                out.append(render(v, cell, opts.value, opts.date))
        grid.append(out)
    if opts.major == "COLUMNS":
        width = max((len(r) for r in grid), default=0)
        grid = [[row[c] if c < len(row) else "" for row in grid] for c in range(width)]
    for row in grid:
        while row and row[-1] == "":
            row.pop()
    while grid and not grid[-1]:
        grid.pop()
    return grid


def value_range(ss: Spreadsheet, rng: str, q: dict[str, str]) -> dict:
    """One ValueRange: the echoed range (clamped to the grid) and values."""
    opts = render_options(q)
    sh, box = ss.resolve(rng)
    clamped = ss.clamp(sh, box)
    out: dict[str, Any] = {"range": format_range(sh.title, *clamped), "majorDimension": opts.major}
    vals = values_grid(ss, sh, clamped, opts)
    if vals:
        out["values"] = vals
    return out


def values_batch_get(ss: Spreadsheet, ranges: list[str], q: dict[str, str]) -> dict:
    out: dict[str, Any] = {"spreadsheetId": ss.id}
    if ranges:
        out["valueRanges"] = [value_range(ss, r, q) for r in ranges]
    return out
