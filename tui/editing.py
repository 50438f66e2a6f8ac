"""The App's answers to the views' requests (``tui.requests``): forms, deletes,
visits, attendance, and moving to a record.  Mixed into ``LedgerApp``.

Every change goes through ``domain.store.Ledger`` inside ``reported``: a value
refused or a disk that fails shows a toast and the program keeps running.
"""

from __future__ import annotations

from functools import partial

from domain.i18n import tr
from tui.failures import reported
from tui.requests import (CancelOccurrence, DeleteRecord, EditAttendance, EditRecord, NewVisit, OpenDate,
                          OpenMember)


def record_title(kind: str, record: dict) -> str:
    if kind == "member":
        return record.get("name", "")
    if kind == "event":
        return record.get("title", "")
    return f"{record.get('member_name', '')} {record.get('date', '')}".strip()


def lunar_hint(raw: dict) -> str:
    from domain.dates import parse_date
    from domain.lunar import solar_to_lunar

    try:
        label = solar_to_lunar(parse_date(raw.get("date", ""))).label
    except ValueError:
        return ""
    return tr("form.lunar", label=label)


class Editing:
    """Mixin for the App: needs ``ledger``, ``queries``, ``config``, ``today``, ``changed``."""

    # ----- requests from the views (Textual finds ``on_<message>`` handlers along the MRO)
    def on_edit_record(self, request: EditRecord) -> None:
        self.edit_record(request.kind, request.record, request.prefill)

    def on_delete_record(self, request: DeleteRecord) -> None:
        self.delete_record(request.kind, request.record)

    def on_new_visit(self, request: NewVisit) -> None:
        if not self.is_loaded:
            return
        if not request.member_id:
            return self.pick_member_for_visit()
        member = self.ledger.get("member", request.member_id)
        if member is not None:
            self.new_visit(member, request.reason)

    def on_edit_attendance(self, request: EditAttendance) -> None:
        self.edit_participants(request.event, request.day)

    def on_cancel_occurrence(self, request: CancelOccurrence) -> None:
        from domain.occurrences import change_occurrence

        event, day = request.event, request.day
        with reported(self):
            change_occurrence(self.ledger, event["id"], day, cancelled=request.cancelled)
            self.changed("event", event["id"])
            key = "cal.occurrence_cancelled" if request.cancelled else "cal.occurrence_restored"
            self.notify(tr(key, name=event.get("title", ""), date=day.isoformat()))

    def on_open_member(self, request: OpenMember) -> None:
        self.open_member(request.member_id)

    def on_open_date(self, request: OpenDate) -> None:
        self.open_date(request.day, request.event_id)

    # ----- the form
    def edit_record(self, kind: str, record: dict | None = None, prefill: dict | None = None) -> None:
        if not self.is_loaded:
            return
        from domain.fields import FIELDS
        from tui.forms import FormOptions, RecordForm

        ledger = self.ledger
        kind_name = tr(f"kind.{kind}")
        defaults = {f.name: f.default for f in FIELDS[kind] if f.default}
        values = dict(record) if record else {**defaults, "school": ledger.school, **(prefill or {})}
        from domain.checks import check_save

        rid = record["id"] if record else None
        check = partial(check_save, ledger, kind, rid=rid)
        if record:
            title = tr("form.edit", kind=kind_name, name=record_title(kind, record))
            save = partial(ledger.edit, kind, rid)
        else:
            title = tr("form.add", kind=kind_name)
            save = partial(ledger.add, kind)
        note, hint = "", None
        if kind == "visit":
            note, hint, save, check = self._visit_form(values, record, save, check)
        elif kind == "event":
            hint = lunar_hint
        options = FormOptions(note=note, hint=hint, only_touched=record is not None, check=check)
        form = RecordForm(kind, title, values, save=save, config=self.config, options=options)
        self.push_screen(form, partial(self._saved, kind, record is None))

    def _visit_form(self, values: dict, record: dict | None, save, check):
        member_id = values.get("member_id", "")
        member = self.ledger.get("member", member_id) or {}
        name = values.get("member_name") or member.get("name", "")
        who = " ".join(x for x in (member.get("union_group"), member.get("phone")) if x) or member_id
        if not record:  # the member was chosen before the form: it is not one of its fields
            save = lambda raw, _save=save: _save({**raw, "member_id": member_id})  # noqa: E731
            check = lambda raw, _check=check: _check({**raw, "member_id": member_id})  # noqa: E731
        hint = partial(self._visit_hint, record["id"] if record else "", member_id)
        return tr("form.member", name=name, id=who), hint, save, check

    def _saved(self, kind: str, added: bool, saved: dict | None) -> None:
        if saved is None:
            return
        self.changed(kind, saved["id"])
        self.notify(tr("app.saved", name=record_title(kind, saved)))
        if added and kind == "member":
            self.open_member(saved["id"])
        elif added and kind == "visit":
            self.query_one("#visit-table").select_row(saved)

    def _visit_hint(self, rid: str, member_id: str, raw: dict) -> str:
        from domain.caps import cap_status, cap_warnings
        from domain.fields import field
        from domain.validation import ValidationError, parse_value

        candidate = {"id": rid or "new", "member_id": member_id, "member_name": raw.get("member_name", "")}
        for name in ("reason", "amount", "date"):
            try:
                candidate[name] = parse_value("visit", field("visit", name), raw.get(name, ""), self.config)
            except ValidationError:
                return ""
        visits = self.ledger.records("visit")
        warnings = [tr("visits.cap_warning", warning=w) for w in cap_warnings(self.config, candidate, visits)]
        return "\n".join([line for line in (cap_status(self.config, candidate, visits),) if line] + warnings)

    # ----- deleting, visits, attendance
    def delete_record(self, kind: str, record: dict) -> None:
        from tui.dialogs import ConfirmScreen

        if kind == "member":
            question = tr("members.confirm_delete", name=record.get("name", ""))
        elif kind == "event":
            question = tr("cal.confirm_delete", name=record.get("title", ""))
        else:
            question = tr("visits.confirm_delete", name=record.get("member_name", ""), date=record.get("date", ""))

        def answer(yes: bool | None) -> None:
            if yes:
                with reported(self):
                    self.ledger.delete(kind, record["id"])
                    self.changed(kind, record["id"])
                    self.notify(tr("app.deleted", name=record_title(kind, record)))

        self.push_screen(ConfirmScreen(question), answer)

    def new_visit(self, member: dict, reason: str = "") -> None:
        self.edit_record("visit", prefill={"member_id": member["id"], "member_name": member.get("name", ""),
                                           "date": self.today.isoformat(), "reason": reason})

    def pick_member_for_visit(self) -> None:
        from tui.dialogs import MemberPicker

        self.push_screen(MemberPicker(tr("pick.member"), self.queries),
                         lambda m: self.new_visit(m) if m else None)

    def edit_participants(self, event: dict, day) -> None:
        """Who attended the occurrence of ``event`` named by its series date ``day``."""
        from domain.occurrences import attendees_of, change_occurrence
        from tui.dialogs import MemberPicker

        def done(ids: list[str] | None) -> None:
            if ids is None:
                return
            with reported(self):
                saved = change_occurrence(self.ledger, event["id"], day, attendees=ids)
                self.changed("event", event["id"])
                self.notify(tr("cal.participants_saved", name=saved.get("title", ""), date=day.isoformat(),
                               n=len(ids)))

        title = tr("pick.participants", name=event.get("title", ""), date=day.isoformat())
        self.push_screen(MemberPicker(title, self.queries, multi=True, chosen=attendees_of(event, day)), done)
