"""An export as an .xlsx sheet (XlsxWriter).

Chinese headers, the header row frozen and filtered, widths from display
width (Excel cannot fit columns itself from a file), dates as real dates,
money as numbers in 元 with two decimals, 身份证号 and phone numbers as
text, and a 合计 row for the columns that add up (a SUM formula whose
value is stored, computed from integer fen).
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from domain.exporting.columns import DATE, MONEY, NUMBER, TEXT, Column, column_widths, totals
from domain.exporting.xlsx_body import BulkWorksheet
from domain.i18n import tr

DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00"
#: Excel's width unit is about one Latin character; pad a little for the filter arrow.
WIDTH_PAD = 3


def workbook(path: Path) -> xlsxwriter.Workbook:
    """A workbook that keeps text as given (no numbers, formulas or links made of it)."""
    return xlsxwriter.Workbook(str(path), {"strings_to_numbers": False,
                                           "strings_to_formulas": False, "strings_to_urls": False})


def formats(book: xlsxwriter.Workbook) -> dict[str, object]:
    font = {"font_name": "等线", "font_size": 11}
    return {
        "header": book.add_format({**font, "bold": True, "bg_color": "#DDEBF7", "border": 1,
                                   "text_wrap": True, "valign": "vcenter"}),
        DATE: book.add_format({**font, "num_format": DATE_FORMAT}),
        MONEY: book.add_format({**font, "num_format": MONEY_FORMAT}),
        NUMBER: book.add_format({**font, "num_format": "0"}),
        TEXT: book.add_format({**font, "num_format": "@"}),
        "total": book.add_format({**font, "bold": True, "top": 1}),
        "total_money": book.add_format({**font, "bold": True, "top": 1, "num_format": MONEY_FORMAT}),
    }


def write_table(sheet, columns: list[Column], cells: list[list], fmt: dict, first_row: int = 0) -> int:
    """Header, rows and a 合计 row (if a column adds up); returns the next free row.

    ``cells``: one list per column.  ``sheet`` is a ``BulkWorksheet``: it writes the rows itself."""
    rows = list(zip(*cells))
    for c, col in enumerate(columns):
        sheet.write_string(first_row, c, col.header, fmt["header"])
    for c, (col, width) in enumerate(zip(columns, column_widths(columns, cells))):
        sheet.set_column(c, c, width + WIDTH_PAD, fmt["text"] if col.kind == "text" else None)
    kinds = [c.kind for c in columns]
    sheet.set_bulk(first_row + 1, rows, kinds, [fmt[k] for k in kinds])
    last = first_row + len(rows)
    sums = totals(columns, cells)
    if rows:
        sheet.autofilter(first_row, 0, last, len(columns) - 1)
    if any(s is not None for s in sums):
        last += 1
        sheet.write_string(last, 0, tr("export.total"), fmt["total"])
        for c, fen in enumerate(sums):
            if fen is not None:
                span = f"{xl_rowcol_to_cell(first_row + 1, c)}:{xl_rowcol_to_cell(last - 1, c)}"
                sheet.write_formula(last, c, f"=SUM({span})", fmt["total_money"], fen / 100)
    return last + 1


def write_xlsx(path: Path, sheet_name: str, columns: list[Column], cells: list[list]) -> None:
    book = workbook(path)
    fmt = formats(book)
    sheet = book.add_worksheet(sheet_name[:31], worksheet_class=BulkWorksheet)
    sheet.freeze_panes(1, 0)
    sheet.set_paper(9)  # printed: A4 landscape, the header on every page, page X/Y
    sheet.set_landscape()
    sheet.repeat_rows(0)
    sheet.set_footer("&C&P / &N")
    write_table(sheet, columns, cells, fmt)
    book.close()
