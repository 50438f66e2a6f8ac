"""The import screen driven by keys: path, preview (errors first), mapping changed, errors saved, commit."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, Input, Static

from tests.import_helpers import aio, person, roster_csv, roster_rows, roster_xlsx, settle
from tui.app import LedgerApp
from tui.import_screen import ImportScreen

TODAY = dt.date(2025, 9, 20)


def cell_text(table: DataTable, row: int, col: int) -> str:
    return str(table.get_row_at(row)[col])


@aio
async def test_preview_then_commit_through_the_screen(tmp_path, ledger):
    folder = tmp_path / "fx"  # a path with f and x: typed into the box, not taken as keys
    folder.mkdir()
    roster = roster_xlsx(folder / "名册.xlsx", roster_rows([person(i) for i in range(1, 6)]), numbers_as_ids=(2,))
    app = LedgerApp(ledger=ledger, today=TODAY)
    async with app.run_test(size=(110, 36), notifications=True) as pilot:
        await settle(app, pilot)
        screen = ImportScreen(ledger, "member")
        app.push_screen(screen, app.exit)  # the counts come back as the app's result
        await pilot.pause()
        await pilot.press(*str(roster), "enter")
        await settle(app, pilot)
        assert screen.query_one("#import-path", Input).value == str(roster)
        counts = str(screen.query_one("#import-counts", Static).render())
        assert "新增 4" in counts and "错误 1" in counts
        rows = screen.query_one("#import-rows", DataTable)
        assert (cell_text(rows, 0, 0), cell_text(rows, 0, 1)) == ("6", "错误")  # errors first
        assert "请按身份证重新录入" in cell_text(rows, 0, 3)
        assert ledger.count("member") == 0  # the preview wrote nothing

        await pilot.press("ctrl+o")
        await pilot.pause()
        assert (folder / "名册-错误.xlsx").is_file()

        await pilot.press("ctrl+s")
        await settle(app, pilot)
    assert app.return_value == {"new": 4, "update": 0, "duplicate": 0, "skip": 0, "error": 1}
    assert ledger.count("member") == 4


@aio
async def test_mapping_changed_by_keys(tmp_path, ledger):
    csv = roster_csv(tmp_path / "r.csv", [["张三", "13800138000", "语文组"]], header=["姓名", "联络", "教研组"])
    app = LedgerApp(ledger=ledger, today=TODAY)
    async with app.run_test(size=(110, 36)) as pilot:
        await settle(app, pilot)
        screen = ImportScreen(ledger, "member", str(csv))
        app.push_screen(screen)
        await settle(app, pilot)
        assert [c.field for c in screen.plan.columns] == ["name", None, "union_group"]
        mapping = screen.query_one("#import-mapping", DataTable)
        mapping.focus()
        await pilot.press("down")
        for _ in range(7):  # 联络: step from (ignored) through the fields to phone
            await pilot.press("f")
            await settle(app, pilot)
        assert screen.plan.columns[1].field == "phone"
        assert screen.plan.rows[0].record["phone"] == "13800138000"
        await pilot.press("x")
        await settle(app, pilot)
        assert screen.plan.columns[1].field is None
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ImportScreen)


@aio
async def test_i_opens_the_screen_from_members_and_visits_and_a_commit_redraws(tmp_path, ledger):
    roster = roster_xlsx(tmp_path / "r.xlsx", roster_rows([person(i) for i in range(1, 4)]))
    app = LedgerApp(ledger=ledger, today=TODAY)
    async with app.run_test(size=(110, 36), notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("4", "i")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen) and app.screen.kind == "visit"
        await pilot.press("escape", "2", "i")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen) and app.screen.kind == "member"
        await pilot.press(*str(roster), "enter")
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await settle(app, pilot)
        assert not isinstance(app.screen, ImportScreen)
        summary = str(app.query_one("#member-summary", Static).render())
        assert summary.startswith("3/3 人")  # the list redrawn with the new members
    assert ledger.count("member") == 3


@aio
async def test_a_second_commit_with_nothing_new_says_so_plainly(tmp_path, ledger):
    roster = roster_xlsx(tmp_path / "r.xlsx", roster_rows([person(i) for i in range(1, 3)]))
    app = LedgerApp(ledger=ledger, today=TODAY)
    async with app.run_test(size=(110, 36), notifications=True) as pilot:
        await settle(app, pilot)
        for _ in range(2):  # the same file twice: the second time every row is a skip
            app.push_screen(ImportScreen(ledger, "member", str(roster)))
            await settle(app, pilot)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
        messages = [n.message for n in app._notifications]
        assert isinstance(app.screen, ImportScreen)  # nothing written: the screen stays open
        assert app.screen.plan.counts()["skip"] == 2
    assert "备份" in messages[0] and messages[-1] == "没有需要写入的行，台账没有改动"
    assert not any("None" in m for m in messages)
    assert ledger.count("member") == 2
