"""Shared test setup."""

from transformers.utils import logging as hf_logging

# transformers binds its log handler to the sys.stderr of its first use. Bind it now, at collection, so a warning in
# a later test never writes to the closed stream of an earlier test's capsys.
hf_logging.get_logger("transformers")
