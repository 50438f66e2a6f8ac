"""Messages the views send up to the App ("attributes down, messages up").

A view never edits the ledger or opens another view itself: it posts one of
these and the App (``tui.editing``) does it, with the error shown if it fails.
"""

from __future__ import annotations

import datetime as dt

from textual.message import Message


class EditRecord(Message):
    """Open the form: on ``record``, or a new record of ``kind`` with ``prefill``."""

    def __init__(self, kind: str, record: dict | None = None, prefill: dict | None = None) -> None:
        super().__init__()
        self.kind, self.record, self.prefill = kind, record, prefill or {}


class DeleteRecord(Message):
    def __init__(self, kind: str, record: dict) -> None:
        super().__init__()
        self.kind, self.record = kind, record


class NewVisit(Message):
    """A new visit to the member ``member_id`` (empty: pick the member first)."""

    def __init__(self, member_id: str = "", reason: str = "") -> None:
        super().__init__()
        self.member_id, self.reason = member_id, reason


class EditAttendance(Message):
    def __init__(self, event: dict, day: dt.date | None = None) -> None:
        super().__init__()
        self.event, self.day = event, day


class CancelOccurrence(Message):
    """Cancel (or restore) one occurrence of an event, named by its series date."""

    def __init__(self, event: dict, day: dt.date, cancelled: bool) -> None:
        super().__init__()
        self.event, self.day, self.cancelled = event, day, cancelled


class OpenMember(Message):
    def __init__(self, member_id: str) -> None:
        super().__init__()
        self.member_id = member_id


class OpenDate(Message):
    def __init__(self, day: dt.date, event_id: str = "") -> None:
        super().__init__()
        self.day, self.event_id = day, event_id
