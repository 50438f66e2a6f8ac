"""The ``[reports]`` table of the configuration, read and checked.

Defaults (and what each key means) are in ``domain/default_config.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import UserError
from domain.i18n import register, tr

register({
    "reports.bad_key": ("配置 [reports] 中 {key} 应为{expected}", "In [reports] of the configuration, {key} must be {expected}"),
    "reports.expect_bool": ("true 或 false", "true or false"),
    "reports.expect_text": ("文字", "text"),
    "reports.expect_list": ("字符串列表", "a list of strings"),
    "reports.expect_table": ("表", "a table"),
})


class ReportSettingsError(UserError, ValueError):
    pass


@dataclass(frozen=True)
class ReportSettings:
    union_name: str
    amount_words_zero: bool = True
    help_reasons: tuple[str, ...] = ()  # 帮困率: the visit reasons that count (empty: any)
    activity_retirees: bool = True  # 活动参与率: retirees in the denominator


def _typed(table: dict, key: str, kind, expected: str, default):
    value = table.get(key, default)
    if not isinstance(value, kind):
        raise ReportSettingsError(tr("reports.bad_key", key=key, expected=tr(expected)))
    return value


def report_settings(config, school: str) -> ReportSettings:
    """``school``: the ledger's school, for the default union name."""
    table = getattr(config, "reports", None) or {}
    targets = _typed(table, "targets", dict, "reports.expect_table", {})
    reasons = _typed(targets, "help_reasons", list, "reports.expect_list", [])
    if not all(isinstance(r, str) for r in reasons):
        raise ReportSettingsError(tr("reports.bad_key", key="targets.help_reasons",
                                     expected=tr("reports.expect_list")))
    name = _typed(table, "union_name", str, "reports.expect_text", "").strip()
    return ReportSettings(
        union_name=name or f"{school}工会",
        amount_words_zero=_typed(table, "amount_words_zero", bool, "reports.expect_bool", True),
        help_reasons=tuple(reasons),
        activity_retirees=_typed(targets, "activity_retirees", bool, "reports.expect_bool", True),
    )
