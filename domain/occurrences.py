"""One occurrence of an event: attendance, a cancellation or a move, by its series date.

An event's ``occurrences`` field maps a series date (ISO) to what happened
that time: ``attendees`` (member ids), ``cancelled``, ``moved_to`` (a date),
``start_time``, ``end_time``, ``location``.  An occurrence is named by its
series date even when moved, so attendance stays with it.

Existing data keeps its meaning: an event whose attendance was kept only in
``participants`` (the series as a whole, before this module) reads as the
attendance of its first occurrence (the event's own date; for a one-off event
that is exactly what it meant), and the first write per occurrence moves it
there.  ``participants`` then stays the union of every occurrence's
attendees ("took part in this event"), which exports and reports read.

Changes are made through ``Ledger.edit`` (validated, journalled, undoable).
Pure apart from that: no Textual, no I/O.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from domain.errors import UserError
from domain.i18n import register, tr

register({
    "occ.time": ("应为时刻，如 19:30", "must be a time of day such as 19:30"),
    "occ.json": ("应为各次记录（JSON：{{\"2025-10-29\": {{\"attendees\": [...]}}}}）：{error}",
                 "must be per-occurrence records (JSON: {{\"2025-10-29\": {{\"attendees\": [...]}}}}): {error}"),
    "occ.not_held": ("活动“{title}”在 {date} 没有这一次；最近的几次：{near}",
                     "the event “{title}” has no occurrence on {date}; the nearest: {near}"),
    "occ.none_near": ("（无）", "(none)"),
    "occ.sep": ("、", ", "),
})

ENTRY_KEYS = {"attendees", "cancelled", "moved_to", "start_time", "end_time", "location"}


class NotAnOccurrence(UserError, ValueError):
    pass


def parse_time(text: str) -> str:
    """19:30, 9:05, 1930, 9点, 9点30 -> HH:MM."""
    t = text.strip().replace("：", ":").replace("点", ":")
    if t.endswith(":"):
        t += "00"
    if t.isdigit():
        t = f"{t[:-2]}:{t[-2:]}" if len(t) in (3, 4) else f"{t}:00"
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", t)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise ValueError(tr("occ.time"))
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def parse_occurrences(text: str) -> dict:
    """The stored map from its JSON text, every part checked."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not an object")
        return {_iso(day): _entry(entry) for day, entry in data.items()}
    except ValueError as exc:
        raise ValueError(tr("occ.json", error=exc)) from None


def _iso(text: str) -> str:
    return dt.date.fromisoformat(str(text)).isoformat()


def _entry(entry) -> dict:
    if not isinstance(entry, dict) or set(entry) - ENTRY_KEYS:
        raise ValueError(f"keys must be among {', '.join(sorted(ENTRY_KEYS))}")
    out: dict = {}
    if entry.get("attendees"):
        ids = entry["attendees"]
        if not isinstance(ids, list) or not all(isinstance(i, str) and i.isascii() for i in ids):
            raise ValueError("attendees must be a list of member ids")
        out["attendees"] = list(dict.fromkeys(ids))
    if entry.get("cancelled"):
        out["cancelled"] = True
    if entry.get("moved_to"):
        out["moved_to"] = _iso(entry["moved_to"])
    for name in ("start_time", "end_time"):
        if entry.get(name):
            out[name] = parse_time(str(entry[name]))
    if entry.get("location"):
        out["location"] = str(entry["location"])[:200]
    return out


def format_occurrences(value: dict) -> str:
    return json.dumps({k: value[k] for k in sorted(value) if value[k]}, ensure_ascii=False,
                      separators=(",", ":")) if value else ""


@dataclass(frozen=True)
class Occurrence:
    event_id: str
    series_date: dt.date  # names the occurrence, moved or not
    date: dt.date  # when it is held
    cancelled: bool
    start_time: str
    end_time: str
    location: str
    attendees: tuple[str, ...]

    @property
    def moved(self) -> bool:
        return self.date != self.series_date

    def as_dict(self) -> dict:
        return {"date": self.series_date.isoformat(), "cancelled": self.cancelled,
                "moved_to": self.date.isoformat() if self.moved else None,
                "start_time": self.start_time, "end_time": self.end_time, "location": self.location,
                "attendees": list(self.attendees)}


def _legacy(event: dict) -> bool:
    """Attendance kept only in ``participants``: it belongs to the first occurrence."""
    entries = event.get("occurrences") or {}
    return bool(event.get("participants")) and not any(e.get("attendees") for e in entries.values())


def attendees_of(event: dict, series_date: dt.date) -> list[str]:
    entry = (event.get("occurrences") or {}).get(series_date.isoformat(), {})
    if entry.get("attendees"):
        return list(entry["attendees"])
    if _legacy(event) and series_date.isoformat() == event["date"]:
        return list(event["participants"])
    return []


def _make(event: dict, day: dt.date) -> Occurrence:
    entry = (event.get("occurrences") or {}).get(day.isoformat(), {})
    moved = entry.get("moved_to")
    return Occurrence(event.get("id", ""), day, dt.date.fromisoformat(moved) if moved else day,
                      bool(entry.get("cancelled")), entry.get("start_time") or event.get("start_time") or "",
                      entry.get("end_time") or event.get("end_time") or "",
                      entry.get("location") or event.get("location") or "", tuple(attendees_of(event, day)))


def event_occurrence_list(event: dict, start: dt.date, end: dt.date) -> list[Occurrence]:
    """Every occurrence held (or cancelled) in ``[start, end]``, by the date it is held."""
    from domain.recurrence import series_dates

    entries = event.get("occurrences") or {}
    found = {d: _make(event, d) for d in series_dates(event, start, end)}
    for key, entry in entries.items():
        day = dt.date.fromisoformat(key)
        if entry.get("moved_to") and day not in found and series_dates(event, day, day):
            found[day] = _make(event, day)  # moved here from outside the range
    out = [o for o in found.values() if start <= o.date <= end]
    return sorted(out, key=lambda o: (o.date, o.start_time))


def held_dates(event: dict, start: dt.date, end: dt.date) -> list[dt.date]:
    """The dates in ``[start, end]`` it is held (``domain.recurrence.event_occurrences``)."""
    from domain.recurrence import event_occurrences

    return event_occurrences(event, start, end)


def took_part(events, start: dt.date, end: dt.date) -> set[str]:
    """Members who attended an occurrence held (not cancelled) in ``[start, end]``."""
    people: set[str] = set()
    for e in events:
        if e.get("participants") or e.get("occurrences"):
            for o in event_occurrence_list(e, start, end):
                if not o.cancelled:
                    people.update(o.attendees)
    return people


# ----------------------------------------------------------------- changes
def require_occurrence(event: dict, day: dt.date) -> None:
    from domain.recurrence import series_dates

    if series_dates(event, day, day):
        return
    near = series_dates(event, day - dt.timedelta(days=400), day + dt.timedelta(days=400))
    near = sorted(near, key=lambda d: abs((d - day).days))[:3]
    raise NotAnOccurrence(tr("occ.not_held", title=event.get("title", ""), date=day.isoformat(),
                             near=tr("occ.sep").join(d.isoformat() for d in sorted(near)) or tr("occ.none_near")))


def _entries(event: dict) -> dict:
    entries = {k: dict(v) for k, v in (event.get("occurrences") or {}).items()}
    if _legacy(event):
        entries.setdefault(event["date"], {})["attendees"] = list(event["participants"])
    return entries


def _values(entries: dict) -> dict:
    union = dict.fromkeys(i for k in sorted(entries) for i in entries[k].get("attendees", ()))
    return {"occurrences": format_occurrences(entries), "participants": ",".join(union)}


def change_occurrence(ledger, event_id: str, day: dt.date, **changes) -> dict:
    """Set fields of one occurrence (attendees, cancelled, moved_to, start_time,
    end_time, location; None or "" clears).  Returns the saved event."""
    event = ledger.require("event", event_id)
    require_occurrence(event, day)
    entries = _entries(event)
    entry = entries.setdefault(day.isoformat(), {})
    for name, value in changes.items():
        if name not in ENTRY_KEYS:
            raise ValueError(name)
        if isinstance(value, dt.date):
            value = value.isoformat()
        entry[name] = value
    if entry.get("moved_to") == day.isoformat():
        entry.pop("moved_to")
    entries[day.isoformat()] = {k: v for k, v in entry.items() if v not in (None, "", [], False)}
    return ledger.edit("event", event_id, _values(entries))


def attend(ledger, event_id: str, day: dt.date, member_ids: list[str], *, remove: bool = False) -> dict:
    """Add (or remove) members to one occurrence's attendance."""
    event = ledger.require("event", event_id)
    present = attendees_of(event, day)
    if remove:
        chosen = [m for m in present if m not in set(member_ids)]
    else:
        chosen = list(dict.fromkeys([*present, *member_ids]))
    return change_occurrence(ledger, event_id, day, attendees=chosen)


def split_series(ledger, event_id: str, day: dt.date, changes: dict) -> dict:
    """"This and following": the series ends the day before ``day`` and a new one
    starts there with ``changes`` (raw field values); the records of later
    occurrences go with it, the nth after ``day`` to the new series' nth.
    The new series is added first: a crash between the two writes leaves both
    series (some dates twice), never one lost."""
    from domain.recurrence import series_dates

    event = ledger.require("event", event_id)
    require_occurrence(event, day)
    entries = _entries(event)
    later = {k: v for k, v in entries.items() if k >= day.isoformat()}
    earlier = {k: v for k, v in entries.items() if k < day.isoformat()}
    kept = ("title", "category", "recurrence", "location", "organizer", "notes", "start_time", "end_time",
            "until", "school")
    new = {name: event[name] for name in kept if event.get(name) not in (None, "")}
    new.update({"date": day.isoformat(), **changes})
    count = event.get("count")
    before = len(series_dates(event, dt.date.fromisoformat(event["date"]), day - dt.timedelta(days=1)))
    if before == 0:  # from the first occurrence on: the whole series
        return ledger.edit("event", event_id, changes)
    if count:
        new["count"] = str(max(count - before, 1))
    draft = {**new, "count": int(new["count"]) if new.get("count") else None}
    moved = {}
    for key, entry in later.items():
        index = len(series_dates(event, day, dt.date.fromisoformat(key))) - 1
        target = series_dates(draft, dt.date.fromisoformat(draft["date"]),
                              dt.date.fromisoformat(key) + dt.timedelta(days=800))
        if 0 <= index < len(target):
            moved[target[index].isoformat()] = entry
    new.update(_values(moved))
    added = ledger.add("event", new)
    end = {"until": (day - dt.timedelta(days=1)).isoformat(), **_values(earlier)}
    if count:
        end["count"] = str(before)
    ledger.edit("event", event_id, end)
    return added
