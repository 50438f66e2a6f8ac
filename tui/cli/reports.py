"""report signoff|annual: the paperwork of a union year.

    app.py report signoff [--from D] [--to D] [--reason R] [--fund F] [-o FILE.xlsx|FILE.pdf]
    app.py report annual --year Y [-o FILE.docx|FILE.xlsx]

One parser with WHAT as a positional (a nested parser would reach into
tui.cli.main for the global options: an import cycle); options that do not
apply are refused by name.  The signoff also takes --year.  The ledger is
opened read-only.  Prints where the file went.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from domain.errors import UserError
from domain.i18n import register, tr
from tui.cli.exporting import filter_arguments, filter_values, open_for_reading
from tui.cli.output import say

SIGNOFF_FILTERS = ("from", "to", "reason", "fund")

register({
    "rep.cli.help": ("生成报表：慰问金发放签领表、年度工作总结数据", "paperwork: the sign-off sheet, the year's figures"),
    "rep.cli.help.what": ("signoff 慰问金发放签领表（.xlsx 或 .pdf，可直接打印签字）；annual 年度工作总结数据（--year，.docx 或 .xlsx）",
                          "signoff: the sign-off sheet (.xlsx or .pdf, ready to sign); annual: the year's figures (--year; .docx or .xlsx)"),
    "rep.cli.help.output": ("输出文件（默认：慰问金发放签领表-日期.xlsx，工作总结数据-年份.docx）",
                            "output file (default: 慰问金发放签领表-DATE.xlsx, 工作总结数据-YEAR.docx)"),
    "rep.cli.not_annual": ("年度工作总结数据按整年统计，不接受 {options}；只用 --year", "annual takes --year only, not {options}"),
    "rep.cli.year_needed": ("年度工作总结数据需要 --year，如 --year 2025", "annual needs --year, e.g. --year 2025"),
    "rep.cli.signoff_done": ("已生成签领表（{n} 人次，合计 {total} 元）：{path}",
                             "Sign-off sheet made ({n} payments, total {total} yuan): {path}"),
    "rep.cli.annual_done": ("已生成 {year} 年工作总结数据：{path}", "Figures for {year} written: {path}"),
})


class ReportUsageError(UserError, ValueError):
    pass


def cmd_report(args, ctx) -> int:
    if args.what == "annual":
        given = [f"--{n}" for n in SIGNOFF_FILTERS if getattr(args, f"filter_{n}", None)]
        if given:
            raise ReportUsageError(tr("rep.cli.not_annual", options="、".join(given)))
        if not args.filter_year:
            raise ReportUsageError(tr("rep.cli.year_needed"))
        return _annual(args, ctx)
    return _signoff(args, ctx)


def _signoff(args, ctx) -> int:
    from domain.money import format_yuan
    from domain.reports.signoff import signoff_for
    from domain.reports.signoff_write import write_signoff
    path = Path(args.output or f"慰问金发放签领表-{dt.date.today().isoformat()}.xlsx")
    with open_for_reading(ctx) as ledger:
        sheet = signoff_for(ledger, filter_values(args, ("year", *SIGNOFF_FILTERS)))
    write_signoff(path, sheet)
    say(tr("rep.cli.signoff_done", n=len(sheet.rows), total=format_yuan(sheet.total_fen, grouping=True),
           path=path))
    return 0


def _annual(args, ctx) -> int:
    from domain.reports.annual import annual_report
    from domain.reports.annual_write import write_annual
    from domain.reports.settings import report_settings
    year = _year(args.filter_year)
    path = Path(args.output or f"工作总结数据-{year}.docx")
    with open_for_reading(ctx) as ledger:
        report = annual_report(ledger, year, report_settings(ledger.config, ledger.school))
    write_annual(path, report)
    say(tr("rep.cli.annual_done", year=year, path=path))
    return 0


def _year(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise ReportUsageError(tr("filter.year"))  # registered by domain.exporting.filters
    return int(text)


def register(sub) -> None:
    p = sub.add_parser("report", help=tr("rep.cli.help"), description=tr("rep.cli.help"))
    p.add_argument("what", choices=("signoff", "annual"), metavar="WHAT", help=tr("rep.cli.help.what"))
    filter_arguments(p, ("year", *SIGNOFF_FILTERS))
    p.add_argument("-o", "--output", metavar="FILE", help=tr("rep.cli.help.output"))
    p.set_defaults(func=cmd_report, needs_ledger=False)
