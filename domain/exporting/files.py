"""Writing an export file whole or not at all, private when it must be.

The file is written beside its target under a temporary name (made 0600 by
``tempfile``), then renamed over the target: a failure half-way (disk full,
a bad value) leaves any earlier file as it was and no torn one.  Every file
is 0600, whatever the umask: a roster, a calendar, a sign-off sheet all name
people (and their phones, money, visits); the owner still shares it as they wish.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from domain.errors import UserError
from domain.i18n import register, tr
from domain.privacy import FILE_MODE

register({
    "export.no_folder": ("文件夹 {folder} 不存在；请先建好它，或换一个保存位置",
                         "the folder {folder} does not exist; make it first or save elsewhere"),
})


class NoFolder(UserError, FileNotFoundError):
    pass


def write_whole(path: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(temp_path)`` then put the result at ``path``."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise NoFolder(tr("export.no_folder", folder=folder))
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    os.close(fd)
    temp_path = Path(temp)
    try:
        write(temp_path)
        os.chmod(temp_path, FILE_MODE)
        with open(temp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(temp_path, path)
    except BaseException:
        with suppress(FileNotFoundError):
            temp_path.unlink()
        raise
    return path
