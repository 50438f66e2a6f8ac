"""Private files: the ledger holds 身份证号, illness and income.

Every file the program makes with personal data or a credential is 0600 and
every folder it makes 0700, whatever the umask (``os.open``'s mode passes
through the umask, so the mode is set again with ``fchmod``/``chmod``).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

FILE_MODE = 0o600
DIR_MODE = 0o700


def open_private(path: Path, flags: int) -> int:
    """``os.open`` with the file made 0600 (a new one, or an existing one)."""
    fd = os.open(path, flags | os.O_CREAT, FILE_MODE)
    try:
        if os.name == "posix" and stat.S_IMODE(os.fstat(fd).st_mode) != FILE_MODE:
            os.fchmod(fd, FILE_MODE)
    except BaseException:
        os.close(fd)
        raise
    return fd


def create_private(path: Path) -> BinaryIO:
    """A new or emptied file for writing, 0600."""
    return os.fdopen(open_private(path, os.O_WRONLY | os.O_TRUNC), "wb")


def append_private(path: Path) -> BinaryIO:
    return os.fdopen(open_private(path, os.O_WRONLY | os.O_APPEND), "ab")


def make_private_dir(path: Path) -> bool:
    """Make ``path`` (and missing parents) 0700; True if it was made now.

    A folder that already exists is left alone: ``--db`` may point into a
    shared folder that is not ours to change."""
    path = Path(path)
    if path.is_dir():
        return False
    missing = [p for p in (path, *path.parents) if not p.exists()]
    path.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        for made in missing:
            os.chmod(made, DIR_MODE)
    return True


def tighten(path: Path, mode: int = FILE_MODE) -> bool:
    """Take away others' access to an existing file or folder; True if it had any."""
    try:
        current = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return False
    if os.name != "posix" or not current & 0o077:
        return False
    os.chmod(path, current & 0o700 | (mode & 0o700))
    return True
