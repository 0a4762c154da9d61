"""The offline default encoder: a WordPiece vocabulary trained on the training words and a small BERT."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers
from transformers import BertConfig, BertForTokenClassification, PreTrainedTokenizerFast

from hadath.config import ScratchConfig
from hadath.models.wordpiece import learn_vocabulary

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def train_wordpiece(words: Iterable[str], vocab_size: int, min_frequency: int) -> PreTrainedTokenizerFast:
    """A BERT-style WordPiece tokenizer learned from already-normalized words (no lower-casing, no accent strip); the
    same words and settings give a byte-identical tokenizer.json in every process (see `learn_vocabulary`)."""
    normalizer = normalizers.NFC()
    pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    counts: Counter[str] = Counter()
    for word in words:
        counts.update(piece for piece, _ in pre_tokenizer.pre_tokenize_str(normalizer.normalize_str(word)))
    vocabulary = learn_vocabulary(counts, vocab_size, min_frequency, SPECIAL_TOKENS)
    tokenizer = Tokenizer(
        models.WordPiece(
            {piece: i for i, piece in enumerate(vocabulary)}, unk_token="[UNK]", max_input_chars_per_word=100
        )
    )
    # Normalization is Hadath's own (saved with the model): the tokenizer only does Unicode composition.
    tokenizer.normalizer = normalizer
    tokenizer.pre_tokenizer = pre_tokenizer
    tokenizer.decoder = decoders.WordPiece()
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        model_max_length=512,
    )


def scratch_bert(
    vocab_size: int, shape: ScratchConfig, *, max_length: int, labels: list[str]
) -> BertForTokenClassification:
    """A randomly initialised BERT of `shape` (width, depth, heads) with a token-classification head over `labels`."""
    # The label count follows from id2label (PretrainedConfig derives num_labels from it).
    config = BertConfig(
        vocab_size=vocab_size,
        hidden_size=shape.hidden_size,
        num_hidden_layers=shape.num_layers,
        num_attention_heads=shape.num_heads,
        intermediate_size=shape.intermediate_size,
        max_position_embeddings=max(max_length, 64),
        id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)},
    )
    return BertForTokenClassification(config)
