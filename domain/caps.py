"""Warnings when a visit exceeds a configured cap (``config.caps[reason]``).

Caps differ by province, so no number lives here: ``Cap.max_fen`` is the most
慰问金 per visit, ``Cap.max_per_year`` the most visits of that reason per
member in a calendar year.  These are warnings, not refusals: the officer
decides (an approver may allow more).  Pure: no Textual, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from domain.i18n import register, tr
from domain.money import format_yuan

register({
    "caps.amount": ("慰问金 {amount} 元超过“{reason}”的上限 {cap} 元",
                    "The amount {amount} yuan exceeds the cap of {cap} yuan for “{reason}”"),
    "caps.per_year": ("{name} {year} 年已有 {count} 次“{reason}”慰问，上限每年 {cap} 次",
                      "{name} already has {count} “{reason}” visits in {year}; the cap is {cap} a year"),
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
