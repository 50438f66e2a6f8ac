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


def main(argv: list[str] | None = None) -> int:
    from tui.cli.main import Exit, guarded, parse, run_command

    argv = sys.argv[1:] if argv is None else argv
    try:
        args, settings = parse(argv)
    except Exit as exc:
        return exc.code
    if args.command is not None:
        return run_command(args, settings)

    def full_screen() -> int:
        from tui.app import run  # Textual is imported only here

        return run(settings)

    return guarded(full_screen)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # `app.py list member | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
