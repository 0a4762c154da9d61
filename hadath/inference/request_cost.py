"""What a request will cost the model, counted before any model time is spent: normalized characters and subword
pieces, not input bytes or words.

Normalization can expand a character many times (U+FDFA, one ligature, becomes 18 letters) and a tokenizer can cut
one long word into hundreds of pieces, so a request well inside a byte or word limit may still hold the model for
minutes. The count follows the tagger's own path (`split_words` → `normalize_word` → the tokenizer on each distinct
normalized word, a placeholder piece for an empty one), and stops as soon as a limit is passed, so measuring a
hostile request costs little: its repeated words are normalized and tokenized once.

The limits are the same everywhere: one `hadath serve` request, and one input line of `hadath predict` (either
engine), may make the model process at most `MAX_CHARACTERS` normalized characters and `MAX_PIECES` pieces unless
the command's `--max-characters` / `--max-pieces` say otherwise.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hadath.data.normalize import NormalizerSettings, normalize_word
from hadath.data.piece_tokenizer import PieceTokenizer, backend_of
from hadath.data.words import split_words

# Distinct words tokenized at once while counting: small enough that little is wasted past a limit.
_TOKENIZE_CHUNK = 512
# What one request or one input line may make the model process (the commands' defaults).
MAX_CHARACTERS = 1_000_000
MAX_PIECES = 60_000
_CHARACTERS = "characters once normalized (ligatures such as U+FDFA expand)"
_PIECES = "subword pieces for the model"


class WorkLimitError(ValueError):
    """A request that would make the model process more than a limit allows (the server answers 413); `measure` is
    what was counted and `option` the command-line option that raises its limit."""

    def __init__(self, limit: int, measure: str, option: str) -> None:
        super().__init__(f"request is over the limit of {limit} {measure} — split it into smaller requests")
        self.limit, self.measure, self.option = limit, measure, option

    def for_line(self, where: str) -> str:
        """The one-line message for an input line (`where` is its `FILE:LINE`) that passes the limit."""
        return f"{where}: line is over the limit of {self.limit} {self.measure} — split it (or raise {self.option})"


@dataclass(frozen=True)
class RequestCost:
    """Normalized characters and subword pieces of all texts of one request."""

    characters: int
    pieces: int


Encode = Callable[[list[str]], list[list[int]]]


def piece_counter(tokenizer: PieceTokenizer) -> Encode:
    """Words -> their piece ids, from a private copy of the tagger's tokenizer when it has a `tokenizers` backend
    (a fast tokenizer must not be called from two threads at once: the server counts while the model runs)."""
    backend = backend_of(tokenizer)
    if backend is not None:
        from tokenizers import Tokenizer

        private = Tokenizer.from_str(backend.to_str())
        return lambda words: [encoding.ids for encoding in private.encode_batch(words, add_special_tokens=False)]
    return lambda words: list(tokenizer(words, add_special_tokens=False)["input_ids"])


def request_cost(
    texts: Sequence[str], encode: Encode, settings: NormalizerSettings, max_characters: int, max_pieces: int
) -> RequestCost:
    """Count what the tagger will process for `texts`, raising WorkLimitError as soon as a limit is passed."""
    occurrences: Counter[str] = Counter()
    normalized: dict[str, str] = {}
    characters = 0
    for text in texts:
        for start, end in split_words(text):
            word = text[start:end]
            if word not in normalized:
                normalized[word] = normalize_word(word, settings)
            characters += len(normalized[word])
            if characters > max_characters:
                raise WorkLimitError(max_characters, _CHARACTERS, "--max-characters")
            occurrences[normalized[word]] += 1
    pieces = occurrences.pop("", 0)  # a word normalization removes still gets one placeholder piece
    distinct = list(occurrences)
    for begin in range(0, len(distinct), _TOKENIZE_CHUNK):
        chunk = distinct[begin : begin + _TOKENIZE_CHUNK]
        for word, ids in zip(chunk, encode(chunk), strict=True):
            pieces += max(1, len(ids)) * occurrences[word]
        if pieces > max_pieces:
            raise WorkLimitError(max_pieces, _PIECES, "--max-pieces")
    return RequestCost(characters, pieces)


def line_cost_check(
    tokenizer: PieceTokenizer,
    settings: NormalizerSettings,
    max_characters: int = MAX_CHARACTERS,
    max_pieces: int = MAX_PIECES,
) -> Callable[[str, str], str | None]:
    """`check(text, where)` for input lines: None when the line is within the limits, else the one-line
    `FILE:LINE: ... — fix` message to skip it with (predict and the Ray worker report it as a bad line)."""
    encode = piece_counter(tokenizer)

    def check(text: str, where: str) -> str | None:
        try:
            request_cost([text], encode, settings, max_characters, max_pieces)
        except WorkLimitError as error:
            return error.for_line(where)
        return None

    return check
