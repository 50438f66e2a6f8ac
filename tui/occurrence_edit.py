"""Editing one occurrence of a recurring event: this one, this and following,
or the whole series (the calendar's e on a recurring event asks which).

- this one: its date, time and place (``domain.occurrences.change_occurrence``);
- this and following: the series ends the day before and a new one starts
  with the changes (``split_series``; the later occurrences' records go with it);
- the whole series: the event's own form.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from domain.i18n import register, tr
from tui.bindings import Translated
from tui.footer import FittingFooter

register({
    "occ.scope_question": ("“{title}”是重复活动，修改哪些？", "“{title}” repeats: change which?"),
    "occ.scope_keys": ("1 仅本次（{date}） · 2 本次及以后 · 3 整个系列 · Esc 取消",
                       "1 this one ({date}) · 2 this and following · 3 the whole series · Esc cancel"),
    "occ.form_one": ("修改“{title}”{date} 这一次", "Change “{title}” on {date} only"),
    "occ.form_following": ("修改“{title}”{date} 及以后各次", "Change “{title}” from {date} on"),
    "occ.saved_one": ("已修改 {date} 这一次：{title}", "Changed the occurrence of {date}: {title}"),
    "occ.saved_following": ("“{title}”自 {date} 起另成一个系列", "“{title}” from {date} on is now a series of its own"),
    "act.scope_one": ("仅本次", "This one"),
    "act.scope_following": ("本次及以后", "This and following"),
    "act.scope_series": ("整个系列", "Whole series"),
})

ONE_FIELDS = ("date", "start_time", "end_time", "location")


class EditOccurrence(Message):
    def __init__(self, event: dict, occurrence) -> None:
        super().__init__()
        self.event, self.occurrence = event, occurrence


class ScopeScreen(Translated, ModalScreen[str | None]):
    """Dismissed with "one", "following", "series" or None."""

    BINDINGS = [
        Binding("1", "choose('one')", "act.scope_one"),
        Binding("2", "choose('following')", "act.scope_following"),
        Binding("3", "choose('series')", "act.scope_series"),
        Binding("escape", "choose('')", "act.cancel", key_display="Esc"),
    ]

    def __init__(self, title: str, day: dt.date) -> None:
        super().__init__()
        self.title_text, self.day = title, day

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Text(tr("occ.scope_question", title=self.title_text)), id="confirm-question")
            yield Static(Text(tr("occ.scope_keys", date=self.day.isoformat())), id="confirm-keys")
        yield FittingFooter()

    def action_choose(self, scope: str) -> None:
        self.dismiss(scope or None)


class OccurrenceEditing:
    """Mixin for the App (beside ``tui.editing.Editing``)."""

    def on_edit_occurrence(self, request: EditOccurrence) -> None:
        event, occurrence = request.event, request.occurrence
        self.push_screen(ScopeScreen(event.get("title", ""), occurrence.series_date),
                         partial(self._scope_chosen, event, occurrence))

    def _scope_chosen(self, event: dict, occurrence, scope: str | None) -> None:
        if scope == "series":
            self.edit_record("event", event)
        elif scope == "one":
            self._edit_one(event, occurrence)
        elif scope == "following":
            self._edit_following(event, occurrence)

    def _edit_one(self, event: dict, occurrence) -> None:
        from domain.fields import field
        from domain.occurrences import change_occurrence
        from domain.validation import parse_value
        from tui.forms import FormOptions, RecordForm

        day = occurrence.series_date

        def save(raw: dict) -> dict:
            stored = {n: parse_value("event", field("event", n), raw.get(n, ""), self.config) for n in ONE_FIELDS}
            return change_occurrence(self.ledger, event["id"], day, moved_to=stored["date"],
                                     start_time=stored["start_time"], end_time=stored["end_time"],
                                     location=stored["location"])

        values = {"date": occurrence.date.isoformat(), "start_time": occurrence.start_time,
                  "end_time": occurrence.end_time, "location": occurrence.location}
        title = tr("occ.form_one", title=event.get("title", ""), date=day.isoformat())
        form = RecordForm("event", title, values, save=save, config=self.config,
                          options=FormOptions(fields=ONE_FIELDS))
        self.push_screen(form, partial(self._occurrence_saved, "occ.saved_one", day))

    def _edit_following(self, event: dict, occurrence) -> None:
        from domain.occurrences import split_series
        from tui.forms import FormOptions, RecordForm

        day = occurrence.series_date
        values = {**event, "date": day.isoformat()}
        title = tr("occ.form_following", title=event.get("title", ""), date=day.isoformat())
        form = RecordForm("event", title, values, save=lambda raw: split_series(self.ledger, event["id"], day, raw),
                          config=self.config, options=FormOptions(only_touched=True))
        self.push_screen(form, partial(self._occurrence_saved, "occ.saved_following", day, old=event["id"]))

    def _occurrence_saved(self, key: str, day: dt.date, saved: dict | None, old: str = "") -> None:
        if saved is None:
            return
        if old:
            self.changed("event", old)
        self.changed("event", saved["id"])
        self.notify(tr(key, title=saved.get("title", ""), date=day.isoformat()))
