"""The sync's pieces for the full-screen program, on their own."""

from __future__ import annotations

import asyncio

from textual.app import App

from domain.i18n import set_language
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
            async with app.run_test(size=(100, 30)) as pilot:
                await pilot.pause()
                screen = app.screen
                assert str(screen.query_one("#conflict-record").render()) == "会员 张三 · 备注"
                footer = " ".join(k.description for k in screen.query("FooterKey"))
                assert "用本地的" in footer and "用表格的" in footer and "输入新值" in footer
                await pilot.press("t")
                await pilot.pause()

        asyncio.run(drive())
        assert not led.kv_all("_conflicts")
        assert led.get("member", m["id"])["notes"] == "表格"


def test_conflict_screen_takes_a_typed_value_and_refuses_a_bad_one(tmp_path):
    with running_emulator() as emu, Ledger.open(tmp_path / "a.json", school="莲峰小学") as led:
        sid = emu.create_spreadsheet("t")
        m = led.add("member", {"name": "张三", "phone": "13800138000"})
        sync(led, connect(sid, endpoint=emu.url))
        led.edit("member", m["id"], {"phone": "13900139000"})
        rows = emu.values(sid, "会员")
        emu.set_cell(sid, "会员", f"{column_letter(rows[0].index('手机'))}2", "13700137000")
        sync(led, connect(sid, endpoint=emu.url))
        assert len(led.kv_all("_conflicts")) == 1
        set_language("en")

        class Host(App):
            def on_mount(self):
                self.push_screen(ConflictScreen(led))

        async def drive():
            app = Host()
            async with app.run_test(size=(100, 30), notifications=True) as pilot:
                await pilot.pause()
                assert str(app.screen.query_one("#conflict-record").render()) == "member 张三 · Mobile"
                await pilot.press("v", *"12345")
                await pilot.press("enter")  # not a mobile number: refused, the conflict stays
                await pilot.pause()
                assert any("Mobile" in n.message for n in app._notifications)
                assert led.kv_all("_conflicts")
                app.screen.query_one("#conflict-value").value = "13600136000"
                await pilot.press("enter")
                await pilot.pause()

        asyncio.run(drive())
        assert not led.kv_all("_conflicts")
        assert led.get("member", m["id"])["phone"] == "13600136000"
