"""The factuality cue lexicon: negation, modal and future particles, and which of them stand before each word.

One source for the cue rules the attribute head is measured against (`hadath/evaluation/factuality.py`) and for the
cue features the head itself can read (`model.factuality_cues`): a cue class found in the `CUE_WINDOW` words before a
word (a leading و/ف dropped, harakat and tatweel ignored) is a 1 in that word's row of `word_cues`, and `cue_prior`
gives the head's cue scores before training.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

CUE_WINDOW = 4
NEGATION_CUES = frozenset({"لم", "لن", "لا", "ليس", "دون", "بدون", "نفى", "نفت", "ينفي", "تنفي"})
MODAL_CUES = frozenset({"هدد", "هددت", "يهدد", "تهدد", "قد", "إذا", "اذا", "لو", "سوف", "لن", "يعتزم", "تعتزم"})
FUTURE_CUES = frozenset({"سوف", "لن"})
# The order of a `word_cues` row, and of the rows of the head's learned cue scores.
CUE_CLASSES = ("negation", "modal", "future")
# The attribute value each cue class gives in the cue rules, and the logit it adds there before training (`cue_prior`):
# a cue makes its value e² ≈ 7 times as likely, so the head starts out as the cue rules and learns how far to trust
# each cue from the training triggers.
CUE_VALUES = {"negation": ("polarity", "negative"), "modal": ("modality", "other"), "future": ("tense", "future")}
CUE_PRIOR = 2.0
# The future prefix س (or سـ) on a present-tense verb: سيعقد، ستنسحب، سننسحب، سأزور.
_FUTURE_PREFIX = re.compile(r"^[وف]?س[يتنأ]")
_UNMARKED = dict.fromkeys(map(ord, "\u0640\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"))  # tatweel, harakat


def cue_form(word: str) -> str:
    """The form a word is looked up in the lexicon by: no harakat or tatweel, a leading و/ف dropped."""
    word = word.translate(_UNMARKED)
    return word[1:] if word[:1] in ("و", "ف") and len(word) > 2 else word


def is_future_cue(form: str) -> bool:
    """A future particle, or a present-tense verb with the future prefix س."""
    return form in FUTURE_CUES or _FUTURE_PREFIX.match(form) is not None


def cue_prior(attributes: dict[str, list[str]]) -> list[list[float]]:
    """The head's cue scores before training [cue classes, every attribute's values side by side]: `CUE_PRIOR` on
    the value the cue rules give for each cue class, 0 elsewhere."""
    columns = [(name, value) for name, values in attributes.items() for value in values]
    return [[CUE_PRIOR if column == CUE_VALUES[cue] else 0.0 for column in columns] for cue in CUE_CLASSES]


def word_cues(words: Sequence[str]) -> list[tuple[float, float, float]]:
    """Per word, (negation, modal, future) as 0/1: a negation cue in the window before it; a modal or future cue in
    the window before it; a future cue in the window before it or the word itself future-marked."""
    forms = [cue_form(word) for word in words]
    rows = []
    for index, form in enumerate(forms):
        before = forms[max(0, index - CUE_WINDOW) : index]
        future = is_future_cue(form) or any(is_future_cue(f) for f in before)
        rows.append(
            (
                float(any(f in NEGATION_CUES for f in before)),
                float(future or any(f in MODAL_CUES for f in before)),
                float(future),
            )
        )
    return rows
