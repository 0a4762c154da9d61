"""Tests for hadath.data.normalize: concrete examples, presets, and offset-map properties."""

from __future__ import annotations

import dataclasses
from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hadath.config import NormalizePreset
from hadath.data.normalize import NormalizedText, NormalizerSettings, normalize, normalize_word, replacements

DEFAULT = NormalizerSettings.preset("default")
AGGRESSIVE = NormalizerSettings.preset("aggressive")
NONE = NormalizerSettings.preset("none")

_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآٱىة"
_DIACRITICS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0610\u061a\u06d6\u06ed"
_INVISIBLE = "\u200b\u200c\u200f\u202a\u202e\u2066\u2069\ufeff\u061c\u00ad"
_DIGITS = "٠٣٩۰۵۹"
_ALPHABET = _LETTERS + _DIACRITICS + "\u0640" + _INVISIBLE + _DIGITS + "abcXYZ019 "

texts = st.text(alphabet=_ALPHABET, max_size=40)
all_settings = st.builds(
    NormalizerSettings,
    remove_tatweel=st.booleans(),
    remove_diacritics=st.booleans(),
    remove_invisible=st.booleans(),
    unify_alef=st.booleans(),
    unify_ya=st.booleans(),
    unify_teh_marbuta=st.booleans(),
    arabic_digits_to_latin=st.booleans(),
)


def test_tatweel_removed_and_span_maps_back() -> None:
    result = normalize("الـعـراق", DEFAULT)
    assert result.text == "العراق"
    assert result.offset_map == (0, 1, 3, 5, 6, 7, 8)
    # "عراق" is normalized [2, 6); the interior tatweel is part of the original span.
    assert result.to_original(2, 6) == (3, 8)
    assert result.original[3:8] == "عـراق"
    # "ل" alone must not swallow the tatweel that follows it.
    assert result.to_original(1, 2) == (1, 2)


def test_empty_span_maps_to_empty_span() -> None:
    result = normalize("الـعـراق", DEFAULT)
    assert result.to_original(2, 2) == (3, 3)
    assert result.to_original(6, 6) == (8, 8)


def test_to_original_rejects_out_of_range_span() -> None:
    result = normalize("بغداد", DEFAULT)
    with pytest.raises(ValueError):
        result.to_original(3, 6)
    with pytest.raises(ValueError):
        result.to_original(3, 2)


def test_diacritics_removed() -> None:
    result = normalize("مُحَمَّد", DEFAULT)
    assert result.text == "محمد"
    assert result.offset_map == (0, 2, 4, 7, 8)
    assert result.to_original(0, 4) == (0, 8)
    assert result.to_original(2, 3) == (4, 5)


def test_diacritics_kept_when_disabled() -> None:
    word = "مُحَمَّد"
    assert normalize(word, NormalizerSettings(remove_diacritics=False)).text == word


def _chars(*ranges: tuple[int, int]) -> str:
    return "".join(chr(cp) for lo, hi in ranges for cp in range(lo, hi + 1))


# The full character classes from the spec, written out independently of the module's own tables.
_SPEC_CLASSES = {
    "remove_tatweel": _chars((0x0640, 0x0640)),
    "remove_diacritics": _chars((0x064B, 0x0652), (0x0670, 0x0670), (0x0610, 0x061A), (0x06D6, 0x06ED)),
    "remove_invisible": _chars(
        (0x200B, 0x200F), (0x202A, 0x202E), (0x2066, 0x2069), (0xFEFF, 0xFEFF), (0x061C, 0x061C), (0xAD, 0xAD)
    ),
}


@pytest.mark.parametrize("flag", sorted(_SPEC_CLASSES))
def test_each_removal_class_is_complete_and_gated(flag: str) -> None:
    chars = _SPEC_CLASSES[flag]
    only_flag = NormalizerSettings.from_dict({**NONE.to_dict(), flag: True})
    assert normalize_word("ب" + chars, only_flag) == "ب"  # a letter to show: no word is normalized to nothing
    assert normalize_word(chars, NONE) == chars
    others = "".join(c for name, cs in _SPEC_CLASSES.items() if name != flag for c in cs)
    assert normalize_word("ب" + others, only_flag) == "ب" + others


def test_neighbours_of_removed_ranges_are_kept() -> None:
    # Hamza above/below and maddah sit right after the harakat block but are not diacritics to remove.
    kept = "\u0653\u0654\u0655\u060c\u061b\u061f\u200a\u2010\u2065\u06ee"
    assert normalize_word(kept, AGGRESSIVE) == kept


def test_bidi_mark_glued_to_token() -> None:
    result = normalize("\u200fبغداد", DEFAULT)
    assert result.text == "بغداد"
    assert result.offset_map == (1, 2, 3, 4, 5, 6)
    # The leading mark is outside the token, so the original span excludes it.
    assert result.to_original(0, 5) == (1, 6)


def test_alef_unified_only_when_enabled() -> None:
    word = "أحمد إلى آمن ٱلله"
    assert normalize(word, NormalizerSettings(unify_alef=False)).text == word
    assert normalize(word, NONE).text == word
    assert normalize(word, NormalizerSettings.preset("arabert-v02")).text == word
    result = normalize(word, DEFAULT)  # hamza-less writing is common: the default unifies alef forms
    assert result.text == "احمد الى امن الله"
    assert result.offset_map == tuple(range(len(word) + 1))


def test_other_substitutions() -> None:
    s = NormalizerSettings(unify_ya=True, unify_teh_marbuta=True, arabic_digits_to_latin=True)
    assert normalize_word("على مدرسة ٢٠٢٤ ۱۹", s) == "علي مدرسه 2024 19"
    assert normalize_word("على مدرسة ٢٠٢٤", DEFAULT) == "على مدرسة 2024"  # digits folded by default
    assert normalize_word("على مدرسة ٢٠٢٤", NONE) == "على مدرسة ٢٠٢٤"


def test_substitution_and_deletion_together() -> None:
    result = normalize("إِلـى", AGGRESSIVE)
    assert result.text == "الي"
    assert result.offset_map == (0, 2, 4, 5)


def test_presets() -> None:
    assert set(NONE.to_dict().values()) == {False}
    # Every step on, but the word-final alef maksura rule, which corpus evidence keeps off everywhere.
    assert {k for k, v in AGGRESSIVE.to_dict().items() if not v} == {"final_yeh_as_alef_maksura"}
    assert NormalizerSettings.preset("default") == NormalizerSettings()
    arabert = NormalizerSettings.preset("arabert-v02")
    assert arabert.remove_tatweel and arabert.remove_diacritics and arabert.remove_invisible
    assert not (arabert.unify_alef or arabert.unify_ya or arabert.unify_teh_marbuta)
    assert not arabert.arabic_digits_to_latin


def test_unknown_preset_names_valid_ones() -> None:
    with pytest.raises(ValueError, match="aggressive"):
        NormalizerSettings.preset("arabert")


def test_dict_round_trip() -> None:
    s = NormalizerSettings(unify_alef=True, remove_tatweel=False)
    assert NormalizerSettings.from_dict(s.to_dict()) == s
    assert NormalizerSettings.from_dict({}) == NormalizerSettings()


def test_from_dict_unknown_key() -> None:
    with pytest.raises(ValueError, match="unify_hamza"):
        NormalizerSettings.from_dict({"unify_alef": True, "unify_hamza": True})


def test_from_dict_rejects_non_bool() -> None:
    with pytest.raises(TypeError, match="unify_alef"):
        NormalizerSettings.from_dict({"unify_alef": "false"})  # type: ignore[dict-item]


@given(texts, all_settings)
@settings(max_examples=300)
def test_offset_map_shape(text: str, s: NormalizerSettings) -> None:
    result = normalize(text, s)
    m = result.offset_map
    assert len(m) == len(result.text) + 1
    assert m[-1] == len(text)
    assert all(0 <= m[i] < m[i + 1] for i in range(len(result.text)))
    # Each normalized char comes from exactly the original char the map points at.
    assert all(normalize_word(text[m[i]], s) == result.text[i] for i in range(len(result.text)))


@given(texts, all_settings, st.data())
@settings(max_examples=300)
def test_span_round_trip(text: str, s: NormalizerSettings, data: st.DataObject) -> None:
    result = normalize(text, s)
    n = len(result.text)
    start = data.draw(st.integers(0, n))
    end = data.draw(st.integers(start, n))
    os, oe = result.to_original(start, end)
    assert 0 <= os <= oe <= len(text)
    assert normalize(text[os:oe], s).text == result.text[start:end]
    if end > start:
        # Minimal span: both edge chars survive normalization, so no removed char sits at an edge.
        assert normalize_word(text[os], s) and normalize_word(text[oe - 1], s)
    else:
        assert os == oe


@given(texts)
def test_every_normalized_span_round_trips(text: str) -> None:
    result = normalize(text, AGGRESSIVE)
    n = len(result.text)
    for start in range(n):
        for end in range(start + 1, n + 1):
            os, oe = result.to_original(start, end)
            assert normalize(text[os:oe], AGGRESSIVE).text == result.text[start:end]


@given(texts)
def test_preset_none_is_identity(text: str) -> None:
    result = normalize(text, NONE)
    assert result == NormalizedText(text, text, tuple(range(len(text) + 1)))


@given(texts, all_settings)
def test_normalize_word_matches_normalize(text: str, s: NormalizerSettings) -> None:
    assert normalize_word(text, s) == normalize(text, s).text


def test_persian_and_urdu_letters_fold_to_arabic() -> None:
    result = normalize("کتاب یک ہفتہ ۃ ے", DEFAULT)
    assert result.text == "كتاب يك هفته ة ي"
    assert result.offset_map == tuple(range(len(result.original) + 1))
    assert normalize_word("کتاب", NONE) == "کتاب"
    assert normalize_word("کتاب", NormalizerSettings(fold_persian=False)) == "کتاب"


def test_presentation_forms_fold_with_a_one_to_many_offset_map() -> None:
    assert normalize_word("ﺑﻐﺪﺍﺩ", DEFAULT) == "بغداد"
    result = normalize("ﻻ ﺑﻬﺎ", DEFAULT)  # lam-alef ligature: one char, two letters
    assert result.text == "لا بها"
    assert result.offset_map == (0, 0, 1, 2, 3, 4, 5)
    assert result.to_original(0, 2) == (0, 1) and result.to_original(1, 2) == (0, 1)
    assert result.to_original(3, 6) == (2, 5)
    # An isolated harakah form is a diacritic: removed with the others (never a stray space).
    assert normalize_word("ب\ufe76", DEFAULT) == "ب"
    assert normalize_word("ﻻ", NONE) == "ﻻ"


def test_presentation_forms_follow_the_other_steps() -> None:
    assert normalize_word("\ufe83", NormalizerSettings(unify_alef=True)) == "ا"  # isolated alef with hamza above
    assert normalize_word("\ufe83", NormalizerSettings(unify_alef=False)) == "أ"
    assert normalize_word("\ufb8e", DEFAULT) == "ك"  # isolated keheh: NFKC, then the Persian fold


_WIDE_ALPHABET = _ALPHABET + "ﻻﻼﺑﻬﺎﷲ\ufdfaﺃ\ufe76کہۃے"
wide_texts = st.text(alphabet=_WIDE_ALPHABET, max_size=40)


@given(wide_texts, all_settings, st.booleans(), st.booleans())
@settings(max_examples=300)
def test_offset_map_with_expansions(text: str, s: NormalizerSettings, persian: bool, forms: bool) -> None:
    from dataclasses import replace

    s = replace(s, fold_persian=persian, fold_presentation_forms=forms)
    text = "ب" + text  # a letter that stays, so the text never falls back to keeping its marks
    result = normalize(text, s)
    m = result.offset_map
    assert len(m) == len(result.text) + 1 and m[-1] == len(text)
    assert all(0 <= m[i] <= m[i + 1] for i in range(len(result.text)))
    # The normalized chars that point at an original char are exactly what the table makes of that char.
    table = replacements(s)
    for index, char in enumerate(text):
        assert "".join(c for c, source in zip(result.text, m, strict=False) if source == index) == table.get(char, char)
    # A span that starts and ends on whole expansions round-trips.
    edges = [i for i in range(len(result.text) + 1) if i in (0, len(result.text)) or m[i] != m[i - 1]]
    for start in edges:
        for end in (e for e in edges if e > start):
            os, oe = result.to_original(start, end)
            assert normalize(text[os:oe], s).text == result.text[start:end]


PRESETS: tuple[NormalizePreset, ...] = get_args(NormalizePreset)
VANISHING = ["ـ", "ـــ", "\u0651", "\u064e\u0651", "ـ\u064e", "\ufe76", "ـ\u200c", "\u00ad", "\u200f"]


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("word", VANISHING)
def test_no_word_is_normalized_to_nothing(preset: NormalizePreset, word: str) -> None:
    settings = NormalizerSettings.preset(preset)
    assert normalize_word(word, settings)
    result = normalize(word, settings)
    assert result.text == normalize_word(word, settings)
    assert len(result.offset_map) == len(result.text) + 1 and result.offset_map[-1] == len(word)


def test_a_word_that_would_vanish_keeps_its_tatweel_and_marks_but_not_invisible_ones() -> None:
    assert normalize_word("ـ", DEFAULT) == "ـ"
    assert normalize_word("ـ\u064e", DEFAULT) == "ـ\u064e"
    assert normalize_word("ـ\u200c", DEFAULT) == "ـ"  # the joiner still goes
    assert normalize_word("\ufe76", DEFAULT) == "\u064e"  # the isolated fatha form still folds to fatha
    assert normalize_word("\u00ad", DEFAULT) == "\u00ad"  # only invisible marks: kept as it is
    assert normalize_word("بـ", DEFAULT) == "ب"  # a word with a letter loses its tatweel as before
    result = normalize("ـ\u200cـ", DEFAULT)
    assert (result.text, result.offset_map) == ("ــ", (0, 2, 3))


@given(st.text(alphabet=_WIDE_ALPHABET + "ی", min_size=1, max_size=20), all_settings)
def test_a_non_empty_text_never_normalizes_to_nothing(text: str, s: NormalizerSettings) -> None:
    assert normalize_word(text, s)
    result = normalize(text, s)
    assert result.text == normalize_word(text, s)
    m = result.offset_map
    assert len(m) == len(result.text) + 1 and m[-1] == len(text) and list(m) == sorted(m)


def test_pretrained_preset_keeps_the_spelling_a_pretrained_vocabulary_learned() -> None:
    pretrained = NormalizerSettings.preset("pretrained")
    assert not (pretrained.unify_alef or pretrained.unify_ya or pretrained.unify_teh_marbuta)
    assert not pretrained.arabic_digits_to_latin
    assert normalize_word("أحمد إلى ٢٠٢٤", pretrained) == "أحمد إلى ٢٠٢٤"
    assert normalize_word("مُحَمَّـد\u200f", pretrained) == "محمد"  # marks, tatweel and bidi marks still go
    assert normalize_word("کتاب ﻻ", pretrained) == "كتاب لا"  # Persian letters and presentation forms still fold
    assert normalize_word("ـ", pretrained) == "ـ"


FINAL_MAKSURA = dataclasses.replace(DEFAULT, final_yeh_as_alef_maksura=True)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("علی", "على"),  # Arabic typed on a Persian keyboard: the final yeh is alef maksura
        ("علیها", "عليها"),  # inside a word it is yeh
        ("یحیی", "يحيى"),
        ("فی", "فى"),
        ("علیَ", "على"),  # past a mark it is still the end
        ("علیـ", "على"),  # and past a tatweel
        ("علی\u200cها", "عليها"),  # a joiner inside the word: letters follow
        ("علی\u200c", "على"),  # a joiner at the end: nothing follows
        ("علی2", "علي2"),  # a digit glued to it continues the word
        ("علی$", "على$"),
    ],
)
def test_word_final_persian_yeh_becomes_alef_maksura(word: str, expected: str) -> None:
    assert normalize_word(word, FINAL_MAKSURA) == expected
    result = normalize(word, FINAL_MAKSURA)
    assert result.text == expected
    assert result.offset_map == normalize(word.replace("ی", "ي"), FINAL_MAKSURA).offset_map  # one char for one


def test_word_final_persian_yeh_follows_the_other_settings() -> None:
    assert normalize_word("علی", dataclasses.replace(AGGRESSIVE, final_yeh_as_alef_maksura=True)) == "علي"
    assert normalize_word("علی", NONE) == "علی"
    assert normalize_word("علی", NormalizerSettings(fold_persian=False, final_yeh_as_alef_maksura=True)) == "علی"
    # In running text each word ends at a space, punctuation or an invisible separator.
    assert normalize("علی محمد،علی\u200fفی", FINAL_MAKSURA).text == "على محمد،على\u200fفى".replace("\u200f", "")


def test_without_the_switch_a_final_persian_yeh_is_yeh_as_elsewhere() -> None:
    # The corpus evidence (hadath/data/normalize.py): words end in ي far more often than in ى, so فی is في.
    for preset in ("default", "arabert-v02", "pretrained"):
        assert normalize_word("فی علی یحیی", NormalizerSettings.preset(preset)) == "في علي يحيي"
