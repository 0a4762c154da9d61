"""Offsets counted in UTF-16 code units (JavaScript string indexes) against Python's, which count code points.

Browser-based annotation tools measure text with JavaScript, where a character outside the Basic Multilingual Plane
(an emoji, a rare CJK ideograph) is two units; Arabic letters, diacritics, tatweel and the bidi and zero-width marks
are one unit in both counts, so only such characters move an offset.
"""

from __future__ import annotations

from bisect import bisect_left


def _astral(text: str) -> list[int]:
    """Code-point indexes of the characters that take two UTF-16 units."""
    return [index for index, char in enumerate(text) if ord(char) > 0xFFFF]


def to_utf16(text: str, index: int) -> int:
    """The UTF-16 offset of code-point offset `index` in `text`."""
    return index + bisect_left(_astral(text), index)


def from_utf16(text: str, offset: int) -> int | None:
    """The code-point offset of UTF-16 offset `offset` in `text`; None when it falls between the two halves of one
    character (it cannot be a character edge) or past the end."""
    astral = _astral(text)
    if offset < 0 or not astral:
        return offset if 0 <= offset <= len(text) else None
    index, units = 0, 0
    for position in astral:
        gap = position - index
        if units + gap >= offset:
            return index + (offset - units)
        units += gap + 2
        index = position + 1
        if offset == units - 1:
            return None
    index += offset - units
    return index if 0 <= index <= len(text) else None


def utf16_length(text: str) -> int:
    """The text's length in UTF-16 code units."""
    return len(text) + len(_astral(text))
