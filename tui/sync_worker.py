"""Background sync for the full-screen program.

Mix ``SyncWorker`` into the App (it needs ``self.ledger``): ``action_sync``
runs the sync in a thread worker (exclusive, group "sync"); the network
part runs in the thread, every touch of the ledger runs on the UI thread
through ``call_from_thread`` (the engine's ``run_local``), so the program
stays usable and a record edited meanwhile is left for the next sync.
Messages posted: ``SyncProgress(stage, fraction)``, ``SyncDone(result)``,
``SyncFailed(message, stopped)``.  Optional timer: ``start_sync_timer``.
"""

from __future__ import annotations

from textual import work
from textual.message import Message

from domain.i18n import register, tr

register({
    "syncw.bug": ("同步意外中断（程序错误：{error}）。台账没有受影响，请把这句话告诉技术支持。",
                  "The sync stopped unexpectedly (a bug: {error}). The ledger is unharmed; please report this line."),
    "syncw.held": ("台账在 {at} 从备份恢复过。这次同步会做的改动（还没有写入）：\n{summary}\n现在同步并写入两边吗？",
                   "The ledger was restored from a backup at {at}. What this sync would change (nothing written yet):\n"
                   "{summary}\nSync now and write both sides?"),
})


class SyncProgress(Message):
    def __init__(self, stage: str, fraction: float) -> None:
        super().__init__()
        self.stage, self.fraction = stage, fraction


class SyncDone(Message):
    def __init__(self, result) -> None:
        super().__init__()
        self.result = result


class SyncFailed(Message):
    def __init__(self, message: str, stopped: bool = False) -> None:
        super().__init__()
        self.message, self.stopped = message, stopped


class SyncWorker:
    """Mixin for the App."""

    @work(thread=True, exclusive=True, group="sync")
    def action_sync(self) -> None:
        self._sync()

    @work(thread=True, exclusive=True, group="sync")
    def sync_after_restore(self) -> None:
        """The first sync after a restore, once the user said yes to its preview."""
        self._sync(confirm_restore=True)

    def _sync(self, confirm_restore: bool = False) -> None:
        from domain.errors import UserError
        from sync.engine import SyncStopped
        from sync.service import run_sync

        ledger = self.ledger  # type: ignore[attr-defined]
        if ledger is None:
            return

        def progress(stage: str, fraction: float) -> None:
            self.post_message(SyncProgress(stage, fraction))  # type: ignore[attr-defined]

        def run_local(fn):
            return self.call_from_thread(fn)  # type: ignore[attr-defined]

        try:
            # the work in a child process: in this one it would starve the screen of the interpreter lock
            result = run_sync(ledger, self.sync_settings(), progress=progress, run_local=run_local, in_child=True,
                              confirm_restore=confirm_restore)
        except UserError as exc:  # recorded as the last sync's status by run_sync
            self.post_message(SyncFailed(str(exc), stopped=isinstance(exc, SyncStopped)))  # type: ignore[attr-defined]
            return
        except Exception as exc:  # a bug: say so and keep the program (and the typed-in work) running
            self.log.error(f"sync failed: {exc!r}")  # type: ignore[attr-defined]
            self.post_message(SyncFailed(tr("syncw.bug", error=f"{type(exc).__name__}: {exc}")))  # type: ignore[attr-defined]
            return
        self.post_message(SyncDone(result))  # type: ignore[attr-defined]

    def ask_after_restore(self, result) -> bool:
        """A sync held after a restore: show what it would change and ask.  False
        for any other result."""
        from sync.service import HELD
        from tui.dialogs import ConfirmScreen

        restored = result.extra.get(HELD)
        if not restored:
            return False
        question = tr("syncw.held", at=str(restored.get("at", ""))[:16].replace("T", " "), summary=result.summary())
        self.push_screen(ConfirmScreen(question),  # type: ignore[attr-defined]
                         lambda yes: yes and self.sync_after_restore())
        return True

    def sync_settings(self):
        """The run's settings; a program started without them (tests) resolves its own."""
        settings = getattr(self, "settings", None)
        if settings is None:
            from domain.settings import resolve_settings

            settings = resolve_settings({"db": str(self.ledger.path)})  # type: ignore[attr-defined]
        return settings

    def start_sync_timer(self) -> None:
        """Sync every ``[sync] interval_minutes`` (0: never)."""
        minutes = (self.ledger.config.sync or {}).get("interval_minutes") or 0  # type: ignore[attr-defined]
        if minutes and minutes > 0:
            self.set_interval(minutes * 60, self.action_sync)  # type: ignore[attr-defined]
