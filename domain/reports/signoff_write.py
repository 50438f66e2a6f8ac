"""The sign-off sheet to a file: .xlsx or .pdf by the file's suffix."""

from __future__ import annotations

from pathlib import Path

from domain.exporting.files import write_whole
from domain.i18n import register, tr
from domain.reports.signoff import SignoffError, SignoffSheet

register({
    "signoff.bad_format": ("签领表只能保存为 .xlsx 或 .pdf，不能是“{suffix}”；可用：{formats}",
                           "a sign-off sheet is saved as .xlsx or .pdf, not {suffix!r}; use one of: {formats}"),
})

SIGNOFF_FORMATS = ("xlsx", "pdf")


def write_signoff(path: Path, sheet: SignoffSheet) -> Path:
    """Written whole or not at all; a PDF needs a CJK font, looked for first (no font, no file)."""
    fmt = Path(path).suffix.lstrip(".").lower()
    if fmt == "pdf":
        from domain.reports.fonts import find_cjk_font
        from domain.reports.signoff_pdf import write_signoff_pdf

        font = find_cjk_font()
        return write_whole(path, lambda p: write_signoff_pdf(p, sheet, font))
    if fmt == "xlsx":
        from domain.reports.signoff_xlsx import write_signoff_xlsx

        return write_whole(path, lambda p: write_signoff_xlsx(p, sheet))
    raise SignoffError(tr("signoff.bad_format", suffix=Path(path).suffix or "-", formats="、".join(SIGNOFF_FORMATS)))
