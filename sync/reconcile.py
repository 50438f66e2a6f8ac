"""The reconciliation: a pure function from (local records, their bases, the
rows read from the sheet) to a plan of changes on both sides.

No I/O.  Values are compared in a canonical text form per field (a date
retyped ``2025/3/8`` in the sheet equals ``2025-03-08``).  The rules, per
record of this school, with L = local, B = base (last agreed state),
R = the sheet's row:

====  ====  ====  ==========================================================
L     B     R     outcome
====  ====  ====  ==========================================================
yes   any   yes   per field: L==R keep; L==B take R; R==B take L; else
                  conflict (mine kept provisionally on both sides, theirs
                  kept in the conflict).  No base: equal fields agree,
                  differing ones are conflicts (never deletes).
yes   yes   no    L unchanged since B: delete locally (row deleted in the
                  sheet); L edited: edit beats delete, row written again
yes   no    no    new local record: a row is added
no    yes   yes   R unchanged since B: delete the row; R edited: edit beats
                  delete, the record comes back locally
no    yes   no    deleted on both sides: forget the base
no    no    yes   a row of this school with an id we never saw: taken in
====  ====  ====  ==========================================================

Rows without an id whose 学校 is this school (added by hand) get an id
written back and become local records.  Rows of other schools are never
written.  Duplicate ids are reported and the record left alone; so is a
record with an invalid cell (reported with tab, row, column, value, why).
A formula a person typed in one of our columns is left alone (the field is
not synced for that row).  The mass-delete guard stops the whole sync when
the sheet reads empty or would delete most known records locally.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field as dc_field
from typing import Any, Mapping

from domain import fields as ft
from domain.config import Config
from domain.fields import Field
from domain.i18n import register, tr
from domain.store import new_id, now_stamp
from domain.validation import ValidationError, parse_value, validate_record

from .sheet_layout import ID_HEADER, TABS, Layout, column_letter, synced_fields

register({
    "sync.bad_school": ("学校“{value}”与本记录所属学校“{school}”不一致；学校列不能在表格中修改",
                        "school {value!r} differs from the record's school {school!r}; the school column cannot be changed in the sheet"),
    "sync.formula": ("单元格是公式，台账不读也不改它", "the cell holds a formula; the ledger neither reads nor changes it"),
    "sync.bad_id": ("编号不能是公式", "the id cannot be a formula"),
    "sync.guard_empty": ("表格“{tab}”读到的是空表，而本校在其中有 {known} 条已同步的记录；为防误删，同步已停止。"
                         "若确实要删除，请运行 sync --allow-deletes",
                         "the tab {tab} reads empty while {known} of this school's records were synced to it; the sync "
                         "stopped to avoid deleting them. If the deletions are meant, run sync --allow-deletes"),
    "sync.guard_most": ("表格中找不到本校 {missing} 条已同步记录（共 {known} 条）；为防误删，同步已停止。"
                        "若确实要删除，请运行 sync --allow-deletes",
                        "{missing} of this school's {known} synced records are missing from the sheet; the sync "
                        "stopped to avoid deleting them. If the deletions are meant, run sync --allow-deletes"),
})

SCHOOL = "school"
ID = "_id"
GUARD_MIN = 3  # a guard on fewer planned deletions than this would stop too often


# ----------------------------------------------------------------- canonical values
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


def stored_from_canon(kind: str, f: Field, text: str, config: Config) -> Any:
    return parse_value(kind, f, text, config)


# ----------------------------------------------------------------- plan
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
        return f"{self.tab}!{self.column}{self.row}（{self.header}）“{self.value}”：{self.why}"

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
    guard: str | None = None
    foreign_local: int = 0
    stats: dict[str, int] = dc_field(default_factory=lambda: {
        "pulled": 0, "pushed": 0, "added_remote": 0, "added_local": 0, "deleted_local": 0,
        "deleted_remote": 0, "restored": 0, "ids_written": 0})

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


# ----------------------------------------------------------------- the function
def reconcile(school: str, config: Config, local: Mapping[str, list[dict]], bases: Mapping[str, dict],
              tabs: Mapping[str, TabRows], *, allow_deletes: bool = False,
              stamp: str | None = None, make_id=new_id) -> Plan:
    """Plan the sync of every kind.  ``local[kind]``: the ledger's records;
    ``bases``: ``"kind:id" -> {field: canonical text}``; ``tabs[kind]``:
    the tab as read (kinds whose tab is absent are treated as empty tabs)."""
    plan = Plan()
    stamp = stamp or now_stamp()
    known_total = 0
    for kind in TABS:
        tab = tabs.get(kind)
        kbases = {k.split(":", 1)[1]: v for k, v in bases.items() if k.startswith(kind + ":")}
        known_total += _reconcile_kind(plan, kind, school, config, local.get(kind, []), kbases, tab, stamp,
                                       make_id)
    if allow_deletes:
        plan.guard = None
    else:
        planned = plan.stats["deleted_local"]
        if planned >= GUARD_MIN and planned * 2 > known_total and plan.guard is None:
            plan.guard = tr("sync.guard_most", missing=planned, known=known_total)
    return plan


def _blank(row: list) -> bool:
    return all(c is None or c == "" for c in row)


def _get(row: list, col: int | None) -> Any:
    if col is None or col >= len(row):
        return ""
    return row[col]


def _reconcile_kind(plan: Plan, kind: str, school: str, config: Config, records: list[dict],
                    bases: dict[str, dict], tab: TabRows | None, stamp: str, make_id) -> int:
    tab_title = TABS[kind]
    fields = [f for f in synced_fields(kind, config) if f.name != SCHOOL]
    rows = tab.rows if tab else []
    layout = tab.layout if tab else None
    fresh = tab.fresh_columns if tab else frozenset()
    id_col = layout.id_col if layout else None
    school_col = layout.school_col if layout else None

    mine: dict[str, dict] = {}
    for rec in records:
        if rec.get("school") == school:
            mine[rec["id"]] = rec
        else:
            plan.foreign_local += 1

    # rows by id; hand-added rows of this school
    by_id: dict[str, list[int]] = {}
    hand: list[int] = []
    for r in range(1, len(rows)):
        row = rows[r]
        if _blank(row):
            continue
        rid = cell_text(_get(row, id_col))
        if rid:
            by_id.setdefault(rid, []).append(r)
        elif cell_text(_get(row, school_col)) == school:
            hand.append(r)

    data_rows = sum(len(v) for v in by_id.values()) + len(hand)

    ids = set(mine) | set(bases)
    for rid, rws in by_id.items():
        if rid not in ids and cell_text(_get(rows[rws[0]], school_col)) == school:
            ids.add(rid)

    planned_deletes = 0
    plain_types = (ft.TEXT, ft.DATE, ft.CHOICE, ft.MOBILE, ft.IDCARD, ft.MEMBER_REF)
    spec = [(f.name, f, f.type in plain_types) for f in fields]
    colpairs = [(f.name, layout.columns.get(f.name)) for f in fields] if layout else []
    fast_ok = layout is not None and all(c is not None for _, c in colpairs) and not fresh
    for rid in sorted(ids):
        L = mine.get(rid)
        B = bases.get(rid)
        rws = by_id.get(rid, [])
        if len(rws) > 1:
            plan.duplicates.append((kind, rid, [r + 1 for r in rws]))
            continue
        r = rws[0] if rws else None
        if L is not None:
            lc = {}
            for n, f, plain in spec:
                v = L.get(n)
                lc[n] = (v or "") if plain else canon(f, v)
        else:
            lc = None
        if fast_ok and lc is not None and B is not None and r is not None and lc == B:
            row = rows[r]
            n_cells = len(row)
            if all((row[c] if c < n_cells else "") == B[n] for n, c in colpairs) and \
                    (school_col is None or (row[school_col] if school_col < n_cells else "") == school):
                continue  # unchanged on both sides since they last agreed
        if r is not None:
            parsed = _parse_row(plan, kind, tab_title, rows[r], r, layout, fields, school, rid, B, lc, config,
                                known_school=L is not None or B is not None)
            if parsed is None:
                continue  # a bad cell: the record stays as it is on both sides
            rc, frozen = parsed
        else:
            rc, frozen = None, set()

        if L is not None and rc is not None:
            _merge(plan, kind, rid, L, B, lc, rc, frozen, fresh, fields, r, layout, config, stamp, tab_title,
                   rows[r])
        elif L is not None and B is not None:  # row gone from the sheet
            if not B.get("_pending") and all(lc[f.name] == B.get(f.name, "") for f in fields):
                plan.local_drops.append((kind, rid, L))
                plan.bases_now[(kind, rid)] = None
                plan.stats["deleted_local"] += 1
                planned_deletes += 1
            else:  # edited here: edit beats delete, the row comes back
                _push_new(plan, kind, rid, lc, fields, layout, school, restored=not B.get("_pending"))
        elif L is not None:  # new here
            _push_new(plan, kind, rid, lc, fields, layout, school)
        elif B is not None and rc is not None:  # deleted here
            # a pending base is "a row with only its id" (made, maybe not yet
            # filled): its empty cells are not written yet, not emptied
            pending = bool(B.get("_pending"))
            if all(rc[f.name] == ("" if pending else B.get(f.name, "")) for f in fields if f.name not in frozen):
                plan.row_deletes.append((kind, rid, r))
                plan.bases_after[(kind, rid)] = None
                plan.stats["deleted_remote"] += 1
            elif pending and isinstance(B.get("_fill"), dict):
                # someone typed in a row we made but never filled: edit beats
                # delete, the record comes back as it was meant to be written
                # with their cells on top, and the rest of the row is filled
                _restore_half_made(plan, kind, rid, rc, frozen, B["_fill"], fields, school, config, stamp,
                                   tab_title, r, layout, rows[r])
            else:  # edited in the sheet: edit beats delete, the record comes back
                rec = _new_record(plan, kind, rid, rc, frozen, school, config, stamp, tab_title, r, layout, rows[r])
                if rec is not None:
                    plan.local_puts.append((kind, rec, None))
                    plan.bases_now[(kind, rid)] = _base_of(rc, frozen, None if pending else B)
                    plan.stats["restored"] += 1
        elif B is not None:  # gone on both sides
            plan.bases_now[(kind, rid)] = None
        elif rc is not None:  # a row of this school we never saw
            rec = _new_record(plan, kind, rid, rc, frozen, school, config, stamp, tab_title, r, layout, rows[r])
            if rec is not None:
                plan.local_puts.append((kind, rec, None))
                plan.bases_now[(kind, rid)] = _base_of(rc, frozen, None)
                plan.stats["added_local"] += 1

    for r in hand:
        parsed = _parse_row(plan, kind, tab_title, rows[r], r, layout, fields, school, "", None, None, config,
                            known_school=False)
        if parsed is None:
            continue
        rc, frozen = parsed
        rid = make_id()
        rec = _new_record(plan, kind, rid, rc, frozen, school, config, stamp, tab_title, r, layout, rows[r])
        if rec is None:
            continue
        plan.pushes.append(RowPush(kind, rid, r, {ID: rid}, match=tuple(rows[r])))
        plan.locals_after.append((kind, rec))
        plan.bases_after[(kind, rid)] = _base_of(rc, frozen, None)
        plan.stats["ids_written"] += 1

    known_here = len(bases)
    if planned_deletes and data_rows == 0 and plan.guard is None:
        plan.guard = tr("sync.guard_empty", tab=tab_title, known=known_here)
    return known_here


def _parse_row(plan: Plan, kind: str, tab_title: str, row: list, r: int, layout: Layout, fields: list[Field],
               school: str, rid: str, B: dict | None, lc: dict | None, config: Config, *,
               known_school: bool) -> tuple[dict, set] | None:
    """The row's canonical values, and the fields holding a person's formula.
    None (and bad cells reported) when a cell is invalid."""
    out: dict[str, str] = {}
    frozen: set[str] = set()
    bad = False
    sc = layout.school_col
    if known_school and sc is not None:
        s = cell_text(_get(row, sc))
        if s != school:
            plan.bad_cells.append(BadCell(tab_title, r + 1, column_letter(sc), "学校", s,
                                          tr("sync.bad_school", value=s, school=school), kind, rid))
            bad = True
    for f in fields:
        col = layout.columns.get(f.name)
        if col is None:
            frozen.add(f.name)
            continue
        raw = _get(row, col)
        text = cell_text(raw)
        b = B.get(f.name) if B else None
        lv = lc.get(f.name) if lc else None
        if text == b or text == lv or text == "":
            out[f.name] = text  # empty is canonical; required fields are checked on the whole record
            continue
        if text.startswith("=") and len(text) > 1 and known_school:
            # read with formulas shown, a person's formula and our own text
            # "=..." look alike: in a known record an unexplained "=..." is a
            # formula (typing "=" in the browser makes one) and is left alone;
            # in a row new to us it is taken as text (nothing lost either way)
            frozen.add(f.name)
            plan.formulas.append(BadCell(tab_title, r + 1, column_letter(col), f.label, text,
                                         tr("sync.formula"), kind, rid))
            continue
        try:
            out[f.name] = canon(f, parse_value(kind, f, text, config))
        except ValidationError as exc:
            plan.bad_cells.append(BadCell(tab_title, r + 1, column_letter(col), f.label, text, exc.reason,
                                          kind, rid))
            bad = True
    return None if bad else (out, frozen)


def _base_of(rc: dict, frozen: set, old: dict | None) -> dict:
    base = dict(rc)
    for name in frozen:
        if old and name in old:
            base[name] = old[name]
        else:
            base.pop(name, None)
    return base


def _record_values(kind: str, values: dict[str, str], config: Config, base: dict | None) -> dict:
    return validate_record(kind, values, config, base=base, today=dt.date.today())


def _report_invalid(plan: Plan, exc: ValidationError, kind: str, rid: str, tab_title: str, r: int | None,
                    layout: Layout | None, row: list | None) -> None:
    col = layout.columns.get(exc.field) if layout else None
    value = cell_text(_get(row, col)) if row is not None and col is not None else ""
    label = exc.field
    from domain.fields import has_field, field as field_of

    if has_field(kind, exc.field):
        label = field_of(kind, exc.field).label
    plan.bad_cells.append(BadCell(tab_title, (r or 0) + 1, column_letter(col) if col is not None else "",
                                  label, value, exc.reason, kind, rid))


def _new_record(plan: Plan, kind: str, rid: str, rc: dict, frozen: set, school: str, config: Config,
                stamp: str, tab_title: str, r: int, layout: Layout, row: list) -> dict | None:
    values = {k: v for k, v in rc.items() if k not in frozen}
    values[SCHOOL] = school
    try:
        stored = _record_values(kind, values, config, None)
    except ValidationError as exc:
        _report_invalid(plan, exc, kind, rid, tab_title, r, layout, row)
        return None
    stored.pop(SCHOOL, None)
    return {"id": rid, "school": school, "created": stamp, "updated": stamp, **stored}


def _push_new(plan: Plan, kind: str, rid: str, lc: dict, fields: list[Field], layout: Layout | None,
              school: str, restored: bool = False) -> None:
    cells: dict[str, Any] = {ID: rid, SCHOOL: school}
    for f in fields:
        cells[f.name] = to_cell(f, lc[f.name])
    plan.pushes.append(RowPush(kind, rid, None, cells))
    plan.bases_after[(kind, rid)] = dict(lc)
    # until the row's content is confirmed, the agreed state is "a row with
    # only its id": a crash after the row is made but before it is filled
    # then reads as unchanged in the sheet, and the content is written again
    # ("_fill": what the row is to hold, so that a record deleted here before
    # its row was filled can come back whole if someone typed in that row)
    plan.bases_now[(kind, rid)] = {"_pending": True, "_fill": dict(lc)}
    plan.stats["restored" if restored else "added_remote"] += 1


def _restore_half_made(plan: Plan, kind: str, rid: str, rc: dict, frozen: set, fill: dict, fields: list[Field],
                       school: str, config: Config, stamp: str, tab_title: str, r: int, layout: Layout,
                       row: list) -> None:
    values = {f.name: (rc[f.name] if rc.get(f.name, "") != "" else fill.get(f.name, ""))
              for f in fields if f.name not in frozen}
    rec = _new_record(plan, kind, rid, values, frozen, school, config, stamp, tab_title, r, layout, row)
    if rec is None:
        return
    plan.local_puts.append((kind, rec, None))
    plan.bases_now[(kind, rid)] = _base_of(rc, frozen, None)  # what the sheet holds now
    cells = {f.name: to_cell(f, values[f.name]) for f in fields
             if f.name in values and values[f.name] != rc.get(f.name, "")}
    if cells:
        plan.pushes.append(RowPush(kind, rid, r, cells))
        plan.bases_after[(kind, rid)] = _base_of(values, frozen, None)
    plan.stats["restored"] += 1


def _merge(plan: Plan, kind: str, rid: str, L: dict, B: dict | None, lc: dict, rc: dict, frozen: set,
           fresh: frozenset, fields: list[Field], r: int, layout: Layout, config: Config, stamp: str,
           tab_title: str, row: list) -> None:
    result: dict[str, str] = {}
    pulls: dict[str, str] = {}
    push_cells: dict[str, Any] = {}
    pending = bool(B and B.get("_pending"))
    for f in fields:
        n = f.name
        lv = lc[n]
        if n in frozen:
            continue
        if n in fresh:  # the column is being added now: fill it from here
            rv = ""
            result[n] = lv
        else:
            rv = rc[n]
            if lv == rv:
                result[n] = lv
                continue
            bv = B.get(n) if B is not None else None
            if pending:
                bv = ""
            if bv is None and B is not None:  # a field newly synced: an empty side is no change
                bv = "" if (lv == "" or rv == "") else None
            if lv == bv:
                result[n] = rv
                pulls[n] = rv
                continue
            if rv == bv:
                result[n] = lv
            else:
                result[n] = lv  # mine kept provisionally on both sides; theirs kept in the conflict
                plan.conflicts.append(Conflict(kind, rid, n, f.label, lv, rv, bv))
        if result[n] != rv:
            push_cells[n] = to_cell(f, result[n])
    new_base = dict(result)
    for n in frozen:
        if B is not None and n in B and not pending:
            new_base[n] = B[n]
    if pulls:
        try:
            stored = _record_values(kind, pulls, config, L)
        except ValidationError as exc:
            _report_invalid(plan, exc, kind, rid, tab_title, r, layout, row)
            return
        changed = {k: v for k, v in stored.items() if L.get(k) != v}
        if changed:
            plan.local_puts.append((kind, {**L, **changed, "updated": stamp}, L))
            plan.stats["pulled"] += 1
    if push_cells:
        plan.pushes.append(RowPush(kind, rid, r, push_cells))
        plan.bases_after[(kind, rid)] = new_base
        plan.stats["pushed"] += 1
    elif B is None or pending or any(B.get(k) != v for k, v in new_base.items()) or \
            any(k not in new_base for k in B if k != "_pending"):
        plan.bases_now[(kind, rid)] = new_base
