"""The configuration: categories, caps and sync settings that differ by place.

Defaults come from ``default_config.toml`` beside this file; the user's
``config.toml`` (``LEDGER_CONFIG`` or the platform's config folder) overrides
them key by key.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from domain.errors import UserError
from domain.i18n import register, tr
from domain.money import parse_yuan

register({
    "config.bad_toml": ("配置文件 {path} 无法读取：{error}", "Cannot read config file {path}: {error}"),
    "config.bad_key": ("配置文件 {path} 中 {key} 应为{expected}",
                       "In config file {path}, {key} must be {expected}"),
})

DEFAULTS_PATH = Path(__file__).with_name("default_config.toml")
LIST_KEYS = ("visit_reasons", "fund_sources", "event_categories")


def default_config_path() -> Path:
    env = os.environ.get("LEDGER_CONFIG")
    if env:
        return Path(env)
    from platformdirs import user_config_dir

    return Path(user_config_dir("union-ledger", appauthor=False)) / "config.toml"


@dataclass(frozen=True)
class Cap:
    max_fen: int | None = None
    max_per_year: int | None = None


@dataclass
class Config:
    school: str = ""
    district: str = ""
    language: str = "zh"
    lists: dict[str, tuple[str, ...]] = field(default_factory=dict)
    caps: dict[str, Cap] = field(default_factory=dict)
    sync: dict = field(default_factory=dict)
    reports: dict = field(default_factory=dict)  # read by domain/reports/settings.py
    backups: dict = field(default_factory=dict)  # read by domain/backup_policy.py
    path: Path | None = None
    user_keys: frozenset[str] = frozenset()  # keys the user's file sets ("school", "sync.endpoint", …)

    def choices(self, name: str) -> tuple[str, ...]:
        return self.lists.get(name, ())


class ConfigError(UserError, ValueError):
    pass


def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(tr("config.bad_toml", path=path, error=exc)) from exc


def load_config(path: Path | None = None) -> Config:
    data = _read_toml(DEFAULTS_PATH)
    path = path or default_config_path()
    user = _read_toml(path) if path.exists() else {}
    if user:
        for key, value in user.items():
            if isinstance(value, dict) and isinstance(data.get(key), dict):
                data[key] = {**data[key], **value}
            else:
                data[key] = value

    def need(key: str, value, kind, expected: str):
        if not isinstance(value, kind):
            raise ConfigError(tr("config.bad_key", path=path, key=key, expected=expected))
        return value

    lists = {}
    for key in LIST_KEYS:
        items = need(key, data.get(key, []), list, "字符串列表")
        lists[key] = tuple(need(key, str(i), str, "字符串列表") for i in items)
    caps = {}
    for reason, spec in need("caps", data.get("caps", {}), dict, "表").items():
        spec = need(f"caps.{reason}", spec, dict, "表")
        try:
            max_fen = parse_yuan(str(spec["max_yuan"])) if "max_yuan" in spec else None
        except ValueError as exc:
            raise ConfigError(tr("config.bad_key", path=path, key=f"caps.{reason}.max_yuan",
                                 expected=str(exc))) from exc
        per_year = spec.get("max_per_year")
        if per_year is not None:
            need(f"caps.{reason}.max_per_year", per_year, int, "整数")
        caps[reason] = Cap(max_fen, per_year)
    return Config(
        school=str(data.get("school", "")),
        district=str(data.get("district", "")),
        language=str(data.get("language", "zh")),
        lists=lists,
        caps=caps,
        sync=dict(need("sync", data.get("sync", {}), dict, "表")),
        reports=dict(need("reports", data.get("reports", {}), dict, "表")),
        backups=dict(need("backups", data.get("backups", {}), dict, "表")),
        path=path,
        user_keys=frozenset(_dotted_keys(user)),
    )


def _dotted_keys(table: dict, prefix: str = ""):
    for key, value in table.items():
        yield prefix + key
        if isinstance(value, dict):
            yield from _dotted_keys(value, f"{prefix}{key}.")
