"""Why a backup was made, as both faces show it."""

from __future__ import annotations

from domain.i18n import keys, register, tr

register({
    "backup.reason.open": ("打开时", "at open"),
    "backup.reason.periodic": ("定时", "periodic"),
    "backup.reason.exit": ("退出时", "at exit"),
    "backup.reason.manual": ("手动", "by hand"),
    "backup.reason.before-restore": ("恢复前", "before a restore"),
    "backup.reason.before-import": ("导入前", "before an import"),
    "backup.reason.import": ("导入前", "before an import"),
    "backup.reason.before-bulk-delete": ("批量删除前", "before a bulk delete"),
    "backup.reason.before-sync-delete": ("同步删除前", "before a sync deleting records"),
    "backup.reason.after-repair": ("修复后", "after a repair"),
})


def reason_label(reason: str) -> str:
    key = f"backup.reason.{reason}"
    return tr(key) if key in keys() else reason  # a reason named by another part of the program
