"""The executor: read the sheet once, reconcile, write the sheet, then move
the bases -- only for what the sheet confirmed.

One sync, at most five requests whatever the number of records (retries
aside): 1 read of the tabs' properties, 1 ``values:batchGet`` of every tab
(formulas shown as formulas), then only if needed 1 atomic
``spreadsheets.batchUpdate`` (tabs and columns made, rows added with their
ids and school, rows deleted), 1 re-read of the ids (rows moved by that
batchUpdate, or by people meanwhile, are found again by id) and 1
``values:batchUpdate`` RAW of every cell to write.  A sync with nothing to
do makes the first two requests only.

Crash safety.  Local commits are atomic journal lines:

1. before any remote write: what does not depend on the sheet changing
   (values taken from the sheet, local deletions of rows deleted there,
   conflicts, bases of records already agreed) and, for every row about
   to be added, a *pending* base ("a row with only its id");
2. after the remote writes are confirmed: the bases of what was written,
   and the records of hand-added rows whose new id was written.

Killed anywhere, the next sync reads the sheet as it is and finishes the
job: a row added but not filled reads as "unchanged since the pending
base" and is filled; a row never added is added; nothing is added twice,
since every added row carries its id from the first request that makes it.
An ambiguous batchUpdate (the connection dropped after sending) is followed
by a fresh read and a fresh plan, never by a blind resend.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field as dc_field
from typing import Any, Callable

from domain.errors import UserError
from domain.fields import KINDS
from domain.i18n import register, tr
from domain.store import now_stamp

from . import reconcile as rc
from .sheet_layout import (SHEET_IDS, TABS, add_columns_requests, header_fill_requests, headers,
                           new_tab_requests, read_layout, synced_fields)

register({
    "sync.summary": ("同步完成：{parts}（{requests} 次请求，{seconds:.1f} 秒）",
                     "Synced: {parts} ({requests} requests, {seconds:.1f} s)"),
    "sync.nothing": ("两边一致，无需改动", "both sides agree, nothing to do"),
    "sync.part.pulled": ("从表格取回 {n} 条", "{n} taken from the sheet"),
    "sync.part.added_local": ("新增到本地 {n} 条", "{n} new here"),
    "sync.part.pushed": ("写入表格 {n} 条", "{n} written to the sheet"),
    "sync.part.added_remote": ("新增到表格 {n} 条", "{n} rows added"),
    "sync.part.deleted_local": ("删除本地 {n} 条", "{n} deleted here"),
    "sync.part.deleted_remote": ("删除表格行 {n} 条", "{n} rows deleted"),
    "sync.part.restored": ("恢复 {n} 条（一边删除、另一边修改：修改优先）", "{n} restored (edited on one side, deleted on the other)"),
    "sync.part.conflicts": ("冲突 {n} 处（app.py conflicts）", "{n} conflicts (app.py conflicts)"),
    "sync.part.bad": ("问题单元格 {n} 个", "{n} bad cells"),
    "sync.part.dups": ("重复编号 {n} 个", "{n} duplicate ids"),
    "sync.sep": ("，", ", "),
    "sync.no_header": ("表格“{tab}”第 1 行没有表头，但下面有数据；请把表头补回第 1 行后再同步",
                       "the tab {tab} has data but no header in row 1; put the headers back in row 1 and sync again"),
    "sync.no_id_column": ("表格“{tab}”里找不到“编号”列，但有数据；请把“编号”列恢复后再同步（否则每一行都会被当作新记录）",
                          "the tab {tab} has data but no 编号 column; restore it and sync again (otherwise every row "
                          "would look new)"),
    "sync.unsettled": ("表格在同步过程中一直在变化，本次未写完；请稍后再同步",
                       "the sheet kept changing during the sync; sync again in a moment"),
    "sync.stage.read": ("读取表格", "reading the sheet"),
    "sync.stage.plan": ("比对", "comparing"),
    "sync.stage.write": ("写入表格", "writing the sheet"),
    "sync.stage.save": ("保存", "saving"),
})

BASES = "_sync_base"
CONFLICTS = "_conflicts"
SYNC_META = "_sync_meta"


class SyncError(UserError):
    """A sync that could not be done: one clear line for the user."""


class SyncStopped(SyncError):
    """The mass-delete guard stopped the sync before anything was written."""


@dataclass
class SyncResult:
    stats: dict[str, int]
    conflicts: list[rc.Conflict]
    bad_cells: list[rc.BadCell]
    duplicates: list[tuple[str, str, list[int]]]
    formulas: list[rc.BadCell]
    requests: int
    seconds: float
    rounds: int = 1
    writes: int = 0
    open_conflicts: int = 0
    extra: dict[str, Any] = dc_field(default_factory=dict)

    def summary(self) -> str:
        """One line: only what happened, so the eye finds it."""
        counts = {**self.stats, "conflicts": len(self.conflicts), "bad": len(self.bad_cells),
                  "dups": len(self.duplicates)}
        order = ("pulled", "added_local", "pushed", "added_remote", "deleted_local", "deleted_remote",
                 "restored", "conflicts", "bad", "dups")
        parts = [tr(f"sync.part.{name}", n=counts[name]) for name in order if counts.get(name)]
        return tr("sync.summary", parts=tr("sync.sep").join(parts) or tr("sync.nothing"),
                  requests=self.requests, seconds=self.seconds)

    def as_dict(self) -> dict:
        return {"stats": self.stats, "conflicts": [c.as_dict() for c in self.conflicts],
                "bad_cells": [b.as_dict() for b in self.bad_cells],
                "duplicates": [{"kind": k, "id": i, "rows": r} for k, i, r in self.duplicates],
                "formulas": [b.as_dict() for b in self.formulas], "requests": self.requests,
                "seconds": round(self.seconds, 3), "rounds": self.rounds, "writes": self.writes,
                "open_conflicts": self.open_conflicts}


def _ambiguous_types() -> tuple[type, ...]:
    from .gateway import AmbiguousWriteError

    return (AmbiguousWriteError,)


def _blank(row: list) -> bool:
    return all(c is None or c == "" for c in row)


def sync(ledger, gw, *, allow_deletes: bool = False, progress: Callable[[str, float], None] | None = None,
         run_local: Callable[[Callable[[], Any]], Any] | None = None, max_rounds: int = 3,
         make_id=None) -> SyncResult:
    """Sync ``ledger`` with the spreadsheet behind gateway ``gw``.

    ``run_local(fn)`` runs ``fn`` where the ledger may be touched (the UI
    thread, from a background worker: ``app.call_from_thread``).
    Raises SyncStopped (mass-delete guard), SyncError, or the gateway's
    errors; whatever is raised, what was committed is consistent."""
    run_local = run_local or (lambda fn: fn())
    progress = progress or (lambda stage, frac: None)
    ambiguous = _ambiguous_types()
    start = time.monotonic()
    start_requests = gw.request_count
    kwargs = {"make_id": make_id} if make_id else {}
    for round_no in range(1, max_rounds + 1):
        progress(tr("sync.stage.read"), 0.05)
        plan, tabs, structural, meta = _read_and_plan(ledger, gw, allow_deletes, run_local, **kwargs)
        if plan.guard:
            raise SyncStopped(plan.guard)
        progress(tr("sync.stage.plan"), 0.3)
        stamp = now_stamp()
        run_local(lambda: _commit_before(ledger, plan, stamp))
        row_reqs = _row_requests(plan, tabs, meta)
        writes = 0
        try:
            if structural or row_reqs:
                progress(tr("sync.stage.write"), 0.4)
                gw.structural(structural + row_reqs)
                writes += 1
        except ambiguous:
            continue  # re-read and decide again: never a blind resend
        cells = plan.pushes
        if cells:
            progress(tr("sync.stage.write"), 0.6)
            where = tabs
            if row_reqs:  # rows moved: find every row again by its id
                touched = sorted({p.kind for p in cells})
                fresh = gw.read_tabs([TABS[k] for k in touched], render="FORMULA")
                where = dict(tabs)
                for k in touched:
                    rows = fresh.get(TABS[k], [])
                    layout = read_layout(k, rows[0] if rows else [], ledger.config)
                    where[k] = rc.TabRows(k, rows, layout)
            writes_list, placed = _cell_writes(plan, where)
            if writes_list:
                gw.write_blocks(writes_list)
                writes += 1
        else:
            placed = set()
        progress(tr("sync.stage.save"), 0.9)
        run_local(lambda: _commit_after(ledger, plan, placed, stamp))
        seconds = time.monotonic() - start
        result = SyncResult(plan.stats, plan.conflicts, plan.bad_cells, plan.duplicates, plan.formulas,
                            gw.request_count - start_requests, seconds, round_no, writes,
                            len(ledger.kv_all(CONFLICTS)))
        run_local(lambda: _record_last(ledger, result, ok=True))
        progress("", 1.0)
        return result
    raise SyncError(tr("sync.unsettled"))


# ----------------------------------------------------------------- reading and planning
def _read_and_plan(ledger, gw, allow_deletes, run_local, **kw):
    config = ledger.config
    meta = gw.metadata()
    titles = [TABS[k] for k in KINDS if TABS[k] in meta]
    read = gw.read_tabs(titles, render="FORMULA") if titles else {}
    structural: list[dict] = []
    tabs: dict[str, rc.TabRows] = {}
    new_meta: dict[str, dict] = {}
    for i, kind in enumerate(KINDS):
        title = TABS[kind]
        info = meta.get(title)
        if info is None:
            structural += new_tab_requests(kind, config, index=len(meta) + i)
            rows = [headers(kind, config)]
            new_meta[kind] = {"sheet_id": SHEET_IDS[kind], "row_count": 1000}
            tabs[kind] = rc.TabRows(kind, rows, read_layout(kind, rows[0], config))
            continue
        new_meta[kind] = {"sheet_id": info.sheet_id, "row_count": info.row_count}
        rows = read.get(title, [])
        if not rows or _blank(rows[0]):
            if any(not _blank(r) for r in rows[1:]):
                raise SyncError(tr("sync.no_header", tab=title))
            structural += header_fill_requests(kind, info.sheet_id, config, info.row_count, info.column_count)
            rows = [headers(kind, config)]
            tabs[kind] = rc.TabRows(kind, rows, read_layout(kind, rows[0], config))
            continue
        layout = read_layout(kind, rows[0], config)
        if layout.id_col is None and any(not _blank(r) for r in rows[1:]):
            raise SyncError(tr("sync.no_id_column", tab=title))
        reqs, new_layout = add_columns_requests(layout, info.sheet_id, config, info.row_count, info.column_count)
        structural += reqs
        fresh = frozenset(f.name for f in layout.missing)
        tabs[kind] = rc.TabRows(kind, rows, new_layout, fresh)

    def snapshot():
        local = {k: ledger.records(k) for k in KINDS}
        bases = dict(ledger.kv_all(BASES))
        return local, bases

    local, bases = run_local(snapshot)
    plan = rc.reconcile(ledger.school, config, local, bases, tabs, rc.Options(allow_deletes=allow_deletes, **kw))
    return plan, tabs, structural, new_meta


# ----------------------------------------------------------------- writing
def _row_requests(plan: rc.Plan, tabs: dict[str, rc.TabRows], meta: dict[str, dict]) -> list[dict]:
    """New rows (inserted after the data, with id and school) and deleted
    rows (bottom up), for one atomic batchUpdate."""
    reqs: list[dict] = []
    for kind in KINDS:
        new = [p for p in plan.new_rows if p.kind == kind]
        if not new:
            continue
        tab = tabs[kind]
        sid = meta[kind]["sheet_id"]
        at = len(tab.rows)
        reqs.append({"insertDimension": {"range": {"sheetId": sid, "dimension": "ROWS", "startIndex": at,
                                                   "endIndex": at + len(new)},
                                         "inheritFromBefore": at > 1}})
        for key, col in ((rc.ID, tab.layout.id_col), (rc.SCHOOL, tab.layout.school_col)):
            if col is None:
                continue
            reqs.append({"updateCells": {
                "start": {"sheetId": sid, "rowIndex": at, "columnIndex": col},
                "rows": [{"values": [{"userEnteredValue": {"stringValue": str(p.cells[key])}}]} for p in new],
                "fields": "userEnteredValue"}})
    deletes = sorted(((meta[k]["sheet_id"], r) for k, _i, r in plan.row_deletes), key=lambda t: -t[1])
    for sid, r in deletes:
        reqs.append({"deleteDimension": {"range": {"sheetId": sid, "dimension": "ROWS", "startIndex": r,
                                                   "endIndex": r + 1}}})
    return reqs


def _cell_writes(plan: rc.Plan, tabs: dict[str, rc.TabRows]):
    """Blocks ``(tab, row, col, values)`` to write at the rows where the ids
    stand now (hand-added rows: where their content stands now): changed
    cells one run per row, new rows as 2-D blocks.  Returns the blocks and
    the (kind, id) placed."""
    blocks: list[tuple[str, int, int, list[list]]] = []
    placed: set[tuple[str, str]] = set()
    index: dict[str, tuple[dict[str, list[int]], dict[tuple, list[int]]]] = {}
    for kind, tab in tabs.items():
        by_id: dict[str, list[int]] = {}
        no_id: dict[tuple, list[int]] = {}
        col = tab.layout.id_col
        for r in range(1, len(tab.rows)):
            row = tab.rows[r]
            rid = rc.cell_text(row[col]) if col is not None and col < len(row) else ""
            if rid:
                by_id.setdefault(rid, []).append(r)
            elif not _blank(row):
                no_id.setdefault(tuple(rc.cell_text(c) for c in row), []).append(r)
        index[kind] = (by_id, no_id)
    new_rows: dict[str, list[tuple[int, dict[int, object]]]] = {}
    for p in plan.pushes:
        tab = tabs[p.kind]
        by_id, no_id = index[p.kind]
        if p.match is not None:
            rows = no_id.get(tuple(rc.cell_text(c) for c in p.match))
            if not rows:
                continue  # the row moved or changed meanwhile: next sync
            r = rows.pop(0)
        else:
            rows = by_id.get(p.id)
            if not rows or len(rows) > 1:
                continue
            r = rows[0]
        cols: dict[int, object] = {}
        for name, value in p.cells.items():
            if name == rc.ID:
                col = tab.layout.id_col
            elif name == rc.SCHOOL:
                col = tab.layout.school_col
            else:
                col = tab.layout.columns.get(name)
            if col is not None:
                cols[col] = value
        placed.add((p.kind, p.id))
        if p.row is None:
            new_rows.setdefault(p.kind, []).append((r, cols))
            continue
        run: list = []
        for c in sorted(cols):
            if run and c != run[0] + len(run[1]):
                blocks.append((TABS[p.kind], r, run[0], [run[1]]))
                run = []
            if not run:
                run = [c, []]
            run[1].append(cols[c])
        if run:
            blocks.append((TABS[p.kind], r, run[0], [run[1]]))
    for kind, items in new_rows.items():
        items.sort(key=lambda t: t[0])
        width = max((max(c) + 1 for _, c in items if c), default=0)
        start, block = None, []
        for r, cols in items:
            if block and r != start + len(block):
                blocks.append((TABS[kind], start, 0, block))
                block = []
            if not block:
                start = r
            # a fresh row: our cells, and empty cells between them (nothing of anyone's is there)
            block.append([cols.get(c, "") for c in range(width)])
        if block:
            blocks.append((TABS[kind], start, 0, block))
    return blocks, placed


# ----------------------------------------------------------------- local commits
def _commit_before(ledger, plan: rc.Plan, stamp: str) -> None:
    skipped: set[tuple[str, str]] = set()
    with ledger.transaction() as tx:
        for kind, rec, expected in plan.local_puts:
            current = ledger.get(kind, rec["id"])
            if current is not expected:  # changed here meanwhile: leave it to the next sync
                skipped.add((kind, rec["id"]))
                continue
            tx.put_record(kind, rec, source="sync")
        for kind, rid, expected in plan.local_drops:
            if ledger.get(kind, rid) is not expected:
                skipped.add((kind, rid))
                continue
            tx.drop_record(kind, rid, source="sync")
        for (kind, rid), base in plan.bases_now.items():
            if (kind, rid) in skipped:
                continue
            _set_base(tx, ledger, kind, rid, base)
        for c in plan.conflicts:
            old = ledger.kv_get(CONFLICTS, c.key)
            entry = {**c.as_dict(), "at": stamp}
            if old and old.get("theirs") != c.theirs:
                entry["earlier"] = [*old.get("earlier", []), old.get("theirs")]
            if old is None or {k: old.get(k) for k in ("mine", "theirs", "base")} != \
                    {k: entry[k] for k in ("mine", "theirs", "base")}:
                tx.kv_put(CONFLICTS, c.key, entry)


def _set_base(tx, ledger, kind: str, rid: str, base: dict | None) -> None:
    """Record (or forget) the state both sides agreed on for one record."""
    key = f"{kind}:{rid}"
    if base is not None:
        tx.kv_put(BASES, key, base)
    elif ledger.kv_get(BASES, key) is not None:
        tx.kv_drop(BASES, key)


def _commit_after(ledger, plan: rc.Plan, placed: set, stamp: str) -> None:
    with ledger.transaction() as tx:
        for kind, rec in plan.locals_after:
            if (kind, rec["id"]) in placed and ledger.get(kind, rec["id"]) is None:
                tx.put_record(kind, rec, source="sync")
        deleted = {(k, i) for k, i, _r in plan.row_deletes}
        for (kind, rid), base in plan.bases_after.items():
            if (kind, rid) not in placed and (kind, rid) not in deleted:
                continue
            _set_base(tx, ledger, kind, rid, base)
    ledger.compact_if_needed()


def _record_last(ledger, result: SyncResult | None, ok: bool, error: str = "") -> None:
    entry = {"at": now_stamp(), "ok": ok, "error": error}
    if result is not None:
        entry.update(summary=result.summary(), requests=result.requests, conflicts=result.open_conflicts)
    with ledger.transaction() as tx:
        tx.kv_put(SYNC_META, "last", entry)


def record_failure(ledger, message: str) -> None:
    """Remember a failed sync for the status line."""
    _record_last(ledger, None, ok=False, error=message)


# ----------------------------------------------------------------- status helpers
def last_sync(ledger) -> dict | None:
    return ledger.kv_get(SYNC_META, "last")


def pending_keys(ledger) -> set[str]:
    """Keys (``kind:id``) of local changes waiting for the next sync: records
    never synced, edited since their base, or deleted since."""
    keys = {f"{kind}:{rec['id']}" for kind in KINDS for rec in ledger.records(kind)}
    keys.update(ledger.kv_all(BASES))
    return {key for key in keys if is_pending(ledger, key)}


def is_pending(ledger, key: str) -> bool:
    """Whether one record (``kind:id``) has a change the sheet has not seen."""
    kind, _, rid = key.partition(":")
    if kind not in KINDS:
        return False
    rec = ledger.get(kind, rid)
    base = ledger.kv_get(BASES, key)
    if rec is None:
        return base is not None
    if rec.get("school") != ledger.school:
        return False
    if base is None or base.get("_pending"):
        return True
    return any(rc.canon(f, rec.get(f.name)) != base.get(f.name, "")
               for f in synced_fields(kind, ledger.config) if f.name != rc.SCHOOL and f.name in base)


def pending_changes(ledger) -> int:
    return len(pending_keys(ledger))
