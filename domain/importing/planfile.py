"""A work plan file to proposed events: read the text, date and categorise each item.

Known festivals fall on their real day in the plan's year (三八 3-8, 五一 5-1,
教师节 9-10, 国庆 10-1; 春节 端午 中秋 重阳 on their lunar dates, from
``domain.lunar``); any other item is "日期待定" in its (first) month: stored
as that month's 1st with ``date_tbd = 是``.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from domain.errors import UserError
from domain.i18n import register, tr
from domain.importing.readers import ImportFileError, decode_text
from domain.importing.workplan import schedules
from domain.lunar import holiday_date

register({
    "plan.file_type": ("无法读取工作计划 {path}：只支持 .docx、.txt 文件，或用 - 从标准输入粘贴",
                       "Cannot read the plan {path}: only .docx and .txt, or - for text pasted on stdin"),
    "plan.bad_docx": ("无法读取 Word 文件 {path}：文件已损坏，或不是 .docx（旧的 .doc 请用 Word 或 WPS 另存为 .docx）",
                      "Cannot read the Word file {path}: it is damaged or not a .docx (save an old .doc as .docx)"),
    "plan.bad_year": ("--year 应为 1900 到 2100 之间的年份", "--year must be a year from 1900 to 2100"),
    "plan.note": ("来自工作计划：{months}", "From the work plan: {months}"),
})

# Keyword -> festival (domain.lunar's names); the first found in a title wins.
FESTIVALS = (
    ("三八", "三八妇女节"), ("三·八", "三八妇女节"), ("妇女节", "三八妇女节"), ("五一", "劳动节"),
    ("五·一", "劳动节"), ("劳动节", "劳动节"), ("教师节", "教师节"), ("国庆", "国庆节"),
    ("元旦", "元旦"), ("春节", "春节"), ("端午", "端午"), ("中秋", "中秋"), ("重阳", "重阳"),
)
# Keyword -> category, in order; only categories the configuration lists are used.
CATEGORY_WORDS = (
    (("慰问", "送温暖", "走访", "帮扶", "关心退休"), "慰问活动"),
    (("献血",), "献血"),
    (("体检",), "体检"),
    (("评比", "评选", "表彰"), "评比"),
    (("比赛", "运动会", "球赛", "踢毽", "跳绳", "拔河", "竞赛"), "文体比赛"),
    (("会议", "大会", "教代会", "座谈", "例会"), "会议"),
    (("考察", "参观", "踏青", "休养"), "考察"),
    (("培训", "学习", "讲座", "读书"), "培训学习"),
    (("节", "庆祝", "庆"), "节日活动"),
    (("汇演", "联谊", "文艺", "球"), "文体比赛"),
)
_YEAR_IN_TEXT = re.compile(r"((?:19|20)\d{2})\s*年")


@dataclass
class ProposedEvent:
    months: list[int]
    title: str
    category: str
    date: dt.date
    date_known: bool

    def as_json(self) -> dict:
        return {"months": self.months, "title": self.title, "category": self.category,
                "date": self.date.isoformat() if self.date_known else f"{self.date:%Y-%m}",
                "date_known": self.date_known}

    def values(self, school: str) -> dict[str, str]:
        """The event's fields, as the ledger's validation reads them."""
        months = "、".join(f"{m}月" for m in self.months)
        return {"title": self.title, "date": self.date.isoformat(), "category": self.category,
                "date_tbd": "" if self.date_known else "是", "school": school,
                "notes": tr("plan.note", months=months)}


def read_plan_text(path: str | Path, stdin=None) -> str:
    if str(path) == "-":
        stream = stdin or sys.stdin
        data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
        return data if isinstance(data, str) else decode_text(data, "-")[0]
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(tr("imp.not_found", path=path))
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return docx_text(path)
    if suffix in (".txt", ".text", ".md"):
        return decode_text(path.read_bytes(), path)[0]
    raise ImportFileError(tr("plan.file_type", path=path))


def docx_text(path: Path) -> str:
    """Paragraphs and table rows in document order, one line each (cells joined by ：)."""
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise ImportFileError(tr("plan.bad_docx", path=path)) from None  # not the library's English text
    lines = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            for row in Table(block, document).rows:
                cells = list(dict.fromkeys(c.text.strip() for c in row.cells))  # merged cells repeat
                lines.extend(_table_row_lines(cells))
    return "\n".join(lines)


def _table_row_lines(cells: list[str]) -> list[str]:
    cells = [c for c in cells if c]
    if not cells:
        return []
    head, *rest = cells
    lines = [p for c in rest for p in c.splitlines() if p.strip()]
    return [f"{head}：{lines[0] if lines else ''}", *lines[1:]]


def plan_year(text: str, today: dt.date | None = None) -> int:
    """The first year named (2025年…) in the plan, else this year."""
    m = _YEAR_IN_TEXT.search(text[:2000])
    return int(m[1]) if m else (today or dt.date.today()).year


def guess_category(title: str, categories: tuple[str, ...]) -> str:
    for words, category in CATEGORY_WORDS:
        if category in categories and any(w in title for w in words):
            return category
    return ""


def festival_day(title: str, year: int) -> dt.date | None:
    for word, name in FESTIVALS:
        if word in title:
            return holiday_date(name, year)
    return None


def propose_events(text: str, config, year: int | None = None) -> tuple[int, list[ProposedEvent]]:
    if year is not None and not 1900 <= year <= 2100:
        raise UserError(tr("plan.bad_year"))
    year = year or plan_year(text)
    categories = config.choices("event_categories")
    out = []
    for schedule in schedules(text.splitlines()):
        for item, item_year in zip(schedule, school_year(schedule, year)):
            months = item.months or [1]
            day = festival_day(item.title, item_year)
            known = day is not None
            out.append(ProposedEvent(months, item.title, guess_category(item.title, categories),
                                     day if known else dt.date(item_year, months[0], 1), known))
    return year, out


def school_year(schedule: list, year: int) -> list[int]:
    """The calendar year of each item.  A schedule runs on from the year's end
    into the next one (九月 … 十二月, 一月; 二月 … 十二月, 一月): a month early in
    the year (一月 to 三月) after one late in it (九月 or later) starts the next
    year.  Any other step back (十月, then 六月) is a plan listed out of order
    and stays in its year."""
    years, previous = [], None
    for item in schedule:
        month = (item.months or [1])[0]
        if previous is not None and previous >= 9 and month <= 3:
            year += 1
        years.append(year)
        previous = month
    return years


def commit_plan(ledger, events: list[ProposedEvent], *, backup: bool = True) -> tuple[int, int]:
    """Add the events (after a backup) in one commit; an event already there is skipped.

    Returns (added, skipped)."""
    from domain.store import new_id, now_stamp
    from domain.validation import validate_record

    existing = {(e["title"], e["date"][:4]) for e in ledger.records("event")}
    todo = [e for e in events if (e.title, str(e.date.year)) not in existing]
    records = [validate_record("event", e.values(ledger.school), ledger.config) for e in todo]
    if backup and records:
        from domain.backup_policy import backup_now

        backup_now(ledger, "before-import")
    stamp = now_stamp()
    with ledger.transaction() as tx:
        for stored in records:
            tx.put_record("event", {"id": new_id(), "school": stored.pop("school"), "created": stamp,
                                    "updated": stamp, **stored}, source="import")
    return len(records), len(events) - len(records)
