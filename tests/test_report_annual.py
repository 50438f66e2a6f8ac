"""The year's 工作总结 figures, read back with python-docx and python-calamine."""

from __future__ import annotations

import datetime as dt

import pytest
from docx import Document
from python_calamine import CalamineWorkbook

from domain.reports.annual import annual_report
from domain.reports.annual_write import AnnualFormatError, write_annual
from domain.reports.settings import ReportSettings, report_settings
from tests.export_support import fill

END_OF_2025 = dt.date(2025, 12, 31)


@pytest.fixture
def report(ledger):
    fill(ledger)
    return annual_report(ledger, 2025, report_settings(ledger.config, ledger.school), today=END_OF_2025)


def _tables(report):
    return {t.title: t for s in report.sections for t in s.tables}


def test_members_and_hardship(report):
    t = _tables(report)
    assert dict(t["会员概况"].rows) == {"会员总数": 3, "当年入会": 1, "退休会员": 1, "当年退休": 0,
                                    "女会员": 2, "35 岁以下（青年教师）": 1}
    assert t["按会籍状态"].rows == (("在会", 2, "66.7%"), ("保留会籍", 1, "33.3%"))
    assert {r[0]: r[1] for r in t["按工会小组"].rows} == {"语文组": 1, "退休组": 1, "数学组": 1}
    hardship = {r[0]: r[1:] for r in t["困难职工"].rows}
    assert hardship["困难职工档案（年底未脱困）"][0] == 1 and hardship["当年新建档"][0] == 1
    assert hardship["当年受帮扶的困难职工"] == (1, 50000 + 120050 + 5)


def test_visits_by_reason_fund_and_month(report):
    t = _tables(report)
    assert t["按慰问类别"].rows == (("生病住院", 2, 50005), ("经济困难", 1, 120050), ("送温暖", 1, 30000),
                                  ("合计", 4, 200055))
    assert t["按经费来源"].rows == (("工会经费", 2, 50005), ("上级工会", 2, 150050), ("合计", 4, 200055))
    months = t["按月份"].rows
    assert len(months) == 13 and months[0] == ("1月", 1, 50000) and months[11] == ("12月", 0, 0)


def test_events_and_targets(report):
    t = _tables(report)
    # once 1 + yearly 1 + monthly 12 + every two weeks 24 + lunar 1 + semester 2; 日期待定 not counted
    assert t["按活动类别"].rows[-1] == ("合计", 6, 41, 2)
    assert "活动参与率 100.0%" in t["按活动类别"].note
    targets = {r[0]: r[1:] for r in t["四项指标"].rows}
    assert targets["建档率"][0] == "100.0%" and "有建档日期的困难职工 1 ÷ 当年困难职工 1" in targets["建档率"][1]
    assert targets["会费收缴率"] == ("0.0%", "会费缴至 2025 年度的会员 0 ÷ 在会且在职的会员 2")
    assert targets["帮困率"][0] == "100.0%" and "任何慰问类别" in targets["帮困率"][1]


def test_target_definitions_from_the_configuration(ledger):
    fill(ledger)
    ledger.add("member", {"name": "赵老师", "employment": "退休", "status": "在会"})
    base = report_settings(ledger.config, ledger.school)
    rows = lambda s: {r[0]: r[1:] for r in _tables(annual_report(ledger, 2025, s, today=END_OF_2025))["四项指标"].rows}  # noqa: E731
    assert rows(base)["活动参与率"][0] == "66.7%"
    narrowed = ReportSettings(base.union_name, help_reasons=("送温暖",), activity_retirees=False)
    changed = rows(narrowed)
    assert changed["活动参与率"] == ("100.0%", "当年参加过活动的会员 2 ÷ 在会会员（不含退休）2")
    assert changed["帮困率"][0] == "0.0%" and "（送温暖）" in changed["帮困率"][1]


def test_docx_read_back(report, tmp_path):
    path = write_annual(tmp_path / "a.docx", report)
    doc = Document(str(path))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading") or p.style.name == "Title"]
    assert headings[0] == "莲峰小学工会2025年工作总结数据"
    assert {"一、会员情况", "二、困难职工帮扶", "三、慰问情况", "四、活动情况", "五、目标完成情况"} <= set(headings)
    cells = {tuple(c.text for c in row.cells) for table in doc.tables for row in table.rows}
    assert ("生病住院", "2", "500.05") in cells and ("合计", "4", "2,000.55") in cells
    assert any(row[0] == "会费收缴率" and row[1] == "0.0%" for row in cells)


def test_xlsx_one_sheet_per_table(report, tmp_path):
    path = write_annual(tmp_path / "a.xlsx", report)
    book = CalamineWorkbook.from_path(str(path))
    assert len(book.sheet_names) == sum(len(s.tables) for s in report.sections)
    by_reason = book.get_sheet_by_name(next(n for n in book.sheet_names if "按慰问类别" in n)).to_python()
    assert by_reason[1] == ["项目", "人次", "金额（元）"]
    assert by_reason[2] == ["生病住院", 2.0, 500.05] and by_reason[5] == ["合计", 4.0, 2000.55]


def test_other_suffix_refused(report, tmp_path):
    with pytest.raises(AnnualFormatError, match=r"\.docx 或 \.xlsx"):
        write_annual(tmp_path / "a.pdf", report)
    assert not list(tmp_path.glob("a.*")) and not list(tmp_path.glob(".a.*"))


def test_command_line(ledger_path, tmp_path, capsys):
    from domain.store import Ledger
    from tui.cli.main import main

    with Ledger.open(ledger_path, school="莲峰小学") as led:
        fill(led)
    out = tmp_path / "a.docx"
    assert main(["--db", str(ledger_path), "report", "annual", "--year", "2025", "-o", str(out)]) == 0
    assert "2025 年工作总结数据" in capsys.readouterr().out and Document(str(out)).tables
    assert main(["--db", str(ledger_path), "report", "annual", "--year", "2025", "--reason", "退休"]) == 1
    assert "--reason" in capsys.readouterr().err
    assert main(["--db", str(ledger_path), "report", "annual"]) == 1
    assert "--year" in capsys.readouterr().err


def test_a_cancelled_occurrence_is_not_held_and_attendance_is_per_occurrence(ledger):
    from domain.occurrences import attend, change_occurrence

    data = fill(ledger)
    change_occurrence(ledger, data["training"]["id"], dt.date(2025, 5, 31), cancelled=True)
    attend(ledger, data["study"]["id"], dt.date(2025, 2, 19), [data["old"]["id"]])
    settings = report_settings(ledger.config, ledger.school)
    events = _tables(annual_report(ledger, 2025, settings, today=END_OF_2025))["按活动类别"]
    assert events.rows[-1] == ("合计", 6, 40, 3)
    later = _tables(annual_report(ledger, 2025, settings, today=dt.date(2025, 2, 1)))["按活动类别"]
    assert later.rows[-1][2] == 2  # held by 1 February: the congress and January's training
