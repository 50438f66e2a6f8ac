"""Cell values: parsing user input (RAW / USER_ENTERED) and rendering
(FORMATTED_VALUE / UNFORMATTED_VALUE / FORMULA). Formulas are evaluated in
``formula.py``.

A cell is an immutable tuple ``Cell(kind, value, formula, display, note)``:

- kind: "s" text, "n" number, "b" boolean, "d" date/date-time (value is the
  serial number), "f" formula (value unused, computed on read);
- display: the formatted text when it is not derived from the value (dates,
  percentages, numbers typed with thousands separators), else None;
- note: the cell's note, or None.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Any, NamedTuple


class Cell(NamedTuple):
    kind: str
    value: Any
    formula: str | None = None
    display: str | None = None
    note: str | None = None


class ErrorValue(str):
    """A formula error such as #DIV/0!; rendered as its text."""


EPOCH = _dt.date(1899, 12, 30)

_NUM = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\Z")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?\Z")
_PERCENT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)%\Z")
_DATE_ISO = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\Z")
_DATE_US = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})\Z")


def date_serial(d: _dt.date) -> int:
    return (d - EPOCH).days


def _num(v: float) -> int | float:
    if isinstance(v, bool):
        return v
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e17:
        return int(v)
    return v


def format_number(v: float) -> str:
    """Google's automatic number format, roughly: integers as typed, up to
    10 significant decimals otherwise."""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer() and abs(v) < 1e15):
        return str(int(v))
    if isinstance(v, float) and (math.isinf(v) or math.isnan(v)):
        return "#NUM!"
    text = f"{v:.10g}"
    if "e" in text:
        mant, exp = text.split("e")
        text = f"{mant}E{'+' if int(exp) >= 0 else '-'}{abs(int(exp)):02d}"
    return text


def raw_cell(value: Any) -> Cell | None:
    """RAW input: strings stored exactly, JSON numbers/bools as such."""
    if value is None:
        return None
    if isinstance(value, bool):
        return Cell("b", value)
    if isinstance(value, (int, float)):
        return Cell("n", value)
    text = str(value)
    if text == "":
        return None
    return Cell("s", text)


def user_entered_cell(value: Any) -> Cell | None:
    """USER_ENTERED input: parse as if typed in the browser (en_US)."""
    if value is None or isinstance(value, (bool, int, float)):
        return raw_cell(value)
    text = str(value)
    if text == "":
        return None
    if text.startswith("'"):
        rest = text[1:]
        return Cell("s", rest) if rest else None
    if text.startswith("=") and len(text) > 1:
        return Cell("f", None, text)
    stripped = text.strip()
    if _NUM.match(stripped):
        return Cell("n", _num(float(stripped)))
    if _THOUSANDS.match(stripped):
        return Cell("n", _num(float(stripped.replace(",", ""))), display=stripped)
    if _PERCENT.match(stripped):
        return Cell("n", float(stripped[:-1]) / 100, display=stripped)
    upper = stripped.upper()
    if upper in ("TRUE", "FALSE"):
        return Cell("b", upper == "TRUE")
    m = _DATE_ISO.match(stripped)
    if m:
        try:
            d = _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return Cell("s", text)
        serial: float = date_serial(d)
        if m.group(4) is not None:
            secs = int(m.group(4)) * 3600 + int(m.group(5)) * 60 + int(m.group(6) or 0)
            serial = serial + secs / 86400
        return Cell("d", _num(serial), display=stripped)
    m = _DATE_US.match(stripped)
    if m:
        try:
            d = _dt.date(int(m.group(3)), int(m.group(1)), int(m.group(2)))
        except ValueError:
            return Cell("s", text)
        return Cell("d", date_serial(d), display=stripped)
    return Cell("s", text)


# ---------------------------------------------------------------- rendering

def render(value: Any, cell: Cell, value_render: str, date_render: str) -> Any:
    """Render one computed value. ``value`` is the effective value (for a
    formula cell, its result)."""
    if value_render == "FORMULA" and cell.kind == "f":
        return cell.formula
    kind = cell.kind
    if kind == "d":
        if value_render == "FORMATTED_VALUE" or date_render == "FORMATTED_STRING":
            return cell.display if cell.display is not None else format_number(value)
        return _num(value)
    if isinstance(value, ErrorValue):
        return str(value)
    if isinstance(value, bool):
        if value_render == "FORMATTED_VALUE":
            return "TRUE" if value else "FALSE"
        return value
    if isinstance(value, (int, float)):
        if value_render == "FORMATTED_VALUE":
            return cell.display if cell.display is not None else format_number(value)
        return _num(value)
    return "" if value is None else value
