"""Tagging models: encoders, heads and decoding."""
