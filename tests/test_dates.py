import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import i18n
from domain.dates import (
    ACCEPTED_DATE_FORMS,
    DATE_FORM_EXAMPLES,
    MAX_YEAR,
    MIN_YEAR,
    parse_date,
    parse_iso,
    to_iso,
)

D = dt.date(2025, 3, 8)
TODAY = dt.date(2031, 12, 31)
FULL_WIDTH = str.maketrans("0123456789/-.", "０１２３４５６７８９／－．")


@pytest.mark.parametrize(
    "text",
    [
        "2025-03-08",
        "2025-3-8",
        "2025/3/8",
        "2025/03/08",
        "2025.3.8",
        "2025年3月8日",
        "2025年03月08日",
        "  2025年3月8日 ",
        "20250308",
        "２０２５－０３－０８",
        "２０２５年３月８日",
        "\u30002025/3/8\u3000",
    ],
)
def test_accepted_forms(text):
    assert parse_date(text, today=TODAY) == D


def test_month_day_takes_year_of_today():
    assert parse_date("3月8日", today=TODAY) == dt.date(2031, 3, 8)
    assert parse_date("12月1日", today=dt.date(2026, 1, 5)) == dt.date(2026, 12, 1)


def test_month_day_defaults_to_real_today():
    assert parse_date("1月1日") == dt.date(dt.date.today().year, 1, 1)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "2025-03",
        "2025/3-8",  # mixed separators
        "25-3-8",
        "3/8",
        "March 8 2025",
        "2025-03-08T10:00",
        "2025年3月8",
        "2025-003-08",
        "202538",
        "yesterday",
        "2025 3 8",
        "٢٠٢٥-٠٣-٠٨",  # Arabic-Indic digits are not accepted
    ],
)
def test_refused_forms_list_the_accepted_ones(text):
    with pytest.raises(ValueError) as e:
        parse_date(text, today=TODAY)
    assert ACCEPTED_DATE_FORMS in str(e.value)


@pytest.mark.parametrize(
    "text", ["2025-02-30", "2025/13/1", "2025年4月31日", "20250229", "2月30日", "2025.0.10"]
)
def test_impossible_dates_refused(text):
    with pytest.raises(ValueError) as e:
        parse_date(text, today=TODAY)
    message = str(e.value)
    assert "没有" in message and ACCEPTED_DATE_FORMS in message


def test_leap_day_accepted():
    assert parse_date("2024-02-29") == dt.date(2024, 2, 29)


def test_year_range():
    assert parse_date(f"{MIN_YEAR}-01-01") == dt.date(MIN_YEAR, 1, 1)
    assert parse_date(f"{MAX_YEAR}-12-31") == dt.date(MAX_YEAR, 12, 31)
    for text in (f"{MIN_YEAR - 1}-12-31", f"{MAX_YEAR + 1}-01-01", "0001-01-01"):
        with pytest.raises(ValueError):
            parse_date(text)


def test_english_message():
    i18n.set_language("en")
    try:
        with pytest.raises(ValueError) as e:
            parse_date("nonsense")
        assert "2025/3/8" in str(e.value) and "日期" not in str(e.value)
    finally:
        i18n.set_language("zh")


def test_examples_are_accepted_forms():
    for example in DATE_FORM_EXAMPLES:
        parse_date(example, today=TODAY)


dates = st.dates(dt.date(MIN_YEAR, 1, 1), dt.date(MAX_YEAR, 12, 31))


@given(dates)
def test_every_form_round_trips(d):
    forms = [
        to_iso(d),
        f"{d.year}/{d.month}/{d.day}",
        f"{d.year}.{d.month:02d}.{d.day}",
        f"{d.year}年{d.month}月{d.day}日",
        f"{d.year}{d.month:02d}{d.day:02d}",
    ]
    for text in forms + [f.translate(FULL_WIDTH) for f in forms]:
        assert parse_date(text) == d
    assert parse_date(f"{d.month}月{d.day}日", today=dt.date(d.year, 6, 1)) == d


@given(dates)
def test_iso_round_trip(d):
    assert parse_iso(to_iso(d)) == d
    assert len(to_iso(d)) == 10


def test_to_iso_pads_and_cuts_datetimes():
    assert to_iso(dt.date(1905, 1, 2)) == "1905-01-02"
    assert to_iso(dt.datetime(2025, 3, 8, 23, 59)) == "2025-03-08"


@pytest.mark.parametrize("text", ["2025/3/8", "20250308", "2025-3-8", "2025-02-30", "", "2025-03-08T00:00"])
def test_parse_iso_is_strict(text):
    with pytest.raises(ValueError):
        parse_iso(text)


@given(st.text(max_size=12))
def test_parse_date_never_crashes_otherwise(text):
    try:
        result = parse_date(text, today=TODAY)
    except ValueError as e:
        assert str(e)
    else:
        assert MIN_YEAR <= result.year <= MAX_YEAR
