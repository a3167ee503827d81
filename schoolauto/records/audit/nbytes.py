"""NEIS byte counting: an ASCII character is 1 byte, any other character 3, a line break 2 (CRLF too)."""

from __future__ import annotations

import re

_BREAK = re.compile(r"\r\n|\r|\n")


def char_bytes(ch: str, newline_bytes: int = 2) -> int:
    if ch == "\n":
        return newline_bytes
    return 1 if ord(ch) < 128 else 3


def normalise_breaks(text: str) -> str:
    """CRLF and CR become LF, so that a break is one character and counts once."""
    return _BREAK.sub("\n", text)


def neis_bytes(text: str, newline_bytes: int = 2) -> int:
    """Bytes NEIS counts for `text` (breaks as given by `newline_bytes`, CRLF counted as one break)."""
    t = normalise_breaks(text)
    ascii_count = sum(1 for ch in t if ord(ch) < 128 and ch != "\n")
    breaks = t.count("\n")
    return ascii_count + 3 * (len(t) - ascii_count - breaks) + newline_bytes * breaks


def limit_offset(text: str, limit: int, newline_bytes: int = 2) -> int | None:
    """Index (in `text` as given) of the first character that does not fit in `limit` bytes, or None."""
    total = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        width = 1
        if ch == "\r":
            if i + 1 < n and text[i + 1] == "\n":
                width = 2
            cost = newline_bytes
        else:
            cost = char_bytes(ch, newline_bytes)
        if total + cost > limit:
            return i
        total += cost
        i += width
    return None
