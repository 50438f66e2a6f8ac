"""Exports of a list (members, events, visits) to .xlsx, .csv or .ics.

    sel = make_selection("visit", {"year": "2025", "reason": "生病住院"}, ledger.config, groups)
    rows = select(ledger, "visit", sel)
    result = export_records(ledger, "visit", rows, Path("慰问.xlsx"), ExportOptions("xlsx"))

The full-screen program passes the rows its list shows (its filter, its
order).  Sensitive fields (身份证号, health, income) are written only with
``include_sensitive``, and such a file is 0600.  Pure: no Textual.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from domain.errors import UserError
from domain.exporting.columns import columns_for, has_sensitive, table
from domain.exporting.files import write_whole
from domain.fields import KIND_LABELS
from domain.i18n import language, register, tr

FORMATS = ("xlsx", "csv", "ics")

register({
    "export.bad_format": ("不支持的导出格式“{fmt}”；可用：{formats}",
                          "export format {fmt!r} is not supported; use one of: {formats}"),
    "export.ics_events_only": (".ics 日历只能导出活动（event）", "an .ics calendar exports events only"),
    "export.calendar_name": ("{union}活动", "{union} events"),
})


class ExportError(UserError, ValueError):
    pass


@dataclass(frozen=True)
class ExportOptions:
    fmt: str = "xlsx"
    include_sensitive: bool = False
    from_year: int | None = None  # .ics: the first year lunar events are expanded for


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int  # records written (VEVENTs for .ics)
    private: bool  # sensitive fields inside: the file is 0600
    left_out: int = 0  # .ics: events whose day is not yet known


def format_for(path: Path | None, fmt: str | None) -> str:
    """``fmt`` if given, else the output file's suffix, else xlsx; checked."""
    chosen = (fmt or (path.suffix.lstrip(".").lower() if path and path.suffix else "xlsx")).lower()
    if chosen not in FORMATS:
        raise ExportError(tr("export.bad_format", fmt=chosen, formats="、".join(FORMATS)))
    return chosen


def kind_label(kind: str) -> str:
    zh, en = KIND_LABELS[kind]
    return zh if language() == "zh" else en


def default_path(kind: str, fmt: str, today: dt.date | None = None) -> Path:
    """``会员-2025-03-08.xlsx`` in the current folder."""
    today = today or dt.date.today()
    return Path(f"{kind_label(kind)}-{today.isoformat()}.{fmt}")


def export_records(ledger, kind: str, records: list[dict], path: Path,
                   options: ExportOptions = ExportOptions()) -> ExportResult:
    """Write ``records`` of ``kind`` (in their order) to ``path``."""
    fmt = format_for(path, options.fmt)
    if fmt == "ics":
        if kind != "event":
            raise ExportError(tr("export.ics_events_only"))
        return _export_ics(ledger, records, path, options)
    names = {m["id"]: m.get("name", "") for m in ledger.records("member")} if kind == "event" else None
    columns = columns_for(kind, options.include_sensitive, names)
    cells = table(columns, records)
    private = options.include_sensitive and has_sensitive(kind)
    if fmt == "xlsx":
        from domain.exporting.xlsx import write_xlsx

        write_whole(path, lambda p: write_xlsx(p, kind_label(kind), columns, cells))
    else:
        from domain.exporting.csv_out import write_csv

        write_whole(path, lambda p: write_csv(p, columns, cells))
    return ExportResult(Path(path), len(records), private)


def _export_ics(ledger, records: list[dict], path: Path, options: ExportOptions) -> ExportResult:
    from domain.exporting.ics import write_ics

    from domain.reports.settings import report_settings

    name = tr("export.calendar_name", union=report_settings(ledger.config, ledger.school).union_name)
    year = options.from_year or dt.date.today().year
    found = {}
    write_whole(path, lambda p: found.setdefault("r", write_ics(p, records, name, year)))
    result = found["r"]
    return ExportResult(Path(path), result.written, False, result.left_out)
