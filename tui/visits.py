"""Visits: the list filtered by reason, year and fund source, with money totals."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from domain.i18n import tr
from domain.money import format_yuan
from domain.queries import VisitFilter, visit_totals
from tui.bindings import Translated
from tui.screen_keys import ExportKey, ImportKey
from tui.members import _next
from tui.requests import NewVisit
from tui.table import Column, RecordListActions, RecordTable


class VisitsView(Translated, ImportKey, ExportKey, RecordListActions, Vertical):
    kind, table_id = "visit", "visit-table"

    BINDINGS = [
        Binding("a", "add", "act.add"),
        Binding("e", "edit", "act.edit"),
        Binding("d", "delete", "act.delete"),
        Binding("r", "filter_reason", "act.filter_reason"),
        Binding("y", "filter_year", "act.filter_year"),
        Binding("f", "filter_fund", "act.filter_fund"),
        Binding("i", "import_rows", "act.import", show=False),
        Binding("o", "export_rows", "act.export", show=False),
    ]

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.filter = VisitFilter()
        self.queries = None  # the App's LedgerQueries, set when the ledger is open

    def compose(self) -> ComposeResult:
        yield Static("", id="visit-summary")
        yield RecordTable([
            Column("visits.col.date", 10, lambda v: v.get("date", "")),
            Column("visits.col.member", 10, lambda v: v.get("member_name", "")),
            Column("visits.col.reason", 10, lambda v: v.get("reason", "")),
            Column("visits.col.amount", 10, lambda v: format_yuan(v["amount"]) if v.get("amount") is not None
                   else "", right=True),
            Column("visits.col.fund", 12, lambda v: v.get("fund_source", "")),
            Column("visits.col.over", 4, self._over_mark),
            Column("visits.col.visitors", 30, lambda v: v.get("visitors", "")),
        ], id="visit-table")

    def _over_mark(self, visit: dict) -> str:
        return tr("visits.over_mark") if self.queries is not None and visit["id"] in self.queries.over_cap() else ""

    def refresh_rows(self) -> None:
        rows = self.queries.visits(self.filter)
        self.table.set_rows(rows)
        totals, flt, all_ = visit_totals(rows), self.filter, tr("filter.all")
        self.query_one("#visit-summary", Static).update(Text(tr(
            "visits.summary", n=totals.count, total=format_yuan(totals.amount_fen, grouping=True),
            reason=flt.reason or all_, year=flt.year or all_, fund=flt.fund or all_,
            over=len(self.queries.over_cap() & {v["id"] for v in rows}))))

    def _refilter(self, name: str, options) -> None:
        if self.queries is None:
            return
        self.filter = replace(self.filter, **{name: _next(getattr(self.filter, name), ("", *options))})
        self.refresh_rows()

    def action_filter_reason(self) -> None:
        if self.queries is not None:
            self._refilter("reason", self.queries.ledger.config.choices("visit_reasons"))

    def action_filter_year(self) -> None:
        if self.queries is not None:
            self._refilter("year", self.queries.visit_years())

    def action_filter_fund(self) -> None:
        if self.queries is not None:
            self._refilter("fund", self.queries.ledger.config.choices("fund_sources"))

    @on(RecordTable.Selected, "#visit-table")
    def _selected(self) -> None:
        self.action_edit()

    def action_add(self) -> None:
        self.post_message(NewVisit())

