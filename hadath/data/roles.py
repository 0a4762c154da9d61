"""Event argument roles: which roles each event type has and which entity types may fill each role.

This table is the one definition of event arguments. `hadath data validate` checks links against it, the argument
head's label space is `argument_labels()`, the corpus generator refuses a template role it does not list, and the
table in data/README.md is `roles_table()`'s output.
"""

from __future__ import annotations

from collections.abc import Sequence

from hadath.data.sentence import Sentence

# The person-or-organisation entity types that act or undergo (ACE's PER/ORG; no GPE/FAC in this scheme).
_ACTORS = ("PER", "ORG")

ROLES: dict[str, dict[str, tuple[str, ...]]] = {
    "ATTACK": {
        "Attacker": _ACTORS,
        "Target": ("PER", "ORG", "LOC"),
        "Place": ("LOC",),
        "Time": ("DATE",),
        "Instrument": ("WEA", "VEH"),
    },
    "KILL": {
        "Agent": _ACTORS,
        "Victim": _ACTORS,
        "Place": ("LOC",),
        "Time": ("DATE",),
        "Instrument": ("WEA", "VEH"),
    },
    "ARREST": {"Agent": _ACTORS, "Person": _ACTORS, "Place": ("LOC",), "Time": ("DATE",)},
    "MEETING": {"Participant": _ACTORS, "Place": ("LOC",), "Time": ("DATE",)},
    "WITHDRAWAL": {"Agent": _ACTORS, "Origin": ("LOC", "ORG"), "Destination": ("LOC",), "Time": ("DATE",)},
    "STATEMENT": {"Speaker": _ACTORS, "Time": ("DATE",)},
}

# What the argument head predicts for a (trigger, entity) pair that is no argument.
NO_ROLE = "none"


def argument_labels() -> list[str]:
    """The argument head's classes: `none` first, then every role name once, in table order."""
    names = dict.fromkeys(role for roles in ROLES.values() for role in roles)
    return [NO_ROLE, *names]


def role_problem(event_type: str, entity_type: str, role: str) -> str | None:
    """Why (event type, role, entity type) is not a valid link, or None when it is."""
    roles = ROLES.get(event_type)
    if roles is None:
        return f"event type {event_type} has no argument roles (known: {', '.join(ROLES)})"
    if role not in roles:
        return f"{event_type} has no role {role} (its roles: {', '.join(roles)})"
    if entity_type not in roles[role]:
        return f"{event_type}.{role} takes {'/'.join(roles[role])}, not {entity_type}"
    return None


def roles_table() -> str:
    """The Markdown table of data/README.md: per event type, each role and the entity types it allows."""
    lines = ["| event type | role | entity types |", "|---|---|---|"]
    for event_type, roles in ROLES.items():
        lines.extend(f"| `{event_type}` | `{role}` | {', '.join(types)} |" for role, types in roles.items())
    return "\n".join(lines)


def argument_problems(sentences: Sequence[Sentence]) -> list[str]:
    """`FILE:LINE: problem — fix` for every argument whose role or entity type the table does not allow."""
    problems = []
    for sentence in sentences:
        for trigger, entity, role in sentence.typed_arguments():
            problem = role_problem(trigger.label, entity.label, role)
            if problem is not None:
                where = sentence.source or "<text>"
                words = " ".join(sentence.words[entity.start : entity.end])
                problems.append(
                    f"{where}: argument {role} of {trigger.label} → {entity.label} `{words}`: {problem} — "
                    "fix the link, or add the role to hadath/data/roles.py"
                )
    return problems
