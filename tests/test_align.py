"""Alignment: every word gets one piece at least, windows cover every word exactly once, labels survive."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from tiny_encoders import sentencepiece_tokenizer

from hadath.data.align import IGNORE, piece_labels, plan_windows, word_pieces
from hadath.data.encode import encode_windows
from hadath.data.normalize import NormalizerSettings
from hadath.data.sentence import Sentence
from hadath.data.words import split_words
from hadath.models.scratch import train_wordpiece


@given(st.lists(st.integers(1, 12), min_size=1, max_size=200), st.integers(4, 40), st.integers(0, 8))
def test_window_cores_partition_the_sentence(counts: list[int], max_pieces: int, stride: int) -> None:
    stride = min(stride, max_pieces // 2 - 1) if max_pieces > 3 else 0
    windows = plan_windows(counts, max_pieces, max(stride, 0))
    covered = [w for window in windows for w in range(window.core_start, window.core_end)]
    assert covered == list(range(len(counts)))
    for window in windows:
        assert window.start <= window.core_start <= window.core_end <= window.end
        used = sum(min(c, max_pieces) for c in counts[window.start : window.end])
        assert used <= max_pieces or window.end - window.start == 1


def test_piece_labels_first_subword_and_all_subwords() -> None:
    owners = [-1, 0, 0, 1, 2, 2, -1]
    tags = [1, 2, 0]  # B-PER, I-PER, O
    assert piece_labels(owners, tags, {1: 2}, all_subwords=False) == [IGNORE, 1, IGNORE, 2, 0, IGNORE, IGNORE]
    assert piece_labels(owners, tags, {1: 2}, all_subwords=True) == [IGNORE, 1, 2, 2, 0, 0, IGNORE]


def test_words_that_tokenize_to_nothing_get_a_placeholder() -> None:
    # Hadath never normalizes a word to nothing (a lone shadda keeps itself); an XLM-R-style tokenizer deletes a
    # control character, and that word gets the placeholder.
    tokenizer = sentencepiece_tokenizer(["بغداد", "كركوك"] * 5, vocab_size=40)
    text = "بغداد \u0651 كركوك \x01"
    sentence = Sentence(text, [(0, 5), (6, 7), (8, 13), (14, 15)])
    pieces = word_pieces([sentence], tokenizer, NormalizerSettings.preset("default"))
    assert [len(p) >= 1 for p in pieces.pieces[0]] == [True] * 4
    assert pieces.pieces[0][3] == [tokenizer.unk_token_id] and pieces.pieces[0][1] != [tokenizer.unk_token_id]
    assert pieces.stats.placeholder_words == 1


def test_a_tokenizer_without_an_unknown_token_pads_the_placeholder_instead_of_a_none_id() -> None:
    tokenizer = sentencepiece_tokenizer(["بغداد", "كركوك"] * 5, vocab_size=40)
    tokenizer.unk_token = None
    assert tokenizer.unk_token_id is None and tokenizer.pad_token_id is not None
    sentence = Sentence("بغداد \x01", [(0, 5), (6, 7)])
    pieces = word_pieces([sentence], tokenizer, NormalizerSettings.preset("default"))
    assert pieces.pieces[0][1] == [tokenizer.pad_token_id]
    assert encode_windows(pieces, tokenizer, max_length=16, stride=0)[0].input_ids.count(None) == 0


def test_long_sentence_is_windowed_without_losing_a_word() -> None:
    words = [f"كلمة{i}" for i in range(300)]
    text = " ".join(words)
    sentence = Sentence(text, split_words(text))
    tokenizer = train_wordpiece(words, vocab_size=500, min_frequency=1)
    pieces = word_pieces([sentence], tokenizer, NormalizerSettings.preset("none"))
    windows = encode_windows(pieces, tokenizer, max_length=64, stride=16)
    assert len(windows) > 1 and pieces.stats.windowed_sentences == 1
    assert all(len(w.input_ids) <= 64 for w in windows)
    cores = [word for w in windows for word in range(w.window.core_start, w.window.core_end)]
    assert cores == list(range(300))


def test_training_features_refuse_a_window_that_skips_a_word() -> None:
    import pytest

    from hadath.data.align import Window
    from hadath.data.encode import EncodedWindow, LabelSpace, training_features

    sentence = Sentence("a b c", [(0, 1), (2, 3), (4, 5)])
    space = LabelSpace({"entities": ["O"]}, [])
    whole = EncodedWindow(0, Window(0, 3, 0, 3), [2, 5, 6, 7, 3], [-1, 0, 1, 2, -1])
    assert training_features([sentence], [whole], space, False)[0]["labels_entities"] == [IGNORE, 0, 0, 0, IGNORE]
    skipping = EncodedWindow(0, Window(0, 3, 0, 3), [2, 5, 7, 3], [-1, 0, 2, -1])
    with pytest.raises(RuntimeError, match="labels 2 words"):
        training_features([sentence], [skipping], space, False)


def test_zero_width_joiners_stay_inside_a_word() -> None:
    text = "قال می\u200cخواهم و\u200dبغداد \u200cهنا\u200c"
    words = [text[start:end] for start, end in split_words(text)]
    assert words == ["قال", "می\u200cخواهم", "و\u200dبغداد", "هنا"]
