"""The conflict screen: mine, theirs and base side by side, field by field,
settled by keys (m mine, t theirs, n / p next / previous, escape close)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from domain.i18n import register, tr

register({
    "conf.title": ("同步冲突（{n} 处）：m 用本地的  t 用表格的  n/p 下一处/上一处  Esc 关闭",
                   "Sync conflicts ({n}): m keep mine  t take theirs  n/p next/previous  Esc close"),
    "conf.none": ("没有待处理的冲突", "no open conflicts"),
    "conf.col_field": ("字段", "field"),
    "conf.col_mine": ("本地（我的）", "mine"),
    "conf.col_theirs": ("表格（他们的）", "theirs"),
    "conf.col_base": ("原值", "base"),
    "conf.record": ("{kind} {id}", "{kind} {id}"),
})


class ConflictScreen(ModalScreen[int]):
    """Dismissed with the number of conflicts settled."""

    BINDINGS = [
        Binding("m", "settle('mine')", "mine"),
        Binding("t", "settle('theirs')", "theirs"),
        Binding("n,down", "move(1)", "next"),
        Binding("p,up", "move(-1)", "previous"),
        Binding("escape", "close", "close"),
    ]

    def __init__(self, ledger) -> None:
        super().__init__()
        self.ledger = ledger
        self.index = 0
        self.settled = 0

    def conflicts(self) -> list[dict]:
        from sync.cli import open_conflicts

        return open_conflicts(self.ledger)

    def compose(self) -> ComposeResult:
        with Vertical(id="conflicts"):
            yield Static(id="conflict-title")
            yield Static(id="conflict-record")
            yield DataTable(id="conflict-table", cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(tr("conf.col_field"), tr("conf.col_mine"), tr("conf.col_theirs"), tr("conf.col_base"))
        self.show()

    def show(self) -> None:
        items = self.conflicts()
        title = self.query_one("#conflict-title", Static)
        table = self.query_one(DataTable)
        table.clear()
        if not items:
            title.update(tr("conf.none"))
            self.query_one("#conflict-record", Static).update("")
            return
        self.index %= len(items)
        title.update(tr("conf.title", n=len(items)))
        c = items[self.index]
        self.query_one("#conflict-record", Static).update(Text(tr("conf.record", kind=c["kind"], id=c["id"])))
        # every open conflict of this record, field by field
        for other in items:
            if other["kind"] == c["kind"] and other["id"] == c["id"]:
                style = "bold" if other is c else ""
                table.add_row(Text(other["label"], style=style), Text(other["mine"]), Text(other["theirs"]),
                              Text("" if other["base"] is None else str(other["base"])))

    def action_move(self, step: int) -> None:
        self.index += step
        self.show()

    def action_settle(self, which: str) -> None:
        from sync.cli import resolve_conflict

        items = self.conflicts()
        if not items:
            return
        c = items[self.index % len(items)]
        resolve_conflict(self.ledger, c["kind"], c["id"], c["field"], mine=which == "mine",
                         theirs=which == "theirs")
        self.settled += 1
        if hasattr(self.app, "changed"):
            self.app.changed(c["kind"], c["id"])
        self.show()

    def action_close(self) -> None:
        self.dismiss(self.settled)
