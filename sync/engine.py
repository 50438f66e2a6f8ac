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
from .ledger_port import COLUMNS, LocalPort  # noqa: F401  (COLUMNS: public here too)
from .district_summary import SUMMARY_TAB, SummaryTab, records_after, school_figures, summary_requests
from .ledger_state import (BASES, CONFLICTS, SYNC_META, is_pending, last_sync, pending_changes,  # noqa: F401
                           pending_keys, record_failure)
from .sheet_layout import (ID_HEADER, SHEET_IDS, TABS, add_columns_requests, header_fill_requests, headers,
                           new_tab_requests, read_layout)
from .preview import preview
from .problems import Problem, problems_of
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
    return sync_through(LocalPort(ledger, run_local or (lambda fn: fn())), gw, allow_deletes=allow_deletes,
                        progress=progress, mode=mode)


def sync_through(port, gw, *, allow_deletes: bool = False, progress: Callable[[str, float], None] | None = None,
                 mode: str = SYNC) -> SyncResult:
    """The sync, touching the ledger only through ``port`` (sync.ledger_port)."""
    run = _Run(port, gw, allow_deletes, progress or (lambda stage, frac: None), mode)
    for round_no in range(1, MAX_ROUNDS + 1):
        result = run.round(round_no)
        if result is not None:
            return result
    raise SyncError(tr("sync.unsettled"))


@dataclass
class _Run:
    port: Any  # sync.ledger_port.LocalPort or the child's port
    gw: Any
    allow_deletes: bool
    progress: Callable[[str, float], None]
    mode: str = SYNC

    def __post_init__(self):
        self.start = time.monotonic()
        self.start_requests = self.gw.request_count

    def plan(self) -> tuple[_SheetRead, rc.Plan]:
        ledger = self.port
        self.progress(tr("sync.stage.read"), 0.05)
        read = _read_sheet(self.gw, ledger.config, ledger.columns())
        local, bases, kept = ledger.snapshot()
        self.local = local
        options = rc.Options(allow_deletes=self.allow_deletes, kept=kept, restore_sheet=self.mode == RESTORE_SHEET)
        plan = rc.reconcile(ledger.school, ledger.config, local, bases, read.tabs, options)
        plan.problems += _header_problems(read)
        return read, plan

    def round(self, round_no: int) -> SyncResult | None:
        """Read, plan, write, confirm; None when a write was ambiguous (decide again)."""
        ledger, gw = self.port, self.gw
        read, plan = self.plan()
        problems = problems_of(plan)
        if self.mode == DRY_RUN:  # nothing is finished, so the conflicts already open are counted here
            result = self.result(plan, problems, round_no, 0, {"preview": preview(plan, len(problems))})
            result.open_conflicts = self.port.open_conflicts()
            return result
        if plan.guard:
            raise SyncStopped(plan.guard)
        self.progress(tr("sync.stage.plan"), 0.3)
        stamp = now_stamp()
        if plan.local_drops:
            ledger.backup("before-sync-delete")  # a checked copy first, whatever the guard let through
        ledger.commit_before(plan, stamp, problems)
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
        ledger.commit_after(plan, placed, {kind: tab.layout.remember for kind, tab in read.tabs.items()}, read.last)
        result = self.result(plan, problems, round_no, writes)
        ledger.finish(result)
        self.progress("", 1.0)
        return result

    def result(self, plan: rc.Plan, problems: list, round_no: int, writes: int, extra: dict | None = None):
        return SyncResult(plan.stats, plan.conflicts, plan.bad_cells, plan.duplicates, plan.formulas,
                          self.gw.request_count - self.start_requests, time.monotonic() - self.start, round_no,
                          writes, 0, extra or {}, problems)


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


def _reread_ids(gw, config, plan: rc.Plan, tabs: dict[str, rc.TabRows]) -> dict[str, rc.TabRows]:
    """Rows moved (by our batchUpdate, or by people meanwhile): find every row again by its id."""
    touched = sorted({p.kind for p in plan.pushes})
    fresh = gw.read_tabs([TABS[k] for k in touched], render="FORMULA")
    where = dict(tabs)
    for k in touched:
        rows = fresh.get(TABS[k], [])
        where[k] = rc.TabRows(k, rows, read_layout(k, rows[0] if rows else [], config))
    return where
