"""Every touch of the ledger a sync makes, behind one small port.

``LocalPort`` runs them on the ledger itself (through ``run_local``: the
UI thread, from a background worker).  ``sync.child_sync`` runs the sync
in a child process whose port sends the commits back here in chunks, so
that the screen stays responsive.  The commits are the engine's two local
commits (see sync.engine): before the remote write (values taken from the
sheet, local deletions, pending bases, conflicts, problems) and after it
(bases of what the sheet confirmed).  A record changed here meanwhile (no
longer equal to what the plan expected) is left for the next sync.
"""

from __future__ import annotations

from typing import Any, Callable

from domain.backups import make_backup
from domain.fields import KINDS

from .ledger_state import BASES, CONFLICTS, SYNC_META, record_last, set_base
from .plan import Conflict, Plan
from .problems import store_problems
from .recovery import kept_local_fields

COLUMNS = "columns"  # SYNC_META key: per kind, the column each of our headers stood in at the last sync


def snapshot(ledger) -> tuple[dict[str, list[dict]], dict[str, dict], dict[str, dict]]:
    """The records and bases as they are now, and the local-only fields of
    synced records deleted here."""
    bases = dict(ledger.kv_all(BASES))
    return {k: ledger.records(k) for k in KINDS}, bases, kept_local_fields(ledger, bases)


def commit_before(ledger, plan: Plan, stamp: str, problems: list | None) -> None:
    """``problems`` None: leave the stored list alone (a chunk of a larger commit)."""
    skipped: set[tuple[str, str]] = set()
    with ledger.transaction() as tx:
        for kind, rec, expected in plan.local_puts:
            if ledger.get(kind, rec["id"]) != expected:  # changed here meanwhile: leave it to the next sync
                skipped.add((kind, rec["id"]))
                continue
            tx.put_record(kind, rec, source="sync")
        for kind, rid, expected in plan.local_drops:
            if ledger.get(kind, rid) != expected:
                skipped.add((kind, rid))
                continue
            tx.drop_record(kind, rid, source="sync")
        for (kind, rid), base in plan.bases_now.items():
            if (kind, rid) not in skipped:
                set_base(tx, ledger, kind, rid, base)
        _record_conflicts(tx, ledger, plan.conflicts, stamp)
        if problems is not None:
            store_problems(tx, ledger, problems)


def _record_conflicts(tx, ledger, conflicts: list[Conflict], stamp: str) -> None:
    """Open conflicts, each with the earlier sheet values it replaced."""
    for c in conflicts:
        old = ledger.kv_get(CONFLICTS, c.key)
        entry = {**c.as_dict(), "at": stamp}
        if old and old.get("theirs") != c.theirs:
            entry["earlier"] = [*old.get("earlier", []), old.get("theirs")]
        if old is None or {k: old.get(k) for k in ("mine", "theirs", "base")} != \
                {k: entry[k] for k in ("mine", "theirs", "base")}:
            tx.kv_put(CONFLICTS, c.key, entry)


def commit_after(ledger, plan: Plan, placed: set, columns: dict | None, last: dict | None) -> None:
    """``columns``: where our headers stand now (None: not this chunk's to write)."""
    with ledger.transaction() as tx:
        if columns is not None and columns != last:
            tx.kv_put(SYNC_META, COLUMNS, columns)  # where our headers stand, for the next sync's check
        for kind, rec in plan.locals_after:
            if (kind, rec["id"]) in placed and ledger.get(kind, rec["id"]) is None:
                tx.put_record(kind, rec, source="sync")
        deleted = {(k, i) for k, i, _r in plan.row_deletes}
        for (kind, rid), base in plan.bases_after.items():
            if (kind, rid) in placed or (kind, rid) in deleted:
                set_base(tx, ledger, kind, rid, base)


def finish(ledger, result, compact: bool = True) -> None:
    """The result's count of open conflicts, and the last sync's status;
    ``compact``: compact the journal now (a screen leaves it to its idle moments)."""
    result.open_conflicts = len(ledger.kv_all(CONFLICTS))
    record_last(ledger, result, ok=True)
    if compact:
        ledger.compact_if_needed()


class LocalPort:
    def __init__(self, ledger, run_local: Callable[[Callable[[], Any]], Any]):
        self.ledger, self.run_local = ledger, run_local
        self.config, self.school = ledger.config, ledger.school

    def columns(self) -> dict | None:
        return self.run_local(lambda: self.ledger.kv_get(SYNC_META, COLUMNS))

    def snapshot(self):
        return self.run_local(lambda: snapshot(self.ledger))

    def backup(self, reason: str) -> None:
        self.run_local(lambda: make_backup(self.ledger, reason))

    def commit_before(self, plan: Plan, stamp: str, problems: list) -> None:
        self.run_local(lambda: commit_before(self.ledger, plan, stamp, problems))

    def commit_after(self, plan: Plan, placed: set, columns: dict, last: dict | None) -> None:
        self.run_local(lambda: commit_after(self.ledger, plan, placed, columns, last))

    def open_conflicts(self) -> int:
        return self.run_local(lambda: len(self.ledger.kv_all(CONFLICTS)))

    def finish(self, result) -> None:
        self.run_local(lambda: finish(self.ledger, result))
