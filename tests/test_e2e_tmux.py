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

    def quit(self) -> None:
        """q, then wait (15 s at most) for the program to end."""
        self.keys("q")
        deadline = time.monotonic() + 15
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not self.alive(), self.screen()

    def keys(self, *keys: str) -> None:
        # one key at a time, at a human pace (0.3 s: under load 0.15 s let text land in the field before
        # the Tab, one run in five): a burst of Tab+text in one read lands the
        # text in the field that had focus before the Tab (seen with textual 8.2.8 under tmux)
        for key in keys:
            self.run("send-keys", "-t", self.target, key)
            time.sleep(0.3)

    def literal(self, text: str) -> None:
        """Committed text, as an input method sends it: all characters in one write."""
        self.run("send-keys", "-t", self.target, "-l", text)
        time.sleep(0.3)


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
        time.sleep(0.5)  # the focus moves to the search box first (a loaded machine is slow to)
        tmux.literal("zxm")  # pinyin initials with 曾 read zeng
        screen = tmux.wait_for("zxm")
        assert "1/1 人" in screen and "曾小明" in screen
        tmux.keys("Escape")  # leave the search box for the table
        tmux.wait_for("a 新增")  # the footer offers the table's keys again
        tmux.quit()
    finally:
        tmux.run("kill-server", check=False)
    out = list_members(db, tmp_path)
    (member,) = json.loads(out.stdout)
    assert member["name"] == "曾小明"
    assert member["gender"] == "男"
    assert member["birth_date"] == "1985-03-08"
    assert member["ethnicity"] == "汉族"
    assert member["phone"] == "13912345678"
    assert member["union_group"] == "数学组"
    assert member["status"] == "在会" and member["employment"] == "在职"  # the defaults


def _cli(tmp_path, db, *args) -> str:
    out = subprocess.run([sys.executable, str(ROOT / "app.py"), "--db", str(db), *args], capture_output=True,
                         text=True, check=False, cwd=ROOT, env={**os.environ, "LEDGER_CONFIG": str(tmp_path / "none.toml"),
                                                               "LEDGER_SCHOOL": "莲峰小学"})
    assert out.returncode == 0, out.stderr
    return out.stdout


def _start(tmp_path, db, name: str, size=("120", "35")) -> Tmux:
    if shutil.which("tmux") is None:
        pytest.fail("tmux is required for the end-to-end test (apt-get install tmux)")
    env = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color", "LEDGER_LANG": "zh",
           "LEDGER_CONFIG": str(tmp_path / "none.toml"), "LEDGER_SCHOOL": "莲峰小学",
           "XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path)}
    command = " ".join(["env", *(f"{k}={shlex.quote(v)}" for k, v in env.items()),
                        shlex.quote(sys.executable), shlex.quote(str(ROOT / "app.py")), "--db", shlex.quote(str(db))])
    tmux = Tmux(name)
    tmux.run("new-session", "-d", "-s", name, "-x", size[0], "-y", size[1], command)
    return tmux


def test_attendance_of_one_yearly_occurrence_and_an_over_cap_visit(tmp_path):
    import datetime as dt

    from domain.lunar import lunar_to_solar

    today = dt.date.today()
    year = today.year + 1  # an occurrence to come, whatever day the test runs
    chongyang = lunar_to_solar(year, 9, 9)  # 重阳: lunar 9/9, on another solar day each year
    db = tmp_path / "ledger.json"
    event = _cli(tmp_path, db, "add", "event", "title=重阳敬老", "date=2025-10-29", "recurrence=每年农历").split()[-1]
    zhang = _cli(tmp_path, db, "add", "member", "name=张三").split()[-1]
    _cli(tmp_path, db, "add", "member", "name=李四")
    tmux = _start(tmp_path, db, "occ")
    try:
        tmux.wait_for("会员 2")
        tmux.keys("3")
        for _ in range((year - today.year) * 12 + chongyang.month - today.month):  # to next year's 重阳
            tmux.keys("PageDown")
        tmux.wait_for(f"{year} 年 {chongyang.month} 月")
        tmux.keys("Tab")  # to the month's agenda
        tmux.wait_for("重阳敬老")
        tmux.keys("p")
        tmux.wait_for(chongyang.isoformat())  # the picker names the occurrence
        tmux.literal("zs")
        tmux.keys("Down", "Space", "C-s")
        tmux.wait_for("参加人：1 人")

        tmux.keys("2", "/")
        time.sleep(0.5)
        tmux.literal("ls")
        tmux.wait_for("1/2 人")
        tmux.keys("Enter", "v")
        tmux.wait_for("新增慰问")
        tmux.keys("Tab", "Tab", "Right")  # 慰问类别: 生病住院 (cap 1,000 元, 2 a year)
        tmux.keys("Tab", "Tab", "Tab", "Tab")  # 受慰问人 关系 慰问形式 -> 慰问金
        tmux.literal("5000")
        tmux.wait_for("超过“生病住院”的上限")  # shown as typed, before any save
        tmux.keys("C-s")
        tmux.wait_for("须填写审批人")
        tmux.literal("李主席")
        tmux.keys("C-s")
        tmux.wait_for("仍要保存吗")
        tmux.keys("y")
        tmux.wait_for("慰问 1")  # the status line counts it
        tmux.quit()
    finally:
        tmux.run("kill-server", check=False)
    listed = json.loads(_cli(tmp_path, db, "occurrences", event, "--to", f"{year}-12-31", "--json"))
    assert [(o["date"], o["attendees"]) for o in listed] == \
        [(lunar_to_solar(y, 9, 9).isoformat(), [zhang] if y == year else []) for y in range(2025, year + 1)]
    (visit,) = json.loads(_cli(tmp_path, db, "list", "visit", "--json"))
    assert visit["member_name"] == "李四" and visit["amount"] == "5000.00" and visit["approver"] == "李主席"
    assert visit["reason"] == "生病住院"


def list_members(db, tmp_path) -> subprocess.CompletedProcess:
    """``app.py list member --json`` on ``db``, as a second program would run it."""
    return subprocess.run([sys.executable, str(ROOT / "app.py"), "--db", str(db), "list", "member", "--json"],
                          capture_output=True, text=True, check=True, cwd=ROOT,
                          env={**os.environ, "LEDGER_CONFIG": str(tmp_path / "none.toml")})
