"""Disk full, I/O errors and a read-only folder: one clear line, no ghost write.

On a real tmpfs of a few hundred KiB where the machine allows mounting (CI
runs as root), and by ENOSPC/EIO injected at each write call everywhere."""

from __future__ import annotations

import errno
import os
import subprocess
from pathlib import Path

import pytest

from domain import journal as journal_mod
from domain.errors import user_message
from domain.journal import WriteFailed
from domain.store import Ledger

NOTE = "住院" * 400  # 2,400 bytes of UTF-8 a commit


def _mount(where: Path, *options: str) -> bool:
    where.mkdir(exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join(["size=300k", *options]), "tmpfs", str(where)],
                          capture_output=True)
    return done.returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    where = tmp_path / "disk"
    if os.geteuid() != 0 or not _mount(where):
        pytest.skip("mounting a tmpfs needs root; the injected-error tests below cover this machine")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _fill(ledger: Ledger) -> int:
    """Add members until the disk refuses; returns how many were saved."""
    saved = 0
    while True:
        try:
            ledger.add("member", {"name": f"曾{saved}", "notes": NOTE})
        except WriteFailed as exc:
            assert "磁盘已满" in str(exc) and str(ledger.path.parent) in str(exc)
            assert user_message(exc) == str(exc)
            return saved
        saved += 1


def _journal(path: Path) -> Path:
    return path.with_name(path.name + ".journal")


def test_disk_full_refuses_the_write_and_it_never_reappears(small_disk):
    path = small_disk / "ledger.json"
    ledger = Ledger.open(path, school="莲峰小学")
    saved = _fill(ledger)
    assert saved > 10
    size = _journal(path).stat().st_size
    assert size == ledger._files.journal_bytes  # put back to the last good length
    names = sorted(r["name"] for r in ledger.records("member"))
    with pytest.raises(WriteFailed):  # still full: refused again, nothing changes
        ledger.add("member", {"name": "幽灵", "notes": NOTE})
    assert sorted(r["name"] for r in ledger.records("member")) == names
    with Ledger.open(path, read_only=True) as reader:  # reads still work
        assert reader.count("member") == saved
    ledger.close()  # compaction cannot fit either: nothing lost, no temporary file
    assert not list(small_disk.glob("*.tmp"))
    with Ledger.open(path) as again:
        assert again.count("member") == saved
        assert "幽灵" not in {r["name"] for r in again.records("member")}


def test_space_freed_after_a_failed_write_brings_no_ghost(small_disk):
    filler = small_disk / "filler"
    filler.write_bytes(b"x" * 200_000)
    path = small_disk / "ledger.json"
    with Ledger.open(path, school="莲峰小学") as ledger:
        saved = _fill(ledger)
        filler.unlink()  # space comes back while the program still runs
        ledger.add("member", {"name": "之后", "notes": "短"})
    with Ledger.open(path) as again:
        names = [r["name"] for r in again.records("member")]
    assert len(names) == saved + 1 and names[-1] == "之后"


def test_a_failed_compaction_leaves_no_temporary_file_and_loses_nothing(small_disk):
    path = small_disk / "ledger.json"
    with Ledger.open(path, school="莲峰小学") as ledger:
        saved = _fill(ledger)
        with pytest.raises(WriteFailed, match="整理台账文件失败，台账内容没有丢失"):
            ledger.compact()
        assert not list(small_disk.glob("*.tmp"))
    with Ledger.open(path) as again:
        assert again.count("member") == saved


def test_a_read_only_folder_is_named_and_reads_still_work(tmp_path):
    where = tmp_path / "ro"
    if os.geteuid() != 0 or not _mount(where):
        pytest.skip("needs root to mount")
    try:
        path = where / "ledger.json"
        with Ledger.open(path, school="莲峰小学") as ledger:
            ledger.add("member", {"name": "曾小红"})
        subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)
        with pytest.raises(OSError) as caught:
            Ledger.open(path)
        assert user_message(caught.value).startswith(f"写入 {where} 失败：该文件夹只读")
        with Ledger.open(path, read_only=True) as reader:
            assert [r["name"] for r in reader.records("member")] == ["曾小红"]
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


# ----- injected errors, at each write call of a commit and of a compaction

class Failing:
    """Raise ``code`` at the ``n``th call of the os functions the files write with."""

    NAMES = ("write", "fsync", "ftruncate", "replace")

    def __init__(self, monkeypatch, n: int, code: int):
        self.calls, self.n, self.code = 0, n, code
        for name in self.NAMES:
            monkeypatch.setattr(os, name, self._wrap(getattr(os, name)))

    def _wrap(self, real):
        def call(*args, **kwargs):
            self.calls += 1
            if self.calls == self.n:
                raise OSError(self.code, os.strerror(self.code))
            return real(*args, **kwargs)
        return call


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO])
@pytest.mark.parametrize("n", [1, 2, 3])
def test_an_injected_failure_at_each_write_call_of_a_commit(ledger_path, monkeypatch, code, n):
    with Ledger.open(ledger_path, school="莲峰小学") as ledger:
        ledger.add("member", {"name": "曾小红"})
        before = _journal(ledger_path).read_bytes()
        with monkeypatch.context() as patched:
            Failing(patched, n, code)
            try:
                ledger.add("member", {"name": "李伟"})
                failed = False
            except WriteFailed as exc:
                failed = True
                assert str(ledger_path.parent) in str(exc)
        names = [r["name"] for r in ledger.records("member")]
    with Ledger.open(ledger_path) as again:
        reopened = [r["name"] for r in again.records("member")]
    if failed:  # refused: gone from memory and from disk alike
        assert names == reopened == ["曾小红"]
        assert _journal(ledger_path).read_bytes() == before
    else:  # the failing call was after the commit was durable (the lock record)
        assert names == reopened == ["曾小红", "李伟"]


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_an_injected_failure_at_each_write_call_of_a_compaction(ledger_path, monkeypatch, n):
    with Ledger.open(ledger_path, school="莲峰小学") as ledger:
        for i in range(5):
            ledger.add("member", {"name": f"曾{i}"})
        with monkeypatch.context() as patched:
            Failing(patched, n, errno.ENOSPC)
            try:
                ledger.compact()
            except WriteFailed:
                pass
        assert not list(ledger_path.parent.glob("*.tmp"))
        ledger.add("member", {"name": "之后"})
    with Ledger.open(ledger_path) as again:
        assert [r["name"] for r in again.records("member")] == [f"曾{i}" for i in range(5)] + ["之后"]


def test_a_failed_put_back_refuses_later_writes_until_reopened(ledger_path, monkeypatch):
    with Ledger.open(ledger_path, school="莲峰小学") as ledger:
        with monkeypatch.context() as patched:
            patched.setattr(journal_mod, "_write_all", _half_then_fail)
            patched.setattr(os, "ftruncate", _always(errno.EIO))
            with pytest.raises(WriteFailed):
                ledger.add("member", {"name": "李伟"})
        with pytest.raises(WriteFailed, match="重新打开"):
            ledger.add("member", {"name": "王芳"})
    with Ledger.open(ledger_path) as again:  # the half line was never acknowledged: cut
        assert again.count("member") == 0


def _half_then_fail(fd, data):
    os.write(fd, data[: len(data) // 2])
    raise OSError(errno.EIO, "I/O error")


def _always(code):
    def fail(*args):
        raise OSError(code, os.strerror(code))
    return fail


def test_read_only_open_writes_nothing_even_with_a_big_journal(ledger_path, monkeypatch):
    from domain import store

    monkeypatch.setattr(store, "COMPACT_MIN_BYTES", 0)
    with Ledger.open(ledger_path, school="莲峰小学") as ledger:
        for i in range(3):
            ledger.add("member", {"name": f"曾{i}"})
        ledger._files.close()  # crash: no compaction at close
        ledger._lock.close()
        ledger._files = None
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in ledger_path.parent.iterdir()}
    with monkeypatch.context() as patched:
        Failing(patched, 1, errno.EROFS)  # any write at all would fail the open
        with Ledger.open(ledger_path, read_only=True) as reader:
            assert reader.count("member") == 3
    after = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in ledger_path.parent.iterdir()}
    assert after == before


def test_the_command_line_on_a_full_disk_says_one_line_and_lists_after(small_disk):
    import sys

    root = Path(__file__).resolve().parents[1]
    path = small_disk / "ledger.json"
    with Ledger.open(path, school="莲峰小学") as ledger:
        ledger.add("member", {"name": "曾小红"})
    free = os.statvfs(small_disk)
    with open(small_disk / "filler", "wb") as fh:  # leave less than one commit line
        fh.write(b"x" * max(0, free.f_bavail * free.f_frsize - 512))

    def app(*args):
        env = {**os.environ, "PYTHONPATH": str(root)}
        return subprocess.run([sys.executable, str(root / "app.py"), "--db", str(path), *args], cwd=root,
                              env=env, capture_output=True, text=True, timeout=60)

    added = app("add", "member", "name=李伟", f"notes={NOTE * 4}")  # more than the journal's last page
    assert added.returncode == 1 and "Traceback" not in added.stderr
    [line] = added.stderr.splitlines()
    assert line.startswith("错误：这次修改没有保存。") and f"写入 {small_disk} 失败：磁盘已满" in line
    listed = app("list", "member")
    assert listed.returncode == 0 and "共 1 条" in listed.stdout
