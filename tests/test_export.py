"""Exports read back by independent readers: python-calamine (.xlsx), csv, icalendar."""

from __future__ import annotations

import csv
import datetime as dt
import os
import stat
import zipfile

import pytest
from icalendar import Calendar
from python_calamine import CalamineWorkbook

from domain.exporting import ExportError, ExportOptions, export_records
from domain.exporting.filters import FilterError, make_selection, select
from domain.lunar import solar_to_lunar
from tests.export_support import ID_X, VISIT_TOTAL_FEN, fill


@pytest.fixture
def data(ledger):
    return fill(ledger)


def _export(ledger, kind, path, fmt="xlsx", sensitive=False, **options):
    sel = make_selection(kind, options, ledger.config, ("语文组", "数学组", "退休组"))
    rows = select(ledger, kind, sel)
    return export_records(ledger, kind, rows, path, ExportOptions(fmt, sensitive, from_year=2025))


def _sheet(path):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def test_xlsx_visits_headers_types_and_total(ledger, data, tmp_path):
    path = tmp_path / "v.xlsx"
    result = _export(ledger, "visit", path, year="2025")
    rows = _sheet(path)
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert result.rows == 4 == len(body)
    assert header[:3] == ["会员姓名", "日期", "慰问类别"] and header[-2:] == ["会员编号", "编号"]
    col = header.index("慰问金（元）")
    assert [r[col] for r in body] == [500.0, 1200.5, 0.05, 300.0]
    assert all(isinstance(r[header.index("日期")], dt.date) for r in body)
    assert body[0][header.index("日期")] == dt.date(2025, 1, 15)
    assert total[0] == "合计" and round(total[col] * 100) == VISIT_TOTAL_FEN
    sheet_xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert 'ySplit="1"' in sheet_xml and "<autoFilter" in sheet_xml
    letter = "ABCDEFGHIJ"[col]
    assert f"SUM({letter}2:{letter}{len(body) + 1})" in sheet_xml


def test_xlsx_members_keep_idcards_and_phones_as_text(ledger, data, tmp_path):
    path = tmp_path / "m.xlsx"
    result = _export(ledger, "member", path, sensitive=True)
    rows = _sheet(path)
    header = rows[0]
    ids = [r[header.index("身份证号")] for r in rows[1:]]
    phones = [r[header.index("手机")] for r in rows[1:]]
    assert ID_X in ids and data["wang"]["id_number"] in ids
    assert all(isinstance(v, str) for v in ids + phones) and "13800138000" in phones
    assert "家庭月收入（元）" in header and 3200.5 in [r[header.index("家庭月收入（元）")] for r in rows[1:]]
    assert rows[-1][0] != "合计"  # nothing adds up in a roster
    assert result.private and stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_sensitive_fields_only_when_asked(ledger, data, tmp_path):
    path = tmp_path / "m.xlsx"
    result = _export(ledger, "member", path)
    header = _sheet(path)[0]
    assert not {"身份证号", "健康状况", "病情说明", "家庭人口", "家庭月收入（元）"} & set(header)
    assert "姓名" in header and not result.private
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600  # names and phones are personal data too


def test_xlsx_column_widths_count_cjk_twice(ledger, data, tmp_path):
    path = tmp_path / "m.xlsx"
    _export(ledger, "member", path)
    sheet_xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    # 姓名 column: the widest cell is =HYPERLINK("x") (15), then 李老师 (6); plus 3 of padding
    assert '<col min="1" max="1" width="18.' in sheet_xml


def test_csv_has_bom_and_defuses_formulas(ledger, data, tmp_path):
    path = tmp_path / "m.csv"
    _export(ledger, "member", path, fmt="csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    header = rows[0]
    names = [r[header.index("姓名")] for r in rows[1:]]
    notes = [r[header.index("备注")] for r in rows[1:]]
    assert "'=HYPERLINK(\"x\")" in names and "'-5 不是数" in notes
    assert "王芳" in names


def test_csv_visits_money_and_dates_as_text_excel_reads(ledger, data, tmp_path):
    path = tmp_path / "v.csv"
    _export(ledger, "visit", path, fmt="csv", reason="生病住院")
    rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert [r["慰问金（元）"] for r in rows] == ["500.00", "0.05"]
    assert [r["日期"] for r in rows] == ["2025-01-15", "2025-03-15"]


def _ics(path):
    return Calendar.from_ical(path.read_bytes())


def test_ics_rrules_for_solar_recurrences(ledger, data, tmp_path):
    path = tmp_path / "e.ics"
    result = _export(ledger, "event", path, fmt="ics")
    by_uid = {str(e["UID"]): e for e in _ics(path).walk("VEVENT")}
    rule = lambda key: by_uid[f"{data[key]['id']}@union-ledger"].get("RRULE")  # noqa: E731
    assert rule("congress") is None
    assert rule("march8")["FREQ"] == ["YEARLY"]
    assert rule("training")["FREQ"] == ["MONTHLY"] and rule("training")["BYSETPOS"] == [-1]
    assert rule("study")["FREQ"] == ["WEEKLY"] and rule("study")["INTERVAL"] == [2]
    first = by_uid[f"{data['march8']['id']}@union-ledger"]
    assert first.decoded("DTSTART") == dt.date(2025, 3, 8) and str(first["SUMMARY"]) == "三八节活动"
    assert result.left_out == 1  # 春季趣味运动会: day not yet known
    assert not any("运动会" in str(e["SUMMARY"]) for e in by_uid.values())


def test_ics_expands_lunar_events_ten_years_with_stable_uids(ledger, data, tmp_path):
    path = tmp_path / "e.ics"
    _export(ledger, "event", path, fmt="ics")
    rid = data["chongyang"]["id"]
    days = sorted(e.decoded("DTSTART") for e in _ics(path).walk("VEVENT") if str(e["UID"]).startswith(rid))
    assert [d.year for d in days] == list(range(2025, 2035))
    assert all((solar_to_lunar(d).month, solar_to_lunar(d).day) == (9, 9) for d in days)
    again = tmp_path / "again.ics"
    _export(ledger, "event", again, fmt="ics")
    uids = lambda p: sorted(str(e["UID"]) for e in _ics(p).walk("VEVENT"))  # noqa: E731
    assert uids(path) == uids(again)
    semesters = [e for e in _ics(path).walk("VEVENT") if str(e["UID"]).startswith(data["semester"]["id"])]
    assert len(semesters) == 20 and all(not e.get("RRULE") for e in semesters)


def test_filters(ledger, data, tmp_path):
    sel = lambda kind, **o: make_selection(kind, o, ledger.config, ("语文组", "数学组", "退休组"))  # noqa: E731
    assert len(select(ledger, "visit", sel("visit", fund="上级工会"))) == 2
    assert len(select(ledger, "visit", sel("visit", **{"from": "2025-02-01", "to": "2025/3/31"}))) == 2
    assert [v["member_name"] for v in select(ledger, "visit", sel("visit", group="退休组"))] == ["李老师"]
    assert [m["name"] for m in select(ledger, "member", sel("member", status="保留会籍"))] == ["李老师"]
    titles = {e["title"] for e in select(ledger, "event", sel("event", year="2026"))}
    assert "教职工代表大会" not in titles and "重阳节慰问退休教师" in titles


@pytest.mark.parametrize("kind, options, words", [
    ("member", {"reason": "生病住院"}, "--reason"),
    ("visit", {"reason": "看电影"}, "生病住院"),
    ("visit", {"year": "25"}, "--year"),
    ("visit", {"from": "2025-03-01", "to": "2025-01-01"}, "--from"),
    ("visit", {"group": "体育组"}, "语文组"),
])
def test_bad_filters_name_the_option_and_what_is_accepted(ledger, kind, options, words):
    with pytest.raises(FilterError, match=words):
        make_selection(kind, options, ledger.config, ("语文组",))


def test_ics_only_for_events(ledger, data, tmp_path):
    with pytest.raises(ExportError, match="活动"):
        _export(ledger, "visit", tmp_path / "v.ics", fmt="ics")


def test_an_export_failing_half_way_leaves_the_old_file_and_no_part(ledger, data, tmp_path, monkeypatch):
    import errno

    from domain.exporting import csv_out

    out = tmp_path / "out"
    out.mkdir()
    path = out / "m.csv"
    path.write_text("old")
    real_rows = csv_out.csv_rows

    def disk_full_after_two_rows(columns, rows):
        for i, row in enumerate(real_rows(columns, rows)):
            if i == 2:
                raise OSError(errno.ENOSPC, "No space left on device", str(path))
            yield row

    monkeypatch.setattr(csv_out, "csv_rows", disk_full_after_two_rows)
    with pytest.raises(OSError):
        _export(ledger, "member", path, fmt="csv")
    assert path.read_text() == "old" and os.listdir(out) == ["m.csv"]


def test_command_line_export(ledger_path, tmp_path, capsys):
    from domain.store import Ledger
    from tui.cli.main import main

    with Ledger.open(ledger_path, school="莲峰小学") as led:
        fill(led)
    out = tmp_path / "sick.xlsx"
    code = main(["--db", str(ledger_path), "export", "visit", "--reason", "生病住院", "-o", str(out)])
    assert code == 0 and "已导出慰问 2 条" in capsys.readouterr().out
    assert len(_sheet(out)) == 4  # header, two visits, 合计
    code = main(["--db", str(ledger_path), "export", "member", "--fund", "工会经费"])
    assert code == 1 and "--fund" in capsys.readouterr().err


def test_xlsx_text_survives_xml_escaping(ledger, tmp_path):
    tricky = ["A&B <c> \"d\"", "_x0041_ 不是 A", "1e5", "00123", "2025-03-08"]
    stored = [ledger.add("member", {"name": name})["name"] for name in tricky]
    path = tmp_path / "m.xlsx"
    _export(ledger, "member", path)
    rows = _sheet(path)
    names = [r[rows[0].index("姓名")] for r in rows[1:]]
    assert sorted(names) == sorted(stored) == sorted(tricky)  # text stays text: no number, no date


def test_ics_weekly_series_end_times_cancellations_and_moves(ledger, tmp_path):
    from domain.occurrences import change_occurrence

    weekly = ledger.add("event", {"title": "教工羽毛球", "date": "2025-03-04", "recurrence": "每周",
                                  "start_time": "16:30", "end_time": "18:00", "until": "2025-06-30"})
    counted = ledger.add("event", {"title": "新教师培训", "date": "2025-09-01", "recurrence": "每两周", "count": "4"})
    lunar = ledger.add("event", {"title": "中秋联欢", "date": "2025-10-06", "recurrence": "每年农历"})
    change_occurrence(ledger, weekly["id"], dt.date(2025, 3, 11), cancelled=True)
    change_occurrence(ledger, weekly["id"], dt.date(2025, 3, 18), moved_to=dt.date(2025, 3, 20))
    change_occurrence(ledger, lunar["id"], dt.date(2026, 9, 25), cancelled=True)
    path = tmp_path / "e.ics"
    _export(ledger, "event", path, fmt="ics")
    events = list(_ics(path).walk("VEVENT"))
    series = [e for e in events if str(e["UID"]) == f"{weekly['id']}@union-ledger"]
    main = next(e for e in series if "RRULE" in e)
    assert main["RRULE"]["FREQ"] == ["WEEKLY"] and main["RRULE"]["UNTIL"] == [dt.date(2025, 6, 30)]
    assert main.decoded("DTSTART") == dt.datetime(2025, 3, 4, 16, 30)
    assert main.decoded("DTEND") == dt.datetime(2025, 3, 4, 18, 0)
    assert [d.dt for d in main["EXDATE"].dts] == [dt.datetime(2025, 3, 11, 16, 30)]
    moved = next(e for e in series if "RECURRENCE-ID" in e)
    assert moved.decoded("RECURRENCE-ID") == dt.datetime(2025, 3, 18, 16, 30)
    assert moved.decoded("DTSTART") == dt.datetime(2025, 3, 20, 16, 30)
    biweekly = next(e for e in events if str(e["UID"]) == f"{counted['id']}@union-ledger")
    assert biweekly["RRULE"]["COUNT"] == [4] and biweekly["RRULE"]["INTERVAL"] == [2]
    years = sorted(e.decoded("DTSTART").year for e in events if str(e["UID"]).startswith(lunar["id"]))
    assert years == [2025, *range(2027, 2035)]  # 2026's was called off


def test_ics_a_cancelled_one_off_is_left_out(ledger, tmp_path):
    from domain.occurrences import change_occurrence

    once = ledger.add("event", {"title": "考察", "date": "2025-07-10"})
    change_occurrence(ledger, once["id"], dt.date(2025, 7, 10), cancelled=True)
    result = _export(ledger, "event", tmp_path / "e.ics", fmt="ics")
    assert result.rows == 0 and not list(_ics(tmp_path / "e.ics").walk("VEVENT"))


def test_records_older_than_a_field_export_it_empty(ledger, data, tmp_path):
    old = [{k: v for k, v in m.items() if k not in ("notes", "card_number")} for m in ledger.records("member")]
    path = tmp_path / "old.csv"
    export_records(ledger, "member", old, path, ExportOptions("csv"))
    rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 3 and {r["备注"] for r in rows} == {""} and {r["姓名"] for r in rows} >= {"王芳"}


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from domain.exporting.columns import TEXT, Column  # noqa: E402
from domain.exporting.csv_out import FORMULA_STARTS, csv_rows  # noqa: E402
from domain.exporting.xlsx_body import row_xml  # noqa: E402


@settings(max_examples=200)
@given(st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=5))
def test_csv_escaping_is_exactly_the_owasp_rule(texts):
    column = Column("notes", "备注", TEXT, lambda records: [])
    out = [row[0] for row in list(csv_rows([column], [texts]))[1:]]
    assert out == [("'" + t) if t[0] in FORMULA_STARTS else t for t in texts]


@settings(max_examples=200)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12),
                min_size=1, max_size=4))
def test_xlsx_row_xml_is_well_formed_and_keeps_the_text(texts):
    import xml.etree.ElementTree as ET

    templates = [(f'<c r="{chr(65 + i)}', '" s="1"', TEXT) for i in range(len(texts))]
    row = ET.fromstring(row_xml(7, texts, templates))
    cells = row.findall("c")
    assert [c.get("r") for c in cells] == [f"{chr(65 + i)}7" for i in range(len(texts))]
    for cell, text in zip(cells, texts):
        shown = cell.find("is/t").text or ""
        # Excel's reading of the stored form: _xHHHH_ back to its character, _x005F_ to "_"
        import re
        decoded = re.sub(r"_x([0-9A-F]{4})_", lambda m: chr(int(m.group(1), 16)), shown)
        assert decoded == text


def test_command_line_names_a_missing_ledger_and_a_missing_folder(ledger_path, tmp_path, capsys):
    from domain.store import Ledger
    from tui.cli.main import main

    assert main(["--db", str(tmp_path / "typo.json"), "export", "member", "-o", str(tmp_path / "m.xlsx")]) == 1
    assert "typo.json 不存在" in capsys.readouterr().err and not (tmp_path / "m.xlsx").exists()
    with Ledger.open(ledger_path, school="莲峰小学") as led:
        fill(led)
    assert main(["--db", str(ledger_path), "export", "member", "-o", str(tmp_path / "no" / "m.xlsx")]) == 1
    err = capsys.readouterr().err
    assert "文件夹" in err and "不存在" in err and ".part" not in err
