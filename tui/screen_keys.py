"""The list views' keys to the import and export screens, as mixins.

Kept apart from the screens so that a view does not import them at start-up
(the import and export screens with their readers and writers cost 0.3-0.5 s
before the first frame); each screen is imported when its key is pressed.
"""

from __future__ import annotations

from domain.i18n import register

register({  # the keys' names (the views' bindings need them before any screen is imported)
    "act.export": ("导出", "Export"),
    "act.import": ("导入", "Import"),
    "act.import_plan": ("导入工作计划", "Import a work plan"),
})


def _ready(app) -> bool:
    return getattr(app, "is_loaded", True) and app.ledger is not None


class ExportKey:
    """For a list view with a ``kind``: ``o`` exports the rows it shows."""

    def export_rows(self) -> list[dict]:
        queries = getattr(self, "queries", None)
        if self.kind == "member" and queries is not None:
            return queries.members(self.filter)
        if self.kind == "visit" and queries is not None:
            return queries.visits(self.filter)
        return sorted(self.app.ledger.records(self.kind), key=lambda r: (r.get("date") or "", r.get("title") or ""))

    def action_export_rows(self) -> None:
        from tui.export_screen import ExportScreen

        if _ready(self.app):
            self.app.push_screen(ExportScreen(self.app.ledger, self.kind, self.export_rows()))


class ImportKey:
    """For a list view with a ``kind``: ``i`` opens the import screen; a commit redraws the app."""

    def action_import_rows(self) -> None:
        from tui.import_screen import ImportScreen

        app = self.app
        if _ready(app):
            app.push_screen(ImportScreen(app.ledger, self.kind), lambda counts: counts and app._after_sync())


class PlanImportKey:
    """For the calendar view: opens the plan import screen; adding redraws the app."""

    def action_import_plan(self) -> None:
        from tui.import_plan_screen import PlanImportScreen

        app = self.app
        if _ready(app):
            app.push_screen(PlanImportScreen(app.ledger), lambda done: done and app.refresh_all())
