"""Field masks (``fields=`` of a read, ``fields`` of an update request):
parsed once into a nested dict, used by reads (``apply_mask``) and by the
batchUpdate requests that update properties (``set_by_mask``)."""

from __future__ import annotations

import copy
from typing import Any


def parse_mask(text: str) -> dict:
    """`a.b,c/d,e(f,g)` -> nested dict; an empty dict means "whole value"."""
    tree: dict = {}
    _parse_list(text, 0, tree, None)
    return tree


def _parse_list(text: str, i: int, node: dict, end: str | None) -> int:
    """Parse paths from ``text[i:]`` into ``node`` up to ``end``; returns
    the index reached."""
    while i < len(text):
        start = i
        while i < len(text) and text[i] not in ",()":
            i += 1
        cur = node
        for part in (p for p in text[start:i].strip().replace("/", ".").split(".") if p):
            cur = cur.setdefault(part, {})
        if i < len(text) and text[i] == "(":
            i = _parse_list(text, i + 1, cur, ")") + 1  # past ')'
        if i < len(text) and text[i] == ",":
            i += 1
            continue
        if i < len(text) and text[i] == ")":
            if end == ")":
                return i
            i += 1  # a stray ')' at the top level: skip it, never loop on it
    return i


def apply_mask(value: Any, mask: dict) -> Any:
    """Keep only the parts of ``value`` the mask names."""
    if not mask or "*" in mask:
        return value
    if isinstance(value, list):
        return [apply_mask(v, mask) for v in value]
    if isinstance(value, dict):
        return {k: apply_mask(v, mask[k]) for k, v in value.items() if k in mask}
    return value


def set_by_mask(target: dict, source: dict, fields: str) -> None:
    """Copy the fields named in an update mask from source to target (a
    field named but absent in source is cleared)."""
    _copy_masked(target, source, parse_mask(fields))


def _copy_masked(target: dict, source: dict, mask: dict) -> None:
    if "*" in mask:
        for k in list(target.keys()):
            if k not in source and k != "sheetId":
                target.pop(k, None)
        for k, v in source.items():
            target[k] = copy.deepcopy(v)
        return
    for k, sub in mask.items():
        if not sub:
            if k in source:
                target[k] = copy.deepcopy(source[k])
            else:
                target.pop(k, None)
            continue
        if not isinstance(target.get(k), dict):
            target[k] = {}
        _copy_masked(target[k], source.get(k) or {}, sub)
