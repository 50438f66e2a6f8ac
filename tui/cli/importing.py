"""import member|visit|plan: rosters, visit lists and a work plan's schedule.

    app.py import member FILE [--sheet NAME] [--header-row N] [--map 列名=field ...]
                              [--encoding E] [--on-duplicate skip|fill|update] [--commit]
                              [--errors-out FILE] [--json]
    app.py import visit  FILE  (same options)
    app.py import plan FILE [--year Y] [--commit] [--json]

Without ``--commit`` nothing is written (the ledger is opened read-only).
The exit status is 0 when the file was read, whatever its rows' outcomes
(the counts say them); 1 when it could not be read.
"""

from __future__ import annotations

from domain.errors import UserError
from domain.i18n import register, tr
from domain.importing import ImportOptions, commit_import, plan_import, write_errors
from domain.importing.cells import shown
from domain.importing.commit import error_reason, field_text, has_changes
from domain.importing.roster import DUPLICATE_MODES
from tui.cli.output import print_json, print_table, say

register({
    "imp.cli.help": ("导入名册、慰问记录或工作计划的月度安排（默认试运行，不写入）",
                     "import a roster, visits or a work plan's month schedule (a dry run unless --commit)"),
    "imp.cli.help.what": ("member 会员名册（.xlsx .xls .ods .csv .txt）、visit 慰问记录、plan 工作计划的月度安排（.docx .txt 或 - 粘贴）",
                          ("member: a roster (.xlsx .xls .ods .csv .txt); visit: visits; plan: a work plan's month "
                           "schedule (.docx, .txt, or - for pasted text)")),
    "imp.cli.plan_options": ("import plan 不接受 {options}（只有 --year、--commit、--json）",
                             "import plan takes no {options} (only --year, --commit, --json)"),
    "imp.cli.year_only": ("--year 只用于 import plan", "--year is for import plan only"),
    "imp.cli.help.file": ("要导入的文件", "the file to import"),
    "imp.cli.help.sheet": ("工作表名（默认第一个）", "sheet name (default: the first)"),
    "imp.cli.help.header_row": ("表头所在行号（默认自动识别）", "the header's row number (default: detected)"),
    "imp.cli.help.map": ("指定某列对应的字段，如 联系方式=phone；字段留空则忽略该列；记住供下次使用",
                         "map a column to a field, e.g. 联系方式=phone (empty: ignore it); remembered next time"),
    "imp.cli.help.encoding": ("文本文件的编码（默认先试 UTF-8，再试 GB18030）",
                              "a text file's encoding (default: UTF-8, then GB18030)"),
    "imp.cli.help.on_duplicate": ("身份证号相同的已有会员：skip 跳过，fill 只填空白字段，update 更新",
                                  "an existing member with the same ID number: skip, fill empty fields, or update"),
    "imp.cli.help.commit": ("真正写入台账（先自动备份）", "write to the ledger (after a backup)"),
    "imp.cli.help.errors_out": ("把出错的行另存为 .xlsx（原列加“错误原因”）",
                                "save the rows in error to an .xlsx (original columns plus the reason)"),
    "imp.cli.help.year": ("计划所属年份（默认取计划中写的年份）", "the plan's year (default: the year it names)"),
    "imp.cli.help.json": ("输出 JSON", "print JSON"),
    "imp.cli.source": ("文件：{file}  工作表：{sheet}  表头：第 {row} 行  编码：{encoding}",
                       "file: {file}  sheet: {sheet}  header: row {row}  encoding: {encoding}"),
    "imp.cli.mapping": ("列对应：", "columns:"),
    "imp.cli.ignored": ("（忽略：{why}）", "(ignored: {why})"),
    "imp.why.unknown": ("认不出列名，可用 --map 指定", "unknown header; use --map"),
    "imp.why.taken": ("该字段已由另一列对应", "the field is taken by another column"),
    "imp.why.ignored": ("按指定忽略", "ignored as asked"),
    "imp.how.fuzzy": ("近似匹配", "close match"),
    "imp.how.remembered": ("上次指定", "remembered"),
    "imp.how.--map": ("--map 指定", "--map"),
    "imp.cli.row": ("第 {row} 行", "row {row}"),
    "imp.cli.counts": ("合计：新增 {new}，更新 {update}，可能重复 {duplicate}，跳过 {skip}，错误 {error}",
                       "total: new {new}, update {update}, duplicate {duplicate}, skip {skip}, error {error}"),
    "imp.cli.dry": ("试运行：台账没有改动；确认无误后加 --commit 写入", "dry run: nothing written; add --commit to write"),
    "imp.cli.done": ("已写入台账（导入前的备份：{backup}）", "written to the ledger (backup taken first: {backup})"),
    "imp.cli.errors_file": ("{n} 行出错，已另存到 {path}，改正后可再次导入",
                            "{n} rows in error saved to {path}; fix them and import again"),
    "imp.cli.plan_year": ("{year} 年工作计划：{n} 项活动", "work plan for {year}: {n} events"),
    "imp.cli.tbd": ("{month}月（待定）", "{month}月 (day not fixed)"),
    "imp.cli.plan_done": ("已添加 {added} 项活动，{skipped} 项已在台账中", "added {added} events; {skipped} were already there"),
})


def _print_plan(plan) -> None:
    t = plan.table
    say(tr("imp.cli.source", file=t.file, sheet=t.sheet or "-", row=plan.header_row, encoding=t.encoding or "-"))
    say(tr("imp.cli.mapping"))
    lines = []
    for c in plan.columns:
        if c.field is None:
            lines.append([c.letter, c.header, tr("imp.cli.ignored", why=tr(f"imp.why.{c.how}"))])
        else:
            how = "" if c.how == "exact" else f"（{tr('imp.how.' + c.how)}）"
            lines.append([c.letter, c.header, "-> " + field_text(plan.kind, c.field) + how])
    print_table(lines)
    name_column = next((c.index for c in plan.columns if c.field in ("name", "member_name")), None)
    rows = []
    for r in sorted(plan.rows, key=lambda r: (r.status != "error", r.row)):
        name = r.cells[name_column] if name_column is not None and name_column < len(r.cells) else ""
        changed = "、".join(field_text(plan.kind, f) for f in r.fields) if r.status == "update" else ""
        detail = error_reason(plan.kind, r.errors) if r.errors else "；".join([changed, *r.warnings]).strip("；")
        rows.append([tr("imp.cli.row", row=r.row), tr(f"imp.status.{r.status}"), shown(name),
                     r.member_id or "", detail])
    print_table(rows)
    say(tr("imp.cli.counts", **plan.counts()))


def cmd_import_rows(args, ctx) -> int:
    from domain.session import open_ledger

    options = ImportOptions(sheet=args.sheet, header_row=args.header_row, maps=args.map or [],
                            encoding=args.encoding, on_duplicate=args.on_duplicate)
    with open_ledger(ctx.settings, read_only=not args.commit) as ledger:
        plan = plan_import(args.what, ledger, args.file, options)
        written = args.commit and has_changes(plan)
        backup = commit_import(ledger, plan) if written else None
    if args.errors_out:
        n = write_errors(plan, args.errors_out)
        if not args.json:
            say(tr("imp.cli.errors_file", n=n, path=args.errors_out))
    if args.json:
        print_json(plan.as_json())
        return 0
    _print_plan(plan)
    say(_outcome(args.commit, written, backup))
    return 0


def _outcome(commit: bool, written: bool, backup) -> str:
    if not commit:
        return tr("imp.cli.dry")
    if not written:
        return tr("imp.nothing_written")
    return tr("imp.cli.done", backup=backup)  # a write always takes its backup first


def cmd_import_plan(args, ctx) -> int:
    from domain.importing.planfile import commit_plan, propose_events, read_plan_text
    from domain.session import open_ledger

    text = read_plan_text(args.file)
    year, events = propose_events(text, ctx.settings.config, args.year)
    added = skipped = None
    if args.commit:
        with open_ledger(ctx.settings) as ledger:
            added, skipped = commit_plan(ledger, events)
    if args.json:
        print_json({"year": year, "items": [e.as_json() for e in events]})
        return 0
    say(tr("imp.cli.plan_year", year=year, n=len(events)))
    print_table([[e.date.isoformat() if e.date_known else tr("imp.cli.tbd", month=e.date.month),
                  e.title, e.category] for e in events])
    say(tr("imp.cli.plan_done", added=added, skipped=skipped) if args.commit else tr("imp.cli.dry"))
    return 0


ROW_ONLY = ("sheet", "header_row", "map", "encoding", "errors_out")


def cmd_import(args, ctx) -> int:
    """One parser for the three (a nested one would lose the global options after the command)."""
    if args.what == "plan":
        used = [f"--{name.replace('_', '-')}" for name in ROW_ONLY if getattr(args, name)]
        if used or args.on_duplicate:
            raise UserError(tr("imp.cli.plan_options", options=" ".join(used or ["--on-duplicate"])))
        return cmd_import_plan(args, ctx)
    if args.year is not None:
        raise UserError(tr("imp.cli.year_only"))
    args.on_duplicate = args.on_duplicate or "skip"
    return cmd_import_rows(args, ctx)


def register(sub) -> None:
    c = sub.add_parser("import", help=tr("imp.cli.help"), description=tr("imp.cli.help"))
    c.add_argument("what", choices=("member", "visit", "plan"), metavar="member|visit|plan",
                   help=tr("imp.cli.help.what"))
    c.add_argument("file", metavar="FILE", help=tr("imp.cli.help.file"))
    c.add_argument("--sheet", metavar="NAME", help=tr("imp.cli.help.sheet"))
    c.add_argument("--header-row", type=int, metavar="N", help=tr("imp.cli.help.header_row"))
    c.add_argument("--map", action="append", metavar="列名=field", help=tr("imp.cli.help.map"))
    c.add_argument("--encoding", metavar="E", help=tr("imp.cli.help.encoding"))
    c.add_argument("--on-duplicate", choices=DUPLICATE_MODES, help=tr("imp.cli.help.on_duplicate"))
    c.add_argument("--errors-out", metavar="FILE", help=tr("imp.cli.help.errors_out"))
    c.add_argument("--year", type=int, metavar="Y", help=tr("imp.cli.help.year"))
    c.add_argument("--commit", action="store_true", help=tr("imp.cli.help.commit"))
    c.add_argument("--json", action="store_true", help=tr("imp.cli.help.json"))
    c.set_defaults(func=cmd_import, needs_ledger=False)
