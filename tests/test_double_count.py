"""Issue 7: workers counted twice in the station's district lists, and a mis-added station comment.

The fixture ``fail_workers`` (tests/fixtures/build_ledger.py) is the sample station whose services
table lists one worker in all three districts, one in two districts as a full worker, one twice in a
list, one as 0.5 in two districts (allowed), and whose sentence comment mis-adds 探访.
"""
from __future__ import annotations

import importlib.util

import pytest

from annexproc.crosscheck import Listed, listed_names
from annexproc.engine import check
from annexproc.template import write_workbook

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("build_ledger", ROOT / "tests" / "fixtures" / "build_ledger.py")
build_ledger = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_ledger)
import build_sample as bs  # noqa: E402  (on sys.path once build_ledger is loaded)


def _keys(report, extra=("A114", "A117")):
    return {k for f in report.findings for k in f.keys() if f.rule.startswith(("XS", "LD")) or f.rule in extra
            or f.rule == "RD11"}


@pytest.fixture(scope="module")
def workers_report(tmp_path_factory):
    data, expected = build_ledger.fail_workers()
    path = tmp_path_factory.mktemp("xs") / "fail_workers.xlsx"
    write_workbook(str(path), bs.sample_params(), data)
    return check(str(path)), expected


def test_workers_counted_twice_and_the_mis_added_comment_are_flagged_at_their_cells(workers_report):
    report, expected = workers_report
    assert _keys(report) == expected


def test_the_three_district_finding_names_the_other_cells(workers_report):
    report, _ = workers_report
    s1, s2, s3 = (build_ledger._staff_cell("services", d) for d in bs.DISTRICTS)
    f = next(f for f in report.findings if f.key() == ("附件1-1", s1, "XS01"))
    assert f.worker == bs.N[1] and f.expected is None
    assert f"片区2（{s2}）" in f.message() and f"片区3（{s3}）" in f.message()
    assert "0.5" in f.message() and "{" not in f.message("en")


def test_the_mis_added_comment_says_what_the_parts_give(workers_report):
    report, _ = workers_report
    a117 = [f for f in report.findings if f.rule == "A117"]
    assert len(a117) == 1 and "1020" in a117[0].message() and "1021" in a117[0].message()


def test_half_marked_in_both_lists_or_half_counts_are_not_double_counts(tmp_path):
    """0.5 written next to the name, or 投入社工人数 of 5.5 in both districts: shared the documented way."""
    N = bs.N
    c = dict(bs.COMMENTS)
    c["staff:services:片区1"] = bs._names(4, 7, 13, 14, 21, 22) + f" {N[6]}"
    c["staff:services:片区2"] = bs._names(6, 12, 11, 15, 16)
    data = build_ledger._data([], c)
    data.staff = {"片区1": 6.5, "片区2": 4.5, "片区3": 5}
    p = tmp_path / "halves.xlsx"
    write_workbook(str(p), bs.sample_params(), data)
    assert not {k for k in _keys(check(str(p)), ()) if k[2].startswith("XS")}
    data.staff = {"片区1": 6, "片区2": 5, "片区3": 5}        # whole counts, no 0.5 written: XS02 twice
    write_workbook(str(p), bs.sample_params(), data)
    s1, s2 = (build_ledger._staff_cell("services", d) for d in bs.DISTRICTS[:2])
    assert _keys(check(str(p)), ()) == {("附件1-1", s1, "XS02"), ("附件1-1", s2, "XS02")}


def test_a_worker_placed_differently_in_the_two_tables_is_a_warning_at_both_cells(tmp_path):
    """fail_moved_worker: 曾丽娟 moves from 片区1 (services) to 片区2 (activities); 周建华's 0.5/0.5 in
    both tables, 韩晓彤's 0.5/0.5 in one and full in one of those in the other, and the one-table names
    (left / joined) are not findings."""
    data, expected = build_ledger.fail_moved_worker()
    p = tmp_path / "fail_moved_worker.xlsx"
    write_workbook(str(p), bs.sample_params(), data)
    report = check(str(p))
    assert _keys(report) == expected
    s1 = build_ledger._staff_cell("services", "片区1")
    a2 = build_ledger._staff_cell("activities", "片区2")
    f = next(f for f in report.findings if f.key() == ("附件1-1", s1, "XS04"))
    assert f.severity == "warning" and f.worker == bs.N[7] and f.district == "片区1"
    assert f"片区2（{a2}）" in f.message() and "服务表" in f.message() and "活动表" in f.message()
    en = f.message("en")
    assert f"片区2 ({a2})" in en and "services table" in en and "activities table" in en and "{" not in en
    assert not [f for f in report.findings if f.rule.startswith("XS") and f.worker in (bs.N[2], bs.N[6])]


def test_the_sample_has_no_double_count():
    """The report's own lists (block 2's still names a worker who left: that is A227's, not ours)."""
    from conftest import SAMPLE
    assert not _keys(check(str(SAMPLE)), ())


@pytest.mark.parametrize("text,want", [
    ("逢源街社工服务站\n林晓雨 周子涵", [Listed("林晓雨", False), Listed("周子涵", False)]),
    ("林晓雨(0.5)、周子涵", [Listed("林晓雨", True), Listed("周子涵", False)]),
    ("林晓雨（0.5 人），周子涵0.5", [Listed("林晓雨", True), Listed("周子涵", True)]),
    ("社工：林晓雨 林晓雨\n片区主管：周子涵", [Listed("林晓雨", False), Listed("林晓雨", False), Listed("周子涵", False)]),
    ("林晓雨（入第二片区） 周子涵半", [Listed("林晓雨", False), Listed("周子涵", True)]),
    ("共6人：", []),
])
def test_listed_names(text, want):
    assert listed_names(text) == want
