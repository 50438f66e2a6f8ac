"""export member|event|visit: a list to .xlsx, .csv or .ics.

    app.py export member|event|visit [--format xlsx|csv|ics] [-o FILE]
                  [--year Y] [--from D] [--to D] [--reason R] [--fund F]
                  [--status S] [--group G] [--include-sensitive]

The ledger is opened read-only (an export can run while the full-screen
program holds the ledger).  Prints where the file went and how many rows.
"""

from __future__ import annotations

from pathlib import Path

from domain.errors import UserError
from domain.exporting import FORMATS, ExportOptions, default_path, export_records, format_for
from domain.exporting.filters import make_selection, select
from domain.fields import KINDS
from domain.i18n import register, tr
from domain.queries import LedgerQueries
from tui.cli.output import kind_label, say, warn

register({
    "exp.cli.help": ("导出会员、活动或慰问列表（.xlsx .csv，活动另可 .ics 日历）",
                     "export members, events or visits (.xlsx, .csv; events also .ics)"),
    "exp.cli.help.kind": ("member 会员、event 活动 或 visit 慰问", "member, event or visit"),
    "exp.cli.help.format": ("文件格式（默认按 -o 的扩展名，否则 xlsx）", "file format (default: -o's suffix, else xlsx)"),
    "exp.cli.help.output": ("输出文件（默认：当前文件夹下 类别-日期.格式）",
                            "output file (default: KIND-DATE.FORMAT in the current folder)"),
    "exp.cli.help.year": ("只导出该年的活动或慰问", "only events or visits of that year"),
    "exp.cli.help.from": ("起始日期（含）", "from this date (inclusive)"),
    "exp.cli.help.to": ("截止日期（含）", "up to this date (inclusive)"),
    "exp.cli.help.reason": ("慰问类别", "visit reason"),
    "exp.cli.help.fund": ("经费来源", "fund source"),
    "exp.cli.help.status": ("会籍状态", "membership status"),
    "exp.cli.help.group": ("工会小组（慰问：受慰问会员所在小组）", "union group (visits: the visited member's group)"),
    "exp.cli.help.sensitive": ("同时导出敏感字段（身份证号、健康、收入）；文件仅本人可读（0600）",
                               "also export sensitive fields (ID number, health, income); the file is 0600"),
    "exp.cli.no_ledger": ("台账 {path} 不存在；请检查 --db 或 LEDGER_DB", "the ledger {path} does not exist; check --db or LEDGER_DB"),
    "exp.cli.done": ("已导出{kind} {n} 条：{path}", "Exported {n} {kind} records: {path}"),
    "exp.cli.done_ics": ("已导出 {n} 个日历事件：{path}", "Exported {n} calendar events: {path}"),
    "exp.cli.left_out": ("{n} 项活动日期待定，未写入日历", "{n} events without a fixed day were left out"),
    "exp.cli.private": ("文件含敏感字段，仅本人可读（0600）；请妥善保管，用后删除",
                        "the file holds sensitive fields and is readable by you only (0600); keep it safe"),
    "exp.cli.csv_idcard": ("Excel 直接打开 CSV 会把身份证号变成科学计数法并丢失末三位；请用 .xlsx，或在 Excel 中以“文本”导入该列",
                           "Excel opening a CSV turns ID numbers into numbers and loses their last digits; use .xlsx, or import the column as Text"),
})

FILTER_OPTIONS = ("year", "from", "to", "reason", "fund", "status", "group")


def filter_arguments(p, names=FILTER_OPTIONS) -> None:
    """The filter options (shared with the reports)."""
    for name in names:
        metavar = {"year": "Y", "from": "D", "to": "D"}.get(name, name[0].upper())
        p.add_argument(f"--{name}", dest=f"filter_{name}", metavar=metavar, help=tr(f"exp.cli.help.{name}"))


def filter_values(args, names=FILTER_OPTIONS) -> dict:
    return {name: getattr(args, f"filter_{name}", None) for name in names}


class NoLedger(UserError, FileNotFoundError):
    pass


def open_for_reading(ctx):
    """The ledger read-only (an export may run beside the full-screen program);
    a ledger that does not exist (neither its snapshot nor its journal) is an
    error, not an empty export."""
    from domain.session import open_ledger

    settings, db = ctx.settings, Path(ctx.settings.db)
    if not settings.demo and not db.exists() and not db.with_name(db.name + ".journal").exists():
        raise NoLedger(tr("exp.cli.no_ledger", path=settings.db))
    return open_ledger(settings, read_only=True)


def cmd_export(args, ctx) -> int:
    out = Path(args.output) if args.output else None
    fmt = format_for(out, args.format)
    path = out or default_path(args.kind, fmt)
    with open_for_reading(ctx) as ledger:
        queries = LedgerQueries(ledger)
        sel = make_selection(args.kind, filter_values(args), ledger.config, queries.group_choices())
        rows = select(ledger, args.kind, sel, queries)
        year = sel.start.year if sel.start else None
        result = export_records(ledger, args.kind, rows, path,
                                ExportOptions(fmt, args.include_sensitive, from_year=year))
    if fmt == "ics":
        say(tr("exp.cli.done_ics", n=result.rows, path=result.path))
        if result.left_out:
            warn(tr("exp.cli.left_out", n=result.left_out))
        return 0
    say(tr("exp.cli.done", kind=kind_label(args.kind), n=result.rows, path=result.path))
    if result.private:
        warn(tr("exp.cli.private"))
        if fmt == "csv" and args.kind == "member":
            warn(tr("exp.cli.csv_idcard"))
    return 0


def register(sub) -> None:
    p = sub.add_parser("export", help=tr("exp.cli.help"), description=tr("exp.cli.help"))
    p.add_argument("kind", choices=KINDS, metavar="KIND", help=tr("exp.cli.help.kind"))
    p.add_argument("--format", choices=FORMATS, help=tr("exp.cli.help.format"))
    p.add_argument("-o", "--output", metavar="FILE", help=tr("exp.cli.help.output"))
    filter_arguments(p)
    p.add_argument("--include-sensitive", action="store_true", help=tr("exp.cli.help.sensitive"))
    p.set_defaults(func=cmd_export, needs_ledger=False)
