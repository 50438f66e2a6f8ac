"""One settings resolver: flags over environment over configuration over defaults.

Both faces call ``resolve_settings`` once per run and pass the one
``Settings`` it returns down; nothing else reads ``LEDGER_*`` variables or
loads the configuration.  Every value remembers where it came from, for
``app.py config``.  A bad value is refused with one line naming the key, the
value and what is accepted.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from domain.config import Config, ConfigError, default_config_path, load_config
from domain.i18n import LANGUAGES, register, tr

register({
    "settings.bad": ("设置 {key} 的值 {value!r} 无效（来自{source}）：应为{accepted}",
                     "setting {key} = {value!r} (from {source}) is not valid: expected {accepted}"),
    "settings.accept.lang": ("zh 或 en", "zh or en"),
    "settings.accept.url": ("以 http:// 或 https:// 开头的网址", "a URL starting with http:// or https://"),
    "settings.accept.text": ("一行文字", "one line of text"),
    "settings.source.flag": ("命令行 {flag}", "command line {flag}"),
    "settings.source.env": ("环境变量 {name}", "environment {name}"),
    "settings.source.config": ("配置文件 {path}", "config file {path}"),
    "settings.source.default": ("默认值", "default"),
    "settings.source.demo": ("演示台账（--demo）", "demo ledger (--demo)"),
})

# key: (command-line flag, environment variable, key in the configuration)
SOURCES: dict[str, tuple[str, str, str | None]] = {
    "lang": ("--lang", "LEDGER_LANG", "language"),
    "config": ("--config", "LEDGER_CONFIG", None),
    "db": ("--db", "LEDGER_DB", None),
    "school": ("--school", "LEDGER_SCHOOL", "school"),
    "spreadsheet": ("--spreadsheet", "LEDGER_SPREADSHEET", "sync.spreadsheet"),
    "endpoint": ("--endpoint", "LEDGER_SHEETS_ENDPOINT", "sync.endpoint"),
    "credentials": ("--credentials", "LEDGER_SHEETS_CREDENTIALS", "sync.credentials"),
}


class SettingsError(ConfigError):
    pass


@dataclass(frozen=True)
class Settings:
    """The effective settings of one run."""

    lang: str
    config_path: Path
    db: Path
    demo: bool
    school: str | None  # named by flag or environment; else the ledger's own, else the configuration's
    spreadsheet: str
    endpoint: str
    credentials: str
    config: Config = field(repr=False)
    sources: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # key -> (where, detail)

    def rows(self) -> list[tuple[str, str, str]]:
        """(key, value, where it came from) for every setting, for ``app.py config``."""
        values = {key: getattr(self, key, None) for key in SOURCES}
        values.update(config=self.config_path, school=self.school or self.config.school)
        return [(key, _shown(values[key]), describe_source(self.sources[key])) for key in SOURCES]


def describe_source(source: tuple[str, str]) -> str:
    """Where a setting came from, in the current language."""
    where, detail = source
    return tr(f"settings.source.{where}", flag=detail, name=detail, path=detail)


def _shown(value: object) -> str:
    return "" if value is None else str(value)


def demo_path(large: bool = False) -> Path:
    from platformdirs import user_data_dir

    name = "demo-large.json" if large else "demo.json"
    return Path(user_data_dir("union-ledger", appauthor=False)) / name


def default_ledger_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("union-ledger", appauthor=False)) / "ledger.json"


def _config_value(data: Config, dotted: str) -> str:
    if dotted.startswith("sync."):
        return data.sync.get(dotted[5:]) or ""
    return getattr(data, dotted, "") or ""


class _Picker:
    """Takes each setting from the first place that has it, and notes which."""

    def __init__(self, flags: Mapping[str, object], env: Mapping[str, str]):
        self.flags, self.env, self.sources = flags, env, {}

    def pick(self, key: str, config: Config | None = None, default: object = None) -> object:
        flag, env_name, config_key = SOURCES[key]
        if self.flags.get(key) not in (None, ""):
            self.sources[key] = ("flag", flag)
            return self.flags[key]
        if self.env.get(env_name, "").strip():
            self.sources[key] = ("env", env_name)
            return self.env[env_name].strip()
        if config is not None and config_key in config.user_keys and _config_value(config, config_key):
            self.sources[key] = ("config", str(config.path))
            return _config_value(config, config_key)
        self.sources[key] = ("default", "")
        return default


def _check(key: str, value: str, ok: bool, accepted: str, picker: _Picker) -> None:
    if not ok:
        raise SettingsError(tr("settings.bad", key=key, value=value, source=describe_source(picker.sources[key]),
                               accepted=tr(accepted)))


def resolve_settings(flags: Mapping[str, object] | None = None,
                     env: Mapping[str, str] | None = None) -> Settings:
    """``flags`` holds the command line's values by key (None when not given),
    plus ``demo`` (bool).  Loads the configuration once."""
    flags = dict(flags or {})
    env = os.environ if env is None else env
    picker = _Picker(flags, env)
    config_path = Path(picker.pick("config", default=default_config_path()))
    config = load_config(config_path)
    lang = str(picker.pick("lang", config, "zh"))
    _check("lang", lang, lang in LANGUAGES, "settings.accept.lang", picker)
    db = _ledger_path(picker, bool(flags.get("demo")))
    texts = {key: str(picker.pick(key, config, "")).strip() for key in ("spreadsheet", "endpoint", "credentials")}
    _check("endpoint", texts["endpoint"], not texts["endpoint"] or texts["endpoint"].startswith(("http://", "https://")),
           "settings.accept.url", picker)
    for key in ("spreadsheet", "credentials"):
        _check(key, texts[key], "\n" not in texts[key], "settings.accept.text", picker)
    school = flags.get("school") or env.get("LEDGER_SCHOOL", "").strip() or None
    picker.pick("school", config)  # where the school comes from, for `config`
    return Settings(lang=lang, config_path=config_path, db=db, demo=bool(flags.get("demo")), school=school,
                    config=config, sources=picker.sources, **texts)


def _ledger_path(picker: _Picker, demo: bool) -> Path:
    if not picker.flags.get("db") and demo:
        picker.sources["db"] = ("demo", "")
        return demo_path()
    return Path(os.path.expanduser(str(picker.pick("db", default=default_ledger_path()))))
