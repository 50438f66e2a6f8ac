"""Backups: checked copies beside the ledger, listed from their headers."""

from __future__ import annotations

import datetime as dt
import os
import stat

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
