"""An export as .csv for Excel: UTF-8 with a BOM (Chinese Excel reads
anything else as mojibake), dates ISO, money 1234.50, and text that a
spreadsheet would run as a formula made harmless (OWASP CSV injection): a
cell starting with ``=``, ``+``, ``-``, ``@``, TAB, CR or LF gets a leading ``'``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from domain.exporting.columns import MONEY, NUMBER, Column, shown

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def escape_cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_rows(columns: list[Column], rows: list[list]):
    kinds = [c.kind for c in columns]
    yield [escape_cell(c.header) for c in columns]
    for row in rows:
        yield [shown(k, v) if k in (MONEY, NUMBER) else escape_cell(shown(k, v)) for k, v in zip(kinds, row)]


def write_csv(path: Path, columns: list[Column], rows: list[list]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(csv_rows(columns, rows))
