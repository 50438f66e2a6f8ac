"""The executor against the emulator: request budget, layout, people's edits,
faults (429, 5xx, a write applied then the connection dropped, a client
killed between two requests)."""

from __future__ import annotations

import pytest

from domain.store import Ledger
from sync.engine import CONFLICTS, SyncStopped, pending_changes, sync
from sync.sheet_layout import column_letter, headers
from tests.sync_support import (Killed, KillingGateway, emu, gw_for, ledger_state, sheet_rows,  # noqa: F401
                                sid)

A, B = "莲峰小学", "大刘中心校"


def open_ledger(tmp_path, school, name=None):
    return Ledger.open(tmp_path / f"{name or school}.json", school=school)


def add_member(led, name, **kw):
    return led.add("member", {"name": name, "gender": "女", **kw})


def test_first_sync_lays_out_the_sheet_then_noop_is_two_requests(emu, sid, tmp_path):
    with open_ledger(tmp_path, A) as led:
        m = add_member(led, "张三", phone="13812345678")
        led.add("visit", {"member_id": m["id"], "date": "2025-03-08", "reason": "生病住院", "amount": "300.5"})
        first = sync(led, gw_for(emu, sid))
        assert first.requests <= 5 and first.stats["added_remote"] == 2
        assert {"会员", "活动", "慰问"} <= set(emu.tabs(sid))
        assert emu.values(sid, "会员")[0] == headers("member", led.config)
        ss = emu.backend.get_ss(sid)
        sheet = ss.sheet_by_title("会员")
        assert sheet.props["gridProperties"].get("frozenRowCount") == 1
        assert any(p.get("warningOnly") for p in sheet.protected)
        assert sheet.validations  # dropdowns on category columns
        emu.reset_counts()
        noop = sync(led, gw_for(emu, sid))
        assert noop.requests <= 2 and emu.counts["write"] == 0
        visits = sheet_rows(emu, sid, "visit", led.config)
        assert visits[0][3]["amount"] == "300.5"
        assert pending_changes(led) == 0


def test_typical_sync_stays_within_five_requests(emu, sid, tmp_path):
    with open_ledger(tmp_path, A) as led:
        ms = [add_member(led, f"会员{i}") for i in range(6)]
        gw = gw_for(emu, sid)
        sync(led, gw)
        led.edit("member", ms[0]["id"], {"title": "一级教师"})
        led.delete("member", ms[1]["id"])
        add_member(led, "新会员")
        emu.set_cell(sid, "会员", "H3", "硕士研究生")
        emu.insert_row(sid, "会员", 2, ["", "手填", "男"] + [""] * 7 + [A])
        r = sync(led, gw_for(emu, sid))
        assert r.requests <= 5
        again = sync(led, gw_for(emu, sid))
        assert again.requests <= 2 and again.writes == 0
        sheet = {row[1]: row for row in sheet_rows(emu, sid, "member", led.config)}
        assert ledger_state(led, "member") == {i: v for i, (_, _, _, v, _) in sheet.items()}
        assert any(rec["name"] == "手填" for rec in led.records("member"))


def test_people_columns_formulas_sort_and_reorder_survive(emu, sid, tmp_path):
    with open_ledger(tmp_path, A) as led:
        ms = [add_member(led, n) for n in ("乙", "甲", "丙")]
        sync(led, gw_for(emu, sid))
        col = emu.add_column(sid, "会员", "人们的列")
        from sync.sheet_layout import column_letter

        emu.set_cell(sid, "会员", f"{column_letter(col)}2", "=1+1")
        emu.set_cell(sid, "会员", f"{column_letter(col)}3", "手记")
        emu.sort_tab(sid, "会员", "B")
        led.edit("member", ms[2]["id"], {"notes": "改了"})
        sync(led, gw_for(emu, sid))
        rows = emu.values(sid, "会员", render="FORMULA")
        people = [r[col] if len(r) > col else "" for r in rows[1:]]
        assert sorted(people) == sorted(["=1+1", "手记", ""])
        assert ledger_state(led, "member") == {r[1]: r[3] for r in sheet_rows(emu, sid, "member", led.config)}


def test_two_schools_never_write_each_others_rows(emu, sid, tmp_path):
    with open_ledger(tmp_path, A) as a, open_ledger(tmp_path, B) as b:
        add_member(a, "甲校会员")
        add_member(b, "乙校会员")
        sync(a, gw_for(emu, sid))
        sync(b, gw_for(emu, sid))
        sync(a, gw_for(emu, sid))
        assert [r["name"] for r in a.records("member")] == ["甲校会员"]
        assert [r["name"] for r in b.records("member")] == ["乙校会员"]
        schools = sorted(r[2] for r in sheet_rows(emu, sid, "member", a.config))
        assert schools == sorted([A, B])


def test_conflict_kept_and_resolved(emu, sid, tmp_path):
    from sync.service import resolve_conflict

    with open_ledger(tmp_path, A) as led:
        m = add_member(led, "张三")
        sync(led, gw_for(emu, sid))
        led.edit("member", m["id"], {"title": "一级教师"})
        emu.set_cell(sid, "会员", "I2", "高级教师")
        r = sync(led, gw_for(emu, sid))
        assert [(c.mine, c.theirs) for c in r.conflicts] == [("一级教师", "高级教师")]
        assert led.kv_all(CONFLICTS)
        resolve_conflict(led, "member", m["id"], "title", theirs=True)
        sync(led, gw_for(emu, sid))
        assert led.get("member", m["id"])["title"] == "高级教师"
        assert sheet_rows(emu, sid, "member", led.config)[0][3]["title"] == "高级教师"
        assert not led.kv_all(CONFLICTS)


@pytest.mark.parametrize("fault", ["429", "503", "drop"])
def test_faults_then_no_duplicates(emu, sid, tmp_path, fault):
    with open_ledger(tmp_path, A) as led:
        for i in range(4):
            add_member(led, f"会员{i}")
        if fault == "429":
            emu.fail_next(429, count=2)
        elif fault == "503":
            emu.fail_next(503, count=2)
        else:
            emu.drop_next(1, methods="write")
        sync(led, gw_for(emu, sid))
        emu.clear_faults()
        sync(led, gw_for(emu, sid))
        ids = [r[1] for r in sheet_rows(emu, sid, "member", led.config)]
        assert len(ids) == len(set(ids)) == 4


@pytest.mark.parametrize("kill_at", [1, 2, 3, 4, 5, 6])
def test_killed_between_requests_next_sync_finishes(emu, sid, tmp_path, kill_at):
    path = tmp_path / "a.json"
    with Ledger.open(path, school=A) as led:
        ms = [add_member(led, f"会员{i}") for i in range(3)]
        sync(led, gw_for(emu, sid))
        led.edit("member", ms[0]["id"], {"notes": "改"})
        led.delete("member", ms[1]["id"])
        add_member(led, "新")
        row = next(r[0] for r in sheet_rows(emu, sid, "member", led.config) if r[1] == ms[2]["id"])
        emu.set_cell(sid, "会员", f"E{row}", "回族")
        try:
            sync(led, KillingGateway(gw_for(emu, sid), kill_at))
        except Killed:
            pass
    with Ledger.open(path, school=A) as led:  # the process restarted
        sync(led, gw_for(emu, sid))
        rows = sheet_rows(emu, sid, "member", led.config)
        ids = [r[1] for r in rows]
        assert len(ids) == len(set(ids)) == 3
        assert ledger_state(led, "member") == {r[1]: r[3] for r in rows}
        assert sync(led, gw_for(emu, sid)).writes == 0


def test_mass_delete_guard_stops_before_writing(emu, sid, tmp_path):
    with open_ledger(tmp_path, A) as led:
        for i in range(5):
            add_member(led, f"会员{i}")
        sync(led, gw_for(emu, sid))
        for _ in range(5):
            emu.delete_row(sid, "会员", 2)
        with pytest.raises(SyncStopped):
            sync(led, gw_for(emu, sid))
        assert led.count("member") == 5
        sync(led, gw_for(emu, sid), allow_deletes=True)
        assert led.count("member") == 0


def test_duplicate_row_reported_and_cleared_id_gets_a_new_one(emu, sid, tmp_path):
    with open_ledger(tmp_path, A) as led:
        add_member(led, "张三")
        sync(led, gw_for(emu, sid))
        emu.paste_row_copy(sid, "会员", 2)
        r = sync(led, gw_for(emu, sid))
        assert r.duplicates and r.duplicates[0][2] == [2, 3]
        emu.set_cell(sid, "会员", "A3", "")
        sync(led, gw_for(emu, sid))
        ids = [row[1] for row in sheet_rows(emu, sid, "member", led.config)]
        assert len(set(ids)) == 2 and led.count("member") == 2


def test_summary_names_only_what_happened():
    from sync.engine import SyncResult

    quiet = SyncResult({"pulled": 0, "pushed": 0}, [], [], [], [], 2, 0.4, 1, 0, 0)
    assert quiet.summary() == "同步完成：两边一致，无需改动（2 次请求，0.4 秒）"
    busy = SyncResult({"pulled": 3, "added_remote": 1}, [], [], [], [], 4, 1.25, 1, 2, 0)
    assert busy.summary() == "同步完成：从表格取回 3 条，新增到表格 1 条（4 次请求，1.2 秒）"


@pytest.mark.parametrize("staff_note", ["", "备注乙"])
def test_killed_before_a_new_row_is_filled_then_deleted_here(emu, sid, tmp_path, staff_note):
    """A sync killed after it made a row (id and school only) and before it
    filled it; the record is then deleted here.  The half-made row is ours:
    untouched, it is deleted with the record; if someone typed in it, edit
    beats delete and the record comes back whole (never a row stuck as
    "name missing" that no sync can settle)."""
    path = tmp_path / "a.json"
    with Ledger.open(path, school=A) as led:
        add_member(led, "李四")
        sync(led, gw_for(emu, sid))  # the tabs exist: requests are 1 metadata, 2 read, 3 rows, 4 re-read, 5 fill
        m = add_member(led, "张三", notes="")
        with pytest.raises(Killed):
            sync(led, KillingGateway(gw_for(emu, sid), 5))
    stub = next(r for r in sheet_rows(emu, sid, "member", led.config) if r[1] == m["id"])
    assert stub[3]["name"] == ("BAD", "")  # made, not filled
    if staff_note:
        col = emu.values(sid, "会员")[0].index("备注")
        emu.set_cell(sid, "会员", f"{column_letter(col)}{stub[0]}", staff_note)
    with Ledger.open(path, school=A) as led:  # the process restarted
        led.delete("member", m["id"])
        r = sync(led, gw_for(emu, sid))
        assert not r.bad_cells
        rows = sheet_rows(emu, sid, "member", led.config)
        assert ledger_state(led, "member") == {row[1]: row[3] for row in rows}
        if staff_note:
            back = led.get("member", m["id"])
            assert back["name"] == "张三" and back["notes"] == staff_note
        else:
            assert led.get("member", m["id"]) is None and len(rows) == 1
        assert sync(led, gw_for(emu, sid)).writes == 0
