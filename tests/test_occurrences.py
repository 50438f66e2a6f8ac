"""Events per occurrence: attendance, cancel, move, series end, weekly, time of day."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.occurrences import (NotAnOccurrence, attend, attendees_of, change_occurrence,
                                event_occurrence_list, parse_time, split_series)
from domain.recurrence import event_occurrences, occurrences
from domain.validation import ValidationError

D = dt.date


@pytest.fixture
def people(ledger):
    return [ledger.add("member", {"name": n})["id"] for n in ("张三", "李四", "王五")]


def test_attendance_of_one_yearly_occurrence_leaves_the_others(ledger, people):
    e = ledger.add("event", {"title": "重阳敬老", "date": "2025-10-29", "recurrence": "每年农历"})
    attend(ledger, e["id"], D(2027, 10, 8), people)  # 重阳 2027
    e = ledger.get("event", e["id"])
    assert attendees_of(e, D(2027, 10, 8)) == people
    assert attendees_of(e, D(2025, 10, 29)) == [] and attendees_of(e, D(2026, 10, 18)) == []
    assert e["participants"] == people  # the union: "took part in this event"
    attend(ledger, e["id"], D(2027, 10, 8), [people[1]], remove=True)
    e = ledger.get("event", e["id"])
    assert attendees_of(e, D(2027, 10, 8)) == [people[0], people[2]]


def test_a_date_that_is_not_an_occurrence_is_refused_with_the_nearest(ledger, people):
    e = ledger.add("event", {"title": "基本功训练", "date": "2025-01-15", "recurrence": "每月"})
    with pytest.raises(NotAnOccurrence) as err:
        attend(ledger, e["id"], D(2025, 3, 16), people)
    assert "2025-03-15" in str(err.value) and "基本功训练" in str(err.value)


def test_series_participants_are_the_first_occurrences_attendance(ledger, people):
    """Existing data: ``participants`` of a series becomes its first occurrence's attendance."""
    e = ledger.add("event", {"title": "基本功训练", "date": "2025-01-15", "recurrence": "每月",
                             "participants": ",".join(people[:2])})
    assert attendees_of(e, D(2025, 1, 15)) == people[:2] and attendees_of(e, D(2025, 2, 15)) == []
    attend(ledger, e["id"], D(2025, 2, 15), [people[2]])
    e = ledger.get("event", e["id"])
    assert attendees_of(e, D(2025, 1, 15)) == people[:2]  # carried over, not lost
    assert attendees_of(e, D(2025, 2, 15)) == [people[2]]
    assert e["participants"] == people


def test_cancel_and_move_one_occurrence(ledger, people):
    e = ledger.add("event", {"title": "基本功训练", "date": "2025-01-15", "recurrence": "每月",
                             "start_time": "16:00", "location": "会议室"})
    change_occurrence(ledger, e["id"], D(2025, 2, 15), cancelled=True)
    change_occurrence(ledger, e["id"], D(2025, 3, 15), moved_to=D(2025, 4, 2), start_time="9:30",
                      location="礼堂")
    e = ledger.get("event", e["id"])
    assert event_occurrences(e, D(2025, 1, 1), D(2025, 4, 30)) == [D(2025, 1, 15), D(2025, 4, 2), D(2025, 4, 15)]
    (moved,) = [o for o in event_occurrence_list(e, D(2025, 4, 1), D(2025, 4, 5))]
    assert moved.series_date == D(2025, 3, 15) and moved.start_time == "09:30" and moved.location == "礼堂"
    feb = event_occurrence_list(e, D(2025, 2, 1), D(2025, 2, 28))
    assert [(o.date, o.cancelled) for o in feb] == [(D(2025, 2, 15), True)]
    attend(ledger, e["id"], D(2025, 3, 15), people[:1])  # the moved one keeps its name
    assert event_occurrence_list(ledger.get("event", e["id"]), D(2025, 4, 2), D(2025, 4, 2))[0].attendees \
        == (people[0],)


def test_series_end_by_date_or_count_and_weekly(ledger):
    until = ledger.add("event", {"title": "a", "date": "2025-01-06", "recurrence": "每周", "until": "2025-01-27"})
    assert event_occurrences(until, D(2025, 1, 1), D(2025, 12, 31)) == \
        [D(2025, 1, 6), D(2025, 1, 13), D(2025, 1, 20), D(2025, 1, 27)]
    count = ledger.add("event", {"title": "b", "date": "2025-03-08", "recurrence": "每年公历", "count": "3"})
    assert event_occurrences(count, D(2020, 1, 1), D(2040, 1, 1)) == [D(2025, 3, 8), D(2026, 3, 8), D(2027, 3, 8)]
    assert event_occurrences(count, D(2026, 6, 1), D(2040, 1, 1)) == [D(2027, 3, 8)]
    assert occurrences(D(2025, 1, 6), "每周", D(2025, 1, 8), D(2025, 1, 21)) == [D(2025, 1, 13), D(2025, 1, 20)]


def test_this_and_following_splits_the_series_and_takes_its_records(ledger, people):
    e = ledger.add("event", {"title": "政治学习", "date": "2025-01-07", "recurrence": "每两周", "count": "10",
                             "location": "会议室"})
    attend(ledger, e["id"], D(2025, 1, 21), people[:1])
    attend(ledger, e["id"], D(2025, 2, 18), people[1:2])  # the 4th: goes with the new series
    new = split_series(ledger, e["id"], D(2025, 2, 4), {"location": "礼堂", "date": "2025-02-05"})
    old = ledger.get("event", e["id"])
    assert event_occurrences(old, D(2025, 1, 1), D(2026, 1, 1)) == [D(2025, 1, 7), D(2025, 1, 21)]
    assert attendees_of(old, D(2025, 1, 21)) == people[:1] and old["participants"] == people[:1]
    days = event_occurrences(new, D(2025, 1, 1), D(2026, 1, 1))
    assert days[0] == D(2025, 2, 5) and len(days) == 8 and new["location"] == "礼堂"
    assert attendees_of(new, D(2025, 2, 19)) == people[1:2]  # the 2nd of the new series


def test_time_of_day_and_per_occurrence_records_are_validated(ledger):
    assert [parse_time(t) for t in ("19:30", "9:05", "1930", "9点", "9点30", "８:00".replace("８", "8"))] == \
        ["19:30", "09:05", "19:30", "09:00", "09:30", "08:00"]
    for bad in ("25:00", "9:60", "later"):
        with pytest.raises(ValueError):
            parse_time(bad)
    with pytest.raises(ValidationError) as err:
        ledger.add("event", {"title": "a", "date": "2025-01-01", "start_time": "晚上"})
    assert "开始时间" in str(err.value) and "19:30" in str(err.value)
    with pytest.raises(ValidationError) as err:
        ledger.add("event", {"title": "a", "date": "2025-01-01", "occurrences": '{"2025-01-01": {"who": 1}}'})
    assert "各次记录" in str(err.value) and "attendees" in str(err.value)
