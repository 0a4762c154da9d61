"""The (trigger, entity) pairs the argument head scores, and how each pair's distance, order, in-between words, span
types and sentence context (is the entity the nearest of its type on that side? how many triggers lie between?) are
encoded.

Training (gold spans, piece positions in a window) and inference (decoded or gold spans, word vectors) build the same
pair features from here, so the head sees the same features in both.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from hadath.data.schemes import TagSpan, label_types
from hadath.data.sentence import Sentence, layer_family

# Lower edges of the word-gap buckets: 0, 1, 2, 3, 4, 5-7, 8-15, 16-31, 32+.
DISTANCE_EDGES = (0, 1, 2, 3, 4, 5, 8, 16, 32)
# Order ids: the entity stands before the trigger, or after (or overlaps) it.
BEFORE, AFTER = 0, 1
# Context ids are capped: 0, 1, 2 or more (nearer same-type entities on the entity's side; triggers in between).
CONTEXT_CAP = 2
# One padded pair row: trigger pieces [start, end), entity pieces [start, end), distance bucket, order, trigger type
# id, entity type id, rank, triggers between, role id.
PAIR_COLUMNS = 11
UNKNOWN_TYPE = "<unknown>"


def span_types(layers: dict[str, list[str]]) -> list[str]:
    """The head's span-type vocabulary from a label space's layers: `<unknown>` first, then every type, sorted."""
    return [UNKNOWN_TYPE, *sorted({t for tags in layers.values() for t in label_types(tags)})]


def pair_geometry(trigger: tuple[int, int], entity: tuple[int, int]) -> tuple[int, int]:
    """(distance bucket, order) of two word spans: the words between them, bucketed, and which comes first."""
    if entity[1] <= trigger[0]:
        gap, order = trigger[0] - entity[1], BEFORE
    else:
        gap, order = max(0, entity[0] - trigger[1]), AFTER
    return bisect_right(DISTANCE_EDGES, gap) - 1, order


def between(trigger: tuple[int, int], entity: tuple[int, int]) -> tuple[int, int]:
    """The positions [start, end) strictly between two spans (empty when they touch or overlap)."""
    start, end = (entity[1], trigger[0]) if entity[1] <= trigger[0] else (trigger[1], entity[0])
    return start, max(start, end)


def pair_context(
    trigger: TagSpan, entity: TagSpan, triggers: Sequence[TagSpan], entities: Sequence[TagSpan]
) -> tuple[int, int]:
    """(rank, crossing): how many entities of the entity's type stand nearer the trigger on the same side, and how many
    other triggers stand between the two spans, each capped at CONTEXT_CAP."""
    words = (trigger.start, trigger.end), (entity.start, entity.end)
    gap, order = _gap(*words), pair_geometry(*words)[1]
    rank = sum(
        1
        for other in entities
        if other != entity
        and other.label == entity.label
        and pair_geometry(words[0], (other.start, other.end))[1] == order
        and _gap(words[0], (other.start, other.end)) < gap
    )
    low, high = between(*words)
    crossing = sum(1 for other in triggers if other != trigger and low <= other.start and other.end <= high)
    return min(rank, CONTEXT_CAP), min(crossing, CONTEXT_CAP)


def _gap(trigger: tuple[int, int], entity: tuple[int, int]) -> int:
    return trigger[0] - entity[1] if entity[1] <= trigger[0] else max(0, entity[0] - trigger[1])


def family_spans(sentence: Sentence, family: str) -> list[TagSpan]:
    """Every span of a layer family (`events`, `entities`), nested layers included."""
    return [span for layer, spans in sentence.layers.items() if layer_family(layer) == family for span in spans]


def _pieces(owners: Sequence[int], words: tuple[int, int]) -> tuple[int, int] | None:
    """The window positions [first, last + 1) of the pieces of words [start, end), if the window holds them all."""
    positions = [i for i, owner in enumerate(owners) if words[0] <= owner < words[1]]
    if not positions or {owners[p] for p in positions} != set(range(*words)):
        return None
    return positions[0], positions[-1] + 1


def training_pairs(
    sentence: Sentence, owners: Sequence[int], roles: Sequence[str], types: Sequence[str]
) -> list[list[int]]:
    """Every (gold trigger, gold entity) pair inside one window, labelled with its role id (0: no argument).

    A link whose role is not in `roles` is left out rather than taught as "no argument"."""
    index = {role: i for i, role in enumerate(roles)}
    type_index = {name: i for i, name in enumerate(types)}
    gold = {(a.trigger, a.entity): a.role for a in sentence.arguments}
    rows = []
    triggers, entities = family_spans(sentence, "events"), family_spans(sentence, "entities")
    for trigger in triggers:
        trigger_pieces = _pieces(owners, (trigger.start, trigger.end))
        for entity in entities:
            words = (trigger.start, trigger.end), (entity.start, entity.end)
            role = gold.get(words, roles[0])
            entity_pieces = _pieces(owners, words[1])
            if trigger_pieces is None or entity_pieces is None or role not in index:
                continue
            kinds = type_index.get(trigger.label, 0), type_index.get(entity.label, 0)
            context = pair_context(trigger, entity, triggers, entities)
            rows.append([*trigger_pieces, *entity_pieces, *pair_geometry(*words), *kinds, *context, index[role]])
    return rows
