"""SVG snapshots of each screen at 100x30: Chinese, and one in English.

Regenerate with ``pytest tests/test_tui_snapshots.py --snapshot-update``
and look at the SVGs in ``tests/__snapshots__`` before committing them.
"""

from __future__ import annotations

import datetime as dt

import pytest

from domain.i18n import set_language
from domain.store import Ledger

TODAY = dt.date(2025, 9, 20)
SIZE = (100, 30)
STAMP = "2025-09-01T09:00:00+08:00"


@pytest.fixture
def demo(tmp_path, monkeypatch):
    import domain.demo
    import domain.store

    monkeypatch.setattr(domain.store, "now_stamp", lambda: STAMP)
    monkeypatch.setattr(domain.demo, "now_stamp", lambda: STAMP)
    path = tmp_path / "demo.json"
    domain.demo.make_demo_ledger(path, year=2025, seed=2025)
    with Ledger.open(path) as ledger:
        yield ledger


def make_app(ledger):
    from tui.app import LedgerApp

    app = LedgerApp(ledger=ledger, today=TODAY)
    app.animation_level = "none"
    return app


def keys(*pressed, then=None):
    async def run_before(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press(*pressed)
        if then is not None:
            await then(pilot)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    return run_before


def test_home(snap_compare, demo):
    assert snap_compare(make_app(demo), terminal_size=SIZE, run_before=keys())


def test_members(snap_compare, demo):
    assert snap_compare(make_app(demo), terminal_size=SIZE, run_before=keys("2", "down", "down"))


def test_members_search_pinyin(snap_compare, demo):
    assert snap_compare(make_app(demo), terminal_size=SIZE, run_before=keys("2", "slash", "z", "h"))


def test_member_form(snap_compare, demo):
    async def invalid_phone(pilot):
        form = pilot.app.screen
        form.query_one("#f-phone").focus()
        await pilot.press(*"1381234")

    assert snap_compare(make_app(demo), terminal_size=SIZE,
                        run_before=keys("2", "a", *"翟子涵", then=invalid_phone))


def test_calendar(snap_compare, demo):
    assert snap_compare(make_app(demo), terminal_size=SIZE, run_before=keys("3", "pagedown", "right"))


def test_visits(snap_compare, demo):
    assert snap_compare(make_app(demo), terminal_size=SIZE, run_before=keys("4"))


def test_visit_form_cap_warning(snap_compare, demo):
    async def amount(pilot):
        form = pilot.app.screen
        form.set_value("reason", "生病住院")
        form.query_one("#f-amount").focus()
        await pilot.press(*"1500")

    assert snap_compare(make_app(demo), terminal_size=SIZE, run_before=keys("2", "v", then=amount))


def test_attendance(snap_compare, demo):
    assert snap_compare(make_app(demo), terminal_size=SIZE, run_before=keys("3", "tab", "p", "down", "space",
                                                                            "down", "space"))


def test_help(snap_compare, demo):
    assert snap_compare(make_app(demo), terminal_size=SIZE, run_before=keys("2", "question_mark"))


def test_members_english(snap_compare, demo):
    set_language("en")
    assert snap_compare(make_app(demo), terminal_size=SIZE, run_before=keys("2"))
