"""The bundled corpus files are exactly what the composer builds, so the template index it gives each sentence (the
unit `benchmarks/arguments.py` resamples) belongs to the sentence on that line."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from hadath.data.corpus.compose import TEMPLATES, build_with_templates, per_template

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"


def test_corpus_files_are_what_the_composer_builds_with_each_template_fully_used() -> None:
    composed = build_with_templates()
    for split, rows in composed.items():
        on_disk = [json.loads(line) for line in (CORPUS / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()]
        assert [record for _, record in rows] == on_disk, (
            f"{split}.jsonl is stale: run python -m hadath.data.corpus.compose"
        )
        used = Counter(index for index, _ in rows)
        assert used == {index: per_template(split, t) for index, (_, t) in enumerate(TEMPLATES[split])}


def test_at_least_half_of_every_split_has_no_event_and_attributes_reach_every_split() -> None:
    for split in ("train", "dev", "test"):
        records = [json.loads(line) for line in (CORPUS / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()]
        assert 2 * sum(not r["events"] for r in records) >= len(records), split
        values = {value for r in records for event in r["events"] if len(event) > 3 for value in event[3].values()}
        assert {"negative", "other", "generic", "future", "past"} <= values, (split, values)
