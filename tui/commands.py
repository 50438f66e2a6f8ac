"""The help screen and the command palette: every key of the App and of each
view, by its name in the current language.  Mixed into ``LedgerApp``."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from textual.app import SystemCommand

from domain.i18n import tr


class Commands:
    """Mixin for the App: needs ``views()`` ((tab, view) pairs) and ``active_view()``."""

    def action_help(self) -> None:
        from tui.calendar import CalendarView
        from tui.dialogs import HelpScreen

        view = self.active_view()
        sections = [(tr("help.global"), self._binding_rows(self)),
                    (tr("help.pane"), self._binding_rows(view))]
        if isinstance(view, CalendarView):
            sections[1][1].extend(self._binding_rows(view.grid))
        self.push_screen(HelpScreen(sections))

    def _binding_rows(self, node) -> list[tuple[str, str]]:
        rows, seen = [], set()
        table = node._bindings.key_to_bindings
        for bindings in table.values():
            for b in bindings:
                if b.description and (b.action, b.description) not in seen:
                    seen.add((b.action, b.description))
                    keys = [k for k, bs in table.items() if b.action in {x.action for x in bs}]
                    shown = " / ".join(self.get_key_display(replace(b, key=k, key_display=None)) for k in keys)
                    rows.append((shown, b.description))
        return rows

    def action_command_palette(self) -> None:
        from tui.palette import open_palette

        open_palette(self)

    def get_system_commands(self, screen):
        """The command palette: every action, by its name in the current language."""
        for bindings in self._bindings.key_to_bindings.values():
            for binding in bindings:
                if binding.description and binding.action != "command_palette":
                    yield SystemCommand(binding.description, self.get_key_display(binding),
                                        partial(self.run_action, binding.action))
        for tab, view in self.views():
            seen = set()
            for bindings in view._bindings.key_to_bindings.values():
                for binding in bindings:
                    if binding.description and binding.action not in seen:
                        seen.add(binding.action)
                        yield SystemCommand(f"{tr('tab.' + tab)}{tr('sep.label')}{binding.description}",
                                            self.get_key_display(binding),
                                            partial(self._run_in, tab, view, binding.action))

    def _run_in(self, tab: str, view, action: str) -> None:
        self.action_goto(tab)
        self.call_later(view.run_action, action)
