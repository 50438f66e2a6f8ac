"""The sign-off sheet as .xlsx, ready to print: A4 portrait, the header row
repeated on every page, fitted to the page width, 第 X 页，共 Y 页 in the
footer, rows tall enough and a 签名 column wide enough to sign by hand."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from domain.reports.signoff import SignoffSheet

#: Column widths (Excel units, about one Latin letter): 序号 … 签名 日期.
WIDTHS = (5, 16, 11, 11, 12, 12, 20, 11)
ROW_HEIGHT = 32  # points: about 11 mm, room for a handwritten name
A4 = 9
FOOTER = "&C第 &P 页，共 &N 页"


def _formats(book) -> dict:
    base = {"font_name": "宋体", "font_size": 11, "valign": "vcenter"}
    cell = {**base, "border": 1, "align": "center", "text_wrap": True}
    return {
        "title": book.add_format({**base, "font_size": 16, "bold": True, "align": "center"}),
        "line": book.add_format({**base, "align": "left"}),
        "header": book.add_format({**cell, "bold": True, "bg_color": "#F2F2F2"}),
        "cell": book.add_format(cell),
        "money": book.add_format({**cell, "align": "right", "num_format": "#,##0.00"}),
        "total": book.add_format({**cell, "bold": True}),
        "total_money": book.add_format({**cell, "bold": True, "align": "right", "num_format": "#,##0.00"}),
        "words": book.add_format({**cell, "bold": True, "align": "left"}),
        "sign": book.add_format({**base, "align": "left"}),
    }


def _page_setup(sheet, header_row: int) -> None:
    sheet.set_paper(A4)
    sheet.set_portrait()
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    sheet.center_horizontally()
    sheet.repeat_rows(header_row)
    sheet.fit_to_pages(1, 0)  # one page wide, as many tall as needed
    sheet.set_footer(FOOTER)
    for c, width in enumerate(WIDTHS):
        sheet.set_column(c, c, width)


def write_signoff_xlsx(path: Path, sheet_data: SignoffSheet) -> None:
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    fmt = _formats(book)
    sheet = book.add_worksheet("签领表")
    last_col = len(WIDTHS) - 1
    sheet.merge_range(0, 0, 0, last_col, sheet_data.title, fmt["title"])
    sheet.set_row(0, 30)
    row = 1
    for line in sheet_data.lines:
        sheet.merge_range(row, 0, row, last_col, line, fmt["line"])
        row += 1
    header_row = row
    _page_setup(sheet, header_row)
    sheet.write_row(header_row, 0, sheet_data.headers, fmt["header"])
    sheet.set_row(header_row, 24)
    for i, (cells, fen) in enumerate(zip(sheet_data.rows, sheet_data.amounts_fen), start=header_row + 1):
        sheet.set_row(i, ROW_HEIGHT)
        for c, text in enumerate(cells):
            if c == 4 and text:
                sheet.write_number(i, c, fen / 100, fmt["money"])
            else:
                sheet.write_string(i, c, text, fmt["cell"])
    row = header_row + len(sheet_data.rows) + 1
    _write_totals(sheet, row, sheet_data, fmt)
    _write_signatures(sheet, row + 3, sheet_data, fmt)
    book.close()


def _write_totals(sheet, row: int, data: SignoffSheet, fmt: dict) -> None:
    sheet.set_row(row, ROW_HEIGHT)
    sheet.merge_range(row, 0, row, 3, data.total_label, fmt["total"])
    sheet.write_number(row, 4, data.total_fen / 100, fmt["total_money"])
    sheet.merge_range(row, 5, row, 7, "", fmt["total"])
    sheet.set_row(row + 1, ROW_HEIGHT)
    sheet.merge_range(row + 1, 0, row + 1, 7, data.total_words, fmt["words"])


def _write_signatures(sheet, row: int, data: SignoffSheet, fmt: dict) -> None:
    handler, witness, chair = data.signatures
    sheet.set_row(row, ROW_HEIGHT)
    sheet.merge_range(row, 0, row, 2, handler, fmt["sign"])
    sheet.merge_range(row, 3, row, 4, witness, fmt["sign"])
    sheet.merge_range(row, 5, row, 7, chair, fmt["sign"])
    sheet.set_row(row + 1, ROW_HEIGHT)
    sheet.merge_range(row + 1, 5, row + 1, 7, data.date_line, fmt["sign"])
