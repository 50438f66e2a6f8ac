"""The backups screen: list, back up now, restore behind a y/n question."""

from __future__ import annotations

import asyncio

from screen_host import drive

from domain.backup_policy import backup_now, restored_marker
from domain.backups import list_backups
from domain.store import Ledger
from tests.tui_waits import loaded
from tui.backups_screen import BackupsScreen
from tui.dialogs import ConfirmScreen


def _drive(ledger, *keys):
    app, screen, shown = drive(lambda: BackupsScreen(ledger), *keys)
    screen.rows_shown = len(shown.get("backups-table", []))
    return app, screen


def test_restore_asks_first_backs_up_the_current_state_and_marks_the_next_sync(tmp_path):
    with Ledger.open(tmp_path / "l.json") as ledger:
        ledger.add("member", {"name": "张三"})
        backup_now(ledger, "manual")
        ledger.add("member", {"name": "李四"})
        app, asked = _drive(ledger, "enter")  # the question, then Esc answers no
        assert isinstance(asked, ConfirmScreen)
        assert sorted(m["name"] for m in ledger.records("member")) == ["张三", "李四"]
        app, _ = _drive(ledger, "enter", "y")
        assert app.result is True
        assert [m["name"] for m in ledger.records("member")] == ["张三"]
        reasons = sorted(b.reason for b in list_backups(ledger.path))
        assert reasons == ["before-restore", "manual"]
        assert restored_marker(ledger) is not None


def test_b_makes_a_backup_and_the_list_shows_it(tmp_path):
    with Ledger.open(tmp_path / "l.json") as ledger:
        ledger.add("member", {"name": "张三"})
        app, screen = _drive(ledger, "b")
        assert [b.reason for b in list_backups(ledger.path)] == ["manual"]
        assert screen.rows_shown == 1
        assert app.result is False


def test_ctrl_b_opens_the_backups_screen_from_the_program(tmp_path):
    from tui.app import LedgerApp

    async def go():
        with Ledger.open(tmp_path / "l.json") as ledger:
            ledger.add("member", {"name": "张三"})
            app = LedgerApp(ledger=ledger)
            async with app.run_test(size=(100, 30)) as pilot:
                await loaded(app, pilot)
                await pilot.press("ctrl+b")
                for _ in range(20):
                    await pilot.pause(0.05)
                return type(app.screen)
    assert asyncio.run(go()) is BackupsScreen


def test_f5_after_a_restore_shows_the_preview_and_syncs_only_after_yes(tmp_path, monkeypatch):
    from domain.backup_policy import restore
    from sync.engine import sync
    from sync.gateway import connect
    from tests.emulator_fixtures import running_emulator
    from tui.app import LedgerApp

    async def press_f5_then(app, pilot, answer):
        await pilot.press("f5")
        for _ in range(200):
            if isinstance(app.screen, ConfirmScreen):
                break
            await pilot.pause(0.05)
        asked = isinstance(app.screen, ConfirmScreen)
        await pilot.press(answer)
        await app.workers.wait_for_complete()
        await pilot.pause()
        return asked

    with running_emulator() as emu, Ledger.open(tmp_path / "l.json", school="莲峰小学") as ledger:
        sid = emu.create_spreadsheet("学区")
        monkeypatch.setenv("LEDGER_SPREADSHEET", sid)
        monkeypatch.setenv("LEDGER_SHEETS_ENDPOINT", emu.url)
        ledger.add("member", {"name": "张三"})
        backup = backup_now(ledger, "manual")
        ledger.add("member", {"name": "李四"})
        sync(ledger, connect(sid, endpoint=emu.url))
        restore(ledger, backup)

        async def go():
            app = LedgerApp(ledger=ledger)
            async with app.run_test(size=(100, 30)) as pilot:
                await loaded(app, pilot)
                first = await press_f5_then(app, pilot, "n")
                after_no = restored_marker(ledger) is not None
                second = await press_f5_then(app, pilot, "y")
                for _ in range(200):
                    if restored_marker(ledger) is None:
                        break
                    await pilot.pause(0.05)
                return first, after_no, second
        first, after_no, second = asyncio.run(go())
        assert first and after_no and second
        assert restored_marker(ledger) is None
        assert sorted(m["name"] for m in ledger.records("member")) == ["张三", "李四"]
