"""工会台账's full-screen program: Home, Members, Calendar, Visits.

The ledger opens in a worker thread after the first frame (a 10,000-member
ledger takes ~0.5 s to read and ~0.2 s to index for pinyin search), so the
window is up and keys work at once; the panes fill in when it is ready.
Every change goes through ``domain.store.Ledger`` and then ``changed()``,
which refreshes what shows it.

Sync runs in a background thread (``tui.sync_worker``): F5 starts it, the
status line shows the last sync, changes waiting and whether the sheet is
reachable, a toast gives the summary, and ``c`` opens the conflict screen.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static, TabbedContent, TabPane

import tui.messages  # noqa: F401  (registers the catalog)
from domain.config import Config, load_config
from domain.i18n import LANGUAGES, language, set_language, tr
from domain.queries import LedgerQueries, MemberFinder
from tui.bindings import Translated, translate_bindings
from tui.footer import FittingFooter
from tui.calendar import CalendarView
from tui.commands import Commands
from tui.editing import Editing
from tui.failures import reported
from tui.home import HomeView
from tui.members import MembersView
from tui.occurrence_edit import OccurrenceEditing
from tui.status_line import Part, fit
from tui.sync_worker import SyncDone, SyncFailed, SyncProgress, SyncWorker
from tui.undo import UndoRedo
from tui.visits import VisitsView

TABS = ("home", "members", "calendar", "visits")
FOCUS = {"home": "#home-table", "members": "#member-table", "calendar": "#cal-grid", "visits": "#visit-table"}
IDLE_COMPACT_SECONDS = 30


Home, Members, Calendar, Visits = HomeView, MembersView, CalendarView, VisitsView
VIEWS = dict(zip(TABS, (Home, Members, Calendar, Visits)))


class LedgerApp(Editing, OccurrenceEditing, UndoRedo, Commands, SyncWorker, Translated, App[int]):
    CSS_PATH = Path(__file__).with_name("app.tcss")
    BINDINGS = [
        Binding("1", "goto('home')", "act.goto_home", key_display="1"),
        Binding("2", "goto('members')", "act.goto_members", key_display="2"),
        Binding("3", "goto('calendar')", "act.goto_calendar", key_display="3"),
        Binding("4", "goto('visits')", "act.goto_visits", key_display="4"),
        Binding("u,ctrl+z", "undo", "act.undo"),
        Binding("R,ctrl+y", "redo", "act.redo", key_display="R", show=False),
        Binding("question_mark,f1", "help", "act.help", key_display="?"),
        Binding("f9", "toggle_language", "act.language", show=False),
        Binding("q", "quit", "act.quit"),
        Binding("f5", "sync", "act.sync", key_display="F5"),
        Binding("c", "conflicts", "act.conflicts"),
        Binding("ctrl+b", "backups", "act.backups", show=False),
        Binding("ctrl+e", "problems", "act.problems", show=False),
    ]

    def __init__(self, db_path: Path | None = None, *, config: Config | None = None, school: str | None = None,
                 ledger=None, today: dt.date | None = None, settings=None) -> None:
        super().__init__()
        self.db_path, self.school = db_path, school
        self.settings = settings  # the run's resolved Settings (None in tests that hand in a ledger)
        self.config = config or (ledger.config if ledger is not None else load_config())
        self.ledger = ledger
        self.owns_ledger = ledger is None
        self.today = today or dt.date.today()
        self.queries: LedgerQueries | None = None
        self.is_loaded = False
        self.sync_parts = [Part(tr("app.sync_none"), rank=5)]
        self.pending: set[str] = set()  # kind:id of local changes the sheet has not seen
        self._last_change = time.monotonic()
        self.title = tr("app.title")

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = False) -> None:
        """Toasts carry names and values people typed: never markup (``[b]王小明[/b]`` shows as typed)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    # ----- layout
    def compose(self) -> ComposeResult:
        with TabbedContent(id="tabs", initial="home"):
            for tab, view in VIEWS.items():
                with TabPane(tr(f"tab.{tab}"), id=tab):
                    yield view(self.today, id="calendar-view") if view is Calendar else view(id=f"{tab}-view")
        yield Static(Text(tr("app.loading")), id="status")
        yield FittingFooter()

    def on_resize(self, event) -> None:
        """Narrow or short terminals get a simpler layout (app.tcss: -narrow, -short)."""
        self.set_class(event.size.width < 100, "-narrow")
        self.set_class(event.size.height < 30, "-short")
        if self.is_loaded:
            self.refresh_status(event.size.width)  # self.size is still the old one here

    def on_mount(self) -> None:
        # after the first frame: the reading thread would otherwise hold the GIL while it is drawn
        self.call_after_refresh(self.load)
        self.set_interval(IDLE_COMPACT_SECONDS, self._idle)

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        try:
            # pypinyin's tables are imported before the ledger is in memory: imported after,
            # their allocations set off collections that walk every record (~0.1 s more)
            import domain.pinyin  # noqa: F401

            if self.ledger is None:
                self.ledger = self._open_ledger()
            finder = MemberFinder(self.ledger.records("member"))
            from sync.engine import pending_keys

            self.pending = pending_keys(self.ledger)
            import gc

            # the ledger's ~100,000 long-lived objects leave the collector's sight: a full
            # collection over them takes ~0.1 s, a pause in the middle of someone's typing
            gc.freeze()
        except Exception as exc:  # LedgerBusy, CorruptLedger, OSError: say so and leave
            self.call_from_thread(self.exit, 1, 1, Text(tr("app.error", message=exc)))
            return
        self.call_from_thread(self._loaded, finder)

    def _open_ledger(self):
        program = tr("app.program")  # named to a second program refused the ledger
        if self.settings is not None:
            from domain.session import open_ledger

            ledger = open_ledger(self.settings, program=program)
        else:
            from domain.store import Ledger

            ledger = Ledger.open(self.db_path, config=self.config, school=self.school, program=program)
        ledger.backup_at_exit = True  # a clean exit after a day's work leaves a backup
        return ledger

    def _show_notices(self) -> None:
        """The ledger's notices (files tightened, an automatic backup that failed), once each."""
        for notice in self.ledger.notices:
            self.notify(notice, severity="warning", timeout=10)
        self.ledger.notices.clear()

    def _loaded(self, finder) -> None:
        self.queries = LedgerQueries(self.ledger, finder)
        self.is_loaded = True
        self._show_notices()
        self._refresh_sync_status()
        self.start_sync_timer()
        self.refresh_all()
        self.query_one(FOCUS[self.query_one(TabbedContent).active or "home"]).focus()

    def views(self) -> list[tuple[str, object]]:
        return [(tab, self.query_one(view)) for tab, view in VIEWS.items()]

    def refresh_all(self) -> None:
        for _tab, view in self.views():
            view.queries = self.queries
        self.query_one(Members).refresh_rows()
        self.query_one(Visits).refresh_rows()
        self.query_one(Calendar).refresh_month(force=True)
        self.refresh_duties()
        self.refresh_status()

    def refresh_status(self, width: int | None = None) -> None:
        """The file, the counts and the sync, fitted to the width (tui.status_line: all whole)."""
        led = self.ledger
        parts = [Part(led.path.name, rank=2), Part(tr("app.status.members", n=led.count("member")), rank=4),
                 Part(tr("app.status.events", n=led.count("event")), rank=3),
                 Part(tr("app.status.visits", n=led.count("visit")), rank=3), *self.sync_parts]
        width = (width or self.size.width or 80) - 2  # #status has one cell of padding each side
        self.query_one("#status", Static).update(Text(fit(parts, width)))

    # ----- sync (the network part runs in tui.sync_worker's thread)
    def _refresh_sync_status(self, stage: str | None = None) -> None:
        from tui.sync_status import status_parts

        self.set_sync_parts(status_parts(self.ledger, stage, len(self.pending)))

    def on_sync_progress(self, message: SyncProgress) -> None:
        self._refresh_sync_status(message.stage)

    def on_sync_done(self, message: SyncDone) -> None:
        if self.ask_after_restore(message.result):
            return
        self.notify(message.result.summary(), title=tr("act.sync"))
        self._after_sync()

    def on_sync_failed(self, message: SyncFailed) -> None:
        self.notify(message.message, title=tr("act.sync"), severity="error", timeout=10)
        self._after_sync()

    def _after_sync(self) -> None:
        """A sync may have changed any record: re-index names and changes waiting, redraw."""
        self._reindex(self.ledger.records("member"))

    @work(thread=True, exclusive=True, group="reindex")
    def _reindex(self, members: list[dict]) -> None:
        # ~0.2 s + ~0.5 s on the large ledger: off the UI thread.  The reads are
        # safe beside edits: the ledger replaces record dicts, never mutates them.
        from sync.engine import pending_keys

        finder, pending = MemberFinder(members), pending_keys(self.ledger)
        self.call_from_thread(self._synced, finder, pending)

    def _synced(self, finder, pending: set[str]) -> None:
        self.queries.finder, self.pending = finder, pending
        self._refresh_sync_status()
        self.refresh_all()

    def action_backups(self) -> None:
        if not self.is_loaded:
            return
        from tui.backups_screen import BackupsScreen

        self.push_screen(BackupsScreen(self.ledger), lambda restored: restored and self._after_sync())

    def action_problems(self) -> None:
        if not self.is_loaded:
            return
        from tui.problems_screen import ProblemsScreen

        self.push_screen(ProblemsScreen(self.ledger), lambda back: back and self._after_sync())

    def action_conflicts(self) -> None:
        if not self.is_loaded:
            return
        from tui.sync_conflicts import ConflictScreen

        self.push_screen(ConflictScreen(self.ledger), lambda _settled: self._after_sync())

    def set_sync_parts(self, parts: list[Part]) -> None:
        """What the status line says about the sync."""
        self.sync_parts = parts
        if self.is_loaded:
            self.refresh_status()

    @work(thread=True, exclusive=True, group="duties")
    def refresh_duties(self) -> None:
        from domain.queries import duties, targets

        from domain.caps import over_cap_ids

        ledger, today = self.ledger, self.today
        rows, figures = duties(ledger, today), targets(ledger, today.year, today)
        this_year = [v for v in ledger.records("visit") if (v.get("date") or "").startswith(str(today.year))]
        over = len(over_cap_ids(ledger.config, this_year))
        self.call_from_thread(self.query_one(Home).show, rows, figures, today, over)

    def _idle(self) -> None:
        if self.is_loaded and time.monotonic() - self._last_change > IDLE_COMPACT_SECONDS:
            with reported(self):
                self.ledger.idle()  # compacts, and backs up at most every 30 minutes while it keeps changing
            self._show_notices()

    def changed(self, kind: str, rid: str, keep_redo: bool = False) -> None:
        """One record changed here: keep the index, the lists and the status in step."""
        self._last_change = time.monotonic()
        if not keep_redo:
            self.redo_stack().clear()
        from sync.engine import is_pending

        key = f"{kind}:{rid}"
        if is_pending(self.ledger, key):
            self.pending.add(key)
        else:
            self.pending.discard(key)
        if kind == "member":
            self.queries.finder.update(rid, self.ledger.get("member", rid))
        if kind in ("member", "visit"):
            self.query_one(Members).refresh_rows()
        if kind == "visit" or (kind == "member" and self.ledger.get("member", rid) is None):
            self.query_one(Visits).refresh_rows()
        if kind == "event":
            self.query_one(Calendar).refresh_month(force=True)
        self.refresh_duties()
        self._refresh_sync_status()

    # ----- navigation
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Over a form or dialog, the app's single-letter keys do nothing (q must not quit a form)."""
        if action in ("goto", "undo", "redo", "quit", "toggle_language", "help") and len(self.screen_stack) > 1:
            return False
        return True

    def action_goto(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self.query_one(FOCUS[tab]).focus()

    def open_member(self, rid: str) -> None:
        self.action_goto("members")
        self.query_one(Members).select_member(rid)

    def open_date(self, day: dt.date, event_id: str = "") -> None:
        self.action_goto("calendar")
        self.query_one(Calendar).show_date(day, event_id)

    def active_view(self):
        return self.query_one(VIEWS[self.query_one(TabbedContent).active or "home"])

    def action_toggle_language(self) -> None:
        set_language(LANGUAGES[(LANGUAGES.index(language()) + 1) % len(LANGUAGES)])
        self.notify(tr("app.language"))
        self.run_worker(self._relabel(), exclusive=True, group="relabel")

    async def _relabel(self) -> None:
        translate_bindings(self)
        tab = self.query_one(TabbedContent).active
        from textual.compose import compose

        screen = self.screen
        await screen.remove_children()
        await screen.mount_all(compose(self))
        self.query_one(TabbedContent).active = tab
        if self.is_loaded:
            self._refresh_sync_status()
            self.refresh_all()
            self.action_goto(tab)


def run(settings) -> int:
    """The full-screen program on the ledger the resolved ``settings`` name."""
    app = LedgerApp(settings.db, config=settings.config, school=settings.school, settings=settings)
    try:
        code = app.run()
    finally:
        if app.ledger is not None and app.owns_ledger:
            app.ledger.close()
    return code if isinstance(code, int) else (app.return_code or 0)


__all__ = ["LedgerApp", "run"]
