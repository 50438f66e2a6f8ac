"""Events as an .ics calendar (icalendar), for a phone's calendar.

Solar recurrences are RRULEs (yearly, monthly, every two weeks; a 29 Feb or
a 29th-31st keeps the clamping of ``domain.recurrence``: the month's last day
when the day is missing).  A lunar yearly event (重阳, 中秋, 春节) cannot be an
RRULE calendars understand: it is expanded into one dated event a year for
``LUNAR_YEARS`` years, as is a once-a-semester event.  Every event has a
stable UID (the record's id, plus the year or semester when expanded), so a
re-import updates instead of duplicating.  Events whose day is not yet known
(日期待定) are left out and counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from icalendar import Calendar, Event, vRecur

from domain.recurrence import (BIWEEKLY, LUNAR_YEARLY, MONTHLY, ONCE, SEMESTER, YEARLY, occurrences,
                               semester_start)

LUNAR_YEARS = 10
UID_DOMAIN = "union-ledger"
PRODID = "-//union-ledger//工会台账//ZH"


@dataclass(frozen=True)
class CalendarResult:
    written: int  # VEVENTs in the file
    left_out: int  # events whose day is not yet known


def solar_rule(recurrence: str, first: dt.date) -> dict | None:
    """The RRULE of a solar recurrence, or None when the event does not repeat that way."""
    if recurrence == YEARLY:
        if (first.month, first.day) == (2, 29):
            return {"FREQ": "YEARLY", "BYMONTH": 2, "BYMONTHDAY": -1}
        return {"FREQ": "YEARLY"}
    if recurrence == MONTHLY:
        if first.day > 28:  # the day itself, else the month's last day
            return {"FREQ": "MONTHLY", "BYMONTHDAY": list(range(28, first.day + 1)), "BYSETPOS": -1}
        return {"FREQ": "MONTHLY"}
    if recurrence == BIWEEKLY:
        return {"FREQ": "WEEKLY", "INTERVAL": 2}
    return None


def _vevent(record: dict, uid: str, day: dt.date, stamp: dt.datetime) -> Event:
    ev = Event()
    ev.add("uid", uid)
    ev.add("dtstamp", stamp)
    ev.add("dtstart", day)
    ev.add("dtend", day + dt.timedelta(days=1))
    ev.add("summary", record.get("title") or "")
    if record.get("location"):
        ev.add("location", record["location"])
    if record.get("category"):
        ev.add("categories", [record["category"]])
    details = [record.get(k) or "" for k in ("organizer", "notes")]
    if any(details):
        ev.add("description", "\n".join(d for d in details if d))
    return ev


def _stamp(record: dict) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(record.get("updated") or "").astimezone(dt.timezone.utc)
    except ValueError:
        return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _expanded(record: dict, first: dt.date, rule: str, from_year: int) -> list[tuple[str, dt.date]]:
    """(UID suffix, date) of each occurrence in the ``LUNAR_YEARS`` years from ``from_year``."""
    start = dt.date(max(from_year, first.year), 1, 1)
    end = dt.date(start.year + LUNAR_YEARS - 1, 12, 31)
    out = []
    for day in occurrences(first, rule, start, end):
        if rule == SEMESTER:
            sem = semester_start(day)
            out.append((f"{sem.year}-{'spring' if sem.month < 9 else 'autumn'}", day))
        else:
            out.append((str(day.year), day))
    return out


def event_components(record: dict, from_year: int) -> list[Event] | None:
    """The VEVENTs of one event record; None when its day is not yet known."""
    if record.get("date_tbd") == "是" or not record.get("date"):
        return None
    try:
        first = dt.date.fromisoformat(record["date"])
    except ValueError:
        return None
    rid, stamp = record["id"], _stamp(record)
    rule = record.get("recurrence") or ONCE
    if rule in (LUNAR_YEARLY, SEMESTER):
        return [_vevent(record, f"{rid}-{suffix}@{UID_DOMAIN}", day, stamp)
                for suffix, day in _expanded(record, first, rule, from_year)]
    ev = _vevent(record, f"{rid}@{UID_DOMAIN}", first, stamp)
    rrule = solar_rule(rule, first)
    if rrule:
        ev.add("rrule", vRecur(rrule))
    return [ev]


def write_ics(path: Path, events: list[dict], name: str, from_year: int) -> CalendarResult:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    written = left_out = 0
    for record in events:
        parts = event_components(record, from_year)
        if parts is None:
            left_out += 1
            continue
        for ev in parts:
            cal.add_component(ev)
        written += len(parts)
    Path(path).write_bytes(cal.to_ical())
    return CalendarResult(written, left_out)
