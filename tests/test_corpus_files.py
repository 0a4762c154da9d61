"""The bundled corpus files are exactly what the composer builds, so the template index it gives each sentence (the
unit `benchmarks/arguments.py` resamples) belongs to the sentence on that line."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from hadath.data.corpus.compose import PER_TEMPLATE, TEMPLATES, build_with_templates

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"


def test_corpus_files_are_what_the_composer_builds_with_each_template_fully_used() -> None:
    composed = build_with_templates()
    for split, rows in composed.items():
        on_disk = [json.loads(line) for line in (CORPUS / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()]
        assert [record for _, record in rows] == on_disk, (
            f"{split}.jsonl is stale: run python -m hadath.data.corpus.compose"
        )
        per_template = Counter(index for index, _ in rows)
        assert per_template == dict.fromkeys(range(len(TEMPLATES[split])), PER_TEMPLATE[split])
