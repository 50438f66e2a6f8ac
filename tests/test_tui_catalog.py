"""One catalog mechanism: every key has Chinese and English (both taking values
when one does), and no user-visible literal in tui/ (outside tui/cli/) bypasses it."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import string
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
WORDS = re.compile(r"[A-Za-z]{2,}")
KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")  # a catalog key such as act.save
#: Calls whose text arguments reach the screen, and the keyword arguments that do.
SHOWN_CALLS = {"notify", "Static", "Label", "Text", "update", "append", "Binding", "Button", "SystemCommand",
               "Input", "ConfirmScreen", "HelpScreen", "MemberPicker", "exit", "Content", "Toast", "add_row",
               "add_column", "add_columns", "TabPane", "Column"}
SHOWN_KEYWORDS = {"description", "placeholder", "title", "message", "label", "tooltip", "empty", "name"}
NOT_SHOWN_KEYWORDS = {"id", "classes", "style", "key_display", "group", "severity", "action"}


def _load_every_module() -> None:
    for package in ("domain", "sync", "tui"):
        pkg = importlib.import_module(package)
        for info in pkgutil.walk_packages(pkg.__path__, f"{package}."):
            importlib.import_module(info.name)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_chinese_and_english_both_taking_values():
    from domain import i18n

    _load_every_module()
    catalog = i18n._catalog
    assert len(catalog) > 200
    bad = []
    for key, (zh, en) in catalog.items():
        if not zh.strip() or not en.strip():
            bad.append(f"{key}: empty")
        elif bool(_fields(zh)) != bool(_fields(en)):  # one language forgot the values
            bad.append(f"{key}: {sorted(_fields(zh))} vs {sorted(_fields(en))}")
        elif CJK.search(en) and not CJK.search(zh):
            bad.append(f"{key}: Chinese in the English text")
    assert not bad, "\n".join(bad)


def _call_name(node: ast.Call) -> str:
    f = node.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def _texts(node) -> list[str]:
    """The literal text of a str constant or an f-string's literal parts."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.Constant)]
    return []


#: Which positional arguments are shown (default: the first; the rest are styles, ids ...).
SHOWN_POSITIONS = {"Binding": slice(2, 3), "add_row": slice(None), "add_columns": slice(None),
                   "Content": slice(None)}


def _shown_positional(node: ast.Call) -> list:
    return list(node.args[SHOWN_POSITIONS.get(_call_name(node), slice(0, 1))])


def _is_visible(text: str) -> bool:
    if CJK.search(text):
        return True
    return bool(WORDS.search(text)) and not KEY.match(text)


def literals_outside_catalogs(source: str, name: str = "<src>") -> list[str]:
    """Chinese anywhere outside register({...}) and docstrings; English passed
    to a call that shows it (widgets, notify, Binding descriptions ...)."""
    tree = ast.parse(source)
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _call_name(node) == "register":
            skip.update(id(n) for n in ast.walk(node))
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        for text in _texts(node):
            if CJK.search(text):
                found.append(f"{name}:{node.lineno}: {text!r}")
        if isinstance(node, ast.Call) and _call_name(node) in SHOWN_CALLS:
            args = _shown_positional(node)
            args += [k.value for k in node.keywords if k.arg in SHOWN_KEYWORDS]
            for arg in args:
                for text in _texts(arg):
                    if not CJK.search(text) and _is_visible(text) and id(arg) not in skip:
                        found.append(f"{name}:{node.lineno}: {text!r}")
    return found


def _tui_sources() -> list[Path]:
    return [p for p in sorted((ROOT / "tui").rglob("*.py")) if "cli" not in p.relative_to(ROOT / "tui").parts
            and p.name != "messages.py"]


def test_no_user_visible_literal_in_tui_outside_a_catalog():
    found = []
    for path in _tui_sources():
        found += literals_outside_catalogs(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert not found, "\n".join(found)


@pytest.mark.parametrize("source", [
    'self.notify("Saved")',
    'yield Static("保存好了")',
    'Binding("m", "settle(\'mine\')", "mine")',
    'Input(placeholder="Search members")',
    'names = [f"{d}日{n}" for d, n in x]',
    'text.append("Total: ")',
    'table.add_row("1", "Mine", style)',
])
def test_the_literal_check_can_fail(source):
    assert literals_outside_catalogs(source)


@pytest.mark.parametrize("source", [
    'register({"a.b": ("保存", "Save")})',
    'Binding("ctrl+s", "save", "act.save", priority=True)',
    'Static("", id="form-title")',
    'Text(tr("x.y"), style="bold dim")',
    'text.append(tr("a.b"), "red")',
    'def f():\n    """说明：中文文档"""\n',
])
def test_the_literal_check_lets_catalog_use_pass(source):
    assert literals_outside_catalogs(source) == []
