"""Validation and repair of dirty annotations, and the `ReadReport` that counts every repair and skip.

A problem is an *error* (the reader cannot tell what was meant: a tag without a prefix, a discontinuous span) or a
*warning* (readable but irregular: a stray `I-X`, read as conlleval reads it; a bidi mark glued to a token). The
policy decides what happens to the sentence: `error` fails on errors and keeps warned sentences as read; `repair`
fixes what has one obvious fix and counts it; `skip` drops every sentence with a problem and counts it.

Misspelled tags are told apart from entity types: `o`, `OO`, `IO`, `B-O`, a tag of only bidi marks or backticks
all mean `O`; `b-PER` and `I--PER` mean `B-PER` and `I-PER` (only the prefix's case is fixed: the type's case is
kept, and a type that then occurs in only a few places is reported as suspicious with a `tag_map` hint). A type
holding spaces, control characters or a B-/I- prefix of its own is an error under every policy.

The report keeps every count but only the first `KEPT_PER_KIND` problems of each kind, so a file with 150,000
copies of one warning costs a few kilobytes, not a line each.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from hadath.data.errors import DataError
from hadath.data.readers.options import ReadOptions
from hadath.data.schemes import Scheme, split_tag
from hadath.data.words import INVISIBLE

KEPT_PER_KIND = 20
_VARIABLE = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|\d+")
_PREFIX_TYPO = re.compile(r"^([BIESLUbieslu])-+(.+)$")
_MEANS_O = frozenset({"O", "0", "OO", "IO", "O-O", "B-O", "I-O", "E-O", "S-O"})
_STRAY = frozenset("`´'\"")


def hidden(char: str) -> bool:
    """A character a reader of the message would not see: bidi and zero-width marks, controls, odd spaces."""
    category = unicodedata.category(char)
    return char in INVISIBLE or category in ("Cf", "Cc", "Co", "Zl", "Zp") or (category == "Zs" and char != " ")


def shown(text: str) -> str:
    """`text` quoted for a message, invisible characters written as `<U+200F>`."""
    return "'" + "".join(f"<U+{ord(char):04X}>" if hidden(char) else char for char in text) + "'"


@dataclass(frozen=True)
class Issue:
    """One problem in one place of a file."""

    error: DataError
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        if self.severity == "error":
            return str(self.error)
        where = f"{self.error.path}:{self.error.line}" if self.error.line is not None else self.error.path
        return f"{where}: warning: {self.error.problem} — {self.error.fix}"

    @property
    def kind(self) -> str:
        """The problem with its quoted values and numbers blanked: issues of one kind differ only in those."""
        return f"{self.severity}: " + _VARIABLE.sub("…", self.error.problem)


@dataclass
class ReadReport:
    """What reading found: failing problems, warnings, skipped sentences' problems, and counted repairs.

    `errors`, `warnings` and `skipped` keep the first `KEPT_PER_KIND` issues of each kind; the `*_count` fields and
    `kinds` count them all."""

    policy: str = "error"
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    skipped: list[Issue] = field(default_factory=list)
    error_count: int = 0
    warning_count: int = 0
    skipped_count: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    skipped_sentences: int = 0
    repairs: Counter[str] = field(default_factory=Counter)
    schemes: dict[str, str] = field(default_factory=dict)
    sentences: int = 0
    sentences_from_splitting: int = 0
    sentences_from_max_words: int = 0
    notes: list[str] = field(default_factory=list)

    def repaired(self, what: str, count: int = 1) -> None:
        """Count one kind of repair."""
        self.repairs[what] += count

    def note(self, text: str) -> None:
        """Something reading decided that the user should know (a CSV read without a header, ...), said once."""
        if text not in self.notes:
            self.notes.append(text)

    def _keep(self, issue: Issue, skipped: bool) -> None:
        kind = ("skipped " if skipped else "") + issue.kind
        self.kinds[kind] += 1
        if skipped:
            self.skipped_count += 1
            kept = self.skipped
        elif issue.severity == "error":
            self.error_count += 1
            kept = self.errors
        else:
            self.warning_count += 1
            kept = self.warnings
        if self.kinds[kind] <= KEPT_PER_KIND:
            kept.append(issue)

    def settle(self, issues: Sequence[Issue]) -> bool:
        """Record a sentence's unrepaired problems under the policy; True when the sentence is kept."""
        if not issues:
            return True
        if self.policy == "skip":
            for issue in issues:
                self._keep(issue, skipped=True)
            self.skipped_sentences += 1
            return False
        for issue in issues:
            self._keep(issue, skipped=False)
        return not any(issue.severity == "error" for issue in issues)

    def merge(self, other: ReadReport) -> None:
        """Add another file's report (train, dev and test together in the run report)."""
        self.errors += other.errors
        self.warnings += other.warnings
        self.skipped += other.skipped
        self.error_count += other.error_count
        self.warning_count += other.warning_count
        self.skipped_count += other.skipped_count
        self.kinds.update(other.kinds)
        self.skipped_sentences += other.skipped_sentences
        self.repairs.update(other.repairs)
        self.schemes.update(other.schemes)
        self.sentences += other.sentences
        self.sentences_from_splitting += other.sentences_from_splitting
        self.sentences_from_max_words += other.sentences_from_max_words
        self.notes += [note for note in other.notes if note not in self.notes]

    def problems(self) -> list[Issue]:
        """Every kept problem (errors, warnings, and what was skipped) in file and line order."""
        found = [*self.errors, *self.warnings, *self.skipped]
        return sorted(found, key=lambda i: (i.error.path, i.error.line or 0))

    def unlisted(self) -> dict[str, int]:
        """Kinds with more problems than were kept, and how many of each were not kept."""
        return {kind: count - KEPT_PER_KIND for kind, count in sorted(self.kinds.items()) if count > KEPT_PER_KIND}

    def raise_first_error(self) -> None:
        """Fail with the first error, saying how many more there are."""
        if not self.errors:
            return
        first = self.errors[0].error
        more = self.error_count - 1
        fix = first.fix + (f" ({more} more problem(s): run `hadath data validate {first.path}`)" if more else "")
        raise DataError(first.path, first.line, first.problem, fix)

    def summary(self) -> dict[str, Any]:
        """Counts for the run report and `hadath data validate`."""
        return {
            "policy": self.policy,
            "sentences": self.sentences,
            "errors": self.error_count,
            "warnings": self.warning_count,
            "skipped sentences": self.skipped_sentences,
            "repairs": dict(sorted(self.repairs.items())),
            "schemes": dict(sorted(self.schemes.items())),
            "sentences from splitting": self.sentences_from_splitting,
            "sentences from max_sentence_words": self.sentences_from_max_words,
            "problems by kind": dict(sorted(self.kinds.items())),
            "notes": list(self.notes),
        }


def issue(path: str, line: int | None, problem: str, fix: str, severity: str = "error") -> Issue:
    """Shorthand for an Issue."""
    return Issue(DataError(path, line, problem, fix), severity)


@functools.lru_cache(maxsize=4096)
def respell_tag(tag: str) -> tuple[str, str] | None:
    """`(the tag meant, what was misspelled)` for a tag with a typo, None for a tag spelled right.

    Typos: stray backticks/quotes and bidi marks, a lowercase, doubled or zero `O` (`o`, `OO`, `IO`, `0`, `B-O`:
    the type `O` is no entity), a lowercase prefix (`b-PER`), doubled or stray hyphens (`I--ORG`, `B-PER-`)."""
    cleaned = "".join(char for char in tag if char not in INVISIBLE and char not in _STRAY).strip()
    if cleaned.upper() in _MEANS_O:
        return ("O", f"{shown(tag)} read as O") if cleaned != "O" or tag != "O" else None
    if not cleaned:
        return "O", "tag of only invisible marks or backticks read as O"
    match = _PREFIX_TYPO.match(cleaned)
    if match:
        type_ = match.group(2).strip("-")
        if type_.upper() in _MEANS_O:
            return "O", f"{shown(tag)} read as O"
        fixed = f"{match.group(1).upper()}-{type_}" if type_ else cleaned
    else:
        fixed = cleaned
    return (fixed, f"{shown(tag)} read as {fixed}") if fixed != tag else None


def label_problem(label: str) -> str | None:
    """What makes `label` unusable as an entity type (it could not be written to CoNLL and read back), or None."""
    if label.strip() == "O":
        return "the type O (O means outside every entity)"
    if any(char.isspace() for char in label):
        return f"type {shown(label)} holds whitespace"
    if any(hidden(char) for char in label):
        return f"type {shown(label)} holds invisible or control characters"
    if split_tag(label)[0] in ("B", "I", "E", "S"):
        return f"type {shown(label)} starts with a B-/I- prefix of its own"
    return None


def _spelling(raw: str, line: int, options: ReadOptions, path: str, report: ReadReport) -> tuple[str, list[Issue]]:
    """The tag with its typo fixed, and (unless the policy repairs) the typo as an error."""
    respelled = respell_tag(raw)
    if respelled is None:
        return raw, []
    fixed, what = respelled
    if options.on_error == "repair":
        report.repaired(f"misspelled tag {what}")
        return fixed, []
    problem = f"tag {shown(raw)} is a misspelling of {fixed}"
    return fixed, [issue(path, line, problem, f"write {fixed} (data.on_error: repair does this)")]


def map_tag(tag: str, tag_map: dict[str, str], report: ReadReport) -> str:
    """Apply the configured tag-spelling map to a whole tag or to its entity type (`B-PERS` -> `B-PER`)."""
    if not tag_map or tag == "O":
        return tag
    if tag in tag_map:
        report.repaired(f"tag renamed {tag} -> {tag_map[tag]}")
        return tag_map[tag]
    prefix, type_ = split_tag(tag)
    if type_ in tag_map:
        report.repaired(f"tag renamed {type_} -> {tag_map[type_]}")
        return f"{tag[:2]}{tag_map[type_]}" if prefix else tag_map[type_]
    return tag


def check_tags(
    tags: Sequence[str], lines: Sequence[int], scheme: Scheme, *, options: ReadOptions, path: str, report: ReadReport
) -> tuple[list[str], list[Issue]]:
    """Validate (and under `repair` fix) one layer's tags of one sentence; bare class names are fine in IO."""
    fixed: list[str] = []
    issues: list[Issue] = []
    repair = options.on_error == "repair"
    prev_prefix, prev_type = "O", ""
    for raw, line in zip(tags, lines, strict=True):
        tag, typos = _spelling(raw, line, options, path, report)
        issues += typos
        tag = map_tag(tag, options.tag_map, report)
        prefix, type_ = split_tag(tag)
        bad_type = label_problem(type_) if prefix != "O" else None
        if bad_type:
            fix = "rename it with data.tag_map (or --tag-map), or fix the tag"
            issues.append(issue(path, line, f"tag {shown(raw)}: {bad_type}", fix))
        elif prefix == "" and scheme != "IO":
            if repair:
                # Consecutive words of one bare class form one span, as in the CSV format.
                prefix = "I" if prev_prefix != "O" and prev_type == type_ else "B"
                tag = f"{prefix}-{type_}"
                report.repaired("bare class name given a B-/I- prefix")
            else:
                issues.append(
                    issue(
                        path,
                        line,
                        f"tag {shown(raw)} is neither O nor PREFIX-TYPE",
                        f"write B-{type_} (first word of a span) or I-{type_}, declare data.scheme: IO, or set "
                        "data.on_error: repair (consecutive words of one class become one span)",
                    )
                )
        elif prefix in ("E", "S") and scheme != "BIOES":
            issues.append(
                issue(path, line, f"tag {shown(raw)} is a BIOES tag in {scheme} data", "set data.scheme: BIOES or auto")
            )
        elif prefix in ("I", "E") and scheme in ("IOB2", "BIOES") and (prev_prefix in "OES" or prev_type != type_):
            opener = "B" if prefix == "I" else "S"
            if repair:
                tag = f"{opener}-{type_}"
                prefix = opener
                report.repaired(f"stray {raw[0]}- tag made {opener}-")
            else:
                issues.append(
                    issue(
                        path,
                        line,
                        f"stray {shown(tag)} after {'O' if prev_prefix == 'O' else f'{prev_prefix}-{prev_type}'} "
                        "(read as the start of a span, as conlleval does)",
                        f"make it {opener}-{type_} (data.on_error: repair does this)",
                        "warning",
                    )
                )
        fixed.append(tag)
        prev_prefix, prev_type = (prefix or "I"), type_
    return fixed, issues


def clean_token(token: str, line: int, options: ReadOptions, path: str, report: ReadReport) -> tuple[str, list[Issue]]:
    """A token without glued bidi/zero-width marks (under `repair`), or the problem they are."""
    if not any(char in INVISIBLE for char in token):
        return token, []
    stripped = "".join(char for char in token if char not in INVISIBLE)
    marks = " ".join(sorted({f"U+{ord(char):04X}" for char in token if char in INVISIBLE}))
    if not stripped:
        # Dropping the word would drop its tags: it stays a word and the encoder sees a placeholder piece for it.
        problem = f"token is only invisible marks ({marks}); kept as a word with a placeholder piece"
        return token, [issue(path, line, problem, "delete the line if it is noise", "warning")]
    if options.on_error == "repair":
        report.repaired("invisible marks stripped from a token")
        return stripped, []
    problem = f"token {shown(stripped)} has invisible mark(s) {marks} glued to it"
    return token, [issue(path, line, problem, "remove them (data.on_error: repair strips them)", "warning")]
