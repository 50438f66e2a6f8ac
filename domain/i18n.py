"""Message catalogs: Chinese by default, English on request.

Every user-facing sentence lives in a catalog as a (Chinese, English) pair
under a stable key; code asks for ``tr(key, **params)``.  Modules register
their own messages with ``register({...})`` so each keeps its text beside
the code that uses it, and ``tr`` never hides a missing key (KeyError).
"""

from __future__ import annotations

import os

LANGUAGES = ("zh", "en")
_catalog: dict[str, tuple[str, str]] = {}
_language = "zh" if not os.environ.get("LEDGER_LANG", "").startswith("en") else "en"


def register(messages: dict[str, tuple[str, str]]) -> None:
    """Add messages; a key registered twice with other text is a bug."""
    for key, pair in messages.items():
        if key in _catalog and _catalog[key] != pair:
            raise ValueError(f"message {key!r} registered twice with different text")
        _catalog[key] = pair


def set_language(lang: str) -> None:
    global _language
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    _language = lang


def language() -> str:
    return _language


def tr(key: str, /, **params: object) -> str:
    zh, en = _catalog[key]
    text = zh if _language == "zh" else en
    return text.format(**params) if params else text


def keys() -> list[str]:
    return sorted(_catalog)
