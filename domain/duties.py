"""What a union chair must act on this month, and the plan's yearly targets.

Computed from a ledger's records (anything with ``records(kind)`` and,
optionally, ``history(kind, id)``).  Each ``Duty`` names the record it is
about and, for a visit due, the visit reason to prefill, so the screen can
offer one key to the record or to a new visit.  Pure: no Textual, no I/O.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from domain.i18n import register, tr
from domain.recurrence import event_occurrences

register({
    "duty.event": ("活动", "Event"),
    "duty.holiday": ("节日", "Holiday"),
    "duty.hardship": ("帮困", "Hardship"),
    "duty.ill": ("探望", "Illness"),
    "duty.retiree": ("退休慰问", "Retiree"),
    "duty.birthday": ("生日", "Birthday"),
    "duty.hardship_detail": ("困难职工（{category}），{year} 年尚未帮扶",
                             "In hardship ({category}), not helped yet in {year}"),
    "duty.ill_detail": ("健康状况：{health}，之后尚无慰问", "Health: {health}; no visit since"),
    "duty.retiree_detail": ("{holiday}（{date}）前尚未慰问", "Not visited yet before {holiday} ({date})"),
    "duty.birthday_detail": ("{calendar}生日", "{calendar} birthday"),
    "duty.lunar_holiday": ("农历节日", "lunar holiday"),
    "target.files": ("建档率", "Hardship files opened"),
    "target.helped": ("帮困率", "Members in hardship helped"),
    "target.dues": ("会费收缴率", "Dues collected"),
    "target.activity": ("活动参与率", "Took part in an activity"),
    "target.files.formula": ("已建档（填了建档日期）的困难职工 ÷ 困难职工（有困难类别、会籍未转出或退会、当年未脱困）",
                             "members in hardship with a file opened (建档日期 set) ÷ members in hardship "
                             "(a hardship category, not transferred or left, not out of hardship before this year)"),
    "target.helped.formula": ("当年至少慰问过一次的困难职工 ÷ 困难职工", "members in hardship visited at least once this year ÷ members in hardship"),
    "target.dues.formula": ("会费缴至本年度的会员 ÷ 在会且在职的会员（退休会员不缴会费）",
                            "members whose dues are paid for this year ÷ serving members in 在会 (retirees pay none)"),
    "target.activity.formula": ("今年到今天为止至少参加过一次活动（按每次的参加人）的会员 ÷ 在会会员",
                                "members who attended at least one occurrence held this year up to today ÷ members in 在会"),
})

INACTIVE = ("转出", "退会")
ILL = ("患病", "住院", "大病")
#: A visit within this many days before a festival counts as the festival visit.
FESTIVAL_WINDOW = 60
#: Retirees are listed when the coming festival is at most this far away.
FESTIVAL_LEAD = 45


@dataclass(frozen=True)
class Duty:
    kind: str  # event, holiday, hardship, ill, retiree, birthday
    date: dt.date | None
    title: str
    detail: str = ""
    member_id: str = ""
    event_id: str = ""
    reason: str = ""  # the visit reason to prefill, for visits due

    @property
    def label(self) -> str:
        return tr(f"duty.{self.kind}")


@dataclass(frozen=True)
class Target:
    key: str
    done: int
    total: int
    counted: tuple = field(default=(), compare=False, repr=False)  # the members in ``total``
    done_ids: frozenset = field(default=frozenset(), compare=False, repr=False)

    @property
    def label(self) -> str:
        return tr(f"target.{self.key}")

    @property
    def formula(self) -> str:
        """What is counted, in words (Home's key to the targets shows it)."""
        return tr(f"target.{self.key}.formula")

    @property
    def missing(self) -> list[dict]:
        """The members counted in the total but not (yet) in the done."""
        return [m for m in self.counted if m["id"] not in self.done_ids]

    @property
    def percent(self) -> float | None:
        return None if not self.total else 100.0 * self.done / self.total


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _active(m: dict) -> bool:
    return (m.get("status") or "在会") not in INACTIVE


def in_hardship(m: dict, on: dt.date | None = None) -> bool:
    """A member with a hardship category whose file is not closed (by ``on``)."""
    if not m.get("hardship") or not _active(m):
        return False
    closed = _date(m.get("hardship_closed"))
    return closed is None or (on is not None and closed > on)


def _visits_by_member(visits) -> dict[str, list[dt.date]]:
    by = defaultdict(list)
    for v in visits:
        d = _date(v.get("date"))
        if d:
            by[v.get("member_id", "")].append(d)
    return by


def _health_since(ledger, member: dict) -> dt.date | None:
    """When the member's health was last set (history), else when the record last changed."""
    history = getattr(ledger, "history", None)
    if history is not None:
        for entry in reversed(history("member", member["id"])):
            if entry.get("field") in ("health", "*"):
                return _date(entry.get("at", "")[:10])
    return _date((member.get("updated") or "")[:10])


def _next_birthday(m: dict, start: dt.date, end: dt.date) -> dt.date | None:
    born = _date(m.get("birth_date"))
    if born is None:
        return None
    if m.get("birthday_calendar") == "农历":
        from domain.lunar import occurrences_lunar, solar_to_lunar

        try:
            ld = solar_to_lunar(born)
            days = occurrences_lunar(ld.month, ld.day, start, end, leap=ld.leap)
        except ValueError:
            return None
        return days[0] if days else None
    for year in (start.year, start.year + 1):
        try:
            d = dt.date(year, born.month, born.day)
        except ValueError:  # 29 February
            d = dt.date(year, 2, 28)
        if start <= d <= end:
            return d
    return None


def _coming_festival(today: dt.date) -> tuple[dt.date, str]:
    """The next 重阳 or 春节 (the retirees' festivals) on or after ``today``."""
    from domain.lunar import holiday_date

    festivals = []
    for name in ("重阳", "春节"):
        for year in (today.year, today.year + 1):
            fd = holiday_date(name, year)
            if today <= fd:
                festivals.append((fd, name))
                break
    return min(festivals)


def month_duties(ledger, today: dt.date, days: int = 30) -> list[Duty]:
    """Events and holidays of the next ``days`` days, then the visits due and birthdays."""
    from domain.lunar import holidays_between

    end = today + dt.timedelta(days=days)
    members = ledger.records("member")
    visits = _visits_by_member(ledger.records("visit"))
    out: list[Duty] = []
    for e in ledger.records("event"):
        for d in event_occurrences(e, today, end):
            out.append(Duty("event", d, e.get("title", ""), e.get("location", ""), event_id=e["id"]))
    for h in holidays_between(today, end):
        out.append(Duty("holiday", h.date, h.name, tr("duty.lunar_holiday") if h.lunar else ""))
    out.sort(key=lambda d: (d.date, d.kind != "holiday", d.title))

    year_start = dt.date(today.year, 1, 1)
    festival = _coming_festival(today)
    due: list[Duty] = []
    births: list[Duty] = []
    for m in members:
        if not _active(m):
            continue
        mid, seen = m["id"], visits.get(m["id"], ())
        name = m.get("name", "")
        if in_hardship(m, today) and not any(d >= year_start for d in seen):
            due.append(Duty("hardship", None, name, tr("duty.hardship_detail", category=m["hardship"],
                                                       year=today.year), mid, reason="经济困难"))
        if m.get("health") in ILL:
            since = _health_since(ledger, m)
            if not any(since is None or d >= since for d in seen):
                due.append(Duty("ill", since, name, tr("duty.ill_detail", health=m["health"]), mid,
                                reason="大病救助" if m["health"] == "大病" else "生病住院"))
        if m.get("employment") == "退休" and (festival[0] - today).days <= FESTIVAL_LEAD:
            window = festival[0] - dt.timedelta(days=FESTIVAL_WINDOW)
            if not any(window <= d <= festival[0] for d in seen):
                due.append(Duty("retiree", festival[0], name,
                                tr("duty.retiree_detail", holiday=festival[1], date=festival[0].isoformat()),
                                mid, reason="节日慰问"))
        birthday = _next_birthday(m, today, end)
        if birthday:
            births.append(Duty("birthday", birthday, name,
                               tr("duty.birthday_detail", calendar=m.get("birthday_calendar") or "公历"),
                               mid))
    order = {"hardship": 0, "ill": 1, "retiree": 2}
    due.sort(key=lambda d: (order[d.kind], d.title))
    births.sort(key=lambda d: (d.date, d.title))
    return out + due + births


def targets(ledger, year: int, today: dt.date | None = None) -> list[Target]:
    """建档率, 帮困率, 会费收缴率, 活动参与率 for ``year``; 活动参与率 counts the
    occurrences held up to ``today`` (all of ``year`` when not given)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    members = ledger.records("member")
    helped = {v.get("member_id") for v in ledger.records("visit") if (v.get("date") or "")[:4] == str(year)}
    hardship = [m for m in members if m.get("hardship") and _active(m)
                and not ((c := _date(m.get("hardship_closed"))) and c < start)]
    filed = {m["id"] for m in hardship if m.get("hardship_opened")}
    payers = [m for m in members if (m.get("status") or "在会") == "在会" and m.get("employment") != "退休"]
    paid = {m["id"] for m in payers if (m.get("dues_paid_year") or 0) >= year}
    active = [m for m in members if (m.get("status") or "在会") == "在会"]
    from domain.occurrences import took_part

    held_by = min(end, today) if today is not None else end
    attended = took_part(ledger.records("event"), start, held_by)
    return [_target("files", hardship, filed), _target("helped", hardship, helped),
            _target("dues", payers, paid), _target("activity", active, attended)]


def _target(key: str, counted: list[dict], done: set) -> Target:
    ids = frozenset(m["id"] for m in counted if m["id"] in done)
    return Target(key, len(ids), len(counted), tuple(counted), ids)
