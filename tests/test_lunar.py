import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tyme4py.solar import SolarDay

from domain.lunar import (
    HOLIDAY_NAMES,
    HOLIDAYS,
    MAX_DATE,
    MIN_DATE,
    Holiday,
    LunarDate,
    holiday_date,
    holidays_between,
    leap_month,
    lunar_day_label,
    lunar_to_solar,
    occurrences_lunar,
    solar_to_lunar,
)

D = dt.date
ONE = dt.timedelta(days=1)

KNOWN = [
    ("重阳", 2026, D(2026, 10, 18)),
    ("中秋", 1978, D(1978, 9, 17)),
    ("春节", 2026, D(2026, 2, 17)),
    ("除夕", 2026, D(2026, 2, 16)),
    ("春节", 2025, D(2025, 1, 29)),
    ("除夕", 2025, D(2025, 1, 28)),
    ("中秋", 2025, D(2025, 10, 6)),
    ("端午", 2025, D(2025, 5, 31)),
    ("元宵", 2025, D(2025, 2, 12)),
    ("重阳", 2025, D(2025, 10, 29)),
    ("中秋", 2024, D(2024, 9, 17)),
    ("春节", 2024, D(2024, 2, 10)),
    ("中秋", 2008, D(2008, 9, 14)),
    ("春节", 2000, D(2000, 2, 5)),
    ("春节", 1900, D(1900, 1, 31)),
    ("清明", 2023, D(2023, 4, 5)),
    ("清明", 2024, D(2024, 4, 4)),
    ("清明", 2025, D(2025, 4, 4)),
    ("清明", 2026, D(2026, 4, 5)),
    ("教师节", 2025, D(2025, 9, 10)),
    ("三八妇女节", 2025, D(2025, 3, 8)),
    ("国庆节", 2030, D(2030, 10, 1)),
]


@pytest.mark.parametrize("name, year, expected", KNOWN)
def test_known_holiday_dates(name, year, expected):
    assert holiday_date(name, year) == expected


def test_unknown_holiday_name():
    with pytest.raises(ValueError) as e:
        holiday_date("七夕", 2025)
    assert "七夕" in str(e.value) and "中秋" in str(e.value)


def test_holiday_year_range():
    with pytest.raises(ValueError):
        holiday_date("春节", 1899)
    with pytest.raises(ValueError):
        holiday_date("春节", 2101)


def test_holiday_table_is_the_agreed_one():
    assert set(HOLIDAY_NAMES) == {
        "除夕", "春节", "元宵", "端午", "中秋", "重阳", "清明",
        "元旦", "三八妇女节", "植树节", "劳动节", "青年节", "儿童节", "教师节", "国庆节",
    }  # fmt: skip
    lunar = {rule.name for rule in HOLIDAYS if rule.lunar}
    assert lunar == {"除夕", "春节", "元宵", "端午", "中秋", "重阳"}


@pytest.mark.parametrize("year", range(2025, 2030))
def test_chuxi_is_layue_29_in_2025_to_2029(year):
    eve = holiday_date("除夕", year)
    assert solar_to_lunar(eve).label == "腊月廿九"
    with pytest.raises(ValueError):
        lunar_to_solar(year - 1, 12, 30)  # no 腊月三十 that year


@pytest.mark.parametrize("year", range(1900, 2101))
def test_chuxi_is_the_eve_of_chunjie_every_year(year):
    eve = holiday_date("除夕", year)
    assert eve + ONE == holiday_date("春节", year)
    assert eve.year == year
    lunar = solar_to_lunar(eve)
    assert (lunar.month, lunar.leap) == (12, False) and lunar.day in (29, 30)


def test_leap_month_2025():
    assert leap_month(2025) == 6
    assert solar_to_lunar(D(2025, 7, 25)) == LunarDate(2025, 6, 1, leap=True)
    assert solar_to_lunar(D(2025, 7, 25)).label == "闰六月初一"
    assert solar_to_lunar(D(2025, 7, 24)).month == 6 and not solar_to_lunar(D(2025, 7, 24)).leap
    assert lunar_to_solar(2025, 6, 1, leap=True) == D(2025, 7, 25)
    assert lunar_to_solar(2025, 6, 1) != D(2025, 7, 25)


def test_missing_leap_month():
    assert leap_month(2024) == 0
    with pytest.raises(ValueError) as e:
        lunar_to_solar(2024, 6, 1, leap=True)
    assert "闰六月" in str(e.value)
    assert lunar_to_solar(2024, 6, 1, leap=True, clamp=True) == lunar_to_solar(2024, 6, 1)


def test_day_30_of_a_short_month():
    short = next(m for m in range(1, 13) if _length(2025, m) == 29)
    with pytest.raises(ValueError) as e:
        lunar_to_solar(2025, short, 30)
    assert "29" in str(e.value)
    assert lunar_to_solar(2025, short, 30, clamp=True) == lunar_to_solar(2025, short, 29)


@pytest.mark.parametrize("args", [(2025, 13, 1), (2025, 0, 1), (2025, 1, 0), (2025, 1, 31), (1898, 1, 1), (2101, 1, 1)])
def test_lunar_arguments_out_of_range(args):
    with pytest.raises(ValueError):
        lunar_to_solar(*args, clamp=True)


def test_edges_1900_and_2100():
    assert solar_to_lunar(MIN_DATE) == LunarDate(1899, 12, 1)
    assert solar_to_lunar(D(1900, 1, 31)).label == "正月初一"
    last = solar_to_lunar(MAX_DATE)
    assert last.year == 2100 and lunar_to_solar(last.year, last.month, last.day, last.leap) == MAX_DATE
    for outside in (MIN_DATE - ONE, MAX_DATE + ONE):
        with pytest.raises(ValueError):
            solar_to_lunar(outside)


def test_labels():
    assert solar_to_lunar(D(2025, 1, 29)).label == "正月初一"
    assert solar_to_lunar(D(2025, 1, 29)).day_label == "正月"
    assert solar_to_lunar(D(2025, 2, 2)).day_label == "初五"
    assert solar_to_lunar(D(2025, 2, 12)).day_label == "十五"
    assert solar_to_lunar(D(2025, 1, 22)).label == "腊月廿三"
    assert solar_to_lunar(D(2025, 1, 22)).day_label == "廿三"
    assert solar_to_lunar(D(2025, 7, 25)).day_label == "闰六月"
    assert solar_to_lunar(D(2024, 12, 1)).label == "冬月初一"
    thirty = lunar_to_solar(2025, next(m for m in range(1, 13) if _length(2025, m) == 30), 30)
    assert solar_to_lunar(thirty).day_label == "三十"


def _length(year, month):
    """Days in an ordinary lunar month, counted on the solar calendar."""
    start = lunar_to_solar(year, month, 1)
    return 29 if solar_to_lunar(start + dt.timedelta(29)).day == 1 else 30


def test_lunar_day_label():
    assert lunar_day_label(D(2025, 1, 29)) == "春节"
    assert lunar_day_label(D(2025, 1, 28)) == "除夕"
    assert lunar_day_label(D(2025, 10, 1)) == "国庆节"
    assert lunar_day_label(D(2020, 10, 1)) == "中秋"  # 中秋 and 国庆节 together
    assert lunar_day_label(D(2025, 2, 28)) == "二月"  # 二月初一, no holiday
    assert lunar_day_label(D(2025, 2, 2)) == "初五"
    assert lunar_day_label(D(2025, 4, 4)) == "清明"


def test_holidays_between():
    found = holidays_between(D(2025, 1, 1), D(2025, 12, 31))
    assert [h.name for h in found].count("春节") == 1
    assert sorted(h.name for h in found) == sorted(HOLIDAY_NAMES)
    assert found == sorted(found, key=lambda h: h.date)
    assert Holiday(D(2025, 1, 29), "春节", True) in found
    assert Holiday(D(2025, 3, 8), "三八妇女节", False) in found
    assert Holiday(D(2025, 4, 4), "清明", False) in found
    both = holidays_between(D(2020, 10, 1), D(2020, 10, 1))
    assert [h.name for h in both] == ["中秋", "国庆节"]
    assert holidays_between(D(2025, 3, 9), D(2025, 3, 11)) == []
    assert holidays_between(D(2025, 3, 12), D(2025, 3, 1)) == []
    assert len(holidays_between(D(1800, 1, 1), D(1900, 12, 31))) == len(HOLIDAYS)


@given(st.integers(1900, 2100))
def test_every_holiday_falls_in_its_year(year):
    for name in HOLIDAY_NAMES:
        d = holiday_date(name, year)
        assert d.year == year
        assert Holiday(d, name, name in {"除夕", "春节", "元宵", "端午", "中秋", "重阳"}) in holidays_between(d, d)


def test_every_day_1900_to_2100_round_trips_and_steps_by_one():
    d = MIN_DATE
    previous = solar_to_lunar(d)
    assert lunar_to_solar(previous.year, previous.month, previous.day, previous.leap) == d
    while d < MAX_DATE:
        d += ONE
        lunar = solar_to_lunar(d)
        assert lunar_to_solar(lunar.year, lunar.month, lunar.day, lunar.leap) == d
        if lunar.day == 1:  # a new month follows day 29 or 30 of the previous one
            assert previous.day in (29, 30)
            if lunar.leap:
                assert (lunar.year, lunar.month) == (previous.year, previous.month) and not previous.leap
            elif lunar.month == 1:
                assert (lunar.year, previous.month) == (previous.year + 1, 12)
            else:
                assert (lunar.year, lunar.month) == (previous.year, previous.month + 1)
        else:
            assert (lunar.year, lunar.month, lunar.leap, lunar.day) == (
                previous.year, previous.month, previous.leap, previous.day + 1
            )
        previous = lunar


solar_dates = st.dates(D(1901, 1, 1), D(2099, 12, 31))


@given(solar_dates)
def test_solar_lunar_solar_round_trip(d):
    lunar = solar_to_lunar(d)
    assert lunar_to_solar(lunar.year, lunar.month, lunar.day, lunar.leap) == d


@given(st.dates(MIN_DATE, MAX_DATE))
def test_agrees_with_tyme4py_direct_conversion(d):
    reference = SolarDay.from_ymd(d.year, d.month, d.day).get_lunar_day()
    lunar = solar_to_lunar(d)
    assert (lunar.year, lunar.month, lunar.day, lunar.leap) == (
        reference.get_year(),
        abs(reference.get_month()),
        reference.get_day(),
        reference.get_month() < 0,
    )
    assert lunar.label.replace("冬月", "十一月").replace("腊月", "十二月") == str(reference).split("年", 1)[1]


@given(st.integers(1901, 2099), st.integers(1, 12), st.integers(1, 30), st.booleans())
def test_lunar_solar_lunar_round_trip(year, month, day, leap):
    try:
        d = lunar_to_solar(year, month, day, leap)
    except ValueError:
        assert (leap and leap_month(year) != month) or day == 30
        return
    assert solar_to_lunar(d) == LunarDate(year, month, day, leap)


@given(
    st.integers(1, 12),
    st.integers(1, 30),
    st.booleans(),
    st.dates(D(1900, 1, 1), D(2100, 12, 31)),
    st.integers(0, 3000),
)
def test_occurrences_lunar(month, day, leap, start, span):
    end = min(start + dt.timedelta(days=span), MAX_DATE)
    found = occurrences_lunar(month, day, start, end, leap=leap)
    assert found == sorted(found)
    assert all(start <= d <= end for d in found)
    years = [solar_to_lunar(d).year for d in found]
    assert len(set(years)) == len(years)  # at most once a lunar year
    for d in found:
        lunar = solar_to_lunar(d)
        assert lunar.month == month
        assert lunar.leap == (leap and leap_month(lunar.year) == month)
        assert lunar.day == day or (day == 30 and lunar.day == 29)
    # and nothing was missed: every lunar year whose date falls inside appears
    for year in range(start.year - 1, end.year + 1):
        if 1899 <= year <= 2100:
            d = lunar_to_solar(year, month, day, leap, clamp=True)
            assert (d in found) == (start <= d <= end)


def test_occurrences_lunar_birthday():
    # someone born on 八月十五: the next three 中秋s
    assert occurrences_lunar(8, 15, D(2024, 1, 1), D(2026, 12, 31)) == [
        holiday_date("中秋", 2024),
        holiday_date("中秋", 2025),
        holiday_date("中秋", 2026),
    ]
    # 闰六月初一 falls in its own month in 2025 and in 六月 otherwise
    assert occurrences_lunar(6, 1, D(2024, 1, 1), D(2026, 12, 31), leap=True) == [
        lunar_to_solar(2024, 6, 1),
        D(2025, 7, 25),
        lunar_to_solar(2026, 6, 1),
    ]
    with pytest.raises(ValueError):
        occurrences_lunar(13, 1, D(2024, 1, 1), D(2024, 12, 31))
