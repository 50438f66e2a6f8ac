"""Money in yuan, kept exact as integer fen (分).  No float anywhere.

People type ``500``, ``500.5``, ``1,234.50``, ``¥500``, ``500元`` or the
same with full-width characters; everything else (exponents, three
decimals, ``NaN``, words) is refused.
"""

from __future__ import annotations

import re
import unicodedata

from domain.i18n import register, tr

#: Largest amount accepted: 9,999,999,999.99 yuan (ten integer digits).
MAX_FEN = 10**12 - 1

register(
    {
        "money.invalid": (
            "金额以元为单位，最多两位小数，如 500 或 1234.50",
            "Amounts are in yuan with at most two decimals, e.g. 500 or 1234.50",
        ),
        "money.negative": (
            "金额不能为负数；金额以元为单位，最多两位小数，如 500 或 1234.50",
            "The amount cannot be negative; amounts are in yuan with at most two decimals, e.g. 500 or 1234.50",
        ),
        "money.too_large": (
            "金额太大，请核对（最多 9999999999.99 元）",
            "The amount is too large; check it (at most 9999999999.99 yuan)",
        ),
        "money.label": ("{amount} 元", "{amount} yuan"),
    }
)

# sign, then digits (plain, or grouped by thousands with commas), then up to
# two decimals.  ASCII digits only (re.ASCII): full-width ones are folded first.
_AMOUNT = re.compile(
    r"(?P<sign>[-+]?)(?P<int>[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.(?P<frac>[0-9]{1,2}))?",
    re.ASCII,
)


def parse_yuan(text: str, allow_negative: bool = False) -> int:
    """Read an amount in yuan; return integer fen.  ``ValueError`` if not an amount."""
    s = unicodedata.normalize("NFKC", text or "").strip()  # ￥ -> ¥, ２ -> 2, ， -> ,
    s = s.replace("\u2212", "-")  # a typographic minus sign
    if s.startswith("-") or s.startswith("+"):
        sign, s = s[0], s[1:].lstrip()
    else:
        sign = ""
    if s.startswith("¥"):
        s = s[1:].lstrip()
    if s.endswith("元"):
        s = s[:-1].rstrip()
    m = _AMOUNT.fullmatch(sign + s)
    if not m:
        raise ValueError(tr("money.invalid"))
    whole = int(m["int"].replace(",", ""))
    frac = int((m["frac"] or "").ljust(2, "0"))
    fen = whole * 100 + frac
    if fen > MAX_FEN:
        raise ValueError(tr("money.too_large"))
    if m["sign"] == "-" and fen:
        if not allow_negative:
            raise ValueError(tr("money.negative"))
        fen = -fen
    return fen


def format_yuan(fen: int, grouping: bool = False) -> str:
    """``123450`` -> ``"1234.50"`` (``"1,234.50"`` with ``grouping``)."""
    if not isinstance(fen, int) or isinstance(fen, bool):
        raise TypeError(f"fen must be an int, not {type(fen).__name__}")
    sign = "-" if fen < 0 else ""
    whole, frac = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{frac:02d}" if grouping else f"{sign}{whole}.{frac:02d}"


def format_yuan_label(fen: int) -> str:
    """``123450`` -> ``"1,234.50 元"``."""
    return tr("money.label", amount=format_yuan(fen, grouping=True))


# ----- 金额大写 (the rules for 票据 and 结算凭证)
_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")
_SECTIONS = ("", "万", "亿")


def _integer_words(yuan: int, zero_at_empty_place: bool) -> str:
    """Whole yuan in capitals (no 元): one 零 for each run of zeros between digits.

    A run of zeros that ends at the 万 place, after the 万 unit was written
    and before a 仟, is optional (壹拾万零柒仟 or 壹拾万柒仟)."""
    digits = str(yuan)
    out: list[str] = []
    pending_zero = False
    for i, ch in enumerate(digits):
        place = len(digits) - 1 - i
        d = int(ch)
        if d:
            if pending_zero:
                out.append("零")
            out.append(_DIGITS[d] + _PLACES[place % 4])
            pending_zero = False
        elif out:
            pending_zero = True
        if place % 4 == 0 and place:
            section = digits[max(0, i - 3): i + 1]
            if int(section):
                out.append(_SECTIONS[place // 4])
                if place == 4 and d == 0 and not zero_at_empty_place:
                    pending_zero = False
    return "".join(out)


def amount_in_words(fen: int, zero_at_empty_place: bool = True) -> str:
    """Integer fen as 人民币大写: ``1640902`` -> ``人民币壹万陆仟肆佰零玖元零贰分``.

    整 follows 元 only; 零 follows 元 when 角 is 0 and 分 is not; a 零 at an
    empty 万 or 元 place before a non-zero 仟 or 角 is written when
    ``zero_at_empty_place`` (both forms are allowed; finance offices differ)."""
    if not isinstance(fen, int) or isinstance(fen, bool):
        raise TypeError(f"fen must be an int, not {type(fen).__name__}")
    if fen < 0 or fen > MAX_FEN:
        raise ValueError(tr("money.too_large") if fen > 0 else tr("money.negative"))
    yuan, rest = divmod(fen, 100)
    jiao, fen_digit = divmod(rest, 10)
    if fen == 0:
        return "人民币零元整"
    words = _integer_words(yuan, zero_at_empty_place) if yuan else ""
    if yuan:
        words += "元"
    if not rest:
        return "人民币" + words + "整"
    if jiao:
        if yuan and yuan % 10 == 0 and zero_at_empty_place:
            words += "零"
        words += _DIGITS[jiao] + "角"
    elif yuan:
        words += "零"  # 角 is 0 and 分 is not: always 元零
    if fen_digit:
        words += _DIGITS[fen_digit] + "分"
    return "人民币" + words
