"""A report's tables, independent of the file they go to (.docx, .xlsx).

A cell is text or a whole number; a column listed in ``money`` holds
integer fen (written in 元 with two decimals); ``percent`` columns hold a
ratio as text already (e.g. ``75.0%``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from domain.money import format_yuan


@dataclass(frozen=True)
class Table:
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple, ...]
    money: tuple[int, ...] = ()  # columns in integer fen
    note: str = ""  # a line under the table (e.g. how a figure was counted)
    total_last: bool = False  # the last row is a 合计 (shown bold)
    widths_cm: tuple[float, ...] = ()  # .docx column widths, when the default split is poor


@dataclass(frozen=True)
class Section:
    title: str
    tables: tuple[Table, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str
    sections: tuple[Section, ...]


def cell_text(table: Table, col: int, value) -> str:
    if col in table.money and isinstance(value, int):
        return format_yuan(value, grouping=True)
    return "" if value is None else str(value)


def counted(counter: Counter, order=()) -> list[tuple[str, int]]:
    """(label, count) in ``order`` first (those present), then the rest by count."""
    out = [(k, counter[k]) for k in order if counter.get(k)]
    rest = sorted((k for k in counter if k not in order), key=lambda k: (-counter[k], k))
    return out + [(k, counter[k]) for k in rest]


def percent(done: int, total: int) -> str:
    """``75.0%``; ``—`` when there is nothing to count."""
    return f"{100 * done / total:.1f}%" if total else "—"
