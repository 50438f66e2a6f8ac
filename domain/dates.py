"""Reading dates the way people type them, and storing them as ISO text.

People type ``2025-03-08``, ``2025/3/8``, ``2025.3.8``, ``2025年3月8日``,
``3月8日`` or ``20250308``, sometimes with full-width digits from a Chinese
input method.  Exactly these forms are accepted: a guessing parser (such as
dateutil's fuzzy mode) turns typos into wrong dates, which is worse than a
clear refusal.  Stored dates are always ISO ``YYYY-MM-DD``.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from domain.i18n import language, register, tr

#: The forms ``parse_date`` accepts, as examples (for messages and hints).
DATE_FORM_EXAMPLES: tuple[str, ...] = (
    "2025-03-08",
    "2025/3/8",
    "2025.3.8",
    "2025年3月8日",
    "3月8日",
    "20250308",
)
ACCEPTED_DATE_FORMS: str = "、".join(DATE_FORM_EXAMPLES)

#: Years a date may fall in (the lunar calendar is exact over this span, and
#: anything outside it in a union ledger is a typo).
MIN_YEAR = 1900
MAX_YEAR = 2100

register(
    {
        "dates.empty": (
            "请填写日期，可写成 {forms}",
            "Enter a date, written as {forms}",
        ),
        "dates.bad_form": (
            "“{text}”不是可识别的日期，可写成 {forms}",
            "“{text}” is not a date; write it as {forms}",
        ),
        "dates.no_such_day": (
            "没有 {year}年{month}月{day}日 这一天，日期可写成 {forms}",
            "There is no such day as {year}-{month}-{day}; write a date as {forms}",
        ),
        "dates.year_range": (
            "年份须在 {min} 到 {max} 之间，日期可写成 {forms}",
            "The year must be between {min} and {max}; write a date as {forms}",
        ),
        "dates.bad_iso": (
            "“{text}”不是 YYYY-MM-DD 格式的日期",
            "“{text}” is not a date in YYYY-MM-DD form",
        ),
    }
)

_SEPARATED = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})", re.ASCII)
_CHINESE_FULL = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", re.ASCII)
_CHINESE_SHORT = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日", re.ASCII)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII)
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)


def _forms() -> str:
    return ACCEPTED_DATE_FORMS if language() == "zh" else ", ".join(DATE_FORM_EXAMPLES)


def _normalise(text: str) -> str:
    # NFKC folds full-width digits and punctuation (２０２５／３／８) and the
    # ideographic space to their ASCII forms; 年月日 are left alone.
    return unicodedata.normalize("NFKC", text).strip()


def _make(year: int, month: int, day: int) -> datetime.date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(tr("dates.year_range", min=MIN_YEAR, max=MAX_YEAR, forms=_forms()))
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(
            tr("dates.no_such_day", year=year, month=month, day=day, forms=_forms())
        ) from None


def parse_date(text: str, today: datetime.date | None = None) -> datetime.date:
    """Read a date typed by a person; ``ValueError`` (a user-facing sentence) if not one.

    ``3月8日`` takes the year of ``today`` (default: the real today).
    """
    s = _normalise(text or "")
    if not s:
        raise ValueError(tr("dates.empty", forms=_forms()))
    if m := _SEPARATED.fullmatch(s):
        return _make(int(m[1]), int(m[3]), int(m[4]))
    if m := _CHINESE_FULL.fullmatch(s):
        return _make(int(m[1]), int(m[2]), int(m[3]))
    if m := _CHINESE_SHORT.fullmatch(s):
        year = (today or datetime.date.today()).year
        return _make(year, int(m[1]), int(m[2]))
    if m := _COMPACT.fullmatch(s):
        return _make(int(m[1]), int(m[2]), int(m[3]))
    raise ValueError(tr("dates.bad_form", text=text.strip(), forms=_forms()))


def to_iso(d: datetime.date) -> str:
    """The stored form, ``YYYY-MM-DD`` (a datetime is cut to its date)."""
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def parse_iso(s: str) -> datetime.date:
    """Read a stored ``YYYY-MM-DD`` date, strictly (no other ISO variants)."""
    m = _ISO.fullmatch(s.strip()) if isinstance(s, str) else None
    if not m:
        raise ValueError(tr("dates.bad_iso", text=s))
    try:
        return datetime.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValueError(tr("dates.bad_iso", text=s)) from None
