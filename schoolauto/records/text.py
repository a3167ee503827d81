"""Normalising Korean book titles and author names for comparison.

Everything here is pure string work: no Kiwi, no files. Comparison keys are "compact" forms —
NFKC-folded, lower-cased, without spaces, punctuation and brackets — plus the volume number split
off the end, and Hangul decomposed into jamo so a one-key typo (역사/역샤) is distance 1.
"""

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
