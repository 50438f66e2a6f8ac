"""gspread's own public API, unchanged, against the emulator; plus the
emulator's quirks, limits, controls and persistence."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from emulator_fixtures import gspread_client, running_emulator

import gspread  # noqa: E402

from sync.emulator import Emulator  # noqa: E402


@pytest.fixture()
def env():
    with running_emulator() as emu:
        sid = emu.create_spreadsheet("台账")
        yield emu, sid, gspread_client(emu.url)


def test_gspread_workflow(env):
    emu, sid, gc = env
    sh = gc.open_by_key(sid)
    assert [w.title for w in sh.worksheets()] == ["Sheet1"]
    ws = sh.add_worksheet("会员", rows=10, cols=5)
    ws.update([["id", "姓名", "金额"], ["1", "张三", "30"], ["2", "李四", "10"]], "A1", value_input_option="RAW")
    assert ws.get_all_values() == [["id", "姓名", "金额"], ["1", "张三", "30"], ["2", "李四", "10"]]
    ws.append_rows([["3", "王五", "20"]], value_input_option="RAW", table_range="A1:C1")
    ws.batch_update([{"range": "B2", "values": [["张三丰"]]}], value_input_option="RAW")
    ws.sort((3, "asc"), range="A2:C4")
    assert [r[0] for r in ws.get_all_values()] == ["id", "2", "3", "1"]
    ws.insert_rows([["x", "y"]], row=2, value_input_option="RAW")
    ws.delete_rows(2)
    assert ws.get_all_values()[1] == ["2", "李四", "10"]
    assert ws.get("A1:C1") == [["id", "姓名", "金额"]]
    # echoed ranges quote non-ASCII titles
    assert sh.values_get("会员!A1")["range"] == "'会员'!A1"


def test_user_entered_and_render_options(env):
    emu, sid, gc = env
    ws = gc.open_by_key(sid).sheet1
    ws.update([["=4/2", "2025-03-08", "'0012", "0012", "=SUM(A1,5)", "=A1*"]], "A1", value_input_option="USER_ENTERED")
    assert ws.get_all_values() == [["2", "2025-03-08", "0012", "12", "7", "#ERROR!"]]
    assert ws.get("A1:B1", value_render_option="FORMULA") == [["=4/2", 45724]]
    assert ws.get("A1:B1", value_render_option="UNFORMATTED_VALUE", date_time_render_option="FORMATTED_STRING") == [[2, "2025-03-08"]]
    ws.update([["=1+1", "0012"]], "A2", value_input_option="RAW")
    assert ws.get("A2:B2", value_render_option="FORMULA") == [["=1+1", "0012"]]


def test_grid_limits_and_atomic_batch_update(env):
    emu, sid, gc = env
    sh = gc.open_by_key(sid)
    ws = sh.sheet1
    with pytest.raises(gspread.exceptions.APIError) as ei:
        ws.update([["x"]], "A1001")
    assert ei.value.response.json()["error"]["message"] == \
        "Range (Sheet1!A1001) exceeds grid limits. Max rows: 1000, max columns: 26"
    with pytest.raises(gspread.exceptions.APIError) as ei:
        sh.values_get("Nope!A1")
    assert ei.value.response.json()["error"]["message"] == "Unable to parse range: Nope!A1"
    with pytest.raises(gspread.exceptions.APIError):
        sh.batch_update({"requests": [
            {"addSheet": {"properties": {"title": "new"}}},
            {"deleteSheet": {"sheetId": 999}},
        ]})
    assert [w.title for w in sh.worksheets()] == ["Sheet1"]  # nothing applied
    ws.append_rows([["a"]] * 3, table_range="A1000")
    assert sh.sheet1.row_count == 1002  # append grows the grid
    with pytest.raises(gspread.exceptions.APIError) as ei:
        sh.batch_update({"requests": [{"appendDimension": {"sheetId": 0, "dimension": "ROWS", "length": 10_000_000}}]})
    assert "10000000 cells" in ei.value.response.json()["error"]["message"]


def test_structural_requests(env):
    emu, sid, gc = env
    sh = gc.open_by_key(sid)
    sh.batch_update({"requests": [
        {"updateSheetProperties": {"properties": {"sheetId": 0, "gridProperties": {"frozenRowCount": 1}},
                                   "fields": "gridProperties.frozenRowCount"}},
        {"updateDimensionProperties": {"range": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 0, "endIndex": 1},
                                       "properties": {"pixelSize": 160}, "fields": "pixelSize"}},
        {"setDataValidation": {"range": {"sheetId": 0, "startRowIndex": 1, "startColumnIndex": 2, "endColumnIndex": 3},
                               "rule": {"condition": {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": "是"}]}}}},
        {"addProtectedRange": {"protectedRange": {"range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1},
                                                  "warningOnly": True}}},
        {"repeatCell": {"range": {"sheetId": 0, "endRowIndex": 1}, "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}},
                        "fields": "userEnteredFormat.textFormat.bold"}},
        {"updateSpreadsheetProperties": {"properties": {"title": "新标题"}, "fields": "title"}},
    ]})
    meta = sh.fetch_sheet_metadata()
    assert meta["properties"]["title"] == "新标题"
    s0 = meta["sheets"][0]
    assert s0["properties"]["gridProperties"]["frozenRowCount"] == 1
    assert s0["protectedRanges"][0]["warningOnly"] is True
    pid = s0["protectedRanges"][0]["protectedRangeId"]
    sh.batch_update({"requests": [{"deleteProtectedRange": {"protectedRangeId": pid}}]})
    assert "protectedRanges" not in sh.fetch_sheet_metadata()["sheets"][0]


def test_direct_edits_and_http_controls(env):
    emu, sid, gc = env
    ws = gc.open_by_key(sid).sheet1
    ws.update([["id", "name"], ["b", "2"], ["a", "1"]], "A1", value_input_option="RAW")
    emu.reset_counts()
    emu.sort_tab(sid, "Sheet1", "A")
    emu.insert_row(sid, "Sheet1", 2, ["", "人工"])
    emu.add_column(sid, "Sheet1", "备注")
    assert emu.paste_row_copy(sid, "Sheet1", 3) == 5
    emu.delete_row(sid, "Sheet1", 2)
    emu.type_formula(sid, "Sheet1", "C2", "=1+1")
    assert emu.counts == {"read": 0, "write": 0}  # direct edits are not API requests
    assert emu.values(sid, "Sheet1") == [["id", "name", "备注"], ["a", "1", "2"], ["b", "2"], ["a", "1"]]

    def post(path, data):
        req = urllib.request.Request(emu.url + "/_emulator/" + path, data=json.dumps(data).encode(), method="POST")
        return json.loads(urllib.request.urlopen(req).read())

    post("set_cell", {"spreadsheetId": sid, "tab": "Sheet1", "cell": "D1", "value": "x"})
    assert post("values", {"spreadsheetId": sid, "tab": "Sheet1"})["values"][0] == ["id", "name", "备注", "x"]
    post("faults", {"kind": "status", "status": 503, "count": 1})
    with pytest.raises(gspread.exceptions.APIError) as ei:
        ws.get_all_values()
    assert ei.value.response.status_code == 503
    assert ws.get_all_values()[0][0] == "id"
    assert post("counts/reset", {}) == {"read": 0, "write": 0}


def test_quota_flag():
    with running_emulator(quota=True) as emu:
        emu.quota_per_minute = 3
        sid = emu.create_spreadsheet("q")
        gc = gspread_client(emu.url)
        client = gc.http_client
        for _ in range(3):
            client.values_get(sid, "Sheet1")
        with pytest.raises(gspread.exceptions.APIError) as ei:
            client.values_get(sid, "Sheet1")
        err = ei.value.response.json()["error"]
        assert ei.value.response.status_code == 429 and err["status"] == "RESOURCE_EXHAUSTED"
        assert err["message"].startswith("Quota exceeded for quota metric 'Read requests' and limit "
                                         "'Read requests per minute per user' of service 'sheets.googleapis.com'")
        client.values_update(sid, "Sheet1!A1", params={"valueInputOption": "RAW"}, body={"values": [["w"]]})  # writes separate


def test_state_file_and_standalone(tmp_path: Path):
    state = tmp_path / "state.json"
    emu = Emulator(state_path=state)
    emu.start()
    sid = emu.create_spreadsheet("持久")
    gspread_client(emu.url).open_by_key(sid).sheet1.update([["保存"]], "A1")
    emu.stop()
    proc = subprocess.Popen([sys.executable, "-m", "sync.emulator", "--state", str(state)],
                            stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[1])
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        deadline = time.time() + 5
        while True:
            try:
                ws = gspread_client(url).open_by_key(sid).sheet1
                break
            except Exception:
                if time.time() > deadline:
                    raise
                time.sleep(0.05)
        assert ws.get_all_values() == [["保存"]]
    finally:
        proc.terminate()
        proc.wait(5)
