"""Calendar: a month grid with lunar day labels and holidays, and the month's agenda.

The grid is one widget drawing 7 x 6 cells of two lines (the day, then the
lunar day or the holiday); the agenda lists each occurrence of each event in
the month (recurrences computed by ``domain.recurrence``, lunar ones too).
"""

from __future__ import annotations

import calendar as pycal
import datetime as dt

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from domain.i18n import tr
from domain.queries import agenda, day_counts
from tui.bindings import Translated
from tui.screen_keys import ExportKey, PlanImportKey
from tui.requests import CancelOccurrence, DeleteRecord, EditAttendance, EditRecord
from tui.table import Column, RecordTable, fit

CELL = 8


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    return first, first.replace(day=pycal.monthrange(day.year, day.month)[1])


def add_months(day: dt.date, n: int) -> dt.date:
    y, m = divmod(day.year * 12 + day.month - 1 + n, 12)
    return dt.date(y, m + 1, min(day.day, pycal.monthrange(y, m + 1)[1]))


class MonthGrid(Translated, Widget, can_focus=True):
    DEFAULT_CSS = """
    MonthGrid { width: 58; height: 15; padding: 0 1; }
    """
    BINDINGS = [
        Binding("left", "move(-1)", show=False),
        Binding("right", "move(1)", show=False),
        Binding("up", "move(-7)", show=False),
        Binding("down", "move(7)", show=False),
        Binding("pageup,left_square_bracket", "month(-1)", "act.prev_month", key_display="PgUp"),
        Binding("pagedown,right_square_bracket", "month(1)", "act.next_month", key_display="PgDn"),
        Binding("t", "today", "act.today"),
    ]
    day: reactive[dt.date] = reactive(dt.date(2000, 1, 1), always_update=True)

    class DayChanged(Message):
        def __init__(self, day: dt.date) -> None:
            super().__init__()
            self.day = day

    def __init__(self, today: dt.date, **kw) -> None:
        super().__init__(**kw)
        self.today = today
        self.counts: dict[dt.date, int] = {}
        self.set_reactive(MonthGrid.day, today)

    def watch_day(self, day: dt.date) -> None:
        self.post_message(self.DayChanged(day))

    def action_move(self, days: int) -> None:
        self.day = self.day + dt.timedelta(days=days)

    def action_month(self, n: int) -> None:
        self.day = add_months(self.day, n)

    def action_today(self) -> None:
        self.day = self.today

    def render(self) -> Text:
        from domain.lunar import holidays_between, lunar_day_label  # tyme4py: 0.1 s to import, not at start-up

        first, last = month_bounds(self.day)
        holidays = {h.date for h in holidays_between(first, last)}
        text = Text(tr("cal.title", year=self.day.year, month=self.day.month) + "\n", style="bold")
        for name in tr("cal.weekdays").split():
            text.append(fit(name, CELL - 1, right=True) + " ", style="bold")
        text.append("\n")
        start = first - dt.timedelta(days=first.weekday())
        for week in range(6):
            days = [start + dt.timedelta(days=week * 7 + i) for i in range(7)]
            if days[0] > last:
                break
            for line in (0, 1):
                for d in days:
                    if d.month != self.day.month:
                        text.append(" " * CELL)
                        continue
                    if line == 0:
                        n = self.counts.get(d, 0)
                        mark = ("•" + str(n) if n < 10 else "•+") if n else ""
                        cell = fit(f"{d.day:>2} {mark}", CELL - 1)
                    else:
                        cell = fit(lunar_day_label(d), CELL - 1)
                    style = ""
                    if d in holidays:
                        style = "bold red"
                    if d == self.today:
                        style += " underline"
                    if d == self.day:
                        style += " reverse" if self.has_focus else " on grey30"
                    text.append(cell, style=style.strip() or None)
                    text.append(" ")
                text.append("\n")
        return text

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_click(self, event) -> None:
        first, _ = month_bounds(self.day)
        start = first - dt.timedelta(days=first.weekday())
        row, col = (event.y - 2) // 2, (event.x - 1) // CELL
        if 0 <= row < 6 and 0 <= col < 7:
            d = start + dt.timedelta(days=row * 7 + col)
            if d.month == self.day.month:
                self.day = d


def _title_cell(row) -> str:
    occurrence, event = row
    title = event.get("title", "")
    return tr("cal.cancelled", title=title) if occurrence.cancelled else title


class CalendarView(Translated, PlanImportKey, ExportKey, Vertical):
    kind = "event"
    BINDINGS = [
        Binding("a", "add", "act.add"),
        Binding("e", "edit", "act.edit"),
        Binding("d", "delete", "act.delete"),
        Binding("p", "participants", "act.participants"),
        Binding("x", "cancel_occurrence", "act.cancel_occurrence"),
        Binding("i", "import_plan", "act.import_plan", show=False),
        Binding("o", "export_rows", "act.export", show=False),
    ]

    def __init__(self, today: dt.date, **kw) -> None:
        super().__init__(**kw)
        self.today = today
        self._month: tuple | None = None
        self.queries = None  # the App's LedgerQueries, set when the ledger is open

    def compose(self) -> ComposeResult:
        with Horizontal(id="cal-view-columns"):
            with Vertical(id="cal-left"):
                yield MonthGrid(self.today, id="cal-grid")
                yield Static("", id="cal-holidays")
            with Vertical(id="cal-right"):
                yield Static("", id="cal-caption")
                yield RecordTable([
                    Column("cal.col.date", 5, lambda r: r[0].date.strftime("%m-%d")),
                    Column("cal.col.time", 5, lambda r: r[0].start_time),
                    Column("cal.col.title", 14, _title_cell),
                    Column("cal.col.recurrence", 8, lambda r: r[1].get("recurrence", "")),
                    Column("cal.col.people", 4, lambda r: str(len(r[0].attendees)), right=True),
                ], id="cal-agenda")

    @property
    def grid(self) -> MonthGrid:
        return self.query_one(MonthGrid)

    @property
    def agenda_table(self) -> RecordTable:
        return self.query_one("#cal-agenda", RecordTable)

    def refresh_month(self, force: bool = False) -> None:
        day = self.grid.day
        key = (day.year, day.month, self.queries.ledger.revision)
        if key != self._month or force:
            self._month = key
            from domain.lunar import holidays_between

            first, last = month_bounds(day)
            items = agenda(self.queries.ledger, first, last)
            self.grid.counts = day_counts(items)
            self.agenda_table.set_rows(items)
            self.query_one("#cal-caption", Static).update(Text(tr("cal.agenda", n=len(items))))
            names = [tr("cal.holiday", day=h.date.day, month=h.date.month, name=h.name)
                     for h in holidays_between(first, last)]
            self.query_one("#cal-holidays", Static).update(Text(tr("cal.holidays", names=tr("sep.list").join(names))))
        self.grid.refresh()
        rows = self.agenda_table.rows
        index = next((i for i, (o, _) in enumerate(rows) if o.date >= day), None)
        if index is not None:
            self.agenda_table.cursor = index
            self.agenda_table._reveal()

    @on(MonthGrid.DayChanged)
    def _day(self) -> None:
        if self.queries is not None:
            self.refresh_month()

    @on(RecordTable.Selected, "#cal-agenda")
    def _selected(self) -> None:
        self.action_edit()

    def show_date(self, day: dt.date, event_id: str = "") -> None:
        self.grid.day = day
        self.refresh_month()
        if event_id:
            for i, (o, e) in enumerate(self.agenda_table.rows):
                if o.date == day and e["id"] == event_id:
                    self.agenda_table.cursor = i
        self.grid.focus()

    @property
    def current_event(self) -> dict | None:
        row = self.agenda_table.current
        return row[1] if row else None

    def action_add(self) -> None:
        self.post_message(EditRecord("event", prefill={"date": self.grid.day.isoformat()}))

    def action_edit(self) -> None:
        if self.current_event is None:
            self.notify(tr("cal.no_event"), severity="warning")
            return
        occurrence, event = self.agenda_table.current
        from domain.recurrence import ONCE

        if (event.get("recurrence") or ONCE) == ONCE:
            self.post_message(EditRecord("event", event))
        else:  # which: this one, this and following, the whole series
            from tui.occurrence_edit import EditOccurrence

            self.post_message(EditOccurrence(event, occurrence))

    def action_delete(self) -> None:
        if self.current_event is not None:
            self.post_message(DeleteRecord("event", self.current_event))

    def action_participants(self) -> None:
        if self.current_event is None:
            self.notify(tr("cal.no_event"), severity="warning")
            return
        occurrence, event = self.agenda_table.current
        self.post_message(EditAttendance(event, occurrence.series_date))

    def action_cancel_occurrence(self) -> None:
        if self.current_event is None:
            self.notify(tr("cal.no_event"), severity="warning")
            return
        occurrence, event = self.agenda_table.current
        self.post_message(CancelOccurrence(event, occurrence.series_date, not occurrence.cancelled))
