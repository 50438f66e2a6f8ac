"""The sign-off sheet as a PDF (fpdf2) with a CJK font embedded: A4
portrait, the header row repeated on every page, 第 X 页，共 Y 页 in the
footer, rows 11 mm tall and a 签名 column 32 mm wide to sign by hand."""

from __future__ import annotations

import logging
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from domain.money import format_yuan
from domain.reports.fonts import FontFile, find_cjk_font
from domain.reports.signoff import SignoffSheet

#: Column widths in mm (序号 … 签名 日期): 186 mm, A4's 210 less 12 mm margins.
WIDTHS = (10, 28, 24, 22, 26, 20, 32, 24)
ROW_MM = 11  # a row of one line: LINE_MM plus the padding above and below
LINE_MM = 6
PAD_MM = 2.5
MARGIN_MM = 12
FONT = "cjk"
FOOTER = "第 {page} 页，共 {{nb}} 页"
ALIGN = ("CENTER", "CENTER", "CENTER", "CENTER", "RIGHT", "CENTER", "CENTER", "CENTER")


class _Sheet(FPDF):
    def footer(self) -> None:
        self.set_y(-MARGIN_MM)
        self.set_font(FONT, size=9)
        self.cell(0, 6, FOOTER.format(page=self.page_no()), align="C")


def _document(font: FontFile) -> _Sheet:
    pdf = _Sheet(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(True, margin=MARGIN_MM + 6)
    pdf.add_font(FONT, "", str(font.path), collection_font_number=font.face)
    pdf.alias_nb_pages()
    pdf.add_page()
    return pdf


def write_signoff_pdf(path: Path, data: SignoffSheet, font: FontFile | None = None) -> None:
    pdf = _document(font or find_cjk_font())
    pdf.set_font(FONT, size=16)
    pdf.cell(0, 10, data.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=11)
    for line in data.lines:
        pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _table(pdf, data)
    _signatures(pdf, data)
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "BDF NOT subset": bitmaps dropped
    pdf.output(str(path))


def _table(pdf: FPDF, data: SignoffSheet) -> None:
    heading = FontFace(fill_color=(235, 235, 235))
    pdf.set_font(FONT, size=10)
    with pdf.table(col_widths=WIDTHS, width=sum(WIDTHS), line_height=LINE_MM, text_align=ALIGN,
                   padding=(PAD_MM, 1), headings_style=heading, repeat_headings=1) as table:
        head = table.row()
        for text in data.headers:
            head.cell(text)
        for cells in data.rows:
            row = table.row()
            for text in cells:
                row.cell(text)
        total = table.row()
        total.cell(data.total_label, colspan=4)
        total.cell(format_yuan(data.total_fen, grouping=True))
        total.cell("", colspan=3)
        table.row().cell(data.total_words, colspan=len(WIDTHS), align="LEFT")


def _signatures(pdf: FPDF, data: SignoffSheet) -> None:
    pdf.set_font(FONT, size=11)
    if pdf.will_page_break(3 * ROW_MM):
        pdf.add_page()
    pdf.ln(ROW_MM / 2)
    third = sum(WIDTHS) / 3
    for label in data.signatures:
        pdf.cell(third, ROW_MM, label)
    pdf.ln(ROW_MM)
    pdf.set_x(MARGIN_MM + 2 * third)
    pdf.cell(third, ROW_MM, data.date_line)
