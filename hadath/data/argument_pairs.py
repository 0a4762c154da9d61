"""The (trigger, entity) pairs the argument head scores, and the ids that describe each pair: its distance and order,
both span types, its place among the sentence's other spans, and the particle before the entity and the trigger.

Training (gold spans in a window) and inference (decoded or gold spans) take a pair's ids from `pair_ids`, so the
head sees the same features in both. The ids are about the sentence's structure, not its encoder states: on the
bundled corpus a head that also read the scratch encoder's span states generalised worse to held-out templates
(README, "Event arguments"). A training row also carries the window's piece ranges of its trigger and entity, which
only a head with `model.argument_states` reads.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from hadath.data.align import IGNORE
from hadath.data.roles import ROLES, role_problem
from hadath.data.schemes import TagSpan, label_types
from hadath.data.sentence import Sentence, layer_family

# Lower edges of the word-gap buckets: 0, 1, 2, 3, 4, 5-7, 8-15, 16-31, 32+.
DISTANCE_EDGES = (0, 1, 2, 3, 4, 5, 8, 16, 32)
# Order ids: the entity stands before the trigger, or after (or overlaps) it.
BEFORE, AFTER = 0, 1
# Context counts are capped: 0, 1, 2 or more.
CONTEXT_CAP = 2
# The particles and prepositions that tell a role when they stand before an entity (من: Origin, نحو/إلى/باتجاه:
# Destination, في: Place, خلال/منذ: Time, بين/مع: Participant, لدى/ل: Agent...) or a nominal trigger (بعد/إثر/ل
# [انسحاب]). A cue id is the word's index + 1; 0 for any other word and at the sentence start.
CUE_WORDS = (
    "في", "من", "إلى", "الى", "على", "عن", "ب", "ل", "ك", "و", "مع", "بين", "نحو", "باتجاه", "قرب", "لدى", "عند",
    "حول", "ضد", "خلال", "منذ", "حتى", "قبل", "بعد", "يد", "باسم",
)  # fmt: skip
# A pair's id columns, each embedded by the argument head's table of this name (`types` serves both span types).
ID_TABLES = (
    "distance", "order", "types", "types", "rank", "crossing", "claimed", "nearer", "rivals", "opposite", "cue",
    "trigger_cue",
)  # fmt: skip
PAIR_IDS = len(ID_TABLES)
# How many ids each table holds, but for `types` (the model's span-type vocabulary, see `span_types`).
TABLE_SIZES = {"distance": len(DISTANCE_EDGES), "order": 2, "cue": len(CUE_WORDS) + 1,
               "trigger_cue": len(CUE_WORDS) + 1, **dict.fromkeys(ID_TABLES[4:10], CONTEXT_CAP + 1)}  # fmt: skip
# One training row: the PAIR_IDS ids, the window's piece ranges of the trigger and of the entity (start, end: what
# `model.argument_states` pools), the bit mask of the roles the table allows for the pair, the role id.
SPAN_COLUMNS = 4
PAIR_COLUMNS = PAIR_IDS + SPAN_COLUMNS + 2
# A padding row: one-piece ranges, only `none` allowed, the ignore index as its role.
PAD_PAIR = (*(0,) * PAIR_IDS, 0, 1, 0, 1, 1, IGNORE)
# What shapes a training row, hashed into the training-feature cache's fingerprint; bump the version when a feature's
# meaning changes without changing these tables.
PAIR_LAYOUT = ("6", ID_TABLES, CUE_WORDS, DISTANCE_EDGES, CONTEXT_CAP, SPAN_COLUMNS)
UNKNOWN_TYPE = "<unknown>"
_CUE_INDEX = {word: i + 1 for i, word in enumerate(CUE_WORDS)}
_UNMARKED = dict.fromkeys(map(ord, "\u0640\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"))  # tatweel, harakat


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


def cue_id(words: Sequence[str], start: int) -> int:
    """The CUE_WORDS id of the word before position `start` (a leading و/ف is dropped: وفي is في), 0 for none."""
    if start == 0:
        return 0
    word = words[start - 1].translate(_UNMARKED)
    if word not in _CUE_INDEX and word[:1] in ("و", "ف") and len(word) > 1:
        word = word[1:]
    return _CUE_INDEX.get(word, 0)


def pair_context(
    trigger: TagSpan, entity: TagSpan, triggers: Sequence[TagSpan], entities: Sequence[TagSpan]
) -> tuple[int, ...]:
    """(rank, crossing, claimed, nearer, rivals, opposite), each capped at CONTEXT_CAP: how many entities of the
    entity's type stand nearer the trigger on the same side; how many other triggers stand between the two spans; how
    many other triggers stand nearer the entity than this one; how many entities of any type stand nearer on that
    side; how many of those are rivals (could fill a role of the trigger's event that the entity could fill,
    hadath/data/roles.py); how many rivals stand on the other side of the trigger (subject before a verb, or after
    it)."""
    words = (trigger.start, trigger.end), (entity.start, entity.end)
    gap, order = _gap(*words), pair_geometry(*words)[1]
    others = [other for other in entities if other != entity]
    same_side = [o for o in others if pair_geometry(words[0], (o.start, o.end))[1] == order]
    nearer = [o for o in same_side if _gap(words[0], (o.start, o.end)) < gap]
    fillers = [types for types in ROLES.get(trigger.label, {}).values() if entity.label in types]
    rivals = [o for o in others if any(o.label in types for types in fillers)]
    low, high = between(*words)
    counts = (
        sum(1 for other in nearer if other.label == entity.label),
        sum(1 for other in triggers if other != trigger and low <= other.start and other.end <= high),
        sum(1 for other in triggers if other != trigger and _span_gap(other, entity) < gap),
        len(nearer),
        sum(1 for other in nearer if other in rivals),
        sum(1 for other in rivals if other not in same_side),
    )
    return tuple(min(count, CONTEXT_CAP) for count in counts)


def pair_ids(
    words: Sequence[str],
    trigger: TagSpan,
    entity: TagSpan,
    spans: tuple[Sequence[TagSpan], Sequence[TagSpan]],
    types: dict[str, int],
) -> list[int]:
    """The PAIR_IDS ids of one (trigger, entity) pair of a sentence, in ID_TABLES order; `spans` holds the sentence's
    triggers and entities, `types` the span-type ids (unknown types get 0)."""
    geometry = pair_geometry((trigger.start, trigger.end), (entity.start, entity.end))
    kinds = types.get(trigger.label, 0), types.get(entity.label, 0)
    context = pair_context(trigger, entity, *spans)
    return [*geometry, *kinds, *context, cue_id(words, entity.start), cue_id(words, trigger.start)]


def allowed_roles(trigger: str, entity: str, roles: Sequence[str]) -> int:
    """Bit mask over `roles` (whose first is `none`, always allowed) of the roles the table lets this pair take."""
    return sum(1 << i for i, role in enumerate(roles) if i == 0 or role_problem(trigger, entity, role) is None)


def _gap(trigger: tuple[int, int], entity: tuple[int, int]) -> int:
    return trigger[0] - entity[1] if entity[1] <= trigger[0] else max(0, entity[0] - trigger[1])


def _span_gap(trigger: TagSpan, entity: TagSpan) -> int:
    return _gap((trigger.start, trigger.end), (entity.start, entity.end))


def family_spans(sentence: Sentence, family: str) -> list[TagSpan]:
    """Every span of a layer family (`events`, `entities`), nested layers included."""
    return [span for layer, spans in sentence.layers.items() if layer_family(layer) == family for span in spans]


def _in_window(held: set[int], span: TagSpan) -> bool:
    """Whether a window (the words its pieces belong to) holds every word of the span."""
    return all(word in held for word in range(span.start, span.end))


def training_pairs(
    sentence: Sentence, owners: Sequence[int], roles: Sequence[str], types: Sequence[str]
) -> list[list[int]]:
    """Every (gold trigger, gold entity) pair inside one window: its ids, allowed-role mask and role id (0: none).

    A link whose role is not in `roles` is left out rather than taught as "no argument"."""
    index = {role: i for i, role in enumerate(roles)}
    type_index = {name: i for i, name in enumerate(types)}
    gold = {(a.trigger, a.entity): a.role for a in sentence.arguments}
    triggers, entities = family_spans(sentence, "events"), family_spans(sentence, "entities")
    held = set(owners)
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for position, word in enumerate(owners):  # each word's pieces in the window: first and last position
        if word >= 0:
            first.setdefault(word, position)
            last[word] = position
    rows = []
    for trigger in triggers:
        for entity in entities:
            role = gold.get(((trigger.start, trigger.end), (entity.start, entity.end)), roles[0])
            if role not in index or not (_in_window(held, trigger) and _in_window(held, entity)):
                continue
            ids = pair_ids(sentence.words, trigger, entity, (triggers, entities), type_index)
            pieces = [first[trigger.start], last[trigger.end - 1] + 1, first[entity.start], last[entity.end - 1] + 1]
            rows.append([*ids, *pieces, allowed_roles(trigger.label, entity.label, roles), index[role]])
    return rows
