"""python -m sync.emulator --state FILE [--port N] [--quota] [--title T]"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from .server import Emulator


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m sync.emulator",
                                description="Google Sheets API emulator on 127.0.0.1 (state kept in a JSON file)")
    p.add_argument("--state", required=True, help="JSON file: loaded on start, saved after each write")
    p.add_argument("--port", type=int, default=0, help="port (default: any free port)")
    p.add_argument("--quota", action="store_true", help="enforce 60 reads and 60 writes per minute")
    p.add_argument("--title", default=None, help="create a spreadsheet with this title if the state has none")
    args = p.parse_args(argv)
    emu = Emulator(state_path=args.state, quota=args.quota, port=args.port)
    if args.title and not emu.backend.spreadsheets:
        emu.create_spreadsheet(args.title)
    url = emu.start()
    print(url, flush=True)
    for sid, ss in emu.backend.spreadsheets.items():
        if not ss.deleted:
            print(f"spreadsheet {sid}  {ss.props['title']}", flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: done.set())
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
    emu.stop()
    emu.save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
