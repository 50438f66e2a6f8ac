"""Checking a tab's header row against the headers this program wrote.

A header of ours may be found once (its column is used), twice or more
(``duplicated``: none of those columns is used), or not at all.  A header
not found is looked for where it stood: the column this program last saw
it in (every header of the tab is remembered, ``last``), else the place
between the headers of ours that stood beside it.  A column there under a
header that is new since the last sync is the same column under a changed
header (``renamed``, or ``cleared`` when the header cell is empty but the
column holds data); a header that was there before is a column of someone's
that moved into the place (ours was deleted).  Only when there is no such
column is the header ``missing`` (its column was deleted) and the column
made again.  With nothing remembered, a guess is made only between two
headers of ours (a column people add at the right is never taken for one of
ours).  Every problem names the tab, the column letter, what was
expected and what was found; the field is neither read nor written until
the header is right, and no second column is ever made for it.

Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field as dc_field
from typing import Callable, Mapping, Sequence

from domain.i18n import register, tr

register({
    "sync.header.missing": ("表格“{tab}”缺少表头“{expected}”（这一列被删除了）；已在 {column} 列重新建立，并按台账填回",
                            "the tab {tab} lost its header {expected} (the column was deleted); it was made again in "
                            "column {column} and filled from the ledger"),
    "sync.header.renamed": ("表格“{tab}”{column} 列的表头应为“{expected}”，现在是“{found}”；这一列暂不同步，"
                            "请把表头改回“{expected}”",
                            "the header of column {column} in the tab {tab} should be {expected} but reads {found}; "
                            "the column is not synced until the header reads {expected} again"),
    "sync.header.cleared": ("表格“{tab}”{column} 列的表头“{expected}”被清空了；这一列暂不同步，请在第 1 行填回“{expected}”",
                            "the header {expected} of column {column} in the tab {tab} was cleared; the column is not "
                            "synced until {expected} is typed back in row 1"),
    "sync.header.duplicated": ("表格“{tab}”有多列表头都是“{expected}”（{column} 列）；这些列暂不同步，请只保留一列",
                               "the tab {tab} has the header {expected} in more than one column ({column}); they are "
                               "not synced until only one is left"),
})

ACCIDENTS = ("missing", "renamed", "cleared", "duplicated")


@dataclass(frozen=True)
class HeaderProblem:
    """One header of ours not where it should be, as plain data."""

    accident: str  # one of ACCIDENTS
    tab: str
    column: str  # A1 letters ("D, H" for a duplicate; where it was made again for a missing one)
    expected: str  # the header this program wrote
    found: str  # what row 1 holds there now ("" when cleared or missing)

    @property
    def why(self) -> str:
        return tr(f"sync.header.{self.accident}", tab=self.tab, column=self.column, expected=self.expected,
                  found=self.found)

    def as_dict(self) -> dict:
        return {**asdict(self), "why": self.why}


@dataclass
class HeaderCheck:
    found: dict[str, int]  # header of ours -> its one column (0-based)
    missing: list[str]  # headers to make again (their column is gone, or never was)
    problems: list[HeaderProblem] = dc_field(default_factory=list)
    unusable: dict[str, int] = dc_field(default_factory=dict)  # header -> the column it stands in under another name


def column_letter(index: int) -> str:
    """0-based column index to A1 letters."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


@dataclass
class _Row:
    texts: list[str]
    ours: set[str]
    has_data: Callable[[int], bool]
    seen: Mapping[str, int] | None  # every header text at the last sync (None: not known)

    def text(self, col: int) -> str:
        return self.texts[col] if col < len(self.texts) else ""

    def holds_other_header(self, col: int) -> bool:
        """The column could be one of ours under a changed header: its
        header is new (not ours, not there last time), or empty above data."""
        text = self.text(col)
        if text == "":
            return self.has_data(col)
        return text not in self.ours and (self.seen is None or text not in self.seen)


def check_headers(tab: str, expected: Sequence[str], header_row: Sequence, *, width: int = 0,
                  last: Mapping[str, int] | None = None,
                  has_data: Callable[[int], bool] = lambda col: False) -> HeaderCheck:
    """Find each ``expected`` header (in the order we make them) in
    ``header_row``.  ``width``: the widest data row; ``last``: where each
    header stood at the last sync (None: not known); ``has_data(col)``:
    whether a data row has a value in that column."""
    row = _Row([("" if c is None else str(c)).strip() for c in header_row], set(expected), has_data, last)
    positions: dict[str, list[int]] = {}
    for i, text in enumerate(row.texts):
        positions.setdefault(text, []).append(i)
    check = HeaderCheck({}, [])
    unresolved = []
    for label in expected:
        cols = positions.get(label, [])
        if len(cols) == 1:
            check.found[label] = cols[0]
        elif cols:
            check.problems.append(HeaderProblem("duplicated", tab, ", ".join(map(column_letter, cols)), label, label))
        else:
            unresolved.append(label)
    order = sorted(last, key=last.get) if last else list(expected)
    limit = max([len(row.texts), width, *((last or {}).values())], default=0) + 1
    for label in unresolved:
        if last is not None and label not in last:
            check.missing.append(label)  # never had a column here: made now, nothing to report
            continue
        col = _column_under_other_header(row, label, order, check, (last or {}).get(label), limit)
        if col is None:
            check.missing.append(label)
            continue
        check.unusable[label] = col
        text = row.text(col)
        check.problems.append(HeaderProblem("renamed" if text else "cleared", tab, column_letter(col), label, text))
    return check


def _column_under_other_header(row: _Row, label: str, order: list[str], check: HeaderCheck,
                               remembered: int | None, limit: int) -> int | None:
    """The column where ``label`` stood, now under a header not ours: the
    remembered column if it is such a column, else the first such column
    between the headers found on either side of it (in ``order``)."""
    taken = set(check.found.values()) | set(check.unusable.values())
    if remembered is not None and remembered not in taken and row.holds_other_header(remembered):
        return remembered
    if label not in order:
        return None
    at = order.index(label)
    left = next((check.found[x] for x in reversed(order[:at]) if x in check.found), -1)
    right = next((check.found[x] for x in order[at + 1:] if x in check.found), None)
    if right is None and row.seen is None:
        return None  # nothing remembered: no guess past our last header
    right = limit if right is None else right
    return next((c for c in range(left + 1, right) if c not in taken and row.holds_other_header(c)), None)


def missing_problems(tab: str, gone: Sequence[str], made_at: Mapping[str, int]) -> list[HeaderProblem]:
    """Headers this program wrote before whose column is gone, reported
    with the column each is made again in (``made_at``)."""
    return [HeaderProblem("missing", tab, column_letter(made_at[label]), label, "") for label in gone
            if label in made_at]
