"""A CJK TrueType font on this machine, to embed in a PDF.

A PDF that names a font without embedding it (reportlab's STSong-Light)
shows nothing in PDF.js viewers and makes Adobe Reader ask for a font
pack; the glyphs must be in the file.  Known files are looked for in the
usual font folders (Debian's fonts-wqy-zenhei and fonts-noto-cjk first);
``LEDGER_CJK_FONT`` names one directly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from domain.errors import UserError
from domain.i18n import register, tr

register({
    "font.missing": ("没有找到可嵌入 PDF 的中文字体；请安装 fonts-wqy-zenhei（sudo apt install fonts-wqy-zenhei）"
                     "或 fonts-noto-cjk，或用 LEDGER_CJK_FONT 指定字体文件；.xlsx 不需要字体，可改用 -o 文件名.xlsx",
                     "No Chinese font to embed in a PDF was found; install fonts-wqy-zenhei (sudo apt install "
                     "fonts-wqy-zenhei) or fonts-noto-cjk, or name a font file in LEDGER_CJK_FONT; "
                     ".xlsx needs no font: use -o FILE.xlsx"),
})

#: File names of CJK fonts fpdf2 embeds, best first, with the face inside a collection.
KNOWN_FONTS = (
    ("wqy-zenhei.ttc", 0),  # fonts-wqy-zenhei
    ("wqy-microhei.ttc", 0),  # fonts-wqy-microhei
    ("NotoSansCJK-Regular.ttc", 2),  # fonts-noto-cjk: face 2 is SC
    ("NotoSerifCJK-Regular.ttc", 2),
    ("NotoSansSC-Regular.otf", 0),
    ("DroidSansFallbackFull.ttf", 0),  # fonts-droid-fallback
    ("uming.ttc", 0),  # fonts-arphic-uming
    ("simhei.ttf", 0), ("simsun.ttc", 0), ("msyh.ttc", 0),  # Windows
    ("Arial Unicode.ttf", 0),  # macOS
)
FONT_DIRS = (
    "~/.local/share/fonts", "~/.fonts", "/usr/local/share/fonts", "/usr/share/fonts",
    "C:/Windows/Fonts", "/Library/Fonts", "/System/Library/Fonts/Supplemental",
)


class FontMissing(UserError):
    pass


@dataclass(frozen=True)
class FontFile:
    path: Path
    face: int = 0  # the font's number inside a .ttc collection


def _files_under(folders) -> dict[str, Path]:
    found: dict[str, Path] = {}
    wanted = {name for name, _ in KNOWN_FONTS}
    for folder in folders:
        root = Path(folder).expanduser()
        if not root.is_dir():
            continue
        for dirpath, _dirs, files in os.walk(root):
            for name in wanted.intersection(files):
                found.setdefault(name, Path(dirpath) / name)
    return found


def find_cjk_font(folders=None) -> FontFile:
    """The best CJK font found; ``FontMissing`` (naming the package to install) if none."""
    named = os.environ.get("LEDGER_CJK_FONT")
    if named and Path(named).is_file():
        return FontFile(Path(named))
    found = _files_under(FONT_DIRS if folders is None else folders)
    for name, face in KNOWN_FONTS:
        if name in found:
            return FontFile(found[name], face)
    raise FontMissing(tr("font.missing"))
