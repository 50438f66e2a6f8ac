"""sync, conflicts, resolve: the district sheet from the command line.

    app.py sync [--spreadsheet ID] [--endpoint URL] [--credentials FILE] [--dry-run | --restore-sheet | --allow-deletes] [--yes] [--json]
    app.py conflicts [--json]
    app.py resolve KIND ID FIELD (--mine | --theirs | --value V)

Exit status of ``sync``: 0 when the sync completed (conflicts or not), 1 when
it could not (the message says why), 2 when it stopped before writing anything:
the mass-delete guard, or the first sync after a restore from a backup, which
previews and waits for ``--yes``.
"""

from __future__ import annotations

from domain.fields import FIELDS, KINDS
from domain.i18n import register, tr
from sync import service
from tui.cli.output import clip, error, kind_label, print_json, print_listing, say, title

register({
    "sync.cli.demo": ("演示：与本机模拟的学区共享表格同步（{path}），无需 Google 账号",
                      "Demo: syncing with a local stand-in for the district sheet ({path}); no Google account needed"),
    "sync.cli.conflicts_hint": ("有 {n} 处冲突待处理：运行 app.py conflicts 查看，app.py resolve 处理",
                                "{n} open conflicts: see them with app.py conflicts, settle them with app.py resolve"),
    "sync.cli.no_conflicts": ("没有待处理的冲突", "no open conflicts"),
    "sync.cli.resolved": ("已处理冲突：{label} 取“{value}”（下次同步写入表格）",
                          "Conflict settled: {label} is now {value!r} (written to the sheet at the next sync)"),
    "sync.cli.bad": ("问题单元格：{message}", "bad cell: {message}"),
    "sync.cli.dup": ("重复编号：{tab} 表第 {rows} 行的编号都是 {id}；请删去多余的行，或清空复制行的编号（清空后会得到新编号）",
                     "duplicate id: rows {rows} of {tab} all have id {id}; delete the extra rows or clear the id of the copy (it then gets a new id)"),
    "sync.cli.formula": ("保留了公式：{message}", "formula kept: {message}"),
    "sync.cli.help.sync": ("与学区共享的 Google 表格双向同步", "sync with the district's shared Google Sheet (two-way)"),
    "sync.cli.help.spreadsheet": ("表格 ID（默认：LEDGER_SPREADSHEET 或配置 [sync] spreadsheet）",
                                  "the spreadsheet id (default: LEDGER_SPREADSHEET or [sync] spreadsheet)"),
    "sync.cli.help.endpoint": ("用 Sheets API 模拟器代替 Google（LEDGER_SHEETS_ENDPOINT）",
                               "a Sheets API emulator instead of Google (LEDGER_SHEETS_ENDPOINT)"),
    "sync.cli.help.credentials": ("服务账号密钥文件或 OAuth 客户端文件", "service-account key or OAuth client file"),
    "sync.cli.help.allow_deletes": ("表格里大多数已同步记录不见了也继续（会在本地删除它们）",
                                    "go on although most synced records are missing from the sheet (they are deleted here)"),
    "sync.cli.help.dry_run": ("只看同步会在两边改什么（数量和前几处改动），什么都不写",
                              "show what a sync would change on each side (counts and the first changes); write nothing"),
    "sync.cli.help.restore_sheet": ("把本校已同步、但表格里丢失的记录写回表格（带编号；本地什么都不删）",
                                    "write this school's synced records the sheet lost back into it (with their ids; nothing is deleted here)"),
    "sync.cli.help.json": ("以 JSON 输出结果", "print the result as JSON"),
    "sync.cli.help.conflicts": ("列出待处理的同步冲突（类型、编号、字段、本地值、表格值、原值）",
                                "list open sync conflicts (kind, id, field, mine, theirs, base)"),
    "sync.cli.help.resolve": ("处理一处冲突：保留本地值、采用表格值或另设一个值",
                              "settle one conflict: keep mine, take theirs, or set a value"),
    "sync.cli.help.field": ("字段名或中文标签", "field name or its Chinese label"),
    "sync.cli.help.mine": ("保留本台账的值", "keep this ledger's value"),
    "sync.cli.help.theirs": ("采用表格里的值", "take the sheet's value"),
    "sync.cli.help.value": ("另设一个值", "set another value"),
    "sync.cli.head": ("记录|编号|字段|本地|表格|原值", "record|id|field|mine|theirs|base"),
    "sync.cli.help.yes": ("确认从备份恢复后的第一次同步（先不加此项运行一次，看看两边会改什么）",
                          "confirm the first sync after a restore from a backup (run once without it to see what it would change)"),
    "sync.cli.held": ("台账在 {at} 从备份恢复过：以上是这次同步会在两边做的改动，什么都还没有写。确认无误后运行 app.py sync --yes",
                      "The ledger was restored from a backup at {at}: above is what this sync would change on each side; "
                      "nothing was written. If it is right, run app.py sync --yes"),
})


def cmd_sync(args, ctx) -> int:
    from sync.engine import SyncStopped

    ledger = ctx.ledger
    try:
        mode = "dry-run" if args.dry_run else "restore-sheet" if args.restore_sheet else "sync"
        result = service.run_sync(ledger, ctx.settings, allow_deletes=args.allow_deletes, mode=mode,
                                  confirm_restore=args.yes,
                                  on_demo=lambda path: say(tr("sync.cli.demo", path=path), err=True))
    except SyncStopped as exc:
        error(str(exc))
        return 2
    if args.json:
        print_json({**result.as_dict(), service.HELD: bool(result.extra.get(service.HELD))})
    else:
        say(result.summary())
        for line in _preview_lines(result):
            say(line)
    _report_problems(result)
    if result.extra.get(service.HELD):
        say(tr("sync.cli.held", at=result.extra[service.HELD].get("at", "")), err=True)
        return 2
    return 0


def _preview_lines(result) -> list[str]:
    pre = result.extra.get("preview")
    return [*pre["local"], *pre["sheet"]] if pre else []


def _report_problems(result) -> None:
    from sync.sheet_layout import TABS

    for b in result.bad_cells:
        say(tr("sync.cli.bad", message=b.message()), err=True)
    for kind, rid, rows in result.duplicates:
        say(tr("sync.cli.dup", tab=TABS[kind], rows="、".join(map(str, rows)), id=rid), err=True)
    for f in result.formulas:
        say(tr("sync.cli.formula", message=f.message()), err=True)
    if result.open_conflicts:
        say(tr("sync.cli.conflicts_hint", n=result.open_conflicts), err=True)


def cmd_conflicts(args, ctx) -> int:
    def row(c: dict) -> list[str]:
        record = ctx.ledger.get(c["kind"], c["id"])
        return [f"{kind_label(c['kind'])} {title(record) if record else ''}".strip(), c["id"],
                f"{c['label']}({c['field']})", clip(c["mine"]), clip(c["theirs"]),
                "" if c["base"] is None else clip(c["base"])]

    print_listing(service.open_conflicts(ctx.ledger), args.json, "sync.cli.no_conflicts", "sync.cli.head", row)
    return 0


def cmd_resolve(args, ctx) -> int:
    chosen = service.resolve_conflict(ctx.ledger, args.kind, args.id, args.field, mine=args.mine,
                                      theirs=args.theirs, value=args.value)
    field = service.field_name(args.kind, args.field)
    label = next((f.label for f in FIELDS[args.kind] if f.name == field), field)
    say(tr("sync.cli.resolved", label=label, value=chosen))
    return 0


def register(sub) -> None:
    s = sub.add_parser("sync", help=tr("sync.cli.help.sync"), description=tr("sync.cli.help.sync"))
    # --spreadsheet, --endpoint and --credentials are read by the settings resolver (main.SETTING_FLAGS).
    s.add_argument("--spreadsheet", metavar="ID", help=tr("sync.cli.help.spreadsheet"))
    s.add_argument("--endpoint", metavar="URL", help=tr("sync.cli.help.endpoint"))
    s.add_argument("--credentials", metavar="FILE", help=tr("sync.cli.help.credentials"))
    ways = s.add_mutually_exclusive_group()
    ways.add_argument("--dry-run", action="store_true", help=tr("sync.cli.help.dry_run"))
    ways.add_argument("--restore-sheet", action="store_true", help=tr("sync.cli.help.restore_sheet"))
    ways.add_argument("--allow-deletes", action="store_true", help=tr("sync.cli.help.allow_deletes"))
    s.add_argument("--yes", action="store_true", help=tr("sync.cli.help.yes"))
    s.add_argument("--json", action="store_true", help=tr("sync.cli.help.json"))
    s.set_defaults(func=cmd_sync)
    c = sub.add_parser("conflicts", help=tr("sync.cli.help.conflicts"), description=tr("sync.cli.help.conflicts"))
    c.add_argument("--json", action="store_true", help=tr("sync.cli.help.json"))
    c.set_defaults(func=cmd_conflicts, read_only=True)
    r = sub.add_parser("resolve", help=tr("sync.cli.help.resolve"), description=tr("sync.cli.help.resolve"))
    r.add_argument("kind", choices=KINDS, metavar="KIND")
    r.add_argument("id", metavar="ID")
    r.add_argument("field", metavar="FIELD", help=tr("sync.cli.help.field"))
    g = r.add_mutually_exclusive_group(required=True)
    g.add_argument("--mine", action="store_true", help=tr("sync.cli.help.mine"))
    g.add_argument("--theirs", action="store_true", help=tr("sync.cli.help.theirs"))
    g.add_argument("--value", metavar="V", help=tr("sync.cli.help.value"))
    r.set_defaults(func=cmd_resolve)
