"""The regression gates: the seeds gold set and the follow-up set, in-process with the default
settings, must meet the committed thresholds (real MiniLM, real Chroma, real embedded LLM)."""

from pathlib import Path

import pytest

from eval.commands import eval_command, load_thresholds
from eval.compare import check_thresholds
from eval.inprocess import InProcessClient

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("gold", "thresholds"),
    [
        ("seeds.jsonl", "thresholds.toml"),
        ("seeds_followups.jsonl", "thresholds_followups.toml"),
    ],
    ids=["seeds", "follow-ups"],
)
def test_gold_set_meets_the_committed_thresholds(seeded_runtime, tmp_path, gold, thresholds):
    report = eval_command(
        InProcessClient(seeded_runtime.newsdesk),
        ROOT / "eval" / "gold" / gold,
        tmp_path,
        top_k=5,
        progress=False,
    )
    for name in ("results.jsonl", "report.json", "report.md", "report.html"):
        assert (tmp_path / name).stat().st_size > 0
    ok, lines = check_thresholds(report, load_thresholds(ROOT / "eval" / thresholds))
    assert ok, "\n".join(lines)
