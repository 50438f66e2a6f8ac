"""Small screens: confirmation, help, and the member picker (one or many)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from domain.i18n import tr
from domain.queries import MemberFilter
from tui.bindings import Translated
from tui.footer import FittingFooter
from tui.table import Column, RecordTable


class ConfirmScreen(Translated, ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "act.yes"),
        Binding("n,escape", "answer(False)", "act.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Text(self.question), id="confirm-question")
            yield Static(Text(tr("confirm.keys")), id="confirm-keys")
        yield FittingFooter()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class HelpScreen(Translated, ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,f1,q", "dismiss_help", "act.close")]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        text = Text()
        for title, rows in self.sections:
            text.append(f"{title}\n", style="bold")
            for key, description in rows:
                text.append(f"  {key:<14}", style="bold")
                text.append(f"{description}\n")
            text.append("\n")
        text.append(tr("help.notes"))
        with Vertical(id="help-box"):
            yield Static(Text(tr("help.title")), id="help-title")
            with VerticalScroll():
                yield Static(text)
        yield FittingFooter()

    def action_dismiss_help(self) -> None:
        self.dismiss(None)


class SearchBox(Input):
    """The picker's search line: Space is left to the picker (it ticks the highlighted member).

    Names, pinyin, phone and ID numbers hold no spaces.  Textual's Input takes
    every printable key twice over: it hides the screen's Space binding from the
    chain (``check_consume_key``) and types the space (``_on_key``); both stop here.
    Textual calls each class's ``_on_key`` down the MRO, so this one only stops
    the default (Input's) for Space and lets the key bubble on to the binding.
    """

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return key != "space" and super().check_consume_key(key, character)

    async def _on_key(self, event) -> None:
        if event.key == "space":
            event.prevent_default()


def member_columns() -> list[Column]:
    return [
        Column("members.col.name", 10, lambda m: m.get("name", "")),
        Column("members.col.gender", 4, lambda m: m.get("gender", "")),
        Column("members.col.group", 10, lambda m: m.get("union_group", "")),
        Column("members.col.employment", 4, lambda m: m.get("employment", "")),
        Column("members.col.status", 8, lambda m: m.get("status", "")),
        Column("members.col.phone", 11, lambda m: m.get("phone", "")),
    ]


class MemberPicker(Translated, ModalScreen[object]):
    """Choose one member (returns the record) or several (``multi``: returns the ids)."""

    # Only its own keys in the footer: Enter is a priority binding so that it shows (the search
    # box's and the table's hidden Enter came first in the chain) and means "confirm" everywhere;
    # Ctrl+S (as in the forms) does the same, unshown.
    BINDINGS = [
        Binding("space", "toggle", "act.toggle", key_display="Space"),
        Binding("enter", "confirm", "act.confirm", key_display="Enter", priority=True),
        Binding("escape", "cancel", "act.cancel", key_display="Esc"),
        Binding("ctrl+s", "confirm", show=False, priority=True),
    ]

    def __init__(self, title: str, queries, *, multi: bool = False, chosen: list[str] | None = None) -> None:
        super().__init__()
        self.title_text, self.multi, self.queries = title, multi, queries
        self.chosen: dict[str, None] = dict.fromkeys(chosen or ())

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Static(Text(self.title_text), id="picker-title")
            yield SearchBox(placeholder=tr("members.search"), id="picker-search", compact=True)
            marks = (lambda m: m["id"] in self.chosen) if self.multi else None
            yield RecordTable(member_columns(), marks=marks, id="picker-table")
            if self.multi:
                yield Static("", id="picker-count")
        yield FittingFooter()

    def on_mount(self) -> None:
        self._filter("")
        self.query_one("#picker-search").focus()

    @on(Input.Changed, "#picker-search")
    def _search(self, event: Input.Changed) -> None:
        self._filter(event.value)

    def _filter(self, query: str) -> None:
        self.query_one(RecordTable).set_rows(self.queries.members(MemberFilter(text=query)))
        self._count()

    def _count(self) -> None:
        if self.multi:
            self.query_one("#picker-count", Static).update(Text(tr("pick.count", n=len(self.chosen))))

    def on_key(self, event) -> None:
        if event.key in ("down", "up") and self.focused is self.query_one("#picker-search"):
            self.query_one(RecordTable).focus()
            event.stop()

    @on(RecordTable.Selected)
    def _selected(self, event: RecordTable.Selected) -> None:
        if self.multi:
            self.action_toggle()
        else:
            self.dismiss(event.row)

    def action_toggle(self) -> None:
        table = self.query_one(RecordTable)
        if not self.multi or table.current is None:
            return
        rid = table.current["id"]
        if rid in self.chosen:
            del self.chosen[rid]
        else:
            self.chosen[rid] = None
        table.refresh_rows()
        self._count()

    @property
    def active_bindings(self):
        """The picker's keys first, in its order (the search box's and table's Enter came first)."""
        bindings = super().active_bindings
        own = [b.key for b in self.BINDINGS if b.key in bindings]
        return {**{key: bindings[key] for key in own}, **bindings}

    def check_action(self, action: str, parameters) -> bool:
        return self.multi or action != "toggle"  # one member: no ticks, and no Space in the footer

    def action_confirm(self) -> None:
        current = self.query_one(RecordTable).current
        if self.multi:
            self.dismiss(list(self.chosen))
        elif current is not None:
            self.dismiss(current)

    def action_cancel(self) -> None:
        self.dismiss(None)
