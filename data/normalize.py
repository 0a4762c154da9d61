"""Arabic text normalization that keeps a character offset map back into the original text.

This module owns the normalizer settings (and their named presets), the character tables they
induce, and the mapping of normalized spans back to original spans. Every transformation replaces
one character by zero, one or several characters (a presentation-form ligature such as U+FEFB
becomes lam + alef), so normalizing a substring gives the corresponding substring of the normalized
text, and the offset map sends each normalized character back to the one it came from.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, fields
from functools import lru_cache

from hadath.config import NormalizePreset

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

    @classmethod
    def preset(cls, name: NormalizePreset) -> NormalizerSettings:
        """Return the named preset settings."""
        try:
            return _PRESETS[name]
        except KeyError:
            raise ValueError(f"unknown normalizer preset {name!r}; valid: {sorted(_PRESETS)}") from None

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
_PRESETS: dict[NormalizePreset, NormalizerSettings] = {
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
    what a replacement gives is never replaced again."""
    return {chr(code): value or "" for code, value in _tables(settings)[0].items()}


def normalize_word(word: str, settings: NormalizerSettings) -> str:
    """Return the normalized string only, without building an offset map."""
    return word.translate(_tables(settings)[0])


def normalize(text: str, settings: NormalizerSettings) -> NormalizedText:
    """Normalize text and record where each normalized char came from in the original."""
    table, resized = _tables(settings)
    normalized = text.translate(table)
    if resized.search(text) is None:  # every char became one char: the map is the identity
        return NormalizedText(text, normalized, tuple(range(len(text) + 1)))
    offset_map: list[int] = []
    for index, char in enumerate(text):
        replacement = table.get(ord(char), char)
        offset_map.extend([index] * len(replacement or ""))
    offset_map.append(len(text))
    return NormalizedText(text, normalized, tuple(offset_map))
