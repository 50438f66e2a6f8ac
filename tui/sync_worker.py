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


def _settings(ledger) -> dict:
    import os

    cfg = ledger.config.sync or {}
    return {"spreadsheet": os.environ.get("LEDGER_SPREADSHEET") or cfg.get("spreadsheet") or "",
            "endpoint": os.environ.get("LEDGER_SHEETS_ENDPOINT") or cfg.get("endpoint") or "",
            "credentials": cfg.get("credentials") or ""}


def run_sync(ledger, run_local, progress, allow_deletes: bool = False):
    """The whole sync as the command line does it (demo sheet included).
    Raises SyncError/SyncCommandError/GatewayError with a clear message."""
    from sync.cli import is_demo, open_gateway
    from sync.engine import sync

    settings = _settings(ledger)
    demo = None
    try:
        if is_demo(ledger, settings):
            from sync.demo_sheet import DemoSheet

            demo = DemoSheet(ledger.path, ledger.config)
            settings = {**settings, **demo.start()}
        gw = open_gateway(settings)  # imports gspread here, in the worker thread
        return sync(ledger, gw, allow_deletes=allow_deletes, progress=progress, run_local=run_local)
    finally:
        if demo is not None:
            demo.stop()


class SyncWorker:
    """Mixin for the App."""

    @work(thread=True, exclusive=True, group="sync")
    def action_sync(self) -> None:
        from sync.cli import SyncCommandError
        from sync.engine import SyncError, SyncStopped, record_failure
        from sync.gateway import GatewayError

        ledger = self.ledger  # type: ignore[attr-defined]
        if ledger is None:
            return

        def progress(stage: str, fraction: float) -> None:
            self.post_message(SyncProgress(stage, fraction))  # type: ignore[attr-defined]

        def run_local(fn):
            return self.call_from_thread(fn)  # type: ignore[attr-defined]

        try:
            result = run_sync(ledger, run_local, progress)
        except SyncStopped as exc:
            run_local(lambda: record_failure(ledger, str(exc)))
            self.post_message(SyncFailed(str(exc), stopped=True))  # type: ignore[attr-defined]
            return
        except (SyncError, SyncCommandError, GatewayError) as exc:
            run_local(lambda: record_failure(ledger, str(exc)))
            self.post_message(SyncFailed(str(exc)))  # type: ignore[attr-defined]
            return
        self.post_message(SyncDone(result))  # type: ignore[attr-defined]

    def start_sync_timer(self) -> None:
        """Sync every ``[sync] interval_minutes`` (0: never)."""
        minutes = (self.ledger.config.sync or {}).get("interval_minutes") or 0  # type: ignore[attr-defined]
        if minutes and minutes > 0:
            self.set_interval(minutes * 60, self.action_sync)  # type: ignore[attr-defined]
