"""Charts on Home: the figures, the bars' alignment by display width, and a
snapshot of the widget (regenerate with --snapshot-update, look at the SVG)."""

from __future__ import annotations

import datetime as dt

from rich.cells import cell_len
from textual.app import App, ComposeResult

from domain.reports.figures import visit_figures
from tui.charts import HomeCharts, bar, month_lines, reason_lines

TODAY = dt.date(2025, 9, 20)


def _visits():
    rows = []
    for i in range(30):
        month = 1 + i % 9
        rows.append({"date": f"2025-{month:02d}-{1 + i % 27:02d}", "amount": 10000 * (1 + i % 5),
                     "reason": ("生病住院", "经济困难", "送温暖", "其他")[i % 4]})
    rows.append({"date": "2024-11-03", "amount": 50000, "reason": "退休"})  # last year: sparkline only
    rows.append({"date": "2024-09-03", "amount": 50000, "reason": "退休"})  # 13 months back: nowhere
    return rows


def test_figures():
    f = visit_figures(_visits(), TODAY, ("经济困难", "生病住院"))
    assert [n for n, _ in f.by_month] == [4, 4, 4, 3, 3, 3, 3, 3, 3, 0, 0, 0]
    assert sum(fen for _, fen in f.by_month) == sum(v["amount"] for v in _visits()[:30])
    assert f.by_reason[:2] == (("经济困难", 8), ("生病住院", 8))  # a tie: the configured order
    assert f.last_twelve == (0, 1, 0, 4, 4, 4, 3, 3, 3, 3, 3, 3)  # 2024-10 .. 2025-09


def test_bar_lengths():
    assert bar(10, 10, 8) == "█" * 8
    assert bar(5, 10, 8) == "████    "
    assert bar(1, 1000, 8).startswith("▏")  # a small figure still shows
    assert bar(0, 10, 8) == " " * 8 and bar(3, 0, 4) == "    "
    assert all(cell_len(bar(v, 7, 12)) == 12 for v in range(8))


def test_bars_start_in_one_column_whatever_the_label():
    f = visit_figures(_visits() + [{"date": "2025-02-01", "reason": "特殊灾害", "amount": 1}], TODAY)
    lines = reason_lines(f).plain.splitlines()[1:]
    starts = {cell_len(line[: next(i for i, c in enumerate(line) if c in "█▏▎▍▌▋▊▉")]) for line in lines}
    assert len(starts) == 1
    months = month_lines(f).plain.splitlines()[1:]
    assert len(months) == 12 and len({cell_len(m) for m in months}) == 1  # figures right-aligned too
    assert "4 人次" in months[0] and "元" in months[0]


class ChartApp(App):
    def compose(self) -> ComposeResult:
        yield HomeCharts()

    def on_mount(self) -> None:
        self.query_one(HomeCharts).show(visit_figures(_visits(), TODAY), TODAY)


def test_snapshot(snap_compare):
    assert snap_compare(ChartApp(), terminal_size=(100, 16))
