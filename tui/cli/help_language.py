"""argparse's own words (usage, options, its error messages) in the interface language.

argparse looks its sentences up through ``gettext``; pointing its ``_`` at
the catalog makes ``--help`` and a mistyped command speak Chinese too.
"""

from __future__ import annotations

import argparse

from domain.i18n import register, tr

_WORDS = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示帮助并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "需要以下参数之一：%s",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "expected at least one argument": "至少需要一个值",
}
_KEYS = {english: f"argparse.{i}" for i, english in enumerate(_WORDS)}
register({_KEYS[english]: (chinese, english) for english, chinese in _WORDS.items()})


def _translate(message: str) -> str:
    key = _KEYS.get(message)
    return tr(key) if key else message


def speak_the_interface_language() -> None:
    argparse._ = _translate  # argparse calls _() at the moment it formats, so the language may change later
