"""Batch tagging of many files on Ray Data: shard planning, the per-actor shard tagger, and the job driver."""

# Imported as `batch` (through the top-level link batch/) it would be a second copy of every module.
if __name__ != "hadath.batch":
    raise ImportError(f"import hadath.batch, not {__name__}: batch/ links to hadath/batch/")
