"""One spreadsheet cell to the text the ledger's validation reads.

Spreadsheets hand numbers back as floats: a phone number 13800138000.0, a
date typed into a General cell as its serial number 29288.0.  A 身份证号
that arrived as a number has been destroyed by Excel (it keeps 15
significant digits, the last three become 000): it is refused with a request
to re-enter it from the card, never repaired.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

from domain import fields as ft
from domain.fields import Field
from domain.i18n import register, tr
from domain.idcard import check_char

register({
    "imp.id_destroyed": ("身份证号已被 Excel 改坏（按数字保存只留 15 位有效数字，末几位变成 0），请按身份证重新录入",
                         ("Excel destroyed this ID number (stored as a number it keeps 15 significant digits); "
                          "re-enter it from the ID card")),
    "imp.month_ambiguous": ("{value} 作为数字保存，分不清是 {year} 年 1 月还是 10 月；请写成 {year}年10月 或 {year}.10 的文本",
                            "{value} was stored as a number: January or October {year}? Write it as text, e.g. {year}-10"),
})

#: Date fields a roster often gives as a month only (出生年月 1980.3).
MONTH_ONLY_FIELDS = ("birth_date", "joined_date", "retired_date")
CHOICE_ALIASES = {
    "党员": "中共党员", "预备党员": "中共预备党员", "团员": "共青团员", "男性": "男", "女性": "女",
    "离退休": "退休", "离休": "退休", "在岗": "在职",
}
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_MONTH_ONLY = re.compile(r"(\d{4})\s*(?:[-./]|年)\s*(\d{1,2})\s*月?|(\d{4})(\d{2})", re.ASCII)
_SCIENTIFIC = re.compile(r"\d(\.\d+)?E\+?\d+", re.ASCII | re.IGNORECASE)


class CellError(ValueError):
    """A cell refused before validation (the message is for the user)."""


def cell_text(f: Field, raw) -> str:
    if type(raw) is str:  # most cells: the quick way first
        return _string_text(f, raw)
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, (dt.time, dt.timedelta)):
        return str(raw)
    if isinstance(raw, (int, float)):
        return _number_text(f, raw)
    return _string_text(f, str(raw))


def _string_text(f: Field, raw: str) -> str:
    text = raw.strip()
    if not text:
        return ""
    if f.type != ft.TEXT:
        text = unicodedata.normalize("NFKC", text).strip()
    if f.type == ft.IDCARD and _destroyed_idcard(text):
        raise CellError(tr("imp.id_destroyed"))
    if f.type == ft.CHOICE:
        return CHOICE_ALIASES.get(text, text)
    return text


def _number_text(f: Field, value: float) -> str:
    if f.type == ft.IDCARD:
        raise CellError(tr("imp.id_destroyed"))
    integral = float(value).is_integer()
    if f.type == ft.DATE and integral and 1 <= value < 100_000:
        return (_EXCEL_EPOCH + dt.timedelta(days=int(value))).isoformat()
    if integral:
        return shown(value)
    text = repr(float(value))
    if f.type == ft.DATE and re.fullmatch(r"\d{4}\.1", text):
        raise CellError(tr("imp.month_ambiguous", value=text, year=text[:4]))
    return text


def shown(raw) -> str:
    """A cell as the officer reads it, never a Python form (None, 2024.0, 1.1e+17, True, a list)."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, float) and raw.is_integer():  # the digits the file holds, not float noise
        return format(Decimal(repr(raw)).to_integral_value(), "f")
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(" ", "minutes")
    if isinstance(raw, (list, tuple)):
        return "、".join(shown(item) for item in raw)
    return raw.isoformat() if isinstance(raw, dt.date) else str(raw)


def _destroyed_idcard(text: str) -> bool:
    s = "".join(text.split()).upper()
    if _SCIENTIFIC.fullmatch(s):
        return True
    return len(s) == 18 and s.isdigit() and s.endswith("000") and check_char(s[:17]) != s[17]


def month_only(text: str) -> tuple[int, int] | None:
    """``(year, month)`` when ``text`` names only a month (1980.3, 1980年3月, 198003)."""
    if not text:
        return None
    m = _MONTH_ONLY.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if not m:
        return None
    year, month = (int(m[1]), int(m[2])) if m[1] else (int(m[3]), int(m[4]))
    return (year, month) if 1900 <= year <= 2100 and 1 <= month <= 12 else None
