"""problems, undelete: what the last sync found wrong in the sheet, and
bringing back a record the sheet (or anyone) deleted.

    app.py problems [--json]
    app.py undelete KIND ID
"""

from __future__ import annotations

from domain.fields import KINDS
from domain.i18n import register, tr
from sync.problems import open_problems, problem_label
from sync.recovery import undelete
from tui.cli.output import clip, kind_label, print_listing, say, title

register({
    "problems.cli.help": ("列出上次同步在表格里发现、尚未解决的问题（重复编号、问题单元格、公式、表头、疑似改错的编号……）",
                          "list the sheet problems the last sync found and that are not settled yet (duplicate ids, "
                          "bad cells, formulas, headers, mistyped ids ...)"),
    "problems.cli.help.json": ("以 JSON 输出", "print JSON"),
    "problems.cli.none": ("没有待处理的表格问题", "no open sheet problems"),
    "problems.cli.head": ("问题|位置|表头|值|编号|原因", "problem|where|header|value|id|why"),
    "problems.cli.count": ("共 {n} 个问题；在表格里改正后再同步，问题会自动消失", "{n} problems; fix them in the sheet and sync: they disappear"),
    "undelete.cli.help": ("恢复一条被删除的记录（连同只存在本地的字段）；下次同步会把它写回表格",
                          "bring back a deleted record (with its local-only fields); the next sync writes it to the sheet again"),
    "undelete.cli.done": ("已恢复{kind}：{title}（{id}）；下次同步会写回表格", "Brought back {kind} {title} ({id}); the next sync writes it to the sheet"),
})


def cmd_problems(args, ctx) -> int:
    def row(p: dict) -> list[str]:
        where = f"{p['tab']}!{p['column']}{p['row'] or ''}"
        return [problem_label(p["problem"]), where, p["header"], clip(p["value"]), p["id"], p["why"]]

    items = open_problems(ctx.ledger)
    print_listing(items, args.json, "problems.cli.none", "problems.cli.head", row)
    if items and not args.json:
        say(tr("problems.cli.count", n=len(items)), err=True)
    return 0


def cmd_undelete(args, ctx) -> int:
    rec = undelete(ctx.ledger, args.kind, args.id)
    say(tr("undelete.cli.done", kind=kind_label(args.kind), title=title(rec), id=rec["id"]))
    return 0


def register(sub) -> None:
    p = sub.add_parser("problems", help=tr("problems.cli.help"), description=tr("problems.cli.help"))
    p.add_argument("--json", action="store_true", help=tr("problems.cli.help.json"))
    p.set_defaults(func=cmd_problems, read_only=True)
    u = sub.add_parser("undelete", help=tr("undelete.cli.help"), description=tr("undelete.cli.help"))
    u.add_argument("kind", choices=KINDS, metavar="KIND")
    u.add_argument("id", metavar="ID")
    u.set_defaults(func=cmd_undelete)
