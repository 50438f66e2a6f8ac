"""Cell values: parsing user input (RAW / USER_ENTERED), a small formula
evaluator, and rendering (FORMATTED_VALUE / UNFORMATTED_VALUE / FORMULA).

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
from typing import Any, Callable, NamedTuple

from .a1 import RangeError, letters_to_col, split_sheet


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


def serial_to_date(serial: float) -> _dt.datetime:
    return _dt.datetime.combine(EPOCH, _dt.time()) + _dt.timedelta(days=serial)


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


# ---------------------------------------------------------------- formulas

class FormulaError(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+)"
    r"|(?P<str>\"(?:[^\"]|\"\")*\")"
    r"|(?P<ref>(?:'(?:[^']|'')+'!|[A-Za-z_][A-Za-z0-9_]*!)?\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_.]*)"
    r"|(?P<op><>|<=|>=|[-+*/^&(),:<>=;%]))"
)


def _tokenize(src: str) -> list[tuple[str, str]]:
    pos, out = 0, []
    src = src.rstrip()
    while pos < len(src):
        m = _TOKEN.match(src, pos)
        if not m or m.end() == pos:
            raise FormulaError("#ERROR!")
        pos = m.end()
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
    return out


Resolver = Callable[[str | None, int, int, int, int], list[list[Any]]]


class _Parser:
    def __init__(self, tokens, resolve: Resolver):
        self.t = tokens
        self.i = 0
        self.resolve = resolve

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else (None, None)

    def take(self, value=None):
        tok = self.peek()
        if tok[0] is None or (value is not None and tok[1] != value):
            raise FormulaError("#ERROR!")
        self.i += 1
        return tok

    def parse(self):
        v = self.compare()
        if self.i != len(self.t):
            raise FormulaError("#ERROR!")
        return v

    def compare(self):
        a = self.concat()
        while self.peek()[1] in ("=", "<>", "<", ">", "<=", ">="):
            op = self.take()[1]
            b = self.concat()
            a, b = _scalar(a), _scalar(b)
            try:
                a = {"=": a == b, "<>": a != b, "<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]
            except TypeError:
                a = str(a) < str(b) if op == "<" else False
        return a

    def concat(self):
        a = self.additive()
        while self.peek()[1] == "&":
            self.take()
            b = self.additive()
            a = _text(_scalar(a)) + _text(_scalar(b))
        return a

    def additive(self):
        a = self.term()
        while self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            b = self.term()
            a = _number(a) + _number(b) if op == "+" else _number(a) - _number(b)
        return a

    def term(self):
        a = self.power()
        while self.peek()[1] in ("*", "/"):
            op = self.take()[1]
            b = self.power()
            if op == "*":
                a = _number(a) * _number(b)
            else:
                d = _number(b)
                if d == 0:
                    raise FormulaError("#DIV/0!")
                a = _number(a) / d
        return a

    def power(self):
        a = self.unary()
        while self.peek()[1] == "^":
            self.take()
            b = self.unary()
            a = _number(a) ** _number(b)
        return a

    def unary(self):
        if self.peek()[1] == "-":
            self.take()
            return -_number(self.unary())
        if self.peek()[1] == "+":
            self.take()
            return _number(self.unary())
        v = self.primary()
        if self.peek()[1] == "%":
            self.take()
            v = _number(v) / 100
        return v

    def primary(self):
        kind, val = self.take()
        if kind == "num":
            return float(val)
        if kind == "str":
            return val[1:-1].replace('""', '"')
        if kind == "ref":
            return self.ref(val)
        if kind == "name":
            up = val.upper()
            if self.peek()[1] == "(":
                self.take("(")
                args = []
                if self.peek()[1] != ")":
                    args.append(self.compare())
                    while self.peek()[1] in (",", ";"):
                        self.take()
                        args.append(self.compare())
                self.take(")")
                return _call(up, args)
            if up in ("TRUE", "FALSE"):
                return up == "TRUE"
            raise FormulaError("#NAME?")
        if val == "(":
            v = self.compare()
            self.take(")")
            return v
        raise FormulaError("#ERROR!")

    def ref(self, text: str):
        text = text.replace("$", "")
        title, cells = split_sheet(text) if "!" in text else (None, text)
        parts = cells.split(":")
        refs = []
        for p in parts:
            m = re.match(r"([A-Za-z]+)(\d+)", p)
            refs.append((int(m.group(2)) - 1, letters_to_col(m.group(1))))
        (r1, c1) = refs[0]
        (r2, c2) = refs[-1]
        r1, r2 = min(r1, r2), max(r1, r2) + 1
        c1, c2 = min(c1, c2), max(c1, c2) + 1
        grid = self.resolve(title, r1, c1, r2, c2)
        if len(parts) == 1:
            return grid[0][0]
        return _Range(grid)


class _Range(list):
    """A rectangular block of values from a range reference."""


def _flatten(args):
    for a in args:
        if isinstance(a, _Range):
            for row in a:
                yield from row
        else:
            yield a


def _scalar(v):
    if isinstance(v, _Range):
        return v[0][0] if v and v[0] else None
    return v


def _number(v) -> float:
    v = _scalar(v)
    if v is None or v == "":
        return 0.0
    if isinstance(v, ErrorValue):
        raise FormulaError(str(v))
    if isinstance(v, bool):
        return float(v)
    if isinstance(v, (int, float)):
        return float(v)
    try:
        return float(str(v).strip())
    except ValueError:
        raise FormulaError("#VALUE!") from None


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (int, float)):
        return format_number(v)
    return str(v)


def _call(name: str, args):
    nums = lambda: [float(x) for x in _flatten(args) if isinstance(x, (int, float)) and not isinstance(x, bool)]  # noqa: E731
    if name == "SUM":
        total = 0.0
        for a in args:
            if isinstance(a, _Range):
                total += sum(float(x) for row in a for x in row if isinstance(x, (int, float)) and not isinstance(x, bool))
            else:
                total += _number(a)
        return total
    if name == "AVERAGE":
        xs = nums()
        if not xs:
            raise FormulaError("#DIV/0!")
        return sum(xs) / len(xs)
    if name == "MIN":
        return min(nums(), default=0.0)
    if name == "MAX":
        return max(nums(), default=0.0)
    if name == "COUNT":
        return float(len(nums()))
    if name == "COUNTA":
        return float(sum(1 for x in _flatten(args) if x not in (None, "")))
    if name == "IF":
        cond = _scalar(args[0]) if args else False
        if isinstance(cond, str):
            cond = cond != ""
        if cond:
            return args[1] if len(args) > 1 else True
        return args[2] if len(args) > 2 else False
    if name in ("CONCATENATE", "CONCAT"):
        return "".join(_text(x) for x in _flatten(args))
    if name == "LEN":
        return float(len(_text(_scalar(args[0]))))
    if name == "UPPER":
        return _text(_scalar(args[0])).upper()
    if name == "LOWER":
        return _text(_scalar(args[0])).lower()
    if name == "ABS":
        return abs(_number(args[0]))
    if name == "ROUND":
        digits = int(_number(args[1])) if len(args) > 1 else 0
        x = _number(args[0])
        q = 10 ** digits
        return math.floor(abs(x) * q + 0.5) / q * (1 if x >= 0 else -1)
    if name == "ROW" and not args:
        raise FormulaError("#N/A")
    raise FormulaError("#NAME?")


def evaluate(formula: str, resolve: Resolver) -> Any:
    """Evaluate ``=...``; returns a float, str, bool or ErrorValue."""
    try:
        tokens = _tokenize(formula[1:])
        if not tokens:
            raise FormulaError("#ERROR!")
        v = _Parser(tokens, resolve).parse()
        v = _scalar(v)
        if v is None:
            return 0.0
        return v
    except FormulaError as e:
        return ErrorValue(e.code)
    except (RangeError, RecursionError, OverflowError, ZeroDivisionError, IndexError, AttributeError, ValueError):
        return ErrorValue("#ERROR!")


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
