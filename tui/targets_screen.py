"""Home's key to the targets: each target's formula and the members it counts
but who are not yet done (the hardship members not helped this year, ...)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from domain.i18n import register, tr
from tui.bindings import Translated
from tui.footer import FittingFooter

register({
    "targets.title": ("{year} 年目标：怎么算、还差谁（Esc 关闭）", "Targets for {year}: how each is counted, who is missing (Esc closes)"),
    "targets.line": ("{label} {done}/{total}", "{label} {done}/{total}"),
    "targets.missing": ("尚未计入（{n} 人）：{names}", "Not yet counted ({n}): {names}"),
    "targets.all_done": ("全部计入", "Everyone counted"),
    "targets.more": ("等 {n} 人", "and {n} more"),
})

NAMES_SHOWN = 30


def explain(targets, year: int) -> Text:
    text = Text()
    for t in targets:
        text.append(tr("targets.line", label=t.label, done=t.done, total=t.total) + "\n", style="bold")
        text.append(t.formula + "\n", style="dim")
        missing = t.missing
        if not missing:
            text.append(tr("targets.all_done") + "\n\n", style="green")
            continue
        names = [m.get("name", "") for m in missing[:NAMES_SHOWN]]
        if len(missing) > NAMES_SHOWN:
            names.append(tr("targets.more", n=len(missing) - NAMES_SHOWN))
        text.append(tr("targets.missing", n=len(missing), names=tr("sep.list").join(names)) + "\n\n",
                    style="yellow")
    return text


class TargetsScreen(Translated, ModalScreen[None]):
    BINDINGS = [Binding("escape,q,t", "close", "act.close", key_display="Esc")]

    def __init__(self, targets, year: int) -> None:
        super().__init__()
        self.targets, self.year = targets, year

    def compose(self) -> ComposeResult:
        with Vertical(id="targets-box"):
            yield Static(Text(tr("targets.title", year=self.year), style="bold"), id="targets-title")
            with VerticalScroll():
                yield Static(explain(self.targets, self.year), id="targets-text")
        yield FittingFooter()

    def action_close(self) -> None:
        self.dismiss(None)
