"""The import screen: a roster or visit list from a file, previewed, then committed.

Type the file's path and Enter: the mapping (column -> field) and a preview
(counts, then rows coloured by outcome, errors first) appear; nothing is
written.  In the mapping, ``f`` steps the highlighted column to the next
field and ``x`` ignores it (the preview is redone each time).  ``ctrl+s``
commits (a backup first, every valid row in one commit, a progress bar);
``ctrl+o`` saves the rows in error beside the file as ``<name>-错误.xlsx``.
The reading and the commit run in a thread: the screen stays responsive.
"""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, ProgressBar, Static

from domain.errors import user_message
from domain.i18n import register, tr
from domain.importing import ImportOptions, commit_import, plan_import, write_errors
from domain.importing.cells import shown
from domain.importing.commit import error_reason, field_text, has_changes
from domain.importing.roster import field_names_for
from tui.bindings import Translated
from tui.failures import show_failure

register({
    "sep.clauses": ("；", "; "),
    "imps.errors_file": ("{stem}-错误.xlsx", "{stem}-errors.xlsx"),
    "act.import_commit": ("写入台账", "commit"),
    "act.import_errors": ("保存错误行", "save errors"),
    "act.import_field": ("换字段", "next field"),
    "act.import_ignore": ("忽略该列", "ignore column"),
    "act.import_close": ("关闭", "close"),
    "imps.title.member": ("导入会员名册", "Import a member roster"),
    "imps.title.visit": ("导入慰问记录", "Import visits"),
    "imps.path": ("文件路径（.xlsx .xls .ods .csv），回车预览", "file path (.xlsx .xls .ods .csv), Enter to preview"),
    "imps.reading": ("正在读取 {path} …", "reading {path} …"),
    "imps.source": ("工作表：{sheet}  表头：第 {row} 行  编码：{encoding}",
                    "sheet: {sheet}  header: row {row}  encoding: {encoding}"),
    "imps.counts": ("新增 {new}  更新 {update}  可能重复 {duplicate}  跳过 {skip}  错误 {error}（试运行，尚未写入）",
                    "new {new}  update {update}  duplicate {duplicate}  skip {skip}  error {error} (dry run)"),
    "imps.more": ("（只显示前 {n} 行）", "(first {n} rows shown)"),
    "imps.col.column": ("列", "Col"),
    "imps.col.header": ("列名", "Header"),
    "imps.col.field": ("字段", "Field"),
    "imps.col.row": ("行", "Row"),
    "imps.col.status": ("结果", "Outcome"),
    "imps.col.name": ("姓名", "Name"),
    "imps.col.detail": ("说明", "Detail"),
    "imps.ignored": ("（忽略）", "(ignored)"),
    "imps.busy": ("正在同步，请稍后再写入", "a sync is running; commit when it is done"),
    "imps.done": ("已写入：新增 {new}，更新 {update}（备份：{backup}）", "written: new {new}, update {update} (backup: {backup})"),
    "imps.errors_saved": ("{n} 行出错，已存到 {path}", "{n} rows in error saved to {path}"),
    "imps.no_plan": ("请先输入文件路径并回车预览", "enter a file path and press Enter first"),
})

PREVIEW_ROWS = 500
STATUS_STYLE = {"error": "bold red", "duplicate": "yellow", "update": "cyan", "skip": "dim", "new": "green"}
STATUS_ORDER = {"error": 0, "duplicate": 1, "update": 2, "new": 3, "skip": 4}


class ImportScreen(Translated, ModalScreen[dict | None]):
    """Dismisses with the counts written, or None when left without a commit."""

    DEFAULT_CSS = """
    ImportScreen { align: center middle; }
    #import-box { width: 96%; height: 94%; border: round $accent; background: $surface; padding: 0 1; }
    #import-mapping { height: 9; }
    #import-rows { height: 1fr; }
    #import-progress { display: none; }
    #import-progress.busy { display: block; }
    """
    BINDINGS = [
        Binding("escape", "close", "act.import_close"),
        Binding("ctrl+s", "commit", "act.import_commit"),
        Binding("ctrl+o", "save_errors", "act.import_errors"),
        Binding("f", "step_field", "act.import_field"),
        Binding("x", "ignore_column", "act.import_ignore"),
    ]

    def __init__(self, ledger, kind: str = "member", path: str = "") -> None:
        super().__init__()
        self.ledger, self.kind, self.initial_path = ledger, kind, path
        self.plan = None
        self.overrides: dict[str, str | None] = {}  # column letter -> field

    def compose(self) -> ComposeResult:
        with Vertical(id="import-box"):
            yield Static(Text(tr(f"imps.title.{self.kind}"), style="bold"))
            yield Input(value=self.initial_path, placeholder=tr("imps.path"), id="import-path")
            yield Static("", id="import-source")
            yield DataTable(id="import-mapping", cursor_type="row", zebra_stripes=True)
            yield Static("", id="import-counts")
            yield DataTable(id="import-rows", cursor_type="row")
            yield ProgressBar(id="import-progress", show_eta=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#import-rows", DataTable).add_columns(
            tr("imps.col.row"), tr("imps.col.status"), tr("imps.col.name"), tr("imps.col.detail"))
        if self.initial_path:
            self.load()

    # ----- reading (a dry run)
    @on(Input.Submitted, "#import-path")
    def _path_entered(self) -> None:
        self.overrides = {}
        self.load()

    def load(self) -> None:
        path = self.query_one("#import-path", Input).value.strip()
        if path:
            self.query_one("#import-source", Static).update(Text(tr("imps.reading", path=path)))
            self._read(path, [f"{k}={v or ''}" for k, v in self.overrides.items()])

    @work(thread=True, exclusive=True, group="import")
    def _read(self, path: str, maps: list[str]) -> None:
        try:
            plan = plan_import(self.kind, self.ledger, Path(path).expanduser(), ImportOptions(maps=maps))
        except Exception as exc:  # noqa: BLE001 - shown as the user's message, or re-raised as a bug
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self.show_plan, plan)

    def _failed(self, exc: Exception) -> None:
        if not show_failure(self, exc):
            raise exc
        self.query_one("#import-source", Static).update(Text(user_message(exc), style="bold red"))

    def show_plan(self, plan) -> None:
        self.plan = plan
        t = plan.table
        self.query_one("#import-source", Static).update(Text(tr(
            "imps.source", sheet=t.sheet or "-", row=plan.header_row, encoding=t.encoding or "-")))
        mapping = self.query_one("#import-mapping", DataTable)
        cursor = mapping.cursor_row
        rows = [(c.letter, Text(c.header), Text(field_text(self.kind, c.field) or tr("imps.ignored"),
                                                 style="" if c.field else "dim")) for c in plan.columns]
        # widths set from the content: measured on idle, a busy screen kept the headers' widths (身份证号 -> 身份)
        mapping.clear(columns=True)
        labels = (tr("imps.col.column"), tr("imps.col.header"), tr("imps.col.field"))
        for i, label in enumerate(labels):
            mapping.add_column(label, width=max([cell_len(label), *(cell_len(str(r[i])) for r in rows)]))
        for row in rows:
            mapping.add_row(*row)
        if plan.columns:
            mapping.move_cursor(row=min(cursor, len(plan.columns) - 1))
        self._show_rows(plan)

    def _show_rows(self, plan) -> None:
        counts = tr("imps.counts", **plan.counts())
        if len(plan.rows) > PREVIEW_ROWS:
            counts += tr("imps.more", n=PREVIEW_ROWS)
        self.query_one("#import-counts", Static).update(Text(counts))
        table = self.query_one("#import-rows", DataTable)
        table.clear()
        name_col = next((c.index for c in plan.columns if c.field in ("name", "member_name")), None)
        for r in sorted(plan.rows, key=lambda r: (STATUS_ORDER[r.status], r.row))[:PREVIEW_ROWS]:
            style = STATUS_STYLE[r.status]
            name = r.cells[name_col] if name_col is not None and name_col < len(r.cells) else ""
            detail = error_reason(plan.kind, r.errors) if r.errors else tr("sep.clauses").join(r.warnings)
            table.add_row(str(r.row), Text(tr(f"imp.status.{r.status}"), style=style),
                          Text(shown(name)), Text(detail, style=style if r.errors else ""))

    # ----- changing the mapping
    def _mapping_column(self):
        if self.plan is None or not self.plan.columns:
            return None
        row = self.query_one("#import-mapping", DataTable).cursor_row
        return self.plan.columns[max(0, min(row, len(self.plan.columns) - 1))]

    def action_step_field(self) -> None:
        column = self._mapping_column()
        if column is None:
            return
        names = [None, *field_names_for(self.kind)]
        current = names.index(column.field) if column.field in names else 0
        self.overrides[column.letter] = names[(current + 1) % len(names)]
        self.load()

    def action_ignore_column(self) -> None:
        column = self._mapping_column()
        if column is not None:
            self.overrides[column.letter] = None
            self.load()

    # ----- writing
    def action_commit(self) -> None:
        if self.plan is None:
            self.notify(tr("imps.no_plan"), severity="warning")
            return
        counts = self.plan.counts()
        if not has_changes(self.plan):
            self.notify(tr("imp.nothing_written"), severity="warning")
            return
        if any(w.group == "sync" and w.is_running for w in self.app.workers):
            self.notify(tr("imps.busy"), severity="warning")
            return
        bar = self.query_one("#import-progress", ProgressBar)
        bar.add_class("busy")
        bar.update(total=counts["new"] + counts["update"], progress=0)
        self._commit(self.plan)

    @work(thread=True, exclusive=True, group="import")
    def _commit(self, plan) -> None:
        bar = self.query_one("#import-progress", ProgressBar)

        def progress(done: int, _total: int) -> None:
            self.app.call_from_thread(bar.update, progress=done)

        try:
            backup = commit_import(self.ledger, plan, progress=progress)
        except Exception as exc:  # noqa: BLE001 - shown as the user's message, or re-raised as a bug
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self._committed, plan, backup)

    def _committed(self, plan, backup) -> None:
        counts = plan.counts()
        self.app.notify(tr("imps.done", new=counts["new"], update=counts["update"], backup=backup))
        self.dismiss(counts)

    def action_save_errors(self) -> None:
        if self.plan is None:
            self.notify(tr("imps.no_plan"), severity="warning")
            return
        source = Path(self.plan.table.file)
        target = source.with_name(tr("imps.errors_file", stem=source.stem))
        try:
            n = write_errors(self.plan, target)
        except OSError as exc:
            self._failed(exc)
            return
        self.notify(tr("imps.errors_saved", n=n, path=target))

    def action_close(self) -> None:
        self.dismiss(None)
