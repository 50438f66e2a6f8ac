"""The figures of a year's 工作总结, as tables an officer pastes into it.

Members (total, by 会籍状态, joined, retired, women, under 35, by 工会小组),
hardship (files open, opened, helped, money), visits (by reason, fund source
and month: 人次 and 金额), events (by category: events, occurrences held,
participants; 活动参与率) and the four targets with the formula beside each
(``annual_targets``).  Members are counted as the ledger holds them now;
visits and events by their dates in the year.  Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from domain.duties import in_hardship
from domain.fields import MEMBERSHIP
from domain.i18n import register, tr
from domain.occurrences import took_part
from domain.recurrence import event_occurrences
from domain.reports.annual_targets import targets_table
from domain.reports.settings import ReportSettings
from domain.reports.tables import Report, Section, Table, counted, percent

register({
    "annual.title": ("{union}{year}年工作总结数据", "{union}: figures for {year}"),
    "annual.subtitle": ("统计截至 {date}（会员按台账现状，慰问、活动按当年日期）",
                        "As of {date} (members as the ledger holds them; visits and events by their dates)"),
    "annual.s.members": ("一、会员情况", "1. Members"),
    "annual.s.hardship": ("二、困难职工帮扶", "2. Members in hardship"),
    "annual.s.visits": ("三、慰问情况", "3. Welfare visits"),
    "annual.s.events": ("四、活动情况", "4. Events"),
    "annual.s.targets": ("五、目标完成情况", "5. Targets"),
    "annual.t.members": ("会员概况", "Overview"), "annual.t.status": ("按会籍状态", "By membership status"),
    "annual.t.groups": ("按工会小组", "By union group"), "annual.t.hardship": ("困难职工", "Hardship"),
    "annual.t.by_reason": ("按慰问类别", "By reason"), "annual.t.by_fund": ("按经费来源", "By fund source"),
    "annual.t.by_month": ("按月份", "By month"), "annual.t.events": ("按活动类别", "By category"),
    "annual.h.item": ("项目", "Item"), "annual.h.count": ("人数", "People"),
    "annual.h.times": ("人次", "Visits"), "annual.h.amount": ("金额（元）", "Amount (yuan)"),
    "annual.h.events": ("活动项数", "Events"), "annual.h.held": ("举办次数", "Times held"),
    "annual.h.people": ("参加人数", "Participants"), "annual.h.share": ("占比", "Share"),
    "annual.r.total": ("会员总数", "Members in total"), "annual.r.joined": ("当年入会", "Joined this year"),
    "annual.r.retired": ("退休会员", "Retired"), "annual.r.retired_year": ("当年退休", "Retired this year"),
    "annual.r.women": ("女会员", "Women"), "annual.r.young": ("35 岁以下（青年教师）", "Under 35"),
    "annual.r.open": ("困难职工档案（年底未脱困）", "Hardship files open at year end"),
    "annual.r.opened": ("当年新建档", "Files opened this year"),
    "annual.r.closed": ("当年脱困", "Out of hardship this year"),
    "annual.r.helped": ("当年受帮扶的困难职工", "Helped this year"),
    "annual.r.money": ("帮扶金额（元）", "Money to them (yuan)"),
    "annual.r.sum": ("合计", "Total"), "annual.r.none": ("（未填）", "(blank)"),
    "annual.r.month": ("{month}月", "{month}"),
    "annual.note.events": ("参加人数按各次活动的出席登记计（同一人计一次）：共 {people} 人，在会会员活动参与率 {rate}",
                           "Participants as recorded per occurrence (a person counted once): {people}; participation {rate}"),
    "annual.note.young": ("年龄按 {date} 计", "Age as of {date}"),
})


def _year_of(text: str | None) -> str:
    return (text or "")[:4]


def _members_section(members: list[dict], year: int) -> Section:
    y = str(year)
    end = dt.date(year, 12, 31)
    young_after = dt.date(year - 35, 12, 31)
    young = sum(1 for m in members if (m.get("birth_date") or "") > young_after.isoformat())
    overview = [
        (tr("annual.r.total"), len(members)),
        (tr("annual.r.joined"), sum(1 for m in members if _year_of(m.get("joined_date")) == y)),
        (tr("annual.r.retired"), sum(1 for m in members if m.get("employment") == "退休")),
        (tr("annual.r.retired_year"), sum(1 for m in members if _year_of(m.get("retired_date")) == y)),
        (tr("annual.r.women"), sum(1 for m in members if m.get("gender") == "女")),
        (tr("annual.r.young"), young),
    ]
    item, count, share = tr("annual.h.item"), tr("annual.h.count"), tr("annual.h.share")
    status = counted(Counter(m.get("status") or "在会" for m in members), MEMBERSHIP)
    groups = counted(Counter(m.get("union_group") or tr("annual.r.none") for m in members))
    with_share = lambda pairs: tuple((k, n, percent(n, len(members))) for k, n in pairs)  # noqa: E731
    return Section(tr("annual.s.members"), (
        Table(tr("annual.t.members"), (item, count), tuple(overview),
              note=tr("annual.note.young", date=end.isoformat())),
        Table(tr("annual.t.status"), (item, count, share), with_share(status)),
        Table(tr("annual.t.groups"), (item, count, share), with_share(groups)),
    ))


def _hardship_section(members: list[dict], visits: list[dict], year: int) -> Section:
    y, end = str(year), dt.date(year, 12, 31)
    before = dt.date(year, 1, 1) - dt.timedelta(days=1)
    ids = {m["id"] for m in members if in_hardship(m, before)}  # in hardship at some time of the year
    to_them = [v for v in visits if v.get("member_id") in ids]
    rows = (
        (tr("annual.r.open"), sum(1 for m in members if in_hardship(m, end)), None),
        (tr("annual.r.opened"), sum(1 for m in members if _year_of(m.get("hardship_opened")) == y), None),
        (tr("annual.r.closed"), sum(1 for m in members if _year_of(m.get("hardship_closed")) == y), None),
        (tr("annual.r.helped"), len({v["member_id"] for v in to_them}), sum(v.get("amount") or 0 for v in to_them)),
    )
    headers = (tr("annual.h.item"), tr("annual.h.count"), tr("annual.r.money"))
    table = Table(tr("annual.t.hardship"), headers, rows, money=(2,))
    return Section(tr("annual.s.hardship"), (table,))


def _by(visits: list[dict], key, order=(), every=False) -> tuple[tuple, ...]:
    """人次 and 金额 by ``key``; ``every``: a row for each of ``order``, even at 0."""
    times, money = Counter(), Counter()
    for v in visits:
        k = key(v)
        times[k] += 1
        money[k] += v.get("amount") or 0
    pairs = [(k, times[k]) for k in order] if every else counted(times, order)
    rows = [(k, n, money[k]) for k, n in pairs]
    rows.append((tr("annual.r.sum"), len(visits), sum(money.values())))
    return tuple(rows)


def _visits_section(visits: list[dict], config) -> Section:
    headers = (tr("annual.h.item"), tr("annual.h.times"), tr("annual.h.amount"))
    none = tr("annual.r.none")
    months = [tr("annual.r.month", month=m) for m in range(1, 13)]
    month_of = lambda v: tr("annual.r.month", month=int(v["date"][5:7]))  # noqa: E731
    return Section(tr("annual.s.visits"), (
        Table(tr("annual.t.by_reason"), headers,
              _by(visits, lambda v: v.get("reason") or none, config.choices("visit_reasons")), money=(2,),
              total_last=True),
        Table(tr("annual.t.by_fund"), headers,
              _by(visits, lambda v: v.get("fund_source") or none, config.choices("fund_sources")), money=(2,),
              total_last=True),
        Table(tr("annual.t.by_month"), headers, _by(visits, month_of, months, every=True), money=(2,), total_last=True),
    ))


def _events_section(events: list[dict], members: list[dict], year: int, today: dt.date, config) -> Section:
    """Events held up to ``today`` (cancelled occurrences not counted), and who attended them."""
    start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
    by_category: dict[str, list[dict]] = {}
    held = Counter()
    for e in events:
        if e.get("date_tbd") == "是" or not e.get("date"):
            continue
        times = len(event_occurrences(e, start, end)) if start <= end else 0
        if times:
            cat = e.get("category") or tr("annual.r.none")
            by_category.setdefault(cat, []).append(e)
            held[cat] += times
    count = Counter({cat: len(es) for cat, es in by_category.items()})
    headers = (tr("annual.h.item"), tr("annual.h.events"), tr("annual.h.held"), tr("annual.h.people"))
    people = {k: took_part(es, start, end) for k, es in by_category.items()}
    rows = [(k, n, held[k], len(people[k])) for k, n in counted(count, config.choices("event_categories"))]
    everyone = set().union(*people.values())
    rows.append((tr("annual.r.sum"), sum(count.values()), sum(held.values()), len(everyone)))
    active = [m for m in members if (m.get("status") or "在会") == "在会"]
    took = sum(1 for m in active if m["id"] in everyone)
    note = tr("annual.note.events", people=len(everyone), rate=percent(took, len(active)))
    table = Table(tr("annual.t.events"), headers, tuple(rows), note=note, total_last=True)
    return Section(tr("annual.s.events"), (table,))


def annual_report(ledger, year: int, settings: ReportSettings, today: dt.date | None = None) -> Report:
    today = today or dt.date.today()
    members = ledger.records("member")
    visits = [v for v in ledger.records("visit") if _year_of(v.get("date")) == str(year)]
    visits.sort(key=lambda v: v.get("date") or "")
    as_of = min(dt.date(year, 12, 31), today)
    return Report(
        title=tr("annual.title", union=settings.union_name, year=year),
        subtitle=tr("annual.subtitle", date=as_of.isoformat()),
        sections=(
            _members_section(members, year),
            _hardship_section(members, visits, year),
            _visits_section(visits, ledger.config),
            _events_section(ledger.records("event"), members, year, today, ledger.config),
            Section(tr("annual.s.targets"), (targets_table(ledger, year, settings, today),)),
        ),
    )
