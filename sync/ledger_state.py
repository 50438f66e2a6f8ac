"""What the sync keeps in the ledger (key-value tables): the bases (the
state both sides last agreed on, per record), open conflicts and the last
sync's status; and what it tells the screen about changes waiting."""

from __future__ import annotations

from domain.fields import KINDS
from domain.store import now_stamp

from .canonical import canon
from .sheet_layout import SCHOOL_FIELD, synced_fields

BASES = "_sync_base"
CONFLICTS = "_conflicts"
SYNC_META = "_sync_meta"


def set_base(tx, ledger, kind: str, rid: str, base: dict | None) -> None:
    """Record (or forget) the state both sides agreed on for one record."""
    key = f"{kind}:{rid}"
    if base is not None:
        tx.kv_put(BASES, key, base)
    elif ledger.kv_get(BASES, key) is not None:
        tx.kv_drop(BASES, key)


def record_last(ledger, result=None, ok: bool = True, error: str = "") -> None:
    """Remember how the last sync ended (``result``: a SyncResult) for the status line."""
    entry = {"at": now_stamp(), "ok": ok, "error": error}
    if result is not None:
        entry.update(summary=result.summary(), requests=result.requests, conflicts=result.open_conflicts,
                     problems=len(result.problems))
    with ledger.transaction() as tx:
        tx.kv_put(SYNC_META, "last", entry)


def record_failure(ledger, message: str) -> None:
    """Remember a failed sync for the status line."""
    record_last(ledger, None, ok=False, error=message)


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
    return any(canon(f, rec.get(f.name)) != base.get(f.name, "")
               for f in synced_fields(kind, ledger.config) if f.name != SCHOOL_FIELD and f.name in base)


def pending_changes(ledger) -> int:
    return len(pending_keys(ledger))
