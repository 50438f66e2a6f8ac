"""The gateway against the emulator over real HTTP: retries, dropped
connections, timeouts, and every error message."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys

import pytest

from emulator_fixtures import running_emulator

from domain.i18n import set_language  # noqa: E402  (emulator_fixtures puts the root on sys.path)
from sync.gateway import (  # noqa: E402
    AmbiguousWriteError, ClockWrong, CredentialsMissing, CredentialsRefused, CredentialsUnreadable, InsecureKeyFile,
    NotSharedError, OfflineError, QuotaExceeded, RetryPolicy, SignInExpired, SpreadsheetNotFound, TimeoutError_,
    connect,
)

FAST = RetryPolicy(attempts=4, base_seconds=0.01, max_seconds=0.05, total_seconds=10)


@pytest.fixture()
def emu():
    with running_emulator() as e:
        yield e


@contextlib.contextmanager
def english():
    set_language("en")
    try:
        yield
    finally:
        set_language("zh")


def _gw(emu, sid, **kw):
    kw.setdefault("retry", FAST)
    kw.setdefault("timeout", 2.0)
    return connect(sid, endpoint=emu.url, **kw)


def _setup(emu):
    sid = emu.create_spreadsheet("台账", tabs=["会员"])
    gw = _gw(emu, sid)
    gw.write_blocks([("会员", 0, 0, [["id", "姓名", "电话"]])])
    return sid, gw


def test_import_is_lazy():
    code = "import sys; sys.path.insert(0, %r); import sync.gateway, sync.emulator; " \
           "assert 'gspread' not in sys.modules and 'google.auth' not in sys.modules" % os.getcwd()
    subprocess.run([sys.executable, "-c", code], check=True, cwd=os.path.dirname(os.path.dirname(__file__)))


def test_one_read_per_call_raw_writes_and_formulas(emu):
    sid, gw = _setup(emu)
    assert gw.write_blocks([("会员", 1, 0, [["a1", "张三", "0012"], ["a2", "=IMPORTXML(\"x\")", "138"]]),
                            ("会员", 0, 3, [["合计"]])]) == 7
    emu.type_formula(sid, "会员", "D2", "=1+2")
    emu.reset_counts()
    gw.request_count = 0
    meta = gw.metadata()
    assert meta["会员"].row_count == 1000 and meta["会员"].column_count == 26
    rows = gw.read_tabs(["会员"], render="FORMULA")["会员"]
    assert rows == [["id", "姓名", "电话", "合计"], ["a1", "张三", "0012", "=1+2"], ["a2", "=IMPORTXML(\"x\")", "138"]]
    assert gw.read_tabs(["会员"])["会员"][1] == ["a1", "张三", "0012", "3"]
    assert emu.values(sid, "会员", render="FORMULA")[2][1] == "=IMPORTXML(\"x\")"  # RAW: text, never run
    assert gw.request_count == 3 and emu.counts == {"read": 3, "write": 0}
    assert gw.read_tabs([]) == {} and gw.structural([]) == [] and gw.write_blocks([]) == 0
    assert gw.request_count == 3  # nothing to do: no request


def test_retries_429_and_5xx(emu):
    sid, gw = _setup(emu)
    emu.fail_next(429, count=2)
    gw.request_count = 0
    assert "会员" in gw.read_tabs(["会员"])
    assert gw.request_count == 3
    emu.fail_next(503, count=1)
    emu.fail_next(500, count=1)
    assert gw.write_blocks([("会员", 1, 0, [["x"]])]) == 1
    assert emu.values(sid, "会员")[1] == ["x"]


def test_bounded_retries_then_quota_error(emu):
    sid, gw = _setup(emu)
    emu.fail_next(429, count=50)
    with pytest.raises(QuotaExceeded) as ei:
        gw.metadata()
    assert "配额" in str(ei.value)
    assert gw.request_count <= 1 + FAST.attempts
    with english(), pytest.raises(QuotaExceeded) as ei:
        gw.metadata()
    assert "quota" in str(ei.value)
    emu.clear_faults()


def test_dropped_connection_after_cell_write_is_retried(emu):
    sid, gw = _setup(emu)
    emu.drop_next(1, methods="write")
    gw.write_blocks([("会员", 1, 1, [["王五"]])])
    assert emu.values(sid, "会员")[1] == ["", "王五"]


def test_dropped_structural_is_reported_ambiguous_and_was_applied(emu):
    sid, gw = _setup(emu)
    emu.drop_next(1, methods="write")
    with pytest.raises(AmbiguousWriteError):
        gw.structural([{"appendDimension": {"sheetId": gw.metadata()["会员"].sheet_id, "dimension": "ROWS", "length": 5}}])
    assert gw.metadata()["会员"].row_count == 1005  # applied exactly once


def test_structural_5xx_is_ambiguous_but_429_is_retried(emu):
    sid, gw = _setup(emu)
    grow = [{"appendDimension": {"sheetId": gw.metadata()["会员"].sheet_id, "dimension": "ROWS", "length": 1}}]
    emu.fail_next(429, count=1)
    gw.structural(grow)  # a 429 was certainly not applied: sent again
    assert gw.metadata()["会员"].row_count == 1001
    emu.fail_next(503, count=1)
    with pytest.raises(AmbiguousWriteError):
        gw.structural(grow)


def test_timeout_retried_then_error(emu):
    sid, gw = _setup(emu)
    gw = _gw(emu, sid, timeout=0.3)
    emu.slow_next(1.0, count=1)
    assert "会员" in gw.metadata()
    emu.slow_next(1.0, count=20)
    with pytest.raises(TimeoutError_) as ei:
        gw.metadata()
    assert "0.3" in str(ei.value)
    emu.clear_faults()


def test_not_found_and_not_shared(emu):
    gw = _gw(emu, "1doesnotexist")
    with pytest.raises(SpreadsheetNotFound) as ei:
        gw.metadata()
    assert "1doesnotexist" in str(ei.value)
    pid = emu.make_private()
    with pytest.raises(NotSharedError) as ei:
        _gw(emu, pid).metadata()
    assert "@" in str(ei.value) and "共享" in str(ei.value)
    with english(), pytest.raises(NotSharedError) as ei:
        _gw(emu, pid).read_tabs(["会员"])
    assert "share it with" in str(ei.value)


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_offline():
    gw = connect("x", endpoint=f"http://127.0.0.1:{_closed_port()}", retry=FAST, timeout=1.0)
    with pytest.raises(OfflineError) as ei:
        gw.metadata()
    assert "网络" in str(ei.value)
    with english():
        assert "network" in str(OfflineError())


def test_credentials_errors(tmp_path):
    with pytest.raises(CredentialsMissing) as ei:
        connect("x", credentials=tmp_path / "none.json")
    assert "none.json" in str(ei.value)
    key = tmp_path / "key.json"
    secret = "-----BEGIN PRIVATE KEY-----SECRETSECRET"
    key.write_text(json.dumps({"type": "service_account", "client_email": "sync@p.iam.gserviceaccount.com",
                               "private_key": secret}))
    os.chmod(key, 0o644)
    with pytest.raises(InsecureKeyFile) as ei:
        connect("x", credentials=str(key))
    assert f"chmod 600 {key}" in str(ei.value)
    with english(), pytest.raises(InsecureKeyFile) as ei:
        connect("x", credentials=str(key))
    assert f"chmod 600 {key}" in str(ei.value) and "unsafe" in str(ei.value)
    os.chmod(key, 0o600)
    for lang in ("zh", "en"):
        set_language(lang)
        try:
            with pytest.raises(CredentialsUnreadable) as ei:  # the private key is not a real key
                connect("x", credentials=str(key))
        finally:
            set_language("zh")
        assert "SECRET" not in str(ei.value)
    garbage = tmp_path / "g.json"
    garbage.write_text("not json")
    os.chmod(garbage, 0o600)
    with pytest.raises(CredentialsUnreadable) as ei:
        connect("x", credentials=str(garbage))
    assert "不是 JSON" in str(ei.value)
    with pytest.raises(CredentialsMissing):
        connect("x")


# ----------------------------------------------------------------- google-auth: a real key, no network
def _service_key(tmp_path, token_uri: str):
    """A service-account key file with a real RSA key (made here) whose
    token endpoint is ``token_uri``."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    path = tmp_path / "key.json"
    path.write_text(json.dumps({"type": "service_account", "project_id": "p", "private_key_id": "k1",
                                "private_key": pem, "client_email": "sync@p.iam.gserviceaccount.com",
                                "token_uri": token_uri}))
    os.chmod(path, 0o600)
    return path


@contextlib.contextmanager
def token_endpoint(answer: dict, status: int = 400):
    """A local OAuth token endpoint that refuses every grant with ``answer``."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Refuse(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Refuse)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/token"
    finally:
        server.shutdown()
        server.server_close()


def test_token_refresh_offline_is_the_offline_message(tmp_path):
    key = _service_key(tmp_path, f"http://127.0.0.1:{_closed_port()}/token")
    gw = connect("x", credentials=str(key), retry=FAST, timeout=2.0)
    with pytest.raises(OfflineError) as ei:
        gw.metadata()
    assert str(ei.value) == str(OfflineError()) and "\n" not in str(ei.value)
    assert gw.request_count == FAST.attempts  # retried: the request itself was never sent


REVOKED = {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
CLOCK = {"error": "invalid_grant", "error_description": "Invalid JWT: Token must be a short-lived token (60 minutes) "
         "and in a reasonable timeframe. Check your iat and exp values in the JWT claim."}


def test_revoked_key_is_named_as_refused(tmp_path):
    with token_endpoint(REVOKED) as uri:
        gw = connect("x", credentials=str(_service_key(tmp_path, uri)), retry=FAST, timeout=2.0)
        with pytest.raises(CredentialsRefused) as ei:
            gw.read_tabs(["会员"])
        with english(), pytest.raises(CredentialsRefused) as en:
            gw.metadata()
    assert "撤销" in str(ei.value) and "Invalid JWT Signature" in str(ei.value) and "\n" not in str(ei.value)
    assert "revoked" in str(en.value)
    assert "PRIVATE KEY" not in str(ei.value)


def test_token_endpoint_down_is_retried_and_not_called_a_revoked_key(tmp_path):
    from sync.gateway import AuthUnavailable

    with token_endpoint({"error": "internal_failure", "error_description": "Backend Error"}, status=503) as uri:
        gw = connect("x", credentials=str(_service_key(tmp_path, uri)), retry=FAST, timeout=2.0)
        with pytest.raises(AuthUnavailable) as ei:
            gw.metadata()
    assert gw.request_count == FAST.attempts and "稍后" in str(ei.value) and "撤销" not in str(ei.value)


def test_clock_far_off_is_named_as_the_clock(tmp_path):
    with token_endpoint(CLOCK) as uri:
        gw = connect("x", credentials=str(_service_key(tmp_path, uri)), retry=FAST, timeout=2.0)
        with pytest.raises(ClockWrong) as ei:
            gw.metadata()
    assert "时间" in str(ei.value) and "\n" not in str(ei.value)


def test_offline_sync_from_the_command_line_is_one_line_and_recorded(tmp_path):
    """The whole way: app.py sync with a real key and no network ends with
    the offline message on one line, no traceback, and the failure is the
    last sync's status."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    key = _service_key(tmp_path, f"http://127.0.0.1:{_closed_port()}/token")
    db = tmp_path / "l.json"
    env = {**os.environ, "LEDGER_CONFIG": str(tmp_path / "none.toml")}
    run = subprocess.run([sys.executable, os.path.join(root, "app.py"), "--db", str(db), "--school", "莲峰小学",
                          "sync", "--spreadsheet", "1abc", "--credentials", str(key)],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 1, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].endswith(str(OfflineError())) and "Traceback" not in run.stderr, run.stderr
    from domain.store import Ledger
    from sync.ledger_state import last_sync

    with Ledger.open(db, school="莲峰小学") as led:
        last = last_sync(led)
    assert last["ok"] is False and last["error"] == str(OfflineError())


def test_refused_refresh_of_a_person_s_sign_in_names_the_token_file():
    """google-auth always sends an authorized user's refresh to Google's own
    token URI (it overrides the file's), so the refusal is made here as
    google-auth raises it."""
    from google.auth.exceptions import RefreshError

    from sync.gateway_errors import refresh_error

    refused = RefreshError("invalid_grant: Token has been expired or revoked.", {"error": "invalid_grant"})
    err = refresh_error(refused, "/home/u/.config/union-ledger/google-authorized-user.json")
    assert isinstance(err, SignInExpired)
    assert "google-authorized-user.json" in str(err) and "expired or revoked" in str(err)
    assert isinstance(refresh_error(refused, None), CredentialsRefused)
    assert isinstance(refresh_error(RefreshError("invalid_grant: Invalid JWT: Token must be a short-lived token "
                                                 "(60 minutes) and in a reasonable timeframe."), None), ClockWrong)
