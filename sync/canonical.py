"""Values in the canonical text form the sync compares and keeps in bases.

A cell as read (text, number or bool) and a stored value both become one
text per field, so that a date retyped ``2025/3/8`` equals ``2025-03-08``
and a money cell we wrote reads back equal without parsing.
"""

from __future__ import annotations

from typing import Any

from domain import fields as ft
from domain.fields import Field

# field types whose stored value already is its canonical text
PLAIN_TYPES = (ft.TEXT, ft.DATE, ft.CHOICE, ft.MOBILE, ft.IDCARD, ft.MEMBER_REF)


def cell_text(v: Any) -> str:
    """A cell as read (text, number or bool) to the text compared."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v).strip() if isinstance(v, str) else str(v)


def canon(f: Field, value: Any) -> str:
    """A stored value in the canonical text compared and kept in bases.

    Money is the yuan number as the sheet shows it unformatted (``300``,
    ``300.5``), so a cell we wrote reads back equal without parsing."""
    if value is None or value == "" or value == []:
        return ""
    t = f.type
    if t == ft.MONEY:
        whole, frac = divmod(value, 100)
        return str(whole) if not frac else repr(value / 100)
    if t == ft.MEMBER_LIST:
        return ",".join(value)
    return value if isinstance(value, str) else str(value)


def to_cell(f: Field, text: str) -> Any:
    """The value written (RAW) for a canonical text: numbers for money,
    counts and years (so the district can add them up), text otherwise."""
    if text == "":
        return ""
    if f.type in (ft.MONEY, ft.INT, ft.YEAR):
        try:
            return int(text)
        except ValueError:
            return float(text)
    return text


def blank(row: list) -> bool:
    return all(c is None or c == "" for c in row)


def cell_at(row: list, col: int | None) -> Any:
    """The cell at 0-based ``col`` ("" past the row's end or with no column)."""
    if col is None or col >= len(row):
        return ""
    return row[col]
