"""Textual's Select with its menu's one English key in the catalog.

The open menu (``SelectOverlay``, which Select composes itself) binds Esc to
"Dismiss menu", shown in the footer.  Its bindings are the instance's own copy,
so the description is replaced once the menu is mounted; no Textual code copied.
"""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import Select
from textual.widgets._select import SelectOverlay

from domain.i18n import register, tr

register({"select.dismiss": ("收起列表", "Close the list")})


class LocalSelect(Select):
    def on_mount(self) -> None:
        table = self.query_one(SelectOverlay)._bindings.key_to_bindings
        for key, bindings in table.items():
            table[key] = [replace(b, description=tr("select.dismiss")) if b.action == "dismiss" else b
                          for b in bindings]
