"""How unsure a model is of one sentence, from the scores its decoder already computes.

Every decision the sentence asks of the model counts: each predicted span (its probability, from the span marginals
for viterbi/crf decoding), each word predicted outside every span (1 − P(O) is the probability mass of the spans
that cover it and were not predicted), each predicted argument link, and each sentence label (a probability at the
threshold is the least sure). The sentence's uncertainty is that of its least sure decision: one doubtful name in a
long sentence is worth a person's look however sure the rest is.
"""

from __future__ import annotations

from hadath.inference.tagger import WordPrediction


def label_doubt(probability: float, threshold: float) -> float:
    """1 at the threshold, falling linearly to 0 at certainty either way (0 or 1)."""
    room = threshold if probability < threshold else 1.0 - threshold
    return 1.0 - abs(probability - threshold) / room


def sentence_uncertainty(prediction: WordPrediction, threshold: float) -> float:
    """1 − the confidence of the sentence's least sure decision (0 for a sentence with nothing to decide)."""
    doubts = [0.0]
    for layer, tags in prediction.tags.items():
        doubts += [1.0 - score for score in prediction.span_scores[layer]]
        chosen = prediction.tag_scores[layer]
        doubts += [1.0 - float(chosen[index]) for index, tag in enumerate(tags) if tag == "O"]
    doubts += [1.0 - argument.score for argument in prediction.arguments]
    doubts += [label_doubt(float(p), threshold) for p in prediction.label_scores]
    return min(1.0, max(doubts))
