"""One settings resolver: flags over environment over configuration over defaults."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from domain.config import ConfigError
from domain.settings import SettingsError, resolve_settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def config_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('language = "en"\nschool = "配置小学"\n[sync]\nspreadsheet = "from-config"\n'
                    'endpoint = "http://127.0.0.1:9/config"\n', encoding="utf-8")
    return path


def test_flag_beats_environment_beats_configuration_beats_default(config_file, tmp_path):
    env = {"LEDGER_CONFIG": str(config_file), "LEDGER_SPREADSHEET": "from-env"}
    s = resolve_settings({"spreadsheet": "from-flag", "db": str(tmp_path / "l.json")}, env=env)
    assert (s.spreadsheet, s.endpoint, s.lang, s.credentials) == \
        ("from-flag", "http://127.0.0.1:9/config", "en", "")
    assert s.sources["spreadsheet"] == ("flag", "--spreadsheet")
    assert s.sources["endpoint"] == ("config", str(config_file))
    s = resolve_settings({"db": str(tmp_path / "l.json")}, env=env)
    assert s.spreadsheet == "from-env" and s.sources["spreadsheet"] == ("env", "LEDGER_SPREADSHEET")
    s = resolve_settings({"db": str(tmp_path / "l.json"), "lang": "zh"}, env={})
    assert s.lang == "zh" and s.spreadsheet == "" and s.sources["spreadsheet"] == ("default", "")


def test_the_configuration_is_loaded_once_and_carried(config_file, tmp_path):
    s = resolve_settings({"config": str(config_file), "db": str(tmp_path / "l.json")}, env={})
    assert s.config.path == config_file and s.config.school == "配置小学"
    assert s.school is None  # the ledger's own school wins over the configuration's, at open


@pytest.mark.parametrize("flags, env, key", [
    ({"lang": "fr"}, {}, "lang"),
    ({}, {"LEDGER_LANG": "de"}, "lang"),
    ({"endpoint": "ftp://x"}, {}, "endpoint"),
])
def test_a_bad_setting_is_refused_naming_key_value_and_what_is_accepted(flags, env, key, tmp_path):
    with pytest.raises(SettingsError) as err:
        resolve_settings({"db": str(tmp_path / "l.json"), **flags}, env=env)
    message = str(err.value)
    assert key in message and repr([*flags.values(), *env.values()][0]) in message
    assert "http://" in message or "zh" in message


def test_a_wrong_typed_list_in_the_configuration_names_the_key(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('visit_reasons = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        resolve_settings({"config": str(path), "db": str(tmp_path / "l.json")}, env={})
    assert "visit_reasons" in str(err.value) and str(path) in str(err.value)


def run(*args, env=None):
    return subprocess.run([sys.executable, str(ROOT / "app.py"), *args], cwd=ROOT, capture_output=True,
                          text=True, env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", **(env or {})})


def test_config_command_prints_each_setting_and_where_it_came_from(config_file, tmp_path):
    out = run("config", "--json", "--db", str(tmp_path / "l.json"), "--config", str(config_file),
              env={"LEDGER_SPREADSHEET": "env-sheet"})
    assert out.returncode == 0, out.stderr
    shown = json.loads(out.stdout)
    assert shown["spreadsheet"] == {"value": "env-sheet", "from": "environment LEDGER_SPREADSHEET"}
    assert shown["lang"]["value"] == "en" and str(config_file) in shown["lang"]["from"]
    assert shown["db"]["from"] == "command line --db"
    out = run("config", "--path", "--config", str(config_file))
    assert out.stdout.strip().splitlines()[-1] == str(config_file)


def test_a_broken_configuration_is_one_line_and_exit_1_for_every_command(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('visit_reasons = "x"\n', encoding="utf-8")
    for argv in (["list", "member"], ["make-demo", "--db", str(tmp_path / "d.json")], ["config"]):
        out = run("--config", str(path), "--db", str(tmp_path / "l.json"), *argv)
        assert out.returncode == 1 and len(out.stderr.strip().splitlines()) == 1, out.stderr
        assert "visit_reasons" in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "d.json").exists()  # make-demo honours --config
