"""A Google Sheets API v4 emulator (plus the few Drive v3 calls gspread
makes), a real HTTP server on 127.0.0.1 that gspread 6.x talks to unchanged
through its ``session=`` hook. Stdlib only; never imports gspread.

    from sync.emulator import Emulator
    with Emulator() as emu:                 # or Emulator(state_path="x.json", quota=True)
        sid = emu.create_spreadsheet("台账", tabs=["会员"])
        emu.url                             # http://127.0.0.1:PORT
        emu.fail_next(503, count=2)         # faults: status / slow_next / drop_next
        emu.set_cell(sid, "会员", "C2", "=1+1")   # staff typing in the browser
        emu.counts                          # {"read": n, "write": m}

HTTP controls live under ``/_emulator/`` (see ``Emulator.control``).
Run standalone: ``python -m sync.emulator --state FILE [--port N] [--quota]``.
"""

from .model import ApiError
from .server import Emulator

__all__ = ["Emulator", "ApiError"]
