"""Every action of the screen that can fail says why and leaves the program running.

``domain.errors.user_message`` maps the program's errors (refused values,
a busy or unreadable ledger, a full or read-only disk, the sync's errors)
to one sentence; anything it does not know is a bug and keeps its traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from domain.errors import user_message


def show_failure(node, exc: BaseException) -> bool:
    """Show ``exc`` as an error toast on ``node``'s app; False when it is a bug."""
    message = user_message(exc)
    if message is None:
        return False
    node.notify(message, severity="error", timeout=10)
    return True


@contextmanager
def reported(node) -> Iterator[None]:
    """Run the block; a user-facing error ends it with a toast instead of a traceback."""
    try:
        yield
    except Exception as exc:
        if not show_failure(node, exc):
            raise
