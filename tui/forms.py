"""The record form: every field of a kind, validated as you type.

Text, dates, money, ids and phones are ``Input``s; choices are ``Select``s
with the values from the field table or the configuration.  Each change is
checked with ``domain.validation.parse_value`` and the Chinese message shows
under the field; the whole record is checked again on save (cross-field
rules such as 身份证号 vs 出生日期) by the ``save`` callback, whose
``ValidationError`` lands on the field it names.  Escape leaves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from domain import fields as ft
from domain.fields import FIELDS, Field
from domain.i18n import language, tr
from tui.bindings import Translated
from tui.footer import FittingFooter
from tui.failures import show_failure
from domain.validation import ValidationError, choices_for, format_value, parse_value

#: Fields edited elsewhere: participants on the attendance screen, the member of a visit by the picker.
HIDDEN = {("event", "participants"), ("event", "occurrences"), ("visit", "member_id")}


def label_of(f: Field) -> str:
    return f.label if language() == "zh" else f.label_en


class ChoiceField(Widget, can_focus=True):
    """One value from a short list: ← → (or space) step through it; a blank comes first.

    Lighter than ``Select`` (no overlay to build per field, and a member form has ten of them)."""

    DEFAULT_CSS = """
    ChoiceField { height: 1; width: 1fr; background: $boost; padding: 0 1; }
    ChoiceField:focus { background: $primary 30%; }
    """
    BINDINGS = [Binding("right,space", "step(1)", show=False), Binding("left", "step(-1)", show=False)]
    value: reactive[str] = reactive("")

    class Changed(Message):
        def __init__(self, control: ChoiceField, value: str) -> None:
            super().__init__()
            self.choice, self.value = control, value

        @property
        def control(self) -> ChoiceField:
            return self.choice

    def __init__(self, choices: list[str], value: str = "", **kw) -> None:
        super().__init__(**kw)
        self.choices = ["", *choices]
        self.set_reactive(ChoiceField.value, value)

    def render(self) -> Text:
        text = Text("◀ ", style="dim")
        text.append(self.value or tr("form.blank"), style="" if self.value else "dim")
        text.append(" ▶", style="dim")
        return text

    def watch_value(self, value: str) -> None:
        self.post_message(self.Changed(self, value))

    def action_step(self, delta: int) -> None:
        index = self.choices.index(self.value) if self.value in self.choices else 0
        self.value = self.choices[(index + delta) % len(self.choices)]

    def on_click(self) -> None:
        self.action_step(1)


@dataclass(frozen=True)
class FormOptions:
    note: str = ""  # a line under the title (the visited member)
    hint: Callable[[dict], str] | None = None  # a line recomputed as you type (caps, lunar date)
    only_touched: bool = False  # editing: send the fields changed, keep the rest as stored
    check: Callable[[dict], object] | None = None  # domain.checks.check_save: refusals, warnings, approver
    fields: tuple[str, ...] | None = None  # only these fields


class RecordForm(Translated, ModalScreen[dict | None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "act.save", priority=True),
        Binding("escape", "cancel", "act.cancel"),
        # priority: the scrolling container around the fields would take ↑/↓ first
        Binding("down", "app.focus_next", show=False, priority=True),
        Binding("up", "app.focus_previous", show=False, priority=True),
    ]

    def __init__(self, kind: str, title: str, values: Mapping, *, save: Callable[[dict], dict],
                 config, options: FormOptions | None = None) -> None:
        super().__init__()
        options = options or FormOptions()
        self.check = options.check
        self.kind, self.title_text, self.save, self.config = kind, title, save, config
        self.only_touched = options.only_touched
        self.note, self.hint = options.note, options.hint
        self.fields = [f for f in FIELDS[kind] if (kind, f.name) not in HIDDEN
                       and (options.fields is None or f.name in options.fields)]
        self.initial = {f.name: format_value(f, values.get(f.name)) if not isinstance(values.get(f.name), str)
                        else values.get(f.name, "") for f in self.fields}
        self.touched: set[str] = set()

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box"):
            yield Static(Text(self.title_text), id="form-title")
            if self.note:
                yield Static(Text(self.note), id="form-note")
            with VerticalScroll(id="form-fields"):
                for f in self.fields:
                    with Horizontal(classes="form-row"):
                        mark = "*" if f.required else " "
                        yield Label(Text(f"{mark}{label_of(f)}"), classes="form-label")
                        yield self._widget(f)
                    yield Static("", id=f"e-{f.name}", classes="form-error")
            yield Static("", id="form-hint-line")
            yield Static(Text(tr("form.hint")), id="form-keys")
        yield FittingFooter()

    def _widget(self, f: Field):
        value = self.initial.get(f.name, "")
        if f.type == ft.CHOICE:
            choices = list(choices_for(f, self.config))
            if value and value not in choices:
                choices.append(value)
            return ChoiceField(choices, value, id=f"f-{f.name}")
        return Input(value, id=f"f-{f.name}", compact=True, select_on_focus=False)

    def on_mount(self) -> None:
        self.query_one(f"#f-{self.fields[0].name}").focus()
        self._update_hint()

    # ----- values
    def raw_values(self) -> dict[str, str]:
        out = {}
        for f in self.fields:
            w = self.query_one(f"#f-{f.name}")
            out[f.name] = w.value
        return out

    def set_value(self, name: str, value: str) -> None:
        self.query_one(f"#f-{name}").value = value

    def _check(self, name: str, raw: str) -> str:
        f = next(f for f in self.fields if f.name == name)
        try:
            parse_value(self.kind, f, raw, self.config)
        except ValidationError as exc:
            return exc.reason
        return ""

    def show_error(self, name: str, message: str) -> None:
        error = self.query_one(f"#e-{name}", Static)
        error.update(Text(message))
        error.set_class(bool(message), "shown")

    @on(Input.Changed)
    @on(ChoiceField.Changed)
    def _changed(self, event) -> None:
        name = (event.control.id or "")[2:]
        if not any(f.name == name for f in self.fields):
            return
        raw = str(event.value)
        if raw != self.initial.get(name, "") or name in self.touched:
            self.touched.add(name)
            self.show_error(name, self._check(name, raw))
        self._update_hint()

    def _update_hint(self) -> None:
        if self.hint is not None:
            self.query_one("#form-hint-line", Static).update(Text(self.hint(self.raw_values())))

    @on(Input.Submitted)
    def _next(self) -> None:
        self.focus_next()

    # ----- actions
    def values_to_save(self) -> dict[str, str]:
        """A new record sends every field; an edit only the fields touched, so a value
        stored earlier (a category since dropped from the configuration) stays savable."""
        values = self.raw_values()
        if self.only_touched:
            values = {n: v for n, v in values.items() if n in self.touched}
        return values

    def action_save(self) -> None:
        values = self.values_to_save()
        errors = {n: m for n in values if (m := self._check(n, values[n]))}
        for f in self.fields:
            self.show_error(f.name, errors.get(f.name, ""))
        if errors:
            self._focus_field(next(iter(errors)))
            self.notify(tr("form.errors", n=len(errors)), severity="error")
            return
        if self.check is not None and not self._checked(values):
            return
        self._commit(values)

    def _refused(self, exc: ValidationError) -> None:
        if any(f.name == exc.field for f in self.fields):
            self.show_error(exc.field, exc.reason)
            self._focus_field(exc.field)
        self.notify(str(exc), severity="error")

    def _checked(self, values: dict) -> bool:
        """True to save now; otherwise a refusal is shown or a question asked first."""
        from domain.checks import approver_problem

        try:
            result = self.check(values)
        except ValidationError as exc:
            self._refused(exc)
            return False
        problem = approver_problem(result)
        if problem:
            self.show_error("approver", problem)
            self._focus_field("approver")
            self.notify("\n".join([*result.warnings, problem]), severity="warning", timeout=8)
            return False
        if not result.warnings:
            return True
        from tui.dialogs import ConfirmScreen

        question = "\n".join([*result.warnings, tr("form.save_anyway")])
        self.app.push_screen(ConfirmScreen(question), lambda yes: self._commit(values) if yes else None)
        return False

    def _commit(self, values: dict) -> None:
        try:
            record = self.save(values)
        except ValidationError as exc:
            self._refused(exc)
            return
        except Exception as exc:  # a full disk, a ledger gone: say so, keep the form
            if not show_failure(self, exc):
                raise
            return
        self.dismiss(record)

    def _focus_field(self, name: str) -> None:
        widget = self.query_one(f"#f-{name}")
        widget.focus()
        widget.scroll_visible(animate=False)

    def changed_fields(self) -> list[str]:
        values = self.raw_values()
        return [n for n in self.touched if values.get(n, "") != self.initial.get(n, "")]

    def action_cancel(self) -> None:
        """Esc: leave at once when nothing was changed; otherwise ask first."""
        changed = self.changed_fields()
        if not changed:
            self.dismiss(None)
            return
        from tui.dialogs import ConfirmScreen

        names = tr("sep.list").join(label_of(f) for f in self.fields if f.name in changed)
        self.app.push_screen(ConfirmScreen(tr("form.discard", fields=names)),
                             lambda yes: self.dismiss(None) if yes else None)
