import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.phone import validate_mobile


@pytest.mark.parametrize(
    "text",
    [
        "13800138000",
        " 138 0013 8000 ",
        "138-0013-8000",
        "+8613800138000",
        "+86 138 0013 8000",
        "0086-138-0013-8000",
        "１３８００１３８０００",
        "+８６ １３８００１３８０００",
        "\u3000138\u30000013\u30008000",
    ],
)
def test_accepted(text):
    assert validate_mobile(text) == "13800138000"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "1380013800",  # 10 digits
        "138001380001",  # 12 digits
        "12800138000",  # 12x is not a mobile prefix
        "10086",
        "23800138000",
        "010-62345678",  # a landline
        "8613800138000",  # country code without + or 00
        "+8513800138000",
        "1380013800O",  # letter O
        "138.0013.8000",
        "tel:13800138000",
    ],
)
def test_refused(text):
    with pytest.raises(ValueError) as e:
        validate_mobile(text)
    assert "11 位" in str(e.value)


@given(st.sampled_from("3456789"), st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_any_valid_number_survives_formatting(second, rest):
    number = "1" + second + rest
    assert validate_mobile(number) == number
    spaced = f"+86 {number[:3]} {number[3:7]}-{number[7:]}"
    assert validate_mobile(spaced) == number


@given(st.text(max_size=16))
def test_result_is_always_a_bare_mobile(text):
    try:
        result = validate_mobile(text)
    except ValueError:
        return
    assert len(result) == 11 and result.isascii() and result.isdigit() and result[1] in "3456789"
