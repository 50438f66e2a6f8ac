"""Replay gspread 6.2.1's recorded episodes with real Google against the
emulator and compare the answers (status and JSON body). The episodes are
kept in ``tests/recordings`` (MIT, see its README); ``SHEETS_RECORDINGS``
names another folder of cassettes.

Each cassette is replayed in order against a fresh emulator; spreadsheet ids
(from the Drive create answer) and sheet/protected-range/named-range ids
(from the batchUpdate replies) are mapped between the recording and the
emulator. Ignored in the comparison: ids, dates/times, the spreadsheet's
theme and default format, and the e-mail of the recording's service
account. Episodes outside what the project uses are listed in EXCLUDED with
the reason; any other episode that does not match fails the test.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import requests

from emulator_fixtures import RECORDINGS, recordings_dir, running_emulator

# episode (file stem) -> why it is out of scope for the emulator
EXCLUDED: dict[str, str] = {
    "CellTest.test_merge_cells": "uses mergeCells/unmergeCells (merges not emulated)",
    "WorksheetTest.test_batch_merged_cells": "uses mergeCells (merges not emulated)",
    "WorksheetTest.test_get_merge_cells_and_unmerge_cells": "uses merges",
    "WorksheetTest.test_get_values_and_combine_merged_cells": "uses merges",
    "WorksheetTest.test_get_values_merge_cells_from_centre_of_sheet": "uses merges",
    "WorksheetTest.test_get_values_merge_cells_outside_of_range": "uses merges",
    "WorksheetTest.test_get_values_merge_cells_with_named_range": "uses merges",
    "ClientTest.test_client_export_spreadsheet": "Drive export (PDF/CSV bytes) not emulated",
    "SpreadsheetTest.test_export_spreadsheet": "Drive export not emulated",
    "ClientTest.test_copy": "Drive files.copy and comments not emulated",
    "ClientTest.test_import_csv": "Drive v2 upload (import CSV) not emulated",
    "ClientTest.test_openall": "lists every spreadsheet the recording account owned (account state)",
    "ClientTest.test_open_all_has_metadata": "lists every spreadsheet the recording account owned (account state)",
    "WorksheetTest.test_basic_filters": "uses basic filters (setBasicFilter)",
    "WorksheetTest.test_format": "reads back userEnteredFormat (formats are stored, not rendered)",
    "WorksheetTest.test_group_columns": "uses dimension groups",
    "WorksheetTest.test_group_rows": "uses dimension groups",
    "WorksheetTest.test_hide_columns_rows": "hides rows/columns (hiddenByUser) not used by the project",
    "WorksheetTest.test_auto_resize_columns": "autoResizeDimensions measures text width in the browser",
    "WorksheetTest.test_copy_cut_range": "uses copyPaste/cutPaste",
    "ClientTest.test_access_private_spreadsheet": "opens another account's private spreadsheet (id not created in the "
    "episode); the emulator has one account (Emulator.make_private covers the 403 answer)",
}


def _load(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["interactions"]


SHEET_ID_KEYS = ("sheetId", "protectedRangeId", "namedRangeId")
HOSTS = ("https://sheets.googleapis.com", "https://www.googleapis.com")


class Replayer:
    def __init__(self, base: str):
        self.base = base
        self.http = requests.Session()
        self.ids: dict[str, str] = {}  # recorded -> ours
        self.num: dict[str, dict] = {k: {} for k in SHEET_ID_KEYS}  # recorded -> ours

    # -- mapping helpers
    def _map_text(self, text: str) -> str:
        for rec, ours in self.ids.items():
            text = text.replace(rec, ours)
        return text

    def _map_nums(self, obj, to_ours: bool):
        if isinstance(obj, dict):
            out = {}
            for k, v in obj.items():
                if k in SHEET_ID_KEYS and isinstance(v, (int, str)):
                    table = self.num[k] if to_ours else {b: a for a, b in self.num[k].items()}
                    v = table.get(v, v)
                out[k] = self._map_nums(v, to_ours)
            return out
        if isinstance(obj, list):
            return [self._map_nums(v, to_ours) for v in obj]
        return obj

    def _learn(self, rec, ours):
        """Learn id pairs from two answers of the same shape."""
        if isinstance(rec, dict) and isinstance(ours, dict):
            for k, v in rec.items():
                if k in SHEET_ID_KEYS and k in ours and v not in self.num[k]:
                    self.num[k][v] = ours[k]
                if k in ours:
                    self._learn(v, ours[k])
        elif isinstance(rec, list) and isinstance(ours, list):
            for a, b in zip(rec, ours):
                self._learn(a, b)

    def replay(self, it: dict) -> tuple[int, object, int, object]:
        req, resp = it["request"], it["response"]
        url = req["uri"]
        for h in HOSTS:
            if url.startswith(h):
                url = self.base + url[len(h):]
        url = self._map_text(url)
        # gspread quoted the range into the path; keep it byte-for-byte
        body = req.get("body")
        data = None
        if body:
            if isinstance(body, dict):
                body = body.get("string", "")
            try:
                data = json.dumps(self._map_nums(json.loads(self._map_text(body)), True)).encode()
            except ValueError:
                data = self._map_text(body).encode()
        for k in ("sheetId",):
            for rec, ours in self.num[k].items():
                url = re.sub(rf"([?&]gid={rec})(?=&|$)", f"gid={ours}", url)
        headers = {"Content-Type": "application/json"} if data is not None else {}
        r = self.http.request(req["method"], url, data=data, headers=headers, timeout=10)
        rec_status = resp["status"]["code"]
        rec_text = resp["body"]["string"] if isinstance(resp["body"], dict) else resp["body"]
        rec_json = json.loads(rec_text) if rec_text and rec_text.strip() else None
        ours_json = r.json() if r.content else None
        if req["method"] == "POST" and "/drive/v3/files" in req["uri"] and rec_json and ours_json and "copy" not in req["uri"]:
            self.ids[rec_json["id"]] = ours_json["id"]
        self._learn(rec_json, ours_json)
        return rec_status, normalize(rec_json, self, False), r.status_code, normalize(ours_json, self, True)


TIME_KEYS = {"createdTime", "modifiedTime"}


def normalize(obj, rp: Replayer, ours: bool):
    if obj is None:
        return None
    if ours:
        obj = rp._map_nums(obj, False)
        text = json.dumps(obj, ensure_ascii=False)
        for rec, mine in rp.ids.items():
            text = text.replace(mine, rec)
        obj = json.loads(text)

    def walk(o):
        if isinstance(o, dict):
            out = {}
            for k, v in o.items():
                if k in TIME_KEYS:
                    continue
                if k == "properties" and isinstance(v, dict):
                    v = {kk: vv for kk, vv in v.items() if kk not in ("defaultFormat", "spreadsheetTheme")}
                if k == "users" and isinstance(v, list):
                    v = ["<user>" for _ in v]
                out[k] = walk(v)
            return out
        if isinstance(o, list):
            return [walk(v) for v in o]
        return o
    return walk(obj)


def run_episode(path: Path) -> list[str]:
    problems = []
    with running_emulator() as emu:
        rp = Replayer(emu.url)
        for i, it in enumerate(_load(path)):
            rs, rb, os_, ob = rp.replay(it)
            if rs != os_ or rb != ob:
                req = it["request"]
                problems.append(f"#{i} {req['method']} {req['uri'][:160]}\n   recorded {rs} {json.dumps(rb, ensure_ascii=False)[:1500]}\n"
                                f"   emulator {os_} {json.dumps(ob, ensure_ascii=False)[:1500]}")
                break
    return problems


def episodes() -> list[Path]:
    return sorted(recordings_dir().glob("*.json"))


def test_the_copy_in_the_tree_is_gspreads_unchanged_and_trimmed():
    """Every file SHA256SUMS lists is there, byte for byte; nothing else
    is, and no excluded episode was copied."""
    sums = dict(reversed(line.split("  ", 1)) for line in
                (RECORDINGS / "SHA256SUMS").read_text(encoding="utf-8").splitlines() if line)
    present = {p.name for p in RECORDINGS.glob("*.json")}
    assert present == set(sums), f"missing {sorted(set(sums) - present)}, not listed {sorted(present - set(sums))}"
    changed = [n for n, digest in sums.items() if hashlib.sha256((RECORDINGS / n).read_bytes()).hexdigest() != digest]
    assert not changed, f"changed since copied from gspread: {changed}"
    assert not {Path(n).stem for n in present} & set(EXCLUDED), "an excluded episode was copied"
    assert (RECORDINGS / "LICENSE.txt").read_text(encoding="utf-8").startswith("Copyright (C) 2011-2023 Anton Burnashev")


def test_recorded_episodes_match(capsys):
    eps = episodes()
    # Never skipped: the emulator is only as good as its match with Google.
    assert eps, f"Google's recordings not found in {recordings_dir()}"
    matched, failed = [], {}
    for p in eps:
        if p.stem in EXCLUDED:
            continue
        probs = run_episode(p)
        if probs:
            failed[p.stem] = probs
        else:
            matched.append(p.stem)
    with capsys.disabled():
        print(f"\nconformance: {len(matched)} episodes matched, {len(EXCLUDED)} excluded, {len(failed)} failed "
              f"({recordings_dir()})")
        for name, why in sorted(EXCLUDED.items()):
            print(f"  excluded {name}: {why}")
    stems = {p.stem for p in eps}
    if stems & set(EXCLUDED):  # a full set of cassettes (SHEETS_RECORDINGS): each exclusion must still apply
        assert not [n for n in EXCLUDED if n not in stems], "stale exclusions"
    assert not failed, "\n".join(f"{k}:\n" + "\n".join(v) for k, v in failed.items())


if __name__ == "__main__":  # python -m tests.test_conformance [stem...]
    names = sys.argv[1:]
    for p in episodes():
        if names and p.stem not in names:
            continue
        if not names and p.stem in EXCLUDED:
            continue
        probs = run_episode(p)
        print(("FAIL " if probs else "ok   ") + p.stem)
        for x in probs:
            print("   " + x)
