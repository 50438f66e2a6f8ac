"""Warnings when a visit exceeds a configured cap (``config.caps[reason]``).

Caps differ by province, so no number lives here: ``Cap.max_fen`` is the most
慰问金 per visit, ``Cap.max_per_year`` the most visits of that reason per
member in a calendar year.  These are warnings, not refusals: the officer
decides (an approver may allow more).  Pure: no Textual, no I/O.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from domain.i18n import register, tr
from domain.money import format_yuan

register({
    "caps.amount": ("慰问金 {amount} 元超过“{reason}”的上限 {cap} 元",
                    "The amount {amount} yuan exceeds the cap of {cap} yuan for “{reason}”"),
    "caps.per_year": ("{name} {year} 年已有 {count} 次“{reason}”慰问，上限每年 {cap} 次",
                      "{name} already has {count} “{reason}” visits in {year}; the cap is {cap} a year"),
    "caps.status_amount": ("“{reason}”上限 {cap} 元", "cap for “{reason}”: {cap} yuan"),
    "caps.status_count": ("{year} 年第 {n} 次（每年最多 {cap} 次）", "visit {n} in {year} (at most {cap} a year)"),
    "caps.sep": ("；", "; "),
})


def cap_warnings(config, visit: Mapping, others: Iterable[Mapping] = ()) -> list[str]:
    """The warnings for ``visit`` (stored values) against the caps.

    ``others``: the ledger's visits (the same record, by ``id``, is skipped,
    so editing a visit does not count it twice)."""
    reason = visit.get("reason") or ""
    cap = config.caps.get(reason)
    if cap is None:
        return []
    warnings = []
    amount = visit.get("amount")
    if cap.max_fen is not None and amount is not None and amount > cap.max_fen:
        warnings.append(tr("caps.amount", amount=format_yuan(amount), reason=reason,
                           cap=format_yuan(cap.max_fen)))
    date = visit.get("date") or ""
    if cap.max_per_year is not None and date and visit.get("member_id"):
        year = date[:4]
        count = sum(1 for v in others
                    if v.get("member_id") == visit["member_id"] and v.get("reason") == reason
                    and (v.get("date") or "")[:4] == year and v.get("id") != visit.get("id"))
        if count + 1 > cap.max_per_year:
            warnings.append(tr("caps.per_year", name=visit.get("member_name") or visit["member_id"],
                               year=year, count=count, reason=reason, cap=cap.max_per_year))
    return warnings


def _same_group(visit: Mapping, others: Iterable[Mapping], reason: str, year: str) -> int:
    return sum(1 for v in others
               if v.get("member_id") == visit.get("member_id") and v.get("reason") == reason
               and (v.get("date") or "")[:4] == year and v.get("id") != visit.get("id"))


def cap_status(config, visit: Mapping, others: Iterable[Mapping] = ()) -> str:
    """What the form shows as you type: the category's cap and this visit's
    number in the year against the yearly limit ("" when the category has no cap)."""
    reason = visit.get("reason") or ""
    cap = config.caps.get(reason)
    if cap is None:
        return ""
    parts = []
    if cap.max_fen is not None:
        parts.append(tr("caps.status_amount", reason=reason, cap=format_yuan(cap.max_fen)))
    date = visit.get("date") or ""
    if cap.max_per_year is not None and date and visit.get("member_id"):
        n = _same_group(visit, others, reason, date[:4]) + 1
        parts.append(tr("caps.status_count", year=date[:4], n=n, cap=cap.max_per_year))
    return tr("caps.sep").join(parts)


def over_cap_ids(config, visits: Iterable[Mapping]) -> set[str]:
    """The visits over a cap: an amount over the category's, or a member's visit of
    a category beyond its yearly limit (the later ones by date).  One pass."""
    over: set[str] = set()
    groups: dict[tuple, list[Mapping]] = defaultdict(list)
    for v in visits:
        cap = config.caps.get(v.get("reason") or "")
        if cap is None:
            continue
        if cap.max_fen is not None and (v.get("amount") or 0) > cap.max_fen:
            over.add(v["id"])
        if cap.max_per_year is not None and v.get("date"):
            groups[(v.get("member_id"), v.get("reason"), v["date"][:4])].append(v)
    for (_, reason, _), group in groups.items():
        limit = config.caps[reason].max_per_year
        if len(group) > limit:
            group.sort(key=lambda v: (v.get("date") or "", v.get("created") or "", v["id"]))
            over.update(v["id"] for v in group[limit:])
    return over
