"""Header accidents: a header this program wrote renamed (手机 -> 电话),
cleared, duplicated or deleted.  Each is reported (tab, column letter,
expected, found); the field is neither read nor written for that tab until
the header is right; no second column is ever made for it; the rest of the
sync goes on.  Layout unit tests first, then whole syncs over the emulator."""

from __future__ import annotations

import pytest

from domain.store import Ledger
from sync.engine import sync
from sync.gateway import RetryPolicy, connect
from sync.problems import open_problems
from sync.sheet_headers import check_headers
from sync.sheet_layout import add_columns_requests, column_letter, headers, read_layout
from tests.emulator_fixtures import running_emulator

SCHOOL = "莲峰小学"
FAST = RetryPolicy(attempts=5, base_seconds=0.001, max_seconds=0.01, total_seconds=5)
H = headers("member", None)
PHONE = H.index("手机")
P = column_letter(PHONE)


def _with(header: str, at: int = PHONE) -> list[str]:
    row = list(H)
    row[at] = header
    return row


def _accidents(layout):
    return [(p.accident, p.column, p.expected, p.found) for p in layout.problems]


# ----------------------------------------------------------------- the layout alone
def test_headers_as_written_have_no_problem_and_are_remembered():
    layout = read_layout("member", H, None)
    assert layout.problems == [] and layout.missing == [] and layout.columns["phone"] == PHONE
    assert layout.remember == {label: i for i, label in enumerate(H)}


@pytest.mark.parametrize("last", [None, {label: i for i, label in enumerate(H)}], ids=["no memory", "remembered"])
def test_renamed_header_is_reported_and_its_field_neither_used_nor_made_again(last):
    row = _with("电话")
    layout = read_layout("member", row, None, rows=[row, ["x"] * len(H)], last=last)
    assert _accidents(layout) == [("renamed", P, "手机", "电话")]
    assert "phone" not in layout.columns and layout.missing == []
    assert add_columns_requests(layout, 1, None, 10, 40)[0] == []  # no second 手机 column
    assert "电话" in layout.problems[0].why and P in layout.problems[0].why


def test_cleared_header_over_data_is_reported_not_made_again():
    row = _with("")
    layout = read_layout("member", row, None, rows=[row, ["x"] * len(H)], last=read_layout("member", H, None).remember)
    assert _accidents(layout) == [("cleared", P, "手机", "")]
    assert "phone" not in layout.columns and layout.missing == []


def test_cleared_last_header_keeps_its_data_column_in_use():
    """Trailing empty cells are not read: a cleared last header leaves a
    shorter header row, but the column still holds data, and nothing new
    may be written over it."""
    row = H[:-1]
    data = ["x"] * len(H)
    layout = read_layout("member", row, None, rows=[row, data], last=read_layout("member", H, None).remember)
    assert _accidents(layout) == [("cleared", column_letter(len(H) - 1), H[-1], "")]
    assert layout.width == len(H)


def test_duplicated_header_uses_neither_column():
    row = [*H, "手机"]
    layout = read_layout("member", row, None)
    assert _accidents(layout) == [("duplicated", f"{P}, {column_letter(len(H))}", "手机", "手机")]
    assert "phone" not in layout.columns and layout.missing == []


def test_deleted_column_is_made_again_and_reported_with_where():
    last = read_layout("member", H, None).remember
    row = [h for h in H if h != "手机"]
    layout = read_layout("member", row, None, rows=[row, ["x"] * len(row)], last=last)
    assert layout.problems == [] and [f.name for f in layout.missing] == ["phone"]
    reqs, after = add_columns_requests(layout, 1, None, 10, 40)
    assert reqs and after.columns["phone"] == len(row)
    assert _accidents(after) == [("missing", column_letter(len(row)), "手机", "")]


def test_a_field_never_in_the_tab_is_made_silently():
    last = {label: i for i, label in enumerate(H) if label != "手机"}
    row = [h for h in H if h != "手机"]
    layout = read_layout("member", row, None, rows=[row], last=last)
    reqs, after = add_columns_requests(layout, 1, None, 10, 40)
    assert after.columns["phone"] == len(row) and after.problems == []


def test_moved_and_renamed_is_found_where_it_was_remembered():
    """People may reorder columns: the remembered column finds a renamed
    header that its old neighbours no longer bracket."""
    moved = [h for h in H if h != "手机"] + ["手机"]
    last = read_layout("member", moved, None).remember
    row = moved[:-1] + ["电话"]
    layout = read_layout("member", row, None, rows=[row], last=last)
    assert _accidents(layout) == [("renamed", column_letter(len(H) - 1), "手机", "电话")]


def test_inserted_column_and_rename_together_is_still_a_rename():
    last = read_layout("member", H, None).remember
    row = list(H)
    row.insert(1, "人工列")
    row[PHONE + 1] = "电话"
    layout = read_layout("member", row, None, rows=[row], last=last)
    assert _accidents(layout) == [("renamed", column_letter(PHONE + 1), "手机", "电话")]
    assert layout.columns["name"] == 2


def test_a_column_of_someone_s_moving_into_a_deleted_column_s_place_is_not_a_rename():
    """Our last column deleted: the column people added after it moves into
    its place; its header was there before, so ours is missing (made again),
    and theirs is left alone."""
    before = [*H, "人工列"]
    last = read_layout("member", before, None).remember
    row = [*H[:-1], "人工列"]
    layout = read_layout("member", row, None, rows=[row, ["x"] * len(row)], last=last)
    assert layout.problems == [] and [f.label for f in layout.missing] == [H[-1]]
    assert add_columns_requests(layout, 1, None, 10, 40)[1].columns[layout.missing[0].name] == len(row)


def test_without_memory_a_column_people_added_at_the_right_is_not_taken_for_ours():
    row = [*H[:-1], "人工列"]
    layout = read_layout("member", row, None, rows=[row, ["x"] * len(row)])
    assert layout.problems == [] and [f.label for f in layout.missing] == [H[-1]]


def test_people_columns_and_gaps_are_no_problem():
    row = [*H, "", "人工备注"]
    layout = read_layout("member", row, None, rows=[row, [""] * len(row)])
    assert layout.problems == [] and layout.missing == []


def test_renamed_id_header_is_reported_and_no_id_column_is_made():
    row = _with("ID", 0)
    layout = read_layout("member", row, None, rows=[row], last=read_layout("member", H, None).remember)
    assert layout.id_col is None and not layout.id_missing
    assert _accidents(layout) == [("renamed", "A", "编号", "ID")]
    assert add_columns_requests(layout, 1, None, 10, 40)[0] == []


def test_check_headers_pairs_two_renames_in_order():
    check = check_headers("会员", ["编号", "甲", "乙", "丙"], ["编号", "x", "y", "丙"], last={"编号": 0, "甲": 1, "乙": 2, "丙": 3})
    assert [(p.expected, p.found, p.column) for p in check.problems] == [("甲", "x", "B"), ("乙", "y", "C")]


# ----------------------------------------------------------------- whole syncs
@pytest.fixture(scope="module")
def emu():
    with running_emulator() as e:
        yield e


@pytest.fixture
def synced(emu, tmp_path):
    """A ledger of one school with two members, synced to a fresh sheet."""
    sid = emu.create_spreadsheet("学区台账")
    led = Ledger.open(tmp_path / "a.json", school=SCHOOL)
    led.add("member", {"name": "张三", "gender": "女", "phone": "13812345678"})
    led.add("member", {"name": "李四", "gender": "男", "phone": "13900000000"})
    sync(led, _gw(emu, sid))
    yield led, sid
    led.close()


def _gw(emu, sid):
    return connect(sid, endpoint=emu.url, retry=FAST)


def _row_of(emu, sid, name):
    rows = emu.values(sid, "会员")
    return next(i for i, r in enumerate(rows) if len(r) > 1 and r[1] == name) + 1


def _phone(led, name):
    return next(r["phone"] for r in led.records("member") if r["name"] == name)


def test_sync_with_renamed_header_keeps_both_sides_and_goes_on(emu, synced):
    led, sid = synced
    emu.set_cell(sid, "会员", f"{P}1", "电话")
    r = _row_of(emu, sid, "张三")
    emu.set_cell(sid, "会员", f"{P}{r}", "'13700000000")  # typed under the renamed header
    emu.set_cell(sid, "会员", f"B{_row_of(emu, sid, '李四')}", "李四四")  # another field: still synced
    led.edit("member", next(x["id"] for x in led.records("member") if x["name"] == "张三"), {"phone": "13811111111"})
    result = sync(led, _gw(emu, sid))
    header = emu.values(sid, "会员")[0]
    assert header.count("手机") == 0 and header.count("电话") == 1 and len(header) == len(H)
    assert emu.values(sid, "会员")[r - 1][PHONE] == "13700000000"  # not written
    assert _phone(led, "张三") == "13811111111"  # not read
    assert any(x["name"] == "李四四" for x in led.records("member"))
    listed = [p for p in open_problems(led) if p["problem"] == "header"]
    assert [(p["tab"], p["column"], p["header"], p["value"]) for p in listed] == [("会员", P, "手机", "电话")]
    assert any(p.problem == "header" for p in result.problems)
    # the header put right: the edit typed meanwhile meets the local one as a conflict, nothing lost
    emu.set_cell(sid, "会员", f"{P}1", "手机")
    again = sync(led, _gw(emu, sid))
    assert [p for p in open_problems(led) if p["problem"] == "header"] == []
    assert [(c.mine, c.theirs) for c in again.conflicts] == [("13811111111", "13700000000")]


def test_sync_with_cleared_header_writes_no_second_column(emu, synced):
    led, sid = synced
    emu.set_cell(sid, "会员", f"{P}1", "")
    sync(led, _gw(emu, sid))
    header = emu.values(sid, "会员")[0]
    assert "手机" not in header and header[PHONE] == ""
    assert [(p["column"], p["header"], p["value"]) for p in open_problems(led) if p["problem"] == "header"] == \
        [(P, "手机", "")]
    assert _phone(led, "张三") == "13812345678"


def test_sync_with_duplicated_header_touches_neither_column(emu, synced):
    led, sid = synced
    col = emu.add_column(sid, "会员", "手机")
    r = _row_of(emu, sid, "张三")
    emu.set_cell(sid, "会员", f"{column_letter(col)}{r}", "'13600000000")
    rid = next(x["id"] for x in led.records("member") if x["name"] == "张三")
    led.edit("member", rid, {"phone": "13822222222"})
    sync(led, _gw(emu, sid))
    rows = emu.values(sid, "会员")
    assert rows[0].count("手机") == 2 and rows[r - 1][PHONE] == "13812345678" and rows[r - 1][col] == "13600000000"
    assert _phone(led, "张三") == "13822222222"
    assert [p["column"] for p in open_problems(led) if p["problem"] == "header"] == [f"{P}, {column_letter(col)}"]


def test_deleted_column_comes_back_filled_from_the_ledger(emu, synced):
    led, sid = synced
    emu.delete_column(sid, "会员", P)
    sync(led, _gw(emu, sid))
    rows = emu.values(sid, "会员")
    assert rows[0].count("手机") == 1
    col = rows[0].index("手机")
    assert rows[_row_of(emu, sid, "张三") - 1][col] == "13812345678"
    assert _phone(led, "张三") == "13812345678"
    assert [(p["column"], p["header"]) for p in open_problems(led) if p["problem"] == "header"] == \
        [(column_letter(col), "手机")]
    sync(led, _gw(emu, sid))
    assert [p for p in open_problems(led) if p["problem"] == "header"] == []  # settled


def test_a_record_added_while_the_header_is_wrong_keeps_its_value(emu, synced):
    """The new row cannot carry 手机; once the header is right the cell is
    filled from here, never taken as "cleared in the sheet"."""
    led, sid = synced
    emu.set_cell(sid, "会员", f"{P}1", "电话")
    led.add("member", {"name": "王五", "gender": "男", "phone": "13733333333"})
    sync(led, _gw(emu, sid))
    assert _phone(led, "王五") == "13733333333"
    emu.set_cell(sid, "会员", f"{P}1", "手机")
    sync(led, _gw(emu, sid))
    assert _phone(led, "王五") == "13733333333"
    assert emu.values(sid, "会员")[_row_of(emu, sid, "王五") - 1][PHONE] == "13733333333"


# ----------------------------------------------------------------- a tab renamed or deleted
@pytest.mark.parametrize("accident", ["renamed", "deleted"])
def test_a_missing_tab_is_named_as_missing_and_nothing_is_deleted(emu, synced, accident):
    from sync.engine import SyncStopped

    led, sid = synced
    gw = _gw(emu, sid)
    tab = gw.metadata()["会员"]
    if accident == "renamed":
        gw.structural([{"updateSheetProperties": {"properties": {"sheetId": tab.sheet_id, "title": "会员名单"},
                                                  "fields": "title"}}])
    else:
        gw.structural([{"deleteSheet": {"sheetId": tab.sheet_id}}])
    emu.reset_counts()
    with pytest.raises(SyncStopped) as ei:
        sync(led, _gw(emu, sid))
    assert "找不到“会员”" in str(ei.value) and "读到的是空表" not in str(ei.value)
    assert emu.counts["write"] == 0 and "会员" not in emu.tabs(sid)
    assert sorted(r["name"] for r in led.records("member")) == ["张三", "李四"]


def test_a_renamed_id_header_stops_the_sync_with_where_and_what(emu, synced):
    from sync.engine import SyncError

    led, sid = synced
    emu.set_cell(sid, "会员", "A1", "ID")
    emu.reset_counts()
    with pytest.raises(SyncError) as ei:
        sync(led, _gw(emu, sid))
    assert "A 列" in str(ei.value) and "编号" in str(ei.value) and "ID" in str(ei.value)
    assert emu.counts["write"] == 0 and emu.values(sid, "会员")[0].count("编号") == 0
