"""Tiny real encoders of other tokenizer families, built in the test, saved so `model.name_or_path: DIR` loads them
through the same pretrained code path as AraBERT (hadath/train/tokenizer_choice.py, hadath/train/encoder.py)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

# XLM-R's specials, at XLM-R's ids (multilingual-e5 keeps them): `<s>`=0 `<pad>`=1 `</s>`=2 `<unk>`=3, `<mask>` last.
XLMR_SPECIALS = ["<s>", "<pad>", "</s>", "<unk>"]
BOUNDARY = "▁"
# XLM-R's Precompiled normalizer is NFKC plus sentencepiece's nmt rules, which delete control characters: a word made
# only of them becomes nothing. The soft hyphen is deleted too (Hadath's `remove_invisible` deletes it first).
_DELETED = Regex("[\x00-\x08\x0e-\x1f\x7f\u00ad]")


def sentencepiece_tokenizer(words: Iterable[str], vocab_size: int = 1200) -> PreTrainedTokenizerFast:
    """A Unigram tokenizer shaped like XLM-R's: NFKC normalizer, Metaspace ("▁", prepend always), `<s> $A </s>`."""
    backend = Tokenizer(models.Unigram())
    backend.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Replace(_DELETED, "")])
    backend.pre_tokenizer = pre_tokenizers.Metaspace(replacement=BOUNDARY, prepend_scheme="always")
    backend.decoder = decoders.Metaspace(replacement=BOUNDARY, prepend_scheme="always")
    trainer = trainers.UnigramTrainer(
        vocab_size=vocab_size, special_tokens=XLMR_SPECIALS, unk_token="<unk>", shrinking_factor=0.75
    )
    backend.train_from_iterator(sorted(set(words)), trainer)
    backend.add_special_tokens(["<mask>"])
    backend.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>", special_tokens=[("<s>", 0), ("</s>", 2)]
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=backend,
        bos_token="<s>",
        eos_token="</s>",
        cls_token="<s>",
        sep_token="</s>",
        unk_token="<unk>",
        pad_token="<pad>",
        mask_token="<mask>",
        model_max_length=512,
    )


def sentencepiece_encoder(directory: Path, words: Iterable[str]) -> Path:
    """Save a tiny XLM-R-style tokenizer learned from `words` and a tiny random BertModel (the multilingual-e5
    layout: BERT weights, XLM-R vocabulary, pad id 1) into `directory`; returns it."""
    tokenizer = sentencepiece_tokenizer(words)
    ids = [tokenizer.convert_tokens_to_ids(token) for token in [*XLMR_SPECIALS, BOUNDARY]]
    assert ids[:4] == [0, 1, 2, 3] and ids[4] != tokenizer.unk_token_id, ids
    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=130,
        pad_token_id=1,
        architectures=["BertModel"],
    )
    directory.mkdir(parents=True, exist_ok=True)
    BertModel(config).save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory
