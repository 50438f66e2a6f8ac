"""Before a save: one person one record (身份证号), likely repeats, caps and the approver."""

from __future__ import annotations

import pytest

from domain.caps import cap_status, over_cap_ids
from domain.checks import DuplicateMember, approver_problem, check_save
from domain.idcard import validate_idcard

ID = "11010519491231002X"


def test_same_id_number_is_refused_naming_the_existing_member(ledger):
    assert validate_idcard(ID) == ID
    first = ledger.add("member", {"name": "张三", "id_number": ID, "union_group": "语文组"})
    with pytest.raises(DuplicateMember) as err:
        check_save(ledger, "member", {"name": "张叁", "id_number": ID.lower()})
    assert "张三" in str(err.value) and "语文组" in str(err.value) and first["id"] in str(err.value)
    assert err.value.field == "id_number" and err.value.existing["id"] == first["id"]
    assert check_save(ledger, "member", {"notes": "x"}, rid=first["id"]).warnings == []  # itself is no duplicate
    assert ledger.count("member") == 1  # nothing written


def test_same_name_and_phone_or_birth_date_is_a_warning(ledger):
    a = ledger.add("member", {"name": "王芳", "phone": "13800138000", "birth_date": "1985-04-01"})
    check = check_save(ledger, "member", {"name": "王芳", "phone": "13800138000"})
    assert len(check.warnings) == 1 and "同名同手机" in check.warnings[0] and check.similar[0]["id"] == a["id"]
    check = check_save(ledger, "member", {"name": "王芳", "birth_date": "1985-04-01", "phone": "13900139000"})
    assert "同名同出生日期" in check.warnings[0]
    assert check_save(ledger, "member", {"name": "王芳", "phone": "13900139000"}).warnings == []


def test_a_visit_over_a_cap_needs_an_approver(ledger):
    m = ledger.add("member", {"name": "张三"})["id"]
    check = check_save(ledger, "visit", {"member_id": m, "date": "2025-03-01", "reason": "生病住院",
                                         "amount": "5000"})
    assert check.needs_approver and "上限" in check.warnings[0] and approver_problem(check)
    check = check_save(ledger, "visit", {"member_id": m, "date": "2025-03-01", "reason": "生病住院",
                                         "amount": "5000", "approver": "李主席"})
    assert check.needs_approver and approver_problem(check) == ""
    ok = check_save(ledger, "visit", {"member_id": m, "date": "2025-03-01", "reason": "生病住院", "amount": "500"})
    assert not ok.needs_approver and ok.warnings == []


def test_cap_status_as_you_type_and_the_over_cap_index(ledger):
    m = ledger.add("member", {"name": "张三"})["id"]
    visits = [ledger.add("visit", {"member_id": m, "date": d, "reason": "生病住院", "amount": a})
              for d, a in (("2025-01-05", "100"), ("2025-06-05", "100"), ("2025-09-05", "1500"),
                           ("2026-01-05", "100"))]
    status = cap_status(ledger.config, {"member_id": m, "date": "2025-12-01", "reason": "生病住院"}, visits)
    assert status == "“生病住院”上限 1000.00 元；2025 年第 4 次（每年最多 2 次）"
    assert over_cap_ids(ledger.config, visits) == {visits[2]["id"]}
