"""Visit import: each row finds its member by 身份证号, else by name (narrowed by the
other columns); an ambiguous name lists the candidates; a visit already there is a duplicate."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.idcard import make_idcard
from domain.importing import commit_import, plan_import
from domain.store import Ledger
from tests.import_helpers import roster_csv, roster_xlsx, serial

HEADER = ["姓名", "身份证号", "联系电话", "慰问日期", "慰问原因", "慰问金额", "经费来源", "慰问人"]


@pytest.fixture
def ledger(tmp_path):
    with Ledger.open(tmp_path / "ledger.json", school="莲峰小学") as opened:
        opened.idn = make_idcard("110105", dt.date(1960, 5, 1), 7, "男")
        opened.zhang = opened.add("member", {"name": "张伟", "id_number": opened.idn, "phone": "13800138000",
                                             "union_group": "退休组"})
        opened.zhang2 = opened.add("member", {"name": "张伟", "phone": "13900139000", "union_group": "数学组"})
        opened.li = opened.add("member", {"name": "李娜", "phone": "13700137000"})
        yield opened


def statuses(plan):
    return [(r.row, r.status, r.member_id) for r in plan.rows]


def test_member_found_by_id_number_then_by_name(tmp_path, ledger):
    path = roster_xlsx(tmp_path / "慰问.xlsx", [
        ["张伟", ledger.idn, "", serial(dt.date(2025, 10, 29)), "节日慰问", 300, "工会经费", "王主席"],
        ["李娜", "", "", "2025/3/8", "生病住院", "500.00", "工会经费", ""],
        ["张伟", "", "13900139000", "2025年5月1日", "退休", "200", "上级工会", ""],
    ], header=HEADER)
    plan = plan_import("visit", ledger, path)
    assert plan.header_row == 3
    assert statuses(plan) == [(4, "new", ledger.zhang["id"]), (5, "new", ledger.li["id"]),
                              (6, "new", ledger.zhang2["id"])]
    first = plan.rows[0].record
    assert (first["date"], first["reason"], first["amount"], first["member_name"]) == \
        ("2025-10-29", "节日慰问", 30000, "张伟")
    assert plan.rows[1].record["amount"] == 50000
    commit_import(ledger, plan, backup=False)
    assert ledger.count("visit") == 3


def test_ambiguous_name_lists_the_candidates(tmp_path, ledger):
    path = roster_csv(tmp_path / "v.csv", [["张伟", "", "", "2025-03-08", "生病住院", "", "", ""]], header=HEADER)
    row = plan_import("visit", ledger, path).rows[0]
    assert row.status == "error"
    why = row.errors[0]["why"]
    assert row.errors[0]["field"] == "member_name"
    assert "2 位会员" in why and ledger.zhang["id"] in why and ledger.zhang2["id"] in why and "退休组" in why


def test_unknown_member_and_wrong_phone_are_errors(tmp_path, ledger):
    path = roster_csv(tmp_path / "v.csv", [["赵六", "", "", "2025-03-08", "生病住院", "", "", ""],
                                           ["李娜", "", "13000000000", "2025-03-08", "生病住院", "", "", ""],
                                           ["", "", "", "2025-03-08", "生病住院", "", "", ""]], header=HEADER)
    rows = plan_import("visit", ledger, path).rows
    assert [r.status for r in rows] == ["error", "error", "error"]
    assert "赵六" in rows[0].errors[0]["why"] and "13000000000" in rows[1].errors[0]["why"]
    assert "姓名" in rows[2].errors[0]["why"]


def test_bad_reason_and_amount_reported_with_the_member_found(tmp_path, ledger):
    path = roster_csv(tmp_path / "v.csv", [["李娜", "", "", "2025-03-08", "聚餐", "五百", "", ""]], header=HEADER)
    row = plan_import("visit", ledger, path).rows[0]
    assert [e["field"] for e in row.errors] == ["reason", "amount"]


def test_the_same_visit_twice_is_a_duplicate(tmp_path, ledger):
    rows = [["李娜", "", "", "2025-03-08", "生病住院", "500", "工会经费", ""],
            ["李娜", "", "", "2025.3.8", "生病住院", "500", "工会经费", ""]]
    path = roster_csv(tmp_path / "v.csv", rows, header=HEADER)
    plan = plan_import("visit", ledger, path)
    assert [r.status for r in plan.rows] == ["new", "duplicate"]
    commit_import(ledger, plan, backup=False)
    again = plan_import("visit", ledger, path)
    assert [r.status for r in again.rows] == ["duplicate", "duplicate"]
    assert ledger.count("visit") == 1


def test_caps_warn_but_the_visits_import(tmp_path, ledger):
    rows = [["李娜", "", "", f"2025-0{m}-08", "生病住院", amount, "工会经费", ""]
            for m, amount in ((3, "1500"), (5, "500"), (7, "500"))]
    plan = plan_import("visit", ledger, roster_csv(tmp_path / "v.csv", rows, header=HEADER))
    assert [r.status for r in plan.rows] == ["new", "new", "new"]
    assert "1000" in plan.rows[0].warnings[0]          # over the 安徽 cap per visit
    assert plan.rows[1].warnings == []
    assert "上限每年 2 次" in plan.rows[2].warnings[0]  # the third hospital visit this year
