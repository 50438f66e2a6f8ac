import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.recurrence import agenda, event_occurrences, occurrences, semester_start

D = dt.date


def test_once():
    assert occurrences(D(2025, 3, 8), "不重复", D(2025, 1, 1), D(2025, 12, 31)) == [D(2025, 3, 8)]
    assert occurrences(D(2025, 3, 8), "不重复", D(2025, 4, 1), D(2025, 12, 31)) == []
    assert occurrences(D(2025, 3, 8), "", D(2025, 3, 8), D(2025, 3, 8)) == [D(2025, 3, 8)]


def test_yearly_solar_never_before_first_and_feb29():
    assert occurrences(D(2024, 3, 8), "每年公历", D(2020, 1, 1), D(2026, 12, 31)) == \
        [D(2024, 3, 8), D(2025, 3, 8), D(2026, 3, 8)]
    assert occurrences(D(2024, 2, 29), "每年公历", D(2025, 1, 1), D(2025, 12, 31)) == [D(2025, 2, 28)]


def test_yearly_lunar_follows_the_lunar_date():
    # 中秋 2024-09-17 is 八月十五; 2025's is 10-06, 2026's is 09-25
    assert occurrences(D(2024, 9, 17), "每年农历", D(2025, 1, 1), D(2026, 12, 31)) == \
        [D(2025, 10, 6), D(2026, 9, 25)]
    # 重阳 2025-10-29 (九月初九)
    assert occurrences(D(2024, 10, 11), "每年农历", D(2025, 10, 1), D(2025, 10, 31)) == [D(2025, 10, 29)]


def test_monthly_clamps_to_month_end():
    assert occurrences(D(2025, 1, 31), "每月", D(2025, 1, 1), D(2025, 4, 30)) == \
        [D(2025, 1, 31), D(2025, 2, 28), D(2025, 3, 31), D(2025, 4, 30)]


def test_biweekly():
    got = occurrences(D(2025, 1, 7), "每两周", D(2025, 1, 20), D(2025, 2, 20))
    assert got == [D(2025, 1, 21), D(2025, 2, 4), D(2025, 2, 18)]


def test_semester_keeps_offset_from_semester_start():
    assert semester_start(D(2025, 1, 10)) == D(2024, 9, 1)
    assert semester_start(D(2025, 3, 1)) == D(2025, 3, 1)
    got = occurrences(D(2025, 3, 5), "每学期", D(2025, 1, 1), D(2026, 12, 31))
    assert got == [D(2025, 3, 5), D(2025, 9, 5), D(2026, 3, 5), D(2026, 9, 5)]


def test_unknown_rule():
    with pytest.raises(ValueError):
        occurrences(D(2025, 1, 1), "每天", D(2025, 1, 1), D(2025, 2, 1))


def test_agenda_sorted():
    events = [{"title": "b", "date": "2025-01-07", "recurrence": "每两周"},
              {"title": "a", "date": "2025-01-21", "recurrence": "不重复"}]
    got = agenda(events, D(2025, 1, 20), D(2025, 1, 31))
    assert [(d, e["title"]) for d, e in got] == [(D(2025, 1, 21), "a"), (D(2025, 1, 21), "b")]


RULES = st.sampled_from(["不重复", "每年公历", "每年农历", "每月", "每两周", "每学期"])
DATES = st.dates(D(2000, 1, 1), D(2090, 12, 31))


@given(DATES, RULES, DATES, st.integers(0, 800))
def test_occurrences_in_range_sorted_unique(first, rule, start, span):
    end = start + dt.timedelta(days=span)
    got = occurrences(first, rule, start, end)
    assert got == sorted(set(got))
    assert all(max(start, first) <= d <= end for d in got)
    if start <= first <= end:
        assert first in got  # the first occurrence is itself


@given(DATES, RULES, DATES, st.integers(0, 400), st.integers(0, 400))
def test_splitting_the_range_changes_nothing(first, rule, start, a, b):
    mid = start + dt.timedelta(days=a)
    end = mid + dt.timedelta(days=b + 1)
    whole = occurrences(first, rule, start, end)
    assert whole == occurrences(first, rule, start, mid) + occurrences(first, rule, mid + dt.timedelta(days=1), end)


def test_event_record():
    assert event_occurrences({"date": "2025-03-08", "recurrence": "每年公历"}, D(2026, 1, 1), D(2026, 12, 31)) \
        == [D(2026, 3, 8)]
