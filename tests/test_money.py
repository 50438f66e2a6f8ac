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


# ----- 金额大写
from domain.money import amount_in_words  # noqa: E402


@pytest.mark.parametrize(
    "fen, written, omitted",
    [
        # the official examples (正确填写票据和结算凭证的基本规定)
        (1640902, "人民币壹万陆仟肆佰零玖元零贰分", None),
        (32504, "人民币叁佰贰拾伍元零肆分", None),
        (120000, "人民币壹仟贰佰元整", None),
        (5, "人民币伍分", None),
        (140950, "人民币壹仟肆佰零玖元伍角", None),
        (600714, "人民币陆仟零柒元壹角肆分", None),
        (168032, "人民币壹仟陆佰捌拾元零叁角贰分", "人民币壹仟陆佰捌拾元叁角贰分"),
        (10700053, "人民币壹拾万零柒仟元零伍角叁分", "人民币壹拾万柒仟元伍角叁分"),
        # the style and the edges
        (100550, "人民币壹仟零伍元伍角", None),
        (0, "人民币零元整", None),
        (50, "人民币伍角", None),
        (55, "人民币伍角伍分", None),
        (100, "人民币壹元整", None),
        (105, "人民币壹元零伍分", None),
        (1005, "人民币壹拾元零伍分", None),
        (1000, "人民币壹拾元整", None),
        (1000000, "人民币壹万元整", None),
        (10000003, "人民币壹拾万元零叁分", None),
        (10500000, "人民币壹拾万零伍仟元整", "人民币壹拾万伍仟元整"),
        (100700000, "人民币壹佰万零柒仟元整", "人民币壹佰万柒仟元整"),
        # up to 亿: a zero run across an empty 万 section keeps its 零
        (10000000000, "人民币壹亿元整", None),
        (10001000000, "人民币壹亿零壹万元整", None),
        (10000000100, "人民币壹亿零壹元整", None),
        (10000100000, "人民币壹亿零壹仟元整", None),
        (101000000000, "人民币壹拾亿零壹仟万元整", None),
        (123456789012, "人民币壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元零壹角贰分",
         "人民币壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元壹角贰分"),
        (MAX_FEN, "人民币玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分", None),
    ],
)
def test_amount_in_words(fen, written, omitted):
    assert amount_in_words(fen) == written
    assert amount_in_words(fen, zero_at_empty_place=False) == (omitted or written)


@pytest.mark.parametrize("bad", [-1, MAX_FEN + 1])
def test_amount_in_words_refuses_out_of_range(bad):
    with pytest.raises(ValueError):
        amount_in_words(bad)


@pytest.mark.parametrize("bad", [1.5, "100", True, None])
def test_amount_in_words_takes_integer_fen_only(bad):
    with pytest.raises(TypeError):
        amount_in_words(bad)


_CAPITAL_DIGITS = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
_CAPITAL_PLACES = {"拾": 10, "佰": 100, "仟": 1000}


def _read_capitals(words: str) -> int:
    """An independent reader of 大写 back to fen (for the round trip)."""
    assert words.startswith("人民币")
    body = words[3:].removesuffix("整")
    yuan_part, sep, small = body.partition("元")
    if not sep:
        yuan_part, small = "", body
    total, section, digit = 0, 0, 0
    for ch in yuan_part:
        if ch in _CAPITAL_DIGITS:
            digit = _CAPITAL_DIGITS[ch]
        elif ch in _CAPITAL_PLACES:
            section += digit * _CAPITAL_PLACES[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10**4
            section = digit = 0
        elif ch == "亿":
            total = (total + section + digit) * 10**8
            section = digit = 0
    small = small.replace("零", "")
    fen = (total + section + digit) * 100
    for value_char, unit in zip(small[::2], small[1::2]):
        fen += _CAPITAL_DIGITS[value_char] * (10 if unit == "角" else 1)
    return fen


@given(st.integers(min_value=0, max_value=MAX_FEN), st.booleans())
def test_amount_in_words_reads_back(fen, zero):
    words = amount_in_words(fen, zero_at_empty_place=zero)
    assert _read_capitals(words) == fen
    assert "零零" not in words
    assert words.endswith("整") == (fen % 100 == 0)
