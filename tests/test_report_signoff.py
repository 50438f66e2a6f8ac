"""The 慰问金发放签领表 read back: python-calamine for .xlsx, pypdf for the PDF."""

from __future__ import annotations

import re
import zipfile

import pytest
from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from domain.money import amount_in_words
from domain.reports import fonts
from domain.reports.signoff import SignoffError, signoff_for
from domain.reports.signoff_write import write_signoff
from tests.export_support import VISIT_TOTAL_FEN, fill

HEADERS = ["序号", "姓名", "工会小组", "慰问事由", "慰问金（元）", "慰问品", "签名", "日期"]
WORDS = amount_in_words(VISIT_TOTAL_FEN)  # 人民币贰仟零元伍分 style: checked on its own in test_money


@pytest.fixture
def sheet(ledger):
    fill(ledger)
    return signoff_for(ledger, {"from": "2025-01-01", "to": "2025-12-31"})


def test_content(sheet):
    assert sheet.title == "莲峰小学工会慰问金发放签领表"
    assert sheet.lines[-1] == "发放期间：2025-01-01 至 2025-12-31"
    assert list(sheet.headers) == HEADERS
    assert [r[1] for r in sheet.rows] == ["王芳", "王芳", "王芳", "李老师"]
    assert sheet.rows[0][2] == "语文组" and sheet.rows[1][4] == "1,200.50" and sheet.rows[0][5] == "水果一篮"
    assert sheet.total_fen == VISIT_TOTAL_FEN and WORDS in sheet.total_words and "共 4 人次" in sheet.total_words


def test_reason_and_fund_in_the_title_lines(ledger):
    fill(ledger)
    sheet = signoff_for(ledger, {"reason": "生病住院", "fund": "工会经费"})
    assert sheet.lines == ("慰问事由：生病住院", "经费来源：工会经费", "发放期间：2025-01-15 至 2025-03-15")
    assert sheet.total_fen == 50005 and "人民币伍佰元零伍分" in sheet.total_words


def test_nothing_selected_is_one_clear_message(ledger):
    fill(ledger)
    with pytest.raises(SignoffError, match="没有慰问记录.*--reason 退休"):
        signoff_for(ledger, {"reason": "退休"})


def test_xlsx_read_back_and_print_setup(sheet, tmp_path):
    path = write_signoff(tmp_path / "s.xlsx", sheet)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == sheet.title
    header_at = next(i for i, r in enumerate(rows) if r[0] == "序号")
    assert rows[header_at] == HEADERS
    body = rows[header_at + 1: header_at + 5]
    assert [r[4] for r in body] == [500.0, 1200.5, 0.05, 300.0]
    total = rows[header_at + 5]
    assert total[0] == "合计" and round(total[4] * 100) == VISIT_TOTAL_FEN
    assert WORDS in rows[header_at + 6][0]
    flat = [c for r in rows for c in r]
    assert {"经手人：", "证明人：", "工会主席："} <= set(flat)
    book = zipfile.ZipFile(path)
    sheet_xml = book.read("xl/worksheets/sheet1.xml").decode()
    assert 'paperSize="9"' in sheet_xml and 'fitToHeight="0"' in sheet_xml and 'fitToPage="1"' in sheet_xml
    assert "&amp;P" in sheet_xml and "&amp;N" in sheet_xml  # page X of Y
    repeated = f"签领表!${header_at + 1}:${header_at + 1}"
    assert repeated in book.read("xl/workbook.xml").decode()  # the header row on every page
    heights = [float(h) for h in re.findall(r'<row r="(?:[6-9])"[^>]*\sht="([0-9.]+)"', sheet_xml)]
    assert heights and min(heights) >= 30  # room to sign


def test_pdf_read_back(sheet, tmp_path):
    path = write_signoff(tmp_path / "s.pdf", sheet)
    reader = PdfReader(str(path))
    text = "".join(page.extract_text() for page in reader.pages)
    for expected in (sheet.title, *HEADERS, "王芳", "李老师", "1,200.50", "2,000.55", WORDS, "经手人", "工会主席"):
        assert expected in text, expected
    assert "第 1 页，共 1 页" in text
    fonts_used = {str(f.get("/BaseFont")) for page in reader.pages
                  for f in page["/Resources"]["/Font"].values()}
    assert fonts_used and all("/FontFile2" in str(font_descriptor(reader, name)) for name in fonts_used)


def font_descriptor(reader, base_name):
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            if str(font.get("/BaseFont")) == base_name:
                descendant = font["/DescendantFonts"][0].get_object()
                return descendant["/FontDescriptor"].get_object()
    return {}


def test_a_long_list_repeats_the_header_on_every_page(ledger, tmp_path):
    member = ledger.add("member", {"name": "张三", "union_group": "语文组"})
    for day in range(1, 29):
        ledger.add("visit", {"member_id": member["id"], "date": f"2025-02-{day:02d}", "reason": "送温暖",
                             "amount": "100"})
    path = write_signoff(tmp_path / "s.pdf", signoff_for(ledger, {}))
    pages = [p.extract_text() for p in PdfReader(str(path)).pages]
    assert len(pages) >= 2 and all("签名" in p and "慰问金（元）" in p for p in pages)
    assert f"共 {len(pages)} 页" in pages[-1] and "人民币贰仟捌佰元整" in pages[-1]


def test_no_cjk_font_names_the_package_and_the_xlsx_still_works(ledger_path, tmp_path, monkeypatch, capsys):
    from domain.store import Ledger
    from tui.cli.main import main

    with Ledger.open(ledger_path, school="莲峰小学") as led:
        fill(led)
    monkeypatch.setattr(fonts, "FONT_DIRS", ())
    monkeypatch.delenv("LEDGER_CJK_FONT", raising=False)
    out = tmp_path / "out"
    out.mkdir()
    code = main(["--db", str(ledger_path), "report", "signoff", "-o", str(out / "s.pdf")])
    err = capsys.readouterr().err
    assert code == 1 and "fonts-wqy-zenhei" in err and len(err.strip().splitlines()) == 1
    assert list(out.iterdir()) == []
    code = main(["--db", str(ledger_path), "report", "signoff", "--reason", "生病住院", "-o", str(out / "s.xlsx")])
    assert code == 0 and "2 人次" in capsys.readouterr().out and (out / "s.xlsx").exists()
