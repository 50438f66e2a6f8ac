"""The columns of an export: one per field, typed for the file formats.

A column's header is the field's label (Chinese by default), its kind says
how a cell is written (``date`` a real date, ``money`` integer fen shown in
元, ``text`` always text: 身份证号 and phone numbers must never become
numbers), and ``summed`` whether a 合计 row adds it up.  Sensitive fields
are left out unless asked for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter

from domain import fields as ft
from domain.fields import FIELDS, field
from domain.i18n import language, register, tr
from domain.money import format_yuan
from domain.printable import display_width as cells_of
from domain.validation import format_value

register({
    "export.col_id": ("编号", "Id"),
    "export.total": ("合计", "Total"),
})

TEXT, DATE, MONEY, NUMBER = "text", "date", "money", "number"
#: Money columns that add up (a family's income does not).
SUMMED = {("visit", "amount")}
#: Field types no list shows: an event's per-occurrence records (JSON; its
#: participants column already names everyone who took part).
LEFT_OUT = {ft.OCCURRENCES}
_KIND_OF = {ft.DATE: DATE, ft.MONEY: MONEY, ft.INT: NUMBER, ft.YEAR: NUMBER}


@dataclass(frozen=True)
class Column:
    name: str
    header: str
    kind: str  # text, date, money, number
    values: Callable[[list[dict]], list]  # the column's cells: str, dt.date, int fen, int or None
    summed: bool = False


def _date(text):
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return text or None  # a stored value that is no date stays as typed


def _raw(records: list[dict], name: str) -> list:
    """The field of every record: C-speed when all have it, else the slow way
    (records older than a field lack it)."""
    try:
        return list(map(itemgetter(name), records))
    except KeyError:
        return [r.get(name) for r in records]


def _values(f, kind: str) -> Callable[[list[dict]], list]:
    """A column's cells from the records, one comprehension per column (a
    function call per cell made a 32,000-row export twice as slow)."""
    name = f.name
    if kind == DATE:
        return lambda records: [_date(v) for v in _raw(records, name)]
    if kind in (MONEY, NUMBER):
        return lambda records: _raw(records, name)

    def texts(records: list[dict]) -> list[str]:
        raw = _raw(records, name)  # text is stored as str; anything else as its text
        return [v if v.__class__ is str else format_value(f, v) for v in raw]
    return texts


def columns_for(kind: str, include_sensitive: bool = False,
                member_names: dict[str, str] | None = None) -> list[Column]:
    """The columns of ``kind``'s export in field order, member ids and 编号 last.

    ``member_names`` (id -> name) turns an event's participants into names."""
    zh = language() == "zh"
    cols = []
    for f in FIELDS[kind]:
        if (f.sensitive and not include_sensitive) or f.type in LEFT_OUT:
            continue
        col_kind = _KIND_OF.get(f.type, TEXT)
        value = _values(f, col_kind)
        if f.type == ft.MEMBER_LIST:
            value = _names(f.name, member_names or {})
        header = f.label if zh else f.label_en
        if col_kind == MONEY and zh:
            header += "（元）"
        cols.append(Column(f.name, header, col_kind, value,
                           summed=(kind, f.name) in SUMMED))
    # record ids mean nothing to a reader: last, where a re-import still finds them
    cols.sort(key=lambda c: field_type(kind, c.name) == ft.MEMBER_REF)
    cols.append(Column("id", tr("export.col_id"), TEXT, lambda records: _raw(records, "id")))
    return cols


def field_type(kind: str, name: str) -> str:
    return field(kind, name).type


def _names(name: str, member_names: dict[str, str]) -> Callable[[list[dict]], list[str]]:
    return lambda records: ["、".join(member_names.get(i, i) for i in r.get(name) or ()) for r in records]


def has_sensitive(kind: str) -> bool:
    return any(f.sensitive for f in FIELDS[kind])


def display_width(text: str) -> int:
    """Cells a string takes in a monospaced view: CJK (wide, full-width) counts 2."""
    return len(text) if text.isascii() else cells_of(text)  # ids and numbers: no per-character look-up


def column_widths(columns: list[Column], cells: list[list], cap: int = 60) -> list[int]:
    """Each column's widest cell (as shown) by display width, header included.

    ``cells``: one list per column.  Measured once per distinct value: a
    roster repeats its groups and reasons."""
    widths = []
    for col, values in zip(columns, cells):
        widest = max((display_width(shown(col.kind, v)) for v in set(values)), default=0)
        widths.append(min(max(widest, display_width(col.header)), cap))
    return widths


def shown(kind: str, value) -> str:
    """A cell as a person reads it: dates ISO, money 1234.50, empty as nothing."""
    if value is None or value == "":
        return ""
    if kind == MONEY:
        return format_yuan(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def table(columns: list[Column], records: list[dict]) -> list[list]:
    """The cells of the records, one list per column (typed values)."""
    return [c.values(records) for c in columns]


def totals(columns: list[Column], cells: list[list]) -> list[int | None]:
    """Integer fen for each summed column, None elsewhere."""
    return [sum(v or 0 for v in values) if c.summed else None for c, values in zip(columns, cells)]
