"""Sentence embeddings from the tagger's own encoder: its last hidden states mean-pooled over each sentence's pieces
(and averaged over a long sentence's windows), for spreading suggestions over what the model has seen."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from hadath.config import ConfigError
from hadath.data.align import word_pieces
from hadath.data.encode import encode_windows, pad_id, pad_windows
from hadath.data.sentence import Sentence
from hadath.data.words import split_words
from hadath.inference.backends import OnnxBackend
from hadath.inference.tagger import Tagger


def sentence_embeddings(tagger: Tagger, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
    """One row per text: the mean of the encoder's last hidden states over the text's pieces."""
    import torch

    if isinstance(tagger.model, OnnxBackend):
        raise ConfigError(
            "--strategy diverse reads the encoder's hidden states, which an ONNX graph does not output — "
            "pass the PyTorch model directory (a run's model/)"
        )
    meta = tagger.metadata
    sentences = [Sentence(text, split_words(text)) for text in texts]
    windows = encode_windows(word_pieces(sentences, tagger.tokenizer, meta.normalizer), tagger.tokenizer,
                             meta.max_length, meta.stride)  # fmt: skip
    encoder: Any = tagger.model.token_model.base_model
    sums = np.zeros((len(texts), int(encoder.config.hidden_size)), dtype=np.float64)
    counts = np.zeros(len(texts))
    was_training = tagger.model.training
    tagger.model.eval()
    try:
        for begin in range(0, len(windows), batch_size):
            batch = windows[begin : begin + batch_size]
            ids, mask = pad_windows(batch, pad_id(tagger.tokenizer))
            device = tagger.device
            with torch.inference_mode():
                states = encoder(input_ids=torch.from_numpy(ids).to(device),
                                 attention_mask=torch.from_numpy(mask).to(device)).last_hidden_state  # fmt: skip
                weights = torch.from_numpy(mask).to(device).unsqueeze(-1).to(states.dtype)
                pooled = ((states * weights).sum(1) / weights.sum(1).clamp(min=1.0)).float().cpu().numpy()
            for row, window in enumerate(batch):
                sums[window.sentence] += pooled[row]
                counts[window.sentence] += 1
    finally:
        tagger.model.train(was_training)
    return sums / np.maximum(counts, 1)[:, None]
