"""Clean input on every way in: control characters and over-long text are
refused with the field named, never stored and never cut; a record's school
stays its school; plain output never writes a control character raw."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.clean_text import NAME_MAX, SHEET_CELL_MAX, SHORT_MAX, text_limit
from domain.config import load_config
from domain.validation import ValidationError, validate_record

ROOT = Path(__file__).resolve().parents[1]
REFUSED = [*(chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)), "\x7f",
           *(chr(c) for c in range(0x80, 0xA0)), *(chr(c) for c in range(0x202A, 0x202F)),
           *(chr(c) for c in range(0x2066, 0x206A))]


@given(ch=st.sampled_from(REFUSED), before=st.text("曾小红", max_size=3), after=st.text("老师", max_size=3))
def test_every_control_character_is_refused_with_the_field_named(ch, before, after):
    config = load_config()
    for name in ("name", "notes"):
        with pytest.raises(ValidationError) as caught:
            validate_record("member", {"name": "曾", "school": "莲峰小学", name: before + ch + after}, config)
        assert caught.value.field == name
        assert f"U+{ord(ch):04X}" in str(caught.value) and f"({name})" in str(caught.value)


def test_tab_and_newlines_only_where_a_field_may_hold_lines():
    config = load_config()
    stored = validate_record("member", {"name": "曾", "school": "莲峰小学", "notes": "第一行\n\t第二行\r\n完"}, config)
    assert stored["notes"] == "第一行\n\t第二行\r\n完"
    with pytest.raises(ValidationError, match="U\\+0009"):
        validate_record("member", {"name": "曾\t小红", "school": "莲峰小学"}, config)


def test_the_limits_are_per_field_and_documented():
    assert text_limit("name") == NAME_MAX == 50
    assert text_limit("notes") == SHEET_CELL_MAX == 50_000
    assert text_limit("union_group") == SHORT_MAX == 200


def test_long_text_is_kept_whole_or_refused_never_cut(ledger):
    note = "病" * 10_000
    rec = ledger.add("member", {"name": "曾小红", "notes": note})
    assert ledger.get("member", rec["id"])["notes"] == note
    with pytest.raises(ValidationError) as caught:
        ledger.add("member", {"name": "李伟", "notes": "病" * 50_001})
    assert "备注(notes)" in str(caught.value) and "50,000" in str(caught.value) and "50,001" in str(caught.value)
    with pytest.raises(ValidationError, match="姓名\\(name\\).*最多 50 个字符，这里有 51 个"):
        ledger.add("member", {"name": "曾" * 51})
    assert ledger.count("member") == 1


def test_a_records_school_cannot_be_edited_a_transfer_is_recorded_as_such(ledger):
    rec = ledger.add("member", {"name": "曾小红"})
    with pytest.raises(ValidationError, match="转出"):
        ledger.edit("member", rec["id"], {"school": "大刘中心校"})
    assert ledger.get("member", rec["id"])["school"] == "莲峰小学"
    ledger.edit("member", rec["id"], {"school": "莲峰小学", "status": "转出"})  # the same school may be given
    assert ledger.get("member", rec["id"])["status"] == "转出"


def app(db: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, str(ROOT / "app.py"), "--db", str(db), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def test_the_command_line_refuses_an_escape_sequence_and_echoes_none(tmp_path):
    db = tmp_path / "ledger.json"
    done = app(db, "add", "member", "name=\x1b]0;被改的标题\x07曾小红")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    [line] = done.stderr.splitlines()
    assert "姓名(name)" in line and "U+001B" in line
    assert "\x1b" not in done.stderr + done.stdout and "\x07" not in done.stderr + done.stdout


def test_text_stored_before_these_checks_is_printed_escaped(tmp_path):
    from domain.store import Ledger

    db = tmp_path / "ledger.json"
    with Ledger.open(db, school="莲峰小学") as led:
        rec = led.add("member", {"name": "曾小红"})
        key = led._keys["member"][rec["id"]]
        led.commit([("member", key, {**rec, "name": "曾\x1b[2J小红", "notes": "\x9b31m"})])  # as an old version kept it
    for args in (("list", "member"), ("show", "member", rec["id"])):
        out = app(db, *args)
        assert out.returncode == 0, out.stderr
        assert "\x1b" not in out.stdout and "\x9b" not in out.stdout
        assert "\\x1b" in out.stdout


@pytest.mark.parametrize("cell", ["\x1b]0;标题\x07住院", "病" * 50_001])
def test_a_bad_sheet_cell_is_reported_and_the_record_left_as_it_was(tmp_path, cell):
    from domain.store import Ledger
    from sync.engine import sync
    from sync.gateway import RetryPolicy, connect
    from sync.sheet_layout import column_letter
    from tests.emulator_fixtures import running_emulator

    fast = RetryPolicy(attempts=3, base_seconds=0.001, max_seconds=0.01, total_seconds=5)
    with running_emulator() as emu, Ledger.open(tmp_path / "l.json", school="莲峰小学") as led:
        sid = emu.create_spreadsheet("学区台账")
        rec = led.add("member", {"name": "曾小红", "notes": "原来的备注"})
        sync(led, connect(sid, endpoint=emu.url, retry=fast))
        header = emu.values(sid, "会员", render="FORMULA")[0]
        emu.set_cell(sid, "会员", f"{column_letter(header.index('备注'))}2", cell)
        result = sync(led, connect(sid, endpoint=emu.url, retry=fast))
        assert [b.header for b in result.bad_cells] == ["备注"]
        assert led.get("member", rec["id"])["notes"] == "原来的备注"


def test_the_limits_are_listed_by_app_py_fields(tmp_path):
    import json

    specs = {s["name"]: s for s in json.loads(app(tmp_path / "l.json", "fields", "member", "--json").stdout)}
    assert specs["name"]["max_length"] == 50 and specs["notes"]["max_length"] == 50_000
    assert specs["union_group"]["max_length"] == 200
