"""Arabic text normalization that keeps a character offset map back into the original text.

This module owns the normalizer settings (and their named presets), the character tables they
induce, and the mapping of normalized spans back to original spans. Every transformation replaces
one character by zero, one or several characters (a presentation-form ligature such as U+FEFB
becomes lam + alef), and the offset map sends each normalized character back to the one it came from.
Two steps look at a character's neighbours: a Persian yeh that ends a word becomes alef maksura, and a
word whose every character would be removed (a bare tatweel, a lone shadda) keeps them instead, so
no word is ever normalized to nothing. Away from those, normalizing a substring gives the
corresponding substring of the normalized text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, fields, replace
from functools import lru_cache

from hadath.config import NormalizePreset
from hadath.data.words import INVISIBLE, JOINERS

_TATWEEL = "\u0640"
_DIACRITICS = "".join(
    chr(cp)
    for lo, hi in ((0x064B, 0x0652), (0x0670, 0x0670), (0x0610, 0x061A), (0x06D6, 0x06ED))
    for cp in range(lo, hi + 1)
)
_INVISIBLE = "".join(
    chr(cp)
    for lo, hi in (
        (0x200B, 0x200F),
        (0x202A, 0x202E),
        (0x2066, 0x2069),
        (0xFEFF, 0xFEFF),
        (0x061C, 0x061C),
        (0xAD, 0xAD),
    )
    for cp in range(lo, hi + 1)
)
_ALEF = {"\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627"}
_YA = {"\u0649": "\u064a"}
_TEH_MARBUTA = {"\u0629": "\u0647"}
_DIGITS = {chr(0x0660 + d): str(d) for d in range(10)} | {chr(0x06F0 + d): str(d) for d in range(10)}
# Persian and Urdu code points for letters Arabic writes with others (a Persian keyboard types keheh for kaf, farsi
# yeh for yeh); to the Arabic letter a model trained on Arabic text has seen.
_PERSIAN = {
    "ی": "ي",  # ی farsi yeh -> ي
    "ې": "ي",  # ې yeh with two dots below
    "ے": "ي",  # ے yeh barree -> ي
    "ک": "ك",  # ک keheh -> ك
    "ڪ": "ك",  # ڪ swash kaf
    "ۀ": "ه",  # ۀ heh with yeh above -> ه
    "ہ": "ه",  # ہ heh goal -> ه
    "ە": "ه",  # ە ae -> ه
    "ھ": "ه",  # ھ heh doachashmee -> ه
    "ۃ": "ة",  # ۃ teh marbuta goal -> ة
}
# A Persian keyboard has one yeh, so Arabic typed on it writes alef maksura as ی too (علی for على): at the end of a word
# it is alef maksura, elsewhere yeh. "End" means no letter or digit of the word follows, past the characters Arabic
# shaping calls transparent (marks, tatweel, soft hyphen) and joiners inside the word (hadath/data/words.py's rule).
PERSIAN_YEH = "\u06cc"
_ALEF_MAKSURA = "\u0649"
TRANSPARENT = (
    frozenset(
        chr(cp)
        for lo, hi in ((0x0300, 0x036F), (0x0610, 0x061A), (0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED))
        for cp in range(lo, hi + 1)
        if unicodedata.category(chr(cp)) in ("Mn", "Me")
    )
    | frozenset(chr(cp) for cp in range(0xFE70, 0xFE80) if unicodedata.category(chr(cp)) != "Cn")
    | {"\u0640", "\xad"}
)
# Arabic Presentation Forms-A and -B: contextual glyph code points from legacy encodings and PDFs.
_PRESENTATION = [chr(cp) for lo, hi in ((0xFB50, 0xFDFF), (0xFE70, 0xFEFC)) for cp in range(lo, hi + 1)]


@dataclass(frozen=True)
class NormalizerSettings:
    """Which normalization steps to apply; hashable so derived tables can be cached per settings."""

    remove_tatweel: bool = True
    remove_diacritics: bool = True
    remove_invisible: bool = True
    # Hamza-less alef (احمد for أحمد) is how much web and social text is written, and Arabic-Indic digits (٢٧) mean
    # what Latin ones do: the default folds both (benchmarks/robustness.py, hamza_forms and digits perturbations).
    unify_alef: bool = True
    unify_ya: bool = False
    unify_teh_marbuta: bool = False
    arabic_digits_to_latin: bool = True
    fold_persian: bool = True
    fold_presentation_forms: bool = True
    # With fold_persian: a word-final ی becomes alef maksura (علی -> على) instead of yeh. Off by default: on ANERcorp
    # test, of 8,697 words with ي or ى typed as ی, folding ی to ي everywhere gives back 7,960 and this rule 5,947
    # (words end in ي 2,750 times, in ى 736: فی is في far more often than فى). For text known to be otherwise.
    final_yeh_as_alef_maksura: bool = False

    @classmethod
    def preset(cls, name: NormalizePreset) -> NormalizerSettings:
        """Return the named preset settings."""
        try:
            return PRESETS[name]
        except KeyError:
            raise ValueError(f"unknown normalizer preset {name!r}; valid: {sorted(PRESETS)}") from None

    def to_dict(self) -> dict[str, bool]:
        """Return the settings as a plain dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, bool]) -> NormalizerSettings:
        """Build settings from a dict; missing keys keep their defaults."""
        valid = {f.name for f in fields(cls)}
        for key, value in d.items():
            if key not in valid:
                raise ValueError(f"unknown normalizer setting {key!r}; valid: {sorted(valid)}")
            # A config string like "false" is truthy and would silently enable the step.
            if not isinstance(value, bool):
                raise TypeError(f"normalizer setting {key!r} must be a bool, got {type(value).__name__}")
        return cls(**d)


# One entry per `NormalizePreset` (hadath/config.py); tests/test_choices.py checks that the two agree.
PRESETS: dict[NormalizePreset, NormalizerSettings] = {
    "none": NormalizerSettings(
        remove_tatweel=False,
        remove_diacritics=False,
        remove_invisible=False,
        unify_alef=False,
        unify_ya=False,
        unify_teh_marbuta=False,
        arabic_digits_to_latin=False,
        fold_persian=False,
        fold_presentation_forms=False,
    ),
    "default": NormalizerSettings(),
    "arabert-v02": NormalizerSettings(
        remove_tatweel=True,
        remove_diacritics=True,
        remove_invisible=True,
        unify_alef=False,
        unify_ya=False,
        unify_teh_marbuta=False,
        arabic_digits_to_latin=False,
    ),
    # For an encoder whose vocabulary was learned on real, un-unified text (XLM-R's SentencePiece, mBERT): only what
    # never changes a word's spelling. Unifying alef forms or digits splits words into more pieces there.
    "pretrained": NormalizerSettings(
        remove_tatweel=True,
        remove_diacritics=True,
        remove_invisible=True,
        unify_alef=False,
        unify_ya=False,
        unify_teh_marbuta=False,
        arabic_digits_to_latin=False,
        fold_persian=True,
        fold_presentation_forms=True,
    ),
    "aggressive": NormalizerSettings(
        remove_tatweel=True,
        remove_diacritics=True,
        remove_invisible=True,
        unify_alef=True,
        unify_ya=True,
        unify_teh_marbuta=True,
        arabic_digits_to_latin=True,
    ),
}


def preset_names(settings: NormalizerSettings) -> list[NormalizePreset]:
    """The presets these settings are (two presets may agree), in the order `NormalizePreset` lists them."""
    return [name for name, preset in PRESETS.items() if preset == settings]


@dataclass(frozen=True)
class NormalizedText:
    """Normalized text plus, for each normalized char, its index in the original text."""

    original: str
    text: str
    offset_map: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized [start, end) span to the original [start, end) span."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span [{start}, {end}) out of range for normalized length {len(self.text)}")
        if start == end:
            return self.offset_map[start], self.offset_map[start]
        # Deleted chars after the last kept char lie outside the span, so end there rather than at map[end].
        return self.offset_map[start], self.offset_map[end - 1] + 1


@lru_cache(maxsize=64)
def _tables(settings: NormalizerSettings) -> tuple[dict[int, str | None], re.Pattern[str]]:
    """The str.translate table for these settings, and a pattern matching every char whose replacement is not
    exactly one char (so a text it does not match has the identity offset map)."""
    deleted = ""
    if settings.remove_tatweel:
        deleted += _TATWEEL
    if settings.remove_diacritics:
        deleted += _DIACRITICS
    if settings.remove_invisible:
        deleted += _INVISIBLE
    substituted: dict[str, str] = {}
    if settings.fold_persian:
        substituted |= _PERSIAN
    if settings.unify_alef:
        substituted |= _ALEF
    if settings.unify_ya:
        substituted |= _YA
    if settings.unify_teh_marbuta:
        substituted |= _TEH_MARBUTA
    if settings.arabic_digits_to_latin:
        substituted |= _DIGITS
    table: dict[int, str | None] = {ord(ch): None for ch in deleted}
    table.update({ord(src): dst for src, dst in substituted.items()})
    if settings.fold_presentation_forms:
        for char in _PRESENTATION:
            folded = unicodedata.normalize("NFKC", char)
            if folded != char:
                # The other steps apply to what NFKC gives (an isolated fatha form is " \u064e": nothing is left).
                table[ord(char)] = folded.translate(table).strip() or None
    resized = [chr(code) for code, value in table.items() if value is None or len(value) != 1]
    pattern = re.compile("[" + re.escape("".join(resized)) + "]") if resized else re.compile("(?!)")
    return table, pattern


def replacements(settings: NormalizerSettings) -> dict[str, str]:
    """Every character these settings change, with what it becomes ("" when it is deleted), applied in one pass:
    what a replacement gives is never replaced again. A Persian yeh that ends a word becomes `final_yeh` instead."""
    return {chr(code): value or "" for code, value in _tables(settings)[0].items()}


def final_yeh(settings: NormalizerSettings) -> str | None:
    """What a word-final Persian yeh becomes (alef maksura, or yeh where the settings unify the two); None when
    Persian letters are not folded or the rule is off (a final ی is then folded like any other)."""
    if not (settings.fold_persian and settings.final_yeh_as_alef_maksura):
        return None
    return _ALEF_MAKSURA.translate(_tables(settings)[0])


@lru_cache(maxsize=64)
def fallback_settings(settings: NormalizerSettings) -> NormalizerSettings:
    """What a word that would normalize to nothing is normalized with instead: its tatweel and marks kept."""
    return replace(settings, remove_tatweel=False, remove_diacritics=False)


def _in_word(char: str) -> bool:
    """A character that continues a word (hadath/data/words.py: not a space, an invisible separator or punctuation)."""
    return not (char.isspace() or char in INVISIBLE or unicodedata.category(char).startswith("P"))


def _ends_word(text: str, index: int) -> bool:
    """Whether no letter or digit of the same word starts at `index` (past transparent marks and inner joiners)."""
    while index < len(text):
        char = text[index]
        inner_joiner = char in JOINERS and index + 1 < len(text) and _in_word(text[index + 1])
        if char not in TRANSPARENT and not inner_joiner:
            return not char.isalnum()
        index += 1
    return True


def _with_final_yeh(text: str, settings: NormalizerSettings) -> str:
    """The text with each word-final Persian yeh already replaced (one char for one: offsets do not move)."""
    target = final_yeh(settings)
    if target is None or PERSIAN_YEH not in text:
        return text
    return "".join(
        target if char == PERSIAN_YEH and _ends_word(text, index + 1) else char for index, char in enumerate(text)
    )


def _shows(text: str) -> bool:
    """Something a tokenizer can give a piece: a character other than a joiner."""
    return any(char not in JOINERS for char in text)


def normalize_word(word: str, settings: NormalizerSettings) -> str:
    """Return the normalized string only, without building an offset map; never empty for a non-empty word."""
    for step in (settings, fallback_settings(settings)):
        normalized = _with_final_yeh(word, step).translate(_tables(step)[0])
        if _shows(normalized):
            return normalized
    return word


def normalize(text: str, settings: NormalizerSettings) -> NormalizedText:
    """Normalize text and record where each normalized char came from in the original; a text that would vanish
    whole keeps its tatweel and marks (or, made only of invisible marks, stays as it is)."""
    for step in (settings, fallback_settings(settings)):
        result = _normalized(text, step)
        if _shows(result.text):
            return result
    return NormalizedText(text, text, tuple(range(len(text) + 1)))


def _normalized(text: str, settings: NormalizerSettings) -> NormalizedText:
    table, resized = _tables(settings)
    normalized = _with_final_yeh(text, settings).translate(table)
    if resized.search(text) is None:  # every char became one char: the map is the identity
        return NormalizedText(text, normalized, tuple(range(len(text) + 1)))
    offset_map: list[int] = []
    for index, char in enumerate(text):
        replacement = table.get(ord(char), char)
        offset_map.extend([index] * len(replacement or ""))
    offset_map.append(len(text))
    return NormalizedText(text, normalized, tuple(offset_map))
