"""The one module that talks to Google Sheets (with ``gateway_auth``, which
makes the client, and ``gateway_errors``, its errors). gspread and google.*
are imported lazily, inside functions.

Connect::

    gw = connect(SHEET_ID, credentials="~/.config/union-ledger/key.json")  # service account key
    gw = connect(SHEET_ID, credentials="oauth", oauth_client_file="client_secret.json")  # a person's account
    gw = connect(SHEET_ID, endpoint="http://127.0.0.1:PORT")               # the emulator, no credentials

What the sync uses, a constant number of requests whatever the size::

    gw.metadata()                      # 1 read: every tab's properties, by title
    gw.read_tabs(["会员", ...], render="FORMULA")  # 1 read: values:batchGet, rows of str
    gw.structural([...])               # 1 write: spreadsheets.batchUpdate (atomic)
    gw.write_blocks([("会员", 4, 2, [["张三"]]), ...])  # 1 write: values:batchUpdate, RAW
    gw.request_count                   # HTTP requests sent so far (retries included)

Row and column indices are 0-based (row 0 = sheet row 1, col 0 = column A).

Retries: bounded, jittered exponential backoff on 429, 5xx, timeouts and
connection errors, within ``RetryPolicy.total_seconds``; every request has a
timeout. Reads and ``write_blocks`` (a values:batchUpdate by range is
idempotent) are always retried; ``structural`` (not idempotent) only when
it certainly was not applied (429, or the connection could not be made);
when the answer was lost after sending it raises ``AmbiguousWriteError``:
re-read and decide again.

Errors are ``GatewayError`` subclasses (see ``gateway_errors``): one line in
the run's language, no secret in it.
"""

from __future__ import annotations

import logging
import os
import random
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from domain.i18n import tr

from .gateway_auth import default_token_path, open_client
from .gateway_errors import (AmbiguousWriteError, AuthUnavailable, BadRequest, ClockWrong, CredentialsMissing, CredentialsRefused,
                             CredentialsUnreadable, GatewayError, InsecureKeyFile, NotSharedError, OfflineError,
                             QuotaExceeded, ServiceError, SignInExpired, SpreadsheetNotFound, TimeoutError_, api_error,
                             refresh_error)

__all__ = ["connect", "SheetGateway", "RetryPolicy", "TabInfo", "GatewayError", "OfflineError", "TimeoutError_",
           "SpreadsheetNotFound", "NotSharedError", "QuotaExceeded", "CredentialsMissing", "CredentialsUnreadable",
           "InsecureKeyFile", "ServiceError", "BadRequest", "AmbiguousWriteError", "CredentialsRefused",
           "SignInExpired", "ClockWrong", "AuthUnavailable"]

log = logging.getLogger(__name__)

Block = tuple[str, int, int, list[list[Any]]]  # (tab, row, col, values): 0-based top-left


@dataclass
class TabInfo:
    sheet_id: int
    title: str
    index: int
    row_count: int
    column_count: int
    frozen_rows: int = 0


@dataclass
class RetryPolicy:
    attempts: int = 6
    base_seconds: float = 0.5
    max_seconds: float = 16.0
    total_seconds: float = 60.0


def quote_title(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def col_letters(index: int) -> str:
    n, out = index + 1, ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


class SheetGateway:
    def __init__(self, client: Any, spreadsheet_id: str, *, timeout: float, retry: RetryPolicy, email: str | None,
                 oauth_token: str | None = None):
        self._http = client.http_client
        self.oauth_token = oauth_token  # a person's sign-in: the token file to delete when it is refused
        self.spreadsheet_id = spreadsheet_id
        self.timeout = timeout
        self.retry = retry
        self.email = email
        self.request_count = 0

    # -- the retry loop
    def _call(self, fn: Callable[[], Any], *, safe: bool) -> Any:
        """Run one API call with bounded retries. ``safe``: repeating it
        cannot apply a change twice."""
        start = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            self.request_count += 1
            try:
                return fn()
            except Exception as e:  # noqa: BLE001 - sorted out by _failure, the rest re-raised there
                final, retry_after = self._failure(e, safe)
            delay = min(self.retry.max_seconds, self.retry.base_seconds * 2 ** (attempt - 1))
            delay = random.uniform(0, delay) if retry_after is None else max(retry_after, 0)
            if attempt >= self.retry.attempts or time.monotonic() - start + delay > self.retry.total_seconds:
                raise final from None
            log.info("sheets request failed (%s); retry %d in %.2fs", type(final).__name__, attempt, delay)
            time.sleep(delay)

    def _failure(self, e: Exception, safe: bool) -> tuple[GatewayError, float | None]:
        """(the error to raise if retries run out, Retry-After seconds) for a
        failed call; raises at once what must not be retried."""
        import requests
        from google.auth.exceptions import RefreshError, TransportError
        from gspread.exceptions import APIError

        if isinstance(e, TransportError):  # the token could not be fetched: the request was never sent
            return OfflineError(), None
        if isinstance(e, RefreshError) and getattr(e, "retryable", False):  # the token endpoint failed: retried
            return AuthUnavailable(), None
        if isinstance(e, RefreshError):
            raise refresh_error(e, self.oauth_token) from None
        if isinstance(e, APIError):
            status = e.response.status_code
            err = api_error(status, _error_message(e.response), spreadsheet_id=self.spreadsheet_id,
                            email=self.email or tr("gateway.email.unknown"))
            if status == 429 or (status >= 500 and safe):
                ra = e.response.headers.get("Retry-After")
                return err, (float(ra) if ra and ra.isdigit() else None)
            raise (AmbiguousWriteError() if status >= 500 else err) from None
        if isinstance(e, (requests.ConnectionError, requests.Timeout)):
            not_sent = isinstance(e, requests.ConnectTimeout) or (
                isinstance(e, requests.ConnectionError) and _is_connect_failure(e))
            if not safe and not not_sent:
                raise AmbiguousWriteError() from None
            if isinstance(e, requests.Timeout) and not isinstance(e, requests.ConnectTimeout):
                return TimeoutError_(seconds=self.timeout), None
            return OfflineError(), None
        raise e

    # -- reads
    def metadata(self) -> dict[str, TabInfo]:
        """Tabs by title (1 read)."""
        data = self._call(lambda: self._http.fetch_sheet_metadata(
            self.spreadsheet_id, params={"fields": "sheets.properties"}), safe=True)
        return {t.title: t for t in (_tab_info(s["properties"]) for s in data.get("sheets", []))}

    def read_tabs(self, titles: Sequence[str], render: str = "FORMATTED_VALUE") -> dict[str, list[list[str]]]:
        """Values of the named tabs in one values:batchGet (1 read).
        ``render="FORMULA"`` gives formula text for formula cells."""
        if not titles:
            return {}
        data = self._call(lambda: self._http.values_batch_get(
            self.spreadsheet_id, [quote_title(t) for t in titles],
            params={"valueRenderOption": render, "dateTimeRenderOption": "FORMATTED_STRING",
                    "majorDimension": "ROWS"}), safe=True)
        return {t: [[_cell_text(v) for v in row] for row in vr.get("values", [])]
                for t, vr in zip(titles, data.get("valueRanges", []))}

    # -- writes
    def write_blocks(self, blocks: Sequence[Block]) -> int:
        """Write 2-D blocks ``(tab, row, col, values)`` RAW in one
        values:batchUpdate (idempotent, retried). Returns cells updated."""
        data = [{"range": f"{quote_title(tab)}!{col_letters(col)}{row + 1}", "values": values}
                for tab, row, col, values in blocks if values]
        if not data:
            return 0
        resp = self._call(lambda: self._http.values_batch_update(self.spreadsheet_id, body={
            "valueInputOption": "RAW", "data": data}), safe=True)
        return int(resp.get("totalUpdatedCells", 0))

    def structural(self, requests: Sequence[dict]) -> list[dict]:
        """One spreadsheets.batchUpdate (atomic: all or nothing). Returns the
        replies. Retried only when certainly not applied."""
        if not requests:
            return []
        resp = self._call(lambda: self._http.batch_update(self.spreadsheet_id, {"requests": list(requests)}),
                          safe=False)
        return resp.get("replies", [])


def _error_message(response: Any) -> str:
    try:
        return response.json().get("error", {}).get("message", "")
    except ValueError:
        return ""


def _is_connect_failure(e: Exception) -> bool:
    """True when the connection could not be made (request not sent)."""
    text = repr(e)
    return any(s in text for s in ("NewConnectionError", "Failed to establish", "Connection refused",
                                    "NameResolutionError", "getaddrinfo", "Max retries exceeded with url")) \
        and "RemoteDisconnected" not in text and "ProtocolError" not in text


def _tab_info(p: dict) -> TabInfo:
    gp = p.get("gridProperties", {})
    return TabInfo(p.get("sheetId", 0), p["title"], p.get("index", 0), gp.get("rowCount", 0),
                   gp.get("columnCount", 0), gp.get("frozenRowCount", 0))


def connect(spreadsheet_id: str, *, endpoint: str | None = None, credentials: str | os.PathLike | None = None,
            timeout: float = 20.0, retry: RetryPolicy | None = None,
            oauth_client_file: str | os.PathLike | None = None) -> SheetGateway:
    """Open a gateway to one spreadsheet. Makes no request.

    - ``endpoint``: an emulator URL (no credentials are used);
    - ``credentials``: a service-account key file path, or ``"oauth"`` for a
      person's Google account (installed-app flow with ``oauth_client_file``,
      token cached in the user's config folder, mode 600).
    """
    client, email = open_client(endpoint, credentials, oauth_client_file)
    client.set_timeout((min(5.0, timeout), timeout))
    token = str(default_token_path()) if credentials == "oauth" else None
    return SheetGateway(client, spreadsheet_id, timeout=timeout, retry=retry or RetryPolicy(), email=email,
                        oauth_token=token)
