"""Dataset builders: readers, label schemes, normalization and alignment."""

# Imported as `data` (through the top-level link data/) it would be a second copy of every module.
if __name__ != "hadath.data":
    raise ImportError(f"import hadath.data, not {__name__}: data/ links to hadath/data/")
