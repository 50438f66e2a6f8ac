"""The status line at 80 columns: it shortens and drops parts, never a count's number."""

from __future__ import annotations

from rich.cells import cell_len

from domain.i18n import set_language
from sync.ledger_state import CONFLICTS, record_last
from sync.problems import PROBLEMS
from tests.test_tui_flows import TODAY, aio, people  # noqa: F401  (people: fixture)
from tests.tui_waits import loaded, settle
from tui.app import LedgerApp
from tui.status_line import Part, fit


def test_fit_shortens_the_least_important_first_then_drops_whole_parts():
    parts = [Part("demo.json", rank=2), Part("会员 60", rank=4), Part("上次同步 09:30", "同步 09:30", 5),
             Part("表格可连接", rank=1), Part("待同步 182 条", "待同步 182", 6)]
    full = "demo.json · 会员 60 · 上次同步 09:30 · 表格可连接 · 待同步 182 条"
    assert fit(parts, 80) == full
    assert fit(parts, cell_len(full) - 1) == "demo.json · 会员 60 · 同步 09:30 · 表格可连接 · 待同步 182 条"
    assert fit(parts, 45) == "demo.json · 会员 60 · 同步 09:30 · 待同步 182"
    assert fit(parts, 44) == fit(parts, 33) == "会员 60 · 同步 09:30 · 待同步 182"
    assert fit(parts, 32) == "同步 09:30 · 待同步 182"
    assert fit(parts, 12) == "待同步 182"
    assert fit(parts, 5) == ""


def busy(ledger) -> None:
    """A ledger whose sync side is long: synced, reachable, changes waiting, conflicts, sheet problems."""
    record_last(ledger, ok=True)
    with ledger.transaction() as tx:
        for i in range(12):
            tx.kv_put(CONFLICTS, f"member:x{i}:phone", {"mine": "1", "theirs": "2"})
        for i in range(3):
            tx.kv_put(PROBLEMS, f"p{i}", {"sheet": "会员", "row": i})


async def visible_status(ledger, width: int) -> str:
    app = LedgerApp(ledger=ledger, today=TODAY)
    async with app.run_test(size=(width, 24)) as pilot:
        await loaded(app, pilot)
        status = app.query_one("#status")
        return status.render_line(0).text.strip(), str(status.render())


@aio
async def test_at_80_columns_every_count_shown_is_whole(ledger, people):
    busy(ledger)
    for lang, counts in (("zh", ["冲突 12", "问题 3", "待同步 4"]), ("en", ["12 conflicts", "3 problems", "4 waiting"])):
        set_language(lang)
        try:
            seen, text = await visible_status(ledger, 80)
        finally:
            set_language("zh")
        assert seen == text and cell_len(text) <= 78, text  # nothing cut off at the edge
        for count in counts:
            assert count in text, (count, text)


@aio
async def test_at_120_columns_the_line_is_in_full(ledger, people):
    busy(ledger)
    seen, text = await visible_status(ledger, 120)
    assert "会员 4" in text and "表格可连接" in text and "待同步 4 条" in text and "冲突 12 处" in text
    assert "表格问题 3 处" in text and seen == text


@aio
async def test_the_line_is_fitted_again_when_the_terminal_is_resized(ledger, people):
    busy(ledger)
    app = LedgerApp(ledger=ledger, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(app, pilot)
        status = app.query_one("#status")
        assert "表格可连接" not in str(status.render())
        await pilot.resize_terminal(120, 35)
        await settle(app, pilot)
        assert "表格可连接" in str(status.render()) and "待同步 4 条" in str(status.render())
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        assert "表格可连接" not in str(status.render()) and cell_len(str(status.render())) <= 78
