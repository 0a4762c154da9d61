"""Tagging models: encoders, heads and decoding."""

# Imported as `models` (through the top-level link models/) it would be a second copy of every module.
if __name__ != "hadath.models":
    raise ImportError(f"import hadath.models, not {__name__}: models/ links to hadath/models/")
