"""工会台账: the full-screen ledger by default, and scriptable subcommands.

    app.py [--demo | --db PATH] [--lang en]      the full-screen program
    app.py COMMAND ...                            the command line (`app.py --help`)

This file only chooses the face: the command line lives in ``tui/cli/``, the
full-screen program in ``tui/``; both call the application layer (``domain``
services and ``sync.service``).  Heavy imports (Textual, gspread) happen only
in the face or command that needs them.
"""

from __future__ import annotations

import os
import sys


def full_screen(settings) -> int:
    from tui.app import run  # Textual is imported only here

    return run(settings)


def main(argv: list[str] | None = None) -> int:
    from tui.cli.main import main as command_line

    return command_line(argv, full_screen=full_screen)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # `app.py list member | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
