"""End to end in a real terminal: a roster imported through the import screen (tmux)."""

from __future__ import annotations

import json
import shlex
import shutil
import sys
from pathlib import Path

import pytest

from tests.import_helpers import person, roster_rows, roster_xlsx
from tests.test_e2e_tmux import Tmux, list_members

ROOT = Path(__file__).resolve().parent.parent


def test_roster_import_through_the_screen(tmp_path):
    if shutil.which("tmux") is None:
        pytest.fail("tmux is required for the end-to-end test (apt-get install tmux)")
    db = tmp_path / "ledger.json"
    roster = roster_xlsx(tmp_path / "名册.xlsx", roster_rows([person(i) for i in range(1, 5)]), numbers_as_ids=(3,))
    env = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color", "LEDGER_LANG": "zh",
           "LEDGER_CONFIG": str(tmp_path / "none.toml"), "LEDGER_SCHOOL": "莲峰小学",
           "XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path)}
    command = " ".join(["env", *(f"{k}={shlex.quote(v)}" for k, v in env.items()),
                        shlex.quote(sys.executable), shlex.quote(str(ROOT / "app.py")), "--db", shlex.quote(str(db))])
    tmux = Tmux("import")
    tmux.run("new-session", "-d", "-s", "import", "-x", "110", "-y", "34", command)
    try:
        tmux.wait_for("会员 0")
        tmux.keys("2")
        tmux.wait_for("0/0 人")
        tmux.keys("i")
        tmux.wait_for("导入会员名册")
        tmux.literal(str(roster))
        tmux.keys("Enter")
        tmux.wait_for("新增 3")
        screen = tmux.wait_for("身份证号(id_number)")  # the mapping may be drawn a frame after the counts
        assert "错误 1" in screen and "Excel" in screen  # the destroyed 身份证号, first
        tmux.keys("C-s")
        tmux.wait_for("3/3 人")
        tmux.quit()
    finally:
        tmux.run("kill-server", check=False)
    out = list_members(db, tmp_path)
    assert sorted(m["name"] for m in json.loads(out.stdout)) == ["教师0001", "教师0002", "教师0003"]
