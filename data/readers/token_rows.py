"""Token-per-row formats (CoNLL, CSV/TSV, `datasets` tables) share this: rows of a token and its tags -> Sentence.

The scheme of each layer is declared or, with `scheme: auto`, detected over the whole file; tags are then checked
(and repaired under the policy) sentence by sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from hadath.data.readers.options import ReadOptions
from hadath.data.repair import Issue, ReadReport, check_tags, clean_token, issue, map_tag
from hadath.data.schemes import Scheme, canonical_scheme, detect_scheme, spans_from_tags, split_tag
from hadath.data.sentence import Sentence


@dataclass
class TokenRow:
    """One token with its raw tag per layer, and the line (or row) it came from; an unreadable line is a row with
    its problem, so the rest of its sentence is still checked."""

    line: int
    token: str
    tags: dict[str, str]
    problem: Issue | None = None


def layer_schemes(
    sentences: Sequence[Sequence[TokenRow]], options: ReadOptions, report: ReadReport
) -> dict[str, Scheme]:
    """The scheme of every layer: the declared one, or the one its tags show when the scheme is `auto`."""
    layers = list(dict.fromkeys(layer for rows in sentences for row in rows for layer in row.tags))
    schemes: dict[str, Scheme] = {}
    for layer in layers:
        if options.scheme.lower() == "auto":
            # Detection reads mapped tags but must not count the renames: checking counts them once.
            silent = ReadReport()
            sequences = [
                [map_tag(row.tags.get(layer, "O"), options.tag_map, silent) for row in rows] for rows in sentences
            ]
            schemes[layer] = detect_scheme(sequences)
        else:
            schemes[layer] = canonical_scheme(options.scheme)
        report.schemes[layer] = schemes[layer]
    return schemes


def build_sentence(
    rows: Sequence[TokenRow], schemes: dict[str, Scheme], options: ReadOptions, path: str, report: ReadReport
) -> Sentence | None:
    """Check and convert one sentence's rows; None when the policy drops it."""
    issues = [row.problem for row in rows if row.problem is not None]
    rows = [row for row in rows if row.problem is None]
    if not rows:
        report.settle(issues)
        return None
    tokens = []
    for row in rows:
        token, token_issues = clean_token(row.token, row.line, options, path, report)
        tokens.append(token)
        issues += token_issues
    lines = [row.line for row in rows]
    layers = {}
    for layer, scheme in schemes.items():
        tags, tag_issues = check_tags([row.tags.get(layer, "O") for row in rows], lines, scheme, options, path, report)
        issues += tag_issues
        spans = (
            spans_from_tags(tags, scheme) if not tag_issues or all(i.severity != "error" for i in tag_issues) else []
        )
        if spans:
            layers[layer] = spans
    if not report.settle(issues):
        return None
    offsets, cursor = [], 0
    for token in tokens:
        offsets.append((cursor, cursor + len(token)))
        cursor += len(token) + 1
    return Sentence(" ".join(tokens), offsets, layers, [], f"{path}:{rows[0].line}")


def _unreadable(row: TokenRow, path: str) -> TokenRow:
    """The row, or a row carrying its problem: a blank token (a word of no characters) or an empty tag or bare
    prefix such as `B-` (a span with no type, which scheme detection cannot read either)."""
    if row.problem is None and not row.token.strip():
        return replace(row, tags={}, problem=issue(path, row.line, "empty token", "give every row a token"))
    for layer, tag in row.tags.items():
        if row.problem is None and (not tag.strip() or (tag != "O" and not split_tag(tag)[1].strip())):
            problem = issue(path, row.line, f"{layer} tag {tag!r} names no type", "write PREFIX-TYPE (e.g. B-PER) or O")
            return replace(row, token="", tags={}, problem=problem)
    return row


def build_documents(
    documents: Sequence[Sequence[Sequence[TokenRow]]], options: ReadOptions, path: str, report: ReadReport
) -> list[list[Sentence]]:
    """Every document's sentences, schemes decided over the whole file first."""
    documents = [[[_unreadable(row, path) for row in rows] for rows in document] for document in documents]
    schemes = layer_schemes([rows for document in documents for rows in document], options, report)
    built = []
    for document in documents:
        sentences = [build_sentence(rows, schemes, options, path, report) for rows in document]
        kept = [sentence for sentence in sentences if sentence is not None]
        if kept:
            built.append(kept)
    return built
