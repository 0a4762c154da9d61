"""Training: the Trainer recipe, the encoder builder, batching and multi-seed runs."""

# Imported as `train` (through the top-level link train/) it would be a second copy of every module.
if __name__ != "hadath.train":
    raise ImportError(f"import hadath.train, not {__name__}: train/ links to hadath/train/")
