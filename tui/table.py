"""A table that renders only its visible rows (the Line API).

Textual's DataTable measures every cell of every row (1.6-1.8 s at 10,000
rows).  ``RecordTable`` keeps a plain list of rows and fixed column widths
in terminal cells; ``render_line`` builds just the strips on screen, so a
keystroke costs the same at ten rows or ten thousand.  Cells are
``rich.text.Text`` (never markup) fitted by cell width: a Chinese character
counts two cells, so columns stay aligned.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from domain.i18n import tr


@dataclass(frozen=True)
class Column:
    label: str  # a message key, or text when ``literal``
    width: int  # cells
    get: Callable[[object], str]
    right: bool = False
    literal: bool = False

    @property
    def title(self) -> str:
        return self.label if self.literal else tr(self.label)


def fit(text: str, width: int, right: bool = False) -> str:
    """``text`` cut or padded to exactly ``width`` cells (CJK = 2)."""
    text = text.replace("\n", " ")
    if cell_len(text) > width:
        text = set_cell_size(text, max(width - 1, 0)) + "…" if width > 1 else set_cell_size(text, width)
        return set_cell_size(text, width)
    pad = " " * (width - cell_len(text))
    return pad + text if right else text + pad


def _find(rows: list, row: object) -> int | None:
    """The index of ``row`` in ``rows``: the same object, or a record with the same id."""
    if row is None:
        return None
    try:
        return rows.index(row)  # C speed: identity first, then a dict compare that stops at "id"
    except ValueError:
        pass
    rid = row.get("id") if isinstance(row, dict) else None
    for i, r in enumerate(rows):
        if r is row or (rid is not None and isinstance(r, dict) and r.get("id") == rid):
            return i
    return None


class RecordTable(ScrollView, can_focus=True):
    """Rows of any objects, shown through ``columns``; one row has the cursor."""

    DEFAULT_CSS = """
    RecordTable { background: $surface; height: 1fr; }
    RecordTable > .record-table--header { text-style: bold; background: $panel; }
    RecordTable > .record-table--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    RecordTable:blur > .record-table--cursor { background: $block-cursor-blurred-background; }
    RecordTable > .record-table--empty { color: $text-muted; }
    """
    COMPONENT_CLASSES = {"record-table--header", "record-table--cursor", "record-table--empty"}
    BINDINGS = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
        Binding("enter", "select", show=False),
    ]
    cursor = reactive(0, always_update=True, repaint=False)

    class Highlighted(Message):
        def __init__(self, table: RecordTable, row: object | None) -> None:
            super().__init__()
            self.table, self.row = table, row

        @property
        def control(self) -> RecordTable:
            return self.table

    class Selected(Highlighted):
        pass

    def __init__(self, columns: Sequence[Column], *, empty: str = "", marks: Callable[[object], bool] | None = None,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.columns = list(columns)
        self.rows: list = []
        self.empty = empty
        self.marks = marks  # rows shown with a check mark (attendance)
        # cells a row takes (columns and marks are fixed): ``fit`` makes each cell its column's width
        self.row_cells = sum(c.width + 1 for c in self.columns) + (2 if marks else 0)
        self._cache: LRUCache[tuple, Strip] = LRUCache(1024)
        self._version = 0
        self._style_cache: dict[str, Style] | None = None

    # ----- data
    def set_rows(self, rows: list, keep: object | None = None) -> None:
        """Replace the rows; the cursor stays on ``keep`` (or the same row) if still present."""
        current = keep if keep is not None else self.current
        self.rows = rows
        self._version += 1
        self._cache.clear()
        self.virtual_size = Size(self.row_cells, len(rows) + 1)
        index = _find(rows, current)
        if index is None:
            index = min(self.cursor, max(len(rows) - 1, 0)) if keep is None else 0
        self.cursor = index
        self._reveal()
        self.refresh()

    def refresh_rows(self) -> None:
        self._version += 1
        self._cache.clear()
        self.refresh()

    @property
    def current(self) -> object | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def select_row(self, row: object) -> bool:
        index = _find(self.rows, row)
        if index is None:
            return False
        self.cursor = index
        self._reveal()
        return True

    # ----- cursor
    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()
        self.post_message(self.Highlighted(self, self.current))

    @property
    def page_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _reveal(self) -> None:
        top = self.scroll_y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + self.page_rows:
            self.scroll_to(y=self.cursor - self.page_rows + 1, animate=False, immediate=True)

    def _move_to(self, index: int) -> None:
        if not self.rows:
            return
        self.cursor = max(0, min(index, len(self.rows) - 1))
        self._reveal()

    def action_cursor(self, delta: int) -> None:
        self._move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        step = self.page_rows * direction
        self.scroll_to(y=max(0, self.scroll_y + step), animate=False, immediate=True)
        self._move_to(self.cursor + step)

    def action_jump(self, where: int) -> None:
        self._move_to(where if where >= 0 else len(self.rows) - 1)

    def action_select(self) -> None:
        if self.current is not None:
            self.post_message(self.Selected(self, self.current))

    def on_click(self, event: events.Click) -> None:
        row = int(self.scroll_y) + event.y - 1
        if event.y >= 1 and 0 <= row < len(self.rows):
            self.cursor = row
            if event.chain >= 2:
                self.action_select()

    # ----- drawing
    @property
    def _styles(self) -> dict[str, Style]:
        """The row styles, worked out once (``rich_style`` walks every ancestor's CSS)."""
        if self._style_cache is None:
            base = self.rich_style
            self._style_cache = {"base": base, **{
                name: base + self.get_component_rich_style(f"record-table--{name}")
                for name in ("header", "cursor", "empty")}}
        return self._style_cache

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x, scroll_y = self.scroll_offset
        if y == 0:
            key = ("header", scroll_x, width, self._version)
            index = -1
        else:
            index = scroll_y + y - 1
            key = (index, index == self.cursor, self.has_focus, scroll_x, width, self._version)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_row(index, width).crop_extend(scroll_x, scroll_x + width, self._styles["base"])
            self._cache[key] = strip
        return strip

    def _render_row(self, index: int, width: int) -> Strip:
        styles = self._styles
        base = styles["base"]
        if index == -1:
            style = styles["header"]
            cells = [fit(c.title, c.width, c.right) for c in self.columns]
            prefix = "  " if self.marks else ""
            return self._full_width(prefix + " ".join(cells) + " ", style, width)
        if index >= len(self.rows):
            if index == 0 and self.empty:
                return Strip([Segment(" " + self.empty, styles["empty"])])
            return Strip([Segment("", base)])
        row = self.rows[index]
        style: Style = styles["cursor"] if index == self.cursor else base
        text = " ".join(fit(c.get(row) or "", c.width, c.right) for c in self.columns) + " "
        if self.marks:
            text = ("✔ " if self.marks(row) else "  ") + text
        return self._full_width(text, style, width)

    def _full_width(self, text: str, style: Style, width: int) -> Strip:
        """A row padded to the table's width; its length is known (``row_cells``), so no
        second strip is made to pad it."""
        cells = self.row_cells
        if cells >= width:
            return Strip([Segment(text, style)], cells)
        return Strip([Segment(text, style), Segment(" " * (width - cells), self._styles["base"])], width)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style_cache = None
        self._cache.clear()

    def on_focus(self) -> None:
        self._style_cache = None
        self._cache.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._style_cache = None
        self._cache.clear()
        self.refresh()


class RecordListActions:
    """Edit and delete the record under a view's ``table`` cursor (members, visits)."""

    kind = ""
    table_id = ""

    @property
    def table(self) -> RecordTable:
        return self.query_one(f"#{self.table_id}", RecordTable)

    def action_edit(self) -> None:
        from tui.requests import EditRecord

        if self.table.current is not None:
            self.post_message(EditRecord(self.kind, self.table.current))

    def action_delete(self) -> None:
        from tui.requests import DeleteRecord

        if self.table.current is not None:
            self.post_message(DeleteRecord(self.kind, self.table.current))
