"""The emulator: a real HTTP server on 127.0.0.1 in front of the API
(``api.Backend``), with request counters, quota and faults (``traffic``),
direct edits (``staff``), HTTP controls (``controls``) and a JSON state file
(``persist``)."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .api import Backend
from .controls import CONTROL_PREFIX, control
from .model import Sheet, Spreadsheet
from .persist import load_state, save_state
from .staff import StaffEdits
from .traffic import Traffic, fault_error


class Emulator(StaffEdits):
    """A Sheets API v4 emulator on 127.0.0.1.

    >>> with Emulator() as emu:
    ...     sid = emu.create_spreadsheet("台账")
    ...     url = emu.url
    """

    def __init__(self, state_path: str | os.PathLike | None = None, quota: bool = False,
                 port: int = 0, user_email: str | None = None):
        self.backend = Backend(**({"user_email": user_email} if user_email else {}))
        self.lock = self.backend.lock
        self.traffic = Traffic(quota)
        self.state_path = os.fspath(state_path) if state_path else None
        self.port = port
        self._server: ThreadingHTTPServer | None = None
        self.url: str | None = None
        if self.state_path and os.path.exists(self.state_path):
            self.load(self.state_path)

    # ------------------------------------------------------------ lifecycle
    def start(self) -> str:
        emu = self

        class Handler(_Handler):
            emulator = emu

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         name="sheets-emulator", daemon=True).start()
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "Emulator":
        if self._server is None:
            self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def reset(self) -> None:
        """Forget every spreadsheet, fault and count."""
        with self.lock:
            self.backend.spreadsheets.clear()
            self.traffic.faults.clear()
            self.traffic.reset_counts()

    # ------------------------------------------------------------ spreadsheets
    def create_spreadsheet(self, title: str = "Untitled spreadsheet", tabs: list[str] | None = None) -> str:
        with self.lock:
            ss = self.backend.create(title)
            if tabs:
                ss.sheets[0].props["title"] = tabs[0]
                for t in tabs[1:]:
                    ss.sheets.append(Sheet(ss.new_sheet_id(), t))
                ss.reindex()
            self._saved()
            return ss.id

    def make_private(self, sid: str | None = None) -> str:
        """Register a spreadsheet that exists but is not shared with the
        caller: every request for it answers 403 PERMISSION_DENIED, as Google
        does for a sheet not shared with the service account."""
        with self.lock:
            ss = self.backend.create("private", sid)
            ss.deleted = True
            return ss.id

    # ------------------------------------------------------------ counters & faults
    @property
    def quota(self) -> bool:
        return self.traffic.quota

    @quota.setter
    def quota(self, on: bool) -> None:
        self.traffic.quota = on

    @property
    def quota_per_minute(self) -> int:
        return self.traffic.quota_per_minute

    @quota_per_minute.setter
    def quota_per_minute(self, n: int) -> None:
        self.traffic.quota_per_minute = n

    @property
    def counts(self) -> dict[str, int]:
        return {"read": self.traffic.reads, "write": self.traffic.writes}

    def reset_counts(self) -> None:
        with self.lock:
            self.traffic.reset_counts()

    def inject(self, kind: str, count: int = 1, *, status: int | None = None, delay: float = 0.0,
               methods: str = "any") -> None:
        """Make the next ``count`` API requests fail or misbehave.

        kind: "status" (answer ``status``: 429 with Google's quota body,
        500, 503), "delay" (answer after ``delay`` seconds), "drop" (apply
        the request, then close the connection without answering).
        methods: "any", "read" (GET) or "write" (POST/PUT/DELETE).
        """
        with self.lock:
            self.traffic.add_fault(kind, count, status, delay, methods)

    def fail_next(self, status: int, count: int = 1, methods: str = "any") -> None:
        self.inject("status", count, status=status, methods=methods)

    def slow_next(self, delay: float, count: int = 1, methods: str = "any") -> None:
        self.inject("delay", count, delay=delay, methods=methods)

    def drop_next(self, count: int = 1, methods: str = "write") -> None:
        self.inject("drop", count, methods=methods)

    def clear_faults(self) -> None:
        with self.lock:
            self.traffic.faults.clear()

    # ------------------------------------------------------------ request entry
    def dispatch(self, method: str, raw_path: str, body: bytes) -> tuple[int, Any, dict | None]:
        """Returns (status, json, fault-or-None). Counting, quota, faults."""
        parsed = urllib.parse.urlsplit(raw_path)
        path = parsed.path
        kind = "read" if method == "GET" else "write"
        fault = None
        if path.startswith(("/v4/", "/drive/")):
            with self.lock:
                is_sheets = path.startswith("/v4/")
                if is_sheets:
                    self.traffic.count(kind)
                fault = self.traffic.take_fault(kind)
                if fault and fault["kind"] == "status":
                    err = fault_error(fault["status"], kind)
                    return err.code, err.body(), fault
                err = self.traffic.over_quota(kind) if is_sheets else None
                if err is not None:
                    return 429, err.body(), fault
        query = urllib.parse.parse_qs(parsed.query, keep_blank_values=True)
        status, out = self.backend.handle(method, path, query, body)
        if kind == "write" and status < 300:
            self._saved()
        return status, out, fault

    def control(self, method: str, path: str, data: dict) -> tuple[int, Any]:
        return control(self, method, path, data)

    # ------------------------------------------------------------ persistence
    def save(self, path: str | None = None) -> None:
        path = path or self.state_path
        if path:
            with self.lock:
                save_state(self.backend.spreadsheets, path)

    def load(self, path: str) -> None:
        loaded = load_state(path)
        with self.lock:
            self.backend.spreadsheets.clear()
            self.backend.spreadsheets.update(loaded)

    def _saved(self) -> None:
        if self.state_path:
            self.save()

    def _edited(self, ss: Spreadsheet) -> None:
        """After a direct edit: the file's modified time, the state file."""
        ss.touch()
        self._saved()


class _Handler(BaseHTTPRequestHandler):
    emulator: Emulator
    protocol_version = "HTTP/1.1"
    server_version = "ESF"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def setup(self) -> None:
        super().setup()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def _body(self) -> bytes:
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _send(self, status: int, out: Any) -> None:
        payload = b"" if out is None else json.dumps(out, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        if out is not None:
            self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(payload)))
        # one write for head and body: avoids the Nagle/delayed-ACK stall
        self._headers_buffer.append(b"\r\n" + payload)
        self.flush_headers()

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.connection.close()

    def _handle(self) -> None:
        body = self._body()
        emu = self.emulator
        if self.path.startswith(CONTROL_PREFIX):
            try:
                data = json.loads(body) if body else {}
            except ValueError:
                data = {}
            self._send(*emu.control(self.command, urllib.parse.urlsplit(self.path).path, data))
            return
        status, out, fault = emu.dispatch(self.command, self.path, body)
        if fault is not None and fault["kind"] == "delay":
            time.sleep(fault["delay"])
        elif fault is not None and fault["kind"] == "drop":
            self._drop()
            return
        try:
            self._send(status, out)
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle
