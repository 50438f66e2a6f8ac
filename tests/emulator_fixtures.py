"""Helpers shared by the emulator, conformance and gateway tests.

Plain functions and context managers (tests import them explicitly; this is
not a conftest)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
import sys
from typing import Iterator

_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:  # `uv run pytest` does not put the project root on sys.path
    sys.path.insert(0, _ROOT)

from sync.emulator import Emulator  # noqa: E402


RECORDINGS = Path(__file__).resolve().parent / "recordings"  # gspread's cassettes, kept in the tree


def recordings_dir() -> Path:
    """The cassettes to replay: ``SHEETS_RECORDINGS`` if set, else the copy
    in ``tests/recordings``."""
    env = os.environ.get("SHEETS_RECORDINGS")
    return Path(env) if env else RECORDINGS


@contextlib.contextmanager
def running_emulator(**kwargs) -> Iterator[Emulator]:
    emu = Emulator(**kwargs)
    emu.start()
    try:
        yield emu
    finally:
        emu.stop()


def emulator_session(url: str):
    """A requests.Session that sends Google's hosts to the emulator (the
    same class the gateway uses)."""
    from sync.gateway_auth import make_emulator_session

    return make_emulator_session(url)


def gspread_client(url: str):
    """gspread 6.x, unchanged, talking to the emulator via ``session=``."""
    import gspread

    return gspread.Client(auth=None, session=emulator_session(url))
