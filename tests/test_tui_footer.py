"""The footer shows only keys that fit whole, and chooses again when the width changes."""

from __future__ import annotations

import asyncio
import datetime as dt

from rich.cells import cell_len
from textual.widgets._footer import FooterKey

from domain.store import Ledger
from tests.tui_waits import loaded
from tui.app import LedgerApp
from tui.footer import FittingFooter, _width


def shown_keys(app) -> list[FooterKey]:
    return list(app.query_one(FittingFooter).query(FooterKey))


def test_footer_fits_each_width_and_follows_a_resize(tmp_path):
    async def run():
        with Ledger.open(tmp_path / "l.json", school="莲峰小学") as ledger:
            app = LedgerApp(ledger=ledger, today=dt.date(2025, 9, 20))
            async with app.run_test(size=(140, 30)) as pilot:
                await loaded(app, pilot)
                await pilot.press("2")
                await pilot.pause()
                wide = [k.action for k in shown_keys(app)]
                for width in (80, 140):
                    await pilot.resize_terminal(width, 30)
                    await pilot.pause()
                    await pilot.pause()
                    keys = shown_keys(app)
                    assert sum(_width(k) for k in keys) <= width
                    assert all(cell_len(k.description) for k in keys if k.description)
                    if width == 80:
                        assert len(keys) < len(wide), "a narrower screen shows fewer keys"
                        assert "help" in {k.action.split(".")[-1] for k in keys}
                    else:
                        assert [k.action for k in keys] == wide, "the wide footer comes back"

    asyncio.run(run())
