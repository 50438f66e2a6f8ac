"""SVG snapshots of each screen at 80x24 and 120x35: Chinese, and the members in English.

Regenerate with ``pytest tests/test_tui_snapshots.py --snapshot-update``
and look at the SVGs in ``tests/__snapshots__`` before committing them.
"""

from __future__ import annotations

import datetime as dt

import pytest

from domain.i18n import set_language
from tests.tui_waits import loaded
from domain.store import Ledger

TODAY = dt.date(2025, 9, 20)
SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 35)], ids=["80x24", "120x35"])
STAMP = "2025-09-01T09:00:00+08:00"


SURNAMES = "张王李刘陈杨曾单区仇翟解查欧阳"
GIVEN = ("伟", "芳", "秀英", "建华", "小红", "志强", "长江", "淑珍", "国庆", "海燕")
GROUPS = ("语文组", "数学组", "英语组", "综合组", "行政后勤组")


def build(ledger) -> None:
    """A small ledger made here, not by domain/demo.py, so the pictures change only with the TUI."""
    import random

    rng = random.Random(7)
    members = []
    for i in range(40):
        surname = "欧阳" if i % 13 == 5 else SURNAMES[i % 13]
        values = {"name": surname + GIVEN[(i * 7) % len(GIVEN)], "gender": "男女"[i % 2],
                  "birth_date": f"{1960 + i % 35}-{1 + i % 12:02d}-{1 + (i * 3) % 28:02d}",
                  "phone": f"13{rng.randrange(10**9):09d}", "union_group": GROUPS[i % 5],
                  "joined_date": f"{1990 + i % 30}-09-01", "dues_paid_year": "2025" if i % 6 else "2024",
                  "birthday_calendar": "农历" if i % 4 == 0 else "公历"}
        if i % 9 == 0:
            values |= {"employment": "退休", "status": "保留会籍", "retired_date": "2020-07-01"}
        if i % 8 == 3:
            values |= {"hardship": "低保户", "hardship_opened": "2025-01-10" if i % 16 == 3 else ""}
        if i % 10 == 7:
            values["health"] = "住院"
        if i == 1:
            values["name"] = "[b]王小明[/b]"
        members.append(ledger.add("member", values))
    for title, date, category, rule in (
            ("教师节庆祝", "2024-09-10", "节日活动", "每年公历"), ("中秋节联欢", "2024-09-17", "节日活动", "每年农历"),
            ("重阳节关心退休老教师", "2024-10-11", "慰问活动", "每年农历"), ("政治学习", "2025-01-07", "培训学习", "每两周"),
            ("基本功训练", "2025-01-14", "培训学习", "每月"), ("退休教师座谈会", "2025-03-05", "会议", "每学期"),
            ("国庆文艺汇演", "2025-09-28", "节日活动", "不重复")):
        participants = ",".join(m["id"] for m in members[:: 3]) if rule == "每年公历" else ""
        ledger.add("event", {"title": title, "date": date, "category": category, "recurrence": rule,
                             "location": "多功能厅", "participants": participants})
    reasons = ("生病住院", "经济困难", "结婚生育", "节日慰问", "送温暖", "大病救助")
    funds = ("工会经费", "爱心互助基金", "上级工会")
    for i in range(30):
        m = members[(i * 7) % len(members)]
        ledger.add("visit", {"member_id": m["id"], "date": f"2025-{1 + i % 9:02d}-{1 + (i * 5) % 27:02d}",
                             "reason": reasons[i % 6], "amount": str(100 * (2 + i % 9)),
                             "fund_source": funds[i % 3], "visitors": "工会主席、" + m["union_group"] + "组长"})


@pytest.fixture
def demo(tmp_path, monkeypatch):
    import domain.journal
    import domain.store
    import domain.transaction

    # Every module that took its own name for the clock: the pictures must not show the day they were made.
    for module in (domain.journal, domain.transaction, domain.store):
        monkeypatch.setattr(module, "now_stamp", lambda: STAMP)
    with Ledger.open(tmp_path / "demo.json", school="莲峰小学") as ledger:
        build(ledger)
        yield ledger


def make_app(ledger):
    from tui.app import LedgerApp

    app = LedgerApp(ledger=ledger, today=TODAY)
    app.animation_level = "none"
    return app


def keys(*pressed, then=None):
    async def run_before(pilot):
        await loaded(pilot.app, pilot)
        await pilot.press(*pressed)
        if then is not None:
            await then(pilot)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    return run_before


@SIZES
def test_home(snap_compare, demo, size):
    assert snap_compare(make_app(demo), terminal_size=size, run_before=keys())


@SIZES
def test_members(snap_compare, demo, size):
    assert snap_compare(make_app(demo), terminal_size=size, run_before=keys("2", "down", "down"))


@SIZES
def test_members_search_pinyin(snap_compare, demo, size):
    assert snap_compare(make_app(demo), terminal_size=size, run_before=keys("2", "slash", "z", "h"))


@SIZES
def test_member_form(snap_compare, demo, size):
    async def invalid_phone(pilot):
        form = pilot.app.screen
        for field in form.query("Input"):
            field.cursor_blink = False  # a blinking cursor made the picture differ one run in three
        form.query_one("#f-phone").focus()
        await pilot.press(*"1381234")

    assert snap_compare(make_app(demo), terminal_size=size,
                        run_before=keys("2", "a", *"翟子涵", then=invalid_phone))


@SIZES
def test_calendar(snap_compare, demo, size):
    assert snap_compare(make_app(demo), terminal_size=size, run_before=keys("3", "pagedown", "right"))


@SIZES
def test_visits(snap_compare, demo, size):
    assert snap_compare(make_app(demo), terminal_size=size, run_before=keys("4"))


@SIZES
def test_visit_form_cap_warning(snap_compare, demo, size):
    async def amount(pilot):
        form = pilot.app.screen
        for field in form.query("Input"):
            field.cursor_blink = False
        form.set_value("reason", "生病住院")
        form.query_one("#f-amount").focus()
        await pilot.press(*"1500")

    assert snap_compare(make_app(demo), terminal_size=size, run_before=keys("2", "v", then=amount))


@SIZES
def test_attendance(snap_compare, demo, size):
    assert snap_compare(make_app(demo), terminal_size=size, run_before=keys("3", "tab", "p", "down", "space",
                                                                            "down", "space"))


@SIZES
def test_help(snap_compare, demo, size):
    assert snap_compare(make_app(demo), terminal_size=size, run_before=keys("2", "question_mark"))


@SIZES
def test_members_english(snap_compare, demo, size):
    set_language("en")
    assert snap_compare(make_app(demo), terminal_size=size, run_before=keys("2"))


@SIZES
def test_conflict_screen(snap_compare, demo, size):
    member = next(m for m in demo.records("member") if m["name"] == "张伟")
    with demo.transaction() as tx:
        tx.kv_put("_conflicts", f"member:{member['id']}:phone",
                  {"kind": "member", "id": member["id"], "field": "phone", "label": "手机",
                   "mine": "13900139000", "theirs": "13700137000", "base": member["phone"], "at": STAMP})
    assert snap_compare(make_app(demo), terminal_size=size, run_before=keys("c"))
