"""Pilot tests: every flow of the full-screen program, driven by keys."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools

import pytest

from domain.i18n import set_language
from tests.tui_waits import loaded, settle  # noqa: F401  (settle: used here and by other tests)
from tui.app import LedgerApp
from tui.dialogs import ConfirmScreen, HelpScreen, MemberPicker
from tui.forms import RecordForm
from tui.table import RecordTable

TODAY = dt.date(2025, 9, 20)


def aio(fn):
    """Run an async test in its own event loop (no asyncio plugin in this project)."""
    @functools.wraps(fn)
    def wrapper(*args, **kw):
        return asyncio.run(fn(*args, **kw))
    return wrapper

SIZE = (100, 30)


@pytest.fixture
def people(ledger):
    ids = {}
    for values in (
        {"name": "张三", "phone": "13800138000", "union_group": "语文组"},
        {"name": "曾小明", "union_group": "数学组"},
        {"name": "王困难", "hardship": "低保户", "hardship_opened": "2025-01-05"},
        {"name": "[b]李[/b]", "union_group": "英语组"},
    ):
        ids[values["name"]] = ledger.add("member", values)["id"]
    return ids


@contextlib.asynccontextmanager
async def running(ledger):
    """The app on ``ledger`` at 100x30, loaded and idle."""
    app = LedgerApp(ledger=ledger, today=TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await loaded(app, pilot)
        yield app, pilot


async def type_text(pilot, text):
    await pilot.press(*list(text))


def row_texts(table: RecordTable) -> list[str]:
    return [table.render_line(y).text for y in range(1, min(len(table.rows), 20) + 1)]


@aio
async def test_add_member_validated_as_you_type(ledger, people):
    async with running(ledger) as (app, pilot):
        await pilot.press("2", "a")
        form = app.screen
        assert isinstance(form, RecordForm)
        await type_text(pilot, "单田芳")
        form.query_one("#f-phone").focus()
        await type_text(pilot, "1381234")
        await pilot.pause()
        error = form.query_one("#e-phone")
        assert error.has_class("shown") and "11 位数字" in str(error.render())
        await type_text(pilot, "5678")
        await pilot.pause()
        assert not error.has_class("shown")
        form.query_one("#f-union_group").focus()
        await type_text(pilot, "体育组")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, RecordForm)
        (added,) = [m for m in ledger.records("member") if m["name"] == "单田芳"]
        assert added["phone"] == "13812345678" and added["union_group"] == "体育组"
        assert added["school"] == "莲峰小学"
        # the new member is found by pinyin at once (单 read shan)
        await pilot.press("slash")
        await type_text(pilot, "shantf")
        await pilot.pause()
        table = app.query_one("#member-table", RecordTable)
        assert [m["name"] for m in table.rows] == ["单田芳"]


@aio
async def test_validation_refuses_and_escape_leaves(ledger, people):
    async with running(ledger) as (app, pilot):
        await pilot.press("2", "a")
        form = app.screen
        form.query_one("#f-gender").focus()
        await pilot.press("q", "1", "u")  # the app's keys do nothing over a form
        assert app.screen is form and app.is_running
        form.query_one("#f-name").focus()
        await pilot.press("ctrl+s")  # the name is required
        await pilot.pause()
        assert app.screen is form
        assert "必填" in str(form.query_one("#e-name").render())
        await type_text(pilot, "赵六")
        form.query_one("#f-id_number").focus()
        await type_text(pilot, "110105194912310021")  # wrong check digit
        await pilot.pause()
        assert form.query_one("#e-id_number").has_class("shown")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, RecordForm)
        assert "赵六" not in {m["name"] for m in ledger.records("member")}


@aio
async def test_cross_field_error_lands_on_the_field(ledger, people):
    async with running(ledger) as (app, pilot):
        await pilot.press("2", "a")
        form = app.screen
        await type_text(pilot, "钱七")
        form.set_value("gender", "男")
        form.query_one("#f-id_number").focus()
        await type_text(pilot, "11010519491231002X")  # a woman's number
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "不一致" in str(form.query_one("#e-gender").render()) or \
            "不一致" in str(form.query_one("#e-id_number").render())


@aio
async def test_edit_delete_undo(ledger, people):
    async with running(ledger) as (app, pilot):
        await pilot.press("2", "slash")
        await type_text(pilot, "zs")
        await pilot.press("enter")  # to the table
        table = app.query_one("#member-table", RecordTable)
        assert table.current["name"] == "张三"
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, RecordForm)
        form.query_one("#f-union_group").focus()
        form.query_one("#f-union_group").value = ""
        await type_text(pilot, "数学组")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert ledger.get("member", people["张三"])["union_group"] == "数学组"
        assert ledger.get("member", people["张三"])["phone"] == "13800138000"  # untouched fields kept
        history = app.query_one("#member-detail-text").render()
        assert "工会小组" in str(history)

        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert ledger.get("member", people["张三"]) is not None
        await pilot.press("d", "y")
        await settle(app, pilot)
        assert ledger.get("member", people["张三"]) is None
        await pilot.press("u")  # undo the delete
        await settle(app, pilot)
        assert ledger.get("member", people["张三"])["union_group"] == "数学组"
        await pilot.press("u")  # undo the edit
        await settle(app, pilot)
        assert ledger.get("member", people["张三"])["union_group"] == "语文组"


@aio
async def test_search_by_pinyin_initials_full_digits_and_filters(ledger, people):
    async with running(ledger) as (app, pilot):
        await pilot.press("2", "slash")
        table = app.query_one("#member-table", RecordTable)
        for query, names in (("zxm", ["曾小明"]), ("zengxiaoming", ["曾小明"]), ("曾", ["曾小明"]),
                             ("0013", ["张三"]), ("zhang", ["张三"])):
            search = app.query_one("#member-search")
            search.value = ""
            await type_text(pilot, query)
            await pilot.pause()
            assert [m["name"] for m in table.rows] == names, query
        search.value = ""
        await pilot.press("escape")  # back to the table
        assert app.focused is table
        await pilot.press("h")  # members in hardship only
        assert [m["name"] for m in table.rows] == ["王困难"]
        await pilot.press("h", "s")  # sort by union group
        assert [m.get("union_group") for m in table.rows][:3] == ["数学组", "英语组", "语文组"]


@aio
async def test_user_text_is_never_markup_and_columns_align(ledger, people):
    async with running(ledger) as (app, pilot):
        await pilot.press("2")
        table = app.query_one("#member-table", RecordTable)
        lines = row_texts(table)
        assert any("[b]李[/b]" in line for line in lines)
        from rich.cells import cell_len

        # the group column starts at the same cell on every row, Chinese or not
        starts = {cell_len(line[: line.index(group)]) for line in lines
                  for group in ("语文组", "数学组", "英语组") if group in line}
        assert len(starts) == 1


@aio
async def test_new_visit_from_member_with_cap_warning(ledger, people):
    async with running(ledger) as (app, pilot):
        await pilot.press("2", "slash")
        await type_text(pilot, "zengxm")
        await pilot.press("enter", "v")
        form = app.screen
        assert isinstance(form, RecordForm) and form.kind == "visit"
        assert "曾小明" in str(form.query_one("#form-note").render())
        assert form.raw_values()["date"] == "2025-09-20"
        form.set_value("reason", "生病住院")
        form.query_one("#f-amount").focus()
        await type_text(pilot, "1200")
        await pilot.pause()
        hint = str(form.query_one("#form-hint-line").render())
        assert "“生病住院”上限 1000.00 元" in hint and "2025 年第 1 次（每年最多 2 次）" in hint
        assert "超过“生病住院”的上限 1000.00 元" in hint  # shown while typing, before any save
        await pilot.press("ctrl+s")  # over the cap: an approver is required first
        await settle(app, pilot)
        assert app.screen is form and ledger.records("visit") == []
        assert "须填写审批人" in str(form.query_one("#e-approver").render())
        assert app.focused is form.query_one("#f-approver")
        await type_text(pilot, "李主席")
        await pilot.press("ctrl+s")  # then the question, answered no: nothing saved, the form stays
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen) and "仍要保存" in app.screen.question
        await pilot.press("n")
        await settle(app, pilot)
        assert app.screen is form and ledger.records("visit") == []
        await pilot.press("ctrl+s", "y")
        await settle(app, pilot)
        (visit,) = ledger.records("visit")
        assert visit["member_id"] == people["曾小明"] and visit["amount"] == 120000
        assert visit["member_name"] == "曾小明" and visit["approver"] == "李主席"
        assert "1200" in str(app.query_one("#member-detail-text").render())
        await pilot.press("4")
        summary = str(app.query_one("#visit-summary").render())
        assert "1 次" in summary and "1,200.00" in summary


@aio
async def test_visit_from_visits_tab_picks_member_and_filters(ledger, people):
    ledger.add("visit", {"member_id": people["张三"], "date": "2024-02-01", "reason": "送温暖", "amount": "300",
                         "fund_source": "上级工会"})
    async with running(ledger) as (app, pilot):
        await pilot.press("4", "a")
        assert isinstance(app.screen, MemberPicker)
        await type_text(pilot, "wkn")
        await pilot.press("enter")
        form = app.screen
        assert isinstance(form, RecordForm) and "王困难" in str(form.query_one("#form-note").render())
        form.set_value("reason", "经济困难")
        form.query_one("#f-amount").focus()
        await type_text(pilot, "500")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        table = app.query_one("#visit-table", RecordTable)
        assert len(table.rows) == 2
        await pilot.press("y")  # newest year first
        assert [v["member_name"] for v in table.rows] == ["王困难"]
        await pilot.press("y", "r")  # 2024, then reason 生病住院: nothing
        assert table.rows == []
        assert "0.00" in str(app.query_one("#visit-summary").render())


@aio
async def test_calendar_add_event_with_lunar_recurrence_and_attendance(ledger, people):
    async with running(ledger) as (app, pilot):
        await pilot.press("3")
        grid = app.query_one("#cal-grid")
        assert grid.day == TODAY
        for _ in range(2):
            await pilot.press("pagedown")  # November
        await pilot.press("pageup")  # October
        grid.day = dt.date(2025, 10, 6)  # 中秋 2025 (八月十五)
        await pilot.pause()
        await pilot.press("a")
        form = app.screen
        assert form.raw_values()["date"] == "2025-10-06"
        await type_text(pilot, "中秋联欢")
        form.set_value("recurrence", "每年农历")
        await pilot.pause()
        assert "八月十五" in str(form.query_one("#form-hint-line").render())
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        (event,) = ledger.records("event")
        assert event["recurrence"] == "每年农历"
        agenda = app.query_one("#cal-agenda", RecordTable)
        assert [(o.date, e["title"]) for o, e in agenda.rows] == [(dt.date(2025, 10, 6), "中秋联欢")]
        # next year it falls on 2026-09-25, the next 八月十五
        for _ in range(11):
            await pilot.press("pagedown")
        assert grid.day.month == 9 and grid.day.year == 2026
        assert [o.date for o, _ in agenda.rows] == [dt.date(2026, 9, 25)]
        # attendance: mark two members
        await pilot.press("p")
        picker = app.screen
        assert isinstance(picker, MemberPicker) and picker.multi
        await type_text(pilot, "zs")
        await pilot.press("down", "space")
        picker.query_one("#picker-search").value = ""
        await pilot.press("slash")  # ignored in the table; search again
        picker.query_one("#picker-search").focus()
        await type_text(pilot, "曾")
        await pilot.press("down", "space", "ctrl+s")
        await settle(app, pilot)
        from domain.occurrences import attendees_of

        saved = ledger.get("event", event["id"])
        assert set(attendees_of(saved, dt.date(2026, 9, 25))) == {people["张三"], people["曾小明"]}
        assert attendees_of(saved, dt.date(2025, 10, 6)) == []  # 2025's 中秋 is another occurrence
        assert agenda.rows[0][0].attendees and "2" in row_texts(agenda)[0]
        await pilot.press("pageup")  # 2025's September has none; its October occurrence shows 0 people
        grid.day = dt.date(2025, 10, 6)
        await pilot.pause()
        assert agenda.rows[0][0].attendees == ()
        await pilot.press("x")  # cancel this one occurrence
        await settle(app, pilot)
        saved = ledger.get("event", event["id"])
        assert saved["occurrences"]["2025-10-06"]["cancelled"] is True
        assert "✕中秋联欢" in row_texts(agenda)[0] and grid.counts.get(dt.date(2025, 10, 6)) is None


@aio
async def test_home_items_lead_to_record_and_prefilled_visit(ledger, people):
    async with running(ledger) as (app, pilot):
        table = app.query_one("#home-table", RecordTable)
        kinds = [d.kind for d in table.rows]
        assert "holiday" in kinds and "hardship" in kinds
        targets = str(app.query_one("#home-targets").render())
        assert "建档率 1/1" in targets and "帮困率 0/1" in targets
        index = kinds.index("hardship")
        table.cursor = index
        await pilot.press("v")
        form = app.screen
        assert isinstance(form, RecordForm) and form.raw_values()["reason"] == "经济困难"
        assert "王困难" in str(form.query_one("#form-note").render())
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert len(ledger.records("visit")) == 1
        assert "帮困率 1/1" in str(app.query_one("#home-targets").render())
        assert "hardship" not in [d.kind for d in table.rows]
        # Enter on a holiday opens the calendar on its day
        table.cursor = [d.kind for d in table.rows].index("holiday")
        day = table.current.date
        await pilot.press("enter")
        assert app.query_one("#tabs").active == "calendar" and app.query_one("#cal-grid").day == day
        # Enter on a member's item opens the member
        await pilot.press("1")
        table.cursor = [d.kind for d in table.rows].index("birthday") if "birthday" in \
            [d.kind for d in table.rows] else table.cursor
        app.open_member(people["曾小明"])
        await pilot.pause()
        assert app.query_one("#member-table", RecordTable).current["name"] == "曾小明"


@aio
async def test_help_palette_and_keys(ledger, people):
    async with running(ledger) as (app, pilot):
        await pilot.press("2", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("VerticalScroll Static").render())
        assert "新增" in text and "撤销" in text and "拼音" not in text[:0]
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for name in ("撤销", "帮助", "会员：新增", "会员：新慰问", "日历：参加人", "慰问：经费筛选", "首页：新慰问"):
            assert name in titles, name
        # no binding on keys terminals send for backspace, enter, tab
        for node in (app, *app.query("*")):
            assert not {"ctrl+h", "ctrl+m", "ctrl+i"} & set(node._bindings.key_to_bindings)
        # every action shown has a key in the footer
        await pilot.press("ctrl+p")
        await pilot.pause()
        from textual.command import CommandPalette

        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")


@aio
async def test_english_on_request(ledger, people):
    set_language("en")
    async with running(ledger) as (app, pilot):
        await pilot.press("2")
        assert "Search" in app.query_one("#member-search").placeholder
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Members: Add" in titles
        await pilot.press("f9")  # the language setting switches at once
        await settle(app, pilot)
        assert "搜索" in app.query_one("#member-search").placeholder
        assert app.query_one("#tabs").active == "members"


@aio
async def test_f9_relabels_the_status_line_too(ledger, people):
    async with running(ledger) as (app, pilot):
        status = app.query_one("#status")
        assert "会员 4" in str(status.render()) and "尚未同步" in str(status.render())
        await pilot.press("f9")
        await settle(app, pilot)
        status = app.query_one("#status")
        assert "4 members" in str(status.render()) and "never synced" in str(status.render())
        assert not any(ch in str(status.render()) for ch in "会员尚未同步")


@aio
async def test_over_cap_rows_are_marked_and_counted_on_home(ledger, people):
    zeng = people["曾小明"]
    for date in ("2025-02-01", "2025-05-01", "2025-08-01"):  # the third is over the yearly limit of 2
        ledger.add("visit", {"member_id": zeng, "date": date, "reason": "生病住院", "amount": "300"})
    ledger.add("visit", {"member_id": people["张三"], "date": "2025-03-01", "reason": "生病住院", "amount": "5000"})
    async with running(ledger) as (app, pilot):
        assert "超上限慰问 2 次" in str(app.query_one("#home-targets").render())
        await pilot.press("4")
        table = app.query_one("#visit-table", RecordTable)
        marked = [(r["date"], "超限" in line) for r, line in zip(table.rows, row_texts(table))]
        assert marked == [("2025-08-01", True), ("2025-05-01", False), ("2025-03-01", True), ("2025-02-01", False)]
        assert "超限 2" in str(app.query_one("#visit-summary").render())


@aio
async def test_duplicates_before_the_save(ledger, people):
    ledger.add("member", {"name": "赵六", "id_number": "11010519491231002X", "union_group": "体育组"})
    async with running(ledger) as (app, pilot):
        await pilot.press("2", "a")
        form = app.screen
        await type_text(pilot, "赵陆")
        form.query_one("#f-id_number").focus()
        await type_text(pilot, "11010519491231002X")
        await pilot.press("ctrl+s")  # one person, one record: refused, naming the existing one
        await settle(app, pilot)
        assert app.screen is form and ledger.count("member") == 5
        assert "赵六" in str(form.query_one("#e-id_number").render())
        form.query_one("#f-id_number").value = ""
        form.query_one("#f-name").value = "张三"
        form.query_one("#f-phone").focus()
        await type_text(pilot, "13800138000")
        await pilot.press("ctrl+s")  # same name and phone: a question showing the existing record
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "同名同手机" in app.screen.question and "语文组" in app.screen.question
        await pilot.press("y")
        await settle(app, pilot)
        assert ledger.count("member") == 6


@aio
async def test_forms_arrows_move_between_fields_and_escape_asks(ledger, people):
    async with running(ledger) as (app, pilot):
        await pilot.press("2", "a")
        form = app.screen
        assert app.focused is form.query_one("#f-name")
        await pilot.press("down", "down")
        assert app.focused is form.query_one("#f-birth_date")
        await pilot.press("up")
        assert app.focused is form.query_one("#f-gender")
        await pilot.press("escape")  # nothing typed: leaves at once
        assert not isinstance(app.screen, RecordForm)
        await pilot.press("a")
        form = app.screen
        await type_text(pilot, "孙七")
        await pilot.press("escape")  # something typed: asks first
        assert isinstance(app.screen, ConfirmScreen) and "姓名" in app.screen.question
        await pilot.press("n")
        assert app.screen is form and form.raw_values()["name"] == "孙七"
        await pilot.press("escape", "y")
        assert not isinstance(app.screen, (RecordForm, ConfirmScreen)) and ledger.count("member") == 4


@aio
async def test_cursor_on_the_new_record_undo_says_what_and_redo(ledger, people):
    async with running(ledger) as (app, pilot):
        await pilot.press("2", "a")
        await type_text(pilot, "孙七")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        table = app.query_one("#member-table", RecordTable)
        assert table.current["name"] == "孙七"  # e now edits the new member, not the previous one
        rid = table.current["id"]
        await pilot.press("u")
        await settle(app, pilot)
        assert ledger.get("member", rid) is None
        assert "已撤销新增会员“孙七”（R 重做）" in [n.message for n in app._notifications]
        await pilot.press("R")
        await settle(app, pilot)
        assert ledger.get("member", rid)["name"] == "孙七"
        assert "已重做：新增会员“孙七”" in [n.message for n in app._notifications]
        await pilot.press("e")
        app.screen.query_one("#f-notes").focus()
        await type_text(pilot, "新会员")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("u")
        await settle(app, pilot)
        assert "已撤销修改会员“孙七”（R 重做）" in [n.message for n in app._notifications]
        assert ledger.get("member", rid)["notes"] == ""
        await pilot.press("ctrl+y")
        await settle(app, pilot)
        assert ledger.get("member", rid)["notes"] == "新会员"
        await pilot.press("R")  # nothing left to redo
        await settle(app, pilot)
        assert "没有可重做的操作" in [n.message for n in app._notifications]


@aio
async def test_palette_finds_actions_by_pinyin(ledger, people):
    from textual.command import CommandList

    from tui.palette import pinyin_match

    assert pinyin_match("xz", "新增") and pinyin_match("xinzeng", "会员：新增") and pinyin_match("hyxz", "会员：新增")
    assert not pinyin_match("xz", "删除")
    async with running(ledger) as (app, pilot):
        for query in ("xz", "xinzeng", "新增"):
            await pilot.press("ctrl+p")
            await pilot.pause()
            palette = app.screen
            assert "拼音" in palette.query_one("CommandInput").placeholder
            await type_text(pilot, query)
            await pilot.pause(0.5)
            await app.workers.wait_for_complete()
            await pilot.pause()
            found = [str(o.prompt) for o in palette.query_one(CommandList).options]
            assert any("新增" in f for f in found), (query, found)
            assert not any("删除" in f for f in found), (query, found)
            await pilot.press("escape")
            await pilot.pause()


@aio
async def test_home_targets_explain_themselves(ledger, people):
    from tui.targets_screen import TargetsScreen

    async with running(ledger) as (app, pilot):
        assert "t 看各项怎么算" in str(app.query_one("#home-targets").render())
        await pilot.press("t")
        assert isinstance(app.screen, TargetsScreen)
        text = str(app.screen.query_one("#targets-text").render())
        assert "帮困率 0/1" in text and "当年至少慰问过一次的困难职工" in text
        helped = text[text.index("帮困率"):text.index("会费收缴率")]
        assert "尚未计入（1 人）：王困难" in helped  # the hardship member not yet helped this year
        assert "建档率 1/1" in text and "全部计入" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, TargetsScreen)


@aio
async def test_edit_one_occurrence_or_this_and_following(ledger, people):
    from domain.recurrence import event_occurrences
    from tui.occurrence_edit import ScopeScreen

    e = ledger.add("event", {"title": "基本功训练", "date": "2025-07-14", "recurrence": "每月", "location": "会议室"})
    async with running(ledger) as (app, pilot):
        app.open_date(dt.date(2025, 9, 14), e["id"])
        await pilot.pause()
        await pilot.press("e")
        assert isinstance(app.screen, ScopeScreen)
        await pilot.press("1")  # this one: moved to the 16th, in the hall
        form = app.screen
        assert isinstance(form, RecordForm) and [f.name for f in form.fields] == \
            ["date", "location", "start_time", "end_time"]
        form.query_one("#f-date").value = "2025-09-16"
        form.query_one("#f-location").value = "礼堂"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        saved = ledger.get("event", e["id"])
        assert event_occurrences(saved, dt.date(2025, 8, 1), dt.date(2025, 10, 31)) == \
            [dt.date(2025, 8, 14), dt.date(2025, 9, 16), dt.date(2025, 10, 14)]
        assert saved["location"] == "会议室" and saved["occurrences"]["2025-09-14"]["location"] == "礼堂"
        app.open_date(dt.date(2025, 10, 14), e["id"])
        await pilot.pause()
        await pilot.press("e", "2")  # this and following: from October on at 16:00
        form = app.screen
        form.query_one("#f-start_time").value = "16:00"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        old = ledger.get("event", e["id"])
        (new,) = [x for x in ledger.records("event") if x["id"] != e["id"]]
        assert old["until"] == "2025-10-13" and new["date"] == "2025-10-14" and new["start_time"] == "16:00"
        assert event_occurrences(new, dt.date(2025, 10, 1), dt.date(2025, 11, 30)) == \
            [dt.date(2025, 10, 14), dt.date(2025, 11, 14)]
