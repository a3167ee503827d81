"""The default duplicate method as it was before issue 11 (commit 7846e52), kept only as the speed
baseline that `records_bench.py` measures the current method against in the same run. Not used by
the package; do not change it.
"""
# ruff: noqa
# mypy: ignore-errors

from __future__ import annotations


import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_HANGUL_BASE = 0xAC00
_HANGUL_LAST = 0xD7A3
_CHO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_JUNG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_JONG = ["", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"]

BRACKET_CHARS = "()[]{}<>《》〈〉「」『』【】〔〕“”\"'‘’«»"
OPENERS = "([{<《〈「『【〔“‘«"
CLOSERS = ")]}>》〉」』】〕”’»"
PAIRS = dict(zip(OPENERS, CLOSERS, strict=True))

# Edition and format words that do not make another book.
_EDITION = re.compile(
    r"[(\[]?\s*(?:개정\s*증보판|개정판|증보판|전면\s*개정판|특별판|보급판|완역판|완역본|양장본|양장|"
    r"반양장|리커버(?:\s*에디션)?|한정판|최신판|합본|무삭제\s*완역본|\d+\s*주년\s*(?:기념\s*)?(?:특별판|에디션|개정판))\s*[)\]]?",
)
_VOLUME_PATTERNS = [
    # 토지 제1권 / 토지 1권 / 토지1 / 토지 1부 / 토지(1) / 토지 - 1
    re.compile(r"^(?P<base>.*?\S)\s*[-(\[]?\s*제?\s*(?P<vol>\d{1,3})\s*(?:권|부|편|집|편)?\s*[)\]]?$"),
    # 수학 II / 토지 Ⅲ (NFKC turns Ⅲ into III)
    re.compile(r"^(?P<base>.*?\S)\s+[(\[]?(?P<roman>i{1,3}|iv|v|vi{1,3}|ix|x)[)\]]?$"),
    # 토지 상 / 토지(하) / 토지 상권
    re.compile(r"^(?P<base>.*?\S)\s*(?:\(|\[|\s)(?P<updown>상|중|하)(?:권)?[)\]]?$"),
]
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
_UPDOWN = {"상": "상", "중": "중", "하": "하"}
_NON_WORD = re.compile(r"[^0-9a-z\uac00-\ud7a3\u3131-\u318e\u4e00-\u9fff]+")
_DIGITS = re.compile(r"\d+")

# Role words after a name in the author part: 헤르만 헤세 저 / 지음 / 글 / 옮김 ...
_ROLE_MAIN = (
    "글·그림",
    "글그림",
    "글, 그림",
    "공저",
    "편저",
    "편역",
    "저자",
    "지음",
    "원작",
    "엮음",
    "저",
    "글",
    "편",
    "엮",
)
_ROLE_OTHER = ("옮김", "번역", "역자", "역", "그림", "감수", "해설", "사진", "각색", "기획")
_ROLE_RE = re.compile(
    r"\s*(?:"
    + "|".join(re.escape(w) for w in sorted(_ROLE_MAIN + _ROLE_OTHER, key=len, reverse=True))
    + r")\s*$"
)
_ETAL = re.compile(r"\s*(?:외|등)\s*(?:\d+\s*(?:명|인))?\s*$")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=65536)
def compact(text: str) -> str:
    """Lower-case NFKC text with everything but letters and digits removed: '총, 균, 쇠' -> '총균쇠'."""
    return _NON_WORD.sub("", nfkc(text).lower())


@lru_cache(maxsize=65536)
def jamo(text: str) -> str:
    """Hangul syllables decomposed into compatibility jamo; other characters kept as they are."""
    out = []
    for ch in text:
        code = ord(ch)
        if _HANGUL_BASE <= code <= _HANGUL_LAST:
            idx = code - _HANGUL_BASE
            out.append(_CHO[idx // 588])
            out.append(_JUNG[(idx % 588) // 28])
            jong = _JONG[idx % 28]
            if jong:
                out.append(jong)
        else:
            out.append(ch)
    return "".join(out)


def strip_edition(title: str) -> tuple[str, bool]:
    """Drop edition words ('개정판', '(양장)', '10주년 특별판'); True if any were there."""
    new = _EDITION.sub(" ", title)
    return new.strip(), new != title


def split_volume(title: str) -> tuple[str, str | None]:
    """'토지 1권' -> ('토지', '1'); '1984' -> ('1984', None); '수학 Ⅱ' -> ('수학', '2')."""
    t = re.sub(r"[.!?~…]+$", "", nfkc(title).strip().lower()).strip()
    for pattern in _VOLUME_PATTERNS:
        m = pattern.match(t)
        if not m:
            continue
        base = m.group("base").rstrip(" -:,")
        if not compact(base) or compact(base).isdigit():
            continue  # the number is the whole title (1984) or there is nothing before it
        groups = m.groupdict()
        if groups.get("vol"):
            return base, str(int(groups["vol"]))
        if groups.get("roman"):
            return base, str(_ROMAN[groups["roman"]])
        if groups.get("updown"):
            return base, _UPDOWN[groups["updown"]]
    return title.strip(), None


@dataclass(frozen=True)
class TitleKey:
    """What a title is compared by."""

    compact: str  # no spaces or punctuation, volume and edition removed
    volume: str | None
    jamo: str
    digits: tuple[str, ...]
    edition: bool


@lru_cache(maxsize=65536)
def title_key(title: str) -> TitleKey:
    t = nfkc(title)
    t = t.translate({ord(c): " " for c in BRACKET_CHARS})
    t, edition = strip_edition(t)
    base, volume = split_volume(t)
    c = compact(base)
    return TitleKey(
        compact=c,
        volume=volume,
        jamo=jamo(c),
        digits=tuple(_DIGITS.findall(c)),
        edition=edition,
    )


def _strip_roles(person: str) -> tuple[str, bool]:
    """('헤르만 헤세 지음') -> ('헤르만 헤세', True); a translator gives False."""
    p = person.strip()
    is_main = True
    for _ in range(2):
        m = _ROLE_RE.search(p)
        if not m or m.start() == 0:
            break
        word = m.group(0).strip()
        if word in _ROLE_OTHER:
            is_main = False
        p = p[: m.start()].strip()
    p = _ETAL.sub("", p).strip()
    return p, is_main


@lru_cache(maxsize=65536)
def main_author(author: str | None) -> str | None:
    """The main author of an author part: role words, translators and '외 2명' dropped."""
    if not author:
        return None
    text = nfkc(author).strip()
    people = [p for p in re.split(r"\s*[,;/·&]\s*|\s+및\s+", text) if p.strip()]
    mains = []
    for person in people:
        name, is_main = _strip_roles(person)
        if name and is_main:
            mains.append(name)
    if not mains:
        name, _ = _strip_roles(people[0]) if people else ("", True)
        mains = [name] if name else []
    return mains[0] if mains else None


@lru_cache(maxsize=65536)
def author_tokens(author: str | None) -> tuple[str, ...]:
    name = main_author(author)
    if not name:
        return ()
    return tuple(t for t in re.split(r"[\s.\-·]+", name.lower()) if t)


def authors_compatible(a: str | None, b: str | None) -> bool | None:
    """True: the same person however written; False: clearly different; None: one or both missing."""
    ta, tb = author_tokens(a), author_tokens(b)
    if not ta or not tb:
        return None
    ca, cb = "".join(ta), "".join(tb)
    if ca == cb:
        return True
    short, long_ = (ca, cb) if len(ca) <= len(cb) else (cb, ca)
    # 헤세 / 헤르만 헤세; 샌델 / 마이클 샌델
    if len(short) >= 2 and (long_.endswith(short) or long_.startswith(short)):
        return True
    # J.K. 롤링 / 조앤 K. 롤링: the family name (last token) agrees
    if ta[-1] == tb[-1] and (len(ta[-1]) >= 2 or min(len(ta), len(tb)) == 1):
        return True
    # Typos and transliteration variants: 생텍쥐페리 / 생떽쥐베리, 도스토옙스키 / 도스토예프스키
    from rapidfuzz.distance import Levenshtein

    ja, jb = jamo(ca), jamo(cb)
    sim = Levenshtein.normalized_similarity(ja, jb)
    if sim >= 0.75 or Levenshtein.distance(ja, jb) <= 1:
        return True
    ja_last, jb_last = jamo(ta[-1]), jamo(tb[-1])
    return len(ta[-1]) >= 3 and Levenshtein.normalized_similarity(ja_last, jb_last) >= 0.8


def syllable_diff(a: str, b: str) -> tuple[str, str]:
    """The differing middle parts of two strings: ('수학의역사', '수학의역샤') -> ('사', '샤')."""
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    j = 0
    while j < min(len(a), len(b)) - i and a[-1 - j] == b[-1 - j]:
        j += 1
    return a[i : len(a) - j], b[i : len(b) - j]


# ----- methods.py of the same commit -----


import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from rapidfuzz.distance import OSA, Levenshtein

from schoolauto.errors import DependencyError, UsageError
from schoolauto.records.catalog import known_compact_titles
from schoolauto.records.model import KIND_EXACT, KIND_SIMILAR, BookEntry


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
            return _SPACE.sub("", s.translate({ord(c): None for c in BRACKET_CHARS}))

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
    if ka.edition != kb.edition:
        reasons.append("판 표기 차이")
    if ka.compact != kb.compact:
        da, db = syllable_diff(ka.compact, kb.compact)
        if sorted(ka.compact) == sorted(kb.compact) and len(ka.compact) == len(kb.compact) and len(da) == 2:
            reasons.append(f"글자 순서 바뀜: {da}↔{db}")
        else:
            reasons.append(f"오타 의심: {da or '∅'}↔{db or '∅'}")
    aa, ab = main_author(a.author), main_author(b.author)
    if (a.author or "") != (b.author or ""):
        if aa and ab:
            if compact(a.author or "") != compact(b.author or ""):
                reasons.append("저자 표기 차이")
        elif aa or ab:
            reasons.append("저자 누락")
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
            raise UsageError(f"--cutoff 는 1.0 과 2.0 사이여야 합니다 (받은 값: {self.cutoff})")
        self._kiwi = kiwi
        self._forms: dict[str, tuple[str, ...]] = {}
        self._pending: list[tuple[list[str], Iterator[object]]] = []
        self._submitted: set[str] = set()

    def start(self, entries: Sequence[BookEntry]) -> None:
        """Hand the new texts to Kiwi, whose worker threads tokenise them while Python reads on.

        (Loading the model holds the GIL and cannot overlap with reading; tokenising can.)
        """
        texts = sorted({compare_text(e) for e in entries} - self._submitted - self._forms.keys())
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
                self._forms[text] = tuple(t.form for t in tokens)  # type: ignore[attr-defined]
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


def tokenize_many(kiwi: object, texts: Sequence[str]) -> list[tuple[str, ...]]:
    """Morpheme forms of each text, tokenised in one batch (Kiwi spreads a batch over its workers)."""
    results = kiwi.tokenize(list(texts))  # type: ignore[attr-defined]
    return [tuple(t.form for t in tokens) for tokens in results]


# ----- the default method -------------------------------------------------------------------------
class NormalizedJamoMethod:
    """Normalised titles compared at the jamo level, with author, volume and number evidence."""

    name = "default"

    def __init__(self, cutoff: float | None = None, *, use_catalog: bool = True) -> None:
        self.cutoff = cutoff  # unused: decisions are rule-based; kept for the common interface
        self._known = known_compact_titles() if use_catalog else frozenset()

    def start(self, entries: Sequence[BookEntry]) -> None:
        pass  # keys are cheap and cached; nothing to overlap with reading

    def prepare(self, entries: Sequence[BookEntry]) -> None:
        for e in entries:
            title_key(e.title)

    def find_matches(self, entries: Sequence[BookEntry]) -> Iterator[tuple[int, int, Match]]:
        # Only pairs whose titles are within 3 jamo edits can match: let rapidfuzz find them in C++.
        from rapidfuzz.process import cdist

        keys = [title_key(e.title).jamo for e in entries]
        dist = cdist(keys, keys, scorer=OSA.distance, score_cutoff=3, workers=1)
        n = len(entries)
        for i in range(n):
            row = dist[i]
            for j in range(i + 1, n):
                if row[j] <= 3:
                    m = self.compare(entries[i], entries[j])
                    if m is not None:
                        yield i, j, m

    def compare(self, a: BookEntry, b: BookEntry) -> Match | None:
        ka, kb = title_key(a.title), title_key(b.title)
        if not ka.compact or not kb.compact:
            return None
        if ka.volume != kb.volume or ka.digits != kb.digits:
            return None
        authors = authors_compatible(a.author, b.author)
        if authors is False:
            return None  # the same title by another author is another book
        if ka.compact == kb.compact:
            same_author_text = compact(main_author(a.author) or "") == compact(main_author(b.author) or "")
            kind = KIND_EXACT if same_author_text else KIND_SIMILAR
            score = 1.0 if kind == KIND_EXACT else 0.95
            return Match(kind=kind, score=score, reason=describe_difference(a, b))
        typo = self._typo_score(ka, kb, authors)
        if typo is None:
            return None
        return Match(kind=KIND_SIMILAR, score=typo, reason=describe_difference(a, b))

    def _typo_score(self, ka: TitleKey, kb: TitleKey, authors: bool | None) -> float | None:
        """A score when the titles differ only as a retyping would, else None."""
        la, lb = len(ka.compact), len(kb.compact)
        short = min(la, lb)
        if abs(len(ka.jamo) - len(kb.jamo)) > 3 or short < 2:
            return None
        if ka.compact in self._known and kb.compact in self._known:
            return None  # two real titles from the catalogue: 이기적 유전자 / 이타적 유전자
        jd = OSA.distance(ka.jamo, kb.jamo, score_cutoff=3)
        sd = OSA.distance(ka.compact, kb.compact)
        length = max(len(ka.jamo), len(kb.jamo))
        score = round(1.0 - jd / max(length, 1), 4)
        if jd == 1:
            # one key off: 역사/역샤, 데우스/데유스. Two-syllable titles need the author to agree.
            if short >= 3 or authors is True:
                return score
            return None
        if la == lb and sd == 1 and sorted(ka.compact) == sorted(kb.compact) and short >= 3:
            return score  # two syllables swapped (OSA counts a swap as one edit)
        if jd == 2 and short >= 7 and sd == 2 and authors is not False:
            return score  # two one-key slips in a long title, in different syllables
        if jd <= 3 and la != lb and Levenshtein.distance(ka.compact, kb.compact) == 1 and short >= 5:
            # One syllable dropped or doubled while typing, with the author agreeing. Inside the title
            # (수학의역사 / 수학역사) from 5 syllables; at an end only from 6, since a word added at
            # an end usually makes another title (정의란 무엇인가 / 10대를 위한 정의란 무엇인가).
            longer, shorter = (ka.compact, kb.compact) if la > lb else (kb.compact, ka.compact)
            i = 0
            while i < len(shorter) and longer[i] == shorter[i]:
                i += 1
            interior = 0 < i < len(shorter)
            if authors is True and (interior or short >= 6):
                return score
        return None
