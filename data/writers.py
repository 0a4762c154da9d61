"""Writing sentences back out: native JSONL (character offsets) or CoNLL columns (IOB2, one column per layer)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from hadath.data.sentence import Sentence, layer_family


def jsonl_record(sentence: Sentence) -> dict[str, object]:
    """Native JSONL record; nested layers fold back into their family (`entities_2` -> `entities`)."""
    families: dict[str, list[tuple[int, int, str]]] = {"entities": [], "events": []}
    for layer, spans in sentence.layers.items():
        families.setdefault(layer_family(layer), []).extend((*sentence.char_span(span), span.label) for span in spans)
    ordered = {key: sorted(spans, key=lambda s: (s[0], -s[1], s[2])) for key, spans in families.items()}
    return {"text": sentence.text, **ordered, "labels": sentence.labels}


def write_sentences(sentences: Sequence[Sentence], path: Path) -> None:
    """Write JSONL for a `.jsonl` path, CoNLL otherwise (layers in a fixed order, entities first)."""
    with path.open("w", encoding="utf-8") as handle:
        if path.suffix.lower() in {".jsonl", ".json"}:
            for sentence in sentences:
                handle.write(json.dumps(jsonl_record(sentence), ensure_ascii=False) + "\n")
            return
        layers = sorted({layer for s in sentences for layer in s.layers}, key=lambda n: (n != "entities", n))
        for sentence in sentences:
            columns = [sentence.tags(layer) for layer in layers]
            for index, word in enumerate(sentence.words):
                handle.write(" ".join(["".join(word.split()) or "_", *(tags[index] for tags in columns)]) + "\n")
            handle.write("\n")
