"""Private files whatever the umask: the ledger holds 身份证号, illness and income."""

from __future__ import annotations

import os
import stat

from pathlib import Path

import pytest

from domain.backups import backup_folder, make_backup
from domain.repair import repair
from domain.store import Ledger


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    old = os.umask(0)
    yield
    os.umask(old)


def test_everything_the_ledger_makes_is_private_under_umask_000(tmp_path, open_umask):
    folder = tmp_path / "data" / "union-ledger"
    path = folder / "ledger.json"
    with Ledger.open(path, school="莲峰小学") as ledger:
        ledger.add("member", {"name": "曾小红", "id_number": "11010519491231002X"})
        ledger.compact()
        ledger.add("member", {"name": "李伟"})
        backup = make_backup(ledger, "manual")
    made = [path, path.with_name("ledger.json.journal"), path.with_name("ledger.json.lock"), backup]
    assert {p.name: mode(p) for p in made} == {p.name: 0o600 for p in made}
    assert mode(folder) == 0o700 and mode(folder.parent) == 0o700
    assert mode(backup_folder(path)) == 0o700


def test_repair_keeps_files_private_under_umask_000(ledger_path, open_umask):
    with Ledger.open(ledger_path, school="莲峰小学") as ledger:
        ledger.add("member", {"name": "曾小红"})
    journal = ledger_path.with_name(ledger_path.name + ".journal")
    journal.write_bytes(journal.read_bytes().replace(b"\xe6\x9b\xbe", b"\xe6\x9b\xbf"))
    _, aside = repair(ledger_path)
    for p in (ledger_path, journal, *aside):
        assert mode(p) == 0o600, p


def test_the_programs_own_data_folder_made_by_an_older_version_is_tightened(tmp_path):
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("union-ledger", appauthor=False))  # under this test's XDG_DATA_HOME
    folder.mkdir(parents=True)
    os.chmod(folder, 0o755)
    with Ledger.open(folder / "ledger.json", school="莲峰小学") as ledger:
        assert any(str(folder) in n for n in ledger.notices)
    assert mode(folder) == 0o700


def test_an_existing_folder_given_by_db_is_left_alone(tmp_path, open_umask):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)
    with Ledger.open(shared / "ledger.json"):
        pass
    assert mode(shared) == 0o755


def test_a_ledger_readable_by_others_is_tightened_and_the_user_told_once(ledger_path):
    with Ledger.open(ledger_path, school="莲峰小学") as ledger:
        ledger.add("member", {"name": "曾小红"})
        ledger.compact()
    for p in ledger_path.parent.iterdir():
        if p.is_file():
            os.chmod(p, 0o644)
    with Ledger.open(ledger_path, read_only=True) as reader:
        told = reader.notices
    assert len(told) == 3 and all("其他用户也能读取，已改为只有你能读写" in n for n in told)
    assert mode(ledger_path) == 0o600
    with Ledger.open(ledger_path) as again:
        assert again.notices == []
