"""Duplicate-book comparison methods behind one small interface, chosen by name.

- `ratio`: the reference method from the talk and its public app, reproduced exactly: tokenise both
  entries with Kiwi, drop the `(` and `)` tokens as the app does, and score
  len(morphemes(a) + morphemes(b)) / len(set(...)); 2.0 is identical, ≥ 1.72 ("80 %") is flagged.
  (The app splits a cell on `"), "`; we keep our better cell parser, which gives the same entries
  on the cells the app reads, and the dropped brackets make the rest of each entry's tokens equal.)
- `default`: compares normalised titles (spacing, punctuation, brackets, editions and volume notation
  folded away) at the jamo level, so a one-key typo is distance 1, and uses the author as evidence:
  a different author, a different volume or number, a containing title, or a second syllable changed
  means another book.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from rapidfuzz.distance import OSA, Levenshtein

from ..errors import DependencyError, UsageError
from ..registry import Registry
from .authors import author_pieces_differ, authors_compatible, main_author, parse_author_part
from .catalog import known_compact_titles
from .model import KIND_EXACT, KIND_SIMILAR, BookEntry
from .text import (
    _DIGITS,
    BRACKET_CHARS,
    MAX_TITLE_CHARS,
    TitleKey,
    compact,
    latin_runs,
    nfkc,
    strip_edition,
    syllable_diff,
    symbols_of,
    title_key,
    volume_number,
)

# An entry longer than this is longer than any real title and author: it is reported, not compared.
MAX_ENTRY_CHARS = MAX_TITLE_CHARS


def is_overlong(entry: BookEntry) -> bool:
    return len(entry.text) > MAX_ENTRY_CHARS or len(entry.author or "") > MAX_ENTRY_CHARS


@dataclass(frozen=True)
class Match:
    kind: str
    score: float
    reason: str


class DuplicateMethod(Protocol):
    name: str
    cutoff: float | None

    def start(self, entries: Sequence[BookEntry]) -> None:
        """Begin per-entry work on entries as they are read (it may go on in the background)."""

    def prepare(self, entries: Sequence[BookEntry]) -> None:
        """Finish per-entry work for all entries before pairs are compared."""

    def compare(self, a: BookEntry, b: BookEntry) -> Match | None:
        """A match when `a` and `b` are (or may be) the same book, else None."""

    def find_matches(self, entries: Sequence[BookEntry]) -> Iterator[tuple[int, int, Match]]:
        """(i, j, match) for every matching pair i < j of one student's entries."""


def all_pairs(method: DuplicateMethod, entries: Sequence[BookEntry]) -> Iterator[tuple[int, int, Match]]:
    """The plain way: compare every pair (the reference that the fast `find_matches` are tested against)."""
    for i in range(len(entries)):
        for j in range(i + 1, len(entries)):
            m = method.compare(entries[i], entries[j])
            if m is not None:
                yield i, j, m


def compare_text(entry: BookEntry) -> str:
    """The entry as one string: the cell text, with the author column added for one-book-per-row tables."""
    if entry.author and entry.author not in entry.text:
        return f"{entry.text}({entry.author})"
    return entry.text


# ----- reasons, shared by both methods ------------------------------------------------------------
_SPACE = re.compile(r"\s+")


_NO_BRACKETS = {ord(c): None for c in BRACKET_CHARS}


def describe_difference(a: BookEntry, b: BookEntry) -> str:
    """A short Korean reason: 띄어쓰기 차이, 오타 의심: 역사↔역샤, 저자 표기 차이, ..."""
    ta, tb = compare_text(a), compare_text(b)
    if ta == tb:
        return "같은 표기"
    if nfkc(ta) == nfkc(tb):
        return "전각 문자 차이"  # （） or ＡＢＣ typed on a full-width keyboard setting
    reasons: list[str] = []
    ka, kb = title_key(a.title), title_key(b.title)
    raw_a, raw_b = nfkc(a.title), nfkc(b.title)
    if _SPACE.sub("", raw_a) == _SPACE.sub("", raw_b) and raw_a != raw_b:
        reasons.append("띄어쓰기 차이")
    else:

        def unbracket(s: str) -> str:
            return _SPACE.sub("", s.translate(_NO_BRACKETS))

        if unbracket(raw_a) != unbracket(raw_b) and compact(unbracket(raw_a)) == compact(unbracket(raw_b)):
            reasons.append("문장부호 차이")
        if any(c in BRACKET_CHARS for c in raw_a + raw_b) and unbracket(raw_a) == unbracket(raw_b):
            reasons.append("괄호 표기 차이")
        if (
            _SPACE.sub("", raw_a) != _SPACE.sub("", raw_b)
            and _SPACE.sub("", raw_a).lower() == _SPACE.sub("", raw_b).lower()
        ):
            reasons.append("대소문자 차이")
    if ka.volume is not None and ka.volume == kb.volume and ka.compact == kb.compact:
        # 토지 1 / 토지 1권 / 토지(1): the same volume written differently
        if compact(strip_edition(raw_a)[0]) != compact(strip_edition(raw_b)[0]):
            reasons.append("권 표기 차이")
    if (
        ka.volume != kb.volume
        and volume_number(ka.volume) is not None
        and volume_number(ka.volume) == volume_number(kb.volume)
    ):
        reasons.append("권 표기 차이")  # 토지 상 / 토지 1
    if ka.edition != kb.edition:
        reasons.append("판 표기 차이")
    if ka.main == kb.main and ka.sub != kb.sub:
        reasons.append("부제 표기 차이")
    elif ka.compact != kb.compact and ka.sub != kb.sub and (ka.sub or kb.sub) and ka.main != kb.main:
        reasons.append("부제 표기 차이")
        da, db = syllable_diff(ka.main, kb.main)
        reasons.append(f"오타 의심: {da or '∅'}↔{db or '∅'}")
    elif ka.compact != kb.compact:
        da, db = syllable_diff(ka.compact, kb.compact)
        if sorted(ka.compact) == sorted(kb.compact) and len(ka.compact) == len(kb.compact) and len(da) == 2:
            reasons.append(f"글자 순서 바뀜: {da}↔{db}")
        else:
            reasons.append(f"오타 의심: {da or '∅'}↔{db or '∅'}")
    aa, ab = main_author(a.author), main_author(b.author)
    if (a.author or "") != (b.author or ""):
        pa, pb = parse_author_part(a.author), parse_author_part(b.author)
        if aa and ab:
            if compact("".join(pa.authors)) != compact("".join(pb.authors)) or pa.roles != pb.roles:
                reasons.append("저자 표기 차이")
        elif aa or ab:
            reasons.append("저자 누락")
        reasons.extend(author_pieces_differ(a.author, b.author))
    if not reasons:
        reasons.append("표기 차이")
    return ", ".join(dict.fromkeys(reasons))


# ----- the reference method -----------------------------------------------------------------------
class RatioMethod:
    """Kiwi morphemes compared by len(list) / len(set) — the talk's method, exactly."""

    name = "ratio"
    DEFAULT_CUTOFF = 1.72

    def __init__(self, cutoff: float | None = None, kiwi: object | None = None) -> None:
        self.cutoff = self.DEFAULT_CUTOFF if cutoff is None else cutoff
        if not 1.0 <= self.cutoff <= 2.0:
            raise UsageError(f"1.0 과 2.0 사이여야 합니다 (받은 값: {self.cutoff})", field="cutoff")
        self._kiwi = kiwi
        self._forms: dict[str, tuple[str, ...]] = {}
        self._pending: list[tuple[list[str], Iterator[object]]] = []
        self._submitted: set[str] = set()

    def start(self, entries: Sequence[BookEntry]) -> None:
        """Hand the new texts to Kiwi, whose worker threads tokenise them while Python reads on.

        (Loading the model holds the GIL and cannot overlap with reading; tokenising can.)
        """
        texts = sorted(
            {compare_text(e) for e in entries if not is_overlong(e)} - self._submitted - self._forms.keys()
        )
        if texts:
            self._submitted.update(texts)
            self._pending.append((texts, self.kiwi.tokenize(texts)))  # type: ignore[attr-defined]

    @property
    def kiwi(self) -> object:
        if self._kiwi is None:
            self._kiwi = load_kiwi()
        return self._kiwi

    def prepare(self, entries: Sequence[BookEntry]) -> None:
        self.start(entries)
        for texts, results in self._pending:
            for text, tokens in zip(texts, results, strict=True):
                self._forms[text] = app_forms(tokens)
        self._pending.clear()
        self._submitted.clear()

    def morphemes(self, text: str) -> tuple[str, ...]:
        if text not in self._forms:
            self._forms[text] = next(iter(tokenize_many(self.kiwi, [text])))
        return self._forms[text]

    def score(self, a: str, b: str) -> float:
        both = self.morphemes(a) + self.morphemes(b)
        if not both:
            return 0.0
        return len(both) / len(set(both))

    def compare(self, a: BookEntry, b: BookEntry) -> Match | None:
        return self._match(a, b, self.score(compare_text(a), compare_text(b)))

    def _match(self, a: BookEntry, b: BookEntry, s: float) -> Match | None:
        if s < self.cutoff:
            return None
        kind = KIND_EXACT if s >= 2.0 else KIND_SIMILAR
        return Match(kind=kind, score=s, reason=f"형태소 비율 {s:.2f}; {describe_difference(a, b)}")

    def find_matches(self, entries: Sequence[BookEntry]) -> Iterator[tuple[int, int, Match]]:
        # Same formula, computed with bit sets: len(set(a + b)) is the popcount of mask_a | mask_b.
        ids: dict[str, int] = {}
        masks, lengths = [], []
        for e in entries:
            forms = self.morphemes(compare_text(e))
            mask = 0
            for f in forms:
                mask |= 1 << ids.setdefault(f, len(ids))
            masks.append(mask)
            lengths.append(len(forms))
        for i in range(len(entries)):
            mi, li = masks[i], lengths[i]
            for j in range(i + 1, len(entries)):
                union = (mi | masks[j]).bit_count()
                if union and (li + lengths[j]) >= self.cutoff * union:
                    m = self._match(entries[i], entries[j], (li + lengths[j]) / union)
                    if m is not None:
                        yield i, j, m


def load_kiwi(num_workers: int = -1) -> object:
    """A Kiwi instance (the model ships in the kiwipiepy_model package; nothing is downloaded)."""
    try:
        from kiwipiepy import Kiwi
    except ImportError as exc:  # pragma: no cover - kiwipiepy is a core dependency
        raise DependencyError("kiwipiepy 가 설치되어 있지 않습니다", hint="pip install kiwipiepy") from exc
    return Kiwi(num_workers=num_workers)


APP_DROPPED_FORMS = frozenset({"(", ")"})


def app_forms(tokens: object) -> tuple[str, ...]:
    """Morpheme forms as the talk's app keeps them: every token but the `(` and `)` brackets."""
    return tuple(f for t in tokens if (f := t.form) not in APP_DROPPED_FORMS)  # type: ignore[attr-defined]


def tokenize_many(kiwi: object, texts: Sequence[str]) -> list[tuple[str, ...]]:
    """Morpheme forms of each text as the app keeps them, tokenised in one batch."""
    results = kiwi.tokenize(list(texts))  # type: ignore[attr-defined]
    return [app_forms(tokens) for tokens in results]


# ----- the default method -------------------------------------------------------------------------
class NormalizedJamoMethod:
    """Normalised titles compared at the jamo level, with author, volume, number and subtitle evidence."""

    name = "default"

    def __init__(self, cutoff: float | None = None, *, use_catalog: bool = True) -> None:
        self.cutoff = cutoff  # unused: decisions are rule-based; kept for the common interface
        self._known = known_compact_titles() if use_catalog else frozenset()
        # The title's key, cached for the run ('태평천 하', a space typed into 태평천하, is no volume 하)
        self._key = lru_cache(maxsize=None)(self._catalogue_key)

    def start(self, entries: Sequence[BookEntry]) -> None:
        pass  # keys are cheap and cached; nothing to overlap with reading

    def prepare(self, entries: Sequence[BookEntry]) -> None:
        key = self._key
        for e in entries:
            key(e.title)  # an over-long title gets an empty key at once

    def find_matches(self, entries: Sequence[BookEntry]) -> Iterator[tuple[int, int, Match]]:
        # Only pairs whose titles (or main titles, without subtitles) are within 3 jamo edits can
        # match: let rapidfuzz find them in C++. Over-long entries take no part.
        import numpy as np
        from rapidfuzz.process import cdist

        n = len(entries)
        if n < 2:
            return
        key = self._key
        keys = [key(e.title) for e in entries]  # an over-long title has an empty key: it is never close
        full = [k.jamo for k in keys]
        mains = [k.main_jamo for k in keys] if any(k.sub for k in keys) else None
        # Rows in blocks, so memory stays bounded however many entries one student has.
        for start in range(0, n, _BLOCK):
            stop = min(n, start + _BLOCK)
            close = cdist(full[start:stop], full, scorer=OSA.distance, score_cutoff=3, workers=1) <= 3
            if mains is not None:
                close |= cdist(mains[start:stop], mains, scorer=OSA.distance, score_cutoff=3, workers=1) <= 3
            ii, jj = np.nonzero(np.triu(close, 1 + start))
            for i, j in zip((ii + start).tolist(), jj.tolist(), strict=True):
                m = self.compare(entries[i], entries[j])
                if m is not None:
                    yield i, j, m

    def compare(self, a: BookEntry, b: BookEntry) -> Match | None:
        ka, kb = self._key(a.title), self._key(b.title)
        if not ka.compact or not kb.compact or ka.overlong or kb.overlong:
            return None
        volume_written_otherwise = False
        if ka.volume != kb.volume:
            na = volume_number(ka.volume)
            if na is None or na != volume_number(kb.volume):
                return None
            volume_written_otherwise = True  # 토지 상 / 토지 1
        authors = authors_compatible(a.author, b.author)
        if authors is False:
            return None  # the same title by another author is another book
        if ka.digits == kb.digits and ka.symbols == kb.symbols:
            if ka.compact == kb.compact:
                same_author_text = compact(main_author(a.author) or "") == compact(
                    main_author(b.author) or ""
                )
                kind = KIND_EXACT if same_author_text and not volume_written_otherwise else KIND_SIMILAR
                score = 1.0 if kind == KIND_EXACT else 0.95
                return Match(kind=kind, score=score, reason=describe_difference(a, b))
            typo = self._typo_score(ka.compact, kb.compact, ka.jamo, kb.jamo, authors)
            if typo is not None:
                return Match(kind=KIND_SIMILAR, score=typo, reason=describe_difference(a, b))
        return self._subtitle_match(a, b, ka, kb, authors)

    def _catalogue_key(self, title: str) -> TitleKey:
        key = title_key(title)
        if key.volume is not None and key.compact + key.volume in self._known:
            return title_key(nfkc(title).replace(" ", ""))  # 'AI 204 1': a space typed into 'AI 2041'
        if title.rstrip(" .!?~…")[-1:] not in _GLUED_VOLUME_ENDS:
            return key  # the common case
        t = re.sub(r"[\s.!?~…]+$", "", nfkc(title))
        if key.volume is None and t[-1:] in ("상", "중", "하") and compact(t[:-1]) in self._known:
            return title_key(f"{t[:-1]} {t[-1]}")  # 장미의 이름상: the volume typed without a space
        t = re.sub(r"\s*권$", "", t)
        if t[-1:].isdigit() and len(t) > 2 and t[-2].isdigit() and compact(t) not in self._known:
            for k in (1, 2):  # '1q843': the volume typed without a space after 1Q84
                if compact(t[:-k]) in self._known and t[-k - 1].isdigit():
                    return title_key(f"{t[:-k]} {t[-k:]}")
        return key

    def _subtitle_match(
        self, a: BookEntry, b: BookEntry, ka: TitleKey, kb: TitleKey, authors: bool | None
    ) -> Match | None:
        """떨림과 울림 / 떨림과 울림: 물리학자 김상욱이 바라본 우주와 세계 — with the author agreeing.

        Different subtitles on both sides name different books (나니아 연대기: 캐스피언 왕자 /
        나니아 연대기: 사자와 마녀와 옷장).
        """
        if authors is not True or not (ka.sub or kb.sub) or not ka.main or not kb.main:
            return None
        if ka.sub and kb.sub and ka.sub != kb.sub:
            return None
        if ka.compact in self._known and kb.compact in self._known:
            return None  # two real titles of the catalogue: 나니아 연대기 / 나니아 연대기: 캐스피언 왕자
        if _DIGITS.findall(ka.main) != _DIGITS.findall(kb.main):
            return None
        if symbols_of(ka.main) != symbols_of(kb.main):
            return None
        if ka.main == kb.main:
            score = 0.9
        else:
            typo = self._typo_score(ka.main, kb.main, ka.main_jamo, kb.main_jamo, authors)
            if typo is None:
                return None
            score = round(typo - 0.1, 4)
        return Match(kind=KIND_SIMILAR, score=score, reason=describe_difference(a, b))

    def _typo_score(self, ca: str, cb: str, ja: str, jb: str, authors: bool | None) -> float | None:
        """A score when the titles differ only as a retyping would, else None."""
        la, lb = len(ca), len(cb)
        short = min(la, lb)
        if abs(len(ja) - len(jb)) > 3 or short < 2:
            return None
        if ca in self._known and cb in self._known:
            return None  # two real titles from the catalogue: 이기적 유전자 / 이타적 유전자
        if latin_runs(ca) != latin_runs(cb) and any(
            len(r) < 4 for r in set(latin_runs(ca)) ^ set(latin_runs(cb))
        ):
            return None  # a short Latin word changed is another book: C 언어 / R 언어
        jd = OSA.distance(ja, jb, score_cutoff=3)
        if jd > 3:
            return None
        sd = OSA.distance(ca, cb)
        length = max(len(ja), len(jb))
        score = round(1.0 - jd / max(length, 1), 4)
        if jd == 1:
            # one key off: 역사/역샤, 데우스/데유스. Two-syllable titles need the author to agree.
            if short >= 3 or authors is True:
                return score
            return None
        if la == lb and sd == 1 and sorted(ca) == sorted(cb) and short >= 3:
            return score  # two syllables swapped (OSA counts a swap as one edit)
        if jd == 2 and short >= 7 and sd == 2 and authors is not False:
            return score  # two one-key slips in a long title, in different syllables
        if jd == 2 and short >= 8 and authors is True:
            return score  # two slips in a long title (8 syllables or more), the author agreeing
        if jd <= 3 and la != lb and Levenshtein.distance(ca, cb) == 1 and short >= 5:
            # One syllable dropped or doubled while typing, with the author agreeing. Inside the title
            # (수학의역사 / 수학역사) from 5 syllables; at an end only from 6, since a word added at
            # an end usually makes another title (정의란 무엇인가 / 10대를 위한 정의란 무엇인가).
            longer, shorter = (ca, cb) if la > lb else (cb, ca)
            i = 0
            while i < len(shorter) and longer[i] == shorter[i]:
                i += 1
            interior = 0 < i < len(shorter)
            if authors is True and (interior or short >= 6):
                return score
        return None


_GLUED_VOLUME_ENDS = frozenset("0123456789상중하권０１２３４５６７８９")
_BLOCK = 512  # rows of the distance matrix computed at once


METHODS: Registry[type] = Registry("비교 방법", entry_point_group="schoolauto.duplicate_methods")
METHODS.register("default", NormalizedJamoMethod, label="기본: 정규화 + 자모 비교 + 저자·권·부제 확인")
METHODS.register("ratio", RatioMethod, label="형태소 비율: Kiwi, 발표 앱과 같은 계산")


def get_method(name: str, cutoff: float | None = None) -> DuplicateMethod:
    """The method called `name` (an unknown name is a usage error naming the `method` field)."""
    cls = METHODS.get(name, field="method")
    method: DuplicateMethod = cls(cutoff=cutoff)
    return method
