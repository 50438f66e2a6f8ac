"""Direct edits, as the district staff make them in the browser: typing a
cell, inserting, deleting and sorting rows, adding, inserting and deleting
a column, pasting a copy of a row. They are not API requests (not counted, no faults, no quota).

``StaffEdits`` is a mixin of ``Emulator``: it needs ``self.lock``,
``self.backend`` and ``self._edited(ss)``."""

from __future__ import annotations

from typing import Any

from .a1 import cell_ref, letters_to_col
from .batch_dimensions import sort_rows
from .model import Sheet, Spreadsheet
from .values import Cell, user_entered_cell
from .values_read import RenderOptions, values_grid


class StaffEdits:
    lock: Any
    backend: Any

    def _tab(self, sid: str, title: str) -> tuple[Spreadsheet, Sheet]:
        ss = self.backend.get_ss(sid)
        sh = ss.sheet_by_title(title)
        if sh is None:
            raise KeyError(f"no tab {title!r}")
        return ss, sh

    def set_cell(self, sid: str, title: str, a1: str, value: Any) -> None:
        """Type ``value`` into a cell as a person would (user-entered: `=` makes
        a formula, numbers and dates are parsed)."""
        with self.lock:
            ss, sh = self._tab(sid, title)
            r, c = cell_ref(a1)
            if r >= sh.row_count or c >= sh.col_count:
                raise IndexError(f"{a1} is outside the grid")
            old = sh.get(r, c)
            cell = user_entered_cell(value)
            if old is not None and old.note:
                cell = (cell or Cell("", None))._replace(note=old.note)
            sh.put(r, c, cell)
            sh.trim()
            self._edited(ss)

    type_formula = set_cell

    def insert_row(self, sid: str, title: str, row: int, values: list | None = None) -> None:
        """Insert an empty row before 1-based ``row`` (optionally typing values)."""
        with self.lock:
            ss, sh = self._tab(sid, title)
            sh.insert_rows(row - 1, 1)
            for j, v in enumerate(values or []):
                sh.put(row - 1, j, user_entered_cell(v))
            sh.trim()
            self._edited(ss)

    def delete_row(self, sid: str, title: str, row: int) -> None:
        with self.lock:
            ss, sh = self._tab(sid, title)
            sh.delete_rows(row - 1, row)
            self._edited(ss)

    def sort_tab(self, sid: str, title: str, column: str | int, ascending: bool = True, header_rows: int = 1) -> None:
        """Sort the data rows (below ``header_rows``) by a column (letter or
        0-based index), like Data > Sort range in the browser."""
        with self.lock:
            ss, sh = self._tab(sid, title)
            col = letters_to_col(column) if isinstance(column, str) else int(column)
            nrows, ncols = sh.extent()
            if nrows > header_rows:
                sort_rows(ss, sh, (header_rows, 0, nrows, max(ncols, col + 1)),
                          [{"dimensionIndex": col, "sortOrder": "ASCENDING" if ascending else "DESCENDING"}])
            self._edited(ss)

    def add_column(self, sid: str, title: str, header: str) -> int:
        """Type a new header in the first empty column of row 1 (grows the
        grid if needed); returns its 0-based column index."""
        with self.lock:
            ss, sh = self._tab(sid, title)
            col = len(sh.rows[0]) if sh.rows else 0
            if col >= sh.col_count:
                sh.set_size(cols=col + 1)
            sh.put(0, col, user_entered_cell(header))
            self._edited(ss)
            return col

    def insert_column(self, sid: str, title: str, column: str) -> None:
        """Insert an empty column before ``column`` (letters), as
        "Insert 1 column left" does."""
        with self.lock:
            ss, sh = self._tab(sid, title)
            sh.insert_cols(letters_to_col(column), 1)
            self._edited(ss)

    def delete_column(self, sid: str, title: str, column: str) -> None:
        """Delete ``column`` (letters), header and cells."""
        with self.lock:
            ss, sh = self._tab(sid, title)
            col = letters_to_col(column)
            sh.delete_cols(col, col + 1)
            self._edited(ss)

    def paste_row_copy(self, sid: str, title: str, row: int) -> int:
        """Copy 1-based ``row`` and paste it below the last data row (a
        duplicate, ids included); returns the new row's 1-based number."""
        with self.lock:
            ss, sh = self._tab(sid, title)
            nrows, _ = sh.extent()
            src = list(sh.rows[row - 1]) if row - 1 < len(sh.rows) else []
            if nrows >= sh.row_count:
                sh.set_size(rows=nrows + 1)
            for j, cell in enumerate(src):
                sh.put(nrows, j, cell)
            self._edited(ss)
            return nrows + 1

    def values(self, sid: str, title: str, render: str = "FORMATTED_VALUE") -> list[list[Any]]:
        """The tab's values (not counted as a request)."""
        with self.lock:
            ss, sh = self._tab(sid, title)
            return values_grid(ss, sh, (0, 0, sh.row_count, sh.col_count),
                               RenderOptions(render, "FORMATTED_STRING", "ROWS"))

    def tabs(self, sid: str) -> list[str]:
        with self.lock:
            return [s.title for s in self.backend.get_ss(sid).sheets]
