"""The layers' import rules, checked on every build.

    app.py            chooses the face; nothing imports it
    tui/cli/          the command line: never imports Textual, rich or the full-screen modules
    tui/ (the rest)   the full-screen program: never imports the command line
    sync/             never imports tui/ or Textual; gspread and google only in sync/gateway*
    domain/           never imports sync/, tui/, textual, rich, gspread, google or requests
    no import cycle among the project's modules

Every import statement counts, lazy ones inside functions included.  Each
rule is a function over an import graph, so the tests below also show that
each can fail on a graph that breaks it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("domain", "sync", "tui")
NETWORK = {"gspread", "google", "requests", "google_auth_oauthlib"}
UI = {"textual", "rich"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_files() -> dict[str, Path]:
    files = {module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}
    files["app"] = ROOT / "app.py"
    return files


def imports_of(path: Path, name: str) -> set[str]:
    """Every module ``path`` imports, as dotted names (``from a import b`` gives a and a.b)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def import_graph() -> dict[str, set[str]]:
    files = project_files()
    return {name: imports_of(path, name) for name, path in files.items()}


def _root(name: str) -> str:
    return name.split(".")[0]


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def violations(graph: dict[str, set[str]]) -> list[str]:
    """Every broken rule, as one readable line each."""
    out = []
    for mod, targets in sorted(graph.items()):
        for t in sorted(targets):
            if t == "app":
                out.append(f"{mod} imports app.py")
            if _under(mod, "domain") and (_root(t) in {"sync", "tui"} | UI | NETWORK):
                out.append(f"{mod} (domain) imports {t}")
            if _under(mod, "sync") and (_root(t) == "tui" or _root(t) in UI):
                out.append(f"{mod} (sync) imports {t}")
            if _root(t) in NETWORK and not (_under(mod, "sync") and mod.split(".")[1].startswith("gateway")):
                out.append(f"{mod} imports {t} outside sync/gateway")
            if _under(mod, "tui.cli") and (_root(t) in UI or (_under(t, "tui") and not _under(t, "tui.cli")
                                                              and t != "tui")):
                out.append(f"{mod} (command line) imports {t}")
            if _under(mod, "tui") and not _under(mod, "tui.cli") and _under(t, "tui.cli"):
                out.append(f"{mod} (full-screen program) imports the command line {t}")
    out += [f"import cycle: {' -> '.join(c)}" for c in cycles(graph)]
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected group of project modules (Tarjan)."""
    edges = {m: sorted(t for t in ts if t in graph and t != m) for m, ts in graph.items()}
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group) + [sorted(group)[0]])

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


# ----------------------------------------------------------------- the rules on this tree
def test_the_project_keeps_its_import_rules():
    assert violations(import_graph()) == []


def test_importing_domain_and_sync_loads_no_ui_or_network():
    modules = sorted(
        m for m in project_files()
        if _root(m) in ("domain", "sync") and not m.endswith("__main__")
        and not (m.startswith("sync.gateway") or m == "sync.service")
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'textual', 'rich', 'gspread', 'google', 'requests'})\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_the_command_line_loads_no_textual():
    code = ("import sys, tui.cli.main\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'gspread'}))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


# ----------------------------------------------------------------- each rule can fail
def test_checker_sees_lazy_and_relative_imports(tmp_path):
    sample = tmp_path / "m.py"
    sample.write_text("def f():\n    import gspread\n    from textual.app import App\n    from . import sibling\n")
    found = imports_of(sample, "sync.m")
    assert {"gspread", "textual.app", "sync.sibling"} <= found


def _broken(graph: dict[str, set[str]]) -> list[str]:
    return violations({"app": set(), "domain.a": set(), "sync.gateway": {"gspread"}, **graph})


def test_each_rule_fails_on_a_graph_that_breaks_it():
    cases = {
        "imports app.py": {"tui.x": {"app"}},
        "(domain) imports sync.engine": {"domain.b": {"sync.engine"}},
        "(domain) imports textual": {"domain.b": {"textual"}},
        "(domain) imports gspread": {"domain.b": {"gspread"}},
        "(sync) imports tui.app": {"sync.engine": {"tui.app"}},
        "(sync) imports textual.app": {"sync.engine": {"textual.app"}},
        "imports google.auth outside sync/gateway": {"sync.engine": {"google.auth"}},
        "(command line) imports textual": {"tui.cli.x": {"textual"}},
        "(command line) imports tui.forms": {"tui.cli.x": {"tui.forms"}},
        "(full-screen program) imports the command line tui.cli.main": {"tui.app": {"tui.cli.main"}},
        "import cycle: domain.b -> domain.c -> domain.b": {"domain.b": {"domain.c"}, "domain.c": {"domain.b"}},
    }
    for expected, graph in cases.items():
        found = _broken(graph)
        assert any(expected in line for line in found), (expected, found)
    assert _broken({"tui.app": {"tui.forms", "domain.a"}, "tui.forms": set(), "tui.cli.x": {"tui.cli"}}) == []
