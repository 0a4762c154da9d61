"""Dataset builders: readers, label schemes, normalization and alignment."""
