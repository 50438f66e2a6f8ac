import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.idcard import (
    check_char,
    idcard_birth_date,
    idcard_sex,
    make_idcard,
    normalize_idcard,
    validate_idcard,
)

# The worked example printed in GB 11643-1999 itself.
STANDARD_EXAMPLE = "11010519491231002X"


def test_standard_example():
    assert validate_idcard(STANDARD_EXAMPLE) == STANDARD_EXAMPLE
    assert idcard_birth_date(STANDARD_EXAMPLE) == dt.date(1949, 12, 31)
    assert idcard_sex(STANDARD_EXAMPLE) == "女"
    assert check_char(STANDARD_EXAMPLE[:17]) == "X"


def test_normalize():
    assert normalize_idcard(" 110105 19491231 002x ") == STANDARD_EXAMPLE
    assert normalize_idcard("１１０１０５１９４９１２３１００２ｘ") == STANDARD_EXAMPLE
    assert validate_idcard("11010519491231002x") == STANDARD_EXAMPLE


@pytest.mark.parametrize(
    "text",
    ["", "1101051949123100", "11010519491231002XX", "1101051949123100XX", "11010519491231A02X", "X10105194912310021"],
)
def test_shape_refused(text):
    with pytest.raises(ValueError) as e:
        validate_idcard(text)
    assert "18 位" in str(e.value)


def test_old_15_digit_number_gets_its_own_message():
    with pytest.raises(ValueError) as e:
        validate_idcard("110105491231002")
    assert "15 位" in str(e.value)


def test_excel_scientific_notation_is_explained():
    with pytest.raises(ValueError) as e:
        validate_idcard("1.10105E+17")
    assert "Excel" in str(e.value)


def test_excel_zeroed_tail_is_caught():
    good = make_idcard("440106", dt.date(1985, 6, 1), 123, "男")
    zeroed = good[:15] + "000"
    assert zeroed != good
    with pytest.raises(ValueError):
        validate_idcard(zeroed)


@pytest.mark.parametrize("birth", ["19490230", "19491301", "18991231", "30000101"])
def test_impossible_birth_date(birth):
    first17 = "110105" + birth + "002"
    with pytest.raises(ValueError) as e:
        validate_idcard(first17 + check_char(first17))
    assert birth in str(e.value) and "出生日期" in str(e.value)


def test_wrong_check_digit_does_not_leak_the_right_one():
    messages = set()
    for seq in range(20):  # numbers whose right check characters differ
        good = make_idcard("110105", dt.date(1980, 1, 1), seq, "女")
        bad = good[:17] + ("0" if good[17] != "0" else "1")
        with pytest.raises(ValueError) as e:
            validate_idcard(bad)
        messages.add(str(e.value))
    assert len(messages) == 1
    (message,) = messages
    assert "校验" in message and "X" in message


def test_make_idcard_argument_checks():
    for args in [("11010", dt.date(1990, 1, 1), 1, "男"), ("110105", dt.date(1990, 1, 1), 500, "男"),
                 ("110105", dt.date(1990, 1, 1), 1, "M")]:
        with pytest.raises(ValueError):
            make_idcard(*args)


areas = st.text(alphabet="0123456789", min_size=6, max_size=6)
births = st.dates(dt.date(1900, 1, 1), dt.date.today())
seqs = st.integers(0, 499)
sexes = st.sampled_from(["男", "女"])


@given(areas, births, seqs, sexes)
def test_make_idcard_validates_and_reads_back(area, birth, seq, sex):
    idcard = make_idcard(area, birth, seq, sex)
    assert validate_idcard(idcard) == idcard
    assert idcard_birth_date(idcard) == birth
    assert idcard_sex(idcard) == sex
    assert idcard.startswith(area)
    assert validate_idcard(idcard.lower()) == idcard


@given(areas, births, seqs, sexes, st.integers(0, 17), st.data())
def test_any_single_change_is_caught(area, birth, seq, sex, position, data):
    idcard = make_idcard(area, birth, seq, sex)
    alphabet = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(st.sampled_from([c for c in alphabet if c != idcard[position]]))
    changed = idcard[:position] + replacement + idcard[position + 1:]
    with pytest.raises(ValueError):
        validate_idcard(changed)


@given(areas, births, seqs, sexes, st.integers(0, 16))
def test_adjacent_swap_is_caught(area, birth, seq, sex, position):
    idcard = make_idcard(area, birth, seq, sex)
    a, b = idcard[position], idcard[position + 1]
    if a == b or "X" in (a, b):
        return
    swapped = idcard[:position] + b + a + idcard[position + 2:]
    with pytest.raises(ValueError):
        validate_idcard(swapped)
