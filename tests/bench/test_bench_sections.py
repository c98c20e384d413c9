"""A benchmark's own SUMMARY.md section replaces its previous one and leaves the rest."""

from bench.peer import short_passages
from bench.sections import upsert_section


def test_a_section_is_appended_then_replaced_in_place(tmp_path):
    path = tmp_path / "SUMMARY.md"
    path.write_text("# Bench\n\n## Ingest\n\nold ingest\n\n## Load\n\n- load line\n")
    upsert_section(path, ["## Peer ingest", "", "first"])
    upsert_section(path, ["## Peer ingest", "", "second"])
    upsert_section(path, ["## Ingest", "", "new ingest"])
    text = path.read_text()
    assert text.count("## Peer ingest") == 1 and "second" in text and "first" not in text
    assert "new ingest" in text and "old ingest" not in text and "- load line" in text


def test_short_passages_are_about_60_words_and_distinct():
    passages = short_passages(200)
    lengths = [len(p["body"].split()) for p in passages]
    assert min(lengths) >= 52 and max(lengths) <= 120 and 55 <= sum(lengths) / 200 <= 75
    assert len({p["body"] for p in passages}) == 200 == len({p["id"] for p in passages})
