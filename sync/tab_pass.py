"""One kind's tab being reconciled: what every step of the pass needs, and
reading one row into canonical values or a new local record.

A row's bad cells are reported on the plan (tab, row, column, header,
value, why) and the record is then left alone on both sides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

from domain.config import Config
from domain.fields import Field, field as field_of, has_field
from domain.i18n import register, tr
from domain.validation import ValidationError, parse_value, validate_record

from .canonical import PLAIN_TYPES, canon, cell_at, cell_text
from .plan import BadCell, Plan, TabRows
from .sheet_layout import TABS, Layout, column_letter, synced_fields

register({
    "sync.bad_school": ("学校“{value}”与本记录所属学校“{school}”不一致；学校列不能在表格中修改",
                        "school {value!r} differs from the record's school {school!r}; the school column cannot be changed in the sheet"),
    "sync.formula": ("单元格是公式，台账不读也不改它", "the cell holds a formula; the ledger neither reads nor changes it"),
})

SCHOOL = "school"


@dataclass
class ParsedRow:
    """A sheet row's canonical values (without ``frozen`` fields: a
    person's formula or a missing column, not synced for this row)."""

    r: int  # 0-based index in the tab's rows
    values: dict[str, str]
    frozen: set[str]


@dataclass
class TabPass:
    plan: Plan
    kind: str
    school: str
    config: Config
    tab: TabRows | None
    stamp: str
    options: Any  # reconcile.Options: make_id, kept

    def __post_init__(self):
        self.make_id: Callable[[], str] = self.options.make_id
        self.kept: dict[str, dict] = self.options.kept
        self.title = TABS[self.kind]
        self.fields: list[Field] = [f for f in synced_fields(self.kind, self.config) if f.name != SCHOOL]
        self.rows: list[list] = self.tab.rows if self.tab else []
        self.layout: Layout | None = self.tab.layout if self.tab else None
        self.fresh: frozenset[str] = self.tab.fresh_columns if self.tab else frozenset()
        self.plain = [(f.name, f, f.type in PLAIN_TYPES) for f in self.fields]
        self.colpairs = [(f.name, self.layout.columns.get(f.name)) for f in self.fields] if self.layout else []
        # every column present and none being added: an untouched row can be seen without parsing
        self.fast_ok = self.layout is not None and not self.fresh and all(c is not None for _, c in self.colpairs)

    @property
    def school_col(self) -> int | None:
        return self.layout.school_col if self.layout else None

    def local_values(self, rec: dict) -> dict[str, str]:
        return {n: ((rec.get(n) or "") if plain else canon(f, rec.get(n))) for n, f, plain in self.plain}

    def untouched(self, lc: dict | None, base: dict | None, r: int | None) -> bool:
        """Unchanged on both sides since they last agreed (seen without parsing the row)."""
        if not self.fast_ok or lc is None or base is None or r is None or lc != base:
            return False
        row = self.rows[r]
        n_cells = len(row)
        if any((row[c] if c < n_cells else "") != base[n] for n, c in self.colpairs):
            return False
        sc = self.layout.school_col
        return sc is None or (row[sc] if sc < n_cells else "") == self.school

    # ------------------------------------------------------------ reading a row
    def parse_row(self, r: int, rid: str, base: dict | None, lc: dict | None, known: bool) -> ParsedRow | None:
        """The row's canonical values; None (bad cells reported) when a cell
        is invalid.  ``known``: the record is ours already (local or base)."""
        row = self.rows[r]
        parsed = ParsedRow(r, {}, set())
        bad = known and not self._school_ok(row, r, rid)
        for f in self.fields:
            col = self.layout.columns.get(f.name)
            if col is None:
                parsed.frozen.add(f.name)
                continue
            text = cell_text(cell_at(row, col))
            if text == "" or (base and text == base.get(f.name)) or (lc and text == lc.get(f.name)):
                parsed.values[f.name] = text  # empty is canonical; required fields are checked on the record
            elif text.startswith("=") and len(text) > 1 and known:
                # read with formulas shown, a person's formula and our own text
                # "=..." look alike: in a known record an unexplained "=..." is a
                # formula (typing "=" in the browser makes one) and is left alone;
                # in a row new to us it is taken as text (nothing lost either way)
                parsed.frozen.add(f.name)
                self.plan.formulas.append(self._bad(r, col, f.label, text, tr("sync.formula"), rid))
            else:
                bad = not self._parse_cell(parsed, f, text, col, rid) or bad
        return None if bad else parsed

    def _parse_cell(self, parsed: ParsedRow, f: Field, text: str, col: int, rid: str) -> bool:
        try:
            parsed.values[f.name] = canon(f, parse_value(self.kind, f, text, self.config))
            return True
        except ValidationError as exc:
            self.plan.bad_cells.append(self._bad(parsed.r, col, f.label, text, exc.reason, rid))
            return False

    def _school_ok(self, row: list, r: int, rid: str) -> bool:
        sc = self.school_col
        if sc is None:
            return True
        s = cell_text(cell_at(row, sc))
        if s == self.school:
            return True
        self.plan.bad_cells.append(self._bad(r, sc, "学校", s, tr("sync.bad_school", value=s, school=self.school),
                                             rid))
        return False

    def _bad(self, r: int, col: int | None, header: str, value: str, why: str, rid: str) -> BadCell:
        letter = column_letter(col) if col is not None else ""
        return BadCell(self.title, r + 1, letter, header, value, why, self.kind, rid)

    # ------------------------------------------------------------ records
    def record_values(self, values: dict[str, str], base: dict | None) -> dict:
        return validate_record(self.kind, values, self.config, base=base, today=dt.date.today())

    def report_invalid(self, exc: ValidationError, rid: str, r: int | None) -> None:
        col = self.layout.columns.get(exc.field) if self.layout else None
        row = self.rows[r] if r is not None else None
        value = cell_text(cell_at(row, col)) if row is not None and col is not None else ""
        label = field_of(self.kind, exc.field).label if has_field(self.kind, exc.field) else exc.field
        self.plan.bad_cells.append(self._bad(r or 0, col, label, value, exc.reason, rid))

    def new_record(self, rid: str, values: dict[str, str], frozen: set[str], r: int) -> dict | None:
        """A local record made from a row's values (None: reported invalid)."""
        values = {k: v for k, v in values.items() if k not in frozen}
        values[SCHOOL] = self.school
        try:
            stored = self.record_values(values, None)
        except ValidationError as exc:
            self.report_invalid(exc, rid, r)
            return None
        stored.pop(SCHOOL, None)
        return {"id": rid, "school": self.school, "created": self.stamp, "updated": self.stamp, **stored}


def base_of(values: dict, frozen: set, old: dict | None) -> dict:
    """The base after taking a row's values: frozen fields keep the old
    agreed value (or have none)."""
    base = dict(values)
    for name in frozen:
        if old and name in old:
            base[name] = old[name]
        else:
            base.pop(name, None)
    return base
