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
from dataclasses import replace
from functools import partial
from itertools import compress
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.widgets import Footer, Static, TabbedContent, TabPane

import tui.messages  # noqa: F401  (registers the catalog)
from domain.caps import cap_warnings
from domain.config import Config, load_config
from domain.i18n import LANGUAGES, language, set_language, tr
from domain.validation import ValidationError, format_record
from tui.bindings import Translated, translate_bindings
from tui.calendar import CalendarView
from tui.dialogs import ConfirmScreen, HelpScreen, MemberPicker
from tui.forms import RecordForm
from tui.home import HomeView
from tui.members import MembersView
from tui.sync_worker import SyncDone, SyncFailed, SyncProgress, SyncWorker
from tui.visits import VisitsView

TABS = ("home", "members", "calendar", "visits")
IDLE_COMPACT_SECONDS = 30


Home, Members, Calendar, Visits = HomeView, MembersView, CalendarView, VisitsView


class LedgerApp(SyncWorker, Translated, App[int]):
    CSS_PATH = Path(__file__).with_name("app.tcss")
    BINDINGS = [
        Binding("1", "goto('home')", "act.goto_home", key_display="1"),
        Binding("2", "goto('members')", "act.goto_members", key_display="2"),
        Binding("3", "goto('calendar')", "act.goto_calendar", key_display="3"),
        Binding("4", "goto('visits')", "act.goto_visits", key_display="4"),
        Binding("u,ctrl+z", "undo", "act.undo"),
        Binding("question_mark,f1", "help", "act.help", key_display="?"),
        Binding("f9", "toggle_language", "act.language", show=False),
        Binding("q", "quit", "act.quit"),
        Binding("f5", "sync", "act.sync", key_display="F5"),
        Binding("c", "conflicts", "act.conflicts"),
    ]

    def __init__(self, db_path: Path | None = None, *, config: Config | None = None, school: str | None = None,
                 ledger=None, today: dt.date | None = None) -> None:
        super().__init__()
        self.db_path, self.school = db_path, school
        self.config = config or (ledger.config if ledger is not None else load_config())
        self.ledger = ledger
        self.owns_ledger = ledger is None
        self.today = today or dt.date.today()
        self.finder = None
        self.is_loaded = False
        self.sync_status = tr("app.sync_none")
        self.pending: set[str] = set()  # kind:id of local changes the sheet has not seen
        self._data_cache: dict[tuple, object] = {}
        self._last_change = time.monotonic()
        self.title = tr("app.title")

    # ----- layout
    def compose(self) -> ComposeResult:
        with TabbedContent(id="tabs", initial="home"):
            with TabPane(tr("tab.home"), id="home"):
                yield Home(id="home-view")
            with TabPane(tr("tab.members"), id="members"):
                yield Members(id="members-view")
            with TabPane(tr("tab.calendar"), id="calendar"):
                yield Calendar(self.today, id="calendar-view")
            with TabPane(tr("tab.visits"), id="visits"):
                yield Visits(id="visits-view")
        yield Static(Text(tr("app.loading")), id="status")
        yield Footer()

    def on_mount(self) -> None:
        # after the first frame: the reading thread would otherwise hold the GIL while it is drawn
        self.call_after_refresh(self.load)
        self.set_interval(IDLE_COMPACT_SECONDS, self._idle)

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        try:
            if self.ledger is None:
                from domain.store import Ledger

                self.ledger = Ledger.open(self.db_path, config=self.config, school=self.school)
            from tui.search import MemberFinder

            finder = MemberFinder(self.ledger.records("member"))
            from sync.engine import pending_keys

            self.pending = pending_keys(self.ledger)
            import gc

            # the ledger's ~100,000 long-lived objects leave the collector's sight: a full
            # collection over them takes ~0.1 s, a pause in the middle of someone's typing
            gc.freeze()
        except Exception as exc:  # LedgerBusy, CorruptLedger, OSError: say so and leave
            self.call_from_thread(self.exit, 1, 1, tr("app.error", message=exc))
            return
        self.call_from_thread(self._loaded, finder)

    def _loaded(self, finder) -> None:
        self.finder = finder
        self.is_loaded = True
        self._refresh_sync_status()
        self.start_sync_timer()
        self.refresh_all()
        focus = {"home": "#home-table", "members": "#member-table", "calendar": "#cal-grid",
                 "visits": "#visit-table"}[self.query_one(TabbedContent).active or "home"]
        self.query_one(focus).focus()

    def refresh_all(self) -> None:
        self.query_one(Members).refresh_rows()
        self.query_one(Visits).refresh_rows()
        self.query_one(Calendar).refresh_month(force=True)
        self.refresh_duties()
        self.refresh_status()

    def refresh_status(self) -> None:
        led = self.ledger
        text = tr("app.status", path=led.path.name, members=led.count("member"), events=led.count("event"),
                  visits=led.count("visit"))
        self.query_one("#status", Static).update(Text(f"{text} · {self.sync_status}"))

    # ----- sync (the network part runs in tui.sync_worker's thread)
    def _refresh_sync_status(self, stage: str | None = None) -> None:
        from tui.sync_status import status_text

        self.set_sync_status(status_text(self.ledger, stage, len(self.pending)))

    def on_sync_progress(self, message: SyncProgress) -> None:
        self._refresh_sync_status(message.stage)

    def on_sync_done(self, message: SyncDone) -> None:
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
        from tui.search import MemberFinder

        finder, pending = MemberFinder(members), pending_keys(self.ledger)
        self.call_from_thread(self._synced, finder, pending)

    def _synced(self, finder, pending: set[str]) -> None:
        self.finder, self.pending = finder, pending
        self._refresh_sync_status()
        self.refresh_all()

    def action_conflicts(self) -> None:
        if not self.is_loaded:
            return
        from tui.sync_conflicts import ConflictScreen

        self.push_screen(ConflictScreen(self.ledger), lambda _settled: self._after_sync())

    def set_sync_status(self, text: str) -> None:
        """For the sync (issue 5): what the status line says about it."""
        self.sync_status = text
        if self.is_loaded:
            self.refresh_status()

    @work(thread=True, exclusive=True, group="duties")
    def refresh_duties(self) -> None:
        from domain.duties import month_duties, targets

        ledger, today = self.ledger, self.today
        duties = month_duties(ledger, today)
        figures = targets(ledger, today.year)
        self.call_from_thread(self.query_one(Home).show, duties, figures, today.year)

    def _idle(self) -> None:
        if self.is_loaded and time.monotonic() - self._last_change > IDLE_COMPACT_SECONDS:
            self.ledger.compact_if_needed()

    # ----- data the views share (cached per ledger revision)
    def _cached(self, key: tuple, make):
        full = (*key, self.ledger.revision)
        if full not in self._data_cache:
            self._data_cache = {k: v for k, v in self._data_cache.items() if k[-1] == self.ledger.revision}
            self._data_cache[full] = make()
        return self._data_cache[full]

    def member_order(self, sort: str = "name") -> list[dict]:
        def make():
            members = self.ledger.records("member")
            if sort == "name":
                keys = self.finder.sort_keys
                return sorted(members, key=lambda m: (keys.get(m["id"], ""), m.get("phone") or "", m["id"]))
            if sort == "group":
                keys = self.finder.sort_keys
                return sorted(members, key=lambda m: (m.get("union_group") or "\uffff", keys.get(m["id"], "")))
            if sort == "joined":
                return sorted(members, key=lambda m: m.get("joined_date") or "9999")
            return members
        return self._cached(("members", sort), make)

    def member_rows(self, query: str = "", sort: str = "name") -> list[dict]:
        order = self.member_order(sort)
        if not query.strip() or self.finder is None:
            return list(order)
        hits = self.finder.search(query)
        ids = self._cached(("member_ids", sort), lambda: [m["id"] for m in order])
        return list(compress(order, map(hits.__contains__, ids)))

    def visits_sorted(self) -> list[dict]:
        return self._cached(("visits",), lambda: sorted(
            self.ledger.records("visit"), key=lambda v: v.get("date", ""), reverse=True))

    def visits_of(self, member_id: str) -> list[dict]:
        def make():
            by: dict[str, list[dict]] = {}
            for v in self.visits_sorted():
                by.setdefault(v.get("member_id", ""), []).append(v)
            return by
        return self._cached(("by_member",), make).get(member_id, [])

    def changed(self, kind: str, rid: str) -> None:
        self._last_change = time.monotonic()
        from sync.engine import is_pending

        key = f"{kind}:{rid}"
        if is_pending(self.ledger, key):
            self.pending.add(key)
        else:
            self.pending.discard(key)
        if kind == "member" and self.finder is not None:
            self.finder.update(rid, self.ledger.get("member", rid))
        members = self.query_one(Members)
        if kind in ("member", "visit"):
            members.refresh_rows()
        if kind == "visit" or (kind == "member" and self.ledger.get("member", rid) is None):
            self.query_one(Visits).refresh_rows()
        if kind == "event":
            self.query_one(Calendar).refresh_month(force=True)
        self.refresh_duties()
        self._refresh_sync_status()

    # ----- editing
    def edit_record(self, kind: str, record: dict | None = None, prefill: dict | None = None) -> None:
        if not self.is_loaded:
            return
        ledger = self.ledger
        kind_name = tr(f"kind.{kind}")
        from domain.fields import FIELDS

        defaults = {f.name: f.default for f in FIELDS[kind] if f.default}
        values = dict(record) if record else {**defaults, "school": ledger.school, **(prefill or {})}
        if record:
            title = tr("form.edit", kind=kind_name, name=_title(kind, record))
            save = partial(ledger.edit, kind, record["id"])
        else:
            title = tr("form.add", kind=kind_name)
            save = partial(ledger.add, kind)
        note, hint = "", None
        if kind == "visit":
            member_id = values.get("member_id", "")
            member = ledger.get("member", member_id) or {}
            name = values.get("member_name") or member.get("name", "")
            who = " ".join(x for x in (member.get("union_group"), member.get("phone")) if x) or member_id
            note = tr("form.member", name=name, id=who)
            if not record:
                save = lambda raw, _save=save: _save({**raw, "member_id": member_id})  # noqa: E731
            hint = partial(self._visit_hint, record["id"] if record else "", member_id)
        elif kind == "event":
            hint = _lunar_hint

        def done(saved: dict | None) -> None:
            if saved is None:
                return
            self.changed(kind, saved["id"])
            self.notify(tr("app.saved", name=_title(kind, saved)))
            if kind == "visit":
                for warning in cap_warnings(self.config, saved, self.ledger.records("visit")):
                    self.notify(tr("visits.cap_warning", warning=warning), severity="warning", timeout=8)

        self.push_screen(RecordForm(kind, title, values, save=save, config=self.config, note=note, hint=hint),
                         done)

    def _visit_hint(self, rid: str, member_id: str, raw: dict) -> str:
        from domain.fields import field
        from domain.validation import parse_value

        candidate = {"id": rid or "new", "member_id": member_id, "member_name": raw.get("member_name", "")}
        for name in ("reason", "amount", "date"):
            try:
                candidate[name] = parse_value("visit", field("visit", name), raw.get(name, ""), self.config)
            except ValidationError:
                return ""
        warnings = cap_warnings(self.config, candidate, self.ledger.records("visit"))
        return "\n".join(tr("visits.cap_warning", warning=w) for w in warnings)

    def delete_record(self, kind: str, record: dict) -> None:
        if kind == "member":
            question = tr("members.confirm_delete", name=record.get("name", ""))
        elif kind == "event":
            question = tr("cal.confirm_delete", name=record.get("title", ""))
        else:
            question = tr("visits.confirm_delete", name=record.get("member_name", ""), date=record.get("date", ""))

        def answer(yes: bool | None) -> None:
            if yes:
                self.ledger.delete(kind, record["id"])
                self.changed(kind, record["id"])
                self.notify(tr("app.deleted", name=_title(kind, record)))

        self.push_screen(ConfirmScreen(question), answer)

    def new_visit(self, member: dict, reason: str = "") -> None:
        self.edit_record("visit", prefill={"member_id": member["id"], "member_name": member.get("name", ""),
                                           "date": self.today.isoformat(), "reason": reason})

    def pick_member_for_visit(self) -> None:
        if self.is_loaded:
            self.push_screen(MemberPicker(tr("pick.member")),
                             lambda m: self.new_visit(m) if m else None)

    def edit_participants(self, event: dict) -> None:
        def done(ids: list[str] | None) -> None:
            if ids is None:
                return
            saved = self.ledger.edit("event", event["id"], {"participants": ",".join(ids)})
            self.changed("event", event["id"])
            self.notify(tr("cal.participants_saved", name=saved.get("title", ""), n=len(ids)))

        self.push_screen(MemberPicker(tr("pick.participants", name=event.get("title", "")), multi=True,
                                      chosen=list(event.get("participants") or [])), done)

    # ----- navigation
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Over a form or dialog, the app's single-letter keys do nothing (q must not quit a form)."""
        if action in ("goto", "undo", "quit", "toggle_language", "help") and len(self.screen_stack) > 1:
            return False
        return True

    def action_goto(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        focus = {"home": "#home-table", "members": "#member-table", "calendar": "#cal-grid",
                 "visits": "#visit-table"}[tab]
        self.query_one(focus).focus()

    def open_member(self, rid: str) -> None:
        self.action_goto("members")
        self.query_one(Members).select_member(rid)

    def open_date(self, day: dt.date, event_id: str = "") -> None:
        self.action_goto("calendar")
        self.query_one(Calendar).show_date(day, event_id)

    def action_undo(self) -> None:
        if not self.is_loaded or not self.ledger.can_undo():
            self.notify(tr("store.nothing_to_undo"), severity="warning")
            return
        kind, rid = self.ledger.undo()
        self.changed(kind, rid)
        record = self.ledger.get(kind, rid)
        name = _title(kind, record) if record else rid
        self.notify(tr("app.undone", kind=tr(f"kind.{kind}"), name=name))
        if kind == "member" and record is not None:
            self.query_one(Members).select_member(rid) if self.query_one(TabbedContent).active == "members" \
                else None

    def active_view(self):
        return {"home": Home, "members": Members, "calendar": Calendar, "visits": Visits}[
            self.query_one(TabbedContent).active or "home"]

    def action_help(self) -> None:
        view = self.query_one(self.active_view())
        sections = [(tr("help.global"), self._binding_rows(self)),
                    (tr("help.pane"), self._binding_rows(view))]
        if isinstance(view, Calendar):
            sections[1][1].extend(self._binding_rows(view.grid))
        self.push_screen(HelpScreen(sections))

    def _binding_rows(self, node) -> list[tuple[str, str]]:
        rows, seen = [], set()
        for _key, bindings in node._bindings.key_to_bindings.items():
            for b in bindings:
                if b.description and (b.action, b.description) not in seen:
                    seen.add((b.action, b.description))
                    keys = [k for k, bs in node._bindings.key_to_bindings.items() if b.action in {x.action for x in bs}]
                    rows.append((" / ".join(self.get_key_display(replace(b, key=k, key_display=None)) for k in keys),
                                 b.description))
        return rows

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
            self.refresh_all()
            self.action_goto(tab)

    def get_system_commands(self, screen):
        """The command palette: every action, by its name in the current language."""
        for b in self._bindings.key_to_bindings.values():
            for binding in b:
                if binding.description and binding.action not in ("command_palette",):
                    yield SystemCommand(binding.description, self.get_key_display(binding),
                                        partial(self.run_action, binding.action))
        for tab, cls in zip(TABS, (Home, Members, Calendar, Visits)):
            view = self.query_one(cls)
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


def _title(kind: str, record: dict) -> str:
    if kind == "member":
        return record.get("name", "")
    if kind == "event":
        return record.get("title", "")
    return f"{record.get('member_name', '')} {record.get('date', '')}".strip()


def _lunar_hint(raw: dict) -> str:
    from domain.dates import parse_date
    from domain.lunar import solar_to_lunar

    try:
        day = parse_date(raw.get("date", ""))
        label = solar_to_lunar(day).label
    except ValueError:
        return ""
    return tr("form.lunar", label=label)


def run(db: Path | None, config_path: Path | None, school: str | None) -> int:
    config = load_config(config_path)  # the language was settled by app.py
    app = LedgerApp(db, config=config, school=school)
    try:
        code = app.run()
    finally:
        if app.ledger is not None and app.owns_ledger:
            app.ledger.close()
    return code if isinstance(code, int) else (app.return_code or 0)


__all__ = ["LedgerApp", "run", "format_record"]
