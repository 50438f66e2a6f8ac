"""Backups: checked copies beside the ledger, listed from their headers."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest

from domain import snapshot
from domain.backups import BackupFailed, backup_folder, check_backup, list_backups, make_backup, read_backup
from domain.store import Ledger


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_backup_holds_the_state_and_lists_without_loading(ledger, ledger_path):
    ledger.add("member", {"name": "曾小红", "id_number": "11010519491231002X"})
    ledger.add("member", {"name": "李伟"})
    made = make_backup(ledger, "manual")
    assert made.parent == ledger_path.parent / "backups"
    header, tables = read_backup(made)
    assert tables["member"] == ledger.state()["member"]
    assert header["seq"] == ledger.seq
    [info] = list_backups(ledger_path)
    assert info.path == made and info.reason == "manual"
    assert info.counts == {"member": 2, "event": 0, "visit": 0}
    assert info.size == made.stat().st_size
    assert abs((info.made - dt.datetime.now().astimezone()).total_seconds()) < 60


def test_backups_are_private_whatever_the_umask(ledger, ledger_path):
    old = os.umask(0)
    try:
        made = make_backup(ledger, "manual")
    finally:
        os.umask(old)
    assert _mode(made) == 0o600
    assert _mode(backup_folder(ledger_path)) == 0o700


def test_a_backup_failing_its_check_is_removed_and_never_listed(ledger, ledger_path, monkeypatch):
    ledger.add("member", {"name": "曾小红"})
    real_write = snapshot.write_atomically

    def write_then_damage(path, data):
        real_write(path, data)
        raw = bytearray(path.read_bytes())
        raw[-3] ^= 0x20  # one bit, inside the deflated body
        path.write_bytes(bytes(raw))

    monkeypatch.setattr(snapshot, "write_atomically", write_then_damage)
    with pytest.raises(BackupFailed, match="校验失败"):
        make_backup(ledger, "manual")
    assert list_backups(ledger_path) == []
    assert not list(backup_folder(ledger_path).iterdir())


def test_a_damaged_backup_on_disk_is_refused_by_its_check(ledger, ledger_path):
    ledger.add("member", {"name": "曾小红"})
    made = make_backup(ledger, "manual")
    made.write_bytes(made.read_bytes()[:-5])
    with pytest.raises(BackupFailed):
        check_backup(made)
    assert not made.exists()


def test_two_backups_in_one_second_are_both_kept(ledger, ledger_path):
    now = dt.datetime(2026, 3, 8, 9, 0, 0)
    first = make_backup(ledger, "manual", now=now)
    ledger.add("member", {"name": "曾小红"})
    second = make_backup(ledger, "manual", now=now)
    assert first != second
    assert [b.path for b in list_backups(ledger_path)] == [first, second]


def test_other_ledgers_backups_in_the_same_folder_are_not_listed(tmp_path):
    with Ledger.open(tmp_path / "a.json") as a, Ledger.open(tmp_path / "ab.json") as ab:
        a.add("member", {"name": "曾小红"})
        make_backup(a, "manual")
        make_backup(ab, "manual")
    assert [b.counts["member"] for b in list_backups(tmp_path / "a.json")] == [1]
    assert [b.counts["member"] for b in list_backups(tmp_path / "ab.json")] == [0]


# ----- when backups are made, which are kept, restoring

from domain.backup_policy import (Keep, backup_if_due, backup_now, clear_restored_marker, restore,  # noqa: E402
                                  restored_marker, thin, to_thin)
from domain.backups import BackupInfo  # noqa: E402


def _info(made: dt.datetime, seq: int = 1) -> BackupInfo:
    return BackupInfo(Path(f"/nowhere/{made:%Y%m%d-%H%M%S}.backup"), made, "periodic", {}, seq, 10)


def _kept(backups, today, keep=Keep(), bad=()):
    removed = {b.path for b in to_thin(backups, today, keep, good=lambda b: b.made not in bad)}
    return [b.made for b in backups if b.path not in removed]


def test_thinning_over_a_year_of_simulated_half_hourly_backups():
    today = dt.date(2026, 12, 1)
    start = dt.datetime(2025, 11, 1, 8, 0)
    backups = [_info(start + dt.timedelta(minutes=30 * i), i) for i in range(0, 396 * 48, 5)]
    kept = _kept(backups, today)
    recent = [m for m in kept if (today - m.date()).days <= 1]
    assert recent == [b.made for b in backups if (today - b.made.date()).days <= 1]  # today and yesterday: all
    older = sorted((m for m in kept if (today - m.date()).days > 1), reverse=True)
    assert len(older) == 12 + 10 + 9
    assert [m.date() for m in older[:12]] == [today - dt.timedelta(days=d) for d in range(2, 14)]  # 12 days
    assert len({m.isocalendar()[:2] for m in older[12:22]}) == 10  # then one a week for 10 weeks
    assert len({(m.year, m.month) for m in older[22:]}) == 9  # then one a month for 9 months
    assert older[-1] > dt.datetime(2025, 12, 31)  # and nothing older
    for m in older:  # each slot keeps the newest backup of its day
        assert m == max(b.made for b in backups if b.made.date() == m.date())


def test_the_newest_good_backup_is_never_thinned_even_when_old():
    today = dt.date(2026, 12, 1)
    old = [_info(dt.datetime(2024, 1, d, 9), d) for d in range(1, 20)]
    kept = _kept(old, today, Keep(daily=0, weekly=0, monthly=0))
    assert kept == [dt.datetime(2024, 1, 19, 9)]


def test_a_backup_failing_its_check_is_never_the_one_kept():
    today = dt.date(2026, 12, 1)
    backups = [_info(dt.datetime(2026, 11, 20, h), h) for h in (8, 12, 16)]
    bad = {dt.datetime(2026, 11, 20, 16)}  # the newest of its day: normally the one kept
    assert _kept(backups, today, bad=bad) == [dt.datetime(2026, 11, 20, 12)]
    recent = [_info(dt.datetime(2026, 12, 1, h), h) for h in (8, 9)]
    assert _kept(recent, today, bad={dt.datetime(2026, 12, 1, 9)}) == [dt.datetime(2026, 12, 1, 8)]


def test_thinning_on_disk_removes_files_and_keeps_the_newest(ledger, ledger_path):
    ledger.add("member", {"name": "曾小红"})
    for day in range(1, 30):
        make_backup(ledger, "periodic", now=dt.datetime(2026, 1, day, 9))
    gone = thin(ledger_path, Keep(daily=3, weekly=0, monthly=0), today=dt.date(2026, 3, 1))
    left = [b.made.day for b in list_backups(ledger_path)]
    assert left == [27, 28, 29] and len(gone) == 26 and not any(p.exists() for p in gone)


def test_backups_are_made_when_changed_and_at_most_every_interval(ledger_path):
    t0 = dt.datetime(2026, 3, 8, 9, 0).astimezone()
    with Ledger.open(ledger_path, school="莲峰小学") as ledger:
        assert backup_if_due(ledger, "open", now=t0) is not None  # changed, no backup yet
        assert backup_if_due(ledger, "periodic", now=t0 + dt.timedelta(minutes=40)) is None  # unchanged
        ledger.add("member", {"name": "曾小红"})
        assert backup_if_due(ledger, "periodic", now=t0 + dt.timedelta(minutes=10)) is None  # too soon
        assert backup_if_due(ledger, "periodic", now=t0 + dt.timedelta(minutes=31)) is not None
        ledger.add("member", {"name": "李伟"})
        assert backup_if_due(ledger, "exit", now=t0 + dt.timedelta(minutes=32), interval=False) is not None
        ledger.revision = 0  # nothing more this session: no exit backup
    assert [b.reason for b in list_backups(ledger_path)] == ["open", "periodic", "exit"]


def test_open_backs_up_a_ledger_changed_since_its_last_backup(ledger_path):
    with Ledger.open(ledger_path, school="莲峰小学") as ledger:
        ledger.add("member", {"name": "曾小红"})
    assert [b.reason for b in list_backups(ledger_path)] == ["exit"]
    for b in list_backups(ledger_path):
        b.path.unlink()
    with Ledger.open(ledger_path):
        pass
    assert [b.reason for b in list_backups(ledger_path)] == ["open"]


def test_a_long_running_program_backs_up_at_its_clean_exit(ledger_path):
    with Ledger.open(ledger_path, school="莲峰小学") as ledger:
        ledger.add("member", {"name": "曾小红"})
    with Ledger.open(ledger_path) as ledger:
        ledger.backup_at_exit = True
        ledger.add("member", {"name": "李伟"})  # minutes after the last backup
    assert [b.reason for b in list_backups(ledger_path)] == ["exit", "exit"]
    assert list_backups(ledger_path)[-1].counts["member"] == 2


def test_restore_round_trip_backs_up_first_and_asks_before_the_next_sync(ledger_path):
    with Ledger.open(ledger_path, school="莲峰小学") as ledger:
        kept = ledger.add("member", {"name": "曾小红", "notes": "备份时"})
        backup = backup_now(ledger, "manual")
        ledger.edit("member", kept["id"], {"notes": "之后改了"})
        later = ledger.add("member", {"name": "李伟"})
        said = restore(ledger, backup)
        assert "已从备份" in said and "before-restore" in said
        assert ledger.get("member", kept["id"])["notes"] == "备份时"
        assert ledger.get("member", later["id"]) is None
        assert restored_marker(ledger)["from"] == str(backup)
        ledger.add("member", {"name": "王芳"})  # the ledger goes on after a restore
    with Ledger.open(ledger_path) as again:
        assert sorted(r["name"] for r in again.records("member")) == ["曾小红", "王芳"]
        assert restored_marker(again) is not None
        clear_restored_marker(again)
    with Ledger.open(ledger_path) as again:
        assert restored_marker(again) is None
    before = [b for b in list_backups(ledger_path) if b.reason == "before-restore"]
    assert len(before) == 1 and before[0].counts["member"] == 2  # the state restore replaced


def test_restore_refuses_a_damaged_backup_and_changes_nothing(ledger_path):
    with Ledger.open(ledger_path, school="莲峰小学") as ledger:
        ledger.add("member", {"name": "曾小红"})
        backup = make_backup(ledger, "manual")
        backup.write_bytes(backup.read_bytes()[:-4])
        ledger.add("member", {"name": "李伟"})
        with pytest.raises(BackupFailed):
            restore(ledger, backup)
        assert ledger.count("member") == 2 and restored_marker(ledger) is None


def test_thinning_clears_what_a_killed_backup_left(ledger, ledger_path):
    ledger.add("member", {"name": "曾小红"})
    made = make_backup(ledger, "manual")
    left = made.with_name(made.name.replace("manual", "periodic") + ".tmp")
    left.write_bytes(b"half a backup")
    os.utime(left, (0, 0))
    fresh = made.with_name(made.name.replace("manual", "exit") + ".tmp")  # perhaps being written now
    fresh.write_bytes(b"being written")
    thin(ledger_path, Keep())
    assert not left.exists() and fresh.exists() and made.exists()
