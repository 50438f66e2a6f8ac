"""The attendance picker as officers use it: type to filter, Space ticks, Enter confirms."""

from __future__ import annotations

import datetime as dt

from domain.occurrences import attendees_of
from tests.test_tui_flows import aio, people, running, settle, type_text  # noqa: F401  (people: fixture)
from tui.dialogs import MemberPicker


async def open_picker(app, pilot):
    await pilot.press("3", "p")
    assert isinstance(app.screen, MemberPicker) and app.screen.multi
    return app.screen


@aio
async def test_space_in_the_search_box_ticks_the_highlighted_member(ledger, people):
    event = ledger.add("event", {"title": "教师节", "date": "2025-09-20"})
    async with running(ledger) as (app, pilot):
        picker = await open_picker(app, pilot)
        search = picker.query_one("#picker-search")
        assert picker.focused is search
        await type_text(pilot, "zs")
        await pilot.press("space")
        assert search.value == "zs" and list(picker.chosen) == [people["张三"]]
        await pilot.press("space")  # unticks
        assert picker.chosen == {}
        await pilot.press("space", "backspace", "backspace")
        await type_text(pilot, "zxm")
        await pilot.press("space")
        assert search.value == "zxm" and set(picker.chosen) == {people["张三"], people["曾小明"]}
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        saved = ledger.get("event", event["id"])
        assert set(attendees_of(saved, dt.date(2025, 9, 20))) == {people["张三"], people["曾小明"]}


def footer_keys(screen) -> list[tuple[str, str]]:
    from textual.widgets._footer import FooterKey

    return [(k.key_display, k.description) for k in screen.query(FooterKey)]


@aio
async def test_the_pickers_footer_shows_only_its_own_keys_and_enter_confirms(ledger, people):
    event = ledger.add("event", {"title": "教师节", "date": "2025-09-20"})
    async with running(ledger) as (app, pilot):
        picker = await open_picker(app, pilot)
        await pilot.pause()
        assert footer_keys(picker) == [("Space", "勾选"), ("Enter", "确定"), ("Esc", "取消")]
        await pilot.press("down")  # into the list: the same keys
        await pilot.pause()
        assert footer_keys(picker) == [("Space", "勾选"), ("Enter", "确定"), ("Esc", "取消")]
        await pilot.press("space", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, MemberPicker)
        (ticked,) = attendees_of(ledger.get("event", event["id"]), dt.date(2025, 9, 20))
        assert ticked in people.values()
        # one member (a visit): no ticks; Enter takes the highlighted one
        await pilot.press("4", "a")
        picker = app.screen
        await pilot.pause()
        assert isinstance(picker, MemberPicker) and not picker.multi
        assert footer_keys(picker) == [("Enter", "确定"), ("Esc", "取消")]
        await type_text(pilot, "zs")
        await pilot.press("enter")
        await pilot.pause()
        assert "张三" in str(app.screen.query_one("#form-note").render())
