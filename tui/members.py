"""Members: search as you type, filters, sort, and a detail pane.

Every keystroke in the search box filters the whole roster (pinyin index
plus a pass over the sorted list) and hands the table a new list; the table
draws only the rows on screen.
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Static

from domain import fields as ft
from domain.fields import FIELDS
from domain.i18n import tr
from domain.money import format_yuan
from domain.queries import MEMBER_SORTS, MemberFilter
from domain.validation import format_value
from tui.dialogs import member_columns
from tui.forms import label_of
from tui.bindings import Translated
from tui.screen_keys import ExportKey, ImportKey
from tui.requests import EditRecord, NewVisit
from tui.table import Column, RecordListActions, RecordTable

STATUS = ("", *ft.MEMBERSHIP)
DETAIL_FIELDS = ("gender", "birth_date", "phone", "union_group", "position", "title", "status",
                 "employment", "birthday_calendar", "dues_paid_year", "health", "hardship",
                 "hardship_opened", "notes")


class MembersView(Translated, ImportKey, ExportKey, RecordListActions, Vertical):
    kind, table_id = "member", "member-table"

    BINDINGS = [
        Binding("a", "add", "act.add"),
        Binding("e", "edit", "act.edit"),
        Binding("d", "delete", "act.delete"),
        Binding("v", "new_visit", "act.new_visit"),
        Binding("slash", "search", "act.search"),
        Binding("f", "filter_status", "act.filter_status"),
        Binding("g", "filter_group", "act.filter_group"),
        Binding("h", "filter_hardship", "act.filter_hardship"),
        Binding("s", "sort", "act.sort"),
        Binding("i", "import_rows", "act.import", show=False),
        Binding("o", "export_rows", "act.export", show=False),
    ]

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.filter = MemberFilter()
        self.queries = None  # the App's LedgerQueries, set when the ledger is open
        self.last_work_ms = 0.0

    def compose(self) -> ComposeResult:
        yield Input(placeholder=tr("members.search"), id="member-search", compact=True)
        yield Static("", id="member-summary")
        with Horizontal():
            yield RecordTable([*member_columns(),
                               Column("members.col.hardship", 10, lambda m: m.get("hardship", ""))],
                              id="member-table")
            with VerticalScroll(id="member-detail"):
                yield Static(Text(tr("members.detail_empty")), id="member-detail-text")

    # ----- filtering
    def refresh_rows(self, keep: dict | None = None) -> None:
        import time

        t0 = time.perf_counter()
        rows = self.queries.members(self.filter)
        self.table.set_rows(rows, keep=keep)
        self._summary(len(rows))
        self.last_work_ms = (time.perf_counter() - t0) * 1000

    def _summary(self, shown: int) -> None:
        all_, flt = tr("filter.all"), self.filter
        text = tr("members.summary", shown=shown, total=self.queries.ledger.count("member"),
                  status=flt.status or all_, group=flt.group or all_,
                  hardship=tr("filter.yes") if flt.hardship else all_, sort=tr(f"sort.{flt.sort}"))
        self.query_one("#member-summary", Static).update(Text(text))

    @on(Input.Changed, "#member-search")
    def _search(self, event: Input.Changed) -> None:
        self.filter = replace(self.filter, text=event.value)
        if self.queries is not None:
            self.refresh_rows()

    @on(Input.Submitted, "#member-search")
    def _to_table(self) -> None:
        self.table.focus()

    def on_key(self, event) -> None:
        search = self.query_one("#member-search", Input)
        if self.screen.focused is search and event.key in ("down", "escape"):
            self.table.focus()
            event.stop()

    # ----- detail
    @on(RecordTable.Highlighted, "#member-table")
    def _highlighted(self, event: RecordTable.Highlighted) -> None:
        self.show_detail(event.row)

    @on(RecordTable.Selected, "#member-table")
    def _selected(self) -> None:
        self.action_edit()

    def show_detail(self, member: dict | None) -> None:
        widget = self.query_one("#member-detail-text", Static)
        if member is None:
            widget.update(Text(tr("members.detail_empty")))
            return
        fields = {f.name: f for f in FIELDS["member"]}
        text = Text(member.get("name", ""), style="bold")
        text.append("\n")
        for name in DETAIL_FIELDS:
            value = format_value(fields[name], member.get(name))
            if value:
                text.append(f"{label_of(fields[name])}{tr('sep.label')}", style="dim")
                text.append(f"{value}\n")
        visits = self.queries.visits_of(member["id"])
        text.append("\n" + tr("members.visits", n=len(visits)) + "\n", style="bold")
        if not visits:
            text.append(tr("members.no_visits") + "\n", style="dim")
        for v in visits[:8]:
            amount = format_yuan(v["amount"]) if v.get("amount") is not None else ""
            text.append(f"{v.get('date', '')} {v.get('reason', '')} {amount}\n")
        text.append("\n" + tr("members.history") + "\n", style="bold")
        for h in reversed(self.queries.ledger.history("member", member["id"])[-8:]):
            field = fields.get(h["field"])
            what = label_of(field) if field else tr(f"members.{h['new']}") if h["new"] in ("created", "deleted") \
                else h["field"]
            new = h["new"] if field else ""
            text.append(f"{h['at'][:10]} {what} ", style="dim")
            text.append(f"{new[:16]}\n")
        widget.update(text)

    # ----- actions
    def action_search(self) -> None:
        self.query_one("#member-search", Input).focus()

    def action_add(self) -> None:
        self.post_message(EditRecord("member"))

    def action_new_visit(self) -> None:
        if self.table.current is not None:
            self.post_message(NewVisit(self.table.current["id"]))

    def _refilter(self, **changes) -> None:
        self.filter = replace(self.filter, **changes)
        if self.queries is not None:
            self.refresh_rows()

    def action_filter_status(self) -> None:
        self._refilter(status=_next(self.filter.status, STATUS))

    def action_filter_group(self) -> None:
        if self.queries is not None:
            self._refilter(group=_next(self.filter.group, ("", *self.queries.group_choices())))

    def action_filter_hardship(self) -> None:
        self._refilter(hardship=not self.filter.hardship)

    def action_sort(self) -> None:
        self._refilter(sort=_next(self.filter.sort, MEMBER_SORTS))

    def select_member(self, rid: str) -> None:
        member = self.queries.ledger.get("member", rid) if self.queries is not None else None
        if member is None:
            return
        if not self.table.select_row(member):
            self.filter = MemberFilter(sort=self.filter.sort)
            with self.prevent(Input.Changed):
                self.query_one("#member-search", Input).value = ""
            self.refresh_rows(keep=member)
        self.table.focus()
        self.show_detail(member)


def _next(current, options):
    """The option after ``current`` (the first when ``current`` is gone)."""
    options = tuple(options)
    return options[(options.index(current) + 1) % len(options)] if current in options else options[0]
