"""The command palette in the user's language, found by pinyin too.

``新增`` is found by ``新增``, by its initials ``xz`` and by its full pinyin
``xinzeng`` (or a start of it, ``xinz``); ``会员：新增`` by ``hyxz``.  Textual's
fuzzy matcher ranks hits on the title; a pinyin hit ranks just below an
exact one.  The placeholder and the "no matches" line come from the catalog.
"""

from __future__ import annotations

from functools import lru_cache

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, Hit, Hits
from textual.widgets.option_list import Option
from textual.system_commands import SystemCommandsProvider

from domain.i18n import register, tr

register({
    "palette.placeholder": ("搜索命令：中文、拼音首字母（xz）或全拼（xinzeng）",
                            "Search for commands (Chinese names also by pinyin: xz, xinzeng)"),
    "palette.no_matches": ("没有找到匹配的命令", "No matching command"),
})

PINYIN_SCORE = 0.9


@lru_cache(maxsize=512)
def pinyin_keys(title: str) -> tuple[str, str]:
    """(initials, full pinyin) of the Chinese characters of ``title``, lower case."""
    from pypinyin import Style, lazy_pinyin

    syllables = [s for s in lazy_pinyin(title, style=Style.NORMAL, errors="ignore") if s.isascii() and s.isalpha()]
    return "".join(s[0] for s in syllables).lower(), "".join(syllables).lower()


def pinyin_match(query: str, title: str) -> bool:
    q = query.strip().lower().replace(" ", "")
    if not q or not q.isascii():
        return False
    initials, full = pinyin_keys(title)
    return q in initials or q in full


class PinyinCommands(SystemCommandsProvider):
    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback, *_ in self.app.get_system_commands(self.screen):
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
            elif pinyin_match(query, name):
                yield Hit(PINYIN_SCORE, Text(name), callback, help=help_text)


class Palette(CommandPalette):
    """Textual's palette with its "No matches found" line in the catalog.

    Textual adds that line itself (a disabled option with a fixed id, half a
    second after a search finds nothing) with the English text inline; the
    results list's ``add_option`` is wrapped to put the catalog's text in
    instead, so none of Textual's code is copied.
    """

    def on_mount(self) -> None:
        results = self.query_one(CommandList)
        add = results.add_option

        def add_option(option=None):
            if isinstance(option, Option) and option.id == self._NO_MATCHES:
                option = Option(Align.center(Text(tr("palette.no_matches"), style="not bold")), disabled=True,
                                id=option.id)
            return add(option)

        results.add_option = add_option


def open_palette(app) -> None:
    if app.use_command_palette and not CommandPalette.is_open(app):
        app.push_screen(Palette(providers=[PinyinCommands], placeholder=tr("palette.placeholder"),
                                       id="--command-palette"))
