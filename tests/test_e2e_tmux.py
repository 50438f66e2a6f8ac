"""End to end in a real terminal: tmux runs app.py, keys go in, the ledger is checked.

No skipping: without tmux this test fails, since the program's promise is
about a real terminal (wide characters, an input method's committed text).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


class Tmux:
    def __init__(self, name: str):
        self.socket = f"ledger-e2e-{os.getpid()}-{name}"
        self.target = name

    def run(self, *args: str, check: bool = True) -> str:
        out = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=check)
        return out.stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.target, check=False)

    def alive(self) -> bool:
        return subprocess.run(["tmux", "-L", self.socket, "has-session", "-t", self.target],
                              capture_output=True).returncode == 0

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        # one key at a time, at a brisk human pace: a burst of Tab+text in one read lands the
        # text in the field that had focus before the Tab (seen with textual 8.2.8 under tmux)
        for key in keys:
            self.run("send-keys", "-t", self.target, key)
            time.sleep(0.15)

    def literal(self, text: str) -> None:
        """Committed text, as an input method sends it: all characters in one write."""
        self.run("send-keys", "-t", self.target, "-l", text)
        time.sleep(0.15)


def test_add_member_in_a_real_terminal(tmp_path):
    if shutil.which("tmux") is None:
        pytest.fail("tmux is required for the end-to-end test (apt-get install tmux)")
    db = tmp_path / "ledger.json"
    env = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color", "LEDGER_LANG": "zh",
           "LEDGER_CONFIG": str(tmp_path / "none.toml"), "LEDGER_SCHOOL": "莲峰小学",
           "XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path)}
    command = " ".join(["env", *(f"{k}={shlex.quote(v)}" for k, v in env.items()),
                        shlex.quote(sys.executable), shlex.quote(str(ROOT / "app.py")), "--db", shlex.quote(str(db))])
    tmux = Tmux("ledger")
    tmux.run("new-session", "-d", "-s", "ledger", "-x", "100", "-y", "30", command)
    try:
        tmux.wait_for("会员 0")  # the status line: the ledger is open
        tmux.keys("2")
        tmux.wait_for("0/0 人")
        tmux.keys("a")
        tmux.wait_for("新增会员")
        tmux.literal("曾小明")
        tmux.keys("Tab", "Right", "Tab")  # 性别: 男
        tmux.literal("1985-03-08")
        tmux.keys("Tab")
        tmux.literal("汉族")
        for _ in range(3):  # 政治面貌, 身份证号, 手机
            tmux.keys("Tab")
        tmux.literal("139 1234 5678")
        tmux.keys("Tab", "Tab", "Tab", "Tab", "Tab")  # 学历 职称 岗位职务 学校 工会小组
        tmux.literal("数学组")
        tmux.wait_for("数学组")
        tmux.keys("C-s")
        screen = tmux.wait_for("会员 1")
        # the new row, in the table, aligned: the name then its gender and group
        row = next(line for line in screen.splitlines() if "曾小明" in line and "数学组" in line)
        assert row.index("男") > row.index("曾小明")
        tmux.keys("/")
        tmux.literal("zxm")  # pinyin initials with 曾 read zeng
        screen = tmux.wait_for("zxm")
        assert "1/1 人" in screen and "曾小明" in screen
        tmux.keys("Escape")  # leave the search box for the table
        tmux.wait_for("a 新增")  # the footer offers the table's keys again
        tmux.keys("q")
        deadline = time.monotonic() + 15
        while tmux.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not tmux.alive(), tmux.screen()
    finally:
        tmux.run("kill-server", check=False)
    out = subprocess.run([sys.executable, str(ROOT / "app.py"), "--db", str(db), "list", "member", "--json"],
                         capture_output=True, text=True, check=True, cwd=ROOT,
                         env={**os.environ, "LEDGER_CONFIG": str(tmp_path / "none.toml")})
    (member,) = json.loads(out.stdout)
    assert member["name"] == "曾小明"
    assert member["gender"] == "男"
    assert member["birth_date"] == "1985-03-08"
    assert member["ethnicity"] == "汉族"
    assert member["phone"] == "13912345678"
    assert member["union_group"] == "数学组"
    assert member["status"] == "在会" and member["employment"] == "在职"  # the defaults
