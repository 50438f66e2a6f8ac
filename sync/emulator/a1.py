"""A1 notation: parse ranges the way the Sheets API accepts them, and format
them the way it echoes them back.

Indices used here are 0-based and end-exclusive (like GridRange), except
where a function says otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SIMPLE_TITLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_A1_LIKE = re.compile(r"[A-Za-z]{1,3}[0-9]+\Z")
_R1C1_LIKE = re.compile(r"[Rr][0-9]*[Cc][0-9]*\Z|[Rr][0-9]+\Z|[Cc][0-9]+\Z")
_CELL = re.compile(r"([A-Za-z]*)([0-9]*)\Z")


class RangeError(ValueError):
    """The range text cannot be parsed."""


def col_to_letters(index: int) -> str:
    """0-based column index -> letters (0 -> A, 25 -> Z, 26 -> AA)."""
    n = index + 1
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def letters_to_col(letters: str) -> int:
    """Letters -> 0-based column index."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def quote_title(title: str) -> str:
    """Quote a sheet title as Google does in echoed ranges.

    Recordings show `Sheet1` bare and `'D3'` (looks like a cell), emoji and
    titles with spaces quoted. Google quotes every title that is not a plain
    ASCII identifier, so non-ASCII titles such as 会员 come back as '会员'
    (not in the recordings; from public API answers for non-Latin titles).
    """
    if _SIMPLE_TITLE.match(title) and not _A1_LIKE.match(title) and not _R1C1_LIKE.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def split_sheet(text: str) -> tuple[str | None, str | None]:
    """Split 'Title'!A1:B2 into (title, cells). Title may be None (no `!`)
    and cells may be None (whole sheet, no `!`)."""
    text = text.strip()
    if text.startswith("'"):
        i = 1
        buf = []
        while i < len(text):
            ch = text[i]
            if ch == "'":
                if i + 1 < len(text) and text[i + 1] == "'":
                    buf.append("'")
                    i += 2
                    continue
                break
            buf.append(ch)
            i += 1
        else:
            raise RangeError(text)
        title = "".join(buf)
        rest = text[i + 1:]
        if rest == "":
            return title, None
        if not rest.startswith("!"):
            raise RangeError(text)
        return title, rest[1:]
    if "!" in text:
        title, cells = text.rsplit("!", 1)
        return title, cells
    return None, text


@dataclass(frozen=True)
class Box:
    """A rectangle; None bounds mean open (to the grid's edge)."""

    r1: int | None  # 0-based start row
    c1: int | None
    r2: int | None  # exclusive end row
    c2: int | None



def _span(a: int | None, b: int | None) -> tuple[int | None, int | None]:
    """Start and end (exclusive) along one axis of a two-sided reference.

    A side without this axis leaves it open: `A1:C` runs to the last row,
    while `A:C5` reads from row 1 (as Google does)."""
    if a is not None and b is not None:
        return min(a, b), max(a, b) + 1
    if a is None and b is None:
        return None, None
    if a is None:
        return 0, b + 1
    return a, None

def parse_cells(cells: str) -> Box:
    """Parse `A1`, `A1:B2`, `A:A`, `1:2`, `A2:2`, `A1:C`, `D4:A1` (reversed)."""
    parts = cells.split(":")
    if len(parts) > 2 or not cells:
        raise RangeError(cells)
    refs = []
    for p in parts:
        m = _CELL.match(p.strip())
        if not m or (not m.group(1) and not m.group(2)):
            raise RangeError(cells)
        col = letters_to_col(m.group(1)) if m.group(1) else None
        row = int(m.group(2)) - 1 if m.group(2) else None
        if row is not None and row < 0:
            raise RangeError(cells)
        if m.group(1) and len(m.group(1)) > 3:
            raise RangeError(cells)
        refs.append((row, col))
    if len(refs) == 1:
        row, col = refs[0]
        if row is None or col is None:
            raise RangeError(cells)
        return Box(row, col, row + 1, col + 1)
    (ra, ca), (rb, cb) = refs
    r1, r2 = _span(ra, rb)
    c1, c2 = _span(ca, cb)
    if r1 is None:
        r1 = 0
    if c1 is None:
        c1 = 0
    return Box(r1, c1, r2, c2)


def format_cells(r1: int, c1: int, r2: int, c2: int) -> str:
    """0-based, end-exclusive -> `A1` or `A1:B2`."""
    a = f"{col_to_letters(c1)}{r1 + 1}"
    if r2 - r1 == 1 and c2 - c1 == 1:
        return a
    return f"{a}:{col_to_letters(c2 - 1)}{r2}"


def format_range(title: str, r1: int, c1: int, r2: int, c2: int) -> str:
    return f"{quote_title(title)}!{format_cells(r1, c1, r2, c2)}"


def cell_ref(a1: str) -> tuple[int, int]:
    """`B3` -> (row 2, col 1), 0-based."""
    box = parse_cells(a1)
    return box.r1, box.c1
