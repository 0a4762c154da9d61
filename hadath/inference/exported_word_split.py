"""Hadath's word split written into an exported SentencePiece tokenizer, for programs that only read `tokenizer.json`.

Hadath splits text into words itself (hadath/data/words.py) and hands the tokenizer one word at a time, so a Metaspace
(SentencePiece) pre-tokenizer turns every word into `▁` + the word. A plain transformers `pipeline` hands it the whole
text instead: each space becomes the `▁` of the next word (so that word's offsets start on the space) and punctuation
stays glued to the word before it (ids Hadath never trained on). Export therefore puts Hadath's split in front of the
Metaspace step: whitespace and invisible separators removed, each punctuation mark a word of its own, `▁` prepended to
every word and aligned to its first letter. The pipeline then gets the ids of Hadath's windows, and offsets that start
on a letter. Hadath, loading the model, takes the split off again: every word it tokenizes is one already.

A plain pipeline (`aggregation_strategy` first, average or max) decodes twice: the pieces of each word, then the words
of an entity. The Metaspace decoder strips each word's leading space at the first level, so the second glues the words
together (`حزبالعمال`); and a word that opens with a bare `▁` reaches the first level as pieces without any `▁`, just
like decoded words. The exported decoder (`_word_decoder`) keeps each word's leading space until the second level,
which is right in every case, at one cost: `tokenizer.decode(ids)` and the `word` of `aggregation_strategy="simple"`
start with a space.

What transformers' word grouping cannot follow for any tokenizer without a `continuing_subword_prefix` (Unigram has
none; `is_subword` is then "no space before the piece"): a bare `▁` is a word of its own there (its prediction is not
Hadath's), and punctuation attached to a word joins that word's span.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tokenizers import Regex, decoders, pre_tokenizers

from hadath.data.piece_tokenizer import PieceTokenizer, backend_of
from hadath.data.words import INVISIBLE, JOINERS

_SEPARATORS = "".join(sorted(INVISIBLE - JOINERS))
_JOINERS = "".join(sorted(JOINERS))
_NOT_WORD = rf"\s\p{{P}}{re.escape(_SEPARATORS + _JOINERS)}"
# What hadath/data/words.py splits at: whitespace, invisible marks, and a joiner that is not between two letters of a
# word.
_SEPARATOR = rf"[\s{re.escape(_SEPARATORS)}]|[{_JOINERS}](?![^{_NOT_WORD}])|(?<![^{_NOT_WORD}])[{_JOINERS}]"


def _word_decoder(replacement: str) -> decoders.Decoder:
    """Pieces decode to their text with a leading space per word (`▁حزب` `يم` -> " حزبيم"); a token list that opens
    with a space, which is a pipeline's decoded words, is joined as it is, less that first space ("حزب العمال")."""
    return decoders.Sequence([decoders.Fuse(), decoders.Strip(" ", 1, 0), decoders.Replace(replacement, " ")])


def _metaspace(backend: Any) -> dict[str, Any] | None:
    """The tokenizer's pre-tokenizer description when it is a single Metaspace step (XLM-R's, multilingual-e5's)."""
    step = json.loads(backend.to_str()).get("pre_tokenizer")
    return step if isinstance(step, dict) and step.get("type") == "Metaspace" else None


def _word_split(replacement: str, prepend: bool, split: bool) -> pre_tokenizers.PreTokenizer:
    scheme = "always" if prepend else "never"
    return pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(_SEPARATOR), behavior="removed"),
            pre_tokenizers.Split(Regex(r"\p{P}"), behavior="isolated"),
            pre_tokenizers.Metaspace(replacement=replacement, prepend_scheme=scheme, split=split),
        ]
    )


@contextmanager
def pipeline_word_split(tokenizer: PieceTokenizer) -> Iterator[None]:
    """While inside, a Metaspace tokenizer splits text into words as Hadath does and decodes words apart (to be saved
    that way); any other tokenizer (WordPiece, whose BERT pre-tokenizer splits punctuation already) is left alone."""
    backend = backend_of(tokenizer)
    step = _metaspace(backend) if backend is not None else None
    if backend is None or step is None:
        yield
        return
    original_pre, original_decoder = backend.pre_tokenizer, backend.decoder
    # Hadath tokenizes each word alone, so "first" prepends `▁` to every word, as "always" does.
    prepend = step.get("prepend_scheme", "always") != "never"
    backend.pre_tokenizer = _word_split(step["replacement"], prepend, bool(step.get("split", True)))
    backend.decoder = _word_decoder(step["replacement"])
    try:
        yield
    finally:
        backend.pre_tokenizer, backend.decoder = original_pre, original_decoder


def remove_pipeline_word_split(tokenizer: PieceTokenizer) -> None:
    """Give an exported tokenizer back the bare Metaspace step (Hadath hands it one word at a time); leave any other
    pre-tokenizer alone."""
    backend = backend_of(tokenizer)
    if backend is None:
        return
    steps = json.loads(backend.to_str()).get("pre_tokenizer") or {}
    if steps.get("type") != "Sequence" or len(steps.get("pretokenizers", [])) != 3:
        return
    last = steps["pretokenizers"][-1]
    if last.get("type") != "Metaspace":
        return
    prepend, split = last.get("prepend_scheme") != "never", bool(last.get("split", True))
    expected = _word_split(last["replacement"], prepend, split)
    if backend.pre_tokenizer.__getstate__() == expected.__getstate__():
        backend.pre_tokenizer = pre_tokenizers.Metaspace(
            replacement=last["replacement"], prepend_scheme="always" if prepend else "never", split=split
        )
