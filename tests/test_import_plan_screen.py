"""The plan import screen driven by keys: a file or pasted text, untick, add to the calendar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import DataTable, Static, TextArea

from tests.import_helpers import aio, settle
from tui.app import LedgerApp
from tui.import_plan_screen import PlanImportScreen

TODAY = dt.date(2025, 9, 20)
SEED = Path(__file__).parent / "fixtures" / "import" / "plans" / "seed_000.txt"


@aio
async def test_plan_file_untick_and_add(ledger):
    app = LedgerApp(ledger=ledger, today=TODAY)
    async with app.run_test(size=(110, 36), notifications=True) as pilot:
        await settle(app, pilot)
        screen = PlanImportScreen(ledger)
        app.push_screen(screen, app.exit)
        await pilot.pause()
        await pilot.press(*str(SEED), "enter")
        await settle(app, pilot)
        assert "找到 22 项" in str(screen.query_one("#plan-summary", Static).render())
        items = screen.query_one("#plan-items", DataTable)
        assert str(items.get_row_at(0)[3]) == "2月（待定）" and str(items.get_row_at(2)[3]) == "2025-03-08"
        await pilot.press("space", "down", "space")  # untick the first two
        assert "已勾选 20 项" in str(screen.query_one("#plan-summary", Static).render())
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    assert app.return_value == (20, 0)
    titles = {e["title"] for e in ledger.records("event")}
    assert len(titles) == 20 and "重新整理会员资料" not in titles and "三八节活动" in titles


@aio
async def test_pasted_text_and_typed_spaces(ledger):
    app = LedgerApp(ledger=ledger, today=TODAY)
    async with app.run_test(size=(110, 36)) as pilot:
        await settle(app, pilot)
        screen = PlanImportScreen(ledger)
        app.push_screen(screen)
        await pilot.pause()
        area = screen.query_one("#plan-text", TextArea)
        area.focus()
        area.load_text("2026年工作计划\n三月：读书活动\n四月：植树")  # pasted
        area.move_cursor((2, 5))
        await pilot.press(*" a b", "ctrl+r")  # space is typed into the box, not a tick
        await settle(app, pilot)
        assert area.text.endswith("四月：植树 a b")
        assert screen.year == 2026
        assert [(e.months, e.title) for e in screen.events] == [([3], "读书活动"), ([4], "植树 a b")]


@aio
async def test_i_on_the_calendar_opens_it(ledger):
    app = LedgerApp(ledger=ledger, today=TODAY)
    async with app.run_test(size=(110, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("3", "i")
        await pilot.pause()
        assert isinstance(app.screen, PlanImportScreen)
