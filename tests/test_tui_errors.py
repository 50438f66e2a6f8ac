"""Pilot tests: actions that fail say why and the program keeps running;
user text is never markup; the two bugs of issue 8 stay fixed."""

from __future__ import annotations

import dataclasses
import errno

from tests.test_tui_flows import aio, running, settle, type_text
from tui.dialogs import ConfirmScreen, MemberPicker
from tui.forms import RecordForm
from tui.table import RecordTable


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


def disk_full(ledger, monkeypatch) -> None:
    """The next commit fails as a full disk does (nothing written)."""
    def append(ops):
        raise OSError(errno.ENOSPC, "No space left on device", str(ledger.path))
    monkeypatch.setattr(ledger._files, "append", append)


@aio
async def test_deleted_members_event_attendance_stays_editable(ledger):
    """Bug: delete a member who took part, open the event's participants, save: traceback."""
    a = ledger.add("member", {"name": "张三"})["id"]
    b = ledger.add("member", {"name": "李四"})["id"]
    event = ledger.add("event", {"title": "教师节", "date": "2025-09-10", "participants": f"{a},{b}"})
    visit = ledger.add("visit", {"member_id": a, "date": "2025-09-01", "reason": "生病住院"})
    ledger.delete("member", a)
    async with running(ledger) as (app, pilot):
        app.open_date(event_date := __import__("datetime").date(2025, 9, 10), event["id"])
        await pilot.pause()
        assert app.query_one("#cal-grid").day == event_date
        await pilot.press("p")
        assert isinstance(app.screen, MemberPicker)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.is_running and not isinstance(app.screen, MemberPicker)
        assert ledger.get("event", event["id"])["participants"] == [a, b]
        # the deleted member's visit is editable too
        app.edit_record("visit", ledger.get("visit", visit["id"]))
        await pilot.pause()
        form = app.screen
        form.query_one("#f-notes").focus()
        await type_text(pilot, "已出院")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert ledger.get("visit", visit["id"])["notes"] == "已出院"
        assert ledger.get("visit", visit["id"])["member_id"] == a


@aio
async def test_form_sends_only_touched_fields(ledger):
    """Bug: a category later dropped from the configuration made an old record unsavable."""
    m = ledger.add("member", {"name": "张三"})["id"]
    v = ledger.add("visit", {"member_id": m, "date": "2025-03-01", "reason": "生病住院"})["id"]
    lists = {**ledger.config.lists,
             "visit_reasons": tuple(r for r in ledger.config.lists["visit_reasons"] if r != "生病住院")}
    ledger.config = dataclasses.replace(ledger.config, lists=lists)
    async with running(ledger) as (app, pilot):
        await pilot.press("4", "e")
        form = app.screen
        assert isinstance(form, RecordForm)
        form.query_one("#f-notes").focus()
        await type_text(pilot, "复查")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, RecordForm), messages(app)
        saved = ledger.get("visit", v)
        assert saved["notes"] == "复查" and saved["reason"] == "生病住院"


@aio
async def test_names_with_brackets_are_never_markup(ledger):
    ledger.add("member", {"name": "[b]王小明[/b]"})
    async with running(ledger) as (app, pilot):
        await pilot.press("2", "a")
        await type_text(pilot, "[/x]李四")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.is_running
        assert any(r["name"] == "[/x]李四" for r in ledger.records("member"))
        assert "已保存：[/x]李四" in messages(app)
        table = app.query_one("#member-table", RecordTable)
        table.cursor = next(i for i, r in enumerate(table.rows) if r["name"] == "[b]王小明[/b]")
        await pilot.press("d", "y")
        await settle(app, pilot)
        assert "已删除：[b]王小明[/b]（按 u 撤销）" in messages(app)
        await pilot.pause()
        shown = [str(t.render()) for t in app.screen.query("Toast")]
        assert any("[b]王小明[/b]" in s for s in shown), shown


@aio
async def test_delete_and_undo_on_a_full_disk_say_so_and_keep_running(ledger, monkeypatch):
    m = ledger.add("member", {"name": "张三"})["id"]
    async with running(ledger) as (app, pilot):
        await pilot.press("2", "d")
        assert isinstance(app.screen, ConfirmScreen)
        disk_full(ledger, monkeypatch)
        await pilot.press("y")
        await settle(app, pilot)
        assert app.is_running and ledger.get("member", m) is not None
        assert any("磁盘已满" in s for s in messages(app)), messages(app)
        await pilot.press("u")  # undo the add: the disk is still full
        await settle(app, pilot)
        assert app.is_running and ledger.get("member", m) is not None
        assert sum("磁盘已满" in s for s in messages(app)) == 2


@aio
async def test_form_save_on_a_full_disk_keeps_the_form(ledger, monkeypatch):
    async with running(ledger) as (app, pilot):
        await pilot.press("2", "a")
        await type_text(pilot, "张三")
        disk_full(ledger, monkeypatch)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, RecordForm) and app.screen.raw_values()["name"] == "张三"
        assert any("磁盘已满" in s for s in messages(app))
        assert ledger.records("member") == []


@aio
async def test_attendance_on_a_full_disk_says_so(ledger, monkeypatch):
    a = ledger.add("member", {"name": "张三"})["id"]
    event = ledger.add("event", {"title": "教师节", "date": "2025-09-20"})
    async with running(ledger) as (app, pilot):
        await pilot.press("3", "p")
        assert isinstance(app.screen, MemberPicker)
        await pilot.press("down", "space")
        disk_full(ledger, monkeypatch)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.is_running and ledger.get("event", event["id"])["participants"] == []
        assert any("磁盘已满" in s for s in messages(app))
        assert a


@aio
async def test_sync_without_a_sheet_says_so_with_its_brackets(ledger):
    async with running(ledger) as (app, pilot):
        await pilot.press("f5")
        await settle(app, pilot)
        await pilot.pause()
        (failure,) = [n for n in app._notifications if n.severity == "error"]
        assert "[sync]" in failure.message and not failure.markup
        shown = [str(t.render()) for t in app.screen.query("Toast")]
        assert any("[sync]" in s for s in shown), shown
        assert app.is_running
