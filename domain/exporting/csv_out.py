"""An export as .csv for Excel: UTF-8 with a BOM (Chinese Excel reads
anything else as mojibake), dates ISO, money 1234.50, and text that a
spreadsheet would run as a formula made harmless (OWASP CSV injection): a
cell starting with ``=``, ``+``, ``-``, ``@``, TAB, CR or LF gets a leading ``'``.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from domain.exporting.columns import DATE, MONEY, NUMBER, Column
from domain.money import format_yuan

FORMULA_STARTS = frozenset("=+-@\t\r\n")


def escape_cell(text: str) -> str:
    return "'" + text if text[:1] in FORMULA_STARTS else text


def _date_text(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return escape_cell(str(value)) if value else ""


def _converter(kind: str) -> Callable[[object], str]:
    """How a typed cell of ``kind`` becomes CSV text (one function per column, not per cell)."""
    if kind == MONEY:
        return lambda v: "" if v is None else format_yuan(v)
    if kind == NUMBER:
        return lambda v: "" if v is None else str(v)
    if kind == DATE:
        return _date_text
    return escape_cell


def csv_rows(columns: list[Column], rows: list[list]):
    convert = [_converter(c.kind) for c in columns]
    yield [escape_cell(c.header) for c in columns]
    for row in rows:
        yield [f(v) for f, v in zip(convert, row)]


def write_csv(path: Path, columns: list[Column], rows: list[list]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(csv_rows(columns, rows))
