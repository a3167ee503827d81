"""Parsing a 독서활동상황 cell: `(1학기) 도서명(저자), 도서명(저자), …` into book entries.

Titles can contain commas (`총, 균, 쇠(재레드 다이아몬드)`), parentheses and brackets; the author part
can carry role words or be missing. An entry ends at a comma that follows a closing author bracket,
at a line break or a semicolon; a comma not after a bracket splits only when the pieces around it
look like whole titles (not `총`, `균`, `쇠`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .text import CLOSERS, OPENERS, PAIRS, compact, jamo, nfkc, split_volume

_SEMESTER = re.compile(r"[(\[]\s*(?P<a>[12])\s*학기\s*[)\]]\s*:?|(?<![\w])(?P<b>[12])\s*학기\s*[:：]")
_VOLUME_ONLY = re.compile(r"^\s*(?:제?\s*\d{1,3}\s*(?:권|부|편)?|[상중하](?:권)?|[ivx]+|[ⅰ-ⅹⅠ-Ⅹ])\s*$", re.I)
_EDITION_ONLY = re.compile(
    r"^\s*(?:개정\s*증보판|개정판|증보판|특별판|보급판|완역판|완역본|양장본?|반양장|리커버.*|한정판|최신판|합본|\d+\s*주년.*|[a-z ]*edition)\s*$",
    re.I,
)
_ROLE_HINT = re.compile(r"(?:지음|옮김|엮음|저|역|글|그림|편저|공저|외)\s*$")
_CLOSER_SET = set(CLOSERS) | {"）"}
_OPENER_SET = set(OPENERS) | {"（"}
_PAIR = {**PAIRS, "（": "）"}


@dataclass(frozen=True)
class ParsedEntry:
    """One book as written in a cell."""

    text: str  # exactly as written, semester prefix and separator removed, trimmed
    title: str
    author: str | None
    semester: str | None  # '1' / '2' when the cell says so
    index: int  # 1-based position in the cell


def _segments(cell: str) -> list[tuple[str | None, str]]:
    """Split a cell at semester markers: [(semester or None, text)]."""
    out: list[tuple[str | None, str]] = []
    pos = 0
    semester: str | None = None
    for m in _SEMESTER.finditer(cell):
        before = cell[pos : m.start()]
        if before.strip():
            out.append((semester, before))
        semester = m.group("a") or m.group("b")
        pos = m.end()
    rest = cell[pos:]
    if rest.strip():
        out.append((semester, rest))
    return out


def _split_points(text: str) -> list[tuple[int, str]]:
    """Depth-0 separators: (position, 'strong'|'weak'). Weak: a comma not after a closing bracket."""
    points = []
    stack: list[str] = []
    for i, ch in enumerate(text):
        if (ch in _OPENER_SET and ch not in ("“", "‘")) or (ch in ("“", "‘")):
            if ch in ("“", "‘") and stack and stack[-1] == ch:
                stack.pop()
            else:
                stack.append(ch)
            continue
        if ch in _CLOSER_SET:
            if stack and _PAIR.get(stack[-1]) == ch:
                stack.pop()
            elif stack and ch in ")）" and stack[-1] in "(（":
                stack.pop()
            continue
        if stack:
            continue
        if ch in "\n;；":
            points.append((i, "strong"))
        elif ch in ",，、":
            prev = text[:i].rstrip()
            if prev and prev[-1] in _CLOSER_SET and not _ends_with_volume_group(prev):
                points.append((i, "strong"))
            else:
                points.append((i, "weak"))
    return points


def _ends_with_volume_group(text: str) -> bool:
    """'토지(1)' ends with a bracket, but it is a volume, not an author: the title may go on."""
    group = _last_bracket_group(text)
    return group is not None and bool(_VOLUME_ONLY.match(group[1]))


@lru_cache(maxsize=16384)
def _last_bracket_group(text: str) -> tuple[int, str] | None:
    """(start index, inner text) of the bracket group closing at the end of `text`, if any."""
    t = text.rstrip()
    if not t or t[-1] not in _CLOSER_SET:
        return None
    closer = t[-1]
    depth = 0
    for i in range(len(t) - 1, -1, -1):
        ch = t[i]
        if ch in _CLOSER_SET:
            depth += 1
        elif ch in _OPENER_SET:
            depth -= 1
            if depth == 0:
                if _PAIR.get(ch) != closer and not (ch in "(（" and closer in ")）"):
                    return None
                return i, t[i + 1 : -1]
    return None


def _syllables(text: str) -> int:
    return len(compact(text))


def _join_weak(
    pieces: list[str], has_author: list[bool], known: frozenset[str], authored_cell: bool
) -> list[str]:
    """Decide which weak commas are inside a title (총, 균, 쇠(…)) and which separate books.

    `pieces` lie between two strong separators, so at most the last one carries an author.
    """
    if len(pieces) == 1:
        return pieces
    whole = ",".join(pieces)
    if _is_known(whole, known):
        return [whole]  # a catalogue title, commas and all
    heads = pieces[:-1]
    known_heads = [i for i, h in enumerate(heads) if _is_known(h, known)]
    if known_heads and has_author[-1] and known_heads[-1] + 1 < len(pieces) - 1:
        # '눈먼 시계공, 그건, 사랑이었네(한비야)': split after the known title, decide the rest anew
        k = known_heads[-1] + 1
        head_part = _join_weak(pieces[:k], has_author[:k], known, authored_cell)
        return head_part + _join_weak(pieces[k:], has_author[k:], known, authored_cell)
    if has_author[-1]:
        short_heads = all(_syllables(h) <= 2 and " " not in h.strip() for h in heads)
        known_head = bool(known_heads)
        # 괴델, 에셔, 바흐(…) / 안녕, 헤이즐(…): short words before the title's last part
        if short_heads and not known_head:
            return [whole]
        # In a cell whose books all carry an author, a comma before the author is inside the title
        # (새빨간 거짓말, 통계(대럴 허프)) unless a piece is a title of its own (데미안, 어린 왕자(…)).
        if authored_cell and not known_head:
            return [whole]
    # Separate books; a one-syllable piece still belongs to its neighbour (총, 균, 쇠 without author).
    out: list[str] = []
    for piece in pieces:
        if out and (_syllables(_title_part(piece)) <= 1 or _syllables(out[-1]) <= 1):
            out[-1] = out[-1] + "," + piece
        else:
            out.append(piece)
    return out


def _is_known(piece: str, known: frozenset[str]) -> bool:
    """The piece is a catalogue title, or one retyped with a one-key slip (아의 눈부신 친구)."""
    if not known:
        return False
    key = compact(split_volume(_title_part(piece))[0])
    if key in known:
        return True
    if len(key) < 4:
        return False
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    return process.extractOne(jamo(key), _known_jamo(known), scorer=OSA.distance, score_cutoff=1) is not None


@lru_cache(maxsize=4)
def _known_jamo(known: frozenset[str]) -> list[str]:
    return [jamo(k) for k in known if len(k) >= 4]


def _title_part(entry: str) -> str:
    group = _last_bracket_group(entry)
    if group is None:
        return entry
    return entry[: group[0]]


def split_title_author(entry: str) -> tuple[str, str | None]:
    """'데미안(헤르만 헤세 지음)' -> ('데미안', '헤르만 헤세 지음'); a trailing volume stays in the title."""
    e = entry.strip()
    group = _last_bracket_group(e)
    if group is not None:
        start, inner = group
        inner_s = inner.strip()
        title = e[:start].strip()
        if title and inner_s and not _VOLUME_ONLY.match(inner_s) and not _EDITION_ONLY.match(inner_s):
            return title, inner_s
        return e, None
    # 데미안 - 헤르만 헤세 / 데미안 / 헤르만 헤세 (spaces around the dash or slash)
    m = re.match(r"^(?P<t>.+?)\s+[-–—/]\s+(?P<a>[^-–—/]+)$", e)
    if m and len(compact(m.group("a"))) <= 20:
        return m.group("t").strip(), m.group("a").strip()
    return e, None


def parse_reading_cell(cell: str, known_titles: frozenset[str] | None = None) -> list[ParsedEntry]:
    """All books in one 독서활동상황 cell, in order, each with the text exactly as written.

    `known_titles` (compact forms) tells which comma-separated pieces are titles of their own;
    by default the package's catalogue of real titles.
    """
    if not cell or not cell.strip():
        return []
    if known_titles is None:
        from .catalog import known_compact_titles

        known_titles = known_compact_titles()
    cell = cell.replace("\r\n", "\n").replace("\r", "\n")
    entries: list[ParsedEntry] = []
    segments = _segments(cell)
    parts: list[tuple[str | None, list[str]]] = []
    for semester, seg in segments:
        points = _split_points(seg)
        # Cut at strong separators; inside each part, weak commas are decided below.
        bounds = [-1] + [p for p, kind in points if kind == "strong"] + [len(seg)]
        for k in range(len(bounds) - 1):
            part_start, part_end = bounds[k] + 1, bounds[k + 1]
            part = seg[part_start:part_end]
            if not compact(part):
                continue
            weak = [p - part_start for p, kind in points if kind == "weak" and part_start <= p < part_end]
            cuts = [-1, *weak, len(part)]
            parts.append((semester, [part[cuts[n] + 1 : cuts[n + 1]] for n in range(len(cuts) - 1)]))
    authored = [_last_bracket_group(pieces[-1]) is not None for _, pieces in parts]
    authored_cell = all(authored)
    for semester, pieces in parts:
        has_author = [_last_bracket_group(p) is not None for p in pieces]
        for piece in _join_weak(pieces, has_author, known_titles, authored_cell):
            text = piece.strip().strip(",，、").strip()
            if not compact(text):
                continue
            title, author = split_title_author(text)
            entries.append(
                ParsedEntry(text=text, title=title, author=author, semester=semester, index=len(entries) + 1)
            )
    return entries


def normalise_semester(value: str) -> str | None:
    """'1학기' / '1' / '１' -> '1'; anything else -> None."""
    m = re.search(r"[12]", nfkc(value or ""))
    return m.group(0) if m else None
