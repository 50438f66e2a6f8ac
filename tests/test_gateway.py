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
    AmbiguousWriteError, CredentialsMissing, CredentialsUnreadable, InsecureKeyFile, NotSharedError,
    OfflineError, QuotaExceeded, RetryPolicy, SpreadsheetNotFound, TimeoutError_, connect,
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
