"""Undo and redo for the App, each saying what it did.

``Ledger.undo`` takes back this session's last local change.  Redo puts back
what an undo took: the record as it stood before the undo (added again with
the same id, edited back, or deleted again).  Any other change clears redo.
"""

from __future__ import annotations

from domain.i18n import tr
from tui.failures import reported


def _what(before: dict | None, after: dict | None) -> str:
    """What the change from ``before`` to ``after`` was: add, delete or edit."""
    if before is None:
        return "add"
    return "delete" if after is None else "edit"


class UndoRedo:
    """Mixin for the App: needs ``ledger``, ``changed`` and ``notify``."""

    _redo: list[tuple[str, str, dict | None]]

    def _say(self, key: str, kind: str, before: dict | None, after: dict | None) -> None:
        from tui.editing import record_title

        record = after or before or {}
        self.notify(tr(key, what=tr(f"undo.{_what(before, after)}"), kind=tr(f"kind.{kind}"),
                       name=record_title(kind, record)))

    def action_undo(self) -> None:
        if not self.is_loaded or not self.ledger.can_undo():
            self.notify(tr("store.nothing_to_undo"), severity="warning")
            return
        with reported(self):
            kind, rid = self.ledger.next_undo()
            now = self.ledger.get(kind, rid)
            self.ledger.undo()
            back = self.ledger.get(kind, rid)
            self.redo_stack().append((kind, rid, now))
            self._after(kind, rid)
            self._say("app.undone", kind, back, now)

    def action_redo(self) -> None:
        stack = self.redo_stack()
        if not self.is_loaded or not stack:
            self.notify(tr("app.nothing_to_redo"), severity="warning")
            return
        kind, rid, target = stack[-1]
        with reported(self):
            from domain.validation import format_record

            current = self.ledger.get(kind, rid)
            if target is None:
                self.ledger.delete(kind, rid)
            elif current is None:
                self.ledger.add(kind, {**format_record(kind, target), "school": target["school"]}, rid=rid)
            else:
                self.ledger.edit(kind, rid, format_record(kind, target))
            stack.pop()
            self._after(kind, rid)
            self._say("app.redone", kind, current, self.ledger.get(kind, rid))

    def redo_stack(self) -> list:
        if not hasattr(self, "_redo"):
            self._redo = []
        return self._redo

    def _after(self, kind: str, rid: str) -> None:
        self.changed(kind, rid, keep_redo=True)
        if kind == "member" and self.ledger.get(kind, rid) is not None:
            self.open_member(rid)
