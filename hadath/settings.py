"""How a setting is declared and checked: `setting()` puts a config field's default, range and one-line help on the
field itself; one walk builds typed dataclasses from a YAML mapping, one checks every range, one writes the
reference (`hadath train --help`). A new setting is one field in hadath/config.py and nothing else.

Also the bounded YAML reader and the `FILE: what is wrong — how to fix it` error every config problem raises.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
import reprlib
import textwrap
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import yaml

T = TypeVar("T")


class ConfigError(ValueError):
    """A configuration problem, phrased for the user as `FILE: what is wrong — how to fix it`."""


@dataclass(frozen=True)
class Rule:
    """The values a numeric setting accepts (bounds, each inclusive or not), or the pattern a text setting matches."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    pattern: str | None = None
    # What the error suggests beside the range, e.g. "0 turns it off".
    hint: str = ""

    def allows(self, value: Any) -> bool:
        """Whether `value` passes; values of another kind (`auto` for a count, a number for a pattern) are not ours."""
        if self.pattern is not None:
            return not isinstance(value, str) or re.fullmatch(self.pattern, value) is not None
        if isinstance(value, bool) or not isinstance(value, int | float):
            return True
        if not math.isfinite(value):
            return False
        low_ok = self.low is None or value > self.low or (value == self.low and not self.low_open)
        high_ok = self.high is None or value < self.high or (value == self.high and not self.high_open)
        return low_ok and high_ok

    def describe(self) -> str:
        """The accepted values in words: `> 0`, `>= 1`, `in [0, 1)`."""
        if self.pattern is not None:
            return f"matching {self.pattern}"
        if self.low is not None and self.high is not None:
            return f"in {'(' if self.low_open else '['}{self.low:g}, {self.high:g}{')' if self.high_open else ']'}"
        if self.low is not None:
            return f"{'>' if self.low_open else '>='} {self.low:g}"
        return f"{'<' if self.high_open else '<='} {self.high:g}"


_HELP, _RULE = "hadath.help", "hadath.rule"


def setting(
    default: T,
    help: str,
    *,
    gt: float | None = None,
    ge: float | None = None,
    lt: float | None = None,
    le: float | None = None,
    pattern: str | None = None,
    hint: str = "",
) -> T:
    """A config field with its default, its one-line help and (optionally) the range or pattern it must satisfy."""
    metadata: dict[str, Any] = {_HELP: help}
    if (gt, ge, lt, le, pattern) != (None,) * 5:
        low, high = gt if gt is not None else ge, lt if lt is not None else le
        metadata[_RULE] = Rule(low, high, gt is not None, lt is not None, pattern, hint)
    return typing.cast(T, field(default=default, metadata=metadata))


def setting_factory(factory: Callable[[], T], help: str) -> T:
    """A config field whose default is a fresh mapping or list, with its one-line help."""
    return typing.cast(T, field(default_factory=factory, metadata={_HELP: help}))


@dataclass(frozen=True)
class SettingInfo:
    """One leaf setting as the reference shows it."""

    key: str
    kind: str
    default: Any
    help: str
    rule: Rule | None


def settings_of(cls: type, prefix: str = "") -> Iterator[SettingInfo]:
    """Every leaf setting of a config dataclass (sections walked into), in declaration order."""
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        annotation = hints[f.name]
        if dataclasses.is_dataclass(annotation):
            yield from settings_of(annotation, f"{prefix}{f.name}.")  # type: ignore[arg-type]
            continue
        default = f.default if f.default_factory is dataclasses.MISSING else f.default_factory()
        yield SettingInfo(prefix + f.name, type_text(annotation), default, f.metadata.get(_HELP, ""), rule_of(f))


def rule_of(f: dataclasses.Field[Any]) -> Rule | None:
    """The range or pattern declared on a field, if any."""
    return f.metadata.get(_RULE)


def help_of(cls: type, name: str) -> str:
    """The one-line help declared on field `name` of a config dataclass."""
    return next(f.metadata[_HELP] for f in dataclasses.fields(cls) if f.name == name)


def type_text(annotation: Any) -> str:
    """A field's type as a user writes its value: `int`, `auto|fp32|bf16`, `auto|int`, `list[int]`."""
    origin = typing.get_origin(annotation)
    if origin is Literal:
        return "|".join(map(str, typing.get_args(annotation)))
    if origin in (typing.Union, types.UnionType):
        options = [option for option in typing.get_args(annotation) if option is not type(None)]
        text = "|".join(type_text(option) for option in options)
        return text + ("|null" if len(options) < len(typing.get_args(annotation)) else "")
    if origin in (dict, list):
        return f"{origin.__name__}[{', '.join(type_text(arg) for arg in typing.get_args(annotation))}]"
    return getattr(annotation, "__name__", str(annotation))


def reference(cls: type, width: int = 118) -> str:
    """Every setting, one per line: key, type, default, range and help (the `hadath train --help` list)."""
    lines = []
    for info in settings_of(cls):
        rule = f"; {info.rule.describe()}" if info.rule else ""
        line = f"{info.key} ({info.kind}, default {_default_text(info.default)}{rule}): {info.help}"
        lines.extend(textwrap.wrap(line, width, initial_indent="  ", subsequent_indent="      "))
    return "\n".join(lines)


def _default_text(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    return "''" if value == "" else str(value)


def check_rules(config: Any, source: str, prefix: str = "") -> None:
    """Raise ConfigError for the first field of `config` (walked into) whose value its declared rule refuses."""
    for f in dataclasses.fields(config):
        value = getattr(config, f.name)
        if dataclasses.is_dataclass(value):
            check_rules(value, source, f"{prefix}{f.name}.")
            continue
        rule = rule_of(f)
        if rule is not None and not rule.allows(value):
            fix = f" — {rule.hint}" if rule.hint else " — fix its value"
            raise ConfigError(f"{source}: `{prefix}{f.name}` must be {rule.describe()}, got {quote(value)}{fix}")


# YAML aliases share one object however often they are used, so a few hundred bytes can stand for billions of nodes
# (a "billion laughs" bomb); any walk over such a value (repr, copy, validation) never ends. Configs need a handful.
MAX_YAML_ALIASES = 64
MAX_YAML_NODES = 100_000
_QUOTE = reprlib.Repr()  # attributes, not keywords: Python 3.11's Repr takes none
_QUOTE.maxlevel, _QUOTE.maxdict, _QUOTE.maxlist, _QUOTE.maxstring, _QUOTE.maxlong = 2, 4, 4, 40, 40
_QUOTE_CHARS = 60


def quote(value: Any) -> str:
    """A short, bounded repr of a user's value for an error message (never the whole of a huge one)."""
    try:
        text = _QUOTE.repr(value)
    except ValueError:  # an int past Python's 4300-digit str() limit
        text = f"<{type(value).__name__} too long to show>"
    return text if len(text) <= _QUOTE_CHARS else text[: _QUOTE_CHARS - 3] + "..."


class _BoundedLoader(yaml.SafeLoader):
    """The safe loader, refusing documents with more than MAX_YAML_ALIASES aliases."""

    aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_YAML_ALIASES:
                raise yaml.YAMLError(f"more than {MAX_YAML_ALIASES} aliases (*name)")
        return super().compose_node(parent, index)


def load_yaml(text: str, source: str) -> Any:
    """Parse YAML safely and within bounds: too many aliases, or a value that expands past MAX_YAML_NODES nodes, is a
    ConfigError naming `source`."""
    try:
        loader = _BoundedLoader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except (yaml.YAMLError, ValueError) as error:  # ValueError: an int past Python's 4300-digit limit
        raise ConfigError(f"{source}: not valid YAML ({str(error).splitlines()[0]}) — fix the syntax") from None
    if _node_count(data, MAX_YAML_NODES) > MAX_YAML_NODES:
        raise ConfigError(f"{source}: expands to more than {MAX_YAML_NODES} values — remove the repeated aliases")
    return data


def _node_count(value: Any, limit: int) -> int:
    """Nodes in a parsed document counting shared ones each time they appear, stopping once past `limit`."""
    count, stack = 0, [value]
    while stack and count <= limit:
        node = stack.pop()
        count += 1
        if isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return count


_YAML11_FLOAT_MISS = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d+")


def coerce(value: Any, annotation: Any, key: str, source: str) -> Any:
    """`value` checked against (and converted to) a field's type, or a ConfigError naming `key`."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return _coerce_union(value, typing.get_args(annotation), key, source)
    if origin is Literal:
        choices = typing.get_args(annotation)
        if isinstance(value, bool) and {"yes", "no"} <= set(choices):
            value = "yes" if value else "no"  # YAML 1.1 reads a bare yes/no as a boolean
        if value not in choices:
            raise ConfigError(f"{source}: `{key}` is {quote(value)} — use one of: {', '.join(map(str, choices))}")
        return value
    if dataclasses.is_dataclass(annotation):
        if not isinstance(value, dict):
            raise ConfigError(f"{source}: `{key}` must be a mapping — write it as `{key}:` with indented keys")
        return build(annotation, value, key + ".", source)  # type: ignore[arg-type]
    if origin is dict:
        _, value_type = typing.get_args(annotation)
        if not isinstance(value, dict):
            raise ConfigError(f"{source}: `{key}` must be a mapping — e.g. `{key}: {{entities: 1}}`")
        return {str(k): coerce(v, value_type, f"{key}.{k}", source) for k, v in value.items()}
    if origin is list:
        (item_type,) = typing.get_args(annotation)
        if not isinstance(value, list):
            raise ConfigError(f"{source}: `{key}` must be a list — e.g. `{key}: [a, b]`")
        return [coerce(v, item_type, f"{key}[{i}]", source) for i, v in enumerate(value)]
    return _coerce_scalar(value, annotation, key, source)


def _coerce_union(value: Any, options: tuple[Any, ...], key: str, source: str) -> Any:
    if value is None and type(None) in options:
        return None
    inner = [option for option in options if option is not type(None)]
    for option in inner:  # `Literal["auto"] | int`: a count is kept as written (and `| bool`: true / false)
        if option is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if option is bool and isinstance(value, bool):
            return value
    if bool in inner and typing.get_origin(inner[0]) is Literal and value not in typing.get_args(inner[0]):
        allowed = ", ".join([*map(str, typing.get_args(inner[0])), "true", "false"])
        raise ConfigError(f"{source}: `{key}` is {quote(value)} — use one of: {allowed}")
    return coerce(value, inner[0], key, source)


def _coerce_scalar(value: Any, annotation: Any, key: str, source: str) -> Any:
    if annotation is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if annotation is float and isinstance(value, str) and _YAML11_FLOAT_MISS.fullmatch(value.strip()):
        return float(value)  # YAML 1.1 reads `2e-4` (no dot) as a string: it is the number the user wrote
    if annotation in (int, float, str, bool) and not (
        isinstance(value, annotation) and not (annotation is int and isinstance(value, bool))
    ):
        got = f"{type(value).__name__} {quote(value)}"
        raise ConfigError(f"{source}: `{key}` must be {annotation.__name__}, got {got} — fix its value")
    return value


def build(cls: type, values: dict[str, Any], prefix: str, source: str) -> Any:
    """An instance of config dataclass `cls` from a mapping; an unknown key names the nearest valid one."""
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    for key in values:
        if key not in names:
            near = difflib.get_close_matches(str(key), names, n=1)
            hint = f"did you mean `{prefix}{near[0]}`?" if near else f"valid keys: {', '.join(names)}"
            raise ConfigError(f"{source}: unknown key `{prefix}{key}` — {hint}")
    kwargs = {key: coerce(value, hints[key], prefix + key, source) for key, value in values.items()}
    return cls(**kwargs)
