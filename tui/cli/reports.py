"""report signoff|annual: the paperwork of a union year.

    app.py report signoff [--from D] [--to D] [--reason R] [--fund F] [-o FILE.xlsx|FILE.pdf]
    app.py report annual --year Y [-o FILE.docx|FILE.xlsx]

The ledger is opened read-only.  Prints where the file went.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from domain.i18n import register, tr
from tui.cli.exporting import filter_arguments, filter_values
from tui.cli.output import say

register({
    "rep.cli.help": ("生成报表：慰问金发放签领表、年度工作总结数据", "paperwork: the sign-off sheet, the year's figures"),
    "rep.cli.help.signoff": ("慰问金发放签领表（所选慰问，.xlsx 或 .pdf，可直接打印签字）",
                             "the sign-off sheet for the visits chosen (.xlsx or .pdf, ready to print and sign)"),
    "rep.cli.help.annual": ("年度工作总结数据（会员、帮困、慰问、活动、四项指标；.docx 或 .xlsx）",
                            "the year's figures (members, hardship, visits, events, targets; .docx or .xlsx)"),
    "rep.cli.help.output_signoff": ("输出文件 .xlsx 或 .pdf（默认：慰问金发放签领表-日期.xlsx）",
                                    "output .xlsx or .pdf (default: 慰问金发放签领表-DATE.xlsx)"),
    "rep.cli.help.output_annual": ("输出文件 .docx 或 .xlsx（默认：工作总结数据-年份.docx）",
                                   "output .docx or .xlsx (default: 工作总结数据-YEAR.docx)"),
    "rep.cli.help.year": ("年份，如 2025", "the year, e.g. 2025"),
    "rep.cli.signoff_done": ("已生成签领表（{n} 人次，合计 {total} 元）：{path}",
                             "Sign-off sheet made ({n} payments, total {total} yuan): {path}"),
    "rep.cli.bad_year": ("应为四位年份，如 2025", "must be a four-digit year such as 2025"),
    "rep.cli.annual_done": ("已生成 {year} 年工作总结数据：{path}", "Figures for {year} written: {path}"),
})


def cmd_signoff(args, ctx) -> int:
    from domain.money import format_yuan
    from domain.reports.signoff import signoff_for, write_signoff
    from domain.session import open_ledger

    path = Path(args.output or f"慰问金发放签领表-{dt.date.today().isoformat()}.xlsx")
    with open_ledger(ctx.settings, read_only=True) as ledger:
        sheet = signoff_for(ledger, filter_values(args, ("from", "to", "reason", "fund")))
    write_signoff(path, sheet)
    say(tr("rep.cli.signoff_done", n=len(sheet.rows), total=format_yuan(sheet.total_fen, grouping=True),
           path=path))
    return 0


def cmd_annual(args, ctx) -> int:
    from domain.reports.annual import annual_report
    from domain.reports.annual_write import write_annual
    from domain.reports.settings import report_settings
    from domain.session import open_ledger

    path = Path(args.output or f"工作总结数据-{args.year}.docx")
    with open_ledger(ctx.settings, read_only=True) as ledger:
        report = annual_report(ledger, args.year, report_settings(ledger.config, ledger.school))
    write_annual(path, report)
    say(tr("rep.cli.annual_done", year=args.year, path=path))
    return 0


def _year(text: str) -> int:
    import argparse

    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(tr("rep.cli.bad_year"))
    return int(text)


def register(sub) -> None:
    import argparse

    from tui.cli.main import _global_options  # --db etc. may also stand after "report signoff"

    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, argparse.SUPPRESS)
    p = sub.add_parser("report", help=tr("rep.cli.help"), description=tr("rep.cli.help"))
    what = p.add_subparsers(dest="what", metavar="WHAT", required=True)
    s = what.add_parser("signoff", parents=[common], help=tr("rep.cli.help.signoff"),
                        description=tr("rep.cli.help.signoff"))
    filter_arguments(s, ("from", "to", "reason", "fund"))
    s.add_argument("-o", "--output", metavar="FILE", help=tr("rep.cli.help.output_signoff"))
    s.set_defaults(func=cmd_signoff, needs_ledger=False)
    a = what.add_parser("annual", parents=[common], help=tr("rep.cli.help.annual"),
                        description=tr("rep.cli.help.annual"))
    a.add_argument("--year", type=_year, required=True, metavar="Y", help=tr("rep.cli.help.year"))
    a.add_argument("-o", "--output", metavar="FILE", help=tr("rep.cli.help.output_annual"))
    a.set_defaults(func=cmd_annual, needs_ledger=False)
