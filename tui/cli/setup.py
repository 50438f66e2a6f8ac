"""config and make-demo: the program's own settings and the demo ledger.

    app.py config [--path] [--json]     the effective settings and where each came from
    app.py make-demo [--large] [--db PATH]
"""

from __future__ import annotations

from domain.i18n import register, tr
from tui.cli.output import print_json, print_table, say

register({
    "cli.demo_made": ("已生成演示台账：{path}（{members} 名会员，{events} 项活动，{visits} 次慰问）",
                      "Made the demo ledger {path} ({members} members, {events} events, {visits} visits)"),
    "cli.help.config": ("显示生效的设置及每项的来源（命令行、环境变量、配置文件或默认值）",
                        "show the effective settings and where each came from (flag, environment, config file, default)"),
    "cli.help.config_path": ("只打印配置文件的路径", "print only the configuration file's path"),
    "cli.help.make_demo": ("生成演示台账（--large：一万名会员，用于性能测试）",
                           "make a demo ledger (--large: 10,000 members for benchmarks)"),
    "cli.config.head": ("设置|值|来源", "setting|value|from"),
    "cli.config.missing": ("（文件不存在，使用默认配置；可从 {defaults} 复制）",
                           "(no such file: the defaults apply; copy from {defaults})"),
})


def cmd_config(args, ctx) -> int:
    settings = ctx.settings
    if args.path:
        say(settings.config_path)
        return 0
    rows = settings.rows()
    if args.json:
        print_json({key: {"value": value, "from": source} for key, value, source in rows})
        return 0
    print_table([tr("cli.config.head").split("|"), *[list(r) for r in rows]])
    if not settings.config_path.exists():
        from domain.config import DEFAULTS_PATH

        say(tr("cli.config.missing", defaults=DEFAULTS_PATH))
    return 0


def cmd_make_demo(args, ctx) -> int:
    from pathlib import Path

    from domain.demo import make_demo_ledger
    from domain.settings import demo_path

    path = Path(args.db) if args.db else demo_path(large=args.large)
    counts = make_demo_ledger(path, large=args.large, seed=args.seed, config=ctx.settings.config)
    say(tr("cli.demo_made", path=path, **counts))
    return 0


def register(sub) -> None:
    c = sub.add_parser("config", help=tr("cli.help.config"), description=tr("cli.help.config"))
    c.add_argument("--path", action="store_true", help=tr("cli.help.config_path"))
    c.add_argument("--json", action="store_true", help=tr("cli.help.json"))
    c.set_defaults(func=cmd_config, needs_ledger=False)
    d = sub.add_parser("make-demo", help=tr("cli.help.make_demo"), description=tr("cli.help.make_demo"))
    d.add_argument("--large", action="store_true")
    d.add_argument("--seed", type=int, default=2025)
    d.set_defaults(func=cmd_make_demo, needs_ledger=False)
