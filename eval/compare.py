"""Judge a report against a baseline report, or against committed thresholds.

Rates are compared with an absolute tolerance (0.02 = 2 percentage points): a higher-is-better
metric regresses when ``new < base - tolerance``, a lower-is-better one when
``new > base + tolerance``. Latency is only judged when ``latency_tolerance`` is given, and then
relatively: it regresses when ``new > base * (1 + latency_tolerance)``. Per-type metrics are
judged the same way, for types present in both reports. Null metrics are skipped; counts are
informational.
"""

from collections.abc import Mapping
from typing import Any

from eval.formatting import format_metric

HIGHER_IS_BETTER = frozenset(
    {
        "answer_accuracy",
        "answer_f1",
        "citation_verbatim_rate",
        "citation_precision",
        "citation_recall",
        "refusal_rate",
        "hit@1",
        "hit@3",
        "hit@5",
        "mrr@10",
    }
)
LOWER_IS_BETTER = frozenset({"false_refusal_rate", "degraded_rate", "error_rate"})
LATENCY = frozenset({"latency_p50_ms", "latency_p95_ms"})
COUNTS = frozenset({"n", "n_answerable", "n_unanswerable"})
_EPSILON = 1e-9


def _delta(key: str, base: float, new: float) -> str:
    if key in LATENCY:
        return f"{new - base:+,.0f} ms"
    if key in COUNTS:
        return f"{new - base:+d}"
    if key in ("answer_f1", "mrr@10"):
        return f"{new - base:+.3f}"
    return f"{100 * (new - base):+.1f} pts"


def _regressed(
    key: str, base: float, new: float, tolerance: float, latency_tolerance: float | None
) -> bool:
    if key in HIGHER_IS_BETTER:
        return new < base - tolerance - _EPSILON
    if key in LOWER_IS_BETTER:
        return new > base + tolerance + _EPSILON
    if key in LATENCY and latency_tolerance is not None:
        return new > base * (1 + latency_tolerance) + _EPSILON
    return False


def _compare_section(
    scope: str,
    base: Mapping[str, Any],
    new: Mapping[str, Any],
    tolerance: float,
    latency_tolerance: float | None,
) -> tuple[bool, list[str]]:
    ok, lines = True, []
    for key in (k for k in new if k in base):
        old_value, new_value = base[key], new[key]
        if old_value is None or new_value is None:
            continue
        if key in COUNTS:
            if old_value != new_value:
                lines.append(f"{scope} {key}: {old_value} -> {new_value} (different question set)")
            continue
        if key not in HIGHER_IS_BETTER | LOWER_IS_BETTER | LATENCY:
            continue
        bad = _regressed(key, old_value, new_value, tolerance, latency_tolerance)
        ok = ok and not bad
        verdict = "  REGRESSION" if bad else ""
        lines.append(
            f"{scope} {key}: {format_metric(key, old_value)} -> {format_metric(key, new_value)} "
            f"({_delta(key, old_value, new_value)}){verdict}"
        )
    return ok, lines


def compare_reports(
    base: Mapping[str, Any],
    new: Mapping[str, Any],
    tolerance: float = 0.02,
    latency_tolerance: float | None = None,
) -> tuple[bool, list[str]]:
    """Deltas for every shared metric, overall then per type; ``ok`` is False on a regression."""
    ok, lines = _compare_section(
        "overall", base["overall"], new["overall"], tolerance, latency_tolerance
    )
    base_types, new_types = base.get("by_type", {}), new.get("by_type", {})
    for name in (t for t in new_types if t in base_types):
        type_ok, type_lines = _compare_section(
            f"type={name}", base_types[name], new_types[name], tolerance, latency_tolerance
        )
        ok, lines = ok and type_ok, lines + type_lines
    regressions = sum(1 for line in lines if line.endswith("REGRESSION"))
    lines.append("no regressions" if ok else f"{regressions} regression(s)")
    return ok, lines


def _check_bounds(
    scope: str, metrics: Mapping[str, Any], bounds: Mapping[str, Any]
) -> tuple[bool, list[str]]:
    ok, lines = True, []
    for kind in ("min", "max"):
        for key, limit in bounds.get(kind, {}).items():
            if key not in metrics:
                ok = False
                lines.append(f"{scope} {key}: unknown metric  FAIL")
                continue
            value = metrics[key]
            if value is None:
                ok = False
                lines.append(f"{scope} {key}: not measured (null), {kind} {limit}  FAIL")
                continue
            passed = value >= limit - _EPSILON if kind == "min" else value <= limit + _EPSILON
            ok = ok and passed
            lines.append(
                f"{scope} {key}: {format_metric(key, value)} ({value:.4g}), {kind} {limit}  "
                + ("ok" if passed else "FAIL")
            )
    unknown = sorted(set(bounds) - {"min", "max", "by_type"})
    if unknown:
        ok = False
        lines.append(f"{scope}: unknown threshold table(s) {', '.join(unknown)}  FAIL")
    return ok, lines


def check_thresholds(
    report: Mapping[str, Any], thresholds: Mapping[str, Any]
) -> tuple[bool, list[str]]:
    """Check ``[min]``/``[max]`` tables (overall) and ``[by_type.NAME.min|max]`` ones.

    A threshold on a metric that is null (not measured) or missing fails rather than passing.
    """
    ok, lines = _check_bounds("overall", report["overall"], thresholds)
    for name, bounds in thresholds.get("by_type", {}).items():
        metrics = report.get("by_type", {}).get(name)
        if metrics is None:
            ok = False
            lines.append(f"type={name}: no questions of this type in the report  FAIL")
            continue
        type_ok, type_lines = _check_bounds(f"type={name}", metrics, bounds)
        ok, lines = ok and type_ok, lines + type_lines
    lines.append("all thresholds met" if ok else "thresholds not met")
    return ok, lines
