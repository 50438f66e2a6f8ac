"""The Chinese lunar calendar (农历) and the holidays a school union keeps.

Conversions come from ``tyme4py`` (exact over 1900-2100; GB/T 33661-2017).
tyme4py recomputes new moons on every call (about 1 ms a date), too slow for
a calendar that labels 42 cells per frame, so each lunar year's months are
read from it once and kept as a small table (month, leap, first day, length);
conversions are then a bisect.

Lunar recurrence cannot be written as an RRULE: store the lunar month, day
and leap flag, and compute each year with :func:`occurrences_lunar`.
"""

from __future__ import annotations

import bisect
import datetime
from dataclasses import dataclass
from functools import lru_cache

from tyme4py.lunar import LunarYear
from tyme4py.solar import SolarTerm

from domain.i18n import register, tr

#: Supported range.  Solar dates: 1900-01-01 .. 2100-12-31.  Lunar years:
#: 1899 (whose 腊月 covers January 1900) .. 2100.
MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2100, 12, 31)
MIN_LUNAR_YEAR = 1899
MAX_LUNAR_YEAR = 2100

MONTH_NAMES = ("正月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "冬月", "腊月")
DAY_NAMES = (
    "初一", "初二", "初三", "初四", "初五", "初六", "初七", "初八", "初九", "初十",
    "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十",
    "廿一", "廿二", "廿三", "廿四", "廿五", "廿六", "廿七", "廿八", "廿九", "三十",
)  # fmt: skip

register(
    {
        "lunar.date_range": (
            "日期须在 {min} 到 {max} 之间",
            "The date must be between {min} and {max}",
        ),
        "lunar.year_range": (
            "农历年份须在 {min} 到 {max} 之间",
            "The lunar year must be between {min} and {max}",
        ),
        "lunar.month_range": (
            "农历月份须在 1 到 12 之间",
            "The lunar month must be between 1 and 12",
        ),
        "lunar.day_range": (
            "农历日须在 1 到 30 之间（初一到三十）",
            "The lunar day must be between 1 and 30",
        ),
        "lunar.no_leap": (
            "农历{year}年没有闰{month}",
            "Lunar year {year} has no leap month {number}",
        ),
        "lunar.short_month": (
            "农历{year}年{month}只有 {days} 天",
            "Lunar year {year}, month {month}, has only {days} days",
        ),
        "lunar.unknown_holiday": (
            "没有名为“{name}”的节日，可选：{names}",
            "No holiday is called “{name}”; choose from {names}",
        ),
    }
)


def month_name(month: int, leap: bool = False) -> str:
    """``正月`` .. ``腊月``, with ``闰`` for a leap month."""
    return ("闰" if leap else "") + MONTH_NAMES[month - 1]


@dataclass(frozen=True)
class LunarDate:
    year: int  # lunar year (正月初一 to 除夕)
    month: int  # 1-12
    day: int  # 1-30
    leap: bool = False

    @property
    def month_name(self) -> str:
        return month_name(self.month, self.leap)

    @property
    def label(self) -> str:
        """``正月初一``, ``闰四月十五``, ``腊月廿三``."""
        return self.month_name + DAY_NAMES[self.day - 1]

    @property
    def day_label(self) -> str:
        """``初五``, ``十五``, ``廿三``, ``三十``; on day 1 the month name (``正月``, ``闰六月``)."""
        return self.month_name if self.day == 1 else DAY_NAMES[self.day - 1]


# ---------------------------------------------------------------- the table


@dataclass(frozen=True)
class _Month:
    month: int
    leap: bool
    start: int  # proleptic ordinal of day 1
    days: int  # 29 or 30


@lru_cache(maxsize=None)
def _months(lunar_year: int) -> tuple[_Month, ...]:
    """The months of a lunar year in order (a leap month follows its namesake)."""
    months = []
    for m in LunarYear.from_year(lunar_year).get_months():
        first = m.get_first_julian_day().get_solar_day()
        start = datetime.date(first.get_year(), first.get_month(), first.get_day()).toordinal()
        months.append(_Month(m.get_month(), m.is_leap(), start, m.get_day_count()))
    return tuple(months)


@lru_cache(maxsize=None)
def _starts(lunar_year: int) -> tuple[int, ...]:
    return tuple(m.start for m in _months(lunar_year))


def _check_date(d: datetime.date) -> None:
    if not MIN_DATE <= d <= MAX_DATE:
        raise ValueError(tr("lunar.date_range", min=MIN_DATE.isoformat(), max=MAX_DATE.isoformat()))


def _check_lunar(year: int, month: int, day: int) -> None:
    if not MIN_LUNAR_YEAR <= year <= MAX_LUNAR_YEAR:
        raise ValueError(tr("lunar.year_range", min=MIN_LUNAR_YEAR, max=MAX_LUNAR_YEAR))
    if not 1 <= month <= 12:
        raise ValueError(tr("lunar.month_range"))
    if not 1 <= day <= 30:
        raise ValueError(tr("lunar.day_range"))


def solar_to_lunar(d: datetime.date) -> LunarDate:
    """The lunar date of a solar (Gregorian) date."""
    _check_date(d)
    ordinal = d.toordinal()
    year = d.year
    if ordinal < _months(year)[0].start:  # before this year's 春节
        year -= 1
    m = _months(year)[bisect.bisect_right(_starts(year), ordinal) - 1]
    return LunarDate(year, m.month, ordinal - m.start + 1, m.leap)


def lunar_to_solar(
    lunar_year: int, month: int, day: int, leap: bool = False, clamp: bool = False
) -> datetime.date:
    """The solar date of a lunar date.

    ``ValueError`` if the leap month does not exist that year or the month is
    shorter than ``day``.  With ``clamp=True`` (how people keep lunar
    birthdays): a missing leap month falls back to the ordinary month, and
    day 30 of a 29-day month becomes day 29.
    """
    _check_lunar(lunar_year, month, day)
    months = _months(lunar_year)
    found = next((m for m in months if m.month == month and m.leap == leap), None)
    if found is None:  # only a leap month can be missing
        if not clamp:
            raise ValueError(
                tr("lunar.no_leap", year=lunar_year, month=month_name(month), number=month)
            )
        found = next(m for m in months if m.month == month and not m.leap)
    if day > found.days:
        if not clamp:
            raise ValueError(
                tr("lunar.short_month", year=lunar_year, month=month_name(month, found.leap), days=found.days)
            )
        day = found.days
    return datetime.date.fromordinal(found.start + day - 1)


def leap_month(lunar_year: int) -> int:
    """The leap month of a lunar year (e.g. 6 for 2025's 闰六月), or 0."""
    _check_lunar(lunar_year, 1, 1)
    return next((m.month for m in _months(lunar_year) if m.leap), 0)


def occurrences_lunar(
    month: int, day: int, start: datetime.date, end: datetime.date, leap: bool = False
) -> list[datetime.date]:
    """Every solar date in ``[start, end]`` on which lunar ``month``/``day`` falls.

    Clamped as for birthdays (see :func:`lunar_to_solar`), so a 闰四月 or 三十
    anniversary still comes once a year.  Dates outside the supported range
    are not searched.
    """
    _check_lunar(MIN_LUNAR_YEAR, month, day)
    lo, hi = max(start, MIN_DATE), min(end, MAX_DATE)
    found = []
    # lunar year Y runs from late January/February of Y into the next solar year
    for year in range(max(lo.year - 1, MIN_LUNAR_YEAR), min(hi.year, MAX_LUNAR_YEAR) + 1):
        d = lunar_to_solar(year, month, day, leap=leap, clamp=True)
        if lo <= d <= hi:
            found.append(d)
    return found


# ---------------------------------------------------------------- holidays


@dataclass(frozen=True)
class HolidayRule:
    """How a holiday falls: ``kind`` is ``solar`` (month/day), ``lunar``
    (lunar month/day), ``lunar_eve`` (the day before 正月初一) or ``solar_term``
    (the day of the solar term named ``term``)."""

    name: str
    kind: str
    month: int = 0
    day: int = 0
    term: str = ""

    @property
    def lunar(self) -> bool:
        return self.kind in ("lunar", "lunar_eve")

    def date_in(self, year: int) -> datetime.date:
        """The date of this holiday in solar ``year`` (1900-2100)."""
        if self.kind == "solar":
            return datetime.date(year, self.month, self.day)
        if self.kind == "lunar":
            # 春节 to 重阳 always fall in the solar year that shares the number
            return lunar_to_solar(year, self.month, self.day)
        if self.kind == "lunar_eve":
            return lunar_to_solar(year, 1, 1) - datetime.timedelta(days=1)
        if self.kind == "solar_term":
            s = SolarTerm.from_name(year, self.term).get_solar_day()
            return datetime.date(s.get_year(), s.get_month(), s.get_day())
        raise AssertionError(self.kind)


@dataclass(frozen=True)
class Holiday:
    date: datetime.date
    name: str
    lunar: bool


#: In display priority: when two fall on one day (中秋 and 国庆节 on
#: 2020-10-01), the earlier here is listed first and labels the calendar cell.
HOLIDAYS: tuple[HolidayRule, ...] = (
    HolidayRule("除夕", "lunar_eve"),
    HolidayRule("春节", "lunar", 1, 1),
    HolidayRule("元宵", "lunar", 1, 15),
    HolidayRule("端午", "lunar", 5, 5),
    HolidayRule("中秋", "lunar", 8, 15),
    HolidayRule("重阳", "lunar", 9, 9),
    HolidayRule("清明", "solar_term", term="清明"),
    HolidayRule("元旦", "solar", 1, 1),
    HolidayRule("三八妇女节", "solar", 3, 8),
    HolidayRule("植树节", "solar", 3, 12),
    HolidayRule("劳动节", "solar", 5, 1),
    HolidayRule("青年节", "solar", 5, 4),
    HolidayRule("儿童节", "solar", 6, 1),
    HolidayRule("教师节", "solar", 9, 10),
    HolidayRule("国庆节", "solar", 10, 1),
)
HOLIDAY_NAMES: tuple[str, ...] = tuple(rule.name for rule in HOLIDAYS)
_RULES = {rule.name: rule for rule in HOLIDAYS}
_PRIORITY = {name: i for i, name in enumerate(HOLIDAY_NAMES)}


@lru_cache(maxsize=512)
def _holidays_of_year(year: int) -> tuple[Holiday, ...]:
    days = [Holiday(rule.date_in(year), rule.name, rule.lunar) for rule in HOLIDAYS]
    return tuple(sorted(days, key=lambda h: (h.date, _PRIORITY[h.name])))


@lru_cache(maxsize=512)
def _holidays_by_date(year: int) -> dict[datetime.date, tuple[Holiday, ...]]:
    by_date: dict[datetime.date, tuple[Holiday, ...]] = {}
    for h in _holidays_of_year(year):
        by_date[h.date] = by_date.get(h.date, ()) + (h,)
    return by_date


def holiday_date(name: str, year: int) -> datetime.date:
    """The date of the holiday ``name`` in solar ``year``.

    For 除夕: the 除夕 that falls in ``year``, the eve of that year's 春节.
    """
    rule = _RULES.get(name)
    if rule is None:
        raise ValueError(tr("lunar.unknown_holiday", name=name, names="、".join(HOLIDAY_NAMES)))
    if not MIN_DATE.year <= year <= MAX_DATE.year:
        raise ValueError(tr("lunar.date_range", min=MIN_DATE.isoformat(), max=MAX_DATE.isoformat()))
    return rule.date_in(year)


def holidays_between(start: datetime.date, end: datetime.date) -> list[Holiday]:
    """The holidays in ``[start, end]``, by date (ties in :data:`HOLIDAYS` order)."""
    lo, hi = max(start, MIN_DATE), min(end, MAX_DATE)
    return [
        h
        for year in range(lo.year, hi.year + 1)
        for h in _holidays_of_year(year)
        if lo <= h.date <= hi
    ]


def lunar_day_label(d: datetime.date) -> str:
    """What a calendar cell shows under the day number: the holiday if any
    (the first in :data:`HOLIDAYS` order), else the month name on day 1,
    else the lunar day (``初五``)."""
    holidays = _holidays_by_date(d.year).get(d) if MIN_DATE <= d <= MAX_DATE else None
    if holidays:
        return holidays[0].name
    return solar_to_lunar(d).day_label
