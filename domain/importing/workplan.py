"""A work plan's month schedule (主要活动安排) read into proposed calendar events.

The schedule is found by its month headings (一月份 / 1月 / 一月： / 七、八月份
/ 1-2月 / 9—10月 / 7月8月： …; several may share one line) and needs at least
two of them.  It ends at a later section (七、备注, （一）…), another plan's
title, or numbered prose (a long line).  Items are split on list markers
(1、 1. 1， （1） ①), ； and lines; markers and trailing 。；; are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_M = r"(?:十[一二]?|[一二三四五六七八九]|1[0-2]|0?[1-9])"
_JOIN = r"(?:\s*(?:[、，,和及]|[-—–~～至到]+)\s*|\s*月份?\s*[、，,]?\s*)"
_YEAR = r"(?:(?:\d{2,4}|[xX]{2,4}|[_＿]+)\s*年+\s*)?"
HEADING = re.compile(rf"^\s*{_YEAR}(?P<months>{_M}(?:{_JOIN}{_M})*)\s*月份?\s*(?:[：:]\s*|\s+|$)(?P<rest>.*)$")
# A heading inside a line ("…讨论活动11月：…"): only with a colon.
INLINE = re.compile(rf"(?<![\d一二三四五六七八九十年月、，,\-—–~～至到])(?={_YEAR}{_M}(?:{_JOIN}{_M})*\s*月份?\s*[：:])")
_RANGE = re.compile(r"[-—–~～至到]")
MARKER = re.compile(r"^\s*(?:\d{1,2}\s*[、.．，,)）](?!\d)|[（(]\d{1,2}[）)]|[①-⑳]|[-•·●]\s)\s*")
SPLIT_MARKERS = re.compile(r"(?:(?<=^)|(?<=[\s。；;]))(?=(?:\d{1,2}[、．]|[（(]\d{1,2}[）)]|[①-⑳]))")
SECTION = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十\d]+[篇章部分])")
PLAN_TITLE = re.compile(r"(工作计划|工作要点|篇[一二三四五六七八九十\d]+$|计划\d+$|年.*计划$)")
ITEM_MAX_CHARS = 60
_TRAILING = "。；;，,、 \t"


@dataclass
class ScheduleItem:
    months: list[int]
    title: str


@dataclass
class _Scan:
    items: list[ScheduleItem] = field(default_factory=list)
    headings: int = 0
    months: list[int] | None = None


def month_number(token: str) -> int:
    token = token.strip()
    if token.isdigit():
        return int(token)
    if len(token) == 1:
        return CN_DIGITS[token]
    return 10 + (CN_DIGITS[token[1]] if len(token) == 2 else 0)


def parse_months(text: str) -> list[int]:
    """七、八 -> [7, 8]; 1-2 -> [1, 2]; 9—10 -> [9, 10]; 7月8 -> [7, 8]."""
    tokens = re.findall(_M, text)
    numbers = [month_number(t) for t in tokens]
    if len(numbers) == 2 and _RANGE.search(text) and numbers[0] < numbers[1]:
        return list(range(numbers[0], numbers[1] + 1))
    return list(dict.fromkeys(numbers))


_FULL_WIDTH = str.maketrans("０１２３４５６７８９\u3000", "0123456789 ")


def normalise_line(line: str) -> str:
    """Full-width digits folded; other punctuation kept as typed (it is the title's)."""
    return line.translate(_FULL_WIDTH).strip()


def split_items(text: str) -> list[str]:
    """Item texts on one line: split on list markers, markers and trailing 。；; dropped."""
    out = []
    for part in (p for chunk in re.split(r"[；;]", text) for p in SPLIT_MARKERS.split(chunk)):
        part = MARKER.sub("", part, count=1).strip().rstrip(_TRAILING).strip()
        if part:
            out.append(part)
    return out


def find_schedules(lines: list[str]) -> list[ScheduleItem]:
    """Every month schedule in the text (a page may hold several plans), as one list."""
    return [item for schedule in schedules(lines) for item in schedule]


def schedules(lines: list[str]) -> list[list[ScheduleItem]]:
    """Each month schedule in the text, its items in order."""
    found: list[list[ScheduleItem]] = []
    scan = _Scan()
    for raw in lines:
        line = normalise_line(raw)
        if not line:
            continue
        pieces = [p for p in INLINE.split(line) if p.strip()] if HEADING.match(line) else [line]
        if not _take(scan, pieces):
            found.append(_finish(scan))
            scan = _Scan()
    found.append(_finish(scan))
    return [items for items in found if items]


def _finish(scan: _Scan) -> list[ScheduleItem]:
    return scan.items if scan.headings >= 2 else []


def _take(scan: _Scan, pieces: list[str]) -> bool:
    """Add one line to the schedule being read; False when the line ends it."""
    first = HEADING.match(pieces[0])
    if first is None:
        if scan.months is None:
            return True  # not in a schedule yet: prose before it
        if _ends_schedule(pieces[0]):
            return False
        scan.items.extend(ScheduleItem(list(scan.months), t) for t in split_items(pieces[0]))
        return True
    for piece in pieces:
        m = HEADING.match(piece)
        if m is None:  # text after an inline heading that did not parse: part of the last month
            scan.items.extend(ScheduleItem(list(scan.months or []), t) for t in split_items(piece))
            continue
        scan.months = parse_months(m["months"])
        scan.headings += 1
        scan.items.extend(ScheduleItem(list(scan.months), t) for t in split_items(m["rest"]))
    return True


def _ends_schedule(line: str) -> bool:
    if SECTION.match(line) or PLAN_TITLE.search(line) and not MARKER.match(line):
        return True
    body = MARKER.sub("", line, count=1)
    return len(body) > ITEM_MAX_CHARS or "。" in body.rstrip("。")
