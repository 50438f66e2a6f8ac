"""app.py import member|visit|plan: the options and the --json shape are a contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from domain.backups import list_backups
from domain.store import Ledger
from tests.import_helpers import ledger_bytes, person, roster_rows, roster_xlsx

ROOT = Path(__file__).resolve().parents[1]
PLANS = ROOT / "tests" / "fixtures" / "import" / "plans"


def run(*args, stdin: str | None = None):
    return subprocess.run([sys.executable, str(ROOT / "app.py"), *map(str, args)], cwd=ROOT, input=stdin, check=False,
                          capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "LEDGER_LANG": "zh",
                                                               "HOME": str(ROOT / ".no-home")})


def make_ledger(tmp_path) -> Path:
    db = tmp_path / "ledger.json"
    with Ledger.open(db, school="莲峰小学") as ledger:
        ledger.add("member", {"name": "王芳", "phone": "13800138000"})
    return db


def test_dry_run_json_shape_and_nothing_written(tmp_path):
    db = make_ledger(tmp_path)
    roster = roster_xlsx(tmp_path / "名册.xlsx", roster_rows([person(i) for i in range(1, 4)]), numbers_as_ids=(1,))
    before = ledger_bytes(db)
    out = run("--db", db, "import", "member", roster, "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"file", "sheet", "header_row", "encoding", "mapping", "rows", "counts"}
    assert (data["sheet"], data["header_row"], data["encoding"]) == ("教职工名单", 3, None)
    assert data["mapping"][1] == {"column": "B", "header": "姓名", "field": "name"}
    assert data["mapping"][0]["field"] is None
    assert {k for row in data["rows"] for k in row} == {"row", "status", "member_id", "fields", "errors", "warnings"}
    assert [(r["row"], r["status"]) for r in data["rows"]] == [(4, "new"), (5, "error"), (6, "new")]
    assert data["rows"][1]["errors"][0]["field"] == "id_number"
    assert set(data["rows"][1]["errors"][0]) == {"field", "value", "why"}
    assert data["counts"] == {"new": 2, "update": 0, "duplicate": 0, "skip": 0, "error": 1}
    assert ledger_bytes(db) == before


def test_commit_text_output_and_errors_out(tmp_path):
    db = make_ledger(tmp_path)
    roster = roster_xlsx(tmp_path / "名册.xlsx", roster_rows([person(i) for i in range(1, 4)]), numbers_as_ids=(1,))
    errors = tmp_path / "错误.xlsx"
    out = run("import", "member", roster, "--commit", "--errors-out", errors, "--db", db)
    assert out.returncode == 0, out.stderr
    assert "合计：新增 2，更新 0，可能重复 0，跳过 0，错误 1" in out.stdout
    assert "第 5 行  错误" in out.stdout and "请按身份证重新录入" in out.stdout
    assert "备份" in out.stdout and errors.is_file()
    with Ledger.open(db, read_only=True) as ledger:
        assert ledger.count("member") == 3
    again = json.loads(run("--db", db, "import", "member", roster, "--json", "--on-duplicate", "update").stdout)
    assert again["counts"] == {"new": 0, "update": 0, "duplicate": 0, "skip": 2, "error": 1}


def test_a_commit_with_nothing_to_write_says_so_and_shows_no_python_value(tmp_path):
    db = make_ledger(tmp_path)
    roster = roster_xlsx(tmp_path / "名册.xlsx", roster_rows([person(i) for i in range(1, 3)]))
    first = run("--db", db, "import", "member", roster, "--commit")
    assert first.returncode == 0, first.stderr
    assert "已写入台账（导入前的备份：" in first.stdout and "None" not in first.stdout
    before, backups = _without_lock(db), len(list_backups(db))
    again = run("--db", db, "import", "member", roster, "--commit")
    assert again.returncode == 0, again.stderr
    assert "没有需要写入的行，台账没有改动" in again.stdout
    assert "None" not in again.stdout and "已写入" not in again.stdout
    english = run("--lang", "en", "--db", db, "import", "member", roster, "--commit")
    assert english.returncode == 0, english.stderr
    assert "no rows to write; the ledger is unchanged" in english.stdout and "None" not in english.stdout
    assert (_without_lock(db), len(list_backups(db))) == (before, backups)  # nothing written, no backup


def _without_lock(db: Path) -> dict[str, bytes]:
    return {name: data for name, data in ledger_bytes(db).items() if not name.endswith(".lock")}


def test_a_damaged_file_is_one_plain_line_without_the_library_text(tmp_path):
    db = make_ledger(tmp_path)
    for what, name in (("member", "名册.xlsx"), ("plan", "计划.docx")):
        broken = tmp_path / name
        broken.write_bytes(b"not a zip archive at all")
        out = run("--db", db, "import", what, broken)
        assert out.returncode == 1 and len(out.stderr.strip().splitlines()) == 1, out.stderr
        assert name in out.stderr and "另存为" in out.stderr, out.stderr
        assert not any(word in out.stderr for word in ("EOCD", "Zip", "Package", "Error", "None")), out.stderr


def test_map_option_and_bad_input_messages(tmp_path):
    db = make_ledger(tmp_path)
    csv = tmp_path / "r.csv"
    csv.write_text("名,联络\n张三,13900139000\n", encoding="utf-8")
    out = run("--db", db, "import", "member", csv, "--header-row", "1", "--map", "名=name", "--map", "联络=phone",
              "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["rows"][0]["status"] == "new"
    bad = run("--db", db, "import", "member", csv, "--map", "名=nom")
    assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 1 and "name" in bad.stderr
    wrong = run("--db", db, "import", "plan", csv, "--sheet", "x")
    assert wrong.returncode == 1 and "--sheet" in wrong.stderr
    missing = run("--db", db, "import", "visit", tmp_path / "nope.xlsx")
    assert missing.returncode == 1 and "nope.xlsx" in missing.stderr


def test_plan_json_commit_and_stdin(tmp_path):
    db = make_ledger(tmp_path)
    out = run("--db", db, "import", "plan", PLANS / "seed_000.txt", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["year"] == 2025 and len(data["items"]) == 22
    assert data["items"][2] == {"months": [3], "title": "三八节活动", "category": "节日活动",
                                "date": "2025-03-08", "date_known": True}
    pasted = run("--db", db, "import", "plan", "-", "--year", "2026", "--commit", stdin="三月：读书活动\n四月：植树\n")
    assert pasted.returncode == 0, pasted.stderr
    assert "3月（待定）" in pasted.stdout and "已添加 2 项活动" in pasted.stdout
    with Ledger.open(db, read_only=True) as ledger:
        assert sorted((e["date"], e["date_tbd"]) for e in ledger.records("event")) == \
            [("2026-03-01", "是"), ("2026-04-01", "是")]


def test_the_errors_file_is_readable_by_its_owner_only(tmp_path):
    import os
    import stat

    from domain.importing import ImportOptions, plan_import, write_errors
    from domain.store import Ledger

    csv = tmp_path / "名册.csv"
    csv.write_text("姓名,身份证号\n张三,110105194912310000\n", encoding="utf-8")
    old = os.umask(0)
    try:
        with Ledger.open(tmp_path / "l.json") as ledger:
            plan = plan_import("member", ledger, csv, ImportOptions())
            assert write_errors(plan, tmp_path / "错误行.xlsx") == 1
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "错误行.xlsx").stat().st_mode) == 0o600
