"""Batch tagging of many files on Ray Data: shard planning, the per-actor shard tagger, and the job driver."""
