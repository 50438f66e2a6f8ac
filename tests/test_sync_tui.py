"""The sync's pieces for the full-screen program, on their own."""

from __future__ import annotations

import asyncio

from textual.app import App

from domain.store import Ledger
from sync.engine import sync
from sync.gateway import connect
from sync.sheet_layout import column_letter
from tests.emulator_fixtures import running_emulator
from tui.sync_conflicts import ConflictScreen
from tui.sync_status import status_text


def test_status_line_and_conflict_screen(tmp_path):
    with running_emulator() as emu, Ledger.open(tmp_path / "a.json", school="莲峰小学") as led:
        sid = emu.create_spreadsheet("t")
        assert "尚未同步" in status_text(led)
        m = led.add("member", {"name": "张三"})
        assert "待同步 1 条" in status_text(led)
        sync(led, connect(sid, endpoint=emu.url))

        led.edit("member", m["id"], {"notes": "本地"})
        rows = emu.values(sid, "会员")
        emu.set_cell(sid, "会员", f"{column_letter(rows[0].index('备注'))}2", "表格")
        r = sync(led, connect(sid, endpoint=emu.url))
        text = status_text(led)
        assert "冲突 1 处" in text and "表格可连接" in text and "待同步 0 条" in text

        class Host(App):
            def on_mount(self):
                self.push_screen(ConflictScreen(led))

        async def drive():
            app = Host()
            async with app.run_test() as pilot:
                await pilot.pause()
                await pilot.press("t")
                await pilot.pause()

        asyncio.run(drive())
        assert not led.kv_all("_conflicts")
        assert led.get("member", m["id"])["notes"] == "表格"
