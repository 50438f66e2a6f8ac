"""Export what a list shows (its filter, its order) with one key: ``o``.

The screen asks for the format (.xlsx, .csv; .ics for events; for visits
also the 慰问金发放签领表 as .xlsx or .pdf), whether to include the
sensitive fields (身份证号, health, income: the file is then 0600), and the
file's path.  ``ctrl+s`` or Enter writes it in a thread.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Footer, Input, Select, Static

from domain.errors import user_message
from domain.exporting import ExportOptions, default_path, export_records
from domain.exporting.columns import has_sensitive
from domain.i18n import register, tr
from tui.bindings import Translated
from tui.local_select import LocalSelect

register({
    "act.export_write": ("导出", "write"),
    "act.export_close": ("关闭", "close"),
    "exps.title": ("导出{kind}：当前列表 {n} 条（按列表的筛选和顺序）", "Export {kind}: {n} rows as the list shows them"),
    "exps.format": ("格式", "Format"),
    "exps.fmt.xlsx": ("Excel 表格 .xlsx", "Excel .xlsx"),
    "exps.fmt.csv": ("CSV 文本 .csv（UTF-8，Excel 可直接打开）", "CSV .csv (UTF-8 for Excel)"),
    "exps.fmt.ics": ("日历 .ics（导入手机日历）", "Calendar .ics"),
    "exps.fmt.signoff_xlsx": ("慰问金发放签领表 .xlsx（打印签字）", "Sign-off sheet .xlsx"),
    "exps.fmt.signoff_pdf": ("慰问金发放签领表 .pdf（打印签字）", "Sign-off sheet .pdf"),
    "exps.sensitive": ("同时导出敏感字段（身份证号、健康、收入；文件仅本人可读）",
                       "include sensitive fields (ID number, health, income; file readable by you only)"),
    "exps.path": ("保存到（回车导出）", "save to (Enter to export)"),
    "exps.writing": ("正在导出 …", "exporting …"),
    "exps.done": ("已导出 {n} 条：{path}", "Exported {n} rows: {path}"),
    "exps.left_out": ("（{n} 项活动日期待定，未写入日历）", " ({n} events without a fixed day left out)"),
    "exps.signoff_name": ("慰问金发放签领表", "signoff"),
    "exps.empty": ("列表是空的，没有可导出的内容", "the list is empty: nothing to export"),
})

FORMATS = {"member": ("xlsx", "csv"), "event": ("xlsx", "csv", "ics"),
           "visit": ("xlsx", "csv", "signoff_xlsx", "signoff_pdf")}


def _suffix(fmt: str) -> str:
    return fmt.removeprefix("signoff_")


class ExportScreen(Translated, ModalScreen[Path | None]):
    """Dismisses with the path written, or None."""

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    #export-box { width: 80; height: auto; border: round $accent; background: $surface; padding: 0 1; }
    #export-box > * { margin-bottom: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "write", "act.export_write"),
        Binding("escape", "close", "act.export_close"),
    ]

    def __init__(self, ledger, kind: str, rows: list[dict]) -> None:
        super().__init__()
        self.ledger, self.kind, self.rows = ledger, kind, rows

    def compose(self) -> ComposeResult:
        from domain.exporting import kind_label

        with Vertical(id="export-box"):
            yield Static(Text(tr("exps.title", kind=kind_label(self.kind), n=len(self.rows)), style="bold"))
            yield LocalSelect([(tr(f"exps.fmt.{f}"), f) for f in FORMATS[self.kind]], value="xlsx",
                              allow_blank=False, prompt=tr("exps.format"), id="export-format")
            yield Checkbox(tr("exps.sensitive"), id="export-sensitive", disabled=not has_sensitive(self.kind))
            yield Static(Text(tr("exps.path")))
            yield Input(str(self._path_for("xlsx")), id="export-path")
            yield Static("", id="export-status")
        yield Footer()

    def _path_for(self, fmt: str) -> Path:
        if fmt.startswith("signoff_"):
            from datetime import date

            return Path.cwd() / f"{tr('exps.signoff_name')}-{date.today().isoformat()}.{_suffix(fmt)}"
        return Path.cwd() / default_path(self.kind, fmt)

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        box = self.query_one("#export-path", Input)
        box.value = str(Path(box.value).with_suffix("." + _suffix(str(event.value))))

    @on(Input.Submitted, "#export-path")
    def _submitted(self) -> None:
        self.action_write()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_write(self) -> None:
        if not self.rows:
            self.notify(tr("exps.empty"), severity="warning")
            return
        fmt = str(self.query_one("#export-format", Select).value)
        path = Path(self.query_one("#export-path", Input).value).expanduser()
        sensitive = self.query_one("#export-sensitive", Checkbox).value
        self.query_one("#export-status", Static).update(Text(tr("exps.writing")))
        self._write(fmt, path, sensitive)

    @work(thread=True, exclusive=True, group="export")
    def _write(self, fmt: str, path: Path, sensitive: bool) -> None:
        try:
            message = self._export(fmt, path, sensitive)
        except Exception as exc:  # an error the user can act on is shown; a bug keeps its traceback
            text = user_message(exc)
            if text is None:
                raise
            self.app.call_from_thread(self._failed, text)
            return
        self.app.call_from_thread(self._done, message, path)

    def _export(self, fmt: str, path: Path, sensitive: bool) -> str:
        if fmt.startswith("signoff_"):
            from domain.reports.settings import report_settings
            from domain.reports.signoff import build_signoff
            from domain.reports.signoff_write import write_signoff

            groups = {m["id"]: m.get("union_group") or "" for m in self.ledger.records("member")}
            visits = sorted(self.rows, key=lambda v: v.get("date") or "")
            settings = report_settings(self.ledger.config, self.ledger.school)
            write_signoff(path, build_signoff(visits, groups, settings, {}))
            return tr("exps.done", n=len(visits), path=path)
        result = export_records(self.ledger, self.kind, self.rows, path, ExportOptions(fmt, sensitive))
        left_out = tr("exps.left_out", n=result.left_out) if result.left_out else ""
        return tr("exps.done", n=result.rows, path=result.path) + left_out

    def _failed(self, text: str) -> None:
        self.query_one("#export-status", Static).update(Text(text, style="bold red"))

    def _done(self, message: str, path: Path) -> None:
        self.app.notify(message)
        self.dismiss(path)
