"""The one module that talks to Google Sheets (the only importer of gspread
and google.*; both are imported lazily, inside functions).

Connect::

    gw = connect(SHEET_ID, credentials="~/.config/union-ledger/key.json")  # service account key
    gw = connect(SHEET_ID, credentials="oauth", oauth_client_file="client_secret.json")  # a person's account
    gw = connect(SHEET_ID, endpoint="http://127.0.0.1:PORT")               # the emulator, no credentials

A whole sync in at most 5 requests, a no-op sync in 1::

    snap = gw.snapshot()               # 1 read: every tab's properties + cells (values AND formulas)
    gw.ensure_tabs({"会员": ["id", "姓名", ...]}, snap)  # 0 requests if all tabs exist, else 1 write
    gw.structural([...])               # 1 write: spreadsheets.batchUpdate (atomic), e.g. deleteDimension
    gw.write_cells([CellWrite("会员", 4, 2, "张三"), ...])  # 1 write: values:batchUpdate, RAW
    gw.append_rows("会员", rows)        # 1 write: values:append, RAW, INSERT_ROWS, explicit table range
    gw.request_count                   # HTTP requests sent so far (retries included)

Data in and out is plain Python: ``snapshot()`` returns ``{title: Tab}``
where ``Tab.rows`` is a list of rows of ``str`` (what a person sees in the
browser, trailing empties dropped; ``rows[0]`` is the sheet's row 1) and
``Tab.formulas`` maps ``(row, col)`` (0-based, same indices as ``rows``)
to the formula text of cells a person typed a formula into. Cells written
RAW that merely start with ``=`` are text, not formulas: the snapshot uses
``userEnteredValue`` to tell them apart, so the sync never overwrites a
human formula and never mistakes its own text for one.

Row and column indices everywhere are 0-based positions in ``Tab.rows``
(row 0 = sheet row 1, col 0 = column A).

Retries: bounded, jittered exponential backoff on 429, 5xx, timeouts and
connection errors, within ``RetryPolicy.total_seconds``; every request has a
timeout. What is retried:

- reads and ``write_cells`` (a values:batchUpdate by cell is idempotent):
  always;
- ``structural`` and ``append_rows`` (not idempotent): only when the request
  certainly was not applied (429, or the connection could not be made). If
  the answer was lost after sending (dropped connection, read timeout,
  5xx), ``append_rows`` re-reads the tab's id column and re-sends only the
  rows whose id is not there yet (so a retried append never duplicates a
  row); ``structural`` raises ``AmbiguousWriteError``: re-read with
  ``snapshot()`` and decide again.

Errors are ``GatewayError`` subclasses with a message key, parameters and a
Chinese message (``str(e)``); ``e.message("en")`` gives English. Secrets
(keys, tokens) never appear in messages or logs.
"""

from __future__ import annotations

from domain.errors import UserError
import json
import logging
import os
import random
import shlex
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

log = logging.getLogger(__name__)

GOOGLE_HOSTS = ("https://sheets.googleapis.com", "https://www.googleapis.com")
SCOPES = ["https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive.file"]

# ----------------------------------------------------------------- errors

MESSAGES: dict[str, tuple[str, str]] = {
    "offline": ("无法连接到 Google 表格服务，请检查网络连接后再同步。",
                "Cannot reach Google Sheets. Check the network connection and sync again."),
    "timeout": ("Google 表格服务在 {seconds} 秒内没有响应，请稍后再同步。",
                "Google Sheets did not answer within {seconds} seconds. Try syncing again later."),
    "not_found": ("找不到表格（ID：{spreadsheet_id}）。请核对区工会给的表格链接。",
                  "Spreadsheet not found (id {spreadsheet_id}). Check the link the district gave you."),
    "not_shared": ("没有权限打开这个表格。请让表格所有者把表格共享给 {email}，并设为“编辑者”。",
                   "No permission to open this spreadsheet. Ask its owner to share it with {email} as an Editor."),
    "quota": ("访问 Google 表格太频繁，超出了配额（每人每分钟 60 次读、60 次写）。请一分钟后再同步。",
              "Too many requests to Google Sheets (quota: 60 reads and 60 writes per minute per user). "
              "Wait a minute and sync again."),
    "credentials_missing": ("找不到凭据文件：{path}。请向区工会管理员索取服务账号密钥文件，或改用 Google 账号登录。",
                            "Credentials file not found: {path}. Ask the district administrator for the service "
                            "account key file, or sign in with a Google account."),
    "credentials_unreadable": ("凭据文件无法使用：{path}（{reason}）。请重新下载密钥文件。",
                               "Credentials file cannot be used: {path} ({reason}). Download the key file again."),
    "key_permissions": ("凭据文件 {path} 其他用户也能读取，这不安全，已拒绝使用。请运行：chmod 600 {quoted_path}",
                        "Credentials file {path} is readable by other users, which is unsafe; refusing to use it. "
                        "Run: chmod 600 {quoted_path}"),
    "service_error": ("Google 表格服务暂时出错（HTTP {status}），已重试多次仍失败，请稍后再同步。",
                      "Google Sheets had an error (HTTP {status}) and retries did not help. Sync again later."),
    "bad_request": ("Google 表格拒绝了这次修改：{detail}",
                    "Google Sheets refused the change: {detail}"),
    "ambiguous_write": ("连接中断，无法确认修改是否已写入表格。请重新同步，程序会先核对表格里的现状。",
                        "The connection broke and it is unknown whether the change was applied. Sync again; the "
                        "current sheet will be read first."),
}


class GatewayError(UserError):
    """Base class. ``key`` names the message; ``params`` fill it in."""

    key = "service_error"

    def __init__(self, lang: str = "zh", **params: Any):
        self.params = params
        self.lang = lang
        super().__init__(self.message(lang))

    def message(self, lang: str | None = None) -> str:
        zh, en = MESSAGES[self.key]
        text = en if (lang or self.lang) == "en" else zh
        return text.format(**self.params)


class OfflineError(GatewayError):
    key = "offline"


class TimeoutError_(GatewayError):
    key = "timeout"


class SpreadsheetNotFound(GatewayError):
    key = "not_found"


class NotSharedError(GatewayError):
    key = "not_shared"


class QuotaExceeded(GatewayError):
    key = "quota"


class CredentialsMissing(GatewayError):
    key = "credentials_missing"


class CredentialsUnreadable(GatewayError):
    key = "credentials_unreadable"


class InsecureKeyFile(GatewayError):
    key = "key_permissions"


class ServiceError(GatewayError):
    key = "service_error"


class BadRequest(GatewayError):
    key = "bad_request"


class AmbiguousWriteError(GatewayError):
    key = "ambiguous_write"


# ----------------------------------------------------------------- data

@dataclass
class TabInfo:
    sheet_id: int
    title: str
    index: int
    row_count: int
    column_count: int
    frozen_rows: int = 0


@dataclass
class Tab:
    info: TabInfo
    rows: list[list[str]] = field(default_factory=list)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)


@dataclass(frozen=True)
class CellWrite:
    """Write ``value`` (stored RAW, as text) at 0-based (row, col) of ``tab``."""

    tab: str
    row: int
    col: int
    value: str


@dataclass
class RetryPolicy:
    attempts: int = 6
    base_seconds: float = 0.5
    max_seconds: float = 16.0
    total_seconds: float = 60.0


# ----------------------------------------------------------------- helpers

def quote_title(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def col_letters(index: int) -> str:
    n, out = index + 1, ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def make_emulator_session(endpoint: str):
    """A requests.Session sending Google's hosts to ``endpoint`` (gspread's
    URLs are constants imported by value; the session is its documented
    hook)."""
    import requests

    base = endpoint.rstrip("/")

    class EmulatorSession(requests.Session):
        def request(self, method, url, *args, **kwargs):  # type: ignore[override]
            for host in GOOGLE_HOSTS:
                if isinstance(url, str) and url.startswith(host):
                    url = base + url[len(host):]
                    break
            return super().request(method, url, *args, **kwargs)

    return EmulatorSession()


def check_key_file(path: str | os.PathLike, lang: str = "zh") -> dict:
    """Validate a service-account key file; returns its parsed JSON."""
    p = Path(os.path.expanduser(os.fspath(path)))
    if not p.exists():
        raise CredentialsMissing(lang, path=str(p))
    try:
        mode = p.stat().st_mode
    except OSError as e:
        raise CredentialsUnreadable(lang, path=str(p), reason=e.strerror or type(e).__name__) from None
    if os.name == "posix" and stat.S_IMODE(mode) & 0o077:
        raise InsecureKeyFile(lang, path=str(p), quoted_path=shlex.quote(str(p)))
    try:
        info = json.loads(p.read_text(encoding="utf-8"))
    except OSError as e:
        raise CredentialsUnreadable(lang, path=str(p), reason=e.strerror or type(e).__name__) from None
    except ValueError:
        raise CredentialsUnreadable(lang, path=str(p), reason="not JSON / 不是 JSON") from None
    if not isinstance(info, dict) or info.get("type") != "service_account" or "client_email" not in info \
            or "private_key" not in info:
        raise CredentialsUnreadable(lang, path=str(p), reason="not a service account key / 不是服务账号密钥")
    return info


def default_token_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("union-ledger")) / "google-authorized-user.json"


def _cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


# ----------------------------------------------------------------- gateway

class SheetGateway:
    def __init__(self, client: Any, spreadsheet_id: str, *, timeout: float, retry: RetryPolicy, lang: str,
                 email: str | None, sleep: Callable[[float], None] = time.sleep):
        self._client = client
        self._http = client.http_client
        self.spreadsheet_id = spreadsheet_id
        self.timeout = timeout
        self.retry = retry
        self.lang = lang
        self.email = email or "（服务账号邮箱）"
        self.request_count = 0
        self._sleep = sleep
        self._meta: dict[str, TabInfo] | None = None

    # -- the retry loop
    def _call(self, fn: Callable[[], Any], *, safe: bool) -> Any:
        """Run one API call with bounded retries. ``safe``: repeating it
        cannot apply a change twice."""
        import requests
        from gspread.exceptions import APIError

        start = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            self.request_count += 1
            retry_after = None
            try:
                return fn()
            except APIError as e:
                status = e.response.status_code
                err = self._map_api_error(e)
                retryable = status == 429 or (status >= 500 and safe)
                if not retryable:
                    if status >= 500 and not safe:
                        raise AmbiguousWriteError(self.lang) from None
                    raise err from None
                ra = e.response.headers.get("Retry-After")
                retry_after = float(ra) if ra and ra.isdigit() else None
                final = err
            except (requests.ConnectionError, requests.Timeout) as e:
                not_sent = isinstance(e, requests.ConnectTimeout) or (
                    isinstance(e, requests.ConnectionError) and _is_connect_failure(e))
                if isinstance(e, requests.Timeout) and not isinstance(e, requests.ConnectTimeout):
                    final = TimeoutError_(self.lang, seconds=self.timeout)
                else:
                    final = OfflineError(self.lang)
                if not safe and not not_sent:
                    raise AmbiguousWriteError(self.lang) from None
            delay = min(self.retry.max_seconds, self.retry.base_seconds * 2 ** (attempt - 1))
            delay = random.uniform(0, delay) if retry_after is None else max(retry_after, 0)
            if attempt >= self.retry.attempts or time.monotonic() - start + delay > self.retry.total_seconds:
                raise final from None
            log.info("sheets request failed (%s); retry %d in %.2fs", type(final).__name__, attempt, delay)
            self._sleep(delay)

    def _map_api_error(self, e: Any) -> GatewayError:
        status = e.response.status_code
        try:
            body = e.response.json().get("error", {})
        except ValueError:
            body = {}
        msg = body.get("message", "")
        if status == 404:
            return SpreadsheetNotFound(self.lang, spreadsheet_id=self.spreadsheet_id)
        if status == 403:
            return NotSharedError(self.lang, email=self.email)
        if status == 429:
            return QuotaExceeded(self.lang)
        if status == 400:
            return BadRequest(self.lang, detail=msg[:300])
        return ServiceError(self.lang, status=status)

    # -- reads
    def metadata(self) -> dict[str, TabInfo]:
        """Tabs by title (1 read)."""
        data = self._call(lambda: self._http.fetch_sheet_metadata(
            self.spreadsheet_id, params={"fields": "sheets.properties"}), safe=True)
        self._meta = {t.title: t for t in (_tab_info(s["properties"]) for s in data.get("sheets", []))}
        return dict(self._meta)

    def snapshot(self) -> dict[str, Tab]:
        """Every tab's properties and cells, values and formulas (1 read)."""
        fields = ("sheets(properties(sheetId,title,index,gridProperties),"
                  "data(rowData(values(userEnteredValue,formattedValue))))")
        data = self._call(lambda: self._http.fetch_sheet_metadata(
            self.spreadsheet_id, params={"includeGridData": "true", "fields": fields}), safe=True)
        out: dict[str, Tab] = {}
        for s in data.get("sheets", []):
            tab = Tab(_tab_info(s["properties"]))
            for block in s.get("data", []):
                r0, c0 = block.get("startRow", 0), block.get("startColumn", 0)
                for i, rd in enumerate(block.get("rowData", [])):
                    row: list[str] = []
                    for j, cd in enumerate(rd.get("values", [])):
                        uev = cd.get("userEnteredValue") or {}
                        if "formulaValue" in uev:
                            tab.formulas[(r0 + i, c0 + j)] = uev["formulaValue"]
                        text = cd.get("formattedValue")
                        if text is None:
                            text = _cell_text(next(iter(uev.values()), "")) if uev and "formulaValue" not in uev else ""
                        row.append(text)
                    while row and row[-1] == "":
                        row.pop()
                    while len(tab.rows) < r0 + i:
                        tab.rows.append([])
                    tab.rows.append(([""] * c0 + row) if row else [])
            while tab.rows and not tab.rows[-1]:
                tab.rows.pop()
            out[tab.info.title] = tab
        self._meta = {t.info.title: t.info for t in out.values()}
        return out

    def read_tabs(self, titles: Sequence[str], render: str = "FORMATTED_VALUE") -> dict[str, list[list[str]]]:
        """Values of the named tabs in one values:batchGet (1 read).
        ``render="FORMULA"`` gives formula text for formula cells."""
        if not titles:
            return {}
        data = self._call(lambda: self._http.values_batch_get(
            self.spreadsheet_id, [quote_title(t) for t in titles],
            params={"valueRenderOption": render, "dateTimeRenderOption": "FORMATTED_STRING",
                    "majorDimension": "ROWS"}), safe=True)
        out = {}
        for t, vr in zip(titles, data.get("valueRanges", [])):
            out[t] = [[_cell_text(v) for v in row] for row in vr.get("values", [])]
        return out

    # -- writes
    def ensure_tabs(self, layouts: dict[str, Sequence[str]], snapshot: dict[str, Tab] | None = None) -> dict[str, TabInfo]:
        """Create missing tabs with a header row (frozen). Existing tabs are
        left alone. 0 requests when every tab exists and a snapshot (or
        earlier metadata) is given, else at most 1 read + 1 write."""
        meta = ({t: tab.info for t, tab in snapshot.items()} if snapshot is not None
                else (self._meta if self._meta is not None else self.metadata()))
        missing = [t for t in layouts if t not in meta]
        if not missing:
            return dict(meta)
        reqs: list[dict] = []
        for t in missing:
            headers = list(layouts[t])
            reqs.append({"addSheet": {"properties": {"title": t, "gridProperties": {
                "rowCount": 1000, "columnCount": max(26, len(headers)), "frozenRowCount": 1}}}})
        replies = self.structural(reqs)
        header_reqs = []
        for t, rep in zip(missing, replies):
            info = _tab_info(rep["addSheet"]["properties"])
            meta = {**meta, t: info}
            header_reqs.append({"range": f"{quote_title(t)}!A1", "values": [list(layouts[t])]})
        if any(layouts[t] for t in missing):
            self._call(lambda: self._http.values_batch_update(self.spreadsheet_id, body={
                "valueInputOption": "RAW", "data": header_reqs}), safe=True)
        self._meta = dict(meta)
        return dict(meta)

    def write_cells(self, updates: Iterable[CellWrite]) -> int:
        """Write cells RAW in one values:batchUpdate (idempotent, retried).
        Returns the number of cells updated. Adjacent cells of a row are sent
        as one range."""
        ups = sorted(set(updates), key=lambda u: (u.tab, u.row, u.col))
        if not ups:
            return 0
        data: list[dict] = []
        run: list[CellWrite] = []

        def flush() -> None:
            if run:
                first = run[0]
                data.append({"range": f"{quote_title(first.tab)}!{col_letters(first.col)}{first.row + 1}",
                             "values": [[u.value for u in run]]})
                run.clear()

        for u in ups:
            if run and not (u.tab == run[-1].tab and u.row == run[-1].row and u.col == run[-1].col + 1):
                flush()
            run.append(u)
        flush()
        resp = self._call(lambda: self._http.values_batch_update(self.spreadsheet_id, body={
            "valueInputOption": "RAW", "data": data}), safe=True)
        return int(resp.get("totalUpdatedCells", 0))

    def append_rows(self, title: str, rows: Sequence[Sequence[str]], *, id_column: int | None = 0) -> str:
        """Append rows RAW after the table that starts at A1 (INSERT_ROWS, with
        an explicit table range, so a gap in row 1 cannot move the table).
        Returns the updated range. If the answer is lost after sending, the
        tab's ``id_column`` is re-read and only rows whose id is absent are
        re-sent (``id_column=None``: raise AmbiguousWriteError instead)."""
        pending = [list(r) for r in rows]
        if not pending:
            return ""
        width = max(len(r) for r in pending)
        table = f"{quote_title(title)}!A1:{col_letters(max(width, 1) - 1)}1"
        for _ in range(self.retry.attempts):
            try:
                resp = self._call(lambda: self._http.values_append(
                    self.spreadsheet_id, table,
                    params={"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS",
                            "includeValuesInResponse": "false"},
                    body={"majorDimension": "ROWS", "values": pending}), safe=False)
                return resp.get("updates", {}).get("updatedRange", "")
            except AmbiguousWriteError:
                if id_column is None:
                    raise
                present = {r[id_column] for r in self.read_tabs([title]).get(title, []) if len(r) > id_column}
                pending = [r for r in pending if not (len(r) > id_column and r[id_column] in present)]
                if not pending:
                    return ""
        raise AmbiguousWriteError(self.lang)

    def structural(self, requests: Sequence[dict]) -> list[dict]:
        """One spreadsheets.batchUpdate (atomic: all or nothing). Returns the
        replies. Retried only when certainly not applied."""
        if not requests:
            return []
        resp = self._call(lambda: self._http.batch_update(self.spreadsheet_id, {"requests": list(requests)}),
                          safe=False)
        self._meta = None
        return resp.get("replies", [])


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


def connect(spreadsheet_id: str, *, endpoint: str | None = None, credentials: Any = None,
            timeout: float = 20.0, retry: RetryPolicy | None = None, lang: str = "zh",
            oauth_client_file: str | os.PathLike | None = None,
            token_path: str | os.PathLike | None = None) -> SheetGateway:
    """Open a gateway to one spreadsheet. Makes no request.

    - ``endpoint``: an emulator URL (no credentials are used);
    - ``credentials``: a service-account key file path; ``"oauth"`` for a
      person's Google account (installed-app flow with ``oauth_client_file``,
      token cached in ``token_path`` or the user's config folder, mode 600);
      or a ready google.auth credentials object.
    """
    import gspread  # lazy: costs ~0.4 s

    retry = retry or RetryPolicy()
    email = None
    if endpoint:
        client = gspread.Client(auth=None, session=make_emulator_session(endpoint))
        email = "emulator@union-ledger-emulator.iam.gserviceaccount.com"
    elif credentials is None:
        raise CredentialsMissing(lang, path="(未指定 / not given)")
    elif credentials == "oauth":
        if oauth_client_file is None:
            raise CredentialsMissing(lang, path="(OAuth client file / OAuth 客户端文件)")
        cf = Path(os.path.expanduser(os.fspath(oauth_client_file)))
        if not cf.exists():
            raise CredentialsMissing(lang, path=str(cf))
        tp = Path(token_path) if token_path else default_token_path()
        tp.parent.mkdir(parents=True, exist_ok=True)
        if tp.exists() and os.name == "posix" and stat.S_IMODE(tp.stat().st_mode) & 0o077:
            raise InsecureKeyFile(lang, path=str(tp), quoted_path=shlex.quote(str(tp)))
        try:
            client = gspread.oauth(scopes=SCOPES, credentials_filename=str(cf), authorized_user_filename=str(tp))
        except (OSError, ValueError) as e:
            raise CredentialsUnreadable(lang, path=str(cf), reason=type(e).__name__) from None
        if tp.exists():
            os.chmod(tp, 0o600)
    elif isinstance(credentials, (str, os.PathLike)):
        info = check_key_file(credentials, lang)
        email = info["client_email"]
        from google.oauth2.service_account import Credentials

        try:
            creds = Credentials.from_service_account_info(info, scopes=SCOPES)
        except (ValueError, KeyError) as e:
            raise CredentialsUnreadable(lang, path=str(credentials), reason=type(e).__name__) from None
        client = gspread.Client(auth=creds)
    else:
        client = gspread.Client(auth=credentials)
        email = getattr(credentials, "service_account_email", None)
    client.set_timeout((min(5.0, timeout), timeout))
    return SheetGateway(client, spreadsheet_id, timeout=timeout, retry=retry, lang=lang, email=email)


# ----------------------------------------------------------------- block writes
# Added for the sync (issue 5): the first sync of a large ledger fills tens of
# thousands of new rows; one range per row made the request too slow, so the
# new rows go as 2-D blocks, in the same single values:batchUpdate as the
# cell updates.

def _write_blocks(self: SheetGateway, blocks: Sequence[tuple[str, int, int, list[list[Any]]]]) -> int:
    """Write 2-D blocks ``(tab, row, col, values)`` (0-based top-left) RAW in
    one values:batchUpdate (idempotent, retried). Returns cells updated."""
    data = [{"range": f"{quote_title(tab)}!{col_letters(col)}{row + 1}", "values": values}
            for tab, row, col, values in blocks if values]
    if not data:
        return 0
    resp = self._call(lambda: self._http.values_batch_update(self.spreadsheet_id, body={
        "valueInputOption": "RAW", "data": data}), safe=True)
    return int(resp.get("totalUpdatedCells", 0))


SheetGateway.write_blocks = _write_blocks  # type: ignore[attr-defined]
