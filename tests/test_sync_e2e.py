"""End to end through the command line: two ledgers, one emulator, edits on
both sides and in the sheet, syncs; results checked with ``list --json``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sync.sheet_layout import column_letter
from tests.emulator_fixtures import running_emulator

ROOT = Path(__file__).resolve().parents[1]


def app(env, *args):
    p = subprocess.run([sys.executable, str(ROOT / "app.py"), *args], capture_output=True, text=True,
                       env=env, cwd=ROOT, timeout=120)
    return p


def listed(env, db, kind):
    p = app(env, "--db", str(db), "list", kind, "--json")
    assert p.returncode == 0, p.stderr
    return {r["id"]: r for r in json.loads(p.stdout)}


def test_two_schools_one_sheet_through_the_command_line(tmp_path):
    with running_emulator() as emu:
        sid = emu.create_spreadsheet("学区台账")
        env = {**os.environ, "LEDGER_SPREADSHEET": sid, "LEDGER_SHEETS_ENDPOINT": emu.url,
               "LEDGER_CONFIG": str(tmp_path / "none.toml")}
        a, b = tmp_path / "a.json", tmp_path / "b.json"
        ea = {**env, "LEDGER_SCHOOL": "莲峰小学"}
        eb = {**env, "LEDGER_SCHOOL": "大刘中心校"}
        mid = app(ea, "--db", str(a), "add", "member", "name=张三", "gender=男").stdout.split()[-1]
        app(ea, "--db", str(a), "add", "visit", f"member_id={mid}", "date=2025-3-8", "reason=生病住院",
            "amount=500")
        app(eb, "--db", str(b), "add", "member", "name=李四")
        for env_, db in ((ea, a), (eb, b)):
            p = app(env_, "--db", str(db), "sync")
            assert p.returncode == 0, p.stderr
            assert p.stdout.count("\n") == 1 and "同步完成" in p.stdout
        # the district staff retype a date and fix a title; school A edits too
        rows = emu.values(sid, "会员")
        hdr = rows[0]
        zs = next(i for i, r in enumerate(rows) if r and r[0] == mid) + 1
        emu.set_cell(sid, "会员", f"{column_letter(hdr.index('职称'))}{zs}", "一级教师")
        emu.insert_row(sid, "会员", len(rows) + 1, [""] + ["王五"] + [""] * (hdr.index("学校") - 2) + ["莲峰小学"])
        app(ea, "--db", str(a), "edit", "member", mid, "phone=13812345678")
        assert app(ea, "--db", str(a), "sync").returncode == 0
        assert app(eb, "--db", str(b), "sync").returncode == 0
        members_a = listed(ea, a, "member")
        assert members_a[mid]["title"] == "一级教师" and members_a[mid]["phone"] == "13812345678"
        assert sorted(r["name"] for r in members_a.values()) == ["张三", "王五"]
        assert [r["name"] for r in listed(eb, b, "member").values()] == ["李四"]
        visits = list(listed(ea, a, "visit").values())
        assert visits[0]["amount"] == "500.00" and visits[0]["date"] == "2025-03-08"
        # a conflict, listed and settled from the command line
        emu.set_cell(sid, "会员", f"{column_letter(hdr.index('备注'))}{zs}", "表格里的备注")
        app(ea, "--db", str(a), "edit", "member", mid, "notes=本地备注")
        p = app(ea, "--db", str(a), "sync")
        assert p.returncode == 0 and "冲突 1 处" in p.stdout
        conflicts = json.loads(app(ea, "--db", str(a), "conflicts", "--json").stdout)
        assert [(c["field"], c["mine"], c["theirs"]) for c in conflicts] == [("notes", "本地备注", "表格里的备注")]
        assert app(ea, "--db", str(a), "resolve", "member", mid, "备注", "--theirs").returncode == 0
        assert app(ea, "--db", str(a), "sync").returncode == 0
        assert listed(ea, a, "member")[mid]["notes"] == "表格里的备注"
        assert json.loads(app(ea, "--db", str(a), "conflicts", "--json").stdout) == []
        # nothing configured: a clear error, exit 1
        bare = {k: v for k, v in ea.items() if k not in ("LEDGER_SPREADSHEET", "LEDGER_SHEETS_ENDPOINT")}
        p = app(bare, "--db", str(a), "sync")
        assert p.returncode == 1 and "错误" in p.stderr


def test_demo_syncs_out_of_the_box(tmp_path):
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "LEDGER_CONFIG": str(tmp_path / "none.toml")}
    for k in ("LEDGER_SPREADSHEET", "LEDGER_SHEETS_ENDPOINT", "LEDGER_DB", "LEDGER_SCHOOL"):
        env.pop(k, None)
    p = app(env, "--demo", "sync")
    assert p.returncode == 0, p.stderr
    assert "新增到表格" in p.stdout
    p = app(env, "--demo", "sync")
    assert p.returncode == 0 and "2 次请求" in p.stdout
    assert list((tmp_path / "data").rglob("demo-sheet.json"))


def test_accidents_and_ways_forward_through_the_command_line(tmp_path):
    """Two school ledgers: a mistyped 编号 listed by problems, a wiped tab
    stopped by the guard and put back by --restore-sheet after a --dry-run,
    a row deleted in the sheet brought back by undelete, and each school's
    own row in 汇总."""
    with running_emulator() as emu:
        sid = emu.create_spreadsheet("学区台账")
        env = {**os.environ, "LEDGER_SPREADSHEET": sid, "LEDGER_SHEETS_ENDPOINT": emu.url,
               "LEDGER_CONFIG": str(tmp_path / "none.toml")}
        a, b = tmp_path / "a.json", tmp_path / "b.json"
        ea, eb = {**env, "LEDGER_SCHOOL": "莲峰小学"}, {**env, "LEDGER_SCHOOL": "大刘中心校"}
        ids = [app(ea, "--db", str(a), "add", "member", f"name=会员{i}", "health_notes=术后复查").stdout.split()[-1]
               for i in range(4)]
        app(eb, "--db", str(b), "add", "member", "name=李四")
        assert app(ea, "--db", str(a), "sync").returncode == 0 and app(eb, "--db", str(b), "sync").returncode == 0
        summary = {r[0]: r for r in emu.values(sid, "汇总")[1:]}
        assert set(summary) == {"莲峰小学", "大刘中心校"}
        # a mistyped id: listed by problems, the record kept
        rows = emu.values(sid, "会员")
        r0 = next(i for i, r in enumerate(rows) if r and r[0] == ids[0]) + 1
        emu.set_cell(sid, "会员", f"A{r0}", ids[0][:-1] + "Q")
        p = app(ea, "--db", str(a), "sync")
        assert p.returncode == 0 and "app.py problems" in p.stdout and "两边一致" not in p.stdout
        problems = json.loads(app(ea, "--db", str(a), "problems", "--json").stdout)
        assert [(q["problem"], q["id"]) for q in problems] == [("id_typo", ids[0])]
        assert ids[0] in app(ea, "--db", str(a), "problems").stdout
        emu.set_cell(sid, "会员", f"A{r0}", ids[0])
        assert app(ea, "--db", str(a), "sync").returncode == 0
        assert json.loads(app(ea, "--db", str(a), "problems", "--json").stdout) == []
        # school A's rows wiped from the sheet: the guard offers restore-sheet first
        for r in sorted((i + 1 for i, row in enumerate(emu.values(sid, "会员")) if "莲峰小学" in row), reverse=True):
            emu.delete_row(sid, "会员", r)
        p = app(ea, "--db", str(a), "sync")
        assert p.returncode == 2 and p.stderr.index("--restore-sheet") < p.stderr.index("--allow-deletes")
        before = emu.values(sid, "会员")
        p = app(ea, "--db", str(a), "sync", "--restore-sheet", "--dry-run")
        assert p.returncode == 2  # one way forward at a time
        p = app(ea, "--db", str(a), "sync", "--dry-run")
        assert p.returncode == 0 and "试运行" in p.stdout and emu.values(sid, "会员") == before
        assert len(listed(ea, a, "member")) == 4
        p = app(ea, "--db", str(a), "sync", "--restore-sheet")
        assert p.returncode == 0, p.stderr
        assert {r[0] for r in emu.values(sid, "会员")[1:] if "莲峰小学" in r} == set(ids)
        # one row deleted in the sheet: deleted here, then undelete brings it back whole
        rows = emu.values(sid, "会员")
        emu.delete_row(sid, "会员", next(i for i, r in enumerate(rows) if r and r[0] == ids[1]) + 1)
        assert app(ea, "--db", str(a), "sync").returncode == 0 and ids[1] not in listed(ea, a, "member")
        p = app(ea, "--db", str(a), "undelete", "member", ids[1])
        assert p.returncode == 0, p.stderr
        assert listed(ea, a, "member")[ids[1]]["health_notes"] == "术后复查"
        assert app(ea, "--db", str(a), "sync").returncode == 0
        assert ids[1] in {r[0] for r in emu.values(sid, "会员")[1:]}
        p = app(ea, "--db", str(a), "undelete", "member", "NOPE")
        assert p.returncode == 1 and "NOPE" in p.stderr
        # 汇总: B's row untouched by A's syncs
        assert {r[0]: r for r in emu.values(sid, "汇总")[1:]}["大刘中心校"] == summary["大刘中心校"]


def test_the_first_sync_after_a_restore_previews_and_waits_for_yes(tmp_path):
    with running_emulator() as emu:
        sid = emu.create_spreadsheet("学区台账")
        env = {**os.environ, "LEDGER_SPREADSHEET": sid, "LEDGER_SHEETS_ENDPOINT": emu.url,
               "LEDGER_CONFIG": str(tmp_path / "none.toml"), "LEDGER_SCHOOL": "莲峰小学"}
        db = str(tmp_path / "a.json")
        app(env, "--db", db, "add", "member", "name=张三")
        backup = app(env, "--db", db, "backup").stdout.strip().splitlines()[-1]
        app(env, "--db", db, "add", "member", "name=李四")
        assert app(env, "--db", db, "sync").returncode == 0
        assert app(env, "--db", db, "restore", backup).returncode == 0
        held = app(env, "--db", db, "sync")
        assert held.returncode == 2 and "sync --yes" in held.stderr
        names = {r["name"] for r in listed(env, tmp_path / "a.json", "member").values()}
        assert names == {"张三"}  # the held sync wrote nothing here
        assert app(env, "--db", db, "sync", "--yes").returncode == 0
        names = {r["name"] for r in listed(env, tmp_path / "a.json", "member").values()}
        assert names == {"张三", "李四"}  # the sheet still had 李四's row: it comes back
        assert app(env, "--db", db, "sync").returncode == 0  # asked once only
