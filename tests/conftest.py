"""Shared fixtures: every test runs with its own data and config folders."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("LEDGER_CONFIG", str(home / "config" / "none.toml"))
    for name in ("LEDGER_DB", "LEDGER_SCHOOL", "LEDGER_LANG", "LEDGER_SPREADSHEET", "LEDGER_SHEETS_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    from domain.i18n import set_language

    set_language("zh")
    yield


@pytest.fixture
def ledger_path(tmp_path):
    return tmp_path / "ledger.json"


@pytest.fixture
def ledger(ledger_path):
    from domain.store import Ledger

    with Ledger.open(ledger_path, school="莲峰小学") as led:
        yield led
