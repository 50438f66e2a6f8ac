"""Roster import: real files (xlsx with a title row, .xls, GBK and BOM CSVs), header
detection, mapping, cell values, destroyed 身份证号, duplicates, and commits."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import UserError
from domain.idcard import make_idcard
from domain.importing import ImportOptions, commit_import, plan_import, write_errors
from domain.importing.headers import field_score, normalise_label
from domain.store import Ledger
from tests.import_helpers import HEADER, ledger_bytes, person, roster_csv, roster_rows, roster_xlsx, serial

FIXTURES = Path(__file__).parent / "fixtures" / "import"
DESTROYED = "请按身份证重新录入"


@pytest.fixture
def ledger(tmp_path):
    with Ledger.open(tmp_path / "ledger.json", school="莲峰小学") as opened:
        yield opened


def by_row(plan) -> dict[int, object]:
    return {r.row: r for r in plan.rows}


def test_xlsx_title_rows_merged_cells_serial_dates_and_ids_as_numbers(tmp_path, ledger):
    people = [person(i) for i in range(1, 5)]
    path = roster_xlsx(tmp_path / "名册.xlsx", roster_rows(people), numbers_as_ids=(1,))
    plan = plan_import("member", ledger, path)
    assert (plan.table.sheet, plan.header_row) == ("教职工名单", 3)
    mapping = {c.header: c.field for c in plan.columns}
    assert mapping == {"序号": None, "姓名": "name", "性别": "gender", "身份证号": "id_number",
                       "出生日期": "birth_date", "手机号码": "phone", "教研组": "union_group",
                       "政治面貌": "political_status", "入会时间": "joined_date"}
    rows = by_row(plan)
    assert sorted(rows) == [4, 5, 6, 7]  # the spreadsheet's own row numbers
    first = rows[4]
    assert first.status == "new"
    assert first.record["birth_date"] == people[0]["birth"].isoformat()  # from the serial number
    assert first.record["phone"] == people[0]["phone"]                 # a number in the cell
    assert first.record["joined_date"] == "2005-09-01"                 # 入会时间 2005.9: a month only
    assert rows[5].status == "error"
    assert rows[5].errors[0]["field"] == "id_number" and DESTROYED in rows[5].errors[0]["why"]
    assert plan.counts() == {"new": 3, "update": 0, "duplicate": 0, "skip": 0, "error": 1}


def test_xls_made_by_libreoffice(ledger):
    """tests/fixtures/import/roster.xls: made from an .xlsx by LibreOffice (CI has none)."""
    plan = plan_import("member", ledger, FIXTURES / "roster.xls")
    assert plan.header_row == 3
    rows = by_row(plan)
    assert [rows[r].status for r in sorted(rows)] == ["new", "error", "new"]
    assert rows[4].record["name"] == "教师0001"
    assert rows[4].record["birth_date"] == person(1)["birth"].isoformat()
    assert DESTROYED in rows[5].errors[0]["why"]


@pytest.mark.parametrize("encoding, reported", [("gbk", "gb18030"), ("gb18030", "gb18030"),
                                                ("utf-8-sig", "utf-8-sig"), ("utf-8", "utf-8")])
def test_csv_encodings(tmp_path, ledger, encoding, reported):
    people = [person(i) for i in range(1, 3)]
    rows = [[1, p["name"], p["sex"], p["id"], p["birth"].isoformat(), p["phone"], "数学组", "群众", ""]
            for p in people]
    path = roster_csv(tmp_path / "名册.csv", rows, encoding=encoding)
    plan = plan_import("member", ledger, path)
    assert plan.table.encoding == reported
    assert plan.header_row == 1
    assert [r.record["name"] for r in plan.rows] == ["教师0001", "教师0002"]
    assert plan.rows[0].record["union_group"] == "数学组"


def test_tab_separated_text_and_encoding_override(tmp_path, ledger):
    p = person(7)
    path = roster_csv(tmp_path / "名册.txt", [[1, p["name"], "", p["id"], "", p["phone"], "", "", ""]],
                      encoding="gbk", delimiter="\t")
    plan = plan_import("member", ledger, path, ImportOptions(encoding="gbk"))
    assert plan.table.encoding == "gbk"
    assert plan.rows[0].record["gender"] == "女"  # from the 身份证号
    assert plan.rows[0].record["birth_date"] == p["birth"].isoformat()
    with pytest.raises(UserError, match="utf-8"):
        plan_import("member", ledger, path, ImportOptions(encoding="utf-8"))


def test_undecodable_text_is_one_clear_message(tmp_path, ledger):
    path = tmp_path / "bad.csv"
    path.write_bytes("姓名,手机\n".encode() + b"\xff\xff,1\n")
    with pytest.raises(UserError, match="GB18030"):
        plan_import("member", ledger, path)


def test_traditional_full_width_and_required_marks_in_headers(tmp_path, ledger):
    p = person(3)
    header = ["姓　名（必填）", "性別", "身份證號碼", "手機號碼*", "工會小組", "出生年月"]
    path = roster_xlsx(tmp_path / "繁體.xlsx", [[p["name"], "女", p["id"], p["phone"], "英語組", "1973.4"]],
                       header=header)
    plan = plan_import("member", ledger, path)
    assert [c.field for c in plan.columns] == ["name", "gender", "id_number", "phone", "union_group",
                                               "birth_date"]
    assert plan.rows[0].record["birth_date"] == p["birth"].isoformat()  # the day from the 身份证号


def test_normalised_and_fuzzy_labels():
    assert normalise_label(" 手机号码（必填）*：") == "手机号码"
    assert normalise_label("ＩＤ") == "id"
    assert field_score("member", "联系手机")[0] == "phone"
    assert field_score("member", "职工姓名") == ("name", 1.0)
    assert field_score("member", "爱好")[0] is None


def test_one_column_per_field(tmp_path, ledger):
    path = roster_csv(tmp_path / "r.csv", [["张三", "13800138000", "13900139000"]],
                      header=["姓名", "手机", "联系电话"])
    plan = plan_import("member", ledger, path)
    assert [(c.field, c.how) for c in plan.columns] == [("name", "exact"), ("phone", "exact"), (None, "taken")]


def test_header_row_option_and_no_header(tmp_path, ledger):
    path = roster_csv(tmp_path / "r.csv", [["a", "b"], ["张三", "13800138000"]], header=["x", "y"])
    with pytest.raises(UserError, match="--header-row"):
        plan_import("member", ledger, path)
    plan = plan_import("member", ledger, path, ImportOptions(header_row=2, maps=["a=name", "B=phone"]))
    assert plan.header_row == 2
    assert [(r.row, r.status, r.record["phone"]) for r in plan.rows] == [(3, "new", "13800138000")]
    with pytest.raises(UserError, match="--header-row 9"):
        plan_import("member", ledger, path, ImportOptions(header_row=9))


def test_map_corrects_and_is_remembered_only_by_a_commit(tmp_path, ledger):
    path = roster_csv(tmp_path / "r.csv", [["张三", "13800138000", "x"]], header=["名", "联络", "工号"])
    options = ImportOptions(header_row=1, maps=["名=name", "联络=phone", "工号="])
    plan = plan_import("member", ledger, path, options)
    assert [(c.field, c.how) for c in plan.columns] == [("name", "--map"), ("phone", "--map"), (None, "ignored")]
    again = plan_import("member", ledger, path, ImportOptions(header_row=1))
    assert [c.field for c in again.columns] == [None, None, None]  # a dry run remembers nothing
    commit_import(ledger, plan, backup=False)
    later = plan_import("member", ledger, path, ImportOptions(header_row=1))
    assert [(c.field, c.how) for c in later.columns] == [("name", "remembered"), ("phone", "remembered"),
                                                         (None, "ignored")]


def test_bad_map_names_the_fields(tmp_path, ledger):
    path = roster_csv(tmp_path / "r.csv", [["张三"]], header=["姓名", "手机"])
    with pytest.raises(UserError, match="phone"):
        plan_import("member", ledger, path, ImportOptions(maps=["手机=mobile"]))


@pytest.mark.parametrize("cell", ["1.10105E+17", "110105198003081000", "1.101051980030812e+17"])
def test_destroyed_id_numbers_are_errors_never_repaired(tmp_path, ledger, cell):
    path = roster_csv(tmp_path / "r.csv", [["张三", cell]], header=["姓名", "身份证号"])
    plan = plan_import("member", ledger, path)
    assert plan.rows[0].status == "error"
    assert plan.rows[0].errors == [{"field": "id_number", "value": cell, "why": plan.rows[0].errors[0]["why"]}]
    assert DESTROYED in plan.rows[0].errors[0]["why"]


def test_other_bad_cells_all_reported_with_field_value_and_why(tmp_path, ledger):
    path = roster_csv(tmp_path / "r.csv", [["张三", "1380013800", "1980-02-30", "男", "蓝色"]],
                      header=["姓名", "手机", "出生日期", "性别", "政治面貌"])
    errors = plan_import("member", ledger, path).rows[0].errors
    assert [e["field"] for e in errors] == ["phone", "birth_date", "political_status"]
    assert errors[0]["value"] == "1380013800" and "11 位" in errors[0]["why"]


def test_full_width_digits_and_month_only_birth(tmp_path, ledger):
    path = roster_csv(tmp_path / "r.csv", [["张三", "１３８００１３８０００", "1980年3月"],
                                           ["李四", "13900139000", "198111"]],
                      header=["姓名", "手机", "出生年月"])
    rows = plan_import("member", ledger, path).rows
    assert rows[0].record["phone"] == "13800138000"
    assert [r.record["birth_date"] for r in rows] == ["1980-03-01", "1981-11-01"]
    assert "月份" in rows[0].warnings[0]


def test_month_only_birth_that_disagrees_with_the_id_number(tmp_path, ledger):
    idn = make_idcard("110105", dt.date(1980, 3, 8), 3, "男")
    path = roster_csv(tmp_path / "r.csv", [["张三", idn, "1980.4"]], header=["姓名", "身份证号", "出生年月"])
    row = plan_import("member", ledger, path).rows[0]
    assert row.status == "error" and row.errors[0]["field"] == "birth_date"


def _seed(ledger, **values):
    return ledger.add("member", values)


def test_same_id_number_skip_fill_update_and_blank_never_overwrites(tmp_path, ledger):
    idn = make_idcard("110105", dt.date(1980, 3, 8), 3, "男")
    old = _seed(ledger, name="张三", id_number=idn, phone="13800138000", union_group="语文组")
    path = roster_csv(tmp_path / "r.csv", [["张三", idn, "", "数学组", "中共党员"]],
                      header=["姓名", "身份证号", "手机", "工会小组", "政治面貌"])
    skip = plan_import("member", ledger, path).rows[0]
    assert (skip.status, skip.member_id) == ("skip", old["id"])
    fill = plan_import("member", ledger, path, ImportOptions(on_duplicate="fill")).rows[0]
    assert (fill.status, fill.fields, fill.record) == ("update", ["political_status"],
                                                       {"political_status": "中共党员"})
    update = plan_import("member", ledger, path, ImportOptions(on_duplicate="update"))
    assert update.rows[0].fields == ["political_status", "union_group"]
    commit_import(ledger, update, backup=False)
    after = ledger.get("member", old["id"])
    assert (after["union_group"], after["political_status"], after["phone"]) == ("数学组", "中共党员", "13800138000")
    assert ledger.count("member") == 1


def test_same_phone_is_a_candidate_and_same_name_only_a_warning(tmp_path, ledger):
    old = _seed(ledger, name="王芳", phone="13800138000")
    path = roster_csv(tmp_path / "r.csv", [["王芳", "13800138000"], ["王芳", "13900139000"],
                                           ["刘洋", "13700137000"], ["刘洋", "13700137000"], ["刘洋", "13600136000"]],
                      header=["姓名", "手机"])
    rows = plan_import("member", ledger, path).rows
    assert [(r.status, r.member_id) for r in rows] == [("duplicate", old["id"]), ("new", None), ("new", None),
                                                        ("duplicate", None), ("new", None)]
    assert "王芳" in rows[0].warnings[0]
    assert "同名" in rows[1].warnings[0] and "第 4 行" in rows[3].warnings[0] and "第 4 行" in rows[4].warnings[0]


@pytest.mark.parametrize("mode", ["skip", "fill", "update"])
def test_same_id_number_twice_in_one_file_new_person(tmp_path, ledger, mode):
    idn = make_idcard("110105", dt.date(1980, 3, 8), 3, "男")
    path = roster_csv(tmp_path / "r.csv", [["张三", idn, "数学组"], ["张三", idn, "语文组"]],
                      header=["姓名", "身份证号", "工会小组"])
    plan = plan_import("member", ledger, path, ImportOptions(on_duplicate=mode))
    assert [(r.status, r.member_id) for r in plan.rows] == [("new", None), ("duplicate", None)]
    assert "与第 2 行身份证号相同" in plan.rows[1].warnings[0]
    commit_import(ledger, plan, backup=False)
    [member] = ledger.records("member")
    assert member["union_group"] == "数学组"  # the first row, not the later one


@pytest.mark.parametrize("mode", ["fill", "update"])
def test_same_id_number_twice_in_one_file_only_the_first_row_changes_the_member(tmp_path, ledger, mode):
    idn = make_idcard("110105", dt.date(1980, 3, 8), 3, "男")
    old = _seed(ledger, name="张三", id_number=idn)
    path = roster_csv(tmp_path / "r.csv", [["张三", idn, "数学组", "讲师"], ["张三", idn, "语文组", ""]],
                      header=["姓名", "身份证号", "工会小组", "职称"])
    plan = plan_import("member", ledger, path, ImportOptions(on_duplicate=mode))
    assert [(r.status, r.member_id) for r in plan.rows] == [("update", old["id"]), ("duplicate", old["id"])]
    assert "与第 2 行身份证号相同" in plan.rows[1].warnings[0] and plan.rows[1].record is None
    assert plan.counts() == {"new": 0, "update": 1, "duplicate": 1, "skip": 0, "error": 0}
    commit_import(ledger, plan, backup=False)
    after = ledger.get("member", old["id"])
    assert (after["union_group"], after["title"]) == ("数学组", "讲师")


def test_same_id_number_twice_in_one_file_skip_mode_reports_the_second(tmp_path, ledger):
    idn = make_idcard("110105", dt.date(1980, 3, 8), 3, "男")
    old = _seed(ledger, name="张三", id_number=idn)
    path = roster_csv(tmp_path / "r.csv", [["张三", idn], ["张三", idn]], header=["姓名", "身份证号"])
    rows = plan_import("member", ledger, path).rows
    assert [(r.status, r.member_id) for r in rows] == [("skip", old["id"]), ("duplicate", old["id"])]
    assert "与第 2 行身份证号相同" in rows[1].warnings[0]


def test_files_split_per_group_imported_twice(tmp_path, ledger):
    groups = {"语文组": range(1, 6), "数学组": range(6, 11), "英语组": range(11, 14)}
    files = [roster_xlsx(tmp_path / f"{g}.xlsx", roster_rows([person(i, group=g) for i in seqs]))
             for g, seqs in groups.items()]
    for path in files:
        plan = plan_import("member", ledger, path)
        assert {r.status for r in plan.rows} == {"new"}
        commit_import(ledger, plan, backup=False)
    assert ledger.count("member") == 13
    for path in files:
        plan = plan_import("member", ledger, path)
        assert {r.status for r in plan.rows} == {"skip"}, path.name
    assert ledger.count("member") == 13


def test_dry_run_leaves_the_ledger_bytes_unchanged(tmp_path):
    path = tmp_path / "ledger.json"
    with Ledger.open(path, school="莲峰小学") as ledger:
        _seed(ledger, name="王芳", phone="13800138000")
    before = ledger_bytes(path)
    roster = roster_xlsx(tmp_path / "r.xlsx", roster_rows([person(i) for i in range(1, 6)]))
    with Ledger.open(path, read_only=True) as ledger:
        plan = plan_import("member", ledger, roster, ImportOptions(maps=["序号="]))
        assert plan.counts()["new"] == 5
    assert ledger_bytes(path) == before


def test_commit_is_one_journal_commit_after_a_backup(tmp_path, ledger):
    roster = roster_xlsx(tmp_path / "r.xlsx", roster_rows([person(i) for i in range(1, 8)]), numbers_as_ids=(2,))
    plan = plan_import("member", ledger, roster)
    seq = ledger.seq
    backup = commit_import(ledger, plan)
    assert ledger.seq == seq + 1
    assert backup.is_file()
    assert ledger.count("member") == 6
    new_ids = {r.member_id for r in plan.rows if r.status == "new"}
    assert new_ids == {m["id"] for m in ledger.records("member")}
    assert {ledger.history("member", rid)[0]["source"] for rid in new_ids} == {"import"}


def test_errors_file_has_the_original_columns_and_the_reason(tmp_path, ledger):
    from python_calamine import CalamineWorkbook

    people = [person(i) for i in range(1, 4)]
    rows = roster_rows(people)
    rows[2][5] = "12345"  # a bad phone
    roster = roster_xlsx(tmp_path / "r.xlsx", rows, numbers_as_ids=(0,))
    plan = plan_import("member", ledger, roster)
    out = tmp_path / "errors.xlsx"
    assert write_errors(plan, out) == 2
    sheet = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert sheet[0] == [*HEADER, "错误原因"]
    assert [r[1] for r in sheet[1:]] == ["教师0001", "教师0003"]
    assert DESTROYED in sheet[1][-1] and "身份证号" in sheet[1][-1]
    assert "手机" in sheet[2][-1] and "12345" in sheet[2][-1]
    assert sheet[2][4] == serial(people[2]["birth"])  # cells as they came


def test_unknown_sheet_and_file_type(tmp_path, ledger):
    roster = roster_xlsx(tmp_path / "r.xlsx", roster_rows([person(1)]))
    with pytest.raises(UserError, match="教职工名单"):
        plan_import("member", ledger, roster, ImportOptions(sheet="Sheet9"))
    other = tmp_path / "r.pdf"
    shutil.copy(roster, other)
    with pytest.raises(UserError, match=".xlsx"):
        plan_import("member", ledger, other)


def test_pre_numbered_blank_rows_of_a_template_are_not_rows(tmp_path, ledger):
    rows = roster_rows([person(1)]) + [[n, "", "", "", "", "", "", "", ""] for n in range(2, 30)]
    plan = plan_import("member", ledger, roster_xlsx(tmp_path / "r.xlsx", rows))
    assert [(r.row, r.status) for r in plan.rows] == [(4, "new")]


def test_ods_made_by_libreoffice(ledger):
    plan = plan_import("member", ledger, FIXTURES / "roster.ods")
    assert plan.header_row == 3
    assert [r.status for r in plan.rows] == ["new", "error", "new"]
    assert plan.rows[2].record["phone"] == person(3)["phone"]


def test_excel_unicode_text_export_is_utf16(tmp_path, ledger):
    p = person(9)
    path = roster_csv(tmp_path / "名册.txt", [[1, p["name"], "", p["id"], "", p["phone"], "", "", ""]],
                      encoding="utf-16", delimiter="\t")
    plan = plan_import("member", ledger, path)
    assert plan.table.encoding == "utf-16"
    assert plan.rows[0].record["name"] == p["name"]
    bare = tmp_path / "bare.csv"
    bare.write_bytes("姓名,手机\n张三,13800138000\n".encode("utf-16-le"))
    with pytest.raises(UserError, match="UTF-8"):
        plan_import("member", ledger, bare)


def test_errors_file_from_a_sheet_whose_name_excel_refuses(tmp_path, ledger):
    rows = roster_rows([person(1)])
    rows[0][5] = "123"
    plan = plan_import("member", ledger, roster_xlsx(tmp_path / "r.xlsx", rows))
    plan.table.sheet = "2025/春[教职工]:第一批名单（含退休人员及调入人员）"  # as an .ods may name it
    assert write_errors(plan, tmp_path / "e.xlsx") == 1


@given(st.dates(dt.date(1920, 1, 1), dt.date(2010, 12, 31)), st.integers(0, 499), st.sampled_from(["男", "女"]))
def test_an_id_number_is_kept_exactly_or_refused_never_repaired(birth, seq, sex):
    from domain.fields import field
    from domain.idcard import check_char
    from domain.importing.cells import CellError, cell_text

    f = field("member", "id_number")
    idn = make_idcard("110105", birth, seq, sex)
    assert cell_text(f, idn) == idn
    with pytest.raises(CellError):
        cell_text(f, float(idn.replace("X", "0")))
    zeroed = idn[:15] + "000"  # as Excel leaves it
    if check_char(zeroed[:17]) != zeroed[17]:
        with pytest.raises(CellError, match="请按身份证重新录入"):
            cell_text(f, zeroed)
    else:  # a real number that happens to end in 000 passes
        assert cell_text(f, zeroed) == zeroed


def test_a_phone_given_by_an_updating_row_makes_a_later_row_a_candidate(tmp_path, ledger):
    idn = make_idcard("110105", dt.date(1980, 3, 8), 3, "男")
    old = _seed(ledger, name="张三", id_number=idn)
    path = roster_csv(tmp_path / "r.csv", [["张三", idn, "13900139000"], ["李四", "", "13900139000"]],
                      header=["姓名", "身份证号", "手机"])
    rows = plan_import("member", ledger, path, ImportOptions(on_duplicate="update")).rows
    assert [(r.status, r.member_id) for r in rows] == [("update", old["id"]), ("duplicate", None)]
    assert "第 2 行" in rows[1].warnings[0]


def test_cells_are_shown_as_the_file_holds_them_never_as_python_values(tmp_path, ledger):
    """A number-typed 身份证号, a numeric header and name, TRUE and a date cell: no 1.1e+17, 2024.0, True."""
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    from domain.importing.cells import shown

    path = tmp_path / "r.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("名单")
    ws.write_row(0, 0, ["姓名", "身份证号", "手机", "在职/退休", 2024, "入会时间"])
    ws.write_row(1, 0, ["张三", 110105198003083000, 13800138000])
    ws.write_boolean(1, 3, True)
    ws.write_datetime(1, 5, dt.datetime(2001, 9, 1), book.add_format({"num_format": "yyyy-mm-dd"}))
    ws.write_row(2, 0, [123, "", "1380013800"])
    book.close()
    plan = plan_import("member", ledger, path)
    assert [c.header for c in plan.columns][4] == "2024"
    first, second = plan.rows
    assert first.errors[0] == {"field": "id_number", "value": "110105198003083000", "why": first.errors[0]["why"]}
    assert shown(second.cells[0]) == "123" and second.errors[0]["value"] == "1380013800"
    assert (shown(None), shown(True), shown([1.0, "a"])) == ("", "是", "1、a")
    assert shown(dt.datetime(2001, 9, 1, 8, 5)) == "2001-09-01 08:05"
    write_errors(plan, tmp_path / "e.xlsx")
    sheet = CalamineWorkbook.from_path(str(tmp_path / "e.xlsx")).get_sheet_by_index(0).to_python()
    assert sheet[0][:6] == ["姓名", "身份证号", "手机", "在职/退休", "2024", "入会时间"]
    assert sheet[1][3] is True and sheet[1][5] == dt.date(2001, 9, 1)  # as they came, not "True"
