"""The backups screen: every backup of this ledger, newest first (when, why,
records per kind, size), a new one made with `b`, one restored with Enter
behind a y/n question.  The current state is backed up before a restore, and
the next sync then asks before it writes."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

import tui.messages  # noqa: F401  (act.close)
from domain.backup_reasons import reason_label
from domain.i18n import register, tr
from tui.bindings import Translated
from tui.dialogs import ConfirmScreen
from tui.failures import reported

register({
    "bk.title": ("备份（{n} 份，最新的在上）", "Backups ({n}, newest first)"),
    "bk.none": ("还没有备份：按 b 立即备份", "No backups yet: press b to make one"),
    "bk.col_made": ("时间", "Made"),
    "bk.col_reason": ("原因", "Why"),
    "bk.col_counts": ("会员/活动/慰问", "Members/events/visits"),
    "bk.col_size": ("大小", "Size"),
    "bk.ask_restore": ("恢复到 {made} 的备份？当前台账会先另存一份备份。恢复后下次同步会先列出改动，需确认。",
                       "Restore the backup of {made}? The current ledger is backed up first. The next sync will "
                       "list its changes and ask before writing."),
    "bk.made": ("已备份：{path}", "Backed up: {path}"),
    "act.bk_restore": ("恢复", "Restore"),
    "act.bk_now": ("立即备份", "Back up now"),
})


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1 << 20 else f"{n / (1 << 20):.1f} MB"


class BackupsScreen(Translated, ModalScreen[bool]):
    """Dismissed with True when a backup was restored (the lists must reload)."""

    BINDINGS = [
        Binding("enter", "restore", "act.bk_restore", key_display="Enter"),
        Binding("b", "backup_now", "act.bk_now"),
        Binding("escape", "close", "act.close"),
    ]

    def __init__(self, ledger) -> None:
        super().__init__()
        self.ledger = ledger
        self.backups: list = []
        self.restored = False

    def compose(self) -> ComposeResult:
        with Vertical(id="backups"):
            yield Static(id="backups-title")
            yield DataTable(id="backups-table", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(tr("bk.col_made"), tr("bk.col_reason"), tr("bk.col_counts"), tr("bk.col_size"))
        self.show()
        table.focus()

    def show(self) -> None:
        from domain.backups import list_backups

        self.backups = sorted(list_backups(self.ledger.path), key=lambda b: b.made, reverse=True)
        table = self.query_one(DataTable)
        table.clear()
        title = tr("bk.title", n=len(self.backups)) if self.backups else tr("bk.none")
        self.query_one("#backups-title", Static).update(Text(title, style="bold"))
        for b in self.backups:
            counts = "/".join(str(b.counts.get(k, 0)) for k in ("member", "event", "visit"))
            table.add_row(Text(b.made.strftime("%Y-%m-%d %H:%M")), Text(reason_label(b.reason)), Text(counts),
                          Text(_size(b.size)))

    def selected(self):
        row = self.query_one(DataTable).cursor_row
        return self.backups[row] if 0 <= row < len(self.backups) else None

    def action_backup_now(self) -> None:
        from domain.backup_policy import backup_now

        with reported(self):
            path = backup_now(self.ledger, "manual")
            self.notify(tr("bk.made", path=path))
        self.show()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # Enter on a row: the table takes the key before the screen's binding
        self.action_restore()

    def action_restore(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._restore(chosen.path)

        self.app.push_screen(ConfirmScreen(tr("bk.ask_restore", made=chosen.made.strftime("%Y-%m-%d %H:%M"))),
                             answered)

    def _restore(self, path) -> None:
        from domain.backup_policy import restore

        with reported(self):
            message = restore(self.ledger, path)
            self.restored = True
            self.notify(message, timeout=10)
        self.show()

    def action_close(self) -> None:
        self.dismiss(self.restored)
