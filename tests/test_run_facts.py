"""run.json: identifier keys written and read back, and the English-keyed files of older runs still read."""

from __future__ import annotations

import json
from pathlib import Path

from hadath.train.run_facts import RunFacts


def test_facts_round_trip_with_identifier_keys(tmp_path: Path) -> None:
    facts = RunFacts(evaluated_split="test (9 sentences)", training_wall_s=12.5, cpu_threads=2, precision="fp32")
    facts.save(tmp_path)
    raw = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert raw["evaluated_split"] == "test (9 sentences)" and raw["cpu_threads"] == 2
    assert all(key.isidentifier() for key in raw)
    assert RunFacts.load(tmp_path) == facts


def test_an_older_run_json_with_english_keys_reads(tmp_path: Path) -> None:
    old = {"evaluated split": "dev (40 sentences)", "training wall time (s)": 338.0, "CPU threads": "auto, ran on 2"}
    (tmp_path / "run.json").write_text(json.dumps(old), encoding="utf-8")
    facts = RunFacts.load(tmp_path)
    assert facts is not None
    assert (facts.evaluated_split, facts.training_wall_s, facts.cpu_threads) == (
        "dev (40 sentences)", 338.0, "auto, ran on 2",
    )  # fmt: skip
    assert facts.training_processes is None and RunFacts.load(tmp_path / "absent") is None


def test_reports_show_the_labels_in_field_order() -> None:
    facts = RunFacts(evaluated_split="test (9 sentences)", training_sentences=40, precision="bf16")
    assert list(facts.labelled().items()) == [
        ("evaluated split", "test (9 sentences)"), ("training sentences", 40), ("precision", "bf16"),
    ]  # fmt: skip
