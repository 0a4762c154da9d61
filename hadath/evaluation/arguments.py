"""Event argument scores in the ACE convention: a predicted argument is identified when its trigger (span and event
type) and its entity span match a gold argument's, and classified when its role matches too.

Scored twice: with gold triggers and entities (the argument head alone, given the gold spans) and end to end
(links among the predicted triggers and entities).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from hadath.data.schemes import TagSpan

Link = tuple[TagSpan, TagSpan, str]  # trigger, entity, role
GOLD_SPANS = "gold triggers and entities"
END_TO_END = "end to end"


def _keys(links: Iterable[Link], with_role: bool) -> Counter[tuple[Any, ...]]:
    return Counter((t.start, t.end, t.label, e.start, e.end, *((role,) if with_role else ())) for t, e, role in links)


def _prf(hits: int, predicted: int, gold: int) -> dict[str, Any]:
    precision = hits / predicted if predicted else 0.0
    recall = hits / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 6), "recall": round(recall, 6), "f1": round(f1, 6), "support": gold}


def link_counts(gold: Iterable[Link], predicted: Iterable[Link], with_role: bool = True) -> tuple[int, int, int]:
    """(hits, predicted, gold) of one sentence's links: classification counts, or identification without the role."""
    g, p = _keys(gold, with_role), _keys(predicted, with_role)
    return sum((g & p).values()), sum(p.values()), sum(g.values())


def argument_scores(gold: Sequence[Sequence[Link]], predicted: Sequence[Sequence[Link]]) -> dict[str, Any]:
    """Identification and classification P/R/F1 and per-role classification scores over sentences."""
    counts: Counter[str] = Counter()
    roles: Counter[tuple[str, str]] = Counter()
    for gold_links, predicted_links in zip(gold, predicted, strict=True):
        for with_role, name in ((False, "identification"), (True, "classification")):
            hits, found, wanted = link_counts(gold_links, predicted_links, with_role)
            counts[f"{name} hits"] += hits
            counts[f"{name} predicted"] += found
            counts[f"{name} gold"] += wanted
        g, p = _keys(gold_links, True), _keys(predicted_links, True)
        for key in set(g) | set(p):
            roles[(key[-1], "hits")] += min(g[key], p[key])
            roles[(key[-1], "predicted")] += p[key]
            roles[(key[-1], "gold")] += g[key]
    scores = {
        name: _prf(counts[f"{name} hits"], counts[f"{name} predicted"], counts[f"{name} gold"])
        for name in ("identification", "classification")
    }
    names = sorted({role for role, _ in roles})
    per_role = {role: _prf(roles[(role, "hits")], roles[(role, "predicted")], roles[(role, "gold")]) for role in names}
    return {**scores, "per_type": per_role}


def argument_block(given_spans: dict[str, Any], end_to_end: dict[str, Any]) -> dict[str, Any]:
    """The `arguments` block of metrics.json: headline and per-role table from gold spans, every scoring listed."""
    headline = given_spans["classification"]
    return {
        **{key: headline[key] for key in ("precision", "recall", "f1", "support")},
        "per_type": given_spans["per_type"],
        "end_to_end_per_type": end_to_end["per_type"],
        "scorings": {
            f"{GOLD_SPANS} · classification (ACE)": given_spans["classification"],
            f"{GOLD_SPANS} · identification": given_spans["identification"],
            f"{END_TO_END} · classification (ACE)": end_to_end["classification"],
            f"{END_TO_END} · identification": end_to_end["identification"],
        },
    }
