"""Key bindings whose descriptions are catalog keys, shown in the current language.

A ``Binding`` is made when its class is defined, before ``--lang`` or the
language setting is known; so descriptions are written as message keys
(``act.save``) and each node translates its own copy when it is made.
"""

from __future__ import annotations

from dataclasses import replace

from domain.i18n import tr


def translate_bindings(node) -> None:
    original = getattr(node, "_untranslated_bindings", None)
    if original is None:  # first time: keep what the node was made with (the app adds its palette key)
        original = node._untranslated_bindings = node._bindings.copy()
    node._bindings = original.copy()
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [
            replace(b, description=tr(b.description)) if b.description.startswith("act.")
            else replace(b, description=tr("act.palette")) if b.action == "command_palette"
            else replace(b, description=tr("act.quit")) if b.action == "quit"
            else b
            for b in bindings
        ]


class Translated:
    """Mixin for widgets, screens and the app: translate the bindings on creation."""

    def __init__(self, *args, **kw) -> None:
        super().__init__(*args, **kw)
        translate_bindings(self)
