"""The command line is a contract: names, output shapes and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli.main import main as cli_main

ROOT = Path(__file__).resolve().parents[1]


def run(*args, db=None):
    argv = (["--db", str(db)] if db else []) + list(args)
    return subprocess.run([sys.executable, str(ROOT / "app.py"), *argv], cwd=ROOT,
                          capture_output=True, text=True)


def test_add_prints_the_new_id_alone_on_its_last_line_and_list_json_shows_it(tmp_path):
    db = tmp_path / "l.json"
    out = run("add", "member", "name=曾小红", "phone=138 0013 8000", "birth_date=1980年3月8日", db=db)
    assert out.returncode == 0, out.stderr
    rid = out.stdout.strip().splitlines()[-1]
    assert len(rid) == 26 and rid.isalnum()
    listed = json.loads(run("list", "member", "--json", db=db).stdout)
    assert [(r["id"], r["name"], r["phone"], r["birth_date"]) for r in listed] == \
        [(rid, "曾小红", "13800138000", "1980-03-08")]
    assert listed[0]["school"]  # defaults to the ledger's school


def test_invalid_input_exits_nonzero_with_one_line_naming_the_field(tmp_path):
    db = tmp_path / "l.json"
    out = run("add", "visit", "member_id=X", "date=2025-03-08", "reason=生病住院", "amount=12.345", db=db)
    assert out.returncode != 0
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "慰问金(amount)" in lines[0] and "两位小数" in lines[0]
    assert json.loads(run("list", "visit", "--json", db=db).stdout) == []


def test_unknown_field_lists_the_fields(tmp_path, capsys):
    code = cli_main(["--db", str(tmp_path / "l.json"), "add", "member", "name=张三", "nmae=李四"])
    err = capsys.readouterr().err
    assert code == 1 and "nmae" in err and "birth_date" in err


def test_edit_show_delete_roundtrip(tmp_path, capsys):
    db = str(tmp_path / "l.json")
    assert cli_main(["--db", db, "add", "event", "title=重阳节慰问", "date=2026.10.18",
                     "category=慰问活动", "recurrence=每年农历"]) == 0
    rid = capsys.readouterr().out.strip().splitlines()[-1]
    assert cli_main(["--db", db, "edit", "event", rid, "location=学校礼堂"]) == 0
    capsys.readouterr()
    assert cli_main(["show", "event", rid, "--json", "--db", db]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["location"] == "学校礼堂" and shown["date"] == "2026-10-18"
    assert cli_main(["--db", db, "delete", "event", rid]) == 0
    assert cli_main(["--db", db, "show", "event", rid]) == 1
    assert "没有编号为" in capsys.readouterr().err


def test_fields_json_describes_every_field():
    out = run("fields", "member", "--json")
    specs = {s["name"]: s for s in json.loads(out.stdout)}
    for name in ("name", "school", "gender", "birth_date", "phone", "status", "notes"):
        assert name in specs
    assert specs["name"]["label"] == "姓名"
    assert specs["id_number"]["syncs"] is False and specs["phone"]["syncs"] is True
    visit = {s["name"]: s for s in json.loads(run("fields", "visit", "--json").stdout)}
    assert {"member_id", "date", "reason", "amount", "school", "notes"} <= set(visit)
    assert "生病住院" in visit["reason"]["choices"]


@pytest.mark.parametrize("args", [[], ["add"], ["list"], ["fields"], ["make-demo"]])
def test_help_at_every_level(args):
    out = run(*args, "--help")
    assert out.returncode == 0 and "用法：" in out.stdout
    assert "usage:" not in out.stdout and "options:" not in out.stdout and "show this help" not in out.stdout
    out = run("--lang", "en", *args, "--help")
    assert out.returncode == 0 and "usage:" in out.stdout and "用法" not in out.stdout


def test_second_program_on_the_same_ledger_is_told(tmp_path):
    from domain.store import Ledger

    db = tmp_path / "l.json"
    with Ledger.open(db) as ledger:
        ledger.add("member", {"name": "张三"})
        out = run("add", "member", "name=李四", db=db)
        assert out.returncode == 1 and "正被另一个程序使用" in out.stderr and "进程 ?" not in out.stderr
        listed = run("list", "member", "--json", db=db)  # a reader needs no lock
        assert listed.returncode == 0 and [r["name"] for r in json.loads(listed.stdout)] == ["张三"]


def test_english_on_request(tmp_path):
    out = run("--lang", "en", "add", "member", "name=Li", "birth_date=yesterday", db=tmp_path / "l.json")
    assert out.returncode == 1 and "Birth date(birth_date)" in out.stderr and "2025-03-08" in out.stderr


def test_demo_ledger_is_made_on_first_use_and_is_realistic(tmp_path):
    out = run("--demo", "list", "member", "--json")
    members = json.loads(out.stdout)
    names = [m["name"] for m in members]
    assert any(n.startswith(s) for n in names for s in "曾单区仇翟解查")
    assert len(names) != len(set(names))  # same-name pairs
    assert any(m["employment"] == "退休" for m in members)
    assert any(m["hardship"] for m in members)
    events = json.loads(run("--demo", "list", "event", "--json").stdout)
    assert {"每年农历", "每两周", "每月", "每学期"} <= {e["recurrence"] for e in events}
    visits = json.loads(run("--demo", "list", "visit", "--json").stdout)
    from domain.config import load_config

    assert {v["reason"] for v in visits} == set(load_config().choices("visit_reasons"))


def test_visit_over_a_configured_cap_is_saved_with_a_warning(tmp_path):
    db = tmp_path / "l.json"
    member = run("add", "member", "name=单田芳", db=db).stdout.strip().splitlines()[-1]
    out = run("add", "visit", f"member_id={member}", "date=2025-05-01", "reason=结婚生育", "amount=800", db=db)
    assert out.returncode == 0
    assert "注意" in out.stderr and "800.00" in out.stderr and "600.00" in out.stderr
    ok = run("add", "visit", f"member_id={member}", "date=2025-05-01", "reason=结婚生育", "amount=600", db=db)
    assert ok.returncode == 0 and ok.stderr == ""
    assert len(json.loads(run("list", "visit", "--json", db=db).stdout)) == 2


def test_language_setting_in_the_configuration(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('language = "en"\n', encoding="utf-8")
    monkeypatch.setenv("LEDGER_CONFIG", str(config))
    out = run("add", "member", "name=Li", "phone=123", db=tmp_path / "l.json")
    assert out.returncode == 1 and "Mobile(phone)" in out.stderr


def test_history_speaks_the_interface_language(tmp_path):
    db = tmp_path / "l.json"
    rid = run("add", "member", "name=张三", db=db).stdout.strip().splitlines()[-1]
    run("edit", "member", rid, "phone=13900139000", db=db)
    zh = run("history", "member", rid, db=db).stdout
    assert "手机" in zh and "建立" in zh and "本机" in zh and "phone" not in zh and "local" not in zh
    en = run("--lang", "en", "history", "member", rid, db=db).stdout
    assert "Mobile" in en or "phone" in en.lower()
    assert "created" in en and "建立" not in en


def _ids(kind, db):
    return [r["id"] for r in json.loads(run("list", kind, "--json", db=db).stdout)]


def test_a_second_member_with_the_same_id_number_is_refused_naming_the_first(tmp_path):
    db = tmp_path / "l.json"
    first = run("add", "member", "name=张三", "id_number=11010519491231002X", db=db)
    assert first.returncode == 0, first.stderr
    again = run("add", "member", "name=张叁", "id_number=11010519491231002X", db=db)
    assert again.returncode == 1 and "张三" in again.stderr and first.stdout.split()[-1] in again.stderr
    assert len(_ids("member", db)) == 1


def test_a_likely_duplicate_warns_and_strict_refuses_with_exit_3(tmp_path):
    db = tmp_path / "l.json"
    run("add", "member", "name=李四", "phone=13800138000", db=db)
    warned = run("add", "member", "name=李四", "phone=13800138000", "--json", db=db)
    assert warned.returncode == 0 and "同名同手机" in warned.stderr
    assert "同名同手机" in json.loads(warned.stdout)["warnings"][0]
    strict = run("add", "member", "name=李四", "phone=138 0013 8000", "--strict", db=db)
    assert strict.returncode == 3 and "--strict" in strict.stderr
    assert len(_ids("member", db)) == 2


def test_a_visit_over_its_cap_warns_and_strict_refuses_writing_nothing(tmp_path):
    db = tmp_path / "l.json"
    mid = run("add", "member", "name=王五", db=db).stdout.split()[-1]
    args = ["add", "visit", f"member_id={mid}", "date=2026-03-08", "reason=生病住院", "amount=5000"]
    strict = run(*args, "--strict", db=db)
    assert strict.returncode == 3 and "上限" in strict.stderr and "生病住院" in strict.stderr
    assert _ids("visit", db) == []
    saved = run(*args, "--json", db=db)
    assert saved.returncode == 0 and json.loads(saved.stdout)["warnings"]
    assert _ids("visit", db) == [json.loads(saved.stdout)["id"]]
