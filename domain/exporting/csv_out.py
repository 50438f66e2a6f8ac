"""An export as .csv for Excel: UTF-8 with a BOM (Chinese Excel reads
anything else as mojibake), dates ISO, money 1234.50, and text that a
spreadsheet would run as a formula made harmless (OWASP CSV injection): a
cell starting with ``=``, ``+``, ``-``, ``@``, TAB, CR or LF gets a leading ``'``.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from domain.exporting.columns import DATE, MONEY, NUMBER, Column
from domain.money import format_yuan

FORMULA_STARTS = frozenset("=+-@\t\r\n")


def escape_cell(text: str) -> str:
    return "'" + text if text[:1] in FORMULA_STARTS else text


def _texts(kind: str, values: list) -> list[str]:
    """One column's cells as CSV text (a comprehension per column, not a call per cell)."""
    if kind == MONEY:
        return ["" if v is None else format_yuan(v) for v in values]
    if kind == NUMBER:
        return ["" if v is None else str(v) for v in values]
    if kind == DATE:
        values = [v.isoformat() if isinstance(v, dt.date) else (v or "") for v in values]
    return [("'" + v) if v[:1] in FORMULA_STARTS else v for v in values]


def csv_rows(columns: list[Column], cells: list[list]):
    """The header, then one row per record; ``cells``: one list per column."""
    yield [escape_cell(c.header) for c in columns]
    yield from zip(*(_texts(c.kind, values) for c, values in zip(columns, cells)))


def write_csv(path: Path, columns: list[Column], cells: list[list]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(csv_rows(columns, cells))
