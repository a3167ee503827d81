"""The author part of an entry, `(헤르만 헤세 지음, 홍길동 옮김, 민음사)`, and whether two name the same person.

Only the authors are evidence about the book; a translator, an illustrator or a publisher is not, so
a differing publisher is never a difference. A piece is a publisher when it is in the shipped list
(`data/publishers.txt`) or ends like one (`…출판사`, `…북스`, `…미디어`, `…문고`, `…프레스`); a piece
with a role word (`옮김`, `역`, `그림`) is that role. Names are compared by the shipped alias table
(`data/author_aliases.tsv`), then by rules: the family name alone, initials, a folded spelling of
transliteration variants (예/에, 오/어, 쌍자음, 브/부 …) and a one-jamo typo.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rapidfuzz.distance import Levenshtein

from .text import _CHO, _HANGUL_BASE, _HANGUL_LAST, _JONG, _JUNG, compact, jamo, nfkc

# Role words of the authors themselves, and of everybody else.
_ROLE_MAIN = (
    "글그림", "공저", "편저", "편역", "저자", "지음", "지은이", "원작", "엮음",
    "엮은이", "저", "글", "편", "엮", "작", "著",
)  # fmt: skip
_ROLE_TRANSLATOR = ("옮김", "옮긴이", "번역", "역자", "역", "譯", "공역", "편역자")
_ROLE_OTHER = ("그림", "그린이", "삽화", "감수", "해설", "사진", "각색", "기획", "만화", "일러스트", "해제")
_ROLE_PUBLISHER = ("펴냄", "펴낸곳", "출판", "발행", "출판사")
_ALL_ROLES = _ROLE_MAIN + _ROLE_TRANSLATOR + _ROLE_OTHER + _ROLE_PUBLISHER
_ROLE_ALT = "|".join(re.escape(w) for w in sorted(_ALL_ROLES, key=len, reverse=True))
_ROLE_AFTER = re.compile(r"\s*[:：]?\s*(?P<role>" + _ROLE_ALT + r")\s*[.:]?\s*$")
_ROLE_BEFORE = re.compile(
    r"^\s*(?P<role>"
    + _ROLE_ALT
    + r")\s*[:：]\s*|^\s*(?P<role2>지음|지은이|저자|옮김|옮긴이|역자|그린이|글|저|역)\s+"
)
_ROLE_KEYS = frozenset(compact(r) for r in _ALL_ROLES)
_ETAL = re.compile(r"\s*(?:외|등)\s*(?:\d+\s*(?:명|인))?\s*$")
_PEOPLE_SPLIT = re.compile(r"\s*[,;/&，、·|]\s*|\s+및\s+|\s+그리고\s+")
_ROLE_COMPOUND = re.compile(r"글\s*[·,/]\s*그림")
_PUBLISHER_SUFFIX = re.compile(
    r"(?:출판사|출판부|출판국|출판|북스|미디어|문고|프레스|퍼블리싱|하우스|문화사|서관|서적|서림|책방|에듀|교육|"
    r"아카데미|코리아|books?|press|publishing|publishers?|media|house|pub)$"
)


@dataclass(frozen=True)
class AuthorPart:
    """The author part of an entry, in pieces. Only `authors` is evidence about the book."""

    authors: tuple[str, ...] = ()
    translators: tuple[str, ...] = ()
    others: tuple[str, ...] = ()  # illustrators, editors of a translation, supervisors
    publisher: str | None = None
    roles: tuple[str, ...] = ()  # the role words as written


def _data_lines(name: str) -> list[str]:
    try:
        text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def name_key(name: str) -> str:
    """A name without spaces, dots and hyphens, lower-cased: 'J. K. 롤링' -> 'jk롤링'."""
    return compact(name)


@lru_cache(maxsize=1)
def publishers() -> frozenset[str]:
    return frozenset(name_key(line) for line in _data_lines("publishers.txt"))


@lru_cache(maxsize=1)
def _alias_index() -> dict[str, frozenset[int]]:
    """Name key -> the ids of the people it may name (an alias can be shared by two)."""
    index: dict[str, set[int]] = {}
    canon_ids: dict[str, int] = {}
    for line in _data_lines("author_aliases.tsv"):
        cells = line.split("\t")
        if len(cells) < 2 or cells[0] == "canonical":
            continue
        canon = name_key(cells[0])
        pid = canon_ids.setdefault(canon, len(canon_ids))
        for name in [cells[0], *cells[1].split("|")]:
            key = name_key(name)
            if key:
                index.setdefault(key, set()).add(pid)
    return {k: frozenset(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def _names_of() -> dict[int, tuple[str, ...]]:
    """Person id -> every name key of that person in the table."""
    out: dict[int, list[str]] = {}
    for key, ids in _alias_index().items():
        for pid in ids:
            out.setdefault(pid, []).append(key)
    return {k: tuple(v) for k, v in out.items()}


def alias_ids(name: str) -> frozenset[int]:
    return _alias_index().get(name_key(name), frozenset())


def is_publisher(piece: str) -> bool:
    key = name_key(piece)
    if not key:
        return False
    if key in publishers():
        return True
    if alias_ids(piece):
        return False  # a known author
    return len(key) >= 3 and bool(_PUBLISHER_SUFFIX.search(key))


def _strip_role(piece: str) -> tuple[str, str | None]:
    """('헤르만 헤세 지음') -> ('헤르만 헤세', '지음'); ('옮긴이: 홍길동') -> ('홍길동', '옮긴이')."""
    p = piece.strip().strip("()[]")
    role = None
    m = _ROLE_BEFORE.match(p)
    if m and p[m.end() :].strip():
        role = m.group("role") or m.group("role2")
        p = p[m.end() :].strip()
    for _ in range(2):
        m = _ROLE_AFTER.search(p)
        if not m or m.start() == 0:
            break
        role = role or m.group("role")
        if m.group("role") in _ROLE_TRANSLATOR + _ROLE_OTHER + _ROLE_PUBLISHER:
            role = m.group("role")
        p = p[: m.start()].strip()
    p = _ETAL.sub("", p).strip()
    return p, role


@lru_cache(maxsize=65536)
def parse_author_part(text: str | None) -> AuthorPart:
    """`헤세, 민음사` / `헤세/민음사` / `헤르만 헤세 지음, 홍길동 옮김` / `김철수, 이영희 공저` into pieces."""
    if not text:
        return AuthorPart()
    t = nfkc(text).strip()
    if len(t) > 200:
        t = t[:200]  # no real author part is this long; bound the work
    t = _ROLE_COMPOUND.sub("글그림", t)
    t = re.sub(r"[()\[\]（）]", ",", t)  # 헤르만 헤세(전영애 옮김): a bracket inside is a separator
    pieces: list[str] = []
    for p in _PEOPLE_SPLIT.split(t):
        if not p or not p.strip():
            continue
        # 헤세-민음사 / 헤세 민음사: a publisher glued to the name by a hyphen or a space
        head, sep, tail = p.strip().rpartition("-") if "-" in p else p.strip().rpartition(" ")
        if (
            sep
            and compact(head)
            and compact(head) not in _ROLE_KEYS
            and (name_key(tail) in publishers() or (sep == "-" and is_publisher(tail)))
        ):
            pieces.extend([head, tail])
        else:
            pieces.append(p)
    authors: list[str] = []
    translators: list[str] = []
    others: list[str] = []
    publisher: str | None = None
    roles: list[str] = []
    pending: list[str] = []  # names before a shared role word: '김철수, 이영희 공저'
    for piece in pieces:
        name, role = _strip_role(piece)
        if role:
            roles.append(role)
        if not compact(name) or compact(name).isdigit():
            continue  # nothing left, or a year (헤세, 민음사, 2009)
        if role in _ROLE_PUBLISHER or (role is None and is_publisher(name)):
            publisher = publisher or name
            continue
        if role in _ROLE_TRANSLATOR:
            translators.append(name)
            continue
        if role in _ROLE_OTHER:
            others.append(name)
            continue
        if role is None:
            pending.append(name)
            continue
        authors.extend(pending)
        pending.clear()
        authors.append(name)
    authors.extend(pending)
    return AuthorPart(tuple(authors), tuple(translators), tuple(others), publisher, tuple(roles))


def main_author(author: str | None) -> str | None:
    """The first author of an author part (role words, translators, publisher dropped)."""
    part = parse_author_part(author)
    return part.authors[0] if part.authors else None


# ----- comparing names --------------------------------------------------------------------------
_PLAIN_CHO = {
    "ㄲ": "ㄱ",
    "ㅋ": "ㄱ",
    "ㄸ": "ㄷ",
    "ㅌ": "ㄷ",
    "ㅃ": "ㅂ",
    "ㅍ": "ㅂ",
    "ㅆ": "ㅅ",
    "ㅉ": "ㅈ",
    "ㅊ": "ㅈ",
}
_PLAIN_JUNG = {
    "ㅐ": "ㅔ", "ㅒ": "ㅔ", "ㅖ": "ㅔ", "ㅕ": "ㅔ", "ㅓ": "ㅗ", "ㅛ": "ㅗ", "ㅠ": "ㅜ", "ㅡ": "ㅜ", "ㅢ": "ㅣ",
    "ㅟ": "ㅜ", "ㅝ": "ㅗ", "ㅞ": "ㅔ", "ㅙ": "ㅔ", "ㅚ": "ㅔ", "ㅑ": "ㅏ", "ㅘ": "ㅏ",
}  # fmt: skip
_PLAIN_JONG = {
    "ㅂ": "ㅂ",
    "ㅍ": "ㅂ",
    "ㄱ": "ㄱ",
    "ㅋ": "ㄱ",
    "ㄲ": "ㄱ",
    "ㅅ": "ㅅ",
    "ㅆ": "ㅅ",
    "ㄷ": "ㅅ",
    "ㅌ": "ㅅ",
}


@lru_cache(maxsize=65536)
def fold_name(name: str) -> str:
    """A spelling skeleton that folds common transliteration variants of foreign names together.

    Aspirated and tense consonants become plain (떽/텍, 뻬/페), close vowels merge (예/에, 오/어,
    브/부), the silent ㅇ and the epenthetic ㅡ of loanwords go, and a final consonant equals the
    same consonant starting a syllable with ㅡ (옙스/예프스): 도스토옙스키 = 도스토예프스키 = 도스또예프스끼.
    """
    out: list[str] = []
    for ch in name_key(name):
        code = ord(ch)
        if not _HANGUL_BASE <= code <= _HANGUL_LAST:
            out.append(ch)
            continue
        idx = code - _HANGUL_BASE
        cho, jung, jong = _CHO[idx // 588], _JUNG[(idx % 588) // 28], _JONG[idx % 28]
        c = _PLAIN_CHO.get(cho, cho)
        v = _PLAIN_JUNG.get(jung, jung)
        if c != "ㅇ":
            out.append(c)
        if v != "ㅜ" or jung != "ㅡ":
            out.append(v)
        if jong:
            out.append(_PLAIN_JONG.get(jong, jong))
    # 옙스 -> ㅔㅂㅅ and 예프스 -> ㅔㅂㅅ already agree; 쥘/줄: a final ㄹ before ㅂ/ㄹ is a doubling
    return "".join(out).replace("ㄹㄹ", "ㄹ")


def _tokens(name: str) -> tuple[str, ...]:
    """Name tokens; Latin initials are tokens of their own: 'J.K. 롤링' -> ('j', 'k', '롤링')."""
    t = nfkc(name).lower()
    out: list[str] = []
    for tok in re.split(r"[\s.\-·]+", t):
        for part in re.findall(r"[a-z]+|[^a-z]+", tok):
            if re.fullmatch(r"[a-z]+", part) and len(part) <= 3 and re.search(r"[^a-z]", tok):
                out.extend(part)  # 'jk롤링': initials glued to the name
            elif compact(part):
                out.append(compact(part))
    return tuple(out)


def _is_initial(tok: str) -> bool:
    return len(tok) == 1 and "a" <= tok <= "z"


@lru_cache(maxsize=65536)
def same_person(a: str, b: str) -> bool:
    """Two spellings of one author: the alias table, then rules (see the module docstring)."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    ia, ib = alias_ids(a), alias_ids(b)
    if ia and ib:
        return bool(ia & ib)  # both known: the table decides
    if ia or ib:
        # one known: the other may be one of that person's names spelt another way (미치오 까쿠)
        known, other = (ia, b) if ia else (ib, a)
        folded = fold_name(other)
        if any(fold_name(n) == folded for pid in known for n in _names_of()[pid]):
            return True
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return False
    short, long_ = (ka, kb) if len(ka) <= len(kb) else (kb, ka)
    # 헤세 / 헤르만 헤세; 샌델 / 마이클 샌델 (a family or given name alone, two syllables or more)
    if len(short) >= 2 and (long_.endswith(short) or long_.startswith(short)) and len(long_) > len(short):
        long_toks = tb if len(ka) <= len(kb) else ta
        if len(long_toks) > 1 or len(short) >= 3:
            return True
    # J.K. 롤링 / 조앤 K. 롤링 / 조앤 롤링: the family name (last token) agrees and the rest does not clash
    if ta[-1] == tb[-1] and not _is_initial(ta[-1]):
        rest_a, rest_b = ta[:-1], tb[:-1]
        if len(ta[-1]) >= 2 or not rest_a or not rest_b:
            return True
        if any(_is_initial(x) for x in rest_a + rest_b):
            return True  # E.H. 카 / 에드워드 H. 카
    fa, fb = fold_name(a), fold_name(b)
    korean_like = len(ta) == len(tb) == 1 and len(ka) <= 3 and len(kb) <= 3
    if fa == fb and not korean_like:
        return True  # folding vowels would merge 김정운 and 김종운: short one-word names only by typo
    ja, jb = jamo(ka), jamo(kb)
    if Levenshtein.distance(ja, jb, score_cutoff=1) <= 1:
        return True  # a one-jamo typo
    foreign = len(ka) >= 4 and len(kb) >= 4
    if foreign and Levenshtein.normalized_similarity(fa, fb) >= 0.8:
        return True
    if foreign and Levenshtein.normalized_similarity(ja, jb) >= 0.75:
        return True
    # the family names alone, folded: 생텍쥐페리 / 앙투안 드 생떽쥐뻬리
    la, lb = ta[-1], tb[-1]
    if (
        len(la) >= 3
        and len(lb) >= 3
        and (fold_name(la) == fold_name(lb) or fold_name(la).endswith(fold_name(lb)))
    ):
        return True
    return False


@lru_cache(maxsize=65536)
def authors_compatible(a: str | None, b: str | None) -> bool | None:
    """True: an author in common however written; False: authors on both sides, none in common;
    None: no author on one side (missing, or only a translator or a publisher)."""
    pa, pb = parse_author_part(a), parse_author_part(b)
    if not pa.authors or not pb.authors:
        return None
    for x in pa.authors:
        for y in pb.authors:
            if same_person(x, y):
                return True
    return False


def author_pieces_differ(a: str | None, b: str | None) -> list[str]:
    """Korean reasons for the pieces that differ besides the authors: 출판사 / 역자 표기 차이."""
    pa, pb = parse_author_part(a), parse_author_part(b)
    reasons = []
    if (pa.publisher or "") != (pb.publisher or "") and compact(pa.publisher or "") != compact(
        pb.publisher or ""
    ):
        reasons.append("출판사 표기 차이")
    if {compact(t) for t in pa.translators} != {compact(t) for t in pb.translators}:
        reasons.append("역자 표기 차이")
    return reasons
