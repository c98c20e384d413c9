"""One `## ` section of bench/results/SUMMARY.md written by a benchmark of its own."""

from __future__ import annotations

import json
from pathlib import Path


def upsert_section(path: Path, lines: list[str]) -> None:
    """Replace the section whose heading is `lines[0]` (or append it), keeping the others."""
    heading = lines[0]
    old = path.read_text().splitlines() if path.exists() else []
    out, skipping = [], False
    for line in old:
        if line.startswith("## "):
            skipping = line == heading
        if not skipping:
            out.append(line)
    while out and not out[-1].strip():
        out.pop()
    path.write_text("\n".join(out + [""] + lines) + "\n")


def publish(result: dict, out: Path, lines: list[str], results_dir: Path) -> None:
    """Write a bench's JSON to `out`; when it goes to the results folder, also its section of
    SUMMARY.md there; print the section."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    if out.parent == results_dir:
        upsert_section(results_dir / "SUMMARY.md", lines)
    print("\n".join(lines))
