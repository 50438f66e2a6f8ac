"""The reconciliation's decision table, one row per test, on plain data."""

from __future__ import annotations

import pytest

from domain.config import load_config
from domain.validation import validate_record
from sync.reconcile import Options, TabRows, canon, reconcile
from sync.sheet_layout import TABS, headers, read_layout, synced_fields

SCHOOL = "莲峰小学"
OTHER = "大刘中心校"


@pytest.fixture(scope="module")
def config():
    return load_config()


def event(config, rid, school=SCHOOL, **values):
    raw = {"title": "三八节活动", "date": "2025-03-08", "category": "节日活动", "school": school, **values}
    stored = validate_record("event", raw, config)
    stored.pop("school")
    return {"id": rid, "school": school, "created": "t", "updated": "t", **stored}


def base_of(config, rec):
    return {f.name: canon(f, rec.get(f.name)) for f in synced_fields("event", config) if f.name != "school"}


def row_of(config, rec, hdr=None):
    hdr = hdr or headers("event", config)
    by_label = {f.label: f for f in synced_fields("event", config)}
    out = []
    for h in hdr:
        if h == "编号":
            out.append(rec["id"])
        elif h == "学校":
            out.append(rec["school"])
        elif h in by_label:
            out.append(canon(by_label[h], rec.get(by_label[h].name)))
        else:
            out.append("")
    return out


def tab(config, rows, hdr=None):
    hdr = hdr or headers("event", config)
    return {"event": TabRows("event", [hdr, *rows], read_layout("event", hdr, config))}


def run(config, local, bases, rows, hdr=None, **kw):
    return reconcile(SCHOOL, config, {"event": local},
                     {f"event:{k}": v for k, v in bases.items()}, tab(config, rows, hdr), Options(**kw))


def col(config, label):
    return headers("event", config).index(label)


# ----------------------------------------------------------------- both sides have it
def test_nothing_changed_plans_nothing(config):
    e = event(config, "E1")
    plan = run(config, [e], {"E1": base_of(config, e)}, [row_of(config, e)])
    assert not plan.pushes and not plan.local_puts and not plan.conflicts and not plan.bases_now


def test_local_edit_is_pushed(config):
    e = event(config, "E1")
    edited = {**e, "location": "操场"}
    plan = run(config, [edited], {"E1": base_of(config, e)}, [row_of(config, e)])
    assert [(p.id, p.cells) for p in plan.pushes] == [("E1", {"location": "操场"})]
    assert plan.bases_after[("event", "E1")]["location"] == "操场"
    assert not plan.local_puts


def test_sheet_edit_is_pulled(config):
    e = event(config, "E1")
    row = row_of(config, e)
    row[col(config, "地点")] = "礼堂"
    plan = run(config, [e], {"E1": base_of(config, e)}, [row])
    assert not plan.pushes
    (kind, rec, expected), = plan.local_puts
    assert rec["location"] == "礼堂" and expected is e
    assert plan.bases_now[("event", "E1")]["location"] == "礼堂"


def test_same_change_on_both_sides_is_fine(config):
    e = event(config, "E1")
    edited = {**e, "location": "礼堂"}
    row = row_of(config, edited)
    plan = run(config, [edited], {"E1": base_of(config, e)}, [row])
    assert not plan.pushes and not plan.local_puts and not plan.conflicts
    assert plan.bases_now[("event", "E1")]["location"] == "礼堂"


def test_different_changes_make_a_conflict_mine_kept_theirs_recorded(config):
    e = event(config, "E1", location="操场")
    mine = {**e, "location": "会议室"}
    row = row_of(config, e)
    row[col(config, "地点")] = "礼堂"
    plan = run(config, [mine], {"E1": base_of(config, e)}, [row])
    (c,) = plan.conflicts
    assert (c.field, c.mine, c.theirs, c.base) == ("location", "会议室", "礼堂", "操场")
    assert plan.pushes[0].cells == {"location": "会议室"}  # provisional: both sides agree on mine
    assert plan.bases_after[("event", "E1")]["location"] == "会议室"


def test_fields_merge_independently(config):
    e = event(config, "E1")
    mine = {**e, "location": "操场"}
    row = row_of(config, e)
    row[col(config, "负责人")] = "王芳"
    plan = run(config, [mine], {"E1": base_of(config, e)}, [row])
    assert plan.pushes[0].cells == {"location": "操场"}
    assert plan.local_puts[0][1]["organizer"] == "王芳"
    assert plan.bases_after[("event", "E1")] | {} == {**base_of(config, e), "location": "操场", "organizer": "王芳"}


@pytest.mark.parametrize("typed", ["2025/3/8", "2025年3月8日", "2025.3.8", "20250308", " 2025-03-08 "])
def test_retyped_date_is_not_a_change(config, typed):
    e = event(config, "E1")
    row = row_of(config, e)
    row[col(config, "日期")] = typed
    plan = run(config, [e], {"E1": base_of(config, e)}, [row])
    assert not plan.pushes and not plan.local_puts and not plan.conflicts and not plan.bad_cells


def test_no_base_equal_values_agree_differences_are_conflicts_never_deletes(config):
    e = event(config, "E1", location="操场")
    row = row_of(config, e)
    row[col(config, "地点")] = "礼堂"
    plan = run(config, [e], {}, [row])
    assert [c.field for c in plan.conflicts] == ["location"]
    assert plan.conflicts[0].base is None
    assert not plan.local_drops and not plan.row_deletes


# ----------------------------------------------------------------- deletes
def test_row_deleted_in_sheet_deletes_unchanged_local(config):
    e = event(config, "E1")
    keep = [event(config, f"K{i}") for i in range(5)]
    bases = {r["id"]: base_of(config, r) for r in [e, *keep]}
    plan = run(config, [e, *keep], bases, [row_of(config, r) for r in keep])
    assert [(k, i) for k, i, _ in plan.local_drops] == [("event", "E1")]
    assert plan.bases_now[("event", "E1")] is None


def test_edit_here_beats_delete_in_sheet(config):
    e = event(config, "E1")
    edited = {**e, "location": "操场"}
    plan = run(config, [edited], {"E1": base_of(config, e)}, [])
    assert not plan.local_drops
    (p,) = plan.pushes
    assert p.row is None and p.cells["_id"] == "E1" and p.cells["location"] == "操场"
    assert plan.stats["restored"] == 1


def test_deleted_here_deletes_unchanged_row(config):
    e = event(config, "E1")
    plan = run(config, [], {"E1": base_of(config, e)}, [row_of(config, e)])
    assert plan.row_deletes == [("event", "E1", 1)]
    assert plan.bases_after[("event", "E1")] is None


def test_edit_in_sheet_beats_delete_here(config):
    e = event(config, "E1")
    row = row_of(config, e)
    row[col(config, "地点")] = "礼堂"
    plan = run(config, [], {"E1": base_of(config, e)}, [row])
    assert not plan.row_deletes
    assert plan.local_puts[0][1]["location"] == "礼堂"


def test_deleted_on_both_sides_forgets_base(config):
    e = event(config, "E1")
    plan = run(config, [], {"E1": base_of(config, e)}, [])
    assert plan.bases_now == {("event", "E1"): None}


# ----------------------------------------------------------------- new records
def test_new_local_record_becomes_a_row(config):
    e = event(config, "E1")
    plan = run(config, [e], {}, [])
    (p,) = plan.pushes
    assert p.row is None and p.cells["_id"] == "E1" and p.cells["school"] == SCHOOL
    assert plan.bases_now[("event", "E1")] == {"_pending": True, "_fill": base_of(config, e)}


def _half_made_row(config, rid):
    """A row the sync made (id and school) but was killed before filling."""
    hdr = headers("event", config)
    return [rid if h == "编号" else SCHOOL if h == "学校" else "" for h in hdr]


def test_half_made_row_of_a_record_deleted_here_is_deleted(config):
    e = event(config, "E1")
    plan = run(config, [], {"E1": {"_pending": True, "_fill": base_of(config, e)}}, [_half_made_row(config, "E1")])
    assert plan.row_deletes == [("event", "E1", 1)] and not plan.bad_cells and not plan.local_puts


def test_half_made_row_typed_in_brings_the_deleted_record_back_whole(config):
    e = event(config, "E1")
    row = _half_made_row(config, "E1")
    row[col(config, "地点")] = "礼堂"
    plan = run(config, [], {"E1": {"_pending": True, "_fill": base_of(config, e)}}, [row])
    assert not plan.row_deletes and not plan.bad_cells
    (put,) = plan.local_puts
    assert put[1]["title"] == "三八节活动" and put[1]["location"] == "礼堂"
    (push,) = plan.pushes
    assert push.row == 1 and push.cells["title"] == "三八节活动" and "location" not in push.cells


def test_row_with_id_of_this_school_is_taken_in(config):
    e = event(config, "E9")
    plan = run(config, [], {}, [row_of(config, e)])
    assert plan.local_puts[0][1]["id"] == "E9"


def test_other_schools_rows_are_never_touched_or_taken(config):
    o = event(config, "O1", school=OTHER)
    row = row_of(config, o)
    hand = row_of(config, event(config, "", school=OTHER))
    plan = run(config, [], {}, [row, hand])
    assert not plan.pushes and not plan.local_puts and not plan.row_deletes


def test_hand_added_row_gets_an_id_and_becomes_local(config):
    e = event(config, "")
    row = row_of(config, e)
    plan = run(config, [], {}, [row], make_id=lambda: "NEW1")
    (p,) = plan.pushes
    assert (p.id, p.row, p.cells) == ("NEW1", 1, {"_id": "NEW1"})
    assert plan.locals_after[0][1]["id"] == "NEW1" and not plan.local_puts  # only once the id is written


def test_local_records_of_other_schools_are_not_sent(config):
    plan = run(config, [event(config, "O1", school=OTHER)], {}, [])
    assert not plan.pushes and plan.foreign_local == 1


# ----------------------------------------------------------------- reports
def test_duplicate_ids_are_reported_and_left_alone(config):
    e = event(config, "E1")
    edited = {**e, "location": "操场"}
    plan = run(config, [edited], {"E1": base_of(config, e)}, [row_of(config, e), row_of(config, e)])
    assert plan.duplicates == [("event", "E1", [2, 3])]
    assert not plan.pushes and not plan.local_puts and not plan.local_drops


def test_bad_cell_reported_record_left_alone_rest_goes_on(config):
    e1, e2 = event(config, "E1"), event(config, "E2")
    bad = row_of(config, e1)
    bad[col(config, "日期")] = "下周三"
    good = row_of(config, e2)
    good[col(config, "地点")] = "礼堂"
    edited1 = {**e1, "location": "操场"}
    plan = run(config, [edited1, e2], {"E1": base_of(config, e1), "E2": base_of(config, e2)}, [bad, good])
    (b,) = plan.bad_cells
    assert (b.tab, b.row, b.column, b.header, b.value) == ("活动", 2, "C", "日期", "下周三")
    assert "日期" in b.message() and b.why
    assert [p.id for p in plan.pushes] == [] and [r[1]["id"] for r in plan.local_puts] == ["E2"]


@pytest.mark.parametrize("label,value", [("活动类别", "野餐"), ("日期", "2025-02-30"), ("活动名称", "")])
def test_invalid_cells_of_each_type(config, label, value):
    e = event(config, "E1")
    row = row_of(config, e)
    row[col(config, label)] = value
    plan = run(config, [e], {"E1": base_of(config, e)}, [row])
    assert [b.header for b in plan.bad_cells] == [label]
    assert not plan.local_puts and not plan.pushes


def test_formula_in_our_column_is_left_alone(config):
    e = event(config, "E1")
    row = row_of(config, e)
    row[col(config, "备注")] = "=A2&B2"
    edited = {**e, "notes": "本地备注", "location": "操场"}
    plan = run(config, [edited], {"E1": base_of(config, e)}, [row])
    assert [p.cells for p in plan.pushes] == [{"location": "操场"}]
    assert plan.formulas and plan.formulas[0].value == "=A2&B2"


def test_text_that_looks_like_a_formula_round_trips(config):
    e = event(config, "E1", title="=IMPORTXML(\"http://x\")", location="0012")
    plan = run(config, [e], {"E1": base_of(config, e)}, [row_of(config, e)])
    assert not plan.pushes and not plan.formulas and not plan.local_puts


def test_columns_found_by_header_when_reordered(config):
    hdr = headers("event", config)
    shuffled = [hdr[3], "人们自己的列", *hdr[:3], *hdr[4:]]
    e = event(config, "E1")
    row = row_of(config, e, shuffled)
    row[shuffled.index("地点")] = "礼堂"
    plan = run(config, [e], {"E1": base_of(config, e)}, [row], hdr=shuffled)
    assert plan.local_puts[0][1]["location"] == "礼堂" and not plan.pushes


# ----------------------------------------------------------------- mass-delete guard
def test_guard_stops_when_the_sheet_reads_empty(config):
    recs = [event(config, f"E{i}") for i in range(3)]
    plan = run(config, recs, {r["id"]: base_of(config, r) for r in recs}, [])
    assert plan.guard and "空表" in plan.guard


def test_guard_stops_when_most_known_ids_are_lost(config):
    recs = [event(config, f"E{i}") for i in range(10)]
    plan = run(config, recs, {r["id"]: base_of(config, r) for r in recs}, [row_of(config, r) for r in recs[:4]])
    assert plan.guard and "6" in plan.guard
    plan = run(config, recs, {r["id"]: base_of(config, r) for r in recs}, [row_of(config, r) for r in recs[:4]],
               allow_deletes=True)
    assert plan.guard is None and len(plan.local_drops) == 6


def test_guard_lets_a_few_deletions_through(config):
    recs = [event(config, f"E{i}") for i in range(10)]
    plan = run(config, recs, {r["id"]: base_of(config, r) for r in recs}, [row_of(config, r) for r in recs[:8]])
    assert plan.guard is None and len(plan.local_drops) == 2


# ----------------------------------------------------------------- privacy and layout
def test_sensitive_fields_stay_local_unless_opted_in(config):
    names = {f.name for f in synced_fields("member", config)}
    assert not names & {"id_number", "health", "health_notes", "family_income", "family_size"}
    opted = load_config()
    opted.sync = {**opted.sync, "share_fields": ["health"]}
    assert "health" in {f.name for f in synced_fields("member", opted)}
    assert "participants" not in {f.name for f in synced_fields("event", config)}


def test_headers_start_with_id_and_use_chinese_labels(config):
    for kind in TABS:
        h = headers(kind, config)
        assert h[0] == "编号" and "学校" in h


# ----------------------------------------------------------------- the decision table, row by row
from sync.decision import Decision, FieldMerge, decide, field_base, merge_field  # noqa: E402

_B = {"title": "三八节活动", "location": ""}
_PENDING = {"_pending": True, "_fill": {"title": "三八节活动", "location": ""}}
_EDITED = {"title": "三八节活动", "location": "操场"}


@pytest.mark.parametrize("local,base,row,decision", [
    # L      B         R        outcome
    (_B, _B, _B, Decision.MERGE),
    (_B, None, _EDITED, Decision.MERGE),
    (_B, _PENDING, _B, Decision.MERGE),
    (_B, _B, None, Decision.DELETE_LOCAL),
    (_EDITED, _B, None, Decision.RESTORE_ROW),
    (_B, _PENDING, None, Decision.ADD_ROW),
    (_B, None, None, Decision.ADD_ROW),
    (None, _B, _B, Decision.DELETE_ROW),
    (None, _PENDING, {"title": "", "location": ""}, Decision.DELETE_ROW),
    (None, _PENDING, {"title": "", "location": "礼堂"}, Decision.FILL_HALF_MADE),
    (None, {"_pending": True}, {"title": "", "location": "礼堂"}, Decision.RESTORE_LOCAL),
    (None, _B, _EDITED, Decision.RESTORE_LOCAL),
    (None, _B, None, Decision.FORGET_BASE),
    (None, None, _B, Decision.TAKE_IN),
    (None, None, None, Decision.NOTHING),
])
def test_decision_table(local, base, row, decision):
    assert decide(local, base, row) is decision


def test_a_field_the_base_lacks_counts_as_empty():
    assert decide({"title": "x", "location": ""}, {"title": "x"}, None) is Decision.DELETE_LOCAL
    assert decide(None, {"title": "x"}, {"title": "x", "location": "礼堂"}) is Decision.RESTORE_LOCAL


@pytest.mark.parametrize("mine,base,theirs,how", [
    ("a", "a", "a", FieldMerge.AGREE),
    ("b", "a", "b", FieldMerge.AGREE),
    ("a", "a", "b", FieldMerge.TAKE_THEIRS),
    ("b", "a", "a", FieldMerge.KEEP_MINE),
    ("b", "a", "c", FieldMerge.CONFLICT),
    ("b", None, "c", FieldMerge.CONFLICT),  # no base: differing values are a conflict, never a guess
])
def test_field_merge_table(mine, base, theirs, how):
    assert merge_field(mine, base, theirs) is how


def test_field_base_rules():
    assert field_base(None, "location", "a", "b") is None
    assert field_base(_PENDING, "location", "a", "b") == ""  # a row with only its id: every cell empty
    assert field_base({"title": "x"}, "location", "", "b") == ""  # newly synced field, empty here: no change
    assert field_base({"title": "x"}, "location", "a", "b") is None
    assert field_base(_B, "title", "a", "b") == "三八节活动"


# ----------------------------------------------------------------- identity is never guessed away
KNOWN = "01JD3K5M7N9PQRSTVWXYZ0ABCD"


def test_mistyped_id_is_a_problem_not_a_delete_and_a_create(config):
    e = event(config, KNOWN, location="操场")
    others = [event(config, f"K{i}") for i in range(5)]
    row = row_of(config, e)
    row[0] = KNOWN[:-1] + "E"  # one character changed in the browser
    bases = {r["id"]: base_of(config, r) for r in [e, *others]}
    plan = run(config, [e, *others], bases, [row, *(row_of(config, r) for r in others)])
    assert not plan.local_drops and not plan.local_puts and not plan.pushes and not plan.bases_now
    (p,) = plan.problems
    assert (p.problem, p.id, p.value, p.tab, p.row, p.column) == ("id_typo", KNOWN, row[0], "活动", 2, "A")
    assert KNOWN in p.why


def test_retyped_id_with_the_same_cells_is_suspected_too(config):
    e = event(config, KNOWN, location="操场", organizer="王芳")
    row = row_of(config, e)
    row[0] = "E-TOTALLY-DIFFERENT"
    plan = run(config, [e], {KNOWN: base_of(config, e)}, [row])
    assert [p.problem for p in plan.problems] == ["id_typo"] and not plan.local_drops and not plan.local_puts


def test_unrelated_new_row_and_a_deleted_row_are_not_suspected(config):
    gone = event(config, KNOWN, title="教职工代表大会", date="2025-01-10", category="会议", location="会议室")
    keep = [event(config, f"K{i}") for i in range(5)]
    new = event(config, "ZZZZ", title="乒乓球比赛", date="2025-10-12", category="文体比赛", location="体育馆")
    bases = {r["id"]: base_of(config, r) for r in [gone, *keep]}
    plan = run(config, [gone, *keep], bases, [row_of(config, new), *(row_of(config, r) for r in keep)])
    assert not plan.problems
    assert [d[1] for d in plan.local_drops] == [KNOWN] and [p[1]["id"] for p in plan.local_puts] == ["ZZZZ"]


def test_a_new_id_with_nothing_vanished_is_taken_in(config):
    e = event(config, KNOWN)
    plan = run(config, [e], {KNOWN: base_of(config, e)}, [row_of(config, e), row_of(config, event(config, KNOWN[:-1] + "E"))])
    assert not plan.problems and [p[1]["id"] for p in plan.local_puts] == [KNOWN[:-1] + "E"]


def test_edit_distance_is_bounded():
    from sync.identity import edit_distance

    assert edit_distance("ABCDEF", "ABCDEF", 2) == 0
    assert edit_distance("ABCDEF", "ABXDEF", 2) == 1
    assert edit_distance("ABCDEF", "ABDEF", 2) == 1
    assert edit_distance("ABCDEF", "UVWXYZ", 2) == 3  # gave up past the limit


def test_record_back_from_the_sheet_keeps_its_local_only_fields(config):
    from sync.reconcile import Options

    m = {"id": "M1", "school": SCHOOL, "created": "t", "updated": "t", "name": "张三", "gender": "女"}
    fields = [f for f in synced_fields("member", config) if f.name != "school"]
    base = {f.name: canon(f, m.get(f.name)) for f in fields}
    hdr = headers("member", config)
    row = ["M1" if h == "编号" else SCHOOL if h == "学校" else "张三" if h == "姓名" else "女" if h == "性别"
           else "一级教师" if h == "职称" else "" for h in hdr]
    tabs = {"member": TabRows("member", [hdr, row], read_layout("member", hdr, config))}
    kept = {"member:M1": {"health_notes": "术后复查", "family_size": 3}}
    plan = reconcile(SCHOOL, config, {"member": []}, {"member:M1": base}, tabs, Options(kept=kept))
    (put,) = plan.local_puts
    assert put[1]["title"] == "一级教师" and put[1]["health_notes"] == "术后复查" and put[1]["family_size"] == 3
