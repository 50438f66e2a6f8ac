"""Home: this month's duties and the year's targets.

Each duty leads somewhere with one key: Enter opens its record (the member,
or the calendar on the event's day); ``v`` starts a new visit to the member
with the reason already chosen.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from domain.duties import Duty, Target
from domain.i18n import tr
from tui.bindings import Translated
from tui.charts import HomeCharts
from tui.requests import NewVisit, OpenDate, OpenMember
from tui.table import Column, RecordTable


def _percent(t: Target) -> str:
    return "—" if t.percent is None else f"{t.percent:.0f}%"


class HomeView(Translated, Vertical):
    BINDINGS = [
        Binding("enter", "open", "act.open"),
        Binding("v", "new_visit", "act.new_visit"),
        Binding("t", "targets", "act.targets"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(Text(tr("app.loading")), id="home-targets")
        yield HomeCharts(id="home-charts")
        yield Static("", id="home-caption")
        yield RecordTable([
            Column("home.col.date", 10, lambda d: d.date.isoformat() if d.date else ""),
            Column("home.col.kind", 8, lambda d: d.label),
            Column("home.col.title", 20, lambda d: d.title),
            Column("home.col.detail", 52, lambda d: d.detail),
        ], empty=tr("home.empty"), id="home-table")

    def show(self, duties: list[Duty], targets: list[Target], today, over_cap: int = 0) -> None:
        year = today.year
        self.targets, self.year = targets, year
        text = Text(tr("home.targets", year=year) + " ", style="bold")
        for t in targets:
            style = "green" if t.total and t.done == t.total else "yellow"
            text.append(tr("home.target", label=t.label, done=t.done, total=t.total, percent=_percent(t)), style)
            text.append("  ")
        if over_cap:
            text.append(tr("home.over_cap", n=over_cap) + "  ", "red")
        text.append(tr("home.targets_key"), "dim")
        self.query_one("#home-targets", Static).update(text)
        self.query_one("#home-caption", Static).update(Text(tr("home.duties", today=today.isoformat())))
        self.query_one(RecordTable).set_rows(duties)
        self.query_one(HomeCharts).refresh_figures(self.app.ledger, today)

    @property
    def current(self) -> Duty | None:
        return self.query_one(RecordTable).current

    @on(RecordTable.Selected)
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        duty = self.current
        if duty is None:
            return
        if duty.member_id:
            self.post_message(OpenMember(duty.member_id))
        elif duty.date:
            self.post_message(OpenDate(duty.date, duty.event_id))

    def action_targets(self) -> None:
        from tui.targets_screen import TargetsScreen

        if getattr(self, "targets", None) is not None:
            self.app.push_screen(TargetsScreen(self.targets, self.year))

    def action_new_visit(self) -> None:
        duty = self.current
        if duty is None or not duty.member_id:
            self.notify(tr("home.no_member"), severity="warning")
            return
        self.post_message(NewVisit(duty.member_id, reason=duty.reason))
