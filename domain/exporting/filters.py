"""Which records an export (or a report) takes: the command line's options.

Members and visits go through ``domain.queries`` (the lists' own filters and
order); the date range and a visit's 工会小组 (the visited member's group)
narrow further here, and an event is taken when it falls in the range.
Every option is checked first: a value not accepted is one message naming
the option and what it accepts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain.dates import parse_date
from domain.errors import UserError
from domain.fields import MEMBERSHIP
from domain.i18n import register, tr
from domain.queries import LedgerQueries, MemberFilter, VisitFilter
from domain.recurrence import event_occurrences

register({
    "filter.not_for": ("选项 {option} 不适用于{kind}；它只用于：{kinds}",
                       "option {option} does not apply to {kind}; it applies to: {kinds}"),
    "filter.choice": ("选项 {option} 的值“{value}”不可用；可用：{choices}",
                      "option {option}: {value!r} is not accepted; accepted: {choices}"),
    "filter.date": ("选项 {option}：{error}", "option {option}: {error}"),
    "filter.year": ("选项 --year 应为四位年份，如 2025", "option --year must be a four-digit year such as 2025"),
    "filter.range": ("选项 --from 的日期 {start} 晚于 --to 的日期 {end}",
                     "option --from ({start}) is after --to ({end})"),
    "filter.kind.member": ("会员", "members"),
    "filter.kind.event": ("活动", "events"),
    "filter.kind.visit": ("慰问", "visits"),
})

#: The kinds each option applies to.
APPLIES = {
    "year": ("event", "visit"), "from": ("event", "visit"), "to": ("event", "visit"),
    "reason": ("visit",), "fund": ("visit",), "status": ("member",), "group": ("member", "visit"),
}


class FilterError(UserError, ValueError):
    pass


@dataclass(frozen=True)
class Selection:
    """Checked options; empty means no filter."""
    start: dt.date | None = None
    end: dt.date | None = None
    reason: str = ""
    fund: str = ""
    status: str = ""
    group: str = ""


def _kind_name(kind: str) -> str:
    return tr(f"filter.kind.{kind}")


def _choice(option: str, value: str, allowed) -> str:
    if value and value not in allowed:
        raise FilterError(tr("filter.choice", option=option, value=value, choices="、".join(allowed)))
    return value


def _date(option: str, text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise FilterError(tr("filter.date", option=f"--{option}", error=exc)) from None


def _range(year: str | int | None, start: dt.date | None, end: dt.date | None):
    if year not in (None, ""):
        text = str(year)
        if not (text.isascii() and text.isdigit() and len(text) == 4):
            raise FilterError(tr("filter.year"))
        y = int(text)
        start = max(start or dt.date(y, 1, 1), dt.date(y, 1, 1))
        end = min(end or dt.date(y, 12, 31), dt.date(y, 12, 31))
    if start and end and start > end:
        raise FilterError(tr("filter.range", start=start.isoformat(), end=end.isoformat()))
    return start, end


def make_selection(kind: str, options: dict, config, groups=()) -> Selection:
    """Check ``options`` (year, from, to, reason, fund, status, group: text or None)
    for ``kind``; ``groups`` are the 工会小组 the ledger knows."""
    for name, value in options.items():
        if value not in (None, "") and kind not in APPLIES[name]:
            raise FilterError(tr("filter.not_for", option=f"--{name}", kind=_kind_name(kind),
                                 kinds="、".join(_kind_name(k) for k in APPLIES[name])))
    start, end = _range(options.get("year"), _date("from", options.get("from")),
                        _date("to", options.get("to")))
    return Selection(
        start=start, end=end,
        reason=_choice("--reason", options.get("reason") or "", config.choices("visit_reasons")),
        fund=_choice("--fund", options.get("fund") or "", config.choices("fund_sources")),
        status=_choice("--status", options.get("status") or "", MEMBERSHIP),
        group=_choice("--group", options.get("group") or "", tuple(groups)),
    )


def _in_range(text: str, sel: Selection) -> bool:
    if sel.start and (not text or text < sel.start.isoformat()):
        return False
    return not (sel.end and (not text or text > sel.end.isoformat()))


def select(ledger, kind: str, sel: Selection, queries: LedgerQueries | None = None) -> list[dict]:
    """The records of ``kind`` ``sel`` takes, in the list's order."""
    queries = queries or LedgerQueries(ledger)
    if kind == "member":
        return queries.members(MemberFilter(status=sel.status, group=sel.group))
    if kind == "visit":
        rows = queries.visits(VisitFilter(reason=sel.reason, fund=sel.fund))
        rows = [v for v in rows if _in_range(v.get("date") or "", sel)]
        if sel.group:
            in_group = {m["id"] for m in queries.members(MemberFilter(group=sel.group))}
            rows = [v for v in rows if v.get("member_id") in in_group]
        return sorted(rows, key=lambda v: (v.get("date") or "", v.get("member_name") or ""))
    events = sorted(ledger.records("event"), key=lambda e: (e.get("date") or "", e.get("title") or ""))
    if sel.start is None and sel.end is None:
        return events
    return [e for e in events if _falls_in(e, sel.start, sel.end)]


def _falls_in(event: dict, lo: dt.date | None, hi: dt.date | None) -> bool:
    """An occurrence in ``[lo, hi]``; with one end open, a repeating event
    begun by ``hi`` (or at all, for ``lo`` alone) always has one."""
    text = event.get("date") or ""
    if lo is None or hi is None:
        repeats = (event.get("recurrence") or "不重复") != "不重复"
        if hi is not None:
            return bool(text) and text <= hi.isoformat()
        return bool(text) and (repeats or text >= lo.isoformat())
    try:
        return bool(event_occurrences(event, lo, hi))
    except ValueError:  # no usable date: not in any range
        return False
