"""app.py attend / occurrences: one occurrence's attendance from the command line."""

from __future__ import annotations

import json

from tests.test_cli import run


def _last(out) -> str:
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1]


def test_attend_one_yearly_occurrence_and_the_others_stay_untouched(tmp_path):
    db = tmp_path / "l.json"
    event = _last(run("add", "event", "title=重阳敬老", "date=2025-10-29", "recurrence=每年农历", db=db))
    a, b = (_last(run("add", "member", f"name={n}", db=db)) for n in ("张三", "李四"))
    out = run("attend", event, "2027-10-08", a, b, db=db)
    assert out.returncode == 0 and "2 人" in out.stdout
    listed = json.loads(run("occurrences", event, "--to", "2028-01-01", "--json", db=db).stdout)
    assert [(o["date"], o["attendees"]) for o in listed] == \
        [("2025-10-29", []), ("2026-10-18", []), ("2027-10-08", [a, b])]
    assert set(listed[0]) == {"date", "cancelled", "moved_to", "start_time", "end_time", "location", "attendees"}
    assert run("attend", event, "2027-10-08", b, "--remove", db=db).returncode == 0
    listed = json.loads(run("occurrences", event, "--from", "2027-01-01", "--to", "2027-12-31", "--json",
                            db=db).stdout)
    assert listed == [{"date": "2027-10-08", "cancelled": False, "moved_to": None, "start_time": "",
                       "end_time": "", "location": "", "attendees": [a]}]


def test_attend_refuses_a_day_that_is_no_occurrence_and_an_unknown_member(tmp_path):
    db = tmp_path / "l.json"
    event = _last(run("add", "event", "title=基本功训练", "date=2025-01-15", "recurrence=每月", db=db))
    a = _last(run("add", "member", "name=张三", db=db))
    out = run("attend", event, "2025-03-16", a, db=db)
    assert out.returncode != 0
    (line,) = out.stderr.strip().splitlines()
    assert "2025-03-16" in line and "2025-03-15" in line
    out = run("attend", event, "2025-03-15", "NOSUCHMEMBER", db=db)
    assert out.returncode != 0 and "NOSUCHMEMBER" in out.stderr
    listed = json.loads(run("occurrences", event, "--to", "2025-04-30", "--json", db=db).stdout)
    assert all(o["attendees"] == [] for o in listed)  # nothing half-written


def test_the_demo_can_make_a_conflict(tmp_path):
    import os
    import subprocess
    import sys

    from tests.test_cli import ROOT

    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "LEDGER_CONFIG": str(tmp_path / "none.toml")}

    def demo(*args):
        return subprocess.run([sys.executable, str(ROOT / "app.py"), "--demo", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True)

    assert demo("sync").returncode == 0
    refused = demo("demo-conflict")  # nothing edited here yet: says what to do
    assert refused.returncode == 1 and "先同步一次" in refused.stderr
    member = json.loads(demo("list", "member", "--json").stdout)[5]
    assert demo("edit", "member", member["id"], "phone=13900139000").returncode == 0
    made = demo("demo-conflict")
    assert made.returncode == 0 and member["name"] in made.stdout
    assert demo("sync").returncode == 0
    conflicts = demo("conflicts", "--json")
    (c,) = json.loads(conflicts.stdout)
    assert (c["id"], c["field"], c["mine"], c["theirs"]) == (member["id"], "phone", "13900139000", "13700137000")
