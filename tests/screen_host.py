"""A bare Textual app that shows one modal screen, for pilot tests of a screen alone."""

from __future__ import annotations

import asyncio

from textual.app import App


class Host(App):
    def __init__(self, make_screen):
        super().__init__()
        self.make_screen, self.result = make_screen, None

    def on_mount(self) -> None:
        self.push_screen(self.make_screen(), lambda value: setattr(self, "result", value))


def drive(make_screen, *keys, size=(120, 35)):
    """Press ``keys`` on the screen, then Esc; returns the app (its ``result`` is
    what the screen was dismissed with), the screen on top before Esc, and the
    rows of each DataTable then shown, as text."""
    async def go():
        app = Host(make_screen)
        async with app.run_test(size=size, notifications=True) as pilot:
            await pilot.pause()
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
            screen = app.screen
            shown = {t.id: [[str(c) for c in t.get_row_at(i)] for i in range(t.row_count)]
                     for t in screen.query("DataTable")}
            await pilot.press("escape")
            await pilot.pause()
            return app, screen, shown
    return asyncio.run(go())
