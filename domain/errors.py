"""One mapping from the program's errors to the sentence the user reads.

Errors the user can act on derive from ``UserError``; their text is already
the message (from a catalog).  ``user_message`` is what both faces call: it
gives that text, turns the write failures the disk can cause (full, read-only,
broken) into one line naming the folder, and returns None for anything else,
which is a bug and keeps its traceback.
"""

from __future__ import annotations

import errno
import os

from domain.i18n import register, tr

register({
    "error.disk_full": ("写入 {folder} 失败：磁盘已满。请腾出空间后再试，已保存的内容没有丢失。",
                        "Could not write to {folder}: the disk is full. Free some space and try again; nothing saved was lost."),
    "error.read_only": ("写入 {folder} 失败：该文件夹只读或没有写权限。",
                        "Could not write to {folder}: the folder is read-only or not writable."),
    "error.io": ("写入 {folder} 失败：磁盘读写出错（{error}）。请检查磁盘后再试。",
                 "Could not write to {folder}: the disk reported an error ({error}). Check the disk and try again."),
    "error.file": ("无法访问 {path}：{error}", "Cannot access {path}: {error}"),
})


class UserError(Exception):
    """An error whose text is the message to show: the user can act on it."""


_DISK_ERRORS = {
    errno.ENOSPC: "error.disk_full",
    errno.EDQUOT: "error.disk_full",
    errno.EROFS: "error.read_only",
    errno.EACCES: "error.read_only",
    errno.EPERM: "error.read_only",
    errno.EIO: "error.io",
}


def _folder(filename: object) -> str:
    if not filename:
        return "?"
    path = os.fspath(filename)
    return os.path.dirname(os.path.abspath(path)) or path


def os_error_message(exc: OSError) -> str:
    key = _DISK_ERRORS.get(exc.errno)
    if key is not None:
        return tr(key, folder=_folder(exc.filename), error=exc.strerror or exc)
    return tr("error.file", path=exc.filename or "?", error=exc.strerror or exc)


def user_message(exc: BaseException) -> str | None:
    """The user's one-line message for ``exc``, or None for a bug."""
    if isinstance(exc, UserError):
        return str(exc)
    if isinstance(exc, OSError) and (exc.filename or exc.errno in _DISK_ERRORS):
        return os_error_message(exc)  # a broken pipe (no file) is left to the caller
    return None
