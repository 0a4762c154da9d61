"""Training: the Trainer recipe, the encoder builder, batching and multi-seed runs."""
