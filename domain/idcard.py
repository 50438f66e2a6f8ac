"""Resident identity numbers (居民身份证号码), GB 11643-1999.

18 characters: a 6-digit area code, the birth date ``YYYYMMDD``, a 3-digit
order code (odd for men, even for women) and an ISO 7064 MOD 11-2 check
character (``0``-``9`` or ``X``).  Excel turns long numbers into floats and
zeroes their last digits; the check character catches that.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from domain.i18n import register, tr

register(
    {
        "idcard.format": (
            "身份证号应为 18 位：前 17 位是数字，最后一位是数字或 X",
            "An ID number has 18 characters: 17 digits, then a digit or X",
        ),
        "idcard.old_15": (
            "这是旧的 15 位身份证号，请填写现在的 18 位号码",
            "This is an old 15-digit ID number; enter the current 18-character one",
        ),
        "idcard.excel": (
            "身份证号被 Excel 改成了科学计数法，请把该列设为文本后重新录入 18 位号码",
            "Excel turned the ID number into scientific notation; format the column as text and re-enter the 18 characters",
        ),
        "idcard.birth": (
            "身份证号中的出生日期（{birth}）不存在",
            "The birth date in the ID number ({birth}) does not exist",
        ),
        "idcard.check": (
            "身份证号校验位不对，请逐位核对（18 位，最后一位可以是 X）",
            "The ID number's check character does not match; check every character (18 characters, the last may be X)",
        ),
    }
)

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)
_EARLIEST_BIRTH = datetime.date(1900, 1, 1)


def check_char(first17: str) -> str:
    """The GB 11643 check character for 17 digits."""
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalize_idcard(text: str) -> str:
    """Drop whitespace, fold full-width characters, upper-case a final x."""
    s = unicodedata.normalize("NFKC", text or "")
    return "".join(s.split()).upper()


def _birth(first17: str) -> datetime.date | None:
    try:
        d = datetime.date(int(first17[6:10]), int(first17[10:12]), int(first17[12:14]))
    except ValueError:
        return None
    return d if _EARLIEST_BIRTH <= d <= datetime.date.today() else None


def validate_idcard(text: str) -> str:
    """Return the normalised 18-character number, or ``ValueError`` saying what is wrong."""
    s = normalize_idcard(text)
    if not _SHAPE.fullmatch(s):
        if "E+" in s or "E17" in s:
            raise ValueError(tr("idcard.excel"))
        if len(s) == 15 and s.isascii() and s.isdigit():
            raise ValueError(tr("idcard.old_15"))
        raise ValueError(tr("idcard.format"))
    if _birth(s[:17]) is None:
        raise ValueError(tr("idcard.birth", birth=s[6:14]))
    if check_char(s[:17]) != s[17]:
        raise ValueError(tr("idcard.check"))
    return s


def idcard_birth_date(id: str, *, checked: bool = False) -> datetime.date:
    """The birth date written in a number (``checked``: it is already the output of
    ``validate_idcard``, so it is not checked again: an import checks 10,000)."""
    s = id if checked else validate_idcard(id)
    return datetime.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))


def idcard_sex(id: str, *, checked: bool = False) -> str:
    """``"男"`` if the 17th digit is odd, else ``"女"``."""
    return "男" if int((id if checked else validate_idcard(id))[16]) % 2 else "女"


def make_idcard(area: str, birth: datetime.date, seq: int, sex: str) -> str:
    """A valid number for demo and test data.

    ``area`` is 6 digits, ``seq`` 0-499 picks the order code, and ``sex``
    (``"男"``/``"女"``) sets its parity: order code = 2*seq+1 for men, 2*seq for women.
    """
    if not (len(area) == 6 and area.isascii() and area.isdigit()):
        raise ValueError(f"area must be 6 digits, not {area!r}")
    if not 0 <= seq <= 499:
        raise ValueError(f"seq must be 0-499, not {seq}")
    if sex not in ("男", "女"):
        raise ValueError(f"sex must be 男 or 女, not {sex!r}")
    first17 = f"{area}{birth.year:04d}{birth.month:02d}{birth.day:02d}{2 * seq + (sex == '男'):03d}"
    return first17 + check_char(first17)
