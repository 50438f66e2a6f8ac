"""In-memory model of spreadsheets, sheets (tabs) and cells.

Grid data is a list of rows, each a list of ``Cell | None``; rows and rows'
tails past the last value are simply absent. Cells are immutable tuples, so a
snapshot for an atomic batchUpdate is a cheap copy of the row lists.
"""

from __future__ import annotations

import copy
import datetime as _dt
import random
import secrets
from typing import Any

from .a1 import Box, RangeError, parse_cells, split_sheet
from .formula import evaluate
from .values import Cell, ErrorValue

MAX_CELLS = 10_000_000
SERVICE_ACCOUNT = "emulator@union-ledger-emulator.iam.gserviceaccount.com"


class ApiError(Exception):
    """An error answer, with Google's body shape."""

    STATUS = {400: "INVALID_ARGUMENT", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
              429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE"}

    def __init__(self, code: int, message: str, status: str | None = None, details: list | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status or self.STATUS.get(code, "UNKNOWN")
        self.details = details

    def body(self) -> dict:
        err: dict[str, Any] = {"code": self.code, "message": self.message, "status": self.status}
        if self.details:
            err["details"] = self.details
        return {"error": err}


def bad(message: str) -> ApiError:
    return ApiError(400, message)


def now_rfc3339() -> str:
    t = _dt.datetime.now(_dt.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def new_id() -> str:
    return "1" + secrets.token_urlsafe(32)[:43]


class Sheet:
    def __init__(self, sheet_id: int, title: str, rows: int = 1000, cols: int = 26):
        self.props: dict[str, Any] = {
            "sheetId": sheet_id,
            "title": title,
            "index": 0,
            "sheetType": "GRID",
            "gridProperties": {"rowCount": rows, "columnCount": cols},
        }
        self.rows: list[list[Cell | None]] = []
        self.protected: list[dict] = []
        self.validations: list[dict] = []  # {"range": GridRange, "rule": ...}
        self.formats: list[dict] = []  # repeatCell/updateCells formats, stored only
        self.row_sizes: dict[int, int] = {}
        self.col_sizes: dict[int, int] = {}
        self.extra: dict[str, Any] = {}  # e.g. basicFilter, merges (stored only)

    # -- basic properties
    @property
    def sheet_id(self) -> int:
        return self.props["sheetId"]

    @property
    def title(self) -> str:
        return self.props["title"]

    @property
    def row_count(self) -> int:
        return self.props["gridProperties"]["rowCount"]

    @property
    def col_count(self) -> int:
        return self.props["gridProperties"]["columnCount"]

    def set_size(self, rows: int | None = None, cols: int | None = None) -> None:
        gp = self.props["gridProperties"]
        if rows is not None:
            gp["rowCount"] = rows
            del self.rows[rows:]
        if cols is not None:
            gp["columnCount"] = cols
            for r in self.rows:
                del r[cols:]
        self.trim()

    def clone(self) -> "Sheet":
        s = Sheet.__new__(Sheet)
        s.props = copy.deepcopy(self.props)
        s.rows = [list(r) for r in self.rows]
        s.protected = copy.deepcopy(self.protected)
        s.validations = copy.deepcopy(self.validations)
        s.formats = copy.deepcopy(self.formats)
        s.row_sizes = dict(self.row_sizes)
        s.col_sizes = dict(self.col_sizes)
        s.extra = copy.deepcopy(self.extra)
        return s

    # -- cells
    def get(self, r: int, c: int) -> Cell | None:
        if r < len(self.rows):
            row = self.rows[r]
            if c < len(row):
                return row[c]
        return None

    def put(self, r: int, c: int, cell: Cell | None) -> None:
        if cell is None:
            if r < len(self.rows) and c < len(self.rows[r]):
                self.rows[r][c] = None
            return
        while len(self.rows) <= r:
            self.rows.append([])
        row = self.rows[r]
        if len(row) <= c:
            row.extend([None] * (c + 1 - len(row)))
        row[c] = cell

    def trim(self) -> None:
        for row in self.rows:
            while row and row[-1] is None:
                row.pop()
        while self.rows and not self.rows[-1]:
            self.rows.pop()

    def extent(self) -> tuple[int, int]:
        """(rows, cols) spanned by data."""
        self.trim()
        return len(self.rows), max((len(r) for r in self.rows), default=0)

    def insert_rows(self, start: int, n: int) -> None:
        if start < len(self.rows):
            self.rows[start:start] = [[] for _ in range(n)]
        self.props["gridProperties"]["rowCount"] += n
        self.row_sizes = {(k + n if k >= start else k): v for k, v in self.row_sizes.items()}
        self._shift_ranges("Row", start, n)

    def delete_rows(self, start: int, end: int) -> None:
        del self.rows[start:end]
        n = end - start
        self.props["gridProperties"]["rowCount"] -= n
        self.row_sizes = {(k - n if k >= end else k): v for k, v in self.row_sizes.items() if not start <= k < end}
        self._shift_ranges("Row", start, -n, end)
        self.trim()

    def insert_cols(self, start: int, n: int) -> None:
        for row in self.rows:
            if start < len(row):
                row[start:start] = [None] * n
        self.props["gridProperties"]["columnCount"] += n
        self.col_sizes = {(k + n if k >= start else k): v for k, v in self.col_sizes.items()}
        self._shift_ranges("Column", start, n)

    def delete_cols(self, start: int, end: int) -> None:
        for row in self.rows:
            del row[start:end]
        n = end - start
        self.props["gridProperties"]["columnCount"] -= n
        self.col_sizes = {(k - n if k >= end else k): v for k, v in self.col_sizes.items() if not start <= k < end}
        self._shift_ranges("Column", start, -n, end)
        self.trim()

    def _shift_ranges(self, dim: str, start: int, delta: int, end: int | None = None) -> None:
        """Keep protected ranges and validations on the rows/columns they
        cover when rows or columns are inserted or deleted."""
        lo, hi = f"start{dim}Index", f"end{dim}Index"
        for holder in [p["range"] for p in self.protected] + [v["range"] for v in self.validations]:
            for key in (lo, hi):
                if key in holder:
                    k = holder[key]
                    if delta > 0 and (k > start or (key == lo and k == start)):
                        holder[key] = k + delta
                    elif delta < 0:
                        if k >= end:
                            holder[key] = k + delta
                        elif k > start:
                            holder[key] = start


class Spreadsheet:
    def __init__(self, sid: str, title: str):
        self.id = sid
        self.props: dict[str, Any] = {"title": title, "locale": "en_US", "autoRecalc": "ON_CHANGE", "timeZone": "Etc/GMT"}
        self.sheets: list[Sheet] = [Sheet(0, "Sheet1")]
        self.named_ranges: list[dict] = []
        self.created = now_rfc3339()
        self.modified = self.created
        self.deleted = False

    def clone(self) -> "Spreadsheet":
        s = Spreadsheet.__new__(Spreadsheet)
        s.__dict__.update(self.__dict__)
        s.props = copy.deepcopy(self.props)
        s.sheets = [sh.clone() for sh in self.sheets]
        s.named_ranges = copy.deepcopy(self.named_ranges)
        return s

    def adopt(self, work: "Spreadsheet") -> None:
        """Take the state of a working copy (made by ``clone``) once every
        part of a request succeeded."""
        self.__dict__.update(work.__dict__)
        self.touch()

    def touch(self) -> None:
        self.modified = now_rfc3339()

    def reindex(self) -> None:
        for i, sh in enumerate(self.sheets):
            sh.props["index"] = i

    def total_cells(self) -> int:
        return sum(s.row_count * s.col_count for s in self.sheets)

    def check_cells(self, what: str = "") -> None:
        if self.total_cells() > MAX_CELLS:
            raise bad(f"{what}This action would increase the number of cells in the workbook above the limit of 10000000 cells.")

    def sheet_by_id(self, sheet_id: int) -> Sheet | None:
        for s in self.sheets:
            if s.sheet_id == sheet_id:
                return s
        return None

    def sheet_by_title(self, title: str) -> Sheet | None:
        for s in self.sheets:
            if s.title == title:
                return s
        low = title.lower()
        for s in self.sheets:  # Google matches titles case-insensitively
            if s.title.lower() == low:
                return s
        return None

    def new_sheet_id(self) -> int:
        while True:
            n = random.randint(1, 2_000_000_000)
            if self.sheet_by_id(n) is None:
                return n

    # -- ranges
    def resolve(self, text: str) -> tuple[Sheet, Box | None]:
        """Range text -> (sheet, box or None for the whole sheet)."""
        try:
            title, cells = split_sheet(text)
        except RangeError:
            raise bad(f"Unable to parse range: {text}") from None
        if title is None:
            sheet = self.sheet_by_title(cells)
            if sheet is not None:
                return sheet, None
            for nr in self.named_ranges:
                if nr.get("name") == cells:
                    gr = nr["range"]
                    sh = self.sheet_by_id(gr.get("sheetId", 0))
                    if sh is not None:
                        return sh, Box(gr.get("startRowIndex", 0), gr.get("startColumnIndex", 0),
                                       gr.get("endRowIndex"), gr.get("endColumnIndex"))
            sheet = self.sheets[0]
        else:
            sheet = self.sheet_by_title(title)
            if sheet is None:
                raise bad(f"Unable to parse range: {text}")
        if cells is None:
            return sheet, None
        try:
            return sheet, parse_cells(cells)
        except RangeError:
            raise bad(f"Unable to parse range: {text}") from None

    @staticmethod
    def clamp(sheet: Sheet, box: Box | None) -> tuple[int, int, int, int]:
        if box is None:
            return 0, 0, sheet.row_count, sheet.col_count
        r2 = sheet.row_count if box.r2 is None else min(box.r2, sheet.row_count)
        c2 = sheet.col_count if box.c2 is None else min(box.c2, sheet.col_count)
        r1 = min(box.r1, max(r2 - 1, 0))
        c1 = min(box.c1, max(c2 - 1, 0))
        return r1, c1, max(r2, r1 + 1), max(c2, c1 + 1)

    # -- evaluation
    def effective(self, sheet: Sheet, r: int, c: int, memo: dict, stack: set) -> Any:
        cell = sheet.get(r, c)
        if cell is None:
            return None
        if cell.kind != "f":
            return cell.value
        key = (sheet.sheet_id, r, c)
        if key in memo:
            return memo[key]
        if key in stack or len(stack) > 200:
            return ErrorValue("#REF!")
        stack.add(key)

        def resolver(title, r1, c1, r2, c2):
            sh = sheet if title is None else self.sheet_by_title(title)
            if sh is None:
                raise RangeError(title)
            return [[self.effective(sh, rr, cc, memo, stack) for cc in range(c1, c2)] for rr in range(r1, r2)]

        try:
            v = evaluate(cell.formula, resolver)
        finally:
            stack.discard(key)
        memo[key] = v
        return v
