"""The four targets of a work plan, each with the formula it was computed by.

The figures are ``domain.duties.targets``'.  Two definitions can be changed
in ``[reports.targets]`` (see ``domain/default_config.toml``): which visit
reasons count as help (帮困率) and whether retirees count for 活动参与率.  A
changed definition is applied by handing ``targets`` a narrower view of the
ledger (only those visits; only serving members), so the counting itself
stays in one place.
"""

from __future__ import annotations

from domain.duties import Target, targets
from domain.i18n import register, tr
from domain.reports.settings import ReportSettings
from domain.reports.tables import Table, percent

register({
    "annual.t.targets": ("四项指标", "The four targets"),
    "annual.h.target": ("指标", "Target"), "annual.h.rate": ("完成率", "Rate"),
    "annual.h.formula": ("计算方法", "How it is computed"),
    "annual.f.files": ("有建档日期的困难职工 {done} ÷ 当年困难职工 {total}",
                       "members in hardship with a file opened {done} / members in hardship {total}"),
    "annual.f.helped": ("当年受过慰问（{reasons}）的困难职工 {done} ÷ 当年困难职工 {total}",
                        "members in hardship visited this year ({reasons}) {done} / members in hardship {total}"),
    "annual.f.dues": ("会费缴至 {year} 年度的会员 {done} ÷ 在会且在职的会员 {total}",
                      "members with dues paid for {year} {done} / serving members in the union {total}"),
    "annual.f.activity": ("当年参加过活动的会员 {done} ÷ 在会会员（{who}）{total}",
                          "members who took part in an event {done} / members in the union ({who}) {total}"),
    "annual.f.any_reason": ("任何慰问类别", "any reason"),
    "annual.f.with_retirees": ("含退休", "retirees included"),
    "annual.f.no_retirees": ("不含退休", "retirees left out"),
    "annual.note.targets": ("定义可在配置 [reports.targets] 中修改", "Definitions: [reports.targets] in the configuration"),
})


class _Narrowed:
    """A ledger seen through: the records of some kinds replaced."""

    def __init__(self, ledger, **records: list[dict]):
        self._ledger, self._records = ledger, records

    def records(self, kind: str) -> list[dict]:
        return self._records[kind] if kind in self._records else self._ledger.records(kind)

    def history(self, kind: str, rid: str) -> list[dict]:
        return self._ledger.history(kind, rid)


def configured_targets(ledger, year: int, settings: ReportSettings, today=None) -> dict[str, Target]:
    """``today``: activities count up to it (the year's end when not given)."""
    found = {t.key: t for t in targets(ledger, year, today)}
    if settings.help_reasons:
        visits = [v for v in ledger.records("visit") if v.get("reason") in settings.help_reasons]
        found["helped"] = {t.key: t for t in targets(_Narrowed(ledger, visit=visits), year, today)}["helped"]
    if not settings.activity_retirees:
        serving = [m for m in ledger.records("member") if m.get("employment") != "退休"]
        found["activity"] = {t.key: t for t in targets(_Narrowed(ledger, member=serving), year, today)}["activity"]
    return found


def _formula(target: Target, year: int, settings: ReportSettings) -> str:
    extra = {
        "helped": {"reasons": "、".join(settings.help_reasons) or tr("annual.f.any_reason")},
        "dues": {"year": year},
        "activity": {"who": tr("annual.f.with_retirees" if settings.activity_retirees else "annual.f.no_retirees")},
    }.get(target.key, {})
    return tr(f"annual.f.{target.key}", done=target.done, total=target.total, **extra)


def targets_table(ledger, year: int, settings: ReportSettings, today=None) -> Table:
    found = configured_targets(ledger, year, settings, today)
    rows = tuple((t.label, percent(t.done, t.total), _formula(t, year, settings))
                 for t in (found[k] for k in ("files", "helped", "dues", "activity")))
    headers = (tr("annual.h.target"), tr("annual.h.rate"), tr("annual.h.formula"))
    return Table(tr("annual.t.targets"), headers, rows, note=tr("annual.note.targets"),
                 widths_cm=(3.0, 2.5, 10.5))
