"""Textual's own English lines come from the catalogs: the Select menu's Esc, the palette's no-matches line."""

from __future__ import annotations

from domain.i18n import set_language
from tests.test_tui_flows import aio, people, running, settle, type_text  # noqa: F401  (people: fixture)


def footer_descriptions(screen) -> list[str]:
    from textual.widgets._footer import FooterKey

    return [k.description for k in screen.query(FooterKey)]


@aio
async def test_the_export_formats_menu_says_its_esc_in_chinese(ledger, people):
    async with running(ledger) as (app, pilot):
        await pilot.press("2", "o")
        await settle(app, pilot)
        screen = app.screen
        select = screen.query_one("#export-format")
        select.focus()
        await pilot.press("enter")  # opens the menu
        await pilot.pause()
        assert select.expanded
        shown = footer_descriptions(screen)
        assert "收起列表" in shown and "Dismiss menu" not in shown, shown
        await pilot.press("escape")
        await pilot.pause()
        assert not select.expanded and app.screen is screen


async def no_matches_line(app, pilot) -> str:
    from textual.command import CommandList

    await pilot.press("ctrl+p")
    await pilot.pause()
    await type_text(pilot, "qqqqzzzz")
    for _ in range(20):  # Textual shows it half a second after the search found nothing
        await pilot.pause(0.1)
        results = app.screen.query_one(CommandList)
        if results.option_count:
            break
    return " ".join(str(results.get_option_at_index(i).prompt.renderable) for i in range(results.option_count))


@aio
async def test_the_palette_says_no_matches_in_the_users_language(ledger, people):
    async with running(ledger) as (app, pilot):
        text = await no_matches_line(app, pilot)
        assert "没有找到匹配的命令" in text and "No matches" not in text, text
    set_language("en")
    try:
        async with running(ledger) as (app, pilot):
            assert "No matching command" in await no_matches_line(app, pilot)
    finally:
        set_language("zh")
