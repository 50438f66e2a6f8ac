"""The conflict screen: one field at a time, the record named as a person reads
it (会员 张三 · 手机), mine / theirs / base side by side; settled by a key
(m mine, t theirs) or by a typed value (v, then Enter); n / p move."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

import tui.messages  # noqa: F401  (act.close, kind.*)
from domain.i18n import language, register, tr
from tui.bindings import Translated
from tui.footer import FittingFooter
from tui.failures import reported

register({
    "conf.title": ("同步冲突：第 {i}/{n} 处", "Sync conflicts: {i} of {n}"),
    "conf.none": ("没有待处理的冲突", "No open conflicts"),
    "conf.col_field": ("字段", "Field"),
    "conf.col_mine": ("本地（我的）", "Mine (here)"),
    "conf.col_theirs": ("表格（他们的）", "Theirs (sheet)"),
    "conf.col_base": ("上次一致的值", "Last agreed"),
    "conf.record": ("{kind} {name} · {field}", "{kind} {name} · {field}"),
    "conf.gone": ("（本地已删除）", "(deleted here)"),
    "conf.typed": ("或者输入一个新值，按 Enter 采用：", "Or type a new value and press Enter:"),
    "conf.settled": ("已采用：{value}", "Settled: {value}"),
    "conf.empty": ("（空）", "(empty)"),
    "act.conf_mine": ("用本地的", "Keep mine"),
    "act.conf_theirs": ("用表格的", "Take theirs"),
    "act.conf_type": ("输入新值", "Type a value"),
    "act.conf_next": ("下一处", "Next"),
    "act.conf_prev": ("上一处", "Previous"),
})


def field_label(kind: str, name: str) -> str:
    from domain.fields import field, has_field

    if not has_field(kind, name):
        return name
    f = field(kind, name)
    return f.label if language() == "zh" else f.label_en


def describe(ledger, conflict: dict) -> str:
    """会员 张三 · 手机: the kind, the record's name and the field's label."""
    from tui.editing import record_title

    kind = conflict["kind"]
    record = ledger.get(kind, conflict["id"])
    name = record_title(kind, record) if record else tr("conf.gone")
    return tr("conf.record", kind=tr(f"kind.{kind}"), name=name or conflict["id"],
              field=field_label(kind, conflict["field"]))


class ConflictScreen(Translated, ModalScreen[int]):
    """Dismissed with the number of conflicts settled."""

    BINDINGS = [
        Binding("m", "settle('mine')", "act.conf_mine"),
        Binding("t", "settle('theirs')", "act.conf_theirs"),
        Binding("v", "type_value", "act.conf_type"),
        Binding("n,down", "move(1)", "act.conf_next", key_display="n"),
        Binding("p,up", "move(-1)", "act.conf_prev", key_display="p"),
        Binding("escape", "close", "act.close", key_display="Esc"),
    ]

    def __init__(self, ledger) -> None:
        super().__init__()
        self.ledger = ledger
        self.index = 0
        self.settled = 0

    def conflicts(self) -> list[dict]:
        from sync.service import open_conflicts

        return open_conflicts(self.ledger)

    def compose(self) -> ComposeResult:
        with Vertical(id="conflicts"):
            yield Static(id="conflict-title")
            yield Static(id="conflict-record")
            yield DataTable(id="conflict-table", cursor_type="none")
            yield Static(Text(tr("conf.typed")), id="conflict-typed-label")
            yield Input(id="conflict-value", compact=True)
        yield FittingFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(tr("conf.col_field"), tr("conf.col_mine"), tr("conf.col_theirs"), tr("conf.col_base"))
        self.show()

    def current(self) -> dict | None:
        items = self.conflicts()
        return items[self.index % len(items)] if items else None

    def show(self) -> None:
        items = self.conflicts()
        title = self.query_one("#conflict-title", Static)
        table = self.query_one(DataTable)
        table.clear()
        if not items:
            title.update(Text(tr("conf.none")))
            self.query_one("#conflict-record", Static).update("")
            return
        self.index %= len(items)
        c = items[self.index]
        title.update(Text(tr("conf.title", i=self.index + 1, n=len(items)), style="bold"))
        self.query_one("#conflict-record", Static).update(Text(describe(self.ledger, c)))

        def cell(value, style: str = "") -> Text:
            return Text(tr("conf.empty") if value in (None, "") else str(value), style=style)

        # every open conflict of this record, field by field; the one to settle in bold
        for other in items:
            if other["kind"] == c["kind"] and other["id"] == c["id"]:
                style = "bold" if other is c else "dim"
                table.add_row(Text(field_label(other["kind"], other["field"]), style=style),
                              cell(other["mine"], style), cell(other["theirs"], style),
                              cell(other["base"], style))

    def action_move(self, step: int) -> None:
        self.index += step
        self.show()

    def action_settle(self, which: str) -> None:
        self._settle(mine=which == "mine", theirs=which == "theirs")

    def action_type_value(self) -> None:
        self.query_one("#conflict-value", Input).focus()

    @on(Input.Submitted, "#conflict-value")
    def _typed(self, event: Input.Submitted) -> None:
        self._settle(value=event.value)
        event.input.value = ""

    def _settle(self, *, mine: bool = False, theirs: bool = False, value: str | None = None) -> None:
        from sync.service import resolve_conflict

        c = self.current()
        if c is None:
            return
        with reported(self):
            held = resolve_conflict(self.ledger, c["kind"], c["id"], c["field"], mine=mine, theirs=theirs,
                                    value=value)
            self.settled += 1
            self.notify(tr("conf.settled", value=held if held not in (None, "") else tr("conf.empty")))
            if hasattr(self.app, "changed"):
                self.app.changed(c["kind"], c["id"])
        self.show()

    def action_close(self) -> None:
        self.dismiss(self.settled)
