"""The demo records attendance per occurrence held up to today, as officers do."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.demo import make_demo_ledger
from domain.occurrences import attendees_of, event_occurrence_list, took_part
from domain.store import Ledger


# late in the year, and in its first days (nothing of this year held yet: CI may run then)
@pytest.mark.parametrize("today", [dt.date(2026, 11, 20), dt.date(2027, 1, 3)], ids=str)
def test_the_demo_takes_attendance_per_occurrence_held_so_far(tmp_path, today):
    make_demo_ledger(tmp_path / "demo.json", today=today)
    with Ledger.open(tmp_path / "demo.json") as ledger:
        events = ledger.records("event")
        monthly = [e for e in events if e["recurrence"] in ("每月", "每两周")]
        assert monthly
        for event in events:
            start = dt.date.fromisoformat(event["date"])
            for day in event.get("occurrences") or {}:
                assert dt.date.fromisoformat(day) <= today  # nothing recorded for the days to come
            held = event_occurrence_list(event, start, today)
            lists = [tuple(attendees_of(event, o.series_date)) for o in held]
            if event in monthly and len(held) >= 3:
                # each time its own list, not the whole series' one
                assert len({names for names in lists if names}) >= 2, event["title"]
            union = set().union(*map(set, lists)) if lists else set()
            assert set(event.get("participants") or ()) == union, event["title"]
        if today.month > 2:
            assert took_part(events, dt.date(today.year, 1, 1), today)  # 活动参与率 has something to count
