"""A footer that shows the keys that fit and never cuts one.

Textual's footer lays every key in a row and cuts what passes the edge (at
80 columns ``h 困▏^p 命``).  This one keeps the keys in their order (the
focused view's first), drops the ones that would not fit whole, and always
keeps ``?`` (help lists every key) and the command palette key.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

HELP_ACTIONS = ("help", "app.help", "dismiss_help")


def _width(key: FooterKey) -> int:
    """Cells a key takes: ' k ' + 'description ' + its right margin."""
    described = cell_len(key.description) + 1 if key.description else 0
    return cell_len(key.key_display) + 2 + described


class FittingFooter(Footer):
    _fitted_width = 0  # the width the keys were last chosen for

    def compose(self):
        items = list(super().compose())
        keys = [w for w in items if isinstance(w, FooterKey) and not w.has_class("-command-palette")]
        fixed = [w for w in items if w not in keys]
        self._fitted_width = self.app.size.width or 80
        budget = self._fitted_width - sum(_width(w) + 2 for w in fixed)
        budget -= sum(_width(w) for w in keys if w.action in HELP_ACTIONS)
        shown = set()
        for w in keys:
            if w.action in HELP_ACTIONS:
                shown.add(id(w))
            elif _width(w) <= budget:
                shown.add(id(w))
                budget -= _width(w)
        yield from (w for w in items if w in fixed or id(w) in shown)

    def on_resize(self) -> None:
        # only a new width changes what fits; the first layout's resize would build every key twice
        if (self.app.size.width or 80) != self._fitted_width:
            self.refresh(recompose=True)
