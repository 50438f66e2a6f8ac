"""Damage to the ledger's files: found, said in one message, and repaired.

For each case: either every acknowledged commit is there, or the open stops
with one message naming the file and what to run, changing nothing on disk;
``repair`` then recovers every commit whose line is intact and keeps the
damaged files aside."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain import snapshot
from domain.backups import backup_folder, make_backup
from domain.journal import LedgerDamaged, apply, decode_line
from domain.repair import repair
from domain.store import Ledger

FUNCTION_FIXTURES = [HealthCheck.function_scoped_fixture]
# Where in a file: drawn without knowing its length (ids and times make each build's differ).
POSITION = st.integers(0, 1 << 20)


def journal_of(path):
    return path.with_name(path.name + ".journal")


def build(path, *, snapshot_commits=4, journal_commits=6):
    """A ledger whose snapshot holds some commits and whose journal more, and
    no backup (the journal's salvage is on trial); returns the members as the
    user last saw them (id -> notes)."""
    try:
        return _build(path, snapshot_commits, journal_commits)
    finally:
        shutil.rmtree(backup_folder(path), ignore_errors=True)


def _build(path, snapshot_commits, journal_commits):
    with Ledger.open(path, school="莲峰小学") as led:
        for i in range(snapshot_commits):
            led.add("member", {"name": f"曾{i}", "notes": f"n{i}"})
        if snapshot_commits:
            led.compact()
        ids = [r["id"] for r in led.records("member")]
        for i in range(journal_commits):
            if i % 2 and ids:
                led.edit("member", ids[i % len(ids)], {"notes": f"edit{i}"})
            else:
                ids.append(led.add("member", {"name": f"李{i}", "notes": f"j{i}"})["id"])
        return members_of(led)


def members_of(led) -> dict[str, str]:
    return {r["id"]: r["notes"] for r in led.records("member")}


def journal_lines(path) -> list[bytes]:
    return journal_of(path).read_bytes().splitlines(keepends=True)


def replayed(tables: dict, original: list[bytes], skipped: set[int]) -> dict[str, str]:
    """The members ``tables`` plus every original journal line but ``skipped`` hold."""
    for number, raw in enumerate(original):
        if number not in skipped:
            apply(tables, decode_line(raw)[1])
    return {doc["id"]: doc["notes"] for doc in tables.get("member", {}).values()}


def snapshot_tables(path) -> dict:
    return snapshot.read(path)[1] if path.exists() else {}


def files_of(path) -> dict:
    """Every file but the lock (whose holder record a writer's open rewrites)."""
    return {p.name: p.read_bytes() for p in path.parent.iterdir() if p.is_file() and p.suffix != ".lock"}


def open_refused(path, match: str) -> str:
    """The open stops with one line naming what to run, and changes no file."""
    before = files_of(path)
    with pytest.raises(LedgerDamaged, match=match) as caught:
        Ledger.open(path)
    with pytest.raises(LedgerDamaged, match=match):
        Ledger.open(path, read_only=True)
    message = str(caught.value)
    assert "app.py --db" in message and ("repair" in message or "restore" in message)
    assert "\n" not in message
    assert files_of(path) == before
    return message


def repaired(path):
    plan, aside = repair(path)
    for kept in aside:
        assert kept.exists() and ".damaged-" in kept.name
    with Ledger.open(path) as led:
        return members_of(led), plan


def built(tmp_path_factory, name: str):
    """A fresh ledger for one example: (path, members seen, journal lines, journal bytes)."""
    path = tmp_path_factory.mktemp(name) / "ledger.json"
    seen = build(path)
    return path, seen, journal_lines(path), journal_of(path).read_bytes()


def line_ends(original: list[bytes]) -> list[int]:
    ends, total = [], 0
    for raw in original:
        total += len(raw)
        ends.append(total)
    return ends


def test_torn_last_line_is_cut_and_every_acknowledged_commit_stays(ledger_path):
    seen = build(ledger_path)
    with open(journal_of(ledger_path), "ab") as fh:
        fh.write(b'0badc0de {"seq":99,"ops":[["member"')
    with Ledger.open(ledger_path) as led:
        assert members_of(led) == seen
    assert journal_of(ledger_path).read_bytes().endswith(b"\n")


def test_a_reader_leaves_a_torn_last_line_on_disk(ledger_path):
    seen = build(ledger_path)
    with open(journal_of(ledger_path), "ab") as fh:
        fh.write(b"0badc0de {")
    size = journal_of(ledger_path).stat().st_size
    with Ledger.open(ledger_path, read_only=True) as led:
        assert members_of(led) == seen
    assert journal_of(ledger_path).stat().st_size == size


def test_bad_complete_last_line_stops_the_open_and_repair_keeps_the_rest(ledger_path):
    build(ledger_path)
    original = journal_lines(ledger_path)
    journal_of(ledger_path).write_bytes(b"".join(original[:-1]) + original[-1].replace(b"edit", b"EDIT"))
    open_refused(ledger_path, f"第 {len(original)} 行已损坏")
    expected = replayed(snapshot_tables(ledger_path), original, {len(original) - 1})
    after, plan = repaired(ledger_path)
    assert after == expected
    [lost] = plan.lost
    assert lost.line == len(original) and lost.items and lost.at


def test_two_lines_joined_are_found_and_both_recovered(ledger_path):
    seen = build(ledger_path)
    original = journal_lines(ledger_path)
    joined = original[:2] + [original[2][:-1] + original[3]] + original[4:]
    journal_of(ledger_path).write_bytes(b"".join(joined))
    open_refused(ledger_path, "第 3 行已损坏")
    after, plan = repaired(ledger_path)
    assert after == seen and plan.lost == []


@settings(max_examples=30, deadline=None, suppress_health_check=FUNCTION_FIXTURES)
@given(data=st.data())
def test_a_flipped_byte_anywhere_in_the_journal_is_found_or_harmless(tmp_path_factory, data):
    path, seen, original, raw = built(tmp_path_factory, "flip")
    raw = bytearray(raw)
    at = data.draw(POSITION, label="byte") % len(raw)
    raw[at] ^= data.draw(st.sampled_from([0x01, 0x20, 0x80, 0xFF]), label="mask")
    journal_of(path).write_bytes(bytes(raw))
    try:
        with Ledger.open(path) as led:  # only a harmless change opens: then all is there
            assert members_of(led) == seen
        return
    except LedgerDamaged as exc:
        assert "app.py --db" in str(exc)
    ends = line_ends(original)
    hit = next(n for n, end in enumerate(ends) if at < end)
    # A changed newline only runs two whole lines together: both come back.
    skipped = set() if at == ends[hit] - 1 else {hit}
    expected = replayed(snapshot_tables(path), original, skipped)
    assert repaired(path)[0] == expected


@settings(max_examples=30, deadline=None, suppress_health_check=FUNCTION_FIXTURES)
@given(data=st.data())
def test_a_journal_cut_anywhere_is_found_or_loses_nothing_acknowledged(tmp_path_factory, data):
    path, seen, original, raw = built(tmp_path_factory, "cut")
    cut = data.draw(POSITION, label="cut") % len(raw)
    journal_of(path).write_bytes(raw[:cut])
    open_refused(path, "不完整")
    # A line cut just before its newline is whole: its checksum proves it.
    whole = sum(1 for end in line_ends(original) if end - 1 <= cut)
    expected = replayed(snapshot_tables(path), original[:whole], set())
    acknowledged = snapshot.read(path)[0]["seq"] + len(original)
    after, plan = repaired(path)
    assert after == expected
    if whole < len(original):
        assert plan.lost[-1].seqs[1] == acknowledged  # named lost, up to the last acknowledged
    else:
        assert after == seen


def test_journal_deleted_with_no_snapshot_stops_the_open(ledger_path):
    build(ledger_path, snapshot_commits=0)
    journal_of(ledger_path).unlink()
    message = open_refused(ledger_path, "不见了")
    assert "已确认保存过" in message


def test_journal_deleted_beside_a_snapshot_stops_the_open_and_repair_keeps_the_snapshot(ledger_path):
    build(ledger_path)
    tables = snapshot_tables(ledger_path)
    journal_of(ledger_path).unlink()
    open_refused(ledger_path, "台账日志 .* 不见了")
    after, plan = repaired(ledger_path)
    assert after == replayed(tables, [], set())
    assert plan.lost and plan.lost[-1].seqs == (6, 11)  # 1 school + 4 adds in the snapshot, 6 lost


def test_an_emptied_journal_after_compaction_may_go(ledger_path):
    seen = build(ledger_path, journal_commits=0)
    journal_of(ledger_path).unlink()
    with Ledger.open(ledger_path) as led:
        assert members_of(led) == seen


@pytest.mark.parametrize("where", ["header", "body", "last"])
def test_snapshot_byte_changed_stops_the_open(ledger_path, where):
    build(ledger_path)
    raw = bytearray(ledger_path.read_bytes())
    at = {"header": 30, "body": raw.index(b"\n") + 40, "last": len(raw) - 2}[where]
    raw[at] ^= 0x01
    ledger_path.write_bytes(bytes(raw))
    open_refused(ledger_path, "台账快照 .*(损坏|不完整|长度)")


def test_snapshot_truncated_stops_the_open_and_repair_uses_the_newest_backup(ledger_path):
    with Ledger.open(ledger_path, school="莲峰小学") as led:
        kept = led.add("member", {"name": "曾小红", "notes": "在备份里"})
        make_backup(led, "manual")
        later = led.add("member", {"name": "李伟", "notes": "备份之后"})
        led.compact()
        last = led.add("member", {"name": "王芳", "notes": "日志里"})
    ledger_path.write_bytes(ledger_path.read_bytes()[:-10])
    open_refused(ledger_path, "台账快照 .* 不完整")
    plan, _ = repair(ledger_path)
    assert plan.base == "backup"
    with Ledger.open(ledger_path) as led:
        assert led.get("member", kept["id"])["notes"] == "在备份里"
        assert led.get("member", last["id"])["notes"] == "日志里"
        assert led.get("member", later["id"]) is None  # compacted away and not in the backup:
        assert led.kv_get("_meta", "restored")  # the next sync asks first
    assert any(lost.seqs for lost in plan.lost)  # ...and said to be lost


def test_snapshot_deleted_stops_the_open(ledger_path):
    build(ledger_path)
    ledger_path.unlink()
    open_refused(ledger_path, "台账快照 .* 不见了")


def test_snapshot_deleted_after_compaction_with_an_empty_journal_stops_the_open(ledger_path):
    build(ledger_path, journal_commits=0)
    ledger_path.unlink()
    open_refused(ledger_path, "不见了")


def test_whole_ledger_deleted_beside_backups_stops_the_open(ledger_path):
    with Ledger.open(ledger_path, school="莲峰小学") as led:
        led.add("member", {"name": "曾小红"})
        backup = make_backup(led, "manual")
    for p in (ledger_path, journal_of(ledger_path), ledger_path.with_name(ledger_path.name + ".lock")):
        p.unlink(missing_ok=True)
    message = open_refused(ledger_path, "是空的，但 .* 里有它的备份")
    assert str(backup) in message and "restore" in message


@settings(max_examples=40, deadline=None, suppress_health_check=FUNCTION_FIXTURES)
@given(data=st.data())
def test_a_snapshot_changed_or_cut_anywhere_is_found_or_harmless(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("snap") / "ledger.json"
    seen = build(path, journal_commits=0)  # everything in the snapshot
    raw = bytearray(path.read_bytes())
    if data.draw(st.booleans(), label="cut"):
        raw = raw[: data.draw(POSITION, label="at") % len(raw)]
    else:
        raw[data.draw(POSITION, label="byte") % len(raw)] ^= data.draw(st.sampled_from([0x01, 0x20]))
    path.write_bytes(bytes(raw))
    try:
        with Ledger.open(path) as led:
            assert members_of(led) == seen  # e.g. a changed letter's case in the header's encoding name
    except LedgerDamaged as exc:
        assert "台账快照" in str(exc) or "台账日志" in str(exc)


def test_a_repair_stopped_before_the_journal_is_emptied_loses_nothing(ledger_path, monkeypatch):
    from domain import repair as repair_mod

    build(ledger_path)
    original = journal_lines(ledger_path)
    journal_of(ledger_path).write_bytes(b"".join(original[:2]) + b"garbage\n" + b"".join(original[3:]))
    expected = replayed(snapshot_tables(ledger_path), original, {2})
    real = snapshot.write_atomically

    def stop_at_the_journal(path, data):
        if path.name.endswith(".journal"):
            raise KeyboardInterrupt  # the process stops here
        real(path, data)

    monkeypatch.setattr(repair_mod.snapshot, "write_atomically", stop_at_the_journal)
    with pytest.raises(KeyboardInterrupt):
        repair(ledger_path)
    monkeypatch.undo()
    with Ledger.open(ledger_path, read_only=True) as reader:  # a reader already sees the repaired state
        assert members_of(reader) == expected
    with Ledger.open(ledger_path) as led:  # a writer finishes the job
        assert members_of(led) == expected
        led.add("member", {"name": "之后"})
    assert b"garbage" not in journal_of(ledger_path).read_bytes()
    with Ledger.open(ledger_path) as led:
        assert len(members_of(led)) == len(expected) + 1


def test_repair_takes_a_backup_holding_more_than_the_damaged_files(ledger_path):
    with Ledger.open(ledger_path, school="莲峰小学") as led:
        for i in range(4):
            led.add("member", {"name": f"曾{i}", "notes": f"n{i}"})
        seen = members_of(led)
        make_backup(led, "manual")
    data = journal_of(ledger_path).read_bytes()
    journal_of(ledger_path).write_bytes(data[: len(data) // 3])  # most of the journal gone
    ledger_path.with_name(ledger_path.name + ".lock").unlink()  # and the lock's record with it
    open_refused(ledger_path, "比它的备份 .*还少")
    after, plan = repaired(ledger_path)
    assert plan.base == "backup" and after == seen


def test_a_damaged_line_whose_commit_a_backup_holds_is_not_called_lost(ledger_path):
    with Ledger.open(ledger_path, school="莲峰小学") as led:
        first = led.add("member", {"name": "曾小红", "notes": "第一条"})
        make_backup(led, "manual")  # holds the first add
        led.add("member", {"name": "李伟"})
    original = journal_lines(ledger_path)  # school, first add, second add
    journal_of(ledger_path).write_bytes(original[0] + original[1].replace("第一条".encode(), "第二条".encode())
                                        + original[2])
    after, plan = repaired(ledger_path)
    assert plan.base == "backup" and plan.lost == []
    assert after[first["id"]] == "第一条" and len(after) == 2
