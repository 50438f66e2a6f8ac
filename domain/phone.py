"""Chinese mobile numbers: 11 digits, ``1[3-9]`` then nine more."""

from __future__ import annotations

import re
import unicodedata

from domain.i18n import register, tr

register(
    {
        "phone.invalid": (
            "手机号应为 11 位数字、以 13 至 19 开头，如 13800138000",
            "A mobile number has 11 digits starting 13 to 19, e.g. 13800138000",
        ),
    }
)

_MOBILE = re.compile(r"1[3-9][0-9]{9}", re.ASCII)
_SEPARATORS = re.compile(r"[\s\-]+")


def validate_mobile(text: str) -> str:
    """Return the bare 11-digit number, or raise ``ValueError``.

    Spaces and dashes are dropped, full-width digits folded, and a ``+86`` or
    ``0086`` country prefix removed.
    """
    s = _SEPARATORS.sub("", unicodedata.normalize("NFKC", text or ""))
    for prefix in ("+86", "0086"):
        if s.startswith(prefix):
            s = s[len(prefix):]
            break
    if not _MOBILE.fullmatch(s):
        raise ValueError(tr("phone.invalid"))
    return s
