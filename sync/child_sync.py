"""The sync in a child process, so that the screen stays responsive.

The child opens the ledger read-only (its committed state), reads the sheet,
plans, writes the sheet: all the work that would hold the interpreter's
lock for seconds.  Every local commit comes back to this process in small
chunks of records, each one journal commit here (through ``run_local``),
each record's changes in one chunk, so a kill anywhere leaves every record
old or new and the next sync finishes the job, as in-process.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
from dataclasses import dataclass
from typing import Any, Callable

from domain.backups import make_backup
from domain.errors import UserError
from domain.i18n import language, register, set_language, tr

from .ledger_port import COLUMNS, commit_after, commit_before, finish, snapshot
from .ledger_state import CONFLICTS, SYNC_META
from .plan import Plan
from .result import SyncError, SyncStopped

register({
    "sync.child_died": ("同步进程意外退出（退出码 {code}）；已写入的内容都是一致的，请再同步一次",
                        "the sync process ended unexpectedly (exit code {code}); what was written is consistent: sync again"),
})

CHUNK = 250  # records per local commit sent back (one commit of 250 bases: a few ms on the screen's thread)


@dataclass
class Job:
    path: str
    school: str
    settings: Any  # domain.settings.Settings
    mode: str
    allow_deletes: bool
    demo: bool
    lang: str
    open_gateway: Callable  # settings, spreadsheet=, endpoint= -> gateway (sync.service's, passed by reference)


# ----------------------------------------------------------------- chunks of a plan, by record
def _chunks(keys: list[tuple[str, str]], size: int) -> list[set[tuple[str, str]]]:
    ordered = list(dict.fromkeys(keys))
    return [set(ordered[i:i + size]) for i in range(0, len(ordered), size)] or [set()]


def split_before(plan: Plan, size: int = CHUNK) -> list[Plan]:
    keys = [(k, r["id"]) for k, r, _ in plan.local_puts] + [(k, i) for k, i, _ in plan.local_drops] + \
        list(plan.bases_now) + [(c.kind, c.id) for c in plan.conflicts]
    return [Plan(local_puts=[p for p in plan.local_puts if (p[0], p[1]["id"]) in part],
                 local_drops=[d for d in plan.local_drops if (d[0], d[1]) in part],
                 bases_now={k: v for k, v in plan.bases_now.items() if k in part},
                 conflicts=[c for c in plan.conflicts if (c.kind, c.id) in part]) for part in _chunks(keys, size)]


def split_after(plan: Plan, size: int = CHUNK) -> list[Plan]:
    keys = [(k, r["id"]) for k, r in plan.locals_after] + list(plan.bases_after) + \
        [(k, i) for k, i, _ in plan.row_deletes]
    return [Plan(locals_after=[a for a in plan.locals_after if (a[0], a[1]["id"]) in part],
                 bases_after={k: v for k, v in plan.bases_after.items() if k in part},
                 row_deletes=[d for d in plan.row_deletes if (d[0], d[1]) in part]) for part in _chunks(keys, size)]


# ----------------------------------------------------------------- the child's side
class ChildPort:
    def __init__(self, conn, ledger):
        self.conn, self.ledger = conn, ledger
        self.config, self.school = ledger.config, ledger.school

    def _ask(self, *msg) -> None:
        self.conn.send(msg)
        if self.conn.recv() != "ok":
            raise SyncError("parent refused")

    def columns(self) -> dict | None:
        return self.ledger.kv_get(SYNC_META, COLUMNS)

    def snapshot(self):
        return snapshot(self.ledger)

    def backup(self, reason: str) -> None:
        self._ask("backup", reason)

    def commit_before(self, plan: Plan, stamp: str, problems: list) -> None:
        parts = split_before(plan)
        for i, part in enumerate(parts):
            self._ask("before", part, stamp, problems if i == len(parts) - 1 else None)

    def commit_after(self, plan: Plan, placed: set, columns: dict, last: dict | None) -> None:
        parts = split_after(plan)
        for i, part in enumerate(parts):
            keys = set(part.bases_after) | {(k, rec["id"]) for k, rec in part.locals_after}
            self._ask("after", part, placed & keys, columns if i == len(parts) - 1 else None, last)

    def open_conflicts(self) -> int:
        return len(self.ledger.kv_all(CONFLICTS))

    def finish(self, result) -> None:
        return None  # done here by the parent, once the result is back


def child_main(conn, job: Job) -> None:
    from domain.store import Ledger

    from .engine import sync_through

    _quiet()
    set_language(job.lang)
    demo = None
    try:
        with Ledger.open(job.path, school=job.school, read_only=True) as ledger:
            target = {}
            if job.demo:
                from .demo_sheet import DemoSheet

                demo = DemoSheet(job.path, ledger.config)
                target = demo.start()
                conn.send(("demo", str(demo.state_path)))
            gw = job.open_gateway(job.settings, **target)
            result = sync_through(ChildPort(conn, ledger), gw, allow_deletes=job.allow_deletes, mode=job.mode,
                                  progress=lambda stage, frac: conn.send(("progress", stage, frac)))
        conn.send(("done", result))
    except BaseException as exc:  # noqa: BLE001  (every failure goes back to the parent as one message)
        conn.send(("error", _portable(exc)))
    finally:
        if demo is not None:
            demo.stop()


def _portable(exc: BaseException) -> BaseException:
    """The exception itself if it survives pickling, else a SyncError with its message."""
    try:
        return pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001
        cls = SyncStopped if isinstance(exc, SyncStopped) else SyncError if isinstance(exc, UserError) else RuntimeError
        return cls(str(exc))


# ----------------------------------------------------------------- the parent's side
def run_in_child(ledger, settings, *, mode: str, allow_deletes: bool, demo: bool,
                 hooks: dict[str, Callable]) -> Any:
    """Run the sync in a child process; ``hooks``: open_gateway (a module-level
    function: it travels by reference), run_local(fn), progress(stage, frac)
    and on_demo(path) (optional)."""
    ctx = multiprocessing.get_context("spawn")
    here, there = ctx.Pipe()
    job = Job(str(ledger.path), ledger.school, settings, mode, allow_deletes, demo, language(), hooks["open_gateway"])
    proc = ctx.Process(target=child_main, args=(there, job), daemon=True)
    _start(proc)
    try:
        return _serve(here, proc, ledger, hooks)
    finally:
        proc.join(timeout=30)
        if proc.is_alive():
            proc.terminate()


def _start(proc) -> None:
    """Start the child with the process's own stderr in place: a screen
    that captures sys.stderr (Textual) gives it no file descriptor, which the
    multiprocessing resource tracker needs when it starts."""
    captured = sys.stderr
    sys.stderr = sys.__stderr__ or captured
    try:
        proc.start()
    finally:
        sys.stderr = captured


def _quiet() -> None:
    """The child never writes to the terminal the screen is drawn on."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)


def _serve(conn, proc, ledger, hooks: dict[str, Callable]) -> Any:
    run_local = hooks["run_local"]
    while True:
        if not conn.poll(0.2):
            if not proc.is_alive():
                raise SyncError(tr("sync.child_died", code=proc.exitcode))
            continue
        op, *args = conn.recv()
        if op == "progress":
            hooks.get("progress", lambda *a: None)(*args)
        elif op == "demo" and hooks.get("on_demo"):
            hooks["on_demo"](args[0])
        elif op == "backup":
            run_local(lambda: make_backup(ledger, *args))
            conn.send("ok")
        elif op == "before":
            run_local(lambda: commit_before(ledger, *args))
            conn.send("ok")
        elif op == "after":
            run_local(lambda: commit_after(ledger, *args))
            conn.send("ok")
        elif op == "done":
            run_local(lambda: finish(ledger, args[0], compact=False))  # the screen compacts when idle (410 ms here)
            return args[0]
        elif op == "error":
            raise args[0]
