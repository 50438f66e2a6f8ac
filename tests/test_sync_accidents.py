"""Everyday sheet accidents against the emulator: a mistyped 编号, a wiped
tab, rows deleted in the sheet; problems kept until settled; dry run and
restore-sheet; undelete with the local-only fields."""

from __future__ import annotations

import pytest

from domain.store import Ledger
from sync.engine import DRY_RUN, RESTORE_SHEET, SyncStopped, sync
from sync.problems import open_problems
from sync.recovery import NothingToUndelete, undelete
from tests.sync_support import emu, gw_for, sheet_rows, sid  # noqa: F401  (fixtures)

A = "莲峰小学"
LOCAL_ONLY = {"health_notes": "术后复查", "family_size": "3"}


@pytest.fixture
def led(tmp_path):
    with Ledger.open(tmp_path / "a.json", school=A) as ledger:
        yield ledger


gw = gw_for


def members(led, n):
    return [led.add("member", {"name": f"会员{i}", "gender": "女", **LOCAL_ONLY}) for i in range(n)]


def test_mistyped_id_keeps_the_record_and_is_listed_until_fixed(emu, sid, led):
    m, *_ = members(led, 4)
    sync(led, gw(emu, sid))
    row = next(r for r in sheet_rows(emu, sid, "member", led.config) if r[1] == m["id"])
    typo = m["id"][:-1] + ("X" if m["id"][-1] != "X" else "Y")
    emu.set_cell(sid, "会员", f"A{row[0]}", typo)
    r = sync(led, gw(emu, sid))
    assert led.get("member", m["id"])["health_notes"] == "术后复查" and led.get("member", typo) is None
    (p,) = open_problems(led)
    assert (p["problem"], p["id"], p["value"], p["row"]) == ("id_typo", m["id"], typo, row[0])
    assert "两边一致" not in r.summary() and "app.py problems" in r.summary()
    again = sync(led, gw(emu, sid))  # still there: kept until settled
    assert [q["problem"] for q in open_problems(led)] == ["id_typo"] and again.writes == 0
    emu.set_cell(sid, "会员", f"A{row[0]}", m["id"])
    sync(led, gw(emu, sid))
    assert open_problems(led) == [] and led.count("member") == 4


def test_wiped_tab_guard_offers_restore_first_and_restore_writes_rows_back(emu, sid, led):
    members(led, 5)
    sync(led, gw(emu, sid))
    for _ in range(5):
        emu.delete_row(sid, "会员", 2)
    with pytest.raises(SyncStopped) as stop:
        sync(led, gw(emu, sid))
    text = str(stop.value)
    assert text.index("--restore-sheet") < text.index("--allow-deletes")
    r = sync(led, gw(emu, sid), mode=RESTORE_SHEET)
    assert r.stats["restored"] == 5 and led.count("member") == 5
    assert len([row for row in sheet_rows(emu, sid, "member", led.config) if row[1]]) == 5
    assert sync(led, gw(emu, sid)).writes == 0


def test_dry_run_writes_nothing_on_either_side(emu, sid, led, tmp_path):
    ms = members(led, 3)
    sync(led, gw(emu, sid))
    led.edit("member", ms[0]["id"], {"notes": "本地改"})
    led.add("member", {"name": "新人", "gender": "男"})
    emu.set_cell(sid, "会员", "B3", "表格改名")
    before_sheet = emu.values(sid, "会员")
    before_seq = led.seq
    emu.reset_counts()
    r = sync(led, gw(emu, sid), mode=DRY_RUN)
    assert emu.counts["write"] == 0 and emu.values(sid, "会员") == before_sheet and led.seq == before_seq
    pre = r.extra["preview"]
    assert pre["counts"]["l_upd"] == 1 and pre["counts"]["r_add"] == 1 and pre["counts"]["r_upd"] == 1
    assert len(pre["local"]) == 1 and len(pre["sheet"]) == 2
    assert "试运行" in r.summary()


def test_dry_run_counts_the_conflicts_already_open(emu, sid, led):
    from sync.ledger_state import CONFLICTS

    ms = members(led, 2)
    sync(led, gw(emu, sid))
    with led.transaction() as tx:
        tx.kv_put(CONFLICTS, f"member:{ms[0]['id']}:phone", {"kind": "member", "id": ms[0]["id"], "field": "phone"})
    assert sync(led, gw(emu, sid), mode=DRY_RUN).open_conflicts == 1  # the hint 'conflicts to settle' needs it


def test_row_deleted_in_the_sheet_can_be_undeleted_whole(emu, sid, led):
    ms = members(led, 6)
    sync(led, gw(emu, sid))
    emu.delete_row(sid, "会员", 2)
    gone = sheet_rows(emu, sid, "member", led.config)
    missing = ({m["id"] for m in ms} - {r[1] for r in gone}).pop()
    r = sync(led, gw(emu, sid))
    assert r.stats["deleted_local"] == 1 and led.get("member", missing) is None
    back = undelete(led, "member", missing)
    assert back["health_notes"] == "术后复查" and led.get("member", missing)["family_size"] == 3
    sync(led, gw(emu, sid))
    assert missing in {r[1] for r in sheet_rows(emu, sid, "member", led.config)}
    with pytest.raises(NothingToUndelete):
        undelete(led, "member", missing)
    with pytest.raises(NothingToUndelete):
        undelete(led, "member", "NO-SUCH-ID")


# ----------------------------------------------------------------- the district summary tab 汇总
def summary_rows(emu, sid):
    rows = emu.values(sid, "汇总")
    return rows[0], {r[0]: dict(zip(rows[0], r)) for r in rows[1:] if r and r[0]}


def test_summary_tab_one_row_per_school_written_only_when_figures_change(emu, sid, tmp_path):
    import datetime as dt

    today = dt.date.today().isoformat()
    with Ledger.open(tmp_path / "a.json", school=A) as a, Ledger.open(tmp_path / "b.json", school="大刘中心校") as b:
        ma = members(a, 3)
        a.add("visit", {"member_id": ma[0]["id"], "date": today, "reason": "生病住院", "amount": "500",
                        "fund_source": "工会经费"})
        members(b, 2)
        sync(a, gw(emu, sid))
        sync(b, gw(emu, sid))
        hdr, by_school = summary_rows(emu, sid)
        assert hdr[0] == "学校" and "本年慰问金（工会经费）" in hdr and hdr[-1] == "更新时间"
        assert set(by_school) == {A, "大刘中心校"}
        assert by_school[A]["会员数（在会）"] == "3" and by_school[A]["本年慰问人次"] == "1"
        assert by_school["大刘中心校"]["会员数（在会）"] == "2"
        sheet = emu.backend.get_ss(sid).sheet_by_title("汇总")
        assert any(p.get("warningOnly") for p in sheet.protected)
        # people's own notes in the tab are left alone
        emu.set_cell(sid, "汇总", "A10", "学区备注：请各校12月底前核对")
        emu.reset_counts()
        noop = sync(a, gw(emu, sid))
        assert noop.writes == 0 and emu.counts["write"] == 0
        b_row_before = summary_rows(emu, sid)[1]["大刘中心校"]
        a.add("visit", {"member_id": ma[1]["id"], "date": today, "reason": "生病住院", "amount": "300",
                        "fund_source": "工会经费"})
        sync(a, gw(emu, sid))
        _, by_school = summary_rows(emu, sid)
        assert by_school[A]["本年慰问人次"] == "2" and by_school[A]["本年慰问金（工会经费）"] in ("800", "800.00", "¥800.00")
        assert by_school["大刘中心校"] == b_row_before
        assert emu.values(sid, "汇总")[9][0] == "学区备注：请各校12月底前核对"


# ----------------------------------------------------------------- the sync in a child process
def test_sync_in_a_child_process_commits_here_in_chunks(emu, sid, tmp_path):
    from domain.settings import resolve_settings
    from sync.child_sync import split_after, split_before
    from sync.service import run_sync

    with Ledger.open(tmp_path / "a.json", school=A) as led:
        ms = members(led, 30)
        settings = resolve_settings({"db": str(led.path), "spreadsheet": sid, "endpoint": emu.url})
        stages = []
        r = run_sync(led, settings, in_child=True, progress=lambda s, f: stages.append(f))
        assert r.stats["added_remote"] == 30 and stages[-1] == 1.0
        assert {row[1] for row in sheet_rows(emu, sid, "member", led.config)} == {m["id"] for m in ms}
        assert all(not b.get("_pending") for b in led.kv_all("_sync_base").values())
        emu.set_cell(sid, "会员", "B2", "表格改名")
        r = run_sync(led, settings, in_child=True)
        assert r.stats["pulled"] == 1 and "表格改名" in {m["name"] for m in led.records("member")}
        assert run_sync(led, settings, in_child=True).writes == 0
        plan = sync(led, gw(emu, sid), mode=DRY_RUN)  # a plan to cut: every record's changes in one chunk
    from sync.plan import Plan

    whole = Plan(bases_now={("member", f"M{i}"): {"x": str(i)} for i in range(25)},
                 local_puts=[("member", {"id": f"M{i}"}, None) for i in range(0, 25, 2)])
    parts = split_before(whole, size=10)
    assert [len(p.bases_now) for p in parts] == [10, 10, 5]
    assert all({k for k, _ in p.bases_now} and {(k, r["id"]) for k, r, _ in p.local_puts} <= set(p.bases_now)
               for p in parts)
    assert len(split_after(Plan(), size=10)) == 1 and plan is not None


def test_a_failure_in_the_child_comes_back_as_the_same_message(emu, tmp_path):
    from domain.errors import UserError
    from domain.settings import resolve_settings
    from sync.service import run_sync

    with Ledger.open(tmp_path / "a.json", school=A) as led:
        members(led, 1)
        settings = resolve_settings({"db": str(led.path), "spreadsheet": "no-such-sheet", "endpoint": emu.url})
        with pytest.raises(UserError) as err:
            run_sync(led, settings, in_child=True)
        assert str(err.value) and led.kv_get("_sync_meta", "last")["ok"] is False


def test_a_sync_that_deletes_here_backs_up_first(emu, sid, led):
    from domain.backups import list_backups

    ms = members(led, 6)
    sync(led, gw(emu, sid))
    before = len(list_backups(led.path))
    emu.delete_row(sid, "会员", 2)
    sync(led, gw(emu, sid))
    made = list_backups(led.path)
    assert len(made) == before + 1 and led.count("member") == len(ms) - 1
    sync(led, gw(emu, sid))  # nothing deleted: no backup
    assert len(list_backups(led.path)) == before + 1
