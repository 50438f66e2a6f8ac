"""The plan import screen: a work plan's month schedule into the calendar.

Type a .docx/.txt path and Enter, or paste the plan's text into the box and
press ``ctrl+r``: the items found appear, each ticked.  Space unticks (or
ticks) the highlighted item; ``ctrl+s`` adds the ticked ones (a backup
first, one commit; an item already in the calendar that year is skipped).
Days not known show as ``3月（待定）``.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, Static, TextArea

from domain.i18n import register, tr
from domain.importing.planfile import commit_plan, propose_events, read_plan_text
from tui.bindings import Translated
from tui.failures import reported, show_failure

register({
    "plan.month": ("{month}月", "month {month}"),
    "act.import_close": ("关闭", "close"),
    "act.plan_read": ("识别", "read"),
    "act.plan_tick": ("勾选/取消", "tick/untick"),
    "act.plan_commit": ("加入日历", "add to calendar"),
    "plans.title": ("导入工作计划的月度安排", "Import a work plan's month schedule"),
    "plans.path": ("计划文件（.docx .txt），回车读取；或把计划全文粘贴到下面，按 ctrl+r 识别",
                   "plan file (.docx .txt) and Enter; or paste the plan below and press ctrl+r"),
    "plans.found": ("{year} 年：找到 {n} 项，已勾选 {ticked} 项", "{year}: {n} items found, {ticked} ticked"),
    "plans.none": ("没有找到月度安排（需要“三月：”“4月”这样的月份标题）",
                   "no month schedule found (month headings such as 三月： or 4月 are needed)"),
    "plans.tbd": ("{month}月（待定）", "{month}月 (day not fixed)"),
    "plans.col.tick": ("选", "✓"),
    "plans.col.months": ("月份", "Months"),
    "plans.col.title": ("活动", "Event"),
    "plans.col.date": ("日期", "Date"),
    "plans.col.category": ("类别", "Category"),
    "plans.done": ("已加入日历 {added} 项，{skipped} 项已在日历中", "added {added} events; {skipped} were already there"),
    "plans.nothing": ("没有勾选任何一项", "nothing is ticked"),
})


def date_text(event) -> str:
    return event.date.isoformat() if event.date_known else tr("plans.tbd", month=event.date.month)


class PlanImportScreen(Translated, ModalScreen[tuple[int, int] | None]):
    """Dismisses with (added, skipped), or None when left without adding."""

    DEFAULT_CSS = """
    PlanImportScreen { align: center middle; }
    #plan-box { width: 96%; height: 94%; border: round $accent; background: $surface; padding: 0 1; }
    #plan-text { height: 8; }
    #plan-items { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "close", "act.import_close"),
        Binding("ctrl+r", "read_text", "act.plan_read"),
        Binding("space", "tick", "act.plan_tick"),
        Binding("ctrl+s", "commit", "act.plan_commit"),
    ]

    def __init__(self, ledger) -> None:
        super().__init__()
        self.ledger = ledger
        self.events: list = []
        self.ticked: list[bool] = []
        self.year = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="plan-box"):
            yield Static(Text(tr("plans.title"), style="bold"))
            yield Input(placeholder=tr("plans.path"), id="plan-path")
            yield TextArea(id="plan-text", soft_wrap=True)
            yield Static("", id="plan-summary")
            yield DataTable(id="plan-items", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#plan-items", DataTable).add_columns(*(tr(f"plans.col.{c}") for c in (
            "tick", "months", "title", "date", "category")))

    @on(Input.Submitted, "#plan-path")
    def _path_entered(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self._read(path=event.value.strip())

    def action_read_text(self) -> None:
        self._read(text=self.query_one("#plan-text", TextArea).text)

    @work(thread=True, exclusive=True, group="import")
    def _read(self, *, path: str = "", text: str = "") -> None:
        try:
            if path:
                text = read_plan_text(Path(path).expanduser())
            year, events = propose_events(text, self.ledger.config)
        except Exception as exc:  # noqa: BLE001 - shown as the user's message, or re-raised as a bug
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self.show_items, year, events, text if path else None)

    def _failed(self, exc: Exception) -> None:
        if not show_failure(self, exc):
            raise exc

    def show_items(self, year: int, events: list, text: str | None = None) -> None:
        if text is not None:
            self.query_one("#plan-text", TextArea).text = text
        self.year, self.events, self.ticked = year, events, [True] * len(events)
        table = self.query_one("#plan-items", DataTable)
        table.clear()
        for e in events:
            months = tr("sep.list").join(tr("plan.month", month=m) for m in e.months)
            table.add_row("☑", months, Text(e.title), date_text(e), e.category)
        self._summary()
        if events:
            table.focus()

    def _summary(self) -> None:
        text = tr("plans.found", year=self.year, n=len(self.events), ticked=sum(self.ticked)) \
            if self.events else tr("plans.none")
        self.query_one("#plan-summary", Static).update(Text(text))

    def action_tick(self) -> None:
        table = self.query_one("#plan-items", DataTable)
        if not self.events or self.focused is not table:
            return
        row = table.cursor_row
        self.ticked[row] = not self.ticked[row]
        table.update_cell_at((row, 0), "☑" if self.ticked[row] else "☐")
        self._summary()

    def action_commit(self) -> None:
        chosen = [e for e, on_ in zip(self.events, self.ticked) if on_]
        if not chosen:
            self.notify(tr("plans.nothing"), severity="warning")
            return
        with reported(self):
            added, skipped = commit_plan(self.ledger, chosen)
            self.app.notify(tr("plans.done", added=added, skipped=skipped))
            self.dismiss((added, skipped))

    def action_close(self) -> None:
        self.dismiss(None)
