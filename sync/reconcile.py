"""The reconciliation: a pure function from (local records, their bases, the
rows read from the sheet) to a plan of changes on both sides.

No I/O.  Values are compared in a canonical text form per field
(``sync.canonical``).  What happens to each record is the decision table
in ``sync.decision`` (``decide``: L, B, R -> a Decision; ``merge_field``
per field); this module carries the decisions out on a ``Plan``.

Rows without an id whose 学校 is this school (added by hand) get an id
written back and become local records.  Rows of other schools are never
written.  Duplicate ids are reported and the record left alone; so is a
record with an invalid cell (reported with tab, row, column, value, why).
A formula a person typed in one of our columns is left alone (the field is
not synced for that row).  The mass-delete guard stops the whole sync when
the sheet reads empty or would delete most known records locally.
"""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from typing import Any, Callable, Mapping

from domain.config import Config
from domain.i18n import register, tr
from domain.store import new_id, now_stamp
from domain.validation import ValidationError

from .canonical import blank, canon, cell_at, cell_text, to_cell  # noqa: F401  (canon, cell_text: public here too)
from .identity import suspected_typos, typo_problem
from .decision import Decision, FieldMerge, decide, field_base, is_pending, merge_field
from .plan import BadCell, Conflict, Plan, RowPush, TabRows  # noqa: F401  (the plan's types, public here too)
from .sheet_layout import TABS
from .tab_pass import SCHOOL, ParsedRow, TabPass, base_of

register({
    "sync.bad_id": ("编号不能是公式", "the id cannot be a formula"),
    "sync.guard_empty": ("表格“{tab}”读到的是空表，而本校在其中有 {known} 条已同步的记录；为防误删，同步已停止。{ways}",
                         "the tab {tab} reads empty while {known} of this school's records were synced to it; the sync "
                         "stopped to avoid deleting them. {ways}"),
    "sync.guard_missing_tab": ("表格里找不到“{tab}”页（可能被改名或删除），而本校有 {known} 条记录同步到过那里；为防误删，同步已停止。"
                               "若是改了名，请把页名改回“{tab}”再同步。{ways}",
                               "the spreadsheet has no tab {tab} (renamed or deleted?) while {known} of this school's "
                               "records were synced to it; the sync stopped to avoid deleting them. If it was renamed, "
                               "name it {tab} again and sync. {ways}"),
    "sync.guard_most": ("表格中找不到本校 {missing} 条已同步记录（共 {known} 条）；为防误删，同步已停止。{ways}",
                        "{missing} of this school's {known} synced records are missing from the sheet; the sync "
                        "stopped to avoid deleting them. {ways}"),
    "sync.guard_ways": ("先试 sync --dry-run 看会改什么；若是表格误删了这些行，运行 sync --restore-sheet 把本校的记录写回表格"
                        "（本地什么都不删）；只有确实要在本地也删除它们时，才运行 sync --allow-deletes（删除的记录可用 undelete 恢复）",
                        "see what would change with sync --dry-run; if the rows were deleted from the sheet by mistake, "
                        "run sync --restore-sheet to write this school's records back (nothing is deleted here); only "
                        "if they are meant to go here too, run sync --allow-deletes (undelete brings one back)"),
})

ID = "_id"
GUARD_MIN = 3  # a guard on fewer planned deletions than this would stop too often


@dataclass
class Options:
    allow_deletes: bool = False
    restore_sheet: bool = False  # rows the sheet lost are written back instead of deleting the records here
    stamp: str | None = None  # the time written on records made now (default: now)
    make_id: Callable[[], str] = dc_field(default=new_id)
    # "kind:id" -> local-only fields of records deleted here: they come back
    # with the record if the sheet edited its row meanwhile
    kept: Mapping[str, dict] = dc_field(default_factory=dict)


def reconcile(school: str, config: Config, local: Mapping[str, list[dict]], bases: Mapping[str, dict],
              tabs: Mapping[str, TabRows], options: Options | None = None) -> Plan:
    """Plan the sync of every kind.  ``local[kind]``: the ledger's records;
    ``bases``: ``"kind:id" -> {field: canonical text}``; ``tabs[kind]``:
    the tab as read (kinds whose tab is absent are treated as empty tabs)."""
    options = options or Options()
    plan = Plan()
    stamp = options.stamp or now_stamp()
    known_total = 0
    for kind in TABS:
        kbases = {k.split(":", 1)[1]: v for k, v in bases.items() if k.startswith(kind + ":")}
        tp = TabPass(plan, kind, school, config, tabs.get(kind), stamp, options)
        _reconcile_kind(tp, local.get(kind, []), kbases)
        known_total += len(kbases)
    planned = plan.stats["deleted_local"]
    if options.allow_deletes:
        plan.guard = None
    elif planned >= GUARD_MIN and planned * 2 > known_total and plan.guard is None:
        plan.guard = tr("sync.guard_most", missing=planned, known=known_total, ways=tr("sync.guard_ways"))
    return plan


@dataclass
class RowIndex:
    """A tab's data rows: by id (0-based row indices), and hand-added rows
    of this school (no id)."""

    by_id: dict[str, list[int]]
    hand: list[int]

    @property
    def data_rows(self) -> int:
        return sum(len(v) for v in self.by_id.values()) + len(self.hand)


def _index_rows(tp: TabPass) -> RowIndex:
    index = RowIndex({}, [])
    id_col = tp.layout.id_col if tp.layout else None
    for r in range(1, len(tp.rows)):
        row = tp.rows[r]
        if blank(row):
            continue
        rid = cell_text(cell_at(row, id_col))
        if rid:
            index.by_id.setdefault(rid, []).append(r)
        elif cell_text(cell_at(row, tp.school_col)) == tp.school:
            index.hand.append(r)
    return index


def _reconcile_kind(tp: TabPass, records: list[dict], bases: dict[str, dict]) -> None:
    mine: dict[str, dict] = {}
    for rec in records:
        if rec.get("school") == tp.school:
            mine[rec["id"]] = rec
        else:
            tp.plan.foreign_local += 1
    index = _index_rows(tp)
    known = set(mine) | set(bases)
    unknown = {rid: rws[0] for rid, rws in index.by_id.items()
               if rid not in known and cell_text(cell_at(tp.rows[rws[0]], tp.school_col)) == tp.school}
    suspects = suspected_typos(tp, {rid: r for rid, r in unknown.items() if len(index.by_id[rid]) == 1},
                               bases, set(index.by_id))
    tp.plan.problems += [typo_problem(tp, s) for s in suspects]
    held = {s.found for s in suspects} | {s.original for s in suspects}  # left as they are until the id is fixed
    deletes_before = tp.plan.stats["deleted_local"]
    for rid in sorted((known | set(unknown)) - held):
        _reconcile_record(tp, rid, mine.get(rid), bases.get(rid), index.by_id.get(rid, []))
    for r in index.hand:
        _take_hand_row(tp, r)
    if tp.plan.stats["deleted_local"] > deletes_before and index.data_rows == 0 and tp.plan.guard is None:
        key = "sync.guard_missing_tab" if tp.tab is not None and tp.tab.missing else "sync.guard_empty"
        tp.plan.guard = tr(key, tab=tp.title, known=len(bases), ways=tr("sync.guard_ways"))


def _reconcile_record(tp: TabPass, rid: str, local: dict | None, base: dict | None, rws: list[int]) -> None:
    if len(rws) > 1:
        tp.plan.duplicates.append((tp.kind, rid, [r + 1 for r in rws]))
        return
    r = rws[0] if rws else None
    lc = tp.local_values(local) if local is not None else None
    if tp.untouched(lc, base, r):
        return
    parsed = None
    if r is not None:
        parsed = tp.parse_row(r, rid, base, lc, known=local is not None or base is not None)
        if parsed is None:
            return  # a bad cell: the record stays as it is on both sides
    decision = decide(lc, base, parsed.values if parsed else None)
    if decision is Decision.DELETE_LOCAL and tp.options.restore_sheet:
        decision = Decision.RESTORE_ROW  # the sheet lost the row: write it back, delete nothing here
    _ACTIONS[decision](tp, rid, local, base, lc, parsed)


# ----------------------------------------------------------------- the actions, one per Decision
def _delete_local(tp: TabPass, rid: str, local: dict, base: dict, lc: dict, parsed: None) -> None:
    tp.plan.local_drops.append((tp.kind, rid, local))
    tp.plan.bases_now[(tp.kind, rid)] = None
    tp.plan.stats["deleted_local"] += 1


def _restore_row(tp: TabPass, rid: str, local: dict, base: dict, lc: dict, parsed: None) -> None:
    _push_new(tp, rid, lc, restored=True)


def _add_row(tp: TabPass, rid: str, local: dict, base: dict | None, lc: dict, parsed: None) -> None:
    _push_new(tp, rid, lc, restored=False)


def _delete_row(tp: TabPass, rid: str, local: None, base: dict, lc: None, parsed: ParsedRow) -> None:
    tp.plan.row_deletes.append((tp.kind, rid, parsed.r))
    tp.plan.bases_after[(tp.kind, rid)] = None
    tp.plan.stats["deleted_remote"] += 1


def _restore_local(tp: TabPass, rid: str, local: None, base: dict, lc: None, parsed: ParsedRow) -> None:
    rec = tp.new_record(rid, parsed.values, parsed.frozen, parsed.r)
    if rec is not None:
        rec = {**rec, **tp.kept.get(f"{tp.kind}:{rid}", {})}  # local-only fields: the sheet never held them
        tp.plan.local_puts.append((tp.kind, rec, None))
        tp.plan.bases_now[(tp.kind, rid)] = base_of(parsed.values, parsed.frozen,
                                                    None if is_pending(base) else base)
        tp.plan.stats["restored"] += 1


def _forget_base(tp: TabPass, rid: str, local: None, base: dict, lc: None, parsed: None) -> None:
    tp.plan.bases_now[(tp.kind, rid)] = None


def _take_in(tp: TabPass, rid: str, local: None, base: None, lc: None, parsed: ParsedRow) -> None:
    rec = tp.new_record(rid, parsed.values, parsed.frozen, parsed.r)
    if rec is not None:
        tp.plan.local_puts.append((tp.kind, rec, None))
        tp.plan.bases_now[(tp.kind, rid)] = base_of(parsed.values, parsed.frozen, None)
        tp.plan.stats["added_local"] += 1


def _nothing(tp: TabPass, *_args) -> None:
    return None


def _push_new(tp: TabPass, rid: str, lc: dict, restored: bool) -> None:
    cells: dict[str, Any] = {ID: rid, SCHOOL: tp.school}
    for f in tp.fields:
        cells[f.name] = to_cell(f, lc[f.name])
    tp.plan.pushes.append(RowPush(tp.kind, rid, None, cells))
    # a field with no usable column (its header renamed, cleared or doubled)
    # is not in the row: no agreed value, so it is filled once the header is right
    columns = tp.layout.columns if tp.layout is not None else None
    tp.plan.bases_after[(tp.kind, rid)] = lc if columns is None or all(n in columns for n in lc) else \
        {n: v for n, v in lc.items() if n in columns}
    # until the row's content is confirmed, the agreed state is "a row with
    # only its id": a crash after the row is made but before it is filled
    # then reads as unchanged in the sheet, and the content is written again
    # ("_fill": what the row is to hold, so that a record deleted here before
    # its row was filled can come back whole if someone typed in that row)
    tp.plan.bases_now[(tp.kind, rid)] = {"_pending": True, "_fill": lc}  # lc is never changed: shared, not copied
    tp.plan.stats["restored" if restored else "added_remote"] += 1


def _fill_half_made(tp: TabPass, rid: str, local: None, base: dict, lc: None, parsed: ParsedRow) -> None:
    """Someone typed in a row we made but never filled: edit beats delete,
    the record comes back as it was meant to be written with their cells on
    top, and the rest of the row is filled."""
    fill, rc, frozen = base["_fill"], parsed.values, parsed.frozen
    values = {f.name: (rc[f.name] if rc.get(f.name, "") != "" else fill.get(f.name, ""))
              for f in tp.fields if f.name not in frozen}
    rec = tp.new_record(rid, values, frozen, parsed.r)
    if rec is None:
        return
    tp.plan.local_puts.append((tp.kind, rec, None))
    tp.plan.bases_now[(tp.kind, rid)] = base_of(rc, frozen, None)  # what the sheet holds now
    cells = {f.name: to_cell(f, values[f.name]) for f in tp.fields
             if f.name in values and values[f.name] != rc.get(f.name, "")}
    if cells:
        tp.plan.pushes.append(RowPush(tp.kind, rid, parsed.r, cells))
        tp.plan.bases_after[(tp.kind, rid)] = base_of(values, frozen, None)
    tp.plan.stats["restored"] += 1


def _take_hand_row(tp: TabPass, r: int) -> None:
    """A row of this school added by hand (or a copy whose 编号 was cleared,
    as the duplicate-id message advises): an id is written back, and the
    record is made here once the id is confirmed."""
    parsed = tp.parse_row(r, "", None, None, known=False)
    if parsed is None:
        return  # its bad cells are reported as a row without id not taken in, on every sync
    rec = tp.new_record("", parsed.values, parsed.frozen, r)
    if rec is None:
        # invalid as a whole (e.g. no 姓名): reported as a row without id, not
        # under the id it would get (in no row, and new each sync: the problem
        # would change every time); the row is left as it is
        return
    rid = rec["id"] = tp.make_id()
    tp.plan.pushes.append(RowPush(tp.kind, rid, r, {ID: rid}, match=tuple(tp.rows[r])))
    tp.plan.locals_after.append((tp.kind, rec))
    tp.plan.bases_after[(tp.kind, rid)] = base_of(parsed.values, parsed.frozen, None)
    tp.plan.stats["ids_written"] += 1


# ----------------------------------------------------------------- merge, field by field
@dataclass
class MergedFields:
    result: dict[str, str] = dc_field(default_factory=dict)  # the agreed value of each field merged
    pulls: dict[str, str] = dc_field(default_factory=dict)  # taken from the sheet
    cells: dict[str, Any] = dc_field(default_factory=dict)  # to write in the sheet


def _merge_fields(tp: TabPass, rid: str, base: dict | None, lc: dict, parsed: ParsedRow) -> MergedFields:
    out = MergedFields()
    for f in tp.fields:
        n = f.name
        if n in parsed.frozen:
            continue
        mine = lc[n]
        if n in tp.fresh:  # the column is being added now: fill it from here
            theirs, how = "", FieldMerge.KEEP_MINE
        else:
            theirs = parsed.values[n]
            agreed = field_base(base, n, mine, theirs)
            how = merge_field(mine, agreed, theirs)
            if how is FieldMerge.CONFLICT:  # mine kept provisionally on both sides; theirs kept in the conflict
                tp.plan.conflicts.append(Conflict(tp.kind, rid, n, f.label, mine, theirs, agreed))
        out.result[n] = theirs if how is FieldMerge.TAKE_THEIRS else mine
        if how is FieldMerge.TAKE_THEIRS:
            out.pulls[n] = theirs
        elif out.result[n] != theirs:
            out.cells[n] = to_cell(f, out.result[n])
    return out


def _merge(tp: TabPass, rid: str, local: dict, base: dict | None, lc: dict, parsed: ParsedRow) -> None:
    merged = _merge_fields(tp, rid, base, lc, parsed)
    pending = is_pending(base)
    new_base = dict(merged.result)
    for n in parsed.frozen:
        if base is not None and n in base and not pending:
            new_base[n] = base[n]
    if merged.pulls and not _pull(tp, rid, local, merged.pulls, parsed.r):
        return
    key = (tp.kind, rid)
    if merged.cells:
        tp.plan.pushes.append(RowPush(tp.kind, rid, parsed.r, merged.cells))
        tp.plan.bases_after[key] = new_base
        tp.plan.stats["pushed"] += 1
    elif base is None or pending or any(base.get(k) != v for k, v in new_base.items()) or \
            any(k not in new_base for k in base if k != "_pending"):
        tp.plan.bases_now[key] = new_base


def _pull(tp: TabPass, rid: str, local: dict, pulls: dict[str, str], r: int) -> bool:
    """Take the sheet's values into the local record; False when they are
    invalid as a whole (reported; nothing of this record changes)."""
    try:
        stored = tp.record_values(pulls, local)
    except ValidationError as exc:
        tp.report_invalid(exc, rid, r)
        return False
    changed = {k: v for k, v in stored.items() if local.get(k) != v}
    if changed:
        tp.plan.local_puts.append((tp.kind, {**local, **changed, "updated": tp.stamp}, local))
        tp.plan.stats["pulled"] += 1
    return True


_ACTIONS: dict[Decision, Callable[..., None]] = {
    Decision.MERGE: _merge,
    Decision.DELETE_LOCAL: _delete_local,
    Decision.RESTORE_ROW: _restore_row,
    Decision.ADD_ROW: _add_row,
    Decision.DELETE_ROW: _delete_row,
    Decision.FILL_HALF_MADE: _fill_half_made,
    Decision.RESTORE_LOCAL: _restore_local,
    Decision.FORGET_BASE: _forget_base,
    Decision.TAKE_IN: _take_in,
    Decision.NOTHING: _nothing,
}
