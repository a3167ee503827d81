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

# Edition and format words that do not make another book, anywhere in a title.
_EDITION_WORDS = (
    r"(?:전면\s*|최신\s*)?개정\s*증보\s*판|(?:전면\s*|최신\s*)?개정\s*(?:\d+\s*)?판|증보판|신장판|특별판|보급판|"
    r"완역판|완역본|완역|무삭제\s*완역(?:판|본)?|무삭제\s*판|무삭제|양장본|반양장|양장|리커버(?:\s*(?:에디션|특별판|판))?|"
    r"한정판|최신판|합본판|합본|소장판|애장판|기념판|완전판|결정판|스페셜\s*에디션|일러스트\s*에디션|에디션|"
    r"큰\s*글(?:자|씨)(?:\s*책|\s*판|\s*도서)?|제?\s*\d+\s*판|\d+\s*쇄|개정\s*신판|신판|초판|특별\s*한정판|"
    r"\d+\s*주년\s*(?:기념\s*)?(?:특별판|에디션|개정판|기념판|리커버|판)?|\d+\s*주년\s*기념"
)
# Long edition words are folded even when glued to the title at its start or end (완역본유토피아).
_GLUED_EDITION = r"개정\s*증보판|개정판|증보판|특별판|보급판|완역판|완역본|양장본|무삭제판|한정판|기념판|합본판|소장판|애장판"
_EDITION = re.compile(
    r"^(?:" + _GLUED_EDITION + r")|(?:" + _GLUED_EDITION + r")$|"
    r"[(\[]\s*(?:" + _EDITION_WORDS + r")(?:\s*[,·]?\s*(?:" + _EDITION_WORDS + r"))*\s*[)\]]"
    r"|(?<![0-9A-Za-z\uac00-\ud7a3])(?:" + _EDITION_WORDS + r")(?![0-9A-Za-z\uac00-\ud7a3])",
    re.I,
)
# Words naming a part of a series: different books, kept with the volume number.
_PART_WORDS = (
    "기본편", "실력편", "개념편", "유형편", "입문편", "심화편", "기초편", "응용편", "완성편", "실전편",
    "입문", "심화", "기초", "초급", "중급", "고급", "전편", "후편", "상편", "하편", "상권", "중권", "하권",
)  # fmt: skip
_PART_RE = "|".join(sorted(_PART_WORDS, key=len, reverse=True))
_GLUED_PART_RE = "|".join(
    w for w in sorted(_PART_WORDS, key=len, reverse=True) if len(w) == 3 and w[-1] in "편권"
)
_VOLUME_PATTERNS = [
    # 토지 제1권 / 토지 1권 / 토지1 / 토지 1부 / 토지(1) / 토지 - 1
    re.compile(r"^(?P<base>.*?\S)\s*[-(\[]?\s*제?\s*(?<!\d)(?P<vol>\d{1,3})\s*(?:권|부|편|집|편)?\s*[)\]]?$"),
    # 수학 II / 토지 Ⅲ (NFKC turns Ⅲ into III)
    re.compile(r"^(?P<base>.*?\S)\s+[(\[]?(?P<roman>i{1,3}|iv|v|vi{1,3}|ix|x)[)\]]?$"),
    # 수학의 정석 (기본편) / 해커스 토익 입문
    re.compile(r"^(?P<base>.*?\S)\s*(?:\(|\[|\s)\s*(?P<part>" + _PART_RE + r")\s*[)\]]?$"),
    # 쎈수학기본편: a part word ending in 편 or 권 needs no space before it
    re.compile(r"^(?P<base>.*?\S)(?P<part>" + _GLUED_PART_RE + r")$"),
    # 토지 상 / 토지(하) / 토지 상권
    re.compile(r"^(?P<base>.*?\S)\s*(?:\(|\[|\s)\s*(?P<updown>상|중|하)(?:권)?\s*[)\]]?$"),
]
_VOLUME_ENDS = frozenset("0123456789ivx)]권부편집상중하" + "".join(w[-1] for w in _PART_WORDS))
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
_UPDOWN = {"상": "상", "중": "중", "하": "하"}
# 상 is always the first volume (of 상/하 and of 상/중/하); 하 is the second or the third, so it is
# never unified with a number. 중 is the second of 상/중/하.
_UPDOWN_NUMBER = {"상": "1", "상권": "1", "중": "2", "중권": "2"}
_NON_WORD = re.compile(r"[^0-9a-z+#\uac00-\ud7a3\u3131-\u318e\u4e00-\u9fff]+")
# '+' and '#' carry meaning only after a letter or digit: C++, C#, F#, 2+2.
_LONE_SYMBOL = re.compile(r"(?<![0-9a-z+#])[+#]+")
_SYMBOLS = re.compile(r"[+#]+")
_DIGITS = re.compile(r"\d+")
_LATIN = re.compile(r"[a-z]+")
# Subtitle separators: a colon, a spaced hyphen, a dash, a spaced tilde.
# A CP949 CSV (NEIS, Excel on Korean Windows) turns — and – into '?': a '?' inside a title is one.
_SUBTITLE_SEP = re.compile(
    r"\s*[:：]\s*|\s+-+\s*|\s*[—–―]+\s*|\s+~\s*|\s+\?\s+(?=\S)|(?<=[가-힣0-9A-Za-z])\?(?=[가-힣0-9A-Za-z])"
)
# Quote marks around a title, folded away (《데미안》, 「변신」, "데미안", '데미안').
QUOTE_CHARS = "《》〈〉「」『』<>“”\"'‘’«»"
MAX_TITLE_CHARS = 300  # longer than any real title: such an entry is reported, never compared


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=65536)
def compact(text: str) -> str:
    """Lower-case NFKC text with everything but letters and digits removed: '총, 균, 쇠' -> '총균쇠'.

    '+' and '#' after a letter or digit stay: 'C++ 프로그래밍' -> 'c++프로그래밍'.
    """
    out = _NON_WORD.sub("", nfkc(text).lower())
    if "+" in out or "#" in out:
        out = _LONE_SYMBOL.sub("", out)
    return out


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


_EDITION_HINTS = ("판", "본", "양장", "리커버", "주년", "완역", "무삭제", "에디션", "쇄", "합본", "큰")


def strip_edition(title: str) -> tuple[str, bool]:
    """Drop edition words ('개정판', '(양장)', '10주년 특별판', '리커버'); True if any were there."""
    if not any(h in title for h in _EDITION_HINTS):
        return title.strip(), False  # the common case, without the long pattern
    new = _EDITION.sub(" ", title)
    return new.strip(), new != title


def split_volume(title: str) -> tuple[str, str | None]:
    """'토지 1권' -> ('토지', '1'); '1984' -> ('1984', None); '수학 Ⅱ' -> ('수학', '2');
    '수학의 정석 (기본편)' -> ('수학의 정석', '기본편'); '토지 상' -> ('토지', '상')."""
    t = re.sub(r"[.!?~…]+$", "", nfkc(title).strip().lower()).strip()
    if t[-1:] not in _VOLUME_ENDS:
        return title.strip(), None  # no volume, number or part word can end here
    for pattern in _VOLUME_PATTERNS:
        m = pattern.match(t)
        if not m:
            continue
        base = m.group("base").rstrip(" -:,(")
        if not compact(base) or compact(base).isdigit():
            continue  # the number is the whole title (1984) or there is nothing before it
        groups = m.groupdict()
        if groups.get("vol"):
            return base, str(int(groups["vol"]))
        if groups.get("roman"):
            return base, str(_ROMAN[groups["roman"]])
        if groups.get("part"):
            part = (
                re.sub(r"편$", "", groups["part"])
                if groups["part"] not in ("전편", "후편")
                else groups["part"]
            )
            return base, part
        if groups.get("updown"):
            return base, _UPDOWN[groups["updown"]]
    return title.strip(), None


def volume_number(volume: str | None) -> str | None:
    """The volume as a number where that is safe: '상' -> '1', '중' -> '2', '3' -> '3', '하' -> None."""
    if volume is None:
        return None
    if volume.isdigit():
        return volume
    return _UPDOWN_NUMBER.get(volume)


@dataclass(frozen=True)
class TitleKey:
    """What a title is compared by."""

    compact: str  # no spaces or punctuation, volume and edition removed; main title + subtitle
    volume: str | None
    jamo: str
    digits: tuple[str, ...]
    edition: bool
    main: str = ""  # the main title alone (compact)
    sub: str = ""  # the subtitle (compact), '' when there is none
    main_jamo: str = ""
    symbols: tuple[str, ...] = ()  # '++', '#': C++ and C are different books
    overlong: bool = False  # longer than any real title: not compared


def _split_subtitle(t: str) -> tuple[str, str]:
    """'떨림과 울림: 물리학자 김상욱이 …' -> ('떨림과 울림', '물리학자 김상욱이 …')."""
    m = _SUBTITLE_SEP.search(t)
    if m is None or m.start() == 0 or not compact(t[: m.start()]) or not compact(t[m.end() :]):
        return t, ""
    return t[: m.start()], t[m.end() :]


def _paren_subtitle(t: str) -> tuple[str, str]:
    """'떨림과 울림 (물리학자 김상욱이 …)' -> ('떨림과 울림', '물리학자 김상욱이 …').

    Only a trailing round or square bracket group of words (two syllables or more) that is not a
    volume, a part or an edition; quote marks are not brackets here.
    """
    s = t.rstrip()
    if not s or s[-1] not in ")]":
        return t, ""
    opener = "(" if s[-1] == ")" else "["
    i = s.rfind(opener)
    if i <= 0:
        return t, ""
    inner, head = s[i + 1 : -1], s[:i]
    if not compact(head) or len(compact(inner)) < 2 or any(ch in inner for ch in "()[]"):
        return t, ""
    if split_volume(f"x {inner}")[1] is not None and compact(split_volume(f"x {inner}")[0]) == "x":
        return t, ""  # (1), (상), (기본편)
    return head, inner


@lru_cache(maxsize=65536)
def title_key(title: str) -> TitleKey:
    t = nfkc(title)
    if len(t) > MAX_TITLE_CHARS:
        return TitleKey("", None, "", (), False, "", "", "", (), overlong=True)  # never compared
    t = t.translate(_QUOTES_TO_SPACE).strip()
    if (
        t[:1] == "["
        and t[-1:] == "]"
        and t[1:-1].count("[") == t[1:-1].count("]")
        and "]" not in t[1:-1].split("[")[0]
    ):
        t = t[1:-1]  # [개념원리 수학 (상)]: brackets around the whole title are quote marks
    t, edition = strip_edition(t)
    head, paren_sub = _paren_subtitle(t)
    base, volume = split_volume(head)
    main, sub = _split_subtitle(base)
    if volume is None and sub:
        main, volume = split_volume(main)
    if paren_sub:
        sub = f"{sub} {paren_sub}" if sub else paren_sub
    cm = compact(main.translate(_BRACKETS_TO_SPACE))
    cs = compact(sub.translate(_BRACKETS_TO_SPACE)) if sub else ""
    c = cm + cs
    jm = jamo(cm)
    return TitleKey(
        compact=c,
        volume=volume,
        jamo=jm + jamo(cs) if cs else jm,
        digits=tuple(_DIGITS.findall(c)),
        edition=edition,
        main=cm,
        sub=cs,
        main_jamo=jm,
        symbols=tuple(_SYMBOLS.findall(c)) if ("+" in c or "#" in c) else (),
    )


_QUOTES_TO_SPACE = {ord(c): " " for c in QUOTE_CHARS}
_BRACKETS_TO_SPACE = {ord(c): " " for c in BRACKET_CHARS}


def symbols_of(text: str) -> tuple[str, ...]:
    return tuple(_SYMBOLS.findall(text))


def latin_runs(text: str) -> tuple[str, ...]:
    return tuple(_LATIN.findall(text))


def syllable_diff(a: str, b: str) -> tuple[str, str]:
    """The differing middle parts of two strings: ('수학의역사', '수학의역샤') -> ('사', '샤')."""
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    j = 0
    while j < min(len(a), len(b)) - i and a[-1 - j] == b[-1 - j]:
        j += 1
    return a[i : len(a) - j], b[i : len(b) - j]
