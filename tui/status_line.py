"""The status line fitted to the terminal's width: every count it shows is whole.

Each part has its label, a shorter one and a rank.  When the line is too wide
every part takes its short label, least important first; if that is still not
enough the least important parts give way, whole (never ``待同步`` without its
number).  Textual-free: the app gives the width.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len

SEP = " · "


@dataclass(frozen=True)
class Part:
    full: str
    short: str = ""  # "" = no shorter label
    rank: int = 0  # the lower, the sooner it shortens and gives way


def fit(parts: list[Part], width: int) -> str:
    texts = [p.full for p in parts]
    shown = list(range(len(parts)))
    order = sorted(shown, key=lambda i: parts[i].rank)  # stable: equal ranks, left first

    def line() -> str:
        return SEP.join(texts[i] for i in shown)

    for i in order:
        if cell_len(line()) <= width:
            return line()
        texts[i] = parts[i].short or texts[i]
    for i in order:
        if cell_len(line()) <= width:
            return line()
        shown.remove(i)
    return line()
