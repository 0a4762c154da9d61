"""Compose the bundled Hadath corpus: ``data/corpus/{train,dev,test}.jsonl``.

This script owns the three JSONL files next to it; they are generated, never edited by hand.  All text is
authored for this project: entity lexicons live in ``lexicon.py`` and sentence templates in ``templates.py``
(see the mini-language and the trigger rule described there), plausibility tables in ``world.py``.  Generation is
deterministic (fixed seed); the self-check reads the records back with the project's JSONL reader.

Split: each split has its own templates (TRAIN_TEMPLATES, DEV_TEMPLATES, TEST_TEMPLATES; no template feeds two
splits), and dev and test slots may also draw the held-out lexicon entries (names and trigger forms).

Each output line is ``{"text", "entities", "events", "arguments", "labels"}`` with ``[start, end, TYPE]``
character spans (end exclusive), an event span's non-default attributes as a fourth item (``^negative,future`` marks,
checked against ``hadath.data.factuality``) and ``[event_index, entity_index, ROLE]`` argument links from the
templates' ``:role@N`` marks, checked against ``hadath.data.roles``.  After writing, a self-check validates every
record and prints a summary table.

Run from the repository root:  python -m hadath.data.corpus.compose
"""

from __future__ import annotations

import json
import random
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from hadath.data.consistency import find_inconsistencies
from hadath.data.corpus import lexicon, world
from hadath.data.corpus.templates import DEV_TEMPLATES, TEST_TEMPLATES, TRAIN_TEMPLATES
from hadath.data.factuality import ATTRIBUTES, DEFAULTS, Factuality, is_reported
from hadath.data.normalize import NormalizerSettings, normalize_word
from hadath.data.readers.jsonl import parse_record
from hadath.data.roles import ROLES, role_problem

SEED = 1447
OUT_DIR = Path(__file__).resolve().parent
# Sentences per template of each split: templates with an event trigger, and templates without one (more each, so
# that at least half of every split has no event, as in news, while the train split stays the quickstart's size).
PER_TEMPLATE = {"train": 7, "dev": 4, "test": 4}
PER_EVENTLESS_TEMPLATE = {"train": 20, "dev": 9, "test": 12}
HELD_OUT = {"train": False, "dev": True, "test": True}  # may the split draw the held-out lexicon entries?
RETRIES = 200  # slot fillings tried before a template is declared unfillable under the plausibility rules

ENTITY_TYPES = ("PER", "ORG", "LOC", "DATE")
EVENT_TYPES = ("ATTACK", "KILL", "WITHDRAWAL", "ARREST", "MEETING", "STATEMENT")
LABEL_CODES = {"S": "SECURITY", "P": "POLITICS", "E": "ECONOMY"}

SURNAME_ONLY_RATE = 0.15  # "سالم الجبوري" -> "الجبوري"
DECORATION_RATE = 0.035  # diacritics or tatweel inside one word
COMMA_ATTACHED_RATE = 0.75  # "كلمة، كلمة" vs "كلمة ، كلمة"
PERIOD_RATES = (0.5, 0.65)  # attached "." below 0.5, spaced " ." below 0.65, none otherwise

# Prefixes that may sit between a whitespace boundary and a span start (proclitics, incl. "لـ").
PROCLITICS = {"و", "ف", "ب", "ل", "ك", "لـ", "وب", "ول", "فب", "فل", "وك"}
TATWEEL = "ـ"
NON_CONNECTING = set("اأإآدذرزوؤةىء")

MAX_WORDS = 45  # long sentences (several events, subordinate clauses) are part of the corpus on purpose
MIN_SENTENCES = {"train": 850, "dev": 150, "test": 230}
MIN_EVENTS = {"train": 40, "dev": 5, "test": 12}
MIN_ENTITIES = {"train": 100, "dev": 20, "test": 30}
MIN_TEMPLATES = {"train": 70, "dev": 20, "test": 30}

# ("lit", text) | ("slot", key, agree, role, attributes) | ("ann", alternatives, type, role, attributes)
# | ("alt", alternatives) | ("homograph", alternatives): a trigger form in another sense, written unannotated
Part = tuple[Any, ...]
# Rendered text, its span type (None: not annotated), its (event index, role) argument marks and (for a trigger) its
# non-default attributes.
Piece = tuple[str, str | None, list[tuple[int, str]], dict[str, str]]
# An attribute value names its attribute (`^negative,future`): the values of hadath.data.factuality are distinct.
ATTRIBUTE_OF = {value: name for name, values in ATTRIBUTES.items() for value in values}
assert len(ATTRIBUTE_OF) == sum(len(values) for values in ATTRIBUTES.values())

_ROLES = r"[a-z_]+(?:@\d)?(?:,[a-z_]+(?:@\d)?)*"  # "place@1,time@2": a role in the template's 1st, 2nd... event
TOKEN_RE = re.compile(
    r"\{(?P<slot>[A-Z]+\.[a-z_]+(?:#\d)?)(?::(?P<role>" + _ROLES + r"))?(?:\^(?P<fact>[a-z,]+))?(?P<agree>!)?\}"
    r"|\[(?P<ann>[^\]|]+)\|(?P<atype>[A-Z]+)(?::(?P<arole>" + _ROLES + r"))?(?:\^(?P<afact>[a-z,]+))?\]"
    r"|<(?P<alt>[^>]*)>"
)


class DeadEnd(Exception):
    """No lexicon entry fits a slot under the plausibility rules already fixed by the sentence's other slots."""


# --------------------------------------------------------------------------------------------- parsing
def parse(template: str) -> list[Part]:
    """Split a template into ("lit", text), ("slot", key, agree), ("ann", alts, type), ("alt", alts)."""
    parts: list[Part] = []
    pos = 0
    for m in TOKEN_RE.finditer(template):
        if m.start() > pos:
            parts.append(("lit", template[pos : m.start()]))
        if m["slot"]:
            parts.append(("slot", m["slot"], bool(m["agree"]), m["role"], attribute_marks(m["fact"])))
        elif m["ann"] and m["atype"] == "O":
            parts.append(("homograph", m["ann"]))
        elif m["ann"]:
            parts.append(("ann", m["ann"], m["atype"], m["arole"], attribute_marks(m["afact"])))
        else:
            parts.append(("alt", m["alt"]))
        pos = m.end()
    if pos < len(template):
        parts.append(("lit", template[pos:]))
    return parts


def attribute_marks(marks: str | None) -> dict[str, str]:
    """`negative,future` -> {"polarity": "negative", "tense": "future"} (defaults are never written)."""
    found = {}
    for value in (marks or "").split(","):
        if value:
            assert value in ATTRIBUTE_OF, f"unknown attribute value ^{value} (values: {', '.join(ATTRIBUTE_OF)})"
            assert ATTRIBUTE_OF[value] not in found, f"two values of {ATTRIBUTE_OF[value]}: ^{marks}"
            found[ATTRIBUTE_OF[value]] = value
    return {name: value for name, value in found.items() if value != DEFAULTS[name]}


def has_event(template: str) -> bool:
    """Whether a template writes at least one event trigger."""
    return any(part_type(p) in EVENT_TYPES for p in parse(template))


def per_template(split: str, template: str) -> int:
    """How many sentences a template gives its split."""
    return (PER_TEMPLATE if has_event(template) else PER_EVENTLESS_TEMPLATE)[split]


def validate_template(code: str, template: str) -> None:
    parts = parse(template)
    assert set(code) <= set(LABEL_CODES) and 1 <= len(code) <= 2, (code, template)
    assert sum(1 for p in parts if p[0] == "slot" and p[2]) <= 1, f"several agreement slots: {template}"
    if "~" in template:
        assert any(p[0] == "slot" and p[2] for p in parts), f"'~' without an agreement slot: {template}"
    for p in parts:
        if p[0] == "slot":
            etype, cat = p[1].split("#")[0].split(".")
            assert pool(etype, cat, held_out=True), f"unknown category {p[1]}"
        elif p[0] == "ann":
            assert p[2] in ENTITY_TYPES + EVENT_TYPES, f"unknown type {p[2]}"
        elif p[0] == "homograph":
            forms = {form for alt in p[1].split("/") for form in alt.split("~")}
            assert forms <= set(lexicon.HOMOGRAPHS), f"homograph {sorted(forms)} not listed in lexicon.HOMOGRAPHS"
        if p[0] in ("slot", "ann") and p[4]:
            assert part_type(p) in EVENT_TYPES, f"attributes on a non-event span: {template}"
    words = {w.lstrip("وفبلك") for p in parts if p[0] in ("lit", "alt") for w in re.split(r"[\s/~]+", p[1])}
    words |= {w for p in parts if p[0] in ("lit", "alt") for w in re.split(r"[\s/~]+", p[1])}
    stray = words & lexicon.TRIGGER_FORMS
    assert not stray, (
        f"trigger word {sorted(stray)} left unannotated (see the trigger rule in templates.py): {template}"
    )
    assert not re.search(r"[{}\[\]<>|]", "".join(p[1] for p in parts if p[0] == "lit")), template
    events = [str(part_type(p)) for p in parts if part_type(p) in EVENT_TYPES]
    for p in parts:
        for event, role in role_marks(p):
            assert event < len(events), f"role @{event + 1} but only {len(events)} events: {template}"
            problem = role_problem(events[event], str(part_type(p)), role)
            assert problem is None, f"{problem}: {template}"


def part_type(part: Part) -> str | None:
    """The span type a slot or annotated literal writes (None for text)."""
    if part[0] == "slot":
        return str(part[1].split("#")[0].split(".")[0])
    return str(part[2]) if part[0] == "ann" else None


def role_marks(part: Part) -> list[tuple[int, str]]:
    """(event index, role name as in data.roles) of a slot's `:role@N` marks; no @N means the first event."""
    marks = part[3] if part[0] in ("slot", "ann") else None
    found = []
    for mark in (marks or "").split(","):
        if mark:
            name, _, number = mark.partition("@")
            role = next((r for roles in ROLES.values() for r in roles if r.lower() == name), name)
            found.append((int(number or 1) - 1, role))
    return found


# --------------------------------------------------------------------------------------------- lexicon
_POOLS: dict[tuple, list[tuple[str, str]]] = {}


def pool(etype: str, cat: str, held_out: bool) -> list[tuple[str, str]]:
    """(surface, gender) entries of a category; every fourth entry is reserved for dev and test (held_out=True)."""
    key = (etype, cat, held_out)
    if key not in _POOLS:
        entries = []
        for sub in lexicon.UNIONS.get((etype, cat), (cat,)):
            lists = lexicon.LEXICONS[etype].get(sub, [])
            by_gender = lists if isinstance(lists, dict) else {"m": lists, "f": []}
            for gender in ("m", "f"):
                entries += [(s, gender) for i, s in enumerate(by_gender[gender]) if held_out or i % 4 != 3]
        _POOLS[key] = entries
    return _POOLS[key]


def _fill_order(parts: list[Part]) -> list[tuple[str, bool]]:
    """Slot keys in the order they are filled: the agreement slot, then cities before areas (an area must lie in
    the city's province), then the rest, and event triggers last (they agree with the agreement slot)."""
    keys = list(dict.fromkeys((p[1], p[2]) for p in parts if p[0] == "slot"))

    def rank(item: tuple[str, bool]) -> int:
        key, agree = item
        etype, cat = key.split("#")[0].split(".")
        if agree:
            return 0
        if etype in EVENT_TYPES:
            return 4
        return {"city": 1, "area": 2}.get(cat, 3) if etype == "LOC" else 3

    return sorted(keys, key=rank)


def _fits(surface: str, etype: str, cat: str, country: set[str] | None, province: str | None) -> bool:
    """An entry fits when it shares a country with the sentence so far and, for an area, lies in its city's province."""
    bound = world.countries(surface, etype, cat)
    if bound is not None and country is not None and not country & set(bound):
        return False
    where = world.PROVINCES.get(surface)
    return not (province and where and cat == "area" and where != province)


def fill_slots(parts: list[Part], rng: random.Random, held_out: bool) -> tuple[dict[str, str], str]:
    """Pick a distinct surface form per slot key, all of one country and areas inside the city's province; return
    the values and the agreement gender. Raises DeadEnd when the choices so far leave a slot no candidate."""
    values: dict[str, str] = {}
    used: set[str] = set()
    gender = "m"
    country: set[str] | None = None
    province: str | None = None
    for key, agree in _fill_order(parts):
        etype, cat = key.split("#")[0].split(".")
        if etype in EVENT_TYPES:
            allowed = (gender,) if any(p[0] == "slot" and p[2] for p in parts) else ("m", "f")
        else:
            allowed = ("m", "f") if agree or etype != "PER" else ("m",)
        free_country = etype == "LOC" and cat == "country" and "#" in key

        candidates = [
            (s, g)
            for s, g in pool(etype, cat, held_out)
            if s not in used and g in allowed and _fits(s, etype, cat, None if free_country else country, province)
        ]
        if not candidates:
            raise DeadEnd(key)
        surface, g = rng.choice(candidates)
        bound = None if free_country else world.countries(surface, etype, cat)
        if bound is not None:
            country = set(bound) if country is None else country & set(bound)
        if etype == "LOC" and cat == "city" and "#" not in key:
            province = world.PROVINCES.get(surface)
        words = surface.split()
        has_surname = etype == "PER" and len(words) >= 2 and words[-1].startswith("ال") and words[0] != "أبو"
        if has_surname and rng.random() < SURNAME_ONLY_RATE:
            surface = words[-1]
        values[key] = surface
        used.add(surface)
        if agree:
            gender = g
    return values, gender


# --------------------------------------------------------------------------------------------- rendering
def choose(alternatives: str, rng: random.Random, gender: str) -> str:
    alt = rng.choice(alternatives.split("/"))
    if "~" in alt:
        masc, fem = alt.split("~")
        alt = fem if gender == "f" else masc
    return alt


def render_pieces(parts: list[Part], rng: random.Random, held_out: bool) -> list[Piece]:
    """Resolve a parsed template into (text, type-or-None) pieces."""
    for _ in range(RETRIES):
        try:
            values, gender = fill_slots(parts, rng, held_out)
            break
        except DeadEnd:
            continue
    else:
        raise AssertionError(f"no plausible filling after {RETRIES} tries: {parts}")
    pieces: list[Piece] = []
    for part in parts:
        if part[0] == "lit":
            pieces.append((part[1], None, [], {}))
        elif part[0] in ("alt", "homograph"):
            pieces.append((choose(part[1], rng, gender), None, [], {}))
        elif part[0] == "ann":
            pieces.append((choose(part[1], rng, gender), part[2], role_marks(part), part[4]))
        else:
            pieces.append((values[part[1]], part[1].split("#")[0].split(".")[0], role_marks(part), part[4]))
    return pieces


def is_letter(ch: str) -> bool:
    return "\u0621" <= ch <= "\u064a"


def add_tatweel(word: str, rng: random.Random) -> str:
    """Insert a tatweel after a connecting letter that is followed by another letter."""
    spots = [
        i + 1
        for i in range(len(word) - 1)
        if is_letter(word[i]) and word[i] not in NON_CONNECTING and is_letter(word[i + 1])
    ]
    if word.startswith("ال") and 2 in spots:
        return word[:2] + TATWEEL + word[2:]
    if not spots:
        return word
    i = rng.choice(spots)
    return word[:i] + TATWEEL + word[i:]


def decorate(pieces: list[Piece], rng: random.Random) -> list[Piece]:
    """Add diacritics (known words) or a tatweel to one piece, preferably an annotated one."""
    order = [i for i, (_, label, _, _) in enumerate(pieces) if label] + [
        i for i, (text, label, _, _) in enumerate(pieces) if not label and text.strip()
    ]
    for i in order:
        text, label, role, attributes = pieces[i]
        words = text.split(" ")
        known = [j for j, w in enumerate(words) if w in lexicon.DIACRITIZED]
        if known:
            j = rng.choice(known)
            words[j] = lexicon.DIACRITIZED[words[j]]
        else:
            candidates = [j for j, w in enumerate(words) if len(w) >= 4]
            if not candidates:
                continue
            j = rng.choice(candidates)
            words[j] = add_tatweel(words[j], rng)
        new = " ".join(words)
        if new != text:
            return pieces[:i] + [(new, label, role, attributes)] + pieces[i + 1 :]
    return pieces


def assemble(pieces: list[Piece], rng: random.Random) -> dict:
    """Concatenate pieces into text, normalising spaces and punctuation, and record span offsets."""
    text = ""
    entities: list[list[Any]] = []
    events: list[list[Any]] = []
    marks: list[tuple[int, int, str]] = []  # (event index, entity index, role)
    for piece, label, roles, attributes in pieces:
        if label is None:
            for k, chunk in enumerate(piece.split("،")):
                if k:
                    text = text.rstrip(" ") + ("، " if rng.random() < COMMA_ATTACHED_RATE else " ، ")
                chunk = re.sub(r"\s+", " ", chunk)
                if not text or text.endswith(" "):
                    chunk = chunk.lstrip(" ")
                text += chunk
        else:
            start = len(text)
            text += piece
            span: list[Any] = [start, len(text), label] + ([attributes] if attributes else [])
            (entities if label in ENTITY_TYPES else events).append(span)
            marks += [(event, len(entities) - 1, role) for event, role in roles]
    text = text.rstrip(" ")
    r = rng.random()
    if r < PERIOD_RATES[0]:
        text += "."
    elif r < PERIOD_RATES[1]:
        text += " ."
    arguments = [list(mark) for mark in sorted(marks)]
    return {"text": text, "entities": entities, "events": events, "arguments": arguments}


def render(code: str, parts: list[Part], rng: random.Random, held_out: bool) -> dict:
    pieces = render_pieces(parts, rng, held_out)
    if rng.random() < DECORATION_RATE:
        pieces = decorate(pieces, rng)
    record = assemble(pieces, rng)
    record["labels"] = [LABEL_CODES[c] for c in code]
    return record


# --------------------------------------------------------------------------------------------- splits
def generate(
    templates: list[tuple[str, str]], split: str, rng: random.Random, held_out: bool, seen: set[str]
) -> list[list[dict]]:
    """`per_template` unique sentences per template (unique against `seen`, which is updated)."""
    groups = []
    for code, template in templates:
        parts, tries, n = parse(template), 0, per_template(split, template)
        group: list[dict] = []
        while len(group) < n:
            tries += 1
            assert tries < 200 * n, f"cannot make {n} unique sentences from: {template}"
            record = render(code, parts, rng, held_out)
            if record["text"] not in seen:
                seen.add(record["text"])
                group.append(record)
        groups.append(group)
    return groups


TEMPLATES = {"train": TRAIN_TEMPLATES, "dev": DEV_TEMPLATES, "test": TEST_TEMPLATES}


def build_with_templates() -> dict[str, list[tuple[int, dict]]]:
    """Each split from its own templates (no template feeds two splits), sentences unique across splits, each record
    with the index of its template in the split's template list (what a template-level bootstrap resamples)."""
    seen: set[str] = set()
    rng = random.Random(SEED)
    splits: dict[str, list[tuple[int, dict]]] = {}
    for name, templates in TEMPLATES.items():
        for code, template in templates:
            validate_template(code, template)
        groups = generate(templates, name, rng, held_out=HELD_OUT[name], seen=seen)
        splits[name] = [(index, record) for index, group in enumerate(groups) for record in group]
        rng.shuffle(splits[name])
    return splits


def build() -> dict[str, list[dict]]:
    """The three splits' records, in file order."""
    return {name: [record for _, record in rows] for name, rows in build_with_templates().items()}


def write(splits: dict[str, list[dict]]) -> None:
    for name, records in splits.items():
        with open(OUT_DIR / f"{name}.jsonl", "w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")


# --------------------------------------------------------------------------------------------- self-check
def is_punct(ch: str) -> bool:
    return unicodedata.category(ch).startswith("P")


def check_record(r: dict) -> None:
    text = r["text"]
    assert list(r) == ["text", "entities", "events", "arguments", "labels"], r
    for event, entity, role in r["arguments"]:
        assert role_problem(r["events"][event][2], r["entities"][entity][2], role) is None, (role, text)
    assert 8 <= len(text.split()) <= MAX_WORDS, f"length {len(text.split())}: {text}"
    assert 1 <= len(r["labels"]) <= 2 and set(r["labels"]) <= set(LABEL_CODES.values()), r
    for layer, types in (("entities", ENTITY_TYPES), ("events", EVENT_TYPES)):
        spans = [span[:3] for span in r[layer]]
        assert spans == sorted(spans), f"unsorted {layer}: {text}"
        for k, (s, e, t) in enumerate(spans):
            assert t in types and 0 <= s < e <= len(text), (s, e, t, text)
            surface = text[s:e]
            assert surface == surface.strip(), f"span with surrounding space: {surface!r}"
            assert not (is_punct(surface[0]) or is_punct(surface[-1])), f"punctuation in span: {surface!r}"
            assert k == 0 or spans[k - 1][1] <= s, f"overlapping {layer}: {text}"
            prefix = text[text.rfind(" ", 0, s) + 1 : s].lstrip("«")  # an opening quote is punctuation
            assert not prefix or prefix in PROCLITICS, f"span starts inside a word after {prefix!r}: {text}"
            assert e == len(text) or text[e] == " " or is_punct(text[e]), f"span ends inside a word: {text}"


def check(splits: dict[str, list[dict]]) -> None:
    for name, templates in TEMPLATES.items():
        assert len(templates) >= MIN_TEMPLATES[name], f"too few {name} templates"
    skeletons = {name: {t for _, t in templates} for name, templates in TEMPLATES.items()}
    assert not (skeletons["train"] & skeletons["dev"] or skeletons["train"] & skeletons["test"]
                or skeletons["dev"] & skeletons["test"]), "a template feeds two splits"  # fmt: skip
    check_consistency(splits)
    texts = [r["text"] for records in splits.values() for r in records]
    assert len(texts) == len(set(texts)), "duplicate sentences across splits"
    stats = {}
    for name, records in splits.items():
        assert len(records) >= MIN_SENTENCES[name], f"{name}: only {len(records)} sentences"
        c: Counter[str] = Counter()
        for r in records:
            check_record(r)
            c.update(span[2] for span in r["entities"] + r["events"])
            for event in r["events"]:
                attributes = event[3] if len(event) > 3 else {}
                c.update(f"  {value}" for value in attributes.values())
                c["reported"] += is_reported(Factuality(**attributes))
            c.update(r["labels"])
            c["no event"] += not r["events"]
            c["arguments"] += len(r["arguments"])
            c.update(f"  {role}" for _, _, role in r["arguments"])
            c["2+ events"] += len(r["events"]) >= 2
            starts = [span[0] for span in r["entities"] + r["events"]]
            c["proclitic span"] += any(s > 0 and r["text"][s - 1] != " " for s in starts)
            c["diacritic/tatweel"] += bool(re.search("[\u064b-\u0652" + TATWEEL + "]", r["text"]))
        for t in EVENT_TYPES:
            assert c[t] >= MIN_EVENTS[name], f"{name}: {t} only {c[t]}"
        assert 2 * c["no event"] >= len(records), f"{name}: only {c['no event']} of {len(records)} have no event"
        for t in ENTITY_TYPES:
            assert c[t] >= MIN_ENTITIES[name], f"{name}: {t} only {c[t]}"
        c["sentences"] = len(records)
        stats[name] = c
    print_summary(splits, stats)


def print_summary(splits: dict[str, list[dict]], stats: dict[str, Counter]) -> None:
    roles = [f"  {role}" for role in dict.fromkeys(r for event in ROLES.values() for r in event)]
    attributes = [f"  {value}" for values in ATTRIBUTES.values() for value in values[1:]]
    extra = ["arguments", *roles, "reported", *attributes, "no event", "2+ events", "proclitic span",
             "diacritic/tatweel"]  # fmt: skip
    rows = ["sentences", *ENTITY_TYPES, *EVENT_TYPES, *LABEL_CODES.values(), *extra]
    print(f"{'':18}" + "".join(f"{name:>8}" for name in splits))
    for row in rows:
        print(f"{row:18}" + "".join(f"{stats[name][row]:>8}" for name in splits))
    print(f"templates: train {len(TRAIN_TEMPLATES)}, dev {len(DEV_TEMPLATES)}, test {len(TEST_TEMPLATES)} (disjoint)")
    for layer in ("entities", "events"):
        for name in ("dev", "test"):
            unseen, total = unseen_share(splits, layer, name)
            print(f"{name} {layer} mentions unseen in train: {unseen}/{total} = {unseen / total:.0%}")


def unseen_share(splits: dict[str, list[dict]], layer: str, name: str) -> tuple[int, int]:
    """Mentions of a split's `layer` whose (type, string) is never annotated in train."""
    seen = {(span[2], r["text"][span[0] : span[1]]) for r in splits["train"] for span in r[layer]}
    mentions = [(span[2], r["text"][span[0] : span[1]]) for r in splits[name] for span in r[layer]]
    return sum(m not in seen for m in mentions), len(mentions)


def check_consistency(splits: dict[str, list[dict]]) -> None:
    """No string annotated one way in one place and another way, or not at all, elsewhere (`hadath data check`)."""
    settings = NormalizerSettings.preset("default")
    sentences = [parse_record(r, Path(f"{name}.jsonl"), i + 1) for name, rs in splits.items() for i, r in enumerate(rs)]
    found = find_inconsistencies(sentences, lambda word: normalize_word(word, settings))
    # The hard negatives write these trigger forms in another sense on purpose (lexicon.HOMOGRAPHS).
    homographs = {normalize_word(form, settings) for form in lexicon.HOMOGRAPHS}
    problems = [entry.describe() for entries in found.values() for entry in entries if entry.text not in homographs]
    assert not problems, "inconsistent annotation:\n" + "\n".join(problems[:20])


def main() -> int:
    splits = build()
    write(splits)
    check(splits)
    print("self-check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
