"""When a calendar event falls: its occurrences in a date range.

Recurrence values are the ones of ``domain.fields.RECURRENCE``:

- ``不重复`` once, on the event's date;
- ``每年公历`` every year on the same solar month/day (29 Feb falls on 28 Feb
  in common years);
- ``每年农历`` every year on the lunar month/day of the event's date
  (clamped as for lunar birthdays: see ``domain.lunar.occurrences_lunar``);
- ``每月`` the same day every month (the 31st falls on the month's last day);
- ``每周`` every 7 days;
- ``每两周`` every 14 days;
- ``每学期`` once a semester, the same number of days after the semester's
  start (春季 1 March, 秋季 1 September) as the first occurrence.

Never before the event's own date.  A series may end on a date (``until``)
or after a number of times (``count``); one occurrence may be cancelled or
moved (the event's ``occurrences`` field, see ``domain.occurrences``):
``event_occurrences`` gives the dates on which it is held.  Pure: no
Textual, no I/O.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable

ONCE, YEARLY, LUNAR_YEARLY, MONTHLY, BIWEEKLY, SEMESTER, WEEKLY = (
    "不重复", "每年公历", "每年农历", "每月", "每两周", "每学期", "每周")

SPRING_START = (3, 1)
AUTUMN_START = (9, 1)


def _clamped(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def semester_start(d: dt.date) -> dt.date:
    """The first day of the semester ``d`` falls in (Jan/Feb belong to last autumn)."""
    spring = dt.date(d.year, *SPRING_START)
    autumn = dt.date(d.year, *AUTUMN_START)
    if d >= autumn:
        return autumn
    if d >= spring:
        return spring
    return dt.date(d.year - 1, *AUTUMN_START)


def _next_semester(start: dt.date) -> dt.date:
    if (start.month, start.day) == SPRING_START:
        return dt.date(start.year, *AUTUMN_START)
    return dt.date(start.year + 1, *SPRING_START)


def occurrences(first: dt.date, recurrence: str, start: dt.date, end: dt.date) -> list[dt.date]:
    """Every date in ``[start, end]`` on which an event first held on ``first`` falls."""
    lo = max(start, first)
    if lo > end:
        return []
    rule = recurrence or ONCE
    if rule == ONCE:
        return [first] if start <= first <= end else []
    if rule == YEARLY:
        found = (_clamped(y, first.month, first.day) for y in range(lo.year, end.year + 1))
        return [d for d in found if lo <= d <= end]
    if rule == LUNAR_YEARLY:
        from domain.lunar import occurrences_lunar, solar_to_lunar

        ld = solar_to_lunar(first)
        return occurrences_lunar(ld.month, ld.day, lo, end, leap=ld.leap)
    if rule == MONTHLY:
        out = []
        y, m = lo.year, lo.month
        while (y, m) <= (end.year, end.month):
            d = _clamped(y, m, first.day)
            if lo <= d <= end:
                out.append(d)
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out
    if rule in (BIWEEKLY, WEEKLY):
        step = 14 if rule == BIWEEKLY else 7
        skip = -(-(lo - first).days // step)  # ceil: the first one on or after lo
        d = first + dt.timedelta(days=step * skip)
        out = []
        while d <= end:
            out.append(d)
            d += dt.timedelta(days=step)
        return out
    if rule == SEMESTER:
        offset = first - semester_start(first)
        sem = semester_start(lo)
        sem = semester_start(sem - dt.timedelta(days=1))  # an offset may reach past the next start
        out = []
        while sem <= end:
            d = sem + offset
            if lo <= d <= end:
                out.append(d)
            sem = _next_semester(sem)
        return out
    raise ValueError(f"unknown recurrence {recurrence!r}")


def series_dates(event: dict, start: dt.date, end: dt.date) -> list[dt.date]:
    """The series' own dates in ``[start, end]`` (before any one is moved or
    cancelled), ended by ``until`` or after ``count`` times."""
    first = dt.date.fromisoformat(event["date"])
    rule = event.get("recurrence") or ONCE
    until = event.get("until")
    if until:
        end = min(end, dt.date.fromisoformat(until))
    count = event.get("count")
    if count and rule != ONCE:
        days = occurrences(first, rule, first, end)[:count]
        return [d for d in days if start <= d]
    return occurrences(first, rule, start, end)


def event_occurrences(event: dict, start: dt.date, end: dt.date) -> list[dt.date]:
    """The dates in ``[start, end]`` on which a stored event is held: its series'
    dates, less the cancelled ones, with moved ones on their new date."""
    entries = event.get("occurrences") or {}
    if not entries:
        return series_dates(event, start, end)
    held = [d for d in series_dates(event, start, end)
            if not (entries.get(d.isoformat(), {}).get("cancelled") or entries.get(d.isoformat(), {}).get("moved_to"))]
    for key, entry in entries.items():
        moved = entry.get("moved_to")
        if moved and not entry.get("cancelled") and start <= dt.date.fromisoformat(moved) <= end:
            day = dt.date.fromisoformat(key)
            if series_dates(event, day, day):
                held.append(dt.date.fromisoformat(moved))
    return sorted(held)


def agenda(events: Iterable[dict], start: dt.date, end: dt.date) -> list[tuple[dt.date, dict]]:
    """(date, event) for every occurrence of ``events`` in ``[start, end]``, by date then title."""
    out = [(d, e) for e in events for d in event_occurrences(e, start, end)]
    out.sort(key=lambda pair: (pair[0], pair[1].get("title", "")))
    return out
