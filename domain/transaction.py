"""Changes gathered for one commit of the ledger, and the audit trail they leave.

Every record put or dropped adds history entries (``history`` table): one per
changed field with its old and new text, or one ``created``/``deleted``
entry, all stamped with the transaction's time and its source.
"""

from __future__ import annotations

from domain.fields import FIELDS
from domain.journal import Op, now_stamp
from domain.validation import format_value

HISTORY = "history"


class Transaction:
    """Changes gathered for one commit; history entries are made here."""

    def __init__(self, ledger):  # the domain.store.Ledger committing them
        self.ledger = ledger
        self.ops: list[Op] = []
        self._stamp = now_stamp()

    def put_record(self, kind: str, record: dict, *, source: str = "local") -> None:
        ledger = self.ledger
        key = ledger._keys[kind].get(record["id"]) or ledger._alloc(kind)
        before = ledger._tables[kind].get(key, {}) if record["id"] in ledger._keys[kind] else None
        self.ops.append((kind, key, record))
        if before is None:
            self._history(kind, record["id"], "*", "", "created", source)
            return
        for f in ("school", *(f.name for f in FIELDS[kind])):
            old, new = before.get(f), record.get(f)
            if old != new:
                self._history(kind, record["id"], f, _text(kind, f, old), _text(kind, f, new), source)

    def drop_record(self, kind: str, rid: str, *, source: str = "local") -> None:
        ledger = self.ledger
        key = ledger._keys[kind].get(rid)
        if key is None:
            return
        before = ledger._tables[kind][key]
        self.ops.append((kind, key, None))
        import orjson  # the deleted record stays readable in the audit trail

        self._history(kind, rid, "*", orjson.dumps(before).decode(), "deleted", source)

    def kv_put(self, table: str, key: str, value: dict) -> None:
        self.ops.append((table, key, value))

    def kv_drop(self, table: str, key: str) -> None:
        self.ops.append((table, key, None))

    def _history(self, kind, rid, field_name, old, new, source) -> None:
        entry = {"kind": kind, "id": rid, "at": self._stamp, "field": field_name,
                 "old": old, "new": new, "source": source}
        self.ops.append((HISTORY, self.ledger._alloc(HISTORY), entry))


def _text(kind: str, name: str, value) -> str:
    if name == "school":
        return value or ""
    from domain.fields import field

    return format_value(field(kind, name), value)
