"""The HTTP server, quota, fault injection, request counters, direct edits
("the district staff in the browser") and JSON persistence."""

from __future__ import annotations

import collections
import json
import os
import socket
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .a1 import cell_ref, letters_to_col
from .api import Backend
from .batch import sort_rows
from .model import ApiError, Sheet, Spreadsheet
from .values import Cell, user_entered_cell

PROJECT_NUMBER = "123456789012"
CONTROL_PREFIX = "/_emulator"


def quota_error(kind: str) -> ApiError:
    metric = "Read requests" if kind == "read" else "Write requests"
    short = "read_requests" if kind == "read" else "write_requests"
    limit = "ReadRequestsPerMinutePerUser" if kind == "read" else "WriteRequestsPerMinutePerUser"
    msg = (f"Quota exceeded for quota metric '{metric}' and limit '{metric} per minute per user' of service "
           f"'sheets.googleapis.com' for consumer 'project_number:{PROJECT_NUMBER}'.")
    return ApiError(429, msg, "RESOURCE_EXHAUSTED", details=[
        {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "RATE_LIMIT_EXCEEDED",
         "domain": "googleapis.com",
         "metadata": {"quota_location": "global", "quota_limit": limit, "quota_limit_value": "60",
                      "service": "sheets.googleapis.com", "consumer": f"projects/{PROJECT_NUMBER}",
                      "quota_metric": f"sheets.googleapis.com/{short}"}},
        {"@type": "type.googleapis.com/google.rpc.Help",
         "links": [{"description": "Request a higher quota limit.",
                    "url": "https://cloud.google.com/docs/quotas/help/request_increase"}]},
    ])


FAULT_MESSAGES = {
    429: None,
    500: ("Internal error encountered.", "INTERNAL"),
    502: ("Bad Gateway", "UNAVAILABLE"),
    503: ("The service is currently unavailable.", "UNAVAILABLE"),
}


class Emulator:
    """A Sheets API v4 emulator on 127.0.0.1.

    >>> with Emulator() as emu:
    ...     sid = emu.create_spreadsheet("台账")
    ...     url = emu.url
    """

    def __init__(self, state_path: str | os.PathLike | None = None, quota: bool = False,
                 port: int = 0, user_email: str | None = None):
        self.backend = Backend(**({"user_email": user_email} if user_email else {}))
        self.lock = self.backend.lock
        self.state_path = os.fspath(state_path) if state_path else None
        self.quota = quota
        self.quota_per_minute = 60
        self.port = port
        self.reads = 0
        self.writes = 0
        self._window: dict[str, collections.deque] = {"read": collections.deque(), "write": collections.deque()}
        self._faults: list[dict] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
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
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="sheets-emulator", daemon=True)
        self._thread.start()
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
            self._faults.clear()
            self.reset_counts()

    def make_private(self, sid: str | None = None) -> str:
        """Register a spreadsheet that exists but is not shared with the
        caller: every request for it answers 403 PERMISSION_DENIED, as Google
        does for a sheet not shared with the service account."""
        with self.lock:
            ss = self.backend.create("private", sid)
            ss.deleted = True
            return ss.id

    # ------------------------------------------------------------ counters & faults
    def reset_counts(self) -> None:
        with self.lock:
            self.reads = self.writes = 0
            for d in self._window.values():
                d.clear()

    @property
    def counts(self) -> dict[str, int]:
        return {"read": self.reads, "write": self.writes}

    def inject(self, kind: str, count: int = 1, *, status: int | None = None, delay: float = 0.0,
               methods: str = "any") -> None:
        """Make the next ``count`` API requests fail or misbehave.

        kind: "status" (answer ``status``: 429 with Google's quota body,
        500, 503), "delay" (answer after ``delay`` seconds), "drop" (apply
        the request, then close the connection without answering).
        methods: "any", "read" (GET) or "write" (POST/PUT/DELETE).
        """
        if kind not in ("status", "delay", "drop"):
            raise ValueError(kind)
        with self.lock:
            self._faults.append({"kind": kind, "count": int(count), "status": status, "delay": float(delay),
                                 "methods": methods})

    def fail_next(self, status: int, count: int = 1, methods: str = "any") -> None:
        self.inject("status", count, status=status, methods=methods)

    def slow_next(self, delay: float, count: int = 1, methods: str = "any") -> None:
        self.inject("delay", count, delay=delay, methods=methods)

    def drop_next(self, count: int = 1, methods: str = "write") -> None:
        self.inject("drop", count, methods=methods)

    def clear_faults(self) -> None:
        with self.lock:
            self._faults.clear()

    def _take_fault(self, kind: str) -> dict | None:
        with self.lock:
            for f in self._faults:
                if f["methods"] in ("any", kind):
                    f["count"] -= 1
                    if f["count"] <= 0:
                        self._faults.remove(f)
                    return f
        return None

    def _check_quota(self, kind: str) -> ApiError | None:
        if not self.quota:
            return None
        now = time.monotonic()
        win = self._window[kind]
        while win and now - win[0] >= 60:
            win.popleft()
        if len(win) >= self.quota_per_minute:
            return quota_error(kind)
        win.append(now)
        return None

    # ------------------------------------------------------------ request entry
    def dispatch(self, method: str, raw_path: str, body: bytes) -> tuple[int, Any, dict | None]:
        """Returns (status, json, fault-or-None). Counting, quota, faults."""
        parsed = urllib.parse.urlsplit(raw_path)
        path = parsed.path
        query = urllib.parse.parse_qs(parsed.query, keep_blank_values=True)
        is_sheets = path.startswith("/v4/")
        kind = "read" if method == "GET" else "write"
        fault = None
        if path.startswith(("/v4/", "/drive/")):
            with self.lock:
                if is_sheets:
                    if kind == "read":
                        self.reads += 1
                    else:
                        self.writes += 1
                fault = self._take_fault(kind)
                if fault and fault["kind"] == "status":
                    code = fault["status"] or 503
                    if code == 429:
                        return 429, quota_error(kind).body(), fault
                    msg, st = FAULT_MESSAGES.get(code, ("Backend error", "UNKNOWN"))
                    return code, ApiError(code, msg, st).body(), fault
                if is_sheets:
                    err = self._check_quota(kind)
                    if err is not None:
                        return 429, err.body(), fault
        status, out = self.backend.handle(method, path, query, body)
        if kind == "write" and status < 300 and self.state_path:
            self.save()
        return status, out, fault

    # ------------------------------------------------------------ persistence
    def save(self, path: str | None = None) -> None:
        path = path or self.state_path
        if not path:
            return
        with self.lock:
            data = self.to_json()
            d = os.path.dirname(os.path.abspath(path))
            fd, tmp = tempfile.mkstemp(prefix=".emulator-", dir=d)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    json.dump(data, f, ensure_ascii=False)
                    f.flush()
                    os.fsync(f.fileno())
                os.replace(tmp, path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise

    def to_json(self) -> dict:
        out = []
        for ss in self.backend.spreadsheets.values():
            out.append({
                "id": ss.id, "props": ss.props, "named_ranges": ss.named_ranges, "created": ss.created,
                "modified": ss.modified, "deleted": ss.deleted,
                "sheets": [{
                    "props": sh.props, "protected": sh.protected, "validations": sh.validations,
                    "formats": sh.formats, "row_sizes": sh.row_sizes, "col_sizes": sh.col_sizes, "extra": sh.extra,
                    "rows": [[list(c) if c is not None else None for c in row] for row in sh.rows],
                } for sh in ss.sheets],
            })
        return {"version": 1, "spreadsheets": out}

    def load(self, path: str) -> None:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        with self.lock:
            self.backend.spreadsheets.clear()
            for sd in data.get("spreadsheets", []):
                ss = Spreadsheet.__new__(Spreadsheet)
                ss.id = sd["id"]
                ss.props = sd["props"]
                ss.named_ranges = sd.get("named_ranges", [])
                ss.created = sd.get("created")
                ss.modified = sd.get("modified")
                ss.deleted = sd.get("deleted", False)
                ss.sheets = []
                for shd in sd["sheets"]:
                    sh = Sheet.__new__(Sheet)
                    sh.props = shd["props"]
                    sh.protected = shd.get("protected", [])
                    sh.validations = shd.get("validations", [])
                    sh.formats = shd.get("formats", [])
                    sh.row_sizes = {int(k): v for k, v in shd.get("row_sizes", {}).items()}
                    sh.col_sizes = {int(k): v for k, v in shd.get("col_sizes", {}).items()}
                    sh.extra = shd.get("extra", {})
                    sh.rows = [[Cell(*c) if c is not None else None for c in row] for row in shd.get("rows", [])]
                    ss.sheets.append(sh)
                self.backend.spreadsheets[ss.id] = ss

    # ------------------------------------------------------------ direct edits
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

    def _saved(self) -> None:
        if self.state_path:
            self.save()

    def _tab(self, sid: str, title: str) -> tuple[Spreadsheet, Sheet]:
        ss = self.backend.get_ss(sid)
        sh = ss.sheet_by_title(title)
        if sh is None:
            raise KeyError(f"no tab {title!r}")
        return ss, sh

    def _edit(self, ss: Spreadsheet) -> None:
        self.backend.touch(ss)
        self._saved()

    def set_cell(self, sid: str, title: str, a1: str, value: Any) -> None:
        """Type ``value`` into a cell as a person would (user-entered: `=` makes
        a formula, numbers and dates are parsed)."""
        with self.lock:
            ss, sh = self._tab(sid, title)
            r, c = cell_ref(a1)
            if r >= sh.row_count or c >= sh.col_count:
                raise IndexError(f"{a1} is outside the grid")
            old = sh.get(r, c)
            cell = user_entered_cell(value)
            if old is not None and old.note:
                cell = (cell or Cell("", None))._replace(note=old.note)
            sh.put(r, c, cell)
            sh.trim()
            self._edit(ss)

    type_formula = set_cell

    def insert_row(self, sid: str, title: str, row: int, values: list | None = None) -> None:
        """Insert an empty row before 1-based ``row`` (optionally typing values)."""
        with self.lock:
            ss, sh = self._tab(sid, title)
            sh.insert_rows(row - 1, 1)
            for j, v in enumerate(values or []):
                sh.put(row - 1, j, user_entered_cell(v))
            sh.trim()
            self._edit(ss)

    def delete_row(self, sid: str, title: str, row: int) -> None:
        with self.lock:
            ss, sh = self._tab(sid, title)
            sh.delete_rows(row - 1, row)
            self._edit(ss)

    def sort_tab(self, sid: str, title: str, column: str | int, ascending: bool = True, header_rows: int = 1) -> None:
        """Sort the data rows (below ``header_rows``) by a column (letter or
        0-based index), like Data > Sort range in the browser."""
        with self.lock:
            ss, sh = self._tab(sid, title)
            col = letters_to_col(column) if isinstance(column, str) else int(column)
            nrows, ncols = sh.extent()
            if nrows > header_rows:
                sort_rows(ss, sh, header_rows, 0, nrows, max(ncols, col + 1),
                          [{"dimensionIndex": col, "sortOrder": "ASCENDING" if ascending else "DESCENDING"}])
            self._edit(ss)

    def add_column(self, sid: str, title: str, header: str) -> int:
        """Type a new header in the first empty column of row 1 (grows the
        grid if needed); returns its 0-based column index."""
        with self.lock:
            ss, sh = self._tab(sid, title)
            first = sh.rows[0] if sh.rows else []
            col = len(first)
            if col >= sh.col_count:
                sh.set_size(cols=col + 1)
            sh.put(0, col, user_entered_cell(header))
            self._edit(ss)
            return col

    def paste_row_copy(self, sid: str, title: str, row: int) -> int:
        """Copy 1-based ``row`` and paste it below the last data row (a
        duplicate, ids included); returns the new row's 1-based number."""
        with self.lock:
            ss, sh = self._tab(sid, title)
            nrows, _ = sh.extent()
            src = list(sh.rows[row - 1]) if row - 1 < len(sh.rows) else []
            if nrows >= sh.row_count:
                sh.set_size(rows=nrows + 1)
            for j, cell in enumerate(src):
                sh.put(nrows, j, cell)
            self._edit(ss)
            return nrows + 1

    def values(self, sid: str, title: str, render: str = "FORMATTED_VALUE") -> list[list[Any]]:
        """The tab's values (not counted as a request)."""
        with self.lock:
            ss, sh = self._tab(sid, title)
            return self.backend._values_out(ss, sh, 0, 0, sh.row_count, sh.col_count, render, "FORMATTED_STRING", "ROWS")

    def tabs(self, sid: str) -> list[str]:
        with self.lock:
            return [s.title for s in self.backend.get_ss(sid).sheets]

    # ------------------------------------------------------------ HTTP controls
    def control(self, method: str, path: str, data: dict) -> tuple[int, Any]:
        op = path[len(CONTROL_PREFIX):].strip("/")
        try:
            if op == "counts" and method == "GET":
                return 200, self.counts
            if op == "counts/reset":
                self.reset_counts()
                return 200, self.counts
            if op == "faults":
                if method == "DELETE":
                    self.clear_faults()
                    return 200, {}
                self.inject(data["kind"], data.get("count", 1), status=data.get("status"),
                            delay=data.get("delay", 0.0), methods=data.get("methods", "any"))
                return 200, {}
            if op == "quota":
                self.quota = bool(data.get("enabled", True))
                return 200, {"enabled": self.quota}
            if op == "spreadsheets":
                return 200, {"id": self.create_spreadsheet(data.get("title", "Untitled spreadsheet"), data.get("tabs"))}
            sid = data.get("spreadsheetId")
            tab = data.get("tab")
            if op == "set_cell":
                self.set_cell(sid, tab, data["cell"], data["value"])
            elif op == "insert_row":
                self.insert_row(sid, tab, data["row"], data.get("values"))
            elif op == "delete_row":
                self.delete_row(sid, tab, data["row"])
            elif op == "sort":
                self.sort_tab(sid, tab, data["column"], data.get("ascending", True), data.get("header_rows", 1))
            elif op == "add_column":
                return 200, {"column": self.add_column(sid, tab, data["header"])}
            elif op == "paste_row_copy":
                return 200, {"row": self.paste_row_copy(sid, tab, data["row"])}
            elif op == "values":
                return 200, {"values": self.values(sid, tab)}
            else:
                return 404, {"error": {"code": 404, "message": f"unknown control {op}", "status": "NOT_FOUND"}}
            return 200, {}
        except ApiError as e:
            return e.code, e.body()
        except (KeyError, IndexError, ValueError, TypeError) as e:
            return 400, {"error": {"code": 400, "message": f"bad control request: {e}", "status": "INVALID_ARGUMENT"}}


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
        if out is None:
            payload = b""
        else:
            payload = json.dumps(out, ensure_ascii=False).encode("utf-8")
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
            status, out = emu.control(self.command, urllib.parse.urlsplit(self.path).path, data)
            self._send(status, out)
            return
        status, out, fault = emu.dispatch(self.command, self.path, body)
        if fault is not None:
            if fault["kind"] == "delay":
                time.sleep(fault["delay"])
            elif fault["kind"] == "drop":
                self._drop()
                return
        try:
            self._send(status, out)
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle
