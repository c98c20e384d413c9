"""Write an evaluation run to disk: results.jsonl, report.json, report.md and report.html."""

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from eval.report_html import render_html
from eval.report_md import render_markdown


def write_report(
    out: Path, results: Sequence[Mapping[str, Any]], report: Mapping[str, Any]
) -> dict[str, Path]:
    """Create ``out`` if needed and write the four report files; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "results": out / "results.jsonl",
        "report": out / "report.json",
        "markdown": out / "report.md",
        "html": out / "report.html",
    }
    paths["results"].write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results), encoding="utf-8"
    )
    paths["report"].write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    paths["markdown"].write_text(render_markdown(report, results), encoding="utf-8")
    paths["html"].write_text(render_html(report, results), encoding="utf-8")
    return paths


def load_report(path: Path) -> dict[str, Any]:
    """Read ``report.json``, given the file or the run directory holding it."""
    file = path / "report.json" if path.is_dir() else path
    return json.loads(file.read_text(encoding="utf-8"))
