"""Text made safe and measured for a terminal.

``printable`` is the second line of defence behind validation: plain-text
output never writes a control character raw (an ESC or BEL sequence typed into
a sheet cell could set a window title or clear the screen), so each such
character is shown as its escape, ``\\x1b``.  ``display_width`` counts a CJK
character as two cells; ``clip`` cuts a long value to one short line.
"""

from __future__ import annotations

import re
import unicodedata

from domain.clean_text import CONTROL_CHARS

_UNSAFE = re.compile(f"[{CONTROL_CHARS}\\r]")  # what validation refuses, and a lone CR (it overwrites the line)


def printable(text: str) -> str:
    """``text`` with each control character shown as its escape (TAB and LF kept)."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def clip(text: str, width: int = 40) -> str:
    """One line of at most ``width`` characters, the cut marked: a cell quoted in a
    message or shown beside others (a 50,000-character cell is never printed whole)."""
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"
