"""The sheet's problems and the records it deleted, beside the conflict screen.

Above: every problem the last sync found (duplicate ids, bad cells, formulas
in our columns, headers, suspected id typos, rows without an id), kept until
a sync finds it settled: where it is (tab, cell, header), what is there and
why it keeps a field from syncing.  Below: records deleted here or by a sync,
with their local-only fields; `u` brings the selected one back.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

import tui.messages  # noqa: F401  (act.close, kind.*)
from domain.i18n import register, tr
from domain.printable import clip
from tui.bindings import Translated
from tui.failures import reported

register({
    "prob.title": ("表格问题：{n} 处（下次同步时重新检查）", "Sheet problems: {n} (checked again at the next sync)"),
    "prob.none": ("上次同步没有发现表格问题", "The last sync found no problems in the sheet"),
    "prob.col_kind": ("问题", "Problem"),
    "prob.col_where": ("位置", "Where"),
    "prob.col_header": ("表头", "Header"),
    "prob.col_value": ("内容", "Value"),
    "prob.col_why": ("原因", "Why"),
    "prob.deleted_title": ("已删除的记录：{n} 条（按 u 恢复，连同本地字段）",
                           "Deleted records: {n} (u brings one back, with its local-only fields)"),
    "prob.deleted_none": ("没有已删除的记录", "No deleted records"),
    "prob.col_record": ("记录", "Record"),
    "prob.col_when": ("删除时间", "Deleted"),
    "prob.col_by": ("由", "By"),
    "prob.by.sync": ("表格同步", "the sheet"),
    "prob.by.local": ("本机", "here"),
    "prob.undeleted": ("已恢复：{kind} {name}（下次同步写回表格）", "Brought back: {kind} {name} (written to the sheet at the next sync)"),
    "act.undelete": ("恢复删除", "Undelete"),
    "act.switch_table": ("切换列表", "Switch list"),
})


def _title(record: dict) -> str:
    return record.get("name") or record.get("title") or \
        f"{record.get('member_name', '')} {record.get('date', '')}".strip()


def _by(source: str) -> str:
    return tr("prob.by.sync") if source == "sync" else tr("prob.by.local") if source == "local" else source


class ProblemsScreen(Translated, ModalScreen[int]):
    """Dismissed with the number of records brought back."""

    BINDINGS = [
        Binding("u", "undelete", "act.undelete"),
        Binding("tab", "switch_table", "act.switch_table", key_display="Tab"),
        Binding("escape", "close", "act.close"),
    ]

    def __init__(self, ledger) -> None:
        super().__init__()
        self.ledger = ledger
        self.deleted: list[dict] = []
        self.brought_back = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="problems"):
            yield Static(id="problems-title")
            yield DataTable(id="problems-table", cursor_type="row")
            yield Static(id="deleted-title")
            yield DataTable(id="deleted-table", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#problems-table", DataTable).add_columns(
            tr("prob.col_kind"), tr("prob.col_where"), tr("prob.col_header"), tr("prob.col_value"), tr("prob.col_why"))
        self.query_one("#deleted-table", DataTable).add_columns(
            tr("prob.col_record"), tr("prob.col_when"), tr("prob.col_by"))
        self.show()
        self.query_one("#problems-table", DataTable).focus()

    def show(self) -> None:
        from sync.problems import problem_label
        from sync.service import deleted_records, open_problems

        problems = open_problems(self.ledger)
        table = self.query_one("#problems-table", DataTable)
        table.clear()
        title = tr("prob.title", n=len(problems)) if problems else tr("prob.none")
        self.query_one("#problems-title", Static).update(Text(title, style="bold"))
        for p in problems:
            where = f"{p['tab']}!{p['column']}{p['row'] or ''}"
            table.add_row(Text(problem_label(p["problem"])), Text(where), Text(p["header"] or ""),
                          Text(clip(p["value"] or "", 30)), Text(p["why"] or ""))
        self.deleted = deleted_records(self.ledger)
        gone = self.query_one("#deleted-table", DataTable)
        gone.clear()
        title = tr("prob.deleted_title", n=len(self.deleted)) if self.deleted else tr("prob.deleted_none")
        self.query_one("#deleted-title", Static).update(Text(title, style="bold"))
        for d in self.deleted:
            gone.add_row(Text(f"{tr('kind.' + d['kind'])} {_title(d['record'])}"), Text(d["at"][:16].replace("T", " ")),
                         Text(_by(d["source"])))

    def action_switch_table(self) -> None:
        problems, deleted = self.query_one("#problems-table"), self.query_one("#deleted-table")
        (problems if deleted.has_focus else deleted).focus()

    def action_undelete(self) -> None:
        from sync.service import undelete

        table = self.query_one("#deleted-table", DataTable)
        row = table.cursor_row
        if not 0 <= row < len(self.deleted):
            return
        chosen = self.deleted[row]
        with reported(self):
            record = undelete(self.ledger, chosen["kind"], chosen["id"])
            self.brought_back += 1
            self.notify(tr("prob.undeleted", kind=tr("kind." + chosen["kind"]), name=_title(record)))
        self.show()

    def action_close(self) -> None:
        self.dismiss(self.brought_back)
