"""Factuality scores: each attribute's accuracy and macro-F1 on the gold triggers, event F1 over reported events only,
and the same for a baseline of cue rules, so the attribute head is measured against what a few particles give.

The cue rules read the `CUE_WINDOW` words before a trigger (a leading و/ف dropped) and the trigger itself, with the
lexicon of `hadath/data/factuality_cues.py`: a negation particle or verb makes it negative; a threat, condition,
possibility or future particle makes it `other`; a future particle (سوف, لن, or the prefix س on a present-tense verb)
makes it future; genericity is always specific.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hadath.data.argument_pairs import family_spans
from hadath.data.factuality import ATTRIBUTES, Factuality, is_reported
from hadath.data.factuality_cues import CUE_WINDOW, MODAL_CUES, NEGATION_CUES, cue_form, is_future_cue
from hadath.data.schemes import TagSpan
from hadath.data.sentence import Sentence


def cue_factuality(words: Sequence[str], trigger: TagSpan) -> Factuality:
    """The cue rules' attributes for one trigger of a sentence's words."""
    before = [cue_form(word) for word in words[max(0, trigger.start - CUE_WINDOW) : trigger.start]]
    near = [*before, *(cue_form(word) for word in words[trigger.start : trigger.end])]
    future = any(is_future_cue(form) for form in near)
    return Factuality(
        polarity="negative" if any(form in NEGATION_CUES for form in before) else "positive",
        modality="other" if future or any(form in MODAL_CUES for form in before) else "asserted",
        tense="future" if future else "unspecified",
    )


def _prf(hits: int, predicted: int, gold: int) -> dict[str, Any]:
    precision = hits / predicted if predicted else 0.0
    recall = hits / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 6), "recall": round(recall, 6), "f1": round(f1, 6), "support": gold}


def attribute_scores(gold: Sequence[Factuality], predicted: Sequence[Factuality]) -> dict[str, dict[str, Any]]:
    """Per attribute: accuracy, and precision / recall / F1 macro-averaged over the values gold or prediction use."""
    scores = {}
    for index, name in enumerate(ATTRIBUTES):
        pairs = [(g[index], p[index]) for g, p in zip(gold, predicted, strict=True)]
        used = [v for v in ATTRIBUTES[name] if any(v in pair for pair in pairs)]
        rows = [_prf(sum(g == p == v for g, p in pairs), sum(p == v for _, p in pairs),
                     sum(g == v for g, _ in pairs)) for v in used]  # fmt: skip
        macro = {key: round(sum(r[key] for r in rows) / len(rows), 6) if rows else 0.0
                 for key in ("precision", "recall", "f1")}  # fmt: skip
        accuracy = sum(g == p for g, p in pairs) / len(pairs) if pairs else 0.0
        scores[name] = {**macro, "support": len(pairs), "accuracy": round(accuracy, 6)}
    return scores


def reported_event_scores(
    sentences: Sequence[Sentence], predicted: Sequence[dict[tuple[int, int, str], Factuality]]
) -> dict[str, Any]:
    """Event F1 over reported events only: a predicted event counts when it is reported and a gold reported event has
    its span and type; `predicted` holds, per sentence, each predicted event's (start, end, type) and attributes."""
    hits = found = wanted = 0
    for sentence, events in zip(sentences, predicted, strict=True):
        gold = {
            (s.start, s.end, s.label)
            for s in family_spans(sentence, "events")
            if is_reported(sentence.factuality_of(s))
        }
        kept = {key for key, factuality in events.items() if is_reported(factuality)}
        hits, found, wanted = hits + len(gold & kept), found + len(kept), wanted + len(gold)
    return _prf(hits, found, wanted)


def factuality_block(
    sentences: Sequence[Sentence],
    on_gold_triggers: Sequence[Sequence[Factuality]],
    decoded: Sequence[dict[tuple[int, int, str], Factuality]],
) -> dict[str, Any]:
    """The `factuality` block of metrics.json. Headline: event F1 over reported events (decoded triggers, the head's
    attributes); `macro_f1`: the mean over attributes of the head's macro-F1 given the gold triggers; `cue_*`: the
    cue rules on the same triggers."""
    gold = [sentence.factuality_of(t) for sentence in sentences for t in family_spans(sentence, "events")]
    head = attribute_scores(gold, [f for row in on_gold_triggers for f in row])
    cues = [cue_factuality(s.words, t) for s in sentences for t in family_spans(s, "events")]
    rules = attribute_scores(gold, cues)
    by_cues = [
        {key: cue_factuality(sentence.words, TagSpan(*key)) for key in events}
        for sentence, events in zip(sentences, decoded, strict=True)
    ]
    reported, reported_by_cues = reported_event_scores(sentences, decoded), reported_event_scores(sentences, by_cues)
    per_type = {
        name: {**row, "cue_f1": rules[name]["f1"], "cue_accuracy": rules[name]["accuracy"]}
        for name, row in head.items()
    }
    return {
        **reported,
        "macro_f1": round(sum(r["f1"] for r in head.values()) / len(head), 6),
        "accuracy": round(sum(r["accuracy"] for r in head.values()) / len(head), 6),
        "cue_macro_f1": round(sum(r["f1"] for r in rules.values()) / len(rules), 6),
        "cue_accuracy": round(sum(r["accuracy"] for r in rules.values()) / len(rules), 6),
        "gold_triggers": len(gold),
        "per_type": per_type,
        "scorings": {
            "reported events · attribute head": reported,
            "reported events · cue rules": reported_by_cues,
        },
    }
