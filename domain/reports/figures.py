"""Small figures of a year's visits, for the charts on Home.

Pure and fast (one pass over the visits): the full-screen program asks
again after each change, in a worker thread.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class VisitFigures:
    year: int
    by_month: tuple[tuple[int, int], ...]  # (人次, fen) for months 1-12 of ``year``
    by_reason: tuple[tuple[str, int], ...]  # (reason, 人次) in ``year``, most first
    last_twelve: tuple[int, ...]  # 人次 in each of the 12 months up to ``today``'s, oldest first


def _month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def visit_figures(visits, today: dt.date, reasons_order=()) -> VisitFigures:
    year = today.year
    times, money, reasons = [0] * 12, [0] * 12, Counter()
    recent = [0] * 12
    last = _month_index(year, today.month)
    for v in visits:
        date = v.get("date") or ""
        if len(date) < 7 or not date[:4].isdigit() or not date[5:7].isdigit():
            continue
        y, m = int(date[:4]), int(date[5:7])
        back = last - _month_index(y, m)
        if 0 <= back < 12:
            recent[11 - back] += 1
        if y == year and 1 <= m <= 12:
            times[m - 1] += 1
            money[m - 1] += v.get("amount") or 0
            reasons[v.get("reason") or ""] += 1
    rank = {r: i for i, r in enumerate(reasons_order)}
    by_reason = sorted(reasons.items(), key=lambda kv: (-kv[1], rank.get(kv[0], len(rank)), kv[0]))
    return VisitFigures(year, tuple(zip(times, money)), tuple(by_reason), tuple(recent))
