"""A report's tables to .docx (python-docx: headings and tables to paste into
the 工作总结) or .xlsx (one sheet per table, figures as numbers)."""

from __future__ import annotations

from pathlib import Path

from domain.errors import UserError
from domain.exporting.columns import display_width
from domain.exporting.files import write_whole
from domain.i18n import register, tr
from domain.reports.tables import Report, Table, cell_text

register({
    "annual.bad_format": ("工作总结数据只能保存为 .docx 或 .xlsx，不能是“{suffix}”",
                          "the figures are saved as .docx or .xlsx, not {suffix!r}"),
})

BODY_FONT = "宋体"


class AnnualFormatError(UserError, ValueError):
    pass


def _docx_font(document) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style = document.styles["Normal"]
    style.font.name = BODY_FONT
    style.font.size = Pt(11)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)


def _docx_table(document, table: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    grid = document.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.headers):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for r, row in enumerate(table.rows, start=1):
        cells = grid.add_row().cells
        for c, value in enumerate(row):
            cells[c].text = cell_text(table, c, value)
            if isinstance(value, int):
                cells[c].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if table.total_last and r == len(table.rows) and cells[c].paragraphs[0].runs:
                cells[c].paragraphs[0].runs[0].bold = True
    _docx_widths(grid, table.widths_cm)
    if table.note:
        document.add_paragraph(table.note)


def _docx_widths(grid, widths_cm) -> None:
    from docx.shared import Cm

    if not widths_cm:
        return
    grid.autofit = False
    for column, width in zip(grid.columns, widths_cm):
        column.width = Cm(width)  # the grid LibreOffice reads
    for row in grid.rows:  # the cells Word reads
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)


def write_docx(path: Path, report: Report) -> None:
    from docx import Document

    document = Document()
    _docx_font(document)
    document.add_heading(report.title, level=0)
    document.add_paragraph(report.subtitle)
    for section in report.sections:
        document.add_heading(section.title, level=1)
        for table in section.tables:
            document.add_heading(table.title, level=2)
            _docx_table(document, table)
    document.save(str(path))


def _sheet_name(section_no: int, title: str, used: set[str]) -> str:
    name = f"{section_no}-{title}"[:31]
    for bad in "[]:*?/\\":
        name = name.replace(bad, " ")
    while name in used:
        name = name[:29] + f"-{len(used)}"
    used.add(name)
    return name


def _xlsx_table(book, sheet, report: Report, table: Table, fmt: dict) -> None:
    sheet.write_string(0, 0, f"{report.title}：{table.title}", fmt["title"])
    sheet.write_row(1, 0, table.headers, fmt["header"])
    sheet.freeze_panes(2, 0)
    sheet.set_paper(9)  # A4, one page wide when printed
    sheet.fit_to_pages(1, 0)
    widths = [display_width(h) for h in table.headers]
    for r, row in enumerate(table.rows, start=2):
        for c, value in enumerate(row):
            if c in table.money and isinstance(value, int):
                sheet.write_number(r, c, value / 100, fmt["money"])
            elif isinstance(value, int):
                sheet.write_number(r, c, value, fmt["int"])
            else:
                sheet.write_string(r, c, cell_text(table, c, value))
            widths[c] = max(widths[c], display_width(cell_text(table, c, value)))
    if table.note:
        sheet.write_string(len(table.rows) + 3, 0, table.note)
    for c, width in enumerate(widths):
        sheet.set_column(c, c, min(width, 80) + 3)


def write_xlsx(path: Path, report: Report) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    fmt = {"title": book.add_format({"bold": True, "font_size": 13}),
           "header": book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1}),
           "money": book.add_format({"num_format": "#,##0.00"}), "int": book.add_format({"num_format": "0"})}
    used: set[str] = set()
    for s, section in enumerate(report.sections, start=1):
        for table in section.tables:
            sheet = book.add_worksheet(_sheet_name(s, table.title, used))
            _xlsx_table(book, sheet, report, table, fmt)
    book.close()


def write_annual(path: Path, report: Report) -> Path:
    """.docx or .xlsx by the file's suffix, written whole or not at all."""
    suffix = Path(path).suffix.lower()
    writers = {".docx": write_docx, ".xlsx": write_xlsx}
    if suffix not in writers:
        raise AnnualFormatError(tr("annual.bad_format", suffix=suffix or "-"))
    return write_whole(path, lambda p: writers[suffix](p, report))
