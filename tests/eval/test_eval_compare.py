import copy

import pytest

from eval.compare import check_thresholds, compare_reports

REPORT = {
    "overall": {
        "n": 10, "answer_accuracy": 0.8, "answer_f1": 0.7, "refusal_rate": None,
        "false_refusal_rate": 0.1, "hit@5": 0.9, "latency_p50_ms": 1000.0,
        "latency_p95_ms": 2000.0, "degraded_rate": 0.0,
    },
    "by_type": {"fact": {"n": 6, "answer_accuracy": 0.75}, "null": {"n": 4, "refusal_rate": 1.0}},
    "meta": {"n": 10},
}  # fmt: skip


def _with(changes, section="overall"):
    new = copy.deepcopy(REPORT)
    if section == "overall":
        new["overall"].update(changes)
    else:
        new["by_type"][section].update(changes)
    return new


def test_identical_reports_pass():
    ok, lines = compare_reports(REPORT, copy.deepcopy(REPORT))
    assert ok and lines[-1] == "no regressions"
    assert "overall answer_accuracy: 80.0% -> 80.0% (+0.0 pts)" in lines
    assert not any(line.startswith("overall refusal_rate") for line in lines)  # null skipped


@pytest.mark.parametrize(
    ("changes", "section", "metric"),
    [
        ({"answer_accuracy": 0.75}, "overall", "answer_accuracy"),
        ({"false_refusal_rate": 0.2}, "overall", "false_refusal_rate"),
        ({"degraded_rate": 0.05}, "overall", "degraded_rate"),
        ({"answer_accuracy": 0.5}, "fact", "answer_accuracy"),
    ],
)
def test_injected_regression_fails(changes, section, metric):
    ok, lines = compare_reports(REPORT, _with(changes, section))
    assert not ok
    assert any(metric in line and line.endswith("REGRESSION") for line in lines)
    assert lines[-1] == "1 regression(s)"


def test_changes_within_tolerance_or_improvements_pass():
    assert compare_reports(REPORT, _with({"answer_accuracy": 0.785}))[0]
    assert compare_reports(REPORT, _with({"answer_accuracy": 0.95, "false_refusal_rate": 0}))[0]
    assert compare_reports(REPORT, _with({"answer_accuracy": 0.7}), tolerance=0.1)[0]
    assert compare_reports(REPORT, _with({"hit@5": None}))[0]  # null metrics are skipped


def test_latency_only_judged_with_a_latency_tolerance():
    slower = _with({"latency_p95_ms": 3500.0})
    assert compare_reports(REPORT, slower)[0]
    assert not compare_reports(REPORT, slower, latency_tolerance=0.5)[0]
    assert compare_reports(REPORT, slower, latency_tolerance=1.0)[0]


def test_count_changes_are_informational():
    ok, lines = compare_reports(REPORT, _with({"n": 12}))
    assert ok and "overall n: 10 -> 12 (different question set)" in lines


def test_thresholds_min_max_and_by_type():
    thresholds = {
        "min": {"answer_accuracy": 0.8, "hit@5": 0.85},
        "max": {"false_refusal_rate": 0.1, "latency_p95_ms": 2500},
        "by_type": {"null": {"min": {"refusal_rate": 0.9}}},
    }
    ok, lines = check_thresholds(REPORT, thresholds)
    assert ok and lines[-1] == "all thresholds met"
    failing = {**thresholds, "max": {"false_refusal_rate": 0.05}}
    ok, lines = check_thresholds(REPORT, failing)
    assert not ok and any("false_refusal_rate" in line and "FAIL" in line for line in lines)


@pytest.mark.parametrize(
    "thresholds",
    [
        {"min": {"refusal_rate": 0.5}},  # null: not measured
        {"min": {"answer_acuracy": 0.5}},  # typo
        {"by_type": {"temporal": {"min": {"answer_accuracy": 0.5}}}},
        {"minimum": {"answer_accuracy": 0.5}},
    ],
)
def test_thresholds_fail_on_what_cannot_be_checked(thresholds):
    ok, lines = check_thresholds(REPORT, thresholds)
    assert not ok and lines[-1] == "thresholds not met"


def test_empty_thresholds_pass():
    assert check_thresholds(REPORT, {"min": {}, "max": {}}) == (True, ["all thresholds met"])
