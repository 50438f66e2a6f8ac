"""What happens to requests before the API sees them: counting (reads and
writes of the Sheets API), the per-minute quota, and injected faults (an
HTTP error status, a delay, a connection dropped after the request was
applied)."""

from __future__ import annotations

import collections
import time

from .model import ApiError

PROJECT_NUMBER = "123456789012"
FAULT_KINDS = ("status", "delay", "drop")
FAULT_MESSAGES = {
    500: ("Internal error encountered.", "INTERNAL"),
    502: ("Bad Gateway", "UNAVAILABLE"),
    503: ("The service is currently unavailable.", "UNAVAILABLE"),
}


def quota_error(kind: str) -> ApiError:
    """Google's 429 answer for the read or write per-minute quota."""
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


def fault_error(status: int | None, kind: str) -> ApiError:
    """The error body an injected status fault answers with."""
    code = status or 503
    if code == 429:
        return quota_error(kind)
    msg, st = FAULT_MESSAGES.get(code, ("Backend error", "UNKNOWN"))
    return ApiError(code, msg, st)


class Traffic:
    """Counters, quota window and fault queue (callers hold the lock)."""

    def __init__(self, quota: bool = False):
        self.quota = quota
        self.quota_per_minute = 60
        self.reads = 0
        self.writes = 0
        self._window: dict[str, collections.deque] = {"read": collections.deque(), "write": collections.deque()}
        self.faults: list[dict] = []

    def reset_counts(self) -> None:
        self.reads = self.writes = 0
        for d in self._window.values():
            d.clear()

    def count(self, kind: str) -> None:
        if kind == "read":
            self.reads += 1
        else:
            self.writes += 1

    def add_fault(self, kind: str, count: int, status: int | None, delay: float, methods: str) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(kind)
        self.faults.append({"kind": kind, "count": int(count), "status": status, "delay": float(delay),
                            "methods": methods})

    def take_fault(self, kind: str) -> dict | None:
        """The first fault for ``kind`` ("read" or "write") requests, used up
        by one."""
        for f in self.faults:
            if f["methods"] in ("any", kind):
                f["count"] -= 1
                if f["count"] <= 0:
                    self.faults.remove(f)
                return f
        return None

    def over_quota(self, kind: str) -> ApiError | None:
        """The 429 error when this request goes over the per-minute quota."""
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
