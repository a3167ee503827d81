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

from .text import _EDITION_WORDS, _PART_RE, CLOSERS, OPENERS, PAIRS, compact, jamo, nfkc, title_key

_SEMESTER = re.compile(r"[(\[]\s*(?P<a>[12])\s*학기\s*[)\]]\s*:?|(?<![\w])(?P<b>[12])\s*학기\s*[:：]")
_VOLUME_ONLY = re.compile(
    r"^\s*(?:제?\s*\d{1,3}\s*(?:권|부|편)?|[상중하](?:권)?|[ivx]+|[ⅰ-ⅹⅠ-Ⅹ]|" + _PART_RE + r")\s*$", re.I
)
_EDITION_ONLY = re.compile(
    r"^\s*(?:(?:" + _EDITION_WORDS + r")[\s,·]*)+$|^\s*(?:리커버.*|\d+\s*주년.*|[a-z ]*edition)\s*$",
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


_SUBTITLE_START = re.compile(r"\S\s*[:：]\s*\S|\S\s+-+\s+\S|\S\s*[—–―]+\s*\S")
MAX_GROUP_CHARS = 200  # a bracket group longer than this is no author part: never scanned further
MAX_JOIN_PIECES = 6  # a title holds at most this many commas


def _split_points(text: str) -> list[tuple[int, str]]:
    """Depth-0 separators: (position, 'strong'|'weak'|'space'). Weak: a comma not after a closing
    bracket; space: whitespace after an author bracket, where another book may begin (NEIS writes
    `제목(저자) 제목(저자)` too)."""
    points: list[tuple[int, str]] = []
    stack: list[str] = []
    last_closer = -1  # position of the last depth-0 closing bracket
    blank_since_closer = False  # only spaces between that bracket and here
    for i, ch in enumerate(text):
        right_after_closer = blank_since_closer
        if stack or not ch.isspace():
            blank_since_closer = False
        if ch in _OPENER_SET or ch in ("“", "‘"):
            if ch in ("“", "‘") and stack and stack[-1] == ch:
                stack.pop()
            elif len(stack) < 50:
                stack.append(ch)
            continue
        if ch in _CLOSER_SET:
            if stack and _PAIR.get(stack[-1]) == ch:
                stack.pop()
            elif stack and ch in ")）" and stack[-1] in "(（":
                stack.pop()
            if not stack:
                last_closer = i
                blank_since_closer = True
            continue
        if stack:
            continue
        if ch in "\n;；":
            points.append((i, "strong"))
        elif ch in ",，、/":
            after_closer = last_closer >= 0 and right_after_closer
            if after_closer and not _ends_with_volume_group(text, last_closer):
                points.append((i, "strong"))
            elif ch != "/":
                points.append((i, "weak"))
        elif ch.isspace() and last_closer == i - 1 and text[last_closer] in ")）":
            points.append((i, "space"))
    return points


def _ends_with_volume_group(text: str, end: int) -> bool:
    """'토지(1)' ends with a bracket, but it is a volume, not an author: the title may go on."""
    group = _group_ending_at(text, end)
    return group is not None and bool(_VOLUME_ONLY.match(group[1]))


def _group_ending_at(text: str, end: int) -> tuple[int, str] | None:
    """(start, inner text) of the bracket group whose closer is at `end`; bounded look-back."""
    closer = text[end]
    depth = 0
    for i in range(end, max(-1, end - MAX_GROUP_CHARS), -1):
        ch = text[i]
        if ch in _CLOSER_SET:
            depth += 1
        elif ch in _OPENER_SET:
            depth -= 1
            if depth == 0:
                if _PAIR.get(ch) != closer and not (ch in "(（" and closer in ")）"):
                    return None
                return i, text[i + 1 : end]
    return None


def _last_bracket_group(text: str) -> tuple[int, str] | None:
    """(start index, inner text) of the bracket group closing at the end of `text`, if any."""
    end = len(text) - 1
    while end >= 0 and text[end].isspace():
        end -= 1
    if end < 0 or text[end] not in _CLOSER_SET:
        return None
    return _group_ending_at(text, end)


def _cut_points(seg: str, points: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Keep a space point only where one book ends with its author and another book with its own
    author follows: `데미안(헤르만 헤세) 변신(카프카)`; otherwise the space is inside an entry."""
    out: list[tuple[int, str]] = []
    last_cut = -1
    next_cut = [len(seg)] * (len(points) + 1)  # position of the next strong or space point
    for n in range(len(points) - 1, -1, -1):
        next_cut[n] = points[n][0] if points[n][1] != "weak" else next_cut[n + 1]
    for n, (p, kind) in enumerate(points):
        if kind == "space":
            nxt = next_cut[n + 1]
            left, right = seg[last_cut + 1 : p], seg[p + 1 : nxt].strip()
            if not (
                right and right[0] not in _OPENER_SET and _is_author_group(left) and _is_author_group(right)
            ):
                continue
            rest = right[: _last_bracket_group(right)[0]]  # type: ignore[index]
            if _EDITION_ONLY.match(rest) or _VOLUME_ONLY.match(rest) or len(compact(rest)) < 1:
                continue
            kind = "strong"
        if kind == "strong":
            last_cut = p
        out.append((p, kind))
    return out


def _syllables(text: str) -> int:
    return len(compact(text))


def _is_author_group(piece: str) -> bool:
    """The piece ends with a bracket group that can be an author part (not 1, 상, 개정판, 기본편)."""
    group = _last_bracket_group(piece)
    if group is None or not piece[: group[0]].strip():
        return False
    inner = group[1].strip()
    if not inner or _VOLUME_ONLY.match(inner) or _EDITION_ONLY.match(inner) or len(inner) > 60:
        return False
    from .authors import parse_author_part

    part = parse_author_part(inner)
    return bool(part.authors or part.publisher or part.translators) and len(inner.split()) <= 6


def _join_weak(
    pieces: list[str], has_author: list[bool], known: frozenset[str], authored_cell: bool
) -> list[str]:
    """Decide which weak commas are inside a title (총, 균, 쇠(…)) and which separate books.

    `pieces` lie between two strong separators, so at most the last one carries an author. Runs of
    pieces that make a catalogue title are taken first (longest first), so an author-less title
    with a comma is still one book (`멈추면, 비로소 보이는 것들, 날개(이상)`); the pieces between them are
    decided by their shape.
    """
    n = len(pieces)
    if n == 1:
        return pieces
    if n > 200:  # not a list of books: no search over it, nothing looked up
        return _join_unknown(pieces, has_author, False, ends_part=False, known=frozenset())
    whole = ",".join(pieces)
    last = compact(_title_part(pieces[-1]))
    if not (last.isdigit() and last in known) and _is_known(whole, known):
        return [whole]  # a catalogue title, commas and all
    # the longest known run starting at each piece
    known_at: dict[int, int] = {}
    for i in range(n):
        for k in range(min(n, i + MAX_JOIN_PIECES), i, -1):
            last = compact(_title_part(pieces[k - 1]))
            if k - i > 1 and last.isdigit() and last in known:
                continue  # '한국이 싫어서, 28(정유정)': a number after a comma is a book (28), not a volume
            if _is_known(",".join(pieces[i:k]), known):
                known_at[i] = k
                break
        if i not in known_at and i + 1 < n:
            # 청소년을 위한 다시, 역사의 쓸모(…): words before a catalogue title that holds a comma
            words = pieces[i].split()[-8:]
            for k in range(min(n, i + MAX_JOIN_PIECES), i + 1, -1):
                rest = ",".join(pieces[i + 1 : k])
                if any(_is_known(" ".join(words[w:]) + "," + rest, known) for w in range(1, len(words))):
                    known_at[i] = k
                    break
    out: list[str] = []
    i = 0
    while i < n:
        if i in known_at:
            k = known_at[i]
            out.append(",".join(pieces[i:k]))
            i = k
            continue
        j = i + 1
        while j < n and j not in known_at:
            j += 1
        stretch = pieces[i:j]
        out.extend(_join_unknown(stretch, has_author[i:j], authored_cell, ends_part=j == n, known=known))
        i = j
    return out


def _join_unknown(
    pieces: list[str],
    has_author: list[bool],
    authored_cell: bool,
    *,
    ends_part: bool,
    known: frozenset[str] = frozenset(),
) -> list[str]:
    """Pieces none of which starts a catalogue title: joined or split by their shape."""
    if len(pieces) == 1:
        return pieces
    whole = ",".join(pieces)
    heads = pieces[:-1]
    if ends_part and has_author[-1] and _SUBTITLE_START.search(heads[0]):
        return [
            whole
        ]  # 사피엔스: 유인원에서 사이보그까지, 인간 역사의 …(유발 하라리): a comma in the subtitle
    if ends_part and has_author[-1]:
        # 그림으로 읽는 괴델, 에셔, 바흐(…): words before a catalogue title that holds commas
        for i in range(max(0, len(pieces) - MAX_JOIN_PIECES), len(pieces) - 1):
            words = pieces[i].split()[-8:]
            rest = ",".join(pieces[i + 1 :])
            if any(_is_known(" ".join(words[w:]) + "," + rest, known) for w in range(1, len(words))):
                return (
                    [
                        *_join_unknown(
                            pieces[:i], has_author[:i], authored_cell, ends_part=False, known=known
                        ),
                        ",".join(pieces[i:]),
                    ]
                    if i
                    else [whole]
                )
        # 괴델, 에셔, 바흐(…) / 안녕, 헤이즐(…): short words before the title's last part
        if all(_syllables(h) <= 2 and " " not in h.strip() for h in heads):
            return [whole]
        # In a cell whose books all carry an author, a comma before the author is inside the title
        # (새빨간 거짓말, 통계(대럴 허프)) unless a piece is a title of its own (데미안, 어린 왕자(…)).
        if authored_cell and not any(_is_known(h, known) for h in heads):
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
    if not known or len(piece) > MAX_GROUP_CHARS:
        return False
    key = title_key(_title_part(piece)).compact  # edition words, quotes and the volume folded away
    if key in known:
        return True
    if len(key) < 4 or len(key) > 60:
        return False
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    hit = process.extractOne(jamo(key), _known_jamo(known), scorer=OSA.distance, score_cutoff=1)
    # a slip, not a number added: 도둑맞은 집중력 / 도둑맞은 집중력, 2 8
    return hit is not None and re.findall(r"\d", hit[0]) == re.findall(r"\d", jamo(key))


@lru_cache(maxsize=4)
def _known_jamo(known: frozenset[str]) -> list[str]:
    return [jamo(k) for k in known if len(k) >= 4]


def _title_part(entry: str) -> str:
    group = _last_bracket_group(entry)
    if group is None:
        return entry
    return entry[: group[0]]


def split_title_author(entry: str) -> tuple[str, str | None]:
    """'데미안(헤르만 헤세 지음)' -> ('데미안', '헤르만 헤세 지음'); a trailing volume stays in the title;
    '코스모스(칼 세이건)(사이언스북스)' -> ('코스모스', '칼 세이건, 사이언스북스')."""
    from .authors import is_publisher, parse_author_part

    e = entry.strip()
    group = _last_bracket_group(e)
    if group is not None:
        start, inner = group
        inner_s = inner.strip()
        title = e[:start].strip()
        if title and inner_s and not _VOLUME_ONLY.match(inner_s) and not _EDITION_ONLY.match(inner_s):
            if is_publisher(inner_s):
                before = _last_bracket_group(title)
                if before is not None and title[: before[0]].strip() and parse_author_part(before[1]).authors:
                    return title[: before[0]].strip(), f"{before[1].strip()}, {inner_s}"
            return title, inner_s
        return e, None
    # 데미안 - 헤르만 헤세 / 데미안 / 헤르만 헤세 (spaces around the dash or slash), when the part after
    # the dash looks like a name, not a subtitle (떨림과 울림 - 물리학자 김상욱이 바라본 우주와 세계)
    m = re.match(r"^(?P<t>.+?)\s+[-–—/]\s+(?P<a>[^-–—/]+)$", e) if len(e) <= MAX_GROUP_CHARS else None
    if m and _looks_like_names(m.group("a")):
        return m.group("t").strip(), m.group("a").strip()
    return e, None


_NOT_NAME_END = re.compile(r"(?:의|을|를|들|는|은|와|과|에|서|로|한|던|는가|인가|까|다|요)$")


def _looks_like_names(text: str) -> bool:
    from .authors import alias_ids, parse_author_part

    part = parse_author_part(text)
    if not part.authors and not part.translators:
        return False
    if part.roles or any(alias_ids(a) for a in part.authors):
        return True
    words = text.split()
    return len(compact(text)) <= 12 and len(words) <= 3 and not any(_NOT_NAME_END.search(w) for w in words)


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
        points = _cut_points(seg, _split_points(seg))
        # Cut at strong separators; inside each part, weak commas are decided below.
        start, weak = 0, []
        for p, kind in [*points, (len(seg), "strong")]:
            if kind == "weak":
                weak.append(p - start)
                continue
            part = seg[start:p]
            if compact(part):
                cuts = [-1, *weak, len(part)]
                parts.append((semester, [part[cuts[n] + 1 : cuts[n + 1]] for n in range(len(cuts) - 1)]))
            start, weak = p + 1, []
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
