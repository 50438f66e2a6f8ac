"""Real roster files for the import tests, written the way schools' files come.

``roster_xlsx`` writes what an officer's Excel holds: a merged title row, a
填表单位 row, the header on row 3, data from row 4, 身份证号 typed into a
General cell (a number, destroyed), dates as serial numbers in General cells.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
from pathlib import Path

from domain.idcard import make_idcard
from tests.tui_waits import loaded

HEADER = ["序号", "姓名", "性别", "身份证号", "出生日期", "手机号码", "教研组", "政治面貌", "入会时间"]
_EPOCH = dt.date(1899, 12, 30)


def serial(d: dt.date) -> int:
    """Excel's serial number of a date (what a General cell shows after typing a date)."""
    return (d - _EPOCH).days


def person(seq: int, *, group: str = "语文组", sex: str = "女", birth: dt.date | None = None) -> dict:
    birth = birth or dt.date(1970 + seq % 30, 1 + seq % 12, 1 + seq % 28)
    return {"name": f"教师{seq:04d}", "id": make_idcard("110105", birth, seq % 500, sex), "sex": sex,
            "birth": birth, "phone": f"139{seq:08d}", "group": group}


def roster_rows(people: list[dict]) -> list[list]:
    """Data rows in HEADER order: 身份证号 as text, the birth date a serial number."""
    return [[i + 1, p["name"], p["sex"], p["id"], serial(p["birth"]), int(p["phone"]), p["group"], "群众",
             "2005.9"] for i, p in enumerate(people)]


def roster_xlsx(path: Path, rows: list[list], *, header: list[str] = HEADER, sheet: str = "教职工名单",
                title: str = "莲峰小学教职工花名册", numbers_as_ids: tuple[int, ...] = ()) -> Path:
    """Title merged over the header's width on row 1, 填表单位 on row 2, header on row 3.

    Rows whose index is in ``numbers_as_ids`` get their 身份证号 as a number
    (as Excel keeps it: 15 significant digits)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet(sheet)
    ws.merge_range(0, 0, 0, len(header) - 1, title, book.add_format({"bold": True, "align": "center"}))
    ws.write(1, 0, "填表单位：莲峰小学工会")
    ws.write_row(2, 0, header)
    id_col = header.index("身份证号") if "身份证号" in header else None
    for r, row in enumerate(rows):
        row = list(row)
        if r in numbers_as_ids and id_col is not None:
            digits = str(row[id_col]).replace("X", "0")  # an X would have kept it text
            row[id_col] = float(f"{float(digits):.15g}")
        for c, value in enumerate(row):
            if isinstance(value, str):
                ws.write_string(3 + r, c, value)
            elif value is not None:
                ws.write_number(3 + r, c, value)
    book.close()
    return path


def roster_csv(path: Path, rows: list[list], *, header: list[str] = HEADER, encoding: str = "utf-8",
               delimiter: str = ",") -> Path:
    lines = [delimiter.join(header)] + [delimiter.join("" if v is None else str(v) for v in row) for row in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def ledger_bytes(path: Path) -> dict[str, bytes]:
    """Every file of a ledger (snapshot, journal, lock), to compare before and after."""
    return {p.name: p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")) if p.is_file()}


def aio(fn):
    """Run an async (pilot) test in its own event loop (no asyncio plugin in this project)."""
    @functools.wraps(fn)
    def wrapper(*args, **kw):
        return asyncio.run(fn(*args, **kw))
    return wrapper


async def settle(app, pilot) -> None:
    """Until the ledger is read, the app's workers (committing) are done and the screen is drawn."""
    await loaded(app, pilot)
