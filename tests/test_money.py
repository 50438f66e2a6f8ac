import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import money
from domain.money import MAX_FEN, format_yuan, format_yuan_label, parse_yuan

HINT = "金额以元为单位，最多两位小数，如 500 或 1234.50"


@pytest.mark.parametrize(
    "text, fen",
    [
        ("500", 50000),
        ("500.5", 50050),
        ("500.50", 50050),
        ("0.01", 1),
        ("0", 0),
        ("1,234.50", 123450),
        ("1,234,567", 123456700),
        ("¥500", 50000),
        ("￥500", 50000),
        ("¥ 500.5", 50050),
        ("500元", 50000),
        ("500 元", 50000),
        ("¥1,234.50元", 123450),
        ("５００．５０", 50050),
        ("１，２３４．５", 123450),
        ("  600  ", 60000),
        ("+600", 60000),
        ("007", 700),
    ],
)
def test_accepted(text, fen):
    assert parse_yuan(text) == fen


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "五百",
        "1e3",
        "1E3",
        "500.123",
        "500.",
        ".5",
        "NaN",
        "nan",
        "inf",
        "Infinity",
        "1,23",
        "12,34.5",
        "1,2345",
        ",500",
        "500,",
        "5 00",
        "0x10",
        "500元元",
        "--5",
        "1_000",
        "٥٠٠",
    ],
)
def test_refused_with_the_hint(text):
    with pytest.raises(ValueError) as e:
        parse_yuan(text)
    assert str(e.value) == HINT


def test_negative_refused_unless_allowed():
    with pytest.raises(ValueError) as e:
        parse_yuan("-500")
    assert "负" in str(e.value) and HINT in str(e.value)
    assert parse_yuan("-500", allow_negative=True) == -50000
    assert parse_yuan("−1,234.5", allow_negative=True) == -123450
    assert parse_yuan("-0") == 0  # minus zero is zero, not a negative amount


def test_too_large():
    assert parse_yuan("9999999999.99") == MAX_FEN
    with pytest.raises(ValueError):
        parse_yuan("10000000000")


def test_format():
    assert format_yuan(123450) == "1234.50"
    assert format_yuan(123450, grouping=True) == "1,234.50"
    assert format_yuan(5) == "0.05"
    assert format_yuan(0) == "0.00"
    assert format_yuan(-123450, grouping=True) == "-1,234.50"
    assert format_yuan_label(123450) == "1,234.50 元"
    with pytest.raises(TypeError):
        format_yuan(12.5)


def test_no_float_in_the_module():
    source = open(money.__file__, encoding="utf-8").read()
    assert "float(" not in source


fens = st.integers(min_value=-MAX_FEN, max_value=MAX_FEN)


@given(fens, st.booleans())
def test_format_parse_round_trip(fen, grouping):
    text = format_yuan(fen, grouping=grouping)
    assert parse_yuan(text, allow_negative=True) == fen
    assert parse_yuan(text + "元", allow_negative=True) == fen


@given(st.integers(min_value=0, max_value=MAX_FEN))
def test_label_round_trip(fen):
    assert parse_yuan(format_yuan_label(fen)) == fen


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_decimal_text_parses_exactly(value):
    assert parse_yuan(f"{value:f}") == int(value * 100)


@given(st.text(max_size=10))
def test_never_crashes_otherwise(text):
    try:
        fen = parse_yuan(text)
    except ValueError as e:
        assert str(e)
    else:
        assert isinstance(fen, int) and 0 <= fen <= MAX_FEN
