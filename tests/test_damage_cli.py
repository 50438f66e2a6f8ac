"""Each damage case as the user meets it on the command line: one line, exit 1,
no traceback; ``repair`` then opens the way again; backup, backups, restore."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from domain.store import Ledger

ROOT = Path(__file__).resolve().parents[1]


def app(db: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LEDGER_LANG": "zh"}
    return subprocess.run([sys.executable, str(ROOT / "app.py"), "--db", str(db), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def journal(db: Path) -> Path:
    return db.with_name(db.name + ".journal")


def build(db: Path) -> None:
    with Ledger.open(db, school="莲峰小学") as led:
        for i in range(3):
            led.add("member", {"name": f"曾{i}"})
        led.compact()
        for i in range(3):
            led.add("member", {"name": f"李{i}"})


def flip_middle(db):
    data = bytearray(journal(db).read_bytes())
    data[len(data) // 2] ^= 0x01
    journal(db).write_bytes(bytes(data))


def bad_last_line(db):
    data = journal(db).read_bytes()
    journal(db).write_bytes(data[:-3] + bytes([data[-3] ^ 0x01]) + data[-2:])


def joined(db):
    data = journal(db).read_bytes()
    journal(db).write_bytes(data.replace(b"\n", b"", 1))


def truncated(db):
    data = journal(db).read_bytes()
    journal(db).write_bytes(data[: len(data) // 2])


def snapshot_byte(db):
    data = bytearray(db.read_bytes())
    data[len(data) // 2] ^= 0x01
    db.write_bytes(bytes(data))


CASES = {
    "flipped byte in the middle": (flip_middle, "已损坏（校验不符）"),
    "bad complete last line": (bad_last_line, "第 3 行已损坏"),
    "two lines joined": (joined, "第 1 行已损坏"),
    "journal truncated": (truncated, "不完整"),
    "journal deleted": (lambda db: journal(db).unlink(), "台账日志 .* 不见了"),
    "snapshot byte changed": (snapshot_byte, "台账快照 .* 已损坏"),
    "snapshot truncated": (lambda db: db.write_bytes(db.read_bytes()[:-20]), "台账快照 .* 不完整"),
    "snapshot deleted": (lambda db: db.unlink(), "台账快照 .* 不见了"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_damage_is_one_line_then_repair_opens_the_way(tmp_path, case):
    import re

    db = tmp_path / "ledger.json"
    build(db)
    damage, expected = CASES[case]
    damage(db)
    listed = app(db, "list", "member")
    assert listed.returncode == 1 and "Traceback" not in listed.stderr
    [line] = listed.stderr.splitlines()
    assert line.startswith("错误：") and re.search(expected, line), line
    assert f"app.py --db {db} repair" in line
    fixed = app(db, "repair")
    assert fixed.returncode == 0 and "Traceback" not in fixed.stderr, fixed.stderr
    assert "原文件已另存为" in fixed.stdout
    assert app(db, "list", "member").returncode == 0


def test_the_torn_tail_opens_without_a_word(tmp_path):
    db = tmp_path / "ledger.json"
    build(db)
    with open(journal(db), "ab") as fh:
        fh.write(b'12345678 {"seq":')
    listed = app(db, "list", "member")
    assert listed.returncode == 0 and listed.stderr == "" and "共 6 条" in listed.stdout


def test_backup_backups_and_restore_round_trip(tmp_path):
    db = tmp_path / "ledger.json"
    assert app(db, "add", "member", "name=曾小红").returncode == 0
    made = app(db, "backup")
    assert made.returncode == 0
    path = Path(made.stdout.splitlines()[-1])
    assert path.exists() and path.parent == tmp_path / "backups"
    listed = json.loads(app(db, "backups", "--json").stdout)
    assert {"path", "made", "reason", "counts", "size"} <= set(listed[-1])
    assert str(path) in {b["path"] for b in listed}
    assert app(db, "add", "member", "name=李伟").returncode == 0
    restored = app(db, "restore", str(path))
    assert restored.returncode == 0 and "已从备份" in restored.stdout
    names = [r["name"] for r in json.loads(app(db, "list", "member", "--json").stdout)]
    assert names == ["曾小红"]
    reasons = [b["reason"] for b in json.loads(app(db, "backups", "--json").stdout)]
    assert "before-restore" in reasons
    table = app(db, "backups").stdout
    assert "恢复前" in table and "手动" in table


def test_restore_of_a_ledger_deleted_beside_its_backups(tmp_path):
    db = tmp_path / "ledger.json"
    assert app(db, "add", "member", "name=曾小红").returncode == 0
    for p in (db, journal(db), db.with_name(db.name + ".lock")):
        p.unlink(missing_ok=True)
    refused = app(db, "list", "member")
    assert refused.returncode == 1 and "restore" in refused.stderr
    backup = json.loads(app(db, "backups", "--json").stdout)[-1]["path"]
    assert app(db, "restore", backup).returncode == 0
    assert "曾小红" in app(db, "list", "member").stdout
