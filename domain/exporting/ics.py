"""Events as an .ics calendar (icalendar), for a phone's calendar.

Solar recurrences are RRULEs (yearly, monthly, weekly, every two weeks,
ended by UNTIL or COUNT; a 29 Feb or a 29th-31st keeps the clamping of
``domain.recurrence``: the month's last day when the day is missing); a
cancelled occurrence is an EXDATE, a moved or retimed one an override with
RECURRENCE-ID.  An event with a start time is timed (floating local time),
otherwise all day.  A lunar yearly event (重阳, 中秋, 春节) cannot be an
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

from domain.occurrences import event_occurrence_list
from domain.recurrence import BIWEEKLY, LUNAR_YEARLY, MONTHLY, ONCE, SEMESTER, WEEKLY, YEARLY, semester_start

LUNAR_YEARS = 10
UID_DOMAIN = "union-ledger"
PRODID = "-//union-ledger//工会台账//ZH"


@dataclass(frozen=True)
class CalendarResult:
    written: int  # VEVENTs in the file
    left_out: int  # events whose day is not yet known


def solar_rule(event: dict, first: dt.date) -> dict | None:
    """The RRULE of a solar recurrence (ended by ``until`` or ``count``), or
    None when the event does not repeat that way."""
    recurrence = event.get("recurrence") or ONCE
    if recurrence == YEARLY:
        rule = {"FREQ": "YEARLY", "BYMONTH": 2, "BYMONTHDAY": -1} if (first.month, first.day) == (2, 29) \
            else {"FREQ": "YEARLY"}
    elif recurrence == MONTHLY:  # the day itself, else the month's last day
        rule = {"FREQ": "MONTHLY", "BYMONTHDAY": list(range(28, first.day + 1)), "BYSETPOS": -1} \
            if first.day > 28 else {"FREQ": "MONTHLY"}
    elif recurrence in (WEEKLY, BIWEEKLY):
        rule = {"FREQ": "WEEKLY", "INTERVAL": 2} if recurrence == BIWEEKLY else {"FREQ": "WEEKLY"}
    else:
        return None
    if event.get("until"):
        rule["UNTIL"] = dt.date.fromisoformat(event["until"])
    elif event.get("count"):
        rule["COUNT"] = int(event["count"])
    return rule


def _when(day: dt.date, time_text: str):
    """A whole day, or a floating local time (the phone's own zone) on ``day``."""
    if not time_text:
        return day
    hour, minute = map(int, time_text.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute))


def _span(record: dict, day: dt.date, start_time: str = "", end_time: str = "") -> tuple:
    start_time = start_time or record.get("start_time") or ""
    end_time = end_time or record.get("end_time") or ""
    start = _when(day, start_time)
    if not start_time:
        return start, day + dt.timedelta(days=1)
    end = _when(day, end_time) if end_time and end_time > start_time else start + dt.timedelta(hours=1)
    return start, end


def _vevent(record: dict, uid: str, span: tuple, stamp: dt.datetime, location: str = "") -> Event:
    ev = Event()
    ev.add("uid", uid)
    ev.add("dtstamp", stamp)
    ev.add("dtstart", span[0])
    ev.add("dtend", span[1])
    ev.add("summary", record.get("title") or "")
    if location or record.get("location"):
        ev.add("location", location or record["location"])
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


def _window(first: dt.date, from_year: int) -> tuple[dt.date, dt.date]:
    start = dt.date(max(from_year, first.year), 1, 1)
    return start, dt.date(start.year + LUNAR_YEARS - 1, 12, 31)


def _suffix(rule: str, series_date: dt.date) -> str:
    if rule == SEMESTER:
        sem = semester_start(series_date)
        return f"{sem.year}-{'spring' if sem.month < 9 else 'autumn'}"
    return str(series_date.year)


def _expanded(record: dict, first: dt.date, rule: str, from_year: int, stamp) -> list[Event]:
    """One VEVENT per occurrence held in the ``LUNAR_YEARS`` years from ``from_year``;
    the UID is named by the series date (a moved one keeps it)."""
    out = []
    for o in event_occurrence_list(record, *_window(first, from_year)):
        if o.cancelled:
            continue
        uid = f"{record['id']}-{_suffix(rule, o.series_date)}@{UID_DOMAIN}"
        out.append(_vevent(record, uid, _span(record, o.date, o.start_time, o.end_time), stamp, o.location))
    return out


def _changed(entry: dict) -> bool:
    return any(entry.get(k) for k in ("moved_to", "start_time", "end_time", "location"))


def _occurrence_event(record: dict, uid: str, series_day: dt.date, entry: dict, stamp) -> Event:
    held = dt.date.fromisoformat(entry["moved_to"]) if entry.get("moved_to") else series_day
    span = _span(record, held, entry.get("start_time") or "", entry.get("end_time") or "")
    return _vevent(record, uid, span, stamp, entry.get("location") or "")


def _series(record: dict, first: dt.date, stamp) -> list[Event]:
    """One VEVENT with its RRULE; a cancelled date is an EXDATE, a moved or
    retimed one an override (same UID, RECURRENCE-ID)."""
    uid = f"{record['id']}@{UID_DOMAIN}"
    entries = record.get("occurrences") or {}
    rrule = solar_rule(record, first)
    if rrule is None:  # once: when and where it is held, or nothing when called off
        entry = entries.get(first.isoformat(), {})
        return [] if entry.get("cancelled") else [_occurrence_event(record, uid, first, entry, stamp)]
    main = _vevent(record, uid, _span(record, first), stamp)
    main.add("rrule", vRecur(rrule))
    out = [main]
    for key in sorted(entries):
        entry, day = entries[key], dt.date.fromisoformat(key)
        if entry.get("cancelled"):
            main.add("exdate", _span(record, day)[0])
        elif _changed(entry):
            override = _occurrence_event(record, uid, day, entry, stamp)
            override.add("recurrence-id", _span(record, day)[0])
            out.append(override)
    return out


def event_components(record: dict, from_year: int) -> list[Event] | None:
    """The VEVENTs of one event record; None when its day is not yet known."""
    if record.get("date_tbd") == "是" or not record.get("date"):
        return None
    try:
        first = dt.date.fromisoformat(record["date"])
    except ValueError:
        return None
    rule = record.get("recurrence") or ONCE
    if rule in (LUNAR_YEARLY, SEMESTER):
        return _expanded(record, first, rule, from_year, _stamp(record))
    return _series(record, first, _stamp(record))


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
