"""Seeded dev/test splits by document, for when only a training file is given.

Whole documents go to one split so that sentences of one article never sit on both sides; a file with a single
document (no `-DOCSTART-`, no `document` field) is split by sentence instead.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from hadath.data.sentence import Sentence


def split_documents(
    documents: Sequence[Sequence[Sentence]], dev: float, test: float, seed: int
) -> tuple[list[Sentence], list[Sentence], list[Sentence]]:
    """Train, dev and test sentences: a seeded shuffle of the documents, `dev` and `test` as fractions of them."""
    if not (dev >= 0.0 and test >= 0.0 and dev + test < 1.0):
        raise ValueError(f"split ratios dev={dev} test={test} must be >= 0 and sum to less than 1")
    units: list[list[Sentence]] = (
        [list(d) for d in documents] if len(documents) > 1 else [[s] for d in documents for s in d]
    )
    order = list(range(len(units)))
    random.Random(seed).shuffle(order)
    n_test = round(len(units) * test) if test else 0
    n_dev = round(len(units) * dev) if dev else 0
    # A ratio above zero always gets at least one unit when there is one to spare.
    if test and not n_test and len(units) > 2:
        n_test = 1
    if dev and not n_dev and len(units) > 2:
        n_dev = 1
    test_ids, dev_ids = set(order[:n_test]), set(order[n_test : n_test + n_dev])
    train_ids = set(order[n_test + n_dev :])

    def pick(ids: set[int]) -> list[Sentence]:
        # Original order inside each split: documents keep their reading order.
        return [sentence for i, unit in enumerate(units) if i in ids for sentence in unit]

    return pick(train_ids), pick(dev_ids), pick(test_ids)
