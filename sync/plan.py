"""What the reconciliation reads (``TabRows``) and what it plans (``Plan``):
the changes on both sides, and what it found wrong in the sheet."""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from typing import Any

from domain.printable import clip

from .sheet_layout import Layout

STAT_NAMES = ("pulled", "pushed", "added_remote", "added_local", "deleted_local", "deleted_remote", "restored",
              "ids_written")


@dataclass
class BadCell:
    tab: str
    row: int  # 1-based sheet row
    column: str  # A1 letters
    header: str
    value: str
    why: str
    kind: str = ""
    id: str = ""

    def message(self) -> str:
        return f"{self.tab}!{self.column}{self.row}（{self.header}）“{clip(self.value)}”：{self.why}"

    def as_dict(self) -> dict:
        return {"tab": self.tab, "row": self.row, "column": self.column, "header": self.header,
                "value": self.value, "why": self.why, "kind": self.kind, "id": self.id}


@dataclass
class Conflict:
    kind: str
    id: str
    field: str
    label: str
    mine: str
    theirs: str
    base: str | None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}:{self.field}"

    def as_dict(self) -> dict:
        return {"kind": self.kind, "id": self.id, "field": self.field, "label": self.label,
                "mine": self.mine, "theirs": self.theirs, "base": self.base}


@dataclass
class RowPush:
    """Cells of one record to write in the sheet (field name, ``_id`` or
    ``school`` -> value; columns are looked up when writing).

    ``row`` is where the row stood when read (None: a new row); ``match``
    (hand-added rows) is the row's content, to find it again."""

    kind: str
    id: str
    row: int | None
    cells: dict[str, Any]
    match: tuple | None = None


@dataclass
class Plan:
    # applied locally before any remote write (they do not depend on it)
    local_puts: list[tuple[str, dict, dict | None]] = dc_field(default_factory=list)  # kind, record, expected
    local_drops: list[tuple[str, str, dict]] = dc_field(default_factory=list)  # kind, id, expected
    bases_now: dict[tuple[str, str], dict | None] = dc_field(default_factory=dict)
    conflicts: list[Conflict] = dc_field(default_factory=list)
    # carried out remotely, then confirmed locally
    pushes: list[RowPush] = dc_field(default_factory=list)
    row_deletes: list[tuple[str, str, int]] = dc_field(default_factory=list)  # kind, id, row
    bases_after: dict[tuple[str, str], dict | None] = dc_field(default_factory=dict)
    locals_after: list[tuple[str, dict]] = dc_field(default_factory=list)  # hand-added rows' new records
    # reports
    bad_cells: list[BadCell] = dc_field(default_factory=list)
    duplicates: list[tuple[str, str, list[int]]] = dc_field(default_factory=list)  # kind, id, 1-based rows
    formulas: list[BadCell] = dc_field(default_factory=list)
    problems: list = dc_field(default_factory=list)  # other problems (sync.problems.Problem): id typos, copies, headers
    guard: str | None = None
    foreign_local: int = 0
    stats: dict[str, int] = dc_field(default_factory=lambda: dict.fromkeys(STAT_NAMES, 0))

    @property
    def remote_changes(self) -> bool:
        return bool(self.pushes or self.row_deletes)

    @property
    def new_rows(self) -> list[RowPush]:
        return [p for p in self.pushes if p.row is None]


@dataclass
class TabRows:
    """What was read of one kind's tab (rows[0] is the header row)."""

    kind: str
    rows: list[list]
    layout: Layout
    fresh_columns: frozenset[str] = frozenset()  # fields whose column is being added now
    missing: bool = False  # the tab was not found (it is made now)
