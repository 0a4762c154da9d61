"""`hadath annotate merge`: corrected Label Studio or doccano exports back into native JSONL training data.

Every exported sentence must be one `hadath annotate suggest` wrote into the suggestion file, text unchanged: its
text's hash must be among the suggestion file's, and a task that still carries its suggested hash must match it (the
reader checks that); anything else stops with `FILE:LINE: problem — fix`. A sentence in several exports (two passes,
two annotators) is taken from the export named last. The annotator (Label Studio's `completed_by`) is kept.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hadath.config import DataFormat
from hadath.data.errors import DataError
from hadath.data.readers import ReadOptions, read_corpus
from hadath.data.sentence import Sentence
from hadath.data.tool_records import SUGGESTION_HASH, TEXT_OBJECT, text_sha256
from hadath.data.writers import write_sentences


@dataclass
class MergeReport:
    """What the merge took: sentences written, how many came from a later export, per annotator, not annotated."""

    written: int = 0
    replaced: int = 0
    annotators: Counter[str] = field(default_factory=Counter)
    not_annotated: int = 0
    notes: list[str] = field(default_factory=list)


def _records(path: Path) -> list[Any]:
    text = path.read_text(encoding="utf-8-sig")
    if text.lstrip().startswith("["):
        loaded = json.loads(text)
        return loaded if isinstance(loaded, list) else []
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def suggested_hashes(path: Path) -> set[str]:
    """The text hashes a suggestion file (Label Studio JSON list or doccano JSONL) carries."""
    try:
        records = _records(path)
    except (OSError, ValueError) as error:
        problem = f"cannot read the suggestion file ({error})"
        raise DataError(str(path), None, problem, "pass the file `hadath annotate suggest` wrote") from None
    hashes: set[str] = set()
    for record in records:
        holder = record.get("data", record) if isinstance(record, dict) else {}
        stored = holder.get(SUGGESTION_HASH) if isinstance(holder, dict) else None
        if isinstance(stored, str):
            hashes.add(stored)
        elif isinstance(holder, dict) and isinstance(holder.get(TEXT_OBJECT), str):
            hashes.add(text_sha256(holder[TEXT_OBJECT]))
    if not hashes:
        raise DataError(str(path), None, "holds no suggested tasks", "pass the file `hadath annotate suggest` wrote")
    return hashes


def _check_suggested(sentence: Sentence, hashes: set[str], suggested: Path) -> None:
    if text_sha256(sentence.text) not in hashes:
        path, _, line = sentence.source.rpartition(":")
        raise DataError(
            path,
            int(line) if line.isdigit() else None,
            f"sentence text is not one {suggested} suggested (changed since it was suggested?)",
            "annotate the text as suggested (Label Studio and doccano keep it), or pass the suggestion file it came "
            "from with --suggested",
        )


def merge_exports(
    exports: Sequence[Path], suggested: Path, output: Path, options: ReadOptions, format: DataFormat = "auto"
) -> MergeReport:
    """Read every export, check each sentence against the suggestion file, write native JSONL to `output`."""
    hashes = suggested_hashes(suggested)
    merged: dict[str, Sentence] = {}
    report = MergeReport()
    for export in exports:
        sentences, read = read_corpus(export, options, format)
        report.notes += [f"{export}: {note}" for note in read.notes]
        for sentence in sentences:
            _check_suggested(sentence, hashes, suggested)
            key = text_sha256(sentence.text)
            report.replaced += key in merged
            merged[key] = sentence
    kept = list(merged.values())
    write_sentences(kept, output, "jsonl")
    report.written = len(kept)
    report.annotators = Counter(sentence.annotator or "(unknown)" for sentence in kept)
    report.not_annotated = len(hashes - set(merged))
    return report
