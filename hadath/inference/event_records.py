"""What a `hadath predict` event record carries beyond its span: the argument head's links and the attribute head's
values, attached to the decoded events by their character offsets."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hadath.data.schemes import TagSpan
from hadath.data.sentence import Sentence
from hadath.inference.arguments import PredictedArgument
from hadath.inference.factuality import PredictedFactuality


def attach_arguments(sentence: Sentence, arguments: Sequence[PredictedArgument], events: list[dict[str, Any]]) -> None:
    """Give every event record its `arguments`: role, entity offsets, text, type and score."""
    for event in events:
        event["arguments"] = []
    by_span = {(e["start"], e["end"], e["label"]): e for e in events}
    for argument in arguments:
        owner = by_span.get((*sentence.char_span(argument.trigger), argument.trigger.label))
        if owner is None:
            continue
        start, end = sentence.char_span(argument.entity)
        owner["arguments"].append(
            {
                "role": argument.role,
                "start": start,
                "end": end,
                "text": sentence.text[start:end],
                "label": argument.entity.label,
                "score": round(argument.score, 4),
            }
        )


def attach_factuality(
    sentence: Sentence, factuality: dict[tuple[int, int], PredictedFactuality], events: list[dict[str, Any]]
) -> None:
    """Give every event record its `attributes`, their `attribute_scores` and the `reported` flag."""
    by_offsets = {sentence.char_span(TagSpan(start, end, "")): found for (start, end), found in factuality.items()}
    for event in events:
        found = by_offsets.get((event["start"], event["end"]))
        if found is not None:
            event.update(found.record())
