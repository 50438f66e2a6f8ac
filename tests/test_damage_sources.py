"""Repair weighs every source: the snapshot, each backup, the files an earlier
repair set aside and every intact journal line.  QA's sequence, on the command
line: 张三, 李四 (a long note), 王五, ``backup``, 赵六, then one byte flipped in
the middle of 李四's journal line.  Whichever way the user repairs (default;
default then ``--backup``; ``--backup`` alone) all four come back and nothing is
called lost, because the backup holds 李四's commit and the journal the rest."""

from __future__ import annotations

import json
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.backups import list_backups, make_backup
from domain.repair import repair
from domain.store import Ledger
from tests.test_damage_cli import app, journal

NAMES = ["张三", "李四", "王五", "赵六"]


@pytest.fixture(scope="module")
def qa_ledger(tmp_path_factory):
    """QA's ledger, built once through the command line: (folder, the manual backup's name)."""
    db = tmp_path_factory.mktemp("qa") / "l.json"
    for name, extra in (("张三", []), ("李四", ["notes=" + "备" * 3000]), ("王五", [])):
        assert app(db, "add", "member", f"name={name}", *extra).returncode == 0
    made = app(db, "backup")
    assert made.returncode == 0
    backup = made.stdout.splitlines()[-1]
    assert app(db, "add", "member", "name=赵六").returncode == 0
    flip_in_line(db, 2)
    return db.parent, backup.rsplit("/", 1)[-1]


def flip_in_line(db, number: int, mask: int = 0x01) -> None:
    data = bytearray(journal(db).read_bytes())
    lines = data.split(b"\n")
    at = sum(len(line) + 1 for line in lines[: number - 1]) + len(lines[number - 1]) // 2
    data[at] ^= mask
    journal(db).write_bytes(bytes(data))


@pytest.fixture
def db(qa_ledger, tmp_path):
    folder, _ = qa_ledger
    shutil.copytree(folder, tmp_path / "copy")
    return tmp_path / "copy" / "l.json"


@pytest.fixture
def newest(qa_ledger, db):
    return db.parent / "backups" / qa_ledger[1]


def names(db) -> list[str]:
    listed = app(db, "list", "member", "--json")
    assert listed.returncode == 0, listed.stderr
    return sorted(r["name"] for r in json.loads(listed.stdout))


def repaired(db, *args: str) -> str:
    done = app(db, "repair", *args)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done.stdout


def test_the_damage_stops_the_open(db):
    refused = app(db, "list", "member")
    assert refused.returncode == 1 and "第 2 行已损坏" in refused.stderr


def test_default_repair_takes_the_backup_and_the_journal_after_it(db, newest):
    said = repaired(db)
    assert f"以备份 {newest} 为底" in said
    assert "没有丢失任何修改" in said and "无法恢复" not in said and "repair --backup" not in said
    assert names(db) == sorted(NAMES)


def test_repair_then_repair_from_the_backup_loses_nothing_the_first_recovered(db, newest):
    repaired(db)
    said = repaired(db, "--backup", str(newest))
    assert f"按要求以备份 {newest} 为底" in said and "快照不可用" not in said
    assert "无法恢复" not in said and "没有丢失任何修改" in said
    assert names(db) == sorted(NAMES)  # 赵六 comes from the journal the first repair set aside
    assert "没有丢失任何修改" in repaired(db, "--backup", str(newest))  # and a third time
    assert names(db) == sorted(NAMES)


def test_repair_from_the_backup_alone_calls_nothing_lost(db, newest):
    said = repaired(db, "--backup", str(newest))
    assert "无法恢复" not in said and "李四" not in said and "没有丢失任何修改" in said
    assert names(db) == sorted(NAMES)


def test_a_line_split_in_two_by_the_flip_is_covered_by_the_backup_too(db):
    lines = journal(db).read_bytes().split(b"\n")
    middle = lines[1][len(lines[1]) // 2]
    flip_in_line(db, 2, middle ^ 0x0A)  # QA's flipped byte becomes a newline instead
    assert len(journal(db).read_bytes().split(b"\n")) == len(lines) + 1
    said = repaired(db)
    assert "无法恢复" not in said and names(db) == sorted(NAMES)


def test_what_no_source_holds_is_still_named(db, newest):
    newest.unlink()  # the only copy of 李四's commit but the damaged line
    said = repaired(db)
    assert "无法恢复：日志第 2 行" in said and "即第 2 次修改" in said and "下次同步会先列出" in said
    assert names(db) == ["张三", "王五", "赵六"]


# ----- the same in the domain: a lossy repair's record, and copies it did not make

def four_members(path):
    with Ledger.open(path, school="莲峰小学") as led:
        ids = [led.add("member", {"name": n})["id"] for n in NAMES[:3]]
        backup = make_backup(led, "manual")
        ids.append(led.add("member", {"name": NAMES[3]})["id"])
    flip_in_line(path, 3)  # 李四 (line 1 is the school)
    return backup, ids


def members(path) -> list[str]:
    with Ledger.open(path) as led:
        return sorted(r["name"] for r in led.records("member"))


def test_a_commit_a_repair_lacked_comes_back_when_its_backup_does(ledger_path, tmp_path):
    backup, _ = four_members(ledger_path)
    shutil.move(backup.parent, tmp_path / "away")  # the first repair cannot see the backup
    plan, _ = repair(ledger_path)
    assert plan.lost_seqs == {3}
    assert members(ledger_path) == ["张三", "王五", "赵六"]
    shutil.rmtree(backup.parent)
    shutil.move(tmp_path / "away", backup.parent)
    plan, _ = repair(ledger_path)  # the lossy snapshot lacks 3; the backup plus the set-aside journal holds all
    assert plan.lost == [] and plan.base == "backup"
    assert members(ledger_path) == sorted(NAMES)
    plan, _ = repair(ledger_path)  # and a repair of that loses nothing either
    assert plan.lost == [] and members(ledger_path) == sorted(NAMES)


def test_a_journal_copy_no_repair_named_is_never_mixed_in(ledger_path):
    with Ledger.open(ledger_path, school="莲峰小学") as led:
        led.add("member", {"name": "曾小红"})
        make_backup(led, "manual")
    stranger = ledger_path.with_name(ledger_path.name + ".journal.damaged-20200101-000000")
    other = ledger_path.parent / "other" / "l.json"
    with Ledger.open(other, school="别的学校") as led:
        for name in ("甲", "乙", "丙"):
            led.add("member", {"name": name})
    shutil.copy(journal(other), stranger)  # another ledger's history, seq 1..4
    journal(ledger_path).write_bytes(journal(ledger_path).read_bytes()[:-5])
    plan, _ = repair(ledger_path)
    assert members(ledger_path) == ["曾小红"] and plan.lost == []


def test_backups_carry_the_repair_record_in_their_header(ledger_path):
    four_members(ledger_path)
    plan, aside = repair(ledger_path)
    with Ledger.open(ledger_path) as led:
        make_backup(led, "after-repair")
    from domain.snapshot import read_header

    record = read_header(list_backups(ledger_path)[-1].path)["repair"]
    assert record["repairs"] == [plan.seq] and {p.name for p in aside} <= set(record["aside"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_second_repair_never_loses_what_the_first_recovered(tmp_path_factory, data):
    """Random commits, compactions and backups, one damaged line, then two repairs
    (the second from any backup, as the user might name one): the second holds
    every record the first brought back, and calls lost no commit the first did not."""
    path = tmp_path_factory.mktemp("twice") / "l.json"
    with Ledger.open(path, school="莲峰小学") as led:
        for i in range(data.draw(st.integers(4, 9), label="commits")):
            led.add("member", {"name": f"曾{i}", "notes": "备" * data.draw(st.sampled_from([0, 500]))})
            step = data.draw(st.sampled_from(["", "", "backup", "compact"]), label=f"after {i}")
            if step == "backup":
                make_backup(led, "manual")
            elif step == "compact":
                led.compact()
    lines = journal(path).read_bytes().split(b"\n")[:-1]
    if lines:
        flip_in_line(path, data.draw(st.integers(1, len(lines)), label="line"))
    first, _ = repair(path)
    kept = members_of_state(path)
    backups = [None, *(b.path for b in list_backups(path))]
    named = data.draw(st.sampled_from(backups), label="named")
    second, _ = repair(path, backup=named)
    assert members_of_state(path) >= kept
    assert second.lost_seqs <= first.lost_seqs


def members_of_state(path) -> set[tuple[str, str]]:
    with Ledger.open(path, read_only=True) as led:
        return {(r["id"], r["notes"]) for r in led.records("member")}
