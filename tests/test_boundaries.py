"""The layers' import rules, checked on every build.

domain/ never imports textual, gspread, google or requests; textual only
under tui/; gspread and google only in sync/gateway.py.  Checked two ways:
statically over every import statement (lazy ones included), and by
importing the packages in a fresh interpreter.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NETWORK = {"gspread", "google", "requests", "google_auth_oauthlib"}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def offenders(folder: str, forbidden: set[str], allowed_files: set[str] = frozenset()) -> dict[str, set]:
    found = {}
    for path in sorted((ROOT / folder).rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        bad = imported_roots(path) & forbidden
        if bad and rel not in allowed_files:
            found[rel] = bad
    return found


def test_domain_imports_no_ui_or_network():
    assert offenders("domain", {"textual", "rich", "tui", "sync"} | NETWORK) == {}


def test_sync_imports_no_textual_and_network_only_in_gateway():
    assert offenders("sync", {"textual", "rich", "tui"}) == {}
    assert offenders("sync", NETWORK, {"sync/gateway.py"}) == {}


def test_checker_sees_lazy_imports(tmp_path):
    # The check must be able to fail: an import inside a function counts.
    sample = tmp_path / "m.py"
    sample.write_text("def f():\n    import gspread\n    from textual.app import App\n")
    assert imported_roots(sample) >= {"gspread", "textual"}


def test_importing_domain_and_sync_loads_no_ui_or_network():
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for folder in ("domain", "sync")
        for p in (ROOT / folder).rglob("*.py")
        if p.name != "__main__.py" and p.relative_to(ROOT).as_posix() != "sync/gateway.py"
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'textual', 'gspread', 'google', 'requests'})\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
