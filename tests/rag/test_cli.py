"""The `rag` command line as a user meets it: run as a process, its output captured.

Records that clean to nothing are counted as empty (exit 0); malformed ones are named as
"file:line: field: why" (exit 1); and neither `rag ingest` nor `rag ask` prints third-party
progress bars, warnings or DEBUG lines unless asked with --verbose.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from rag.settings import Settings

ROOT = Path(__file__).resolve().parents[2]

# What a library's chatter looks like: tqdm bars ("Loading weights:  50%|#####  | 51/103"),
# transformers' warnings, Python warnings, DEBUG log lines.
NOISE = re.compile(
    r"Loading weights|Batches|\d+%\|| it/s|\[transformers\]|Token indices|Warning|DEBUG"
)

# Our own log lines: the only thing allowed on stderr besides the CLI's messages.
OWN_LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d [\d:,]+ (INFO|WARNING|ERROR) (rag|index|api|eval)[.:]")

ARTICLE = (
    "KYIV, Feb 5 (Reuters) - The city council approved a new bridge over the river on "
    "Wednesday, the mayor said, after a vote of 31 to 4."
)


def run_cli(*args: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m rag.cli ARGS` in a fresh data dir, importing this checkout's code."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    environ |= {
        "RAG_DATA_DIR": str(data_dir),
        "HF_HUB_OFFLINE": "1",
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "RAG_MODEL_CACHE_DIR": os.environ.get("RAG_MODEL_CACHE_DIR", str(data_dir / "cache")),
    } | env
    return subprocess.run(
        [sys.executable, "-m", "rag.cli", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )


def write_jsonl(path: Path, records: list[dict | str]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records))
    return path


def test_a_record_that_is_all_boilerplate_is_counted_as_empty_and_exits_0(tmp_path):
    corpus = write_jsonl(
        tmp_path / "golf.jsonl",
        [
            {"id": "bridge", "title": "Bridge approved", "body": ARTICLE},
            {
                "id": "leaderboard",
                "title": "The Open",
                "body": "Click here to view the 2020 The Open Championship Leaderboard",
            },
        ],
    )
    done = run_cli("ingest", str(corpus), data_dir=tmp_path / "data")
    assert done.returncode == 0, done.stderr
    assert "added 1, updated 0, unchanged 0, skipped 0, empty 1;" in done.stdout
    assert "error" not in done.stderr


@pytest.mark.parametrize(
    ("record", "named"),
    [
        ({"id": "nobody", "title": "No text"}, ":2: body: a record needs a non-empty"),
        ({"id": "baddate", "body": ARTICLE, "published_at": "last Tuesday"}, ":2: published_at:"),
        ('{"id": "broken", "body": "cut off', ":2: record: invalid JSON"),
    ],
)
def test_a_malformed_record_exits_1_and_is_named_on_its_own_line(tmp_path, record, named):
    corpus = write_jsonl(tmp_path / "in.jsonl", [{"id": "bridge", "body": ARTICLE}, record])
    done = run_cli("ingest", str(corpus), data_dir=tmp_path / "data")
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert any(line.startswith(f"{corpus}{named}") for line in lines), done.stderr
    assert "added 1, updated 0, unchanged 0, skipped 1, empty 0;" in done.stdout
    assert lines[-1] == "error: 1 malformed records skipped (listed above)"


@pytest.mark.integration
def test_ingest_on_a_fresh_cache_prints_no_library_noise(tmp_path):
    """A fresh data dir and model cache: the ONNX export runs, and says so only in our words."""
    corpus = write_jsonl(tmp_path / "one.jsonl", [{"id": "bridge", "body": ARTICLE * 30}])
    done = run_cli(
        "ingest", str(corpus), data_dir=tmp_path / "data", RAG_MODEL_CACHE_DIR=str(tmp_path / "c")
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "c" / "all-MiniLM-L6-v2.onnx").is_dir()
    assert not NOISE.search(done.stdout + done.stderr), done.stderr
    assert all(OWN_LOG_LINE.match(line) for line in done.stderr.splitlines() if line), done.stderr


@pytest.mark.integration
def test_ask_prints_the_answer_and_no_library_noise(tmp_path):
    """The embedded LLMs and the seeds, as `rag ask` runs on a fresh clone: the model cache
    `make install` filled (the judge's model is fetched there, not shipped in a package)."""
    question = "How many soldiers has Russia lost this year, according to Zelensky?"
    cache = str(Settings().model_cache_path)
    done = run_cli(
        "ask",
        question,
        data_dir=tmp_path / "data",
        RAG_SEED_DIR=str(ROOT / "seeds"),
        RAG_MODEL_CACHE_DIR=os.environ.get("RAG_MODEL_CACHE_DIR", cache),
    )
    assert done.returncode == 0, done.stderr
    assert "400,000" in done.stdout
    assert not NOISE.search(done.stdout + done.stderr), done.stderr
    assert all(OWN_LOG_LINE.match(line) for line in done.stderr.splitlines() if line), done.stderr


@pytest.mark.integration
def test_verbose_lets_the_libraries_speak(tmp_path):
    corpus = write_jsonl(tmp_path / "one.jsonl", [{"id": "bridge", "body": ARTICLE}])
    done = run_cli("ingest", str(corpus), "--verbose", data_dir=tmp_path / "data")
    assert done.returncode == 0, done.stderr
    assert "DEBUG" in done.stderr
