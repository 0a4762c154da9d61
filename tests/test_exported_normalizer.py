"""The exported tokenizer carries Hadath's normalization (for plain pipelines), equal to data/normalize.py."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from tokenizers import normalizers

from hadath.config import NormalizePreset
from hadath.data.normalize import NormalizerSettings, normalize_word
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
PRESETS: list[NormalizePreset] = ["none", "default", "arabert-v02", "aggressive"]


@pytest.mark.parametrize("preset", PRESETS)
def test_the_tokenizer_rules_normalize_exactly_like_hadath(preset: NormalizePreset) -> None:
    settings = NormalizerSettings.preset(preset)
    nfc = normalizers.NFC()
    exported = pipeline_normalizer(settings, nfc)
    for char in ARABIC_AND_MARKS:
        assert exported.normalize_str(char) == nfc.normalize_str(normalize_word(char, settings)), hex(ord(char))
    rng = random.Random(7)
    for _ in range(500):
        text = "".join(rng.choice(ARABIC_AND_MARKS) for _ in range(8))
        assert exported.normalize_str(text) == nfc.normalize_str(normalize_word(text, settings))


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
