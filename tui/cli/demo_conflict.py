"""demo-conflict: on the demo, the district edits in its sheet a member you
edited here (the same cell), so the next sync shows a conflict to settle.

    app.py --demo edit member ID phone=13900139000   # your edit, not yet synced
    app.py --demo demo-conflict                      # the district's edit of that cell
    app.py --demo sync                               # 1 conflict: `c` in the full screen settles it
"""

from __future__ import annotations

from domain.errors import UserError
from domain.i18n import register, tr
from tui.cli.output import say

register({
    "cli.help.demo_conflict": ("演示：让学区在演示表格里改动你在本地改过的同一格，下次同步就会出现冲突",
                               "demo: the district edits, in the demo sheet, the cell you edited here, "
                               "so the next sync shows a conflict"),
    "democ.not_demo": ("只用于演示台账（--demo）", "only for the demo ledger (--demo)"),
    "democ.none": ("没有找到同步后在本地改过、表格中也有的会员：先同步一次（app.py --demo sync），"
                   "再改一位会员的手机或备注，然后再运行这条命令",
                   "no member edited here since a sync and present in the sheet: sync once (app.py --demo sync), "
                   "change a member's mobile or notes, then run this again"),
    "democ.done": ("学区已在表格中把 {name} 的{field}改为 {value}；现在同步（app.py --demo sync 或 F5）就会出现冲突",
                   "the district changed {name}'s {field} in the sheet to {value}; sync now (app.py --demo sync or F5) "
                   "to see the conflict"),
    "democ.suffix": ("（学区改）", " (district)"),
})

DISTRICT_PHONE = "13700137000"


class NotForThisLedger(UserError):
    pass


def edited_cell(ledger):
    """(member, field) of a member changed here since the last sync, or None."""
    from sync.ledger_state import BASES
    from sync.sheet_layout import synced_fields

    fields = [f for f in synced_fields("member", ledger.config) if f.name != "school"]
    for key, base in ledger.kv_all(BASES).items():
        kind, _, rid = key.partition(":")
        member = ledger.get("member", rid) if kind == "member" else None
        if member is None or base.get("_pending"):
            continue
        for f in fields:
            if f.name in base and str(member.get(f.name) or "") != str(base.get(f.name) or ""):
                return member, f
    return None


def _district_value(f, mine: str) -> str:
    if f.name == "phone":
        return DISTRICT_PHONE if mine != DISTRICT_PHONE else "13600136000"
    return f"{mine}{tr('democ.suffix')}"


def cmd_demo_conflict(args, ctx) -> int:
    from sync.demo_sheet import DemoSheet
    from sync.sheet_headers import column_letter
    from sync.sheet_layout import ID_HEADER, TABS

    ledger = ctx.ledger
    if not ledger.meta().get("demo"):
        raise NotForThisLedger(tr("democ.not_demo"))
    found = edited_cell(ledger)
    if found is None:
        raise NotForThisLedger(tr("democ.none"))
    member, f = found
    sheet = DemoSheet(ledger.path, ledger.config)
    sid = sheet.start()["spreadsheet"]
    try:
        rows = sheet.emulator.values(sid, TABS["member"])
        header, ids = rows[0], [r[rows[0].index(ID_HEADER)] if len(r) > rows[0].index(ID_HEADER) else ""
                                for r in rows]
        if member["id"] not in ids or f.label not in header:
            raise NotForThisLedger(tr("democ.none"))
        value = _district_value(f, str(member.get(f.name) or ""))
        cell = f"{column_letter(header.index(f.label))}{ids.index(member['id']) + 1}"
        sheet.emulator.set_cell(sid, TABS["member"], cell, value)
    finally:
        sheet.stop()
    say(tr("democ.done", name=member.get("name", ""), field=f.label, value=value))
    return 0


def register(sub) -> None:
    c = sub.add_parser("demo-conflict", help=tr("cli.help.demo_conflict"), description=tr("cli.help.demo_conflict"))
    c.set_defaults(func=cmd_demo_conflict, read_only=True)
