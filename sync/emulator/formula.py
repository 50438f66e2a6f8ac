"""A small formula evaluator: arithmetic, comparison, ``&``, references
(``A1``, ``A1:B2``, ``'Tab'!A1``) and a few functions (SUM, AVERAGE, MIN,
MAX, COUNT, COUNTA, IF, CONCATENATE, LEN, UPPER, LOWER, ABS, ROUND).
Errors come back as ``ErrorValue`` (``#DIV/0!``, ``#NAME?``, ...), as in
the browser."""

from __future__ import annotations

import math
import re
from typing import Any, Callable

from .a1 import RangeError, letters_to_col, split_sheet
from .values import ErrorValue, format_number

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
