"""Text made safe and measured for a terminal.

``printable`` is the second line of defence behind validation: plain-text
output never writes a control character raw (an ESC or BEL sequence typed into
a sheet cell could set a window title or clear the screen), so each such
character is shown as its escape, ``\\x1b``.  ``display_width`` counts a CJK
character as two cells.
"""

from __future__ import annotations

import unicodedata

_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def _unsafe(ch: str) -> bool:
    code = ord(ch)
    return (code < 0x20 and ch not in "\t\n") or 0x7F <= code <= 0x9F or ch in _BIDI


def printable(text: str) -> str:
    if not any(_unsafe(ch) for ch in text):
        return text
    return "".join(ch.encode("unicode_escape").decode("ascii") if _unsafe(ch) else ch for ch in text)


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
