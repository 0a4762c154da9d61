"""Token-per-row formats (CoNLL, CSV/TSV, `datasets` tables) share this: rows of a token and its tags -> Sentence.

A reader hands over a *row source*: a function that streams `(document number, rows of one sentence)` afresh each
time it is called, so a file is read twice (scheme detection, then building) without ever being held in memory.
The scheme of each layer is declared or, with `scheme: auto`, detected over the whole file; runs are then cut at
sentence marks and at `max_sentence_words` (before any policy drops anything), and tags are checked (and repaired
under the policy) sentence by sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from hadath.data.errors import DataError
from hadath.data.readers.options import ReadOptions
from hadath.data.repair import Issue, ReadReport, check_tags, clean_token, issue, map_tag, respell_tag, shown
from hadath.data.schemes import Scheme, canonical_scheme, detect_scheme, spans_from_tags, split_tag
from hadath.data.sentence import Sentence
from hadath.data.sentence_split import plan_cuts


@dataclass
class TokenRow:
    """One token with its raw tag per layer, and the line (or row) it came from; an unreadable line is a row with
    its problem, so the rest of its sentence is still checked."""

    line: int
    token: str
    tags: dict[str, str]
    problem: Issue | None = None


RowSource = Callable[[], Iterator[tuple[int, list[TokenRow]]]]


def _read_tag(tag: str, tag_map: dict[str, str], silent: ReadReport) -> str:
    """The tag as checking will read it (typo fixed, renamed), without counting anything."""
    respelled = respell_tag(tag)
    return map_tag(respelled[0] if respelled else tag, tag_map, silent)


def _refuse_io_on_prefixed(rows: Iterator[list[TokenRow]], layer: str, path: str) -> None:
    for sentence in rows:
        for row in sentence:
            if split_tag(row.tags.get(layer, "O") or "O")[0] in ("B", "S", "E"):
                raise DataError(
                    path,
                    row.line,
                    f"{layer} tag {shown(row.tags[layer])} has a boundary prefix, but the scheme is IO "
                    "(no boundaries): touching spans of one type would merge",
                    "use --scheme IOB2 (or auto), or data.scheme: IOB2",
                )


def layer_schemes(source: RowSource, options: ReadOptions, path: str, report: ReadReport) -> dict[str, Scheme]:
    """The scheme of every layer: the declared one, or the one its tags show when the scheme is `auto`."""
    layers = list(dict.fromkeys(layer for _, rows in source() for row in rows for layer in row.tags))
    schemes: dict[str, Scheme] = {}
    for layer in layers:
        if options.scheme.lower() == "auto":
            # Detection reads mapped tags but must not count the renames: checking counts them once.
            silent = ReadReport()
            sequences = (
                [_read_tag(row.tags.get(layer, "O") or "O", options.tag_map, silent) for row in rows]
                for _, rows in source()
            )
            schemes[layer] = detect_scheme(sequences)
        else:
            schemes[layer] = canonical_scheme(options.scheme)
            if schemes[layer] == "IO":
                _refuse_io_on_prefixed((rows for _, rows in source()), layer, path)
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
        tags, tag_issues = check_tags(
            [row.tags.get(layer, "O") for row in rows], lines, scheme, options=options, path=path, report=report
        )
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
    consecutive = lines[-1] - lines[0] == len(lines) - 1
    word_lines = range(lines[0], lines[-1] + 1) if consecutive else lines
    return Sentence(" ".join(tokens), offsets, layers, [], f"{path}:{rows[0].line}", word_lines)


def _unreadable(row: TokenRow, path: str) -> TokenRow:
    """The row, or a row carrying its problem: a blank token (a word of no characters) or an empty tag or bare
    prefix such as `B-` (a span with no type, which scheme detection cannot read either)."""
    if row.problem is None and not row.token.strip():
        return replace(row, tags={}, problem=issue(path, row.line, "empty token", "give every row a token"))
    for layer, tag in row.tags.items():
        if row.problem is None and (not tag.strip() or (tag != "O" and not split_tag(tag)[1].strip())):
            problem = issue(
                path, row.line, f"{layer} tag {shown(tag)} names no type", "write PREFIX-TYPE (e.g. B-PER) or O"
            )
            return replace(row, token="", tags={}, problem=problem)
    return row


def _joined(rows: Sequence[TokenRow], tag_map: dict[str, str]) -> list[bool]:
    """Per row: does it continue a span of any layer from the row before (so no cut may fall between them)?"""
    silent = ReadReport()
    joined = [False] * len(rows)
    previous: dict[str, tuple[str, str]] = {}
    for index, row in enumerate(rows):
        for layer, tag in row.tags.items():
            prefix, type_ = split_tag(_read_tag(tag or "O", tag_map, silent))
            before_prefix, before_type = previous.get(layer, ("O", ""))
            if prefix in ("I", "E", "") and before_prefix != "O" and type_ == before_type:
                joined[index] = True
            previous[layer] = (prefix, type_)
        previous.update({layer: ("O", "") for layer in previous if layer not in row.tags})
    return joined


def cut_rows(rows: list[TokenRow], options: ReadOptions, report: ReadReport) -> list[list[TokenRow]]:
    """One run of rows cut at sentence marks and at `max_sentence_words`, never inside a span."""
    marks = options.sentence_marks if options.split_sentences else ""
    if not marks and not (0 < options.max_sentence_words < len(rows)):
        return [rows]
    cuts = plan_cuts([row.token for row in rows], _joined(rows, options.tag_map), marks, options.max_sentence_words)
    report.sentences_from_splitting += cuts.by_marks
    report.sentences_from_max_words += cuts.by_length
    return [rows[a:b] for a, b in zip(cuts.bounds, cuts.bounds[1:], strict=False)]


def build_documents(
    source: RowSource, options: ReadOptions, path: str, report: ReadReport
) -> Iterator[tuple[int, Sentence]]:
    """Every sentence with its document number, schemes decided over the whole file first."""
    schemes = layer_schemes(source, options, path, report)
    for document, rows in source():
        for piece in cut_rows([_unreadable(row, path) for row in rows], options, report):
            sentence = build_sentence(piece, schemes, options, path, report)
            if sentence is not None:
                yield document, sentence
