"""The exported tokenizer carries Hadath's normalization (for plain pipelines), equal to hadath/data/normalize.py."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path
from typing import get_args

import pytest
from tokenizers import normalizers

from hadath.config import NormalizePreset
from hadath.data.normalize import NormalizerSettings, normalize_word, replacements
from hadath.data.words import split_words
from hadath.inference.exported_normalizer import (
    pipeline_normalization,
    pipeline_normalizer,
    remove_pipeline_normalizer,
)
from hadath.models.scratch import train_wordpiece

ARABIC_AND_MARKS = [
    chr(code)
    for low, high in ((0x0600, 0x06FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF), (0x200B, 0x206F), (0x00A0, 0x00AD))
    for code in range(low, high + 1)
]
PRESETS: tuple[NormalizePreset, ...] = get_args(NormalizePreset)
# Arabic typed on a Persian keyboard, words made only of what normalization removes, and the marks that sit between.
WORDS_WITH_CONTEXT = [
    "علی",
    "علیها",
    "فی",
    "مصطفی",
    "یحیی",
    "علیَ",
    "علیٰ",
    "علیـ",
    "ی",
    "کی؟",
    "علی،",
    "علی\u200fمحمد",
    "علی\u200cها",
    "علی\u200c",
    "علی\u200c\u200cها",
    "علیabc",
    "علی2",
    "علی٢",
    "علی\u00adها",
    "ﯾ",
    "علیﻻ",
    "ـ",
    "ـــ",
    "ب ـ ب",
    "\u064e\u0651",
    "\u00ad",
    "ـ\u00ad",
    "\u200cـ",
    "ـ\u200c",
    "ب\u200cـ",
    "ـ\u200cـ",
    "\ufe76",
    "\u200f",
    "ـ\u200fب",
    "مُحَمَّـد",
    "(ـ)",
    "بـ،ـ",
]


def hadath_normalized(text: str, settings: NormalizerSettings, table: dict[str, str]) -> str:
    """What Hadath hands the tokenizer: each word (hadath/data/words.py) normalized alone; what lies between by the
    table."""
    pieces, cursor = [], 0
    for start, end in split_words(text):
        pieces += [table.get(char, char) for char in text[cursor:start]]
        pieces.append(normalize_word(text[start:end], settings))
        cursor = end
    pieces += [table.get(char, char) for char in text[cursor:]]
    return "".join(pieces)


@pytest.mark.parametrize("preset", [*PRESETS, "pretrained+final-maksura"])
def test_the_tokenizer_rules_normalize_exactly_like_hadath(preset: str) -> None:
    name, _, switch = preset.partition("+")
    settings = NormalizerSettings.preset(name)  # type: ignore[arg-type]
    settings = dataclasses.replace(settings, final_yeh_as_alef_maksura=bool(switch))
    nfc = normalizers.NFC()
    exported, table = pipeline_normalizer(settings, nfc), replacements(settings)
    for char in ARABIC_AND_MARKS:
        assert exported.normalize_str(char) == nfc.normalize_str(hadath_normalized(char, settings, table)), hex(
            ord(char)
        )
    for text in WORDS_WITH_CONTEXT:
        assert exported.normalize_str(text) == nfc.normalize_str(hadath_normalized(text, settings, table)), ascii(text)
    rng = random.Random(7)
    spaced = [*ARABIC_AND_MARKS, *[" "] * 200]  # many short words, so word edges are everywhere
    for alphabet in (ARABIC_AND_MARKS, spaced):
        for _ in range(500):
            text = "".join(rng.choice(alphabet) for _ in range(8))
            assert exported.normalize_str(text) == nfc.normalize_str(hadath_normalized(text, settings, table)), ascii(
                text
            )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("علی", "على"), ("علیها", "عليها"), ("علی محمد", "على محمد"), ("علیَ", "على"), ("فی،", "فى،"), ("یحیی", "يحيى")],
)
def test_a_word_final_persian_yeh_becomes_alef_maksura_in_the_tokenizer_too(text: str, expected: str) -> None:
    settings = dataclasses.replace(NormalizerSettings.preset("pretrained"), final_yeh_as_alef_maksura=True)
    assert pipeline_normalizer(settings, None).normalize_str(text) == expected


def test_a_word_of_tatweel_keeps_it_in_the_tokenizer_too() -> None:
    exported = pipeline_normalizer(NormalizerSettings.preset("default"), None)
    assert exported.normalize_str("الـعـراق ـ بغداد") == "العراق ـ بغداد"


def test_a_replacement_is_never_replaced_again() -> None:
    # aggressive: Persian teh marbuta goal becomes teh marbuta, which is itself folded to heh — but in one pass.
    settings = NormalizerSettings.preset("aggressive")
    assert normalize_word("ۃ", settings) == "ة"
    assert pipeline_normalizer(settings, None).normalize_str("ۃة") == "ةه"


def test_saved_with_the_rules_and_loaded_without_them() -> None:
    settings = NormalizerSettings.preset("default")
    tokenizer = train_wordpiece(["محمد", "قال", "في", "بغداد"], 60, 1)
    own = tokenizer.backend_tokenizer.normalizer.__getstate__()
    with pipeline_normalization(tokenizer, settings):
        assert tokenizer.backend_tokenizer.normalizer.normalize_str("مُحَمَّـد") == "محمد"
        with pipeline_normalization(tokenizer, settings):  # never stacked twice
            assert len(tokenizer.backend_tokenizer.normalizer) == len(pipeline_normalizer(settings, None)) + 1
        carried = tokenizer.backend_tokenizer.normalizer.__getstate__()
    assert tokenizer.backend_tokenizer.normalizer.__getstate__() == own
    tokenizer.backend_tokenizer.normalizer = normalizers.Sequence([])
    tokenizer.backend_tokenizer.normalizer = pipeline_normalizer(settings, normalizers.NFC())
    assert tokenizer.backend_tokenizer.normalizer.__getstate__() == carried
    remove_pipeline_normalizer(tokenizer, settings)
    assert tokenizer.backend_tokenizer.normalizer.__getstate__() == own
    # Another tokenizer's own Sequence is not Hadath's: left alone.
    foreign = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tokenizer.backend_tokenizer.normalizer = foreign
    remove_pipeline_normalizer(tokenizer, settings)
    assert tokenizer.backend_tokenizer.normalizer.__getstate__() == foreign.__getstate__()


def test_tokenizer_json_read_alone_gives_the_models_ids_once_the_rules_are_off(tmp_path: Path) -> None:
    """What the ONNX parity check compares: an exported tokenizer.json read by LightTokenizer, rules taken off."""
    from hadath.inference.backends import LightTokenizer

    settings = NormalizerSettings.preset("aggressive")
    tokenizer = train_wordpiece(["ة", "ه", "قال"], 60, 1)
    with pipeline_normalization(tokenizer, settings):
        tokenizer.save_pretrained(tmp_path)
    light = LightTokenizer(tmp_path)
    word = normalize_word("ۃ", settings)  # what Hadath hands the tokenizer: ة
    assert light([word], add_special_tokens=False) != tokenizer([word], add_special_tokens=False)["input_ids"]
    remove_pipeline_normalizer(light, settings)
    assert light([word], add_special_tokens=False) == {
        "input_ids": tokenizer([word], add_special_tokens=False)["input_ids"]
    }
