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

import datetime as dt
import time
from dataclasses import dataclass, field as dc_field
from typing import Any, Callable

from domain.fields import KINDS
from domain.i18n import register, tr
from domain.store import now_stamp

from . import reconcile as rc
from .canonical import blank
from .district_summary import SUMMARY_TAB, SummaryTab, records_after, school_figures, summary_requests
from .ledger_state import (BASES, CONFLICTS, SYNC_META, is_pending, last_sync, pending_changes,  # noqa: F401
                           pending_keys, record_failure, record_last, set_base)
from .sheet_layout import (ID_HEADER, SHEET_IDS, TABS, add_columns_requests, header_fill_requests, headers,
                           new_tab_requests, read_layout)
from .recovery import kept_local_fields
from .preview import preview
from .problems import Problem, problems_of, store_problems
from .result import SyncError, SyncResult, SyncStopped  # noqa: F401  (public here too)
from .sheet_writes import cell_writes, row_requests

register({
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


def _ambiguous_types() -> tuple[type, ...]:
    from .gateway import AmbiguousWriteError

    return (AmbiguousWriteError,)


MAX_ROUNDS = 3  # fresh read-and-plan rounds after an ambiguous write before giving up
COLUMNS = "columns"  # SYNC_META key: per kind, the column each of our headers stood in at the last sync


SYNC, DRY_RUN, RESTORE_SHEET = "sync", "dry-run", "restore-sheet"


def sync(ledger, gw, *, allow_deletes: bool = False, progress: Callable[[str, float], None] | None = None,
         run_local: Callable[[Callable[[], Any]], Any] | None = None, mode: str = SYNC) -> SyncResult:
    """Sync ``ledger`` with the spreadsheet behind gateway ``gw``.

    ``mode``: SYNC; DRY_RUN (plan only: the result's ``extra["preview"]``
    says what would change on each side; nothing is written anywhere);
    RESTORE_SHEET (rows the sheet lost are written back from here instead
    of deleting the records here).
    ``run_local(fn)`` runs ``fn`` where the ledger may be touched (the UI
    thread, from a background worker: ``app.call_from_thread``).
    Raises SyncStopped (mass-delete guard), SyncError, or the gateway's
    errors; whatever is raised, what was committed is consistent."""
    run = _Run(ledger, gw, allow_deletes, progress or (lambda stage, frac: None), run_local or (lambda fn: fn()),
               mode)
    for round_no in range(1, MAX_ROUNDS + 1):
        result = run.round(round_no)
        if result is not None:
            return result
    raise SyncError(tr("sync.unsettled"))


@dataclass
class _Run:
    ledger: Any
    gw: Any
    allow_deletes: bool
    progress: Callable[[str, float], None]
    run_local: Callable[[Callable[[], Any]], Any]
    mode: str = SYNC

    def __post_init__(self):
        self.start = time.monotonic()
        self.start_requests = self.gw.request_count

    def plan(self) -> tuple[_SheetRead, rc.Plan]:
        ledger = self.ledger
        self.progress(tr("sync.stage.read"), 0.05)
        read = _read_sheet(self.gw, ledger.config, self.run_local(lambda: ledger.kv_get(SYNC_META, COLUMNS)))
        local, bases, kept = self.run_local(lambda: _snapshot(ledger))
        self.local = local
        options = rc.Options(allow_deletes=self.allow_deletes, kept=kept, restore_sheet=self.mode == RESTORE_SHEET)
        plan = rc.reconcile(ledger.school, ledger.config, local, bases, read.tabs, options)
        plan.problems += _header_problems(read)
        return read, plan

    def round(self, round_no: int) -> SyncResult | None:
        """Read, plan, write, confirm; None when a write was ambiguous (decide again)."""
        ledger, gw = self.ledger, self.gw
        read, plan = self.plan()
        problems = problems_of(plan)
        if self.mode == DRY_RUN:
            return self.result(plan, problems, round_no, 0, {"preview": preview(plan, len(problems))})
        if plan.guard:
            raise SyncStopped(plan.guard)
        self.progress(tr("sync.stage.plan"), 0.3)
        stamp = now_stamp()
        self.run_local(lambda: _commit_before(ledger, plan, stamp, problems))
        row_reqs = row_requests(plan, read.tabs, read.meta)
        summary = summary_requests(read.summary, school_figures(records_after(self.local, plan), ledger.school,
                                                                ledger.config, dt.date.today()), ledger.config, stamp)
        writes = 0
        if read.structural or row_reqs or summary:
            self.progress(tr("sync.stage.write"), 0.4)
            try:
                gw.structural(read.structural + row_reqs + summary)
            except _ambiguous_types():
                return None  # re-read and decide again: never a blind resend
            writes += 1
        placed: set = set()
        if plan.pushes:
            self.progress(tr("sync.stage.write"), 0.6)
            where = _reread_ids(gw, ledger.config, plan, read.tabs) if row_reqs else read.tabs
            blocks, placed = cell_writes(plan, where)
            if blocks:
                gw.write_blocks(blocks)
                writes += 1
        self.progress(tr("sync.stage.save"), 0.9)
        self.run_local(lambda: _commit_after(ledger, plan, placed, read))
        result = self.result(plan, problems, round_no, writes)
        self.run_local(lambda: record_last(ledger, result, ok=True))
        self.progress("", 1.0)
        return result

    def result(self, plan: rc.Plan, problems: list, round_no: int, writes: int, extra: dict | None = None):
        return SyncResult(plan.stats, plan.conflicts, plan.bad_cells, plan.duplicates, plan.formulas,
                          self.gw.request_count - self.start_requests, time.monotonic() - self.start, round_no,
                          writes, len(self.ledger.kv_all(CONFLICTS)), extra or {}, problems)


# ----------------------------------------------------------------- reading and planning
@dataclass
class _SheetRead:
    tabs: dict[str, rc.TabRows] = dc_field(default_factory=dict)
    structural: list[dict] = dc_field(default_factory=list)  # tabs, headers and columns to make
    meta: dict[str, dict] = dc_field(default_factory=dict)  # kind -> sheet_id, row_count
    last: dict[str, dict] = dc_field(default_factory=dict)  # kind -> where our headers stood last time
    summary: SummaryTab | None = None  # the district summary tab 汇总


def _read_sheet(gw, config, last: dict[str, dict] | None = None) -> _SheetRead:
    meta = gw.metadata()
    titles = [TABS[k] for k in KINDS if TABS[k] in meta] + [SUMMARY_TAB] * (SUMMARY_TAB in meta)
    values = gw.read_tabs(titles, render="FORMULA") if titles else {}
    read = _SheetRead(last=last or {})
    info = meta.get(SUMMARY_TAB)
    read.summary = SummaryTab(info.sheet_id if info else None, values.get(SUMMARY_TAB, []),
                              info.column_count if info else 0)
    for i, kind in enumerate(KINDS):
        info = meta.get(TABS[kind])
        if info is None:
            read.structural += new_tab_requests(kind, config, index=len(meta) + i)
            read.meta[kind] = {"sheet_id": SHEET_IDS[kind], "row_count": 1000}
            read.tabs[kind] = _headers_only(kind, config, missing=True)
            continue
        read.meta[kind] = {"sheet_id": info.sheet_id, "row_count": info.row_count}
        _read_tab(read, kind, info, values.get(TABS[kind], []), config)
    return read


def _headers_only(kind: str, config, missing: bool = False) -> rc.TabRows:
    rows = [headers(kind, config)]
    return rc.TabRows(kind, rows, read_layout(kind, rows[0], config), missing=missing)


def _read_tab(read: _SheetRead, kind: str, info, rows: list[list], config) -> None:
    title = TABS[kind]
    if not rows or blank(rows[0]):
        if any(not blank(r) for r in rows[1:]):
            raise SyncError(tr("sync.no_header", tab=title))
        read.structural += header_fill_requests(kind, info.sheet_id, config, info.row_count, info.column_count)
        read.tabs[kind] = _headers_only(kind, config)
        return
    layout = read_layout(kind, rows[0], config, rows=rows, last=read.last.get(kind))
    if layout.id_col is None and (not layout.id_missing or any(not blank(r) for r in rows[1:])):
        id_problem = next((p.why for p in layout.problems if p.expected == ID_HEADER), None)
        raise SyncError(id_problem or tr("sync.no_id_column", tab=title))
    reqs, new_layout = add_columns_requests(layout, info.sheet_id, config, info.row_count, info.column_count)
    read.structural += reqs
    read.tabs[kind] = rc.TabRows(kind, rows, new_layout, frozenset(f.name for f in layout.missing))


def _header_problems(read: _SheetRead) -> list[Problem]:
    """The tabs' header problems (``sheet_headers``) as sheet problems."""
    return [Problem("header", kind, "", p.tab, 1, p.column, p.expected, p.found, p.why)
            for kind, tab in read.tabs.items() for p in tab.layout.problems]


def _snapshot(ledger) -> tuple[dict[str, list[dict]], dict[str, dict], dict[str, dict]]:
    """The records and bases as they are now, and the local-only fields of
    synced records deleted here (taken where the ledger may be touched)."""
    bases = dict(ledger.kv_all(BASES))
    return {k: ledger.records(k) for k in KINDS}, bases, kept_local_fields(ledger, bases)


def _reread_ids(gw, config, plan: rc.Plan, tabs: dict[str, rc.TabRows]) -> dict[str, rc.TabRows]:
    """Rows moved (by our batchUpdate, or by people meanwhile): find every row again by its id."""
    touched = sorted({p.kind for p in plan.pushes})
    fresh = gw.read_tabs([TABS[k] for k in touched], render="FORMULA")
    where = dict(tabs)
    for k in touched:
        rows = fresh.get(TABS[k], [])
        where[k] = rc.TabRows(k, rows, read_layout(k, rows[0] if rows else [], config))
    return where


# ----------------------------------------------------------------- local commits
def _commit_before(ledger, plan: rc.Plan, stamp: str, problems: list) -> None:
    skipped: set[tuple[str, str]] = set()
    with ledger.transaction() as tx:
        for kind, rec, expected in plan.local_puts:
            if ledger.get(kind, rec["id"]) is not expected:  # changed here meanwhile: leave it to the next sync
                skipped.add((kind, rec["id"]))
                continue
            tx.put_record(kind, rec, source="sync")
        for kind, rid, expected in plan.local_drops:
            if ledger.get(kind, rid) is not expected:
                skipped.add((kind, rid))
                continue
            tx.drop_record(kind, rid, source="sync")
        for (kind, rid), base in plan.bases_now.items():
            if (kind, rid) not in skipped:
                set_base(tx, ledger, kind, rid, base)
        _record_conflicts(tx, ledger, plan.conflicts, stamp)
        store_problems(tx, ledger, problems)


def _record_conflicts(tx, ledger, conflicts: list[rc.Conflict], stamp: str) -> None:
    """Open conflicts, each with the earlier sheet values it replaced."""
    for c in conflicts:
        old = ledger.kv_get(CONFLICTS, c.key)
        entry = {**c.as_dict(), "at": stamp}
        if old and old.get("theirs") != c.theirs:
            entry["earlier"] = [*old.get("earlier", []), old.get("theirs")]
        if old is None or {k: old.get(k) for k in ("mine", "theirs", "base")} != \
                {k: entry[k] for k in ("mine", "theirs", "base")}:
            tx.kv_put(CONFLICTS, c.key, entry)


def _commit_after(ledger, plan: rc.Plan, placed: set, read: _SheetRead | None = None) -> None:
    columns = {kind: tab.layout.remember for kind, tab in read.tabs.items()} if read else None
    with ledger.transaction() as tx:
        if read and columns != read.last:
            tx.kv_put(SYNC_META, COLUMNS, columns)  # where our headers stand, for the next sync's check
        for kind, rec in plan.locals_after:
            if (kind, rec["id"]) in placed and ledger.get(kind, rec["id"]) is None:
                tx.put_record(kind, rec, source="sync")
        deleted = {(k, i) for k, i, _r in plan.row_deletes}
        for (kind, rid), base in plan.bases_after.items():
            if (kind, rid) in placed or (kind, rid) in deleted:
                set_base(tx, ledger, kind, rid, base)
    ledger.compact_if_needed()
