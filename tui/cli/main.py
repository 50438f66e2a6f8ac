"""The command line's entry: parse, resolve the settings once, run one command.

Global options (``--db``, ``--demo``, ``--lang``, ``--config``, ``--school``)
may stand before or after the command's name.  The settings are resolved
before the full parse so that ``--help`` already speaks the chosen language.
Errors the user can act on print one line (``错误：…``) and exit 1.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from types import ModuleType

from domain.errors import user_message
from domain.i18n import register, set_language, tr
from domain.settings import Settings, resolve_settings
from tui.cli import (backups, demo_conflict, events, exporting, importing, records, reports, setup, sync,
                     sync_problems)
from tui.cli.help_language import speak_the_interface_language
from tui.cli.output import error, warn

register({
    "cli.description": ("工会台账：学校工会的会员、活动、慰问台账，可与学区共享表格双向同步。",
                        "Union ledger: a school union's members, events and visits, synced with the district's sheet."),
    "cli.help.db": ("台账文件（默认：LEDGER_DB 或用户数据文件夹）", "ledger file (default: LEDGER_DB or the user data folder)"),
    "cli.help.demo": ("使用演示台账（首次使用时生成）", "use the demo ledger, made on first use"),
    "cli.help.lang": ("界面语言（默认 zh）", "language of the interface (default zh)"),
    "cli.help.config_file": ("配置文件（默认：LEDGER_CONFIG）", "configuration file (default: LEDGER_CONFIG)"),
    "cli.help.school": ("本台账的学校（默认：LEDGER_SCHOOL）", "this ledger's school (default: LEDGER_SCHOOL)"),
})

COMMAND_MODULES: tuple[ModuleType, ...] = (records, setup, sync, sync_problems, importing, exporting, reports,
                                           backups, events, demo_conflict)
# Command-line flags the settings resolver reads, by settings key.
SETTING_FLAGS = {"db": "--db", "lang": "--lang", "config": "--config", "school": "--school",
                 "spreadsheet": "--spreadsheet", "endpoint": "--endpoint", "credentials": "--credentials"}


class Exit(Exception):
    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


@dataclass
class Context:
    """What a command handler gets: the run's settings and, unless the command
    said ``needs_ledger=False``, the open ledger."""

    settings: Settings
    ledger: object = None


def _global_options(p: argparse.ArgumentParser, default) -> None:
    p.add_argument("--db", metavar="PATH", default=default, help=tr("cli.help.db"))
    p.add_argument("--demo", action="store_true", default=default or False, help=tr("cli.help.demo"))
    p.add_argument("--lang", choices=("zh", "en"), default=default, help=tr("cli.help.lang"))
    p.add_argument("--config", metavar="FILE", default=default, help=tr("cli.help.config_file"))
    p.add_argument("--school", metavar="NAME", default=default, help=tr("cli.help.school"))


def build_parser() -> argparse.ArgumentParser:
    speak_the_interface_language()
    p = argparse.ArgumentParser(prog="app.py", description=tr("cli.description"))
    _global_options(p, None)
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    add_parser = sub.add_parser
    sub.add_parser = lambda *a, **kw: add_parser(*a, parents=[common], **kw)
    for module in COMMAND_MODULES:
        module.register(sub)
    return p


def _setting_flags(argv: list[str]) -> dict:
    """The settings named on the command line, wherever they stand."""
    pre = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    for key, flag in SETTING_FLAGS.items():
        pre.add_argument(flag, dest=key)
    pre.add_argument("--demo", action="store_true")
    known, _ = pre.parse_known_args(argv)
    return vars(known)


def parse(argv: list[str]) -> tuple[argparse.Namespace, Settings]:
    try:
        settings = resolve_settings(_setting_flags(argv))
    except Exception as exc:
        raise Exit(_fail(exc)) from exc
    set_language(settings.lang)
    args = build_parser().parse_args(argv)
    return args, settings


def _fail(exc: BaseException) -> int:
    message = user_message(exc)
    if message is None:
        raise exc
    error(message)
    return 1


def guarded(action) -> int:
    """Run ``action``; an error the user can act on is one line and exit 1."""
    try:
        return action()
    except Exception as exc:
        return _fail(exc)


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    from domain.session import open_ledger

    def run() -> int:
        if not getattr(args, "needs_ledger", True):
            return args.func(args, Context(settings))
        with open_ledger(settings, read_only=getattr(args, "read_only", False)) as ledger:
            for notice in ledger.notices:  # files tightened to 0600, an automatic backup that failed
                warn(notice)
            return args.func(args, Context(settings, ledger))

    return guarded(run)


def main(argv: list[str] | None = None, *, full_screen=None) -> int:
    """Parse and run one command.  No command: ``full_screen(settings)`` (app.py
    passes the full-screen program), or the help when there is none."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        args, settings = parse(argv)
    except Exit as exc:
        return exc.code
    if args.command is not None:
        return run_command(args, settings)
    if full_screen is None:
        build_parser().print_help()
        return 0
    return guarded(lambda: full_screen(settings))
