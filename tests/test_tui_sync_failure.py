"""A sync that fails in an unforeseen way (a bug) says so and leaves the program running."""

from __future__ import annotations

import asyncio

from domain.store import Ledger
from tests.tui_waits import loaded


def test_an_unexpected_error_in_the_sync_is_a_toast_not_the_end(tmp_path, monkeypatch):
    import sync.service
    from tui.app import LedgerApp

    def broken(*args, **kw):
        raise ValueError("bad value(s) in fds_to_keep")

    monkeypatch.setattr(sync.service, "run_sync", broken)

    async def go():
        with Ledger.open(tmp_path / "l.json") as ledger:
            app = LedgerApp(ledger=ledger)
            async with app.run_test(size=(100, 30), notifications=True) as pilot:
                await loaded(app, pilot)
                await pilot.press("f5")
                await app.workers.wait_for_complete()
                await pilot.pause()
                return app.is_running, [n.message for n in app._notifications]
    running, toasts = asyncio.run(go())
    assert running
    assert any("同步意外中断" in t and "fds_to_keep" in t for t in toasts), toasts
