"""The 慰问金发放签领表 (sign-off sheet) for a set of visits: its content.

Union finance rules want one signed before 慰问金 is paid or reimbursed.
The title carries the union's name, the reason (or campaign) and the date
range; each visit is a row with room to sign; a 合计 row gives the total in
figures and in capitals (from integer fen, ``domain.money``); under the
table the 经手人, 证明人 and 工会主席 sign and date.  ``signoff_write`` puts
it in a file (.xlsx or .pdf).
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import UserError
from domain.i18n import register, tr
from domain.money import amount_in_words, format_yuan
from domain.reports.settings import ReportSettings, report_settings

register({
    "signoff.title": ("{union}慰问金发放签领表", "{union}: sign-off sheet for welfare payments"),
    "signoff.reason": ("慰问事由：{reason}", "Reason: {reason}"),
    "signoff.reasons_many": ("各类慰问", "all reasons"),
    "signoff.fund": ("经费来源：{fund}", "Fund source: {fund}"),
    "signoff.period": ("发放期间：{start} 至 {end}", "Period: {start} to {end}"),
    "signoff.col.seq": ("序号", "No."),
    "signoff.col.name": ("姓名", "Name"),
    "signoff.col.group": ("工会小组", "Union group"),
    "signoff.col.reason": ("慰问事由", "Reason"),
    "signoff.col.amount": ("慰问金（元）", "Amount (yuan)"),
    "signoff.col.goods": ("慰问品", "Goods"),
    "signoff.col.sign": ("签名", "Signature"),
    "signoff.col.date": ("日期", "Date"),
    "signoff.total": ("合计", "Total"),
    "signoff.total_words": ("共 {n} 人次，金额大写：{words}", "{n} payments; in words: {words}"),
    "signoff.handler": ("经手人：", "Handled by:"),
    "signoff.witness": ("证明人：", "Witness:"),
    "signoff.chair": ("工会主席：", "Union chair:"),
    "signoff.date_line": ("日期：　　　　年　　月　　日", "Date:"),
    "signoff.family": ("{name}（{relation}：{recipient}）", "{name} ({relation}: {recipient})"),
    "signoff.empty": ("所选范围内没有慰问记录：{what}", "No visits in the range chosen: {what}"),
    "signoff.empty_all": ("台账里还没有慰问记录，无法生成签领表", "The ledger holds no visits yet: there is nothing to sign for"),
})

COLUMNS = ("seq", "name", "group", "reason", "amount", "goods", "sign", "date")
#: Above this many reasons the title says 各类慰问 instead of naming them.
MAX_REASONS_NAMED = 3


@dataclass(frozen=True)
class SignoffSheet:
    title: str
    lines: tuple[str, ...]  # reason, fund, period
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # cells as text; amounts 1234.50
    amounts_fen: tuple[int, ...]  # per row, for a number cell
    total_fen: int
    total_label: str  # 合计
    total_words: str  # 共 N 人次，金额大写：人民币…
    signatures: tuple[str, ...]  # 经手人： 证明人： 工会主席：
    date_line: str


def _who(visit: dict) -> str:
    name = visit.get("member_name") or ""
    relation, recipient = visit.get("relation") or "本人", visit.get("recipient") or ""
    if relation != "本人" and recipient:
        return tr("signoff.family", name=name, relation=relation, recipient=recipient)
    return name


def _reason_text(chosen: str, visits: list[dict]) -> str:
    if chosen:
        return chosen
    reasons = list(dict.fromkeys(v.get("reason") or "" for v in visits))
    if len(reasons) > MAX_REASONS_NAMED:
        return tr("signoff.reasons_many")
    return "、".join(r for r in reasons if r)


def build_signoff(visits: list[dict], groups: dict[str, str], settings: ReportSettings,
                  chosen: dict) -> SignoffSheet:
    """``visits`` in order; ``groups`` member id -> 工会小组; ``chosen``: the
    options that selected them (reason, fund, start, end; dates ISO or None)."""
    dates = [v.get("date") or "" for v in visits]
    start = chosen.get("start") or min(dates, default="")
    end = chosen.get("end") or max(dates, default="")
    lines = [tr("signoff.reason", reason=_reason_text(chosen.get("reason") or "", visits))]
    if chosen.get("fund"):
        lines.append(tr("signoff.fund", fund=chosen["fund"]))
    lines.append(tr("signoff.period", start=start, end=end))
    rows, amounts = [], []
    for i, v in enumerate(visits, start=1):
        fen = v.get("amount") or 0
        amounts.append(fen)
        rows.append((str(i), _who(v), groups.get(v.get("member_id") or "", ""), v.get("reason") or "",
                     format_yuan(fen, grouping=True) if v.get("amount") is not None else "", v.get("goods") or "", "",
                     v.get("date") or ""))
    total = sum(amounts)
    words = amount_in_words(total, zero_at_empty_place=settings.amount_words_zero)
    return SignoffSheet(
        title=tr("signoff.title", union=settings.union_name),
        lines=tuple(lines),
        headers=tuple(tr(f"signoff.col.{c}") for c in COLUMNS),
        rows=tuple(rows), amounts_fen=tuple(amounts), total_fen=total, total_label=tr("signoff.total"),
        total_words=tr("signoff.total_words", n=len(rows), words=words),
        signatures=(tr("signoff.handler"), tr("signoff.witness"), tr("signoff.chair")),
        date_line=tr("signoff.date_line"),
    )


class SignoffError(UserError, ValueError):
    pass


def signoff_for(ledger, options: dict) -> SignoffSheet:
    """The sheet for the visits ``options`` select (from, to, reason, fund: text or None)."""
    from domain.exporting.filters import make_selection, select

    sel = make_selection("visit", options, ledger.config)
    visits = select(ledger, "visit", sel)
    if not visits:
        what = " ".join(f"--{k} {v}" for k, v in options.items() if v)
        raise SignoffError(tr("signoff.empty", what=what) if what else tr("signoff.empty_all"))
    groups = {m["id"]: m.get("union_group") or "" for m in ledger.records("member")}
    chosen = {"reason": sel.reason, "fund": sel.fund,
              "start": sel.start.isoformat() if sel.start else None,
              "end": sel.end.isoformat() if sel.end else None}
    return build_signoff(visits, groups, report_settings(ledger.config, ledger.school), chosen)

