"""Nothing the sheet deletes is lost here: a record deleted by a sync (or by
hand) stays readable in the ledger's audit trail, whole, with its local-only
fields (身份证号, 健康状况, 病情, 家庭收入 ...).  ``undelete`` brings it back;
a record deleted here that comes back from the sheet (edited there) gets its
local-only fields back from the same place."""

from __future__ import annotations

import orjson

from domain.errors import UserError
from domain.fields import FIELDS, KINDS
from domain.i18n import register, tr

from .sheet_layout import synced_fields

register({
    "sync.undelete.exists": ("{kind} {id} 没有被删除，无需恢复", "{kind} {id} is not deleted; nothing to bring back"),
    "sync.undelete.unknown": ("找不到被删除的 {kind} {id}（编号对吗？app.py history {kind} {id} 可查看记录）",
                              "no deleted {kind} {id} (is the id right? see app.py history {kind} {id})"),
    "sync.undelete.bad_kind": ("类型“{kind}”不对：可用 member、event、visit",
                               "unknown kind {kind!r}: use member, event or visit"),
})


class NothingToUndelete(UserError, LookupError):
    pass


def last_deleted(ledger, kind: str, rid: str) -> dict | None:
    """The record as it was when last deleted (None: never deleted)."""
    for entry in reversed(ledger.history(kind, rid)):
        if entry.get("field") == "*" and entry.get("new") == "deleted" and entry.get("old"):
            return orjson.loads(entry["old"])
    return None


def undelete(ledger, kind: str, rid: str) -> dict:
    """Bring a deleted record back, whole; the next sync writes it to the
    sheet again if its row is gone.  Raises NothingToUndelete."""
    if kind not in KINDS:
        raise NothingToUndelete(tr("sync.undelete.bad_kind", kind=kind))
    if ledger.get(kind, rid) is not None:
        raise NothingToUndelete(tr("sync.undelete.exists", kind=kind, id=rid))
    rec = last_deleted(ledger, kind, rid)
    if rec is None:
        raise NothingToUndelete(tr("sync.undelete.unknown", kind=kind, id=rid))
    with ledger.transaction() as tx:
        tx.put_record(kind, rec, source="undelete")
    return rec


def local_only(kind: str, rec: dict, config) -> dict:
    """The fields of ``rec`` that never go to the sheet, those that hold something."""
    synced = {f.name for f in synced_fields(kind, config)}
    return {f.name: rec[f.name] for f in FIELDS[kind]
            if f.name not in synced and rec.get(f.name) not in (None, "", [])}


def kept_local_fields(ledger, bases: dict[str, dict]) -> dict[str, dict]:
    """``kind:id`` -> local-only fields of each synced record deleted here
    (it may come back from the sheet, edited there)."""
    out: dict[str, dict] = {}
    for key in bases:
        kind, _, rid = key.partition(":")
        if kind in KINDS and ledger.get(kind, rid) is None:
            rec = last_deleted(ledger, kind, rid)
            if rec is not None and (fields := local_only(kind, rec, ledger.config)):
                out[key] = fields
    return out
