"""`hadath data validate`: every problem of a file as `FILE:LINE`, a capped few of each kind with the total of each,
suspicious rare entity types, and a one-line verdict — read as a stream, so memory stays flat."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from hadath.data.repair import KEPT_PER_KIND, ReadReport
from hadath.data.roles import argument_problems
from hadath.data.sentence import Sentence
from hadath.data.type_tally import RARE_BELOW, TypeTally

LONG_SENTENCE = 1000


@dataclass
class Validation:
    """What validating found beyond the read report: sentences, spans, rare types, the longest sentence."""

    sentences: int = 0
    spans: int = 0
    longest: tuple[int, str] = (0, "")
    types: TypeTally = field(default_factory=TypeTally)
    # Event argument links, and those whose role or entity type hadath/data/roles.py does not allow (errors).
    links: int = 0
    link_problems: list[str] = field(default_factory=list)

    def add(self, sentence: Sentence) -> None:
        """Count one sentence."""
        self.sentences += 1
        self.spans += sum(len(spans) for spans in sentence.layers.values())
        self.links += len(sentence.arguments)
        self.link_problems += argument_problems([sentence])
        self.longest = max(self.longest, (len(sentence.word_offsets), sentence.source))
        self.types.add(sentence)


def validate(sentences: Iterable[Sentence]) -> Validation:
    """Count a stream of sentences."""
    found = Validation()
    for sentence in sentences:
        found.add(sentence)
    return found


def report_lines(report: ReadReport, found: Validation, rare_below: int = RARE_BELOW) -> tuple[list[str], int]:
    """The problem lines (stdout) and the number of warnings the rare types add."""
    lines = [str(problem) for problem in report.problems()]
    for kind, more in report.unlisted().items():
        lines.append(f"... {more:,} more of this kind not listed (first {KEPT_PER_KIND} shown): {kind}")
    lines += found.link_problems[:KEPT_PER_KIND]
    if len(found.link_problems) > KEPT_PER_KIND:
        more = len(found.link_problems) - KEPT_PER_KIND
        lines.append(f"... {more:,} more argument links not listed (first {KEPT_PER_KIND} shown)")
    rare = found.types.rare(rare_below)
    lines += rare
    return lines, len(rare)


def verdict(path: str, report: ReadReport, found: Validation, rare: int) -> str:
    """The summary line, with totals per kind when any kind was capped."""
    errors = report.error_count + len(found.link_problems)
    problems = errors + report.warning_count + rare
    state = "OK" if not problems else f"{errors} error(s), {report.warning_count + rare} warning(s)"
    repairs = sum(report.repairs.values())
    links = f", {found.links} argument links" if found.links else ""
    text = (
        f"{path}: {state} — {found.sentences} sentences, {found.spans} spans{links}, {repairs} repair(s), "
        f"{report.skipped_sentences} sentence(s) skipped (policy: {report.policy})"
    )
    if rare:
        text += f"; {rare} place(s) of rare entity types"
    words, source = found.longest
    if words > LONG_SENTENCE:
        text += (
            f"; longest sentence {words:,} words at {source} — unsegmented text? "
            "cut it with --split-sentences or --max-sentence-words N (data.max_sentence_words)"
        )
    return text
