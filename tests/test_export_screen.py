"""The full-screen program's export key: what the list shows goes to a file."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import os
import stat
from python_calamine import CalamineWorkbook
from textual.widgets import Checkbox, Input, Select

from tests.export_support import fill
from tests.tui_waits import loaded


def aio(fn):
    """Run an async test in its own event loop (the project has no asyncio plugin)."""
    @functools.wraps(fn)
    def wrapper(*args, **kw):
        return asyncio.run(fn(*args, **kw))
    return wrapper


def _app(ledger):
    from tui.app import LedgerApp

    app = LedgerApp(ledger=ledger, today=dt.date(2025, 12, 31))
    app.animation_level = "none"
    return app


async def _export(app, pilot, path, fmt=None, sensitive=False):
    await pilot.press("o")
    await pilot.pause()
    screen = app.screen
    if fmt:
        screen.query_one("#export-format", Select).value = fmt
        await pilot.pause()
    if sensitive:
        screen.query_one("#export-sensitive", Checkbox).value = True
    screen.query_one("#export-path", Input).value = str(path)
    await pilot.press("ctrl+s")
    await app.workers.wait_for_complete()
    await pilot.pause()


@contextlib.asynccontextmanager
async def _on_tab(ledger, key: str):
    """The program on the test ledger, on the list of ``key``."""
    fill(ledger)
    app = _app(ledger)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(app, pilot)
        await pilot.press(key)
        yield app, pilot


def _rows(path):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


@aio
async def test_visits_list_exports_its_filtered_rows(ledger, tmp_path):
    async with _on_tab(ledger, "4") as (app, pilot):
        view = app.query_one("VisitsView")
        from domain.queries import VisitFilter

        view.filter = VisitFilter(reason="生病住院")
        view.refresh_rows()
        await _export(app, pilot, tmp_path / "sick.xlsx")
        rows = _rows(tmp_path / "sick.xlsx")
        assert len(rows) == 4 and rows[-1][0] == "合计"  # header, the two visits shown, 合计
        assert {r[0] for r in rows[1:3]} == {"王芳"}
        await _export(app, pilot, tmp_path / "签领表.pdf", fmt="signoff_pdf")
        assert (tmp_path / "签领表.pdf").read_bytes().startswith(b"%PDF")


@aio
async def test_members_with_sensitive_fields_make_a_private_file(ledger, tmp_path):
    async with _on_tab(ledger, "2") as (app, pilot):
        await _export(app, pilot, tmp_path / "m.xlsx", sensitive=True)
    path = tmp_path / "m.xlsx"
    assert "身份证号" in _rows(path)[0] and len(_rows(path)) == 4
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
