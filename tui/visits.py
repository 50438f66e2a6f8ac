"""Visits: the list filtered by reason, year and fund source, with money totals."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from domain.i18n import tr
from domain.money import format_yuan
from tui.bindings import Translated
from tui.table import Column, RecordListActions, RecordTable


class VisitsView(Translated, RecordListActions, Vertical):
    kind, table_id = "visit", "visit-table"

    BINDINGS = [
        Binding("a", "add", "act.add"),
        Binding("e", "edit", "act.edit"),
        Binding("d", "delete", "act.delete"),
        Binding("r", "filter_reason", "act.filter_reason"),
        Binding("y", "filter_year", "act.filter_year"),
        Binding("f", "filter_fund", "act.filter_fund"),
    ]

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.reason = ""
        self.year = ""
        self.fund = ""

    def compose(self) -> ComposeResult:
        yield Static("", id="visit-summary")
        yield RecordTable([
            Column("visits.col.date", 10, lambda v: v.get("date", "")),
            Column("visits.col.member", 10, lambda v: v.get("member_name", "")),
            Column("visits.col.reason", 10, lambda v: v.get("reason", "")),
            Column("visits.col.amount", 10, lambda v: format_yuan(v["amount"]) if v.get("amount") is not None
                   else "", right=True),
            Column("visits.col.fund", 12, lambda v: v.get("fund_source", "")),
            Column("visits.col.visitors", 30, lambda v: v.get("visitors", "")),
        ], id="visit-table")

    def refresh_rows(self) -> None:
        reason, year, fund = self.reason, self.year, self.fund
        rows = [v for v in self.app.visits_sorted()
                if (not reason or v.get("reason") == reason) and (not year or v.get("date", "")[:4] == year)
                and (not fund or v.get("fund_source") == fund)]
        self.table.set_rows(rows)
        total = sum(v.get("amount") or 0 for v in rows)
        all_ = tr("filter.all")
        self.query_one("#visit-summary", Static).update(Text(tr(
            "visits.summary", n=len(rows), total=format_yuan(total, grouping=True), reason=reason or all_,
            year=year or all_, fund=fund or all_)))

    def _cycle(self, current: str, options) -> str:
        options = ("", *options)
        return options[(options.index(current) + 1) % len(options)] if current in options else ""

    def action_filter_reason(self) -> None:
        self.reason = self._cycle(self.reason, self.app.config.choices("visit_reasons"))
        self.refresh_rows()

    def action_filter_year(self) -> None:
        years = sorted({v.get("date", "")[:4] for v in self.app.ledger.records("visit")} - {""}, reverse=True)
        self.year = self._cycle(self.year, years)
        self.refresh_rows()

    def action_filter_fund(self) -> None:
        self.fund = self._cycle(self.fund, self.app.config.choices("fund_sources"))
        self.refresh_rows()

    @on(RecordTable.Selected, "#visit-table")
    def _selected(self) -> None:
        self.action_edit()

    def action_add(self) -> None:
        self.app.pick_member_for_visit()

