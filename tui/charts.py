"""Charts on Home: this year's visits and 慰问金 by month, visits by reason,
and a 12-month Sparkline.

Bars are block characters (eighths: ▏▎▍▌▋▊▉█) with the figure in text
beside each; labels are padded by display width (``rich.cells.cell_len``:
a Chinese character is two cells), so bars start in one column whatever
the label.  No chart library: textual-plotext's pinned plotext misaligns
Chinese labels.  The figures are counted in a worker thread.
"""

from __future__ import annotations

import datetime as dt

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Sparkline, Static

from domain.i18n import register, tr
from domain.reports.figures import VisitFigures, visit_figures

register({
    "chart.by_month": ("{year} 年每月慰问：人次 / 慰问金", "Visits in {year} by month: count / amount"),
    "chart.by_reason": ("{year} 年按慰问类别（人次）", "Visits in {year} by reason"),
    "chart.last_twelve": ("近 12 个月慰问人次（{first} 至 {last}）", "Visits, last 12 months ({first} to {last})"),
    "chart.month": ("{month}月", "{month:02d}"),
    "chart.times": ("{n} 人次", "{n}"),
    "chart.money": ("{yuan} 元", "¥{yuan}"),
    "chart.none": ("（今年还没有慰问记录）", "(no visits this year yet)"),
    "chart.blank_reason": ("（未填）", "(blank)"),
})

EIGHTHS = " ▏▎▍▌▋▊▉"
FULL = "█"
COUNT_BAR = 12
MONEY_BAR = 12
REASON_BAR = 14
MAX_REASONS = 8


def bar(value: int, top: int, width: int) -> str:
    """``value`` of ``top`` as a bar ``width`` cells long (padded); a value
    above 0 always shows at least a sliver."""
    if top <= 0 or value <= 0:
        return " " * width
    eighths = max(1, round(value * width * 8 / top))
    full, part = divmod(min(eighths, width * 8), 8)
    drawn = FULL * full + (EIGHTHS[part] if part else "")
    return drawn + " " * (width - cell_len(drawn))


def pad(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` display cells."""
    return text + " " * max(0, width - cell_len(text))


def right(text: str, width: int) -> str:
    return " " * max(0, width - cell_len(text)) + text


def month_lines(figures: VisitFigures) -> Text:
    out = Text(tr("chart.by_month", year=figures.year) + "\n", style="bold")
    labels = [tr("chart.month", month=m) for m in range(1, 13)]
    label_w = max(cell_len(x) for x in labels)
    top_n = max(n for n, _ in figures.by_month)
    top_fen = max(fen for _, fen in figures.by_month)
    times = [tr("chart.times", n=n) for n, _ in figures.by_month]
    money = [tr("chart.money", yuan=f"{fen // 100:,}") for _, fen in figures.by_month]
    times_w, money_w = max(map(cell_len, times)), max(map(cell_len, money))
    for i, (n, fen) in enumerate(figures.by_month):
        out.append(pad(labels[i], label_w) + " ")
        out.append(bar(n, top_n, COUNT_BAR), style="green")
        out.append(" " + right(times[i], times_w) + "  ")
        out.append(bar(fen, top_fen, MONEY_BAR), style="yellow")
        out.append(" " + right(money[i], money_w) + ("\n" if i < 11 else ""))
    return out


def reason_lines(figures: VisitFigures) -> Text:
    out = Text(tr("chart.by_reason", year=figures.year) + "\n", style="bold")
    rows = [(r or tr("chart.blank_reason"), n) for r, n in figures.by_reason[:MAX_REASONS]]
    if not rows:
        return out.append(tr("chart.none"), style="dim")
    label_w = max(cell_len(r) for r, _ in rows)
    top = max(n for _, n in rows)
    for i, (reason, n) in enumerate(rows):
        out.append(pad(reason, label_w) + " ")
        out.append(bar(n, top, REASON_BAR), style="cyan")
        out.append(f" {n}" + ("\n" if i < len(rows) - 1 else ""))
    return out


def _month_label(today: dt.date, back: int) -> str:
    index = today.year * 12 + today.month - 1 - back
    return f"{index // 12}-{index % 12 + 1:02d}"


class HomeCharts(Horizontal):
    DEFAULT_CSS = """
    HomeCharts { height: auto; padding: 0 1; margin-bottom: 1; }
    HomeCharts #chart-month { width: auto; height: auto; margin-right: 3; }
    HomeCharts #chart-side { width: 1fr; height: auto; }
    HomeCharts #chart-spark-label { margin-top: 1; }
    HomeCharts Sparkline { height: 2; width: 24; }  /* two cells a month */
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="chart-month")
        with Vertical(id="chart-side"):
            yield Static("", id="chart-reason")
            yield Static("", id="chart-spark-label")
            yield Sparkline([], id="chart-spark")

    def refresh_figures(self, ledger, today: dt.date) -> None:
        """Count in a worker thread, then draw."""
        self._count(ledger, today)

    class Counted(Message):
        def __init__(self, figures: VisitFigures, today: dt.date) -> None:
            super().__init__()
            self.figures, self.today = figures, today

    @work(thread=True, exclusive=True, group="charts")
    def _count(self, ledger, today: dt.date) -> None:
        figures = visit_figures(ledger.records("visit"), today, ledger.config.choices("visit_reasons"))
        # a message, not call_from_thread: it waits for the widget to be mounted, and is
        # dropped when the widget is gone (the program closing)
        self.post_message(self.Counted(figures, today))

    def on_home_charts_counted(self, message: Counted) -> None:
        self.show(message.figures, message.today)

    def show(self, figures: VisitFigures, today: dt.date) -> None:
        self.query_one("#chart-month", Static).update(month_lines(figures))
        self.query_one("#chart-reason", Static).update(reason_lines(figures))
        label = tr("chart.last_twelve", first=_month_label(today, 11), last=_month_label(today, 0))
        self.query_one("#chart-spark-label", Static).update(Text(label, style="bold"))
        self.query_one("#chart-spark", Sparkline).data = list(figures.last_twelve)
