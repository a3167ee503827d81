"""Synthetic NEIS 독서활동상황 exports with injected duplicates, hard negatives and a gold file.

The layout copies what teachers download: title rows, letter-spaced headers, the header repeated at
page breaks, 번호/성명 merged down a student's rows (blank in CSV), `(1학기) 도서명(저자), …` cells.
Each student gets distinct real books from the catalogue; then some are listed again as a teacher
would retype them (spacing, one-key typos, author forms, brackets, punctuation, volume notation),
and some hard negatives are added (other volumes, sequels, same title by another author, a title
contained in another, real titles one syllable apart). The gold file (`<out_dir>_정답.csv`, beside the folder) lists every true same-book pair.
"""

from __future__ import annotations

import csv
import io
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import OutputExistsError, ReportError, UsageError
from ..fileio import commit_files, csv_bytes, os_reason
from .catalog import Book, LookalikePair, load_books, load_lookalikes, load_subtitles
from .text import _CHO, _HANGUL_BASE, _JONG, _JUNG, compact, split_volume, title_key

SUBJECTS = ["공통", "국어", "영어", "수학", "사회", "과학", "정보", "진로"]
HEADER = ["번  호", "성  명", "학  년", "과목 또는 영역", "독서활동 상황"]
GOLD_HEADER = [
    "file",
    "class",
    "number",
    "name",
    "row_a",
    "index_a",
    "text_a",
    "row_b",
    "index_b",
    "text_b",
    "variant",
]
PAGE_ROWS = 30  # the header is repeated after this many data rows, as at a printed page break

# Vowels and consonants one key (or one shift) apart on the 2-beolsik keyboard.
_VOWEL_SLIPS = {
    "ㅏ": "ㅑㅓ", "ㅑ": "ㅏ", "ㅓ": "ㅕㅏ", "ㅕ": "ㅓ", "ㅗ": "ㅛㅜ", "ㅛ": "ㅗ", "ㅜ": "ㅠㅗ", "ㅠ": "ㅜ",
    "ㅐ": "ㅔㅒ", "ㅔ": "ㅐㅖ", "ㅡ": "ㅜ", "ㅣ": "ㅢ", "ㅒ": "ㅐ", "ㅖ": "ㅔ", "ㅢ": "ㅣ", "ㅚ": "ㅙㅞ",
    "ㅙ": "ㅚ", "ㅞ": "ㅙ", "ㅘ": "ㅏ", "ㅝ": "ㅓ", "ㅟ": "ㅣ",
}  # fmt: skip
_CONSONANT_SLIPS = {
    "ㄱ": "ㄲㅋ", "ㄷ": "ㄸㅌ", "ㅂ": "ㅃㅍ", "ㅅ": "ㅆ", "ㅈ": "ㅉㅊ", "ㄲ": "ㄱ", "ㄸ": "ㄷ", "ㅃ": "ㅂ",
    "ㅆ": "ㅅ", "ㅉ": "ㅈ", "ㅋ": "ㄱ", "ㅌ": "ㄷ", "ㅍ": "ㅂ", "ㅊ": "ㅈ", "ㄴ": "ㅇ", "ㅇ": "ㄴ", "ㄹ": "ㄴ",
    "ㅁ": "ㄴ", "ㅎ": "ㅇ",
}  # fmt: skip
ROLE_WORDS = ["저", "지음", "글", "저자", "엮음"]
TRANSLATORS = ["김진준", "조현욱", "이덕환", "전영애", "황현산", "김난주", "홍성광", "이종인"]
WRAPS = [
    ("《", "》"),
    ("<", ">"),
    ("「", "」"),
    ("『", "』"),
    ("[", "]"),
    ("〈", "〉"),
    ('"', '"'),
    ("'", "'"),
]
PUBLISHERS = [
    "민음사",
    "문학동네",
    "창비",
    "열린책들",
    "김영사",
    "사계절",
    "비룡소",
    "을유문화사",
    "해냄",
    "동아시아",
]
EDITIONS = [
    "개정판",
    "(개정증보판)",
    "양장",
    "(리커버 특별판)",
    "보급판",
    "10주년 기념판",
    "(완역본)",
    "무삭제판",
    "(특별판)",
]
SUBTITLE_SEPS = [": ", " : ", " - ", "—", " – ", " ("]
# Transliteration slips on foreign names: (written, also written) pairs of syllable parts.
TRANSLIT = [("예", "에"), ("에", "예"), ("페", "뻬"), ("테", "떼"), ("토", "또"), ("카", "까"), ("키", "끼"),
            ("스", "쓰"), ("프", "쁘"), ("베", "페"), ("쉐", "셰"), ("셰", "세"), ("어", "오"), ("츠", "쯔")]  # fmt: skip


@dataclass
class Placed:
    """A book as written into a cell, with what it really is (for the gold file)."""

    book_id: str
    text: str
    variant: str = "original"


@dataclass
class StudentPlan:
    klass: int
    number: int
    name: str
    # (grade, subject) -> semester -> entries
    cells: dict[tuple[int, str], dict[int, list[Placed]]] = field(default_factory=dict)


@dataclass
class GeneratedExports:
    files: list[Path]
    gold: Path
    students: int
    entries: int
    true_pairs: int
    hard_negative_pairs: int


def _compose(c: int, v: int, j: int) -> str:
    return chr(_HANGUL_BASE + (c * 21 + v) * 28 + j)


def _decompose(ch: str) -> tuple[int, int, int] | None:
    code = ord(ch) - _HANGUL_BASE
    if not 0 <= code <= 11171:
        return None
    return code // 588, (code % 588) // 28, code % 28


def jamo_typo(text: str, rng: random.Random, *, limit: int | None = None) -> str | None:
    """One jamo changed as a one-key slip would: 역사 -> 역샤, 데우스 -> 데유스, a final dropped or added.

    `limit`: only the first `limit` characters (the title before its volume or part word)."""
    positions = [i for i, ch in enumerate(text[:limit]) if _decompose(ch)]
    if not positions:
        return None
    for _ in range(10):
        i = rng.choice(positions)
        c, v, j = _decompose(text[i])  # type: ignore[misc]
        choice = rng.random()
        if choice < 0.55 and _JUNG[v] in _VOWEL_SLIPS:
            v = _JUNG.index(rng.choice(_VOWEL_SLIPS[_JUNG[v]]))
        elif choice < 0.8 and _CHO[c] in _CONSONANT_SLIPS:
            c = _CHO.index(rng.choice(_CONSONANT_SLIPS[_CHO[c]]))
        elif j:
            j = 0  # final consonant dropped
        else:
            j = _JONG.index(rng.choice("ㄴㅇㄹㅁ"))  # a stray final
        new = text[:i] + _compose(c, v, j) + text[i + 1 :]
        if new != text:
            return new
    return None


def _respace(title: str, rng: random.Random) -> str:
    if " " in title and rng.random() < 0.7:
        spaces = [m.start() for m in re.finditer(" ", title)]
        i = rng.choice(spaces)
        return title[:i] + title[i + 1 :]
    chars = [
        i
        for i in range(1, len(title))
        if title[i] != " " and title[i - 1] != " " and not (title[i].isdigit() and title[i - 1].isdigit())
    ]
    if not chars:
        return title + " "
    i = rng.choice(chars)
    return title[:i] + " " + title[i:]


def _author_variant(author: str, rng: random.Random) -> str | None:
    parts = author.split()
    r = rng.random()
    if r < 0.3 and len(parts) > 1:
        return parts[-1]  # 헤르만 헤세 -> 헤세
    if r < 0.55:
        return f"{author} {rng.choice(ROLE_WORDS)}"
    if r < 0.7:
        return f"{author} 지음, {rng.choice(TRANSLATORS)} 옮김"
    if r < 0.85:
        return None  # author left out
    typo = jamo_typo(author, rng)
    return typo or author.replace(" ", "")


def _volume_variant(title: str, rng: random.Random) -> str:
    base, vol = split_volume(title)
    if vol is None or not vol.isdigit():
        return title
    form = rng.choice(["{b}{v}", "{b} {v}권", "{b} 제{v}권", "{b}({v})", "{b} {v}", "{b}{v}권"])
    return form.format(b=base, v=vol)


def _translit_variant(author: str, rng: random.Random) -> str | None:
    """The same foreign name transliterated another way: 도스토옙스키 -> 도스또옙스키, 셰익스피어 -> 세익스피어."""
    options = [(a, b) for a, b in TRANSLIT if a in author]
    if not options or len(compact(author)) < 4:
        return None
    a, b = rng.choice(options)
    i = rng.choice([m.start() for m in re.finditer(a, author)])
    return author[:i] + b + author[i + len(a) :]


def _title_span(title: str) -> int:
    """How many leading characters are the title proper (not its volume or part word)."""
    base, vol = split_volume(title)
    return len(base) if vol is not None and len(base) <= len(title) else len(title)


def _two_typos(title: str, rng: random.Random) -> str | None:
    """Two one-key slips in different syllables of a long title (8 syllables or more)."""
    span = _title_span(title)
    if len(title_key(title).compact) < 8:
        return None
    for _ in range(10):
        first = jamo_typo(title, rng, limit=span)
        second = jamo_typo(first, rng, limit=span) if first else None
        if (
            second
            and sum(1 for x, y in zip(second, title, strict=False) if x != y) == 2
            and len(second) == len(title)
        ):
            return second
    return None


# Retypings of the title itself come first, additions around it after (a slip in the title, not in
# an edition word added later); two slips are never combined with a third.
OPS = ["space", "typo", "typo2", "volume", "punct", "author", "translit", "subtitle", "edition", "publisher",
       "brackets", "fullwidth"]  # fmt: skip


def make_variant(
    book: Book, rng: random.Random, *, two_typos: bool = True, authored: bool = True
) -> tuple[str, str]:
    """(entry text, variant label): the same book retyped the way teachers retype."""
    title, author = book.title, book.author
    ops = rng.sample(OPS, k=rng.choice([1, 1, 2]))
    if (book.title, book.author) in load_subtitles() and "subtitle" not in ops and rng.random() < 0.5:
        ops[0] = "subtitle"  # the few books with a known subtitle get it often
    ops = sorted(ops, key=OPS.index)
    if "typo2" in ops and ("typo" in ops or not two_typos):
        ops.remove("typo2")
    labels = []
    auth: str | None = author
    tail = ""  # what follows the author inside the brackets: a publisher
    for op in ops:
        if op == "space":
            title = _respace(title, rng)
        elif op == "typo":
            t = jamo_typo(title, rng, limit=_title_span(title))
            if t and compact(t) != compact(book.title) and len(compact(book.title)) >= 3:
                title = t
            else:
                continue
        elif op == "typo2":
            t = _two_typos(title, rng)
            if t is None or auth != author:
                continue
            title = t
        elif op == "author":
            auth = _author_variant(author, rng)
        elif op == "translit":
            new_author = _translit_variant(author, rng) if auth == author else None
            if new_author is None:
                continue
            auth = new_author
        elif op == "brackets":
            o, c = rng.choice(WRAPS)
            title = f"{o}{title}{c}"
        elif op == "punct":
            if any(ch in title for ch in ",:·!?"):
                title = re.sub(r"[,:·!?]", "", title)
            elif " " in title and rng.random() < 0.3:
                title = title.replace(" ", "·", 1)
            else:
                title = title + rng.choice([".", "!", "…"])
        elif op == "volume":
            if split_volume(book.title)[1] is None:
                continue
            new = _volume_variant(title, rng)
            if new == title:
                continue
            title = new
        elif op == "subtitle":
            # the rule needs the author on both sides: without it, 코스모스 / 코스모스: 가능한 세계들 is undecidable
            sub = load_subtitles().get((book.title, book.author))
            if sub is None or auth is None or not authored:
                continue
            sep = rng.choice(SUBTITLE_SEPS)
            title = f"{title}{sep}{sub}" + (")" if sep.endswith("(") else "")
        elif op == "publisher":
            if auth is None:
                continue
            tail = rng.choice([", ", "/", ", ", " / "]) + rng.choice(PUBLISHERS)
        elif op == "edition":
            word = rng.choice(EDITIONS)
            title = (
                f"{title} {word}"
                if rng.random() < 0.7
                else f"{word} {title}".replace("(", "").replace(")", "")
            )
        elif op == "fullwidth":
            labels.append(op)
            text = f"{title}（{auth}）" if auth else title
            return text, "+".join(labels)
        labels.append(op)
    text = f"{title}({auth}{tail})" if auth else title
    return text, "+".join(labels) or "exact"


def _other_syllable(title: str, rng: random.Random) -> str | None:
    """A different title one whole syllable apart (two or more jamo changed): 이기적 -> 이타적."""
    positions = [i for i, ch in enumerate(title) if _decompose(ch)]
    if not positions:
        return None
    i = rng.choice(positions)
    c, v, j = _decompose(title[i])  # type: ignore[misc]
    c2 = (c + rng.randint(3, 15)) % 19
    v2 = (v + rng.randint(3, 15)) % 21
    return title[:i] + _compose(c2, v2, j) + title[i + 1 :]


def hard_negative(
    book: Book, fake_author: str, rng: random.Random, *, has_author: bool = True
) -> tuple[Book, str] | None:
    """A different book that looks like `book`."""
    lookalikes = [p for p in load_lookalikes() if compact(p.a.title) == compact(book.title)]
    lookalikes += [
        LookalikePair(p.b, p.a, p.kind)
        for p in load_lookalikes()
        if compact(p.b.title) == compact(book.title) and p.kind in ("subtitle_volume", "part", "symbol")
    ]
    if not has_author:
        # with no author written on the original, nobody could tell a same-titled book apart
        lookalikes = [p for p in lookalikes if compact(p.b.title) != compact(p.a.title)]
    if lookalikes and rng.random() < 0.6:
        p = rng.choice(lookalikes)
        return p.b, f"lookalike:{p.kind}"
    base, vol = split_volume(book.title)
    r = rng.random()
    if vol is not None and vol.isdigit():
        return Book(f"{base} {int(vol) % 5 + 1}", book.author, book.category), "other_volume"
    if r < 0.25:
        return Book(f"{book.title} {rng.choice([2, 3])}", book.author, book.category), "sequel"
    if r < 0.5 and has_author:
        # with no author written on the original, nobody could tell these apart: not a fair negative
        return Book(book.title, fake_author, book.category), "same_title_other_author"
    if r < 0.75:
        prefix = rng.choice(
            ["10대를 위한 ", "청소년을 위한 ", "처음 읽는 ", "만화로 보는 ", "그림으로 읽는 "]
        )
        return Book(prefix + book.title, book.author, book.category), "containment"
    other = _other_syllable(book.title, rng)
    if other and compact(other) != compact(book.title):
        return Book(other, fake_author, book.category), "one_syllable"
    return None


def _subtitle_of_held(book: Book, held: Sequence[Book]) -> bool:
    """`나니아 연대기: 새벽 출정호의 항해` while the student holds `나니아 연대기` by the same author: by the
    subtitle rule that is the same book, so it is no fair negative."""
    key = title_key(book.title)
    return bool(key.sub) and any(
        title_key(h.title).compact == key.main and compact(h.author) == compact(book.author) for h in held
    )


def _book_id(book: Book) -> str:
    base, vol = split_volume(book.title)
    return f"{compact(base)}|{vol or ''}|{compact(book.author)}"


def plan_students(
    n_students: int,
    *,
    grade: int = 3,
    class_size: int = 30,
    books_per_student: int = 30,
    duplicate_rate: float = 0.06,
    negative_rate: float = 0.05,
    seed: int = 0,
) -> list[StudentPlan]:
    from faker import Faker

    rng = random.Random(seed)
    fake = Faker("ko_KR")
    fake.seed_instance(seed)
    catalogue = list(load_books())
    if len(catalogue) < books_per_student * 2:
        raise UsageError("도서 목록이 너무 짧습니다 (schoolauto/records/data/books.tsv)")
    plans = []
    for s in range(n_students):
        klass, number = s // class_size + 1, s % class_size + 1
        plan = StudentPlan(klass=klass, number=number, name=fake.name())
        n_books = max(4, int(rng.gauss(books_per_student, books_per_student / 6)))
        chosen = rng.sample(catalogue, k=min(n_books, len(catalogue)))
        titles = [compact(split_volume(b.title)[0]) for b in chosen]
        placed = [
            # now and then without its author, unless another chosen book has the same title
            Placed(
                _book_id(b),
                b.title if rng.random() < 0.03 and titles.count(t) == 1 else f"{b.title}({b.author})",
            )
            for b, t in zip(chosen, titles, strict=True)
        ]
        extra: list[Placed] = []
        for b, first in zip(chosen, placed, strict=True):
            if rng.random() < duplicate_rate:
                authored = first.text != b.title
                text, label = make_variant(b, rng, authored=authored)
                extra.append(Placed(_book_id(b), text, label))
                if rng.random() < 0.1:  # now and then a third copy (two slips only in one of them)
                    text, label = make_variant(b, rng, two_typos="typo2" not in label, authored=authored)
                    extra.append(Placed(_book_id(b), text, label))
            if rng.random() < negative_rate:
                # a copy without its author cannot be told from the same title by another author
                copies = [first, *(p for p in extra if p.book_id == _book_id(b))]
                authored = all(p.text.rstrip().endswith((")", "）")) for p in copies)
                neg = hard_negative(b, fake.name(), rng, has_author=authored)
                if (
                    neg is not None
                    and _book_id(neg[0]) != _book_id(b)
                    and not _subtitle_of_held(neg[0], chosen)
                ):
                    nb, label = neg
                    extra.append(Placed(_book_id(nb), f"{nb.title}({nb.author})", f"negative:{label}"))
        everything = placed + extra
        rng.shuffle(everything)
        for p in everything:
            g = rng.randint(1, grade)
            subject = rng.choice(SUBJECTS[: 3 + g])
            sem = rng.randint(1, 2)
            plan.cells.setdefault((g, subject), {}).setdefault(sem, []).append(p)
        plans.append(plan)
    return plans


def _cell_text(by_sem: dict[int, list[Placed]]) -> tuple[str, list[Placed]]:
    parts, order = [], []
    for sem in sorted(by_sem):
        entries = by_sem[sem]
        parts.append(f"({sem}학기) " + ", ".join(p.text for p in entries))
        order.extend(entries)
    return " ".join(parts), order


def _layout_rows(
    plan_list: list[StudentPlan], year: int, grade: int, klass: int
) -> tuple[list[list[object]], list[tuple[int, list[Placed], StudentPlan] | None], list[tuple[int, int]]]:
    """Sheet rows for one class, and for each data row the placed entries in cell order."""
    title: list[object] = [f"{year}학년도 {grade}학년 {klass}반 독서활동상황"]
    rows: list[list[object]] = [title, [f"출력일: {year}-11-20"], list(HEADER)]
    meta: list[tuple[int, list[Placed], StudentPlan] | None] = [None, None, None]
    merges: list[tuple[int, int]] = []
    data_rows = 0
    for plan in plan_list:
        first = True
        start = len(rows) + 1
        for g, subject in sorted(plan.cells):
            if data_rows and data_rows % PAGE_ROWS == 0:
                rows.append(list(HEADER))
                meta.append(None)
                if not first:
                    merges.append((start, len(rows) - 1))
                start = len(rows) + 1
                first = True
            text, order = _cell_text(plan.cells[(g, subject)])
            rows.append([plan.number if first else None, plan.name if first else None, g, subject, text])
            meta.append((len(rows), order, plan))
            first = False
            data_rows += 1
        merges.append((start, len(rows)))
    return rows, meta, merges


FORMATS = ("xlsx", "csv")
GOLD_SUFFIX = "_정답.csv"  # the gold file sits beside the export folder, never inside it


def gold_path(out_dir: str | Path) -> Path:
    """`exports/` -> `exports_정답.csv` next to it: a check of the folder never sees the answers."""
    out = Path(out_dir)
    if out.name in ("", ".", ".."):
        out = out.resolve()
    return out.parent / f"{out.name}{GOLD_SUFFIX}"


@dataclass
class GenerateRequest:
    """What `records generate` makes: the exports in `out_dir/`, the gold file `out_dir_정답.csv` beside it."""

    out_dir: str | Path
    students: int = 60
    grade: int = 3
    year: int = 2026
    class_size: int = 30
    books: int = 30  # books per student, on average
    format: Sequence[str] = ("xlsx",)
    seed: int = 0
    overwrite: bool = False


def generate(request: GenerateRequest) -> GeneratedExports:
    """Synthetic 반별 exports with injected duplicates and look-alikes, and their gold file."""
    return generate_reading_exports(
        request.out_dir,
        students=request.students,
        grade=request.grade,
        year=request.year,
        class_size=request.class_size,
        books_per_student=request.books,
        formats=request.format,
        seed=request.seed,
        overwrite=request.overwrite,
    )


MAX_STUDENTS = 20_000


def _check_request(
    out: Path, students: int, class_size: int, books: int, grade: int, formats: Sequence[str]
) -> None:
    for value, name in ((students, "students"), (class_size, "class_size"), (books, "books")):
        if value < 1:
            raise UsageError(f"1 이상이어야 합니다 (받은 값: {value})", field=name)
    if not 1 <= grade <= 3:
        raise UsageError(f"1, 2, 3 중 하나여야 합니다 (받은 값: {grade})", field="grade")
    if books > 500:
        raise UsageError(f"500 이하여야 합니다 (받은 값: {books})", field="books")
    if students > MAX_STUDENTS:  # a whole large school is ~2,000; more is a typo, not a test set
        raise UsageError(f"{MAX_STUDENTS:,} 이하여야 합니다 (받은 값: {students:,})", field="students")
    if class_size > 100:
        raise UsageError(f"100 이하여야 합니다 (받은 값: {class_size})", field="class_size")
    if not formats:
        raise UsageError("파일 형식을 하나 이상 주세요 (가능한 값: xlsx, csv)", field="format")
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise UsageError(
            f"알 수 없는 형식입니다: {', '.join(sorted(set(bad)))} (가능한 값: xlsx, csv)", field="format"
        )
    if out.exists() and not out.is_dir():
        raise UsageError("폴더가 아니라 파일입니다: 폴더 이름을 주세요", path=out, field="out_dir")


def generate_reading_exports(
    out_dir: str | Path,
    *,
    students: int = 60,
    grade: int = 3,
    year: int = 2026,
    class_size: int = 30,
    formats: Sequence[str] = ("xlsx",),
    seed: int = 0,
    duplicate_rate: float = 0.06,
    negative_rate: float = 0.05,
    books_per_student: int = 30,
    overwrite: bool = False,
) -> GeneratedExports:
    """Write one 반별 export per class (xlsx and/or CP949 csv) into `out_dir/` and the gold file
    `<out_dir>_정답.csv` beside that folder, so a check of the export folder never sees it."""
    out = Path(out_dir)
    formats = [f.strip().lower() for f in formats if f.strip()]
    _check_request(out, students, class_size, books_per_student, grade, formats)
    exports = out
    plans = plan_students(
        students,
        grade=grade,
        class_size=class_size,
        books_per_student=books_per_student,
        duplicate_rate=duplicate_rate,
        negative_rate=negative_rate,
        seed=seed,
    )
    by_class: dict[int, list[StudentPlan]] = {}
    for p in plans:
        by_class.setdefault(p.klass, []).append(p)
    names = {k: f"{year}_{grade}학년_{k}반_독서활동상황" for k in by_class}
    targets = [exports / f"{names[k]}.{fmt}" for k in by_class for fmt in formats] + [gold_path(out)]
    for t in targets:
        if t.exists() and not overwrite:
            raise OutputExistsError(
                "출력 파일이 이미 있습니다", path=t, hint="다른 폴더를 주세요", field="out_dir"
            )
    pending: list[tuple[Path, bytes]] = []
    files: list[Path] = []
    gold_rows: list[list[object]] = []
    n_entries = negatives = 0
    for k, plan_list in by_class.items():
        rows, meta, merges = _layout_rows(plan_list, year, grade, k)
        for fmt in formats:
            path = exports / f"{names[k]}.{fmt}"
            data = _xlsx_bytes(rows, merges) if fmt == "xlsx" else _csv_bytes(rows)
            pending.append((path, data))
            files.append(path)
        # gold: every pair of one student's entries that are the same book
        by_student: dict[int, list[tuple[int, int, Placed]]] = {}
        for m in meta:
            if m is None:
                continue
            row, order, owner = m
            for idx, placed in enumerate(order, start=1):
                by_student.setdefault(owner.number, []).append((row, idx, placed))
        for number, items in by_student.items():
            n_entries += len(items)
            name = next(p.name for p in plan_list if p.number == number)
            negatives += sum(1 for _, _, p in items if p.variant.startswith("negative"))
            for i in range(len(items)):
                for j in range(i + 1, len(items)):
                    (ra, ia, pa), (rb, ib, pb) = items[i], items[j]
                    if pa.book_id == pb.book_id:
                        variant = pb.variant if pb.variant != "original" else pa.variant
                        gold_rows.append(
                            [names[k], k, number, name, ra, ia, pa.text, rb, ib, pb.text, variant]
                        )
    gold = gold_path(out)
    pending.append((gold, csv_bytes(GOLD_HEADER, gold_rows)))
    try:
        exports.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(
            f"출력 폴더를 만들 수 없습니다 ({os_reason(exc)})", path=exports, field="out_dir"
        ) from exc
    commit_files(pending, overwrite=overwrite)  # all files or none
    return GeneratedExports(
        files=files, gold=gold, students=len(plans), entries=n_entries, true_pairs=len(gold_rows),
        hard_negative_pairs=negatives,
    )  # fmt: skip


def _xlsx_bytes(rows: list[list[object]], merges: list[tuple[int, int]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "독서활동상황"
    for r in rows:
        ws.append(r)
    ws["A1"].font = Font(bold=True, size=14)
    for start, end in merges:
        if end > start:
            for col in ("A", "B"):
                ws.merge_cells(f"{col}{start}:{col}{end}")
                ws[f"{col}{start}"].alignment = Alignment(vertical="center")
    ws.column_dimensions["E"].width = 90
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _csv_bytes(rows: list[list[object]]) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    # NEIS and Excel on Korean Windows write CP949; characters outside it are replaced, as Excel does.
    return buf.getvalue().encode("cp949", errors="replace")


def read_gold(path: str | Path) -> set[tuple[str, int, int, int, int]]:
    """Gold pairs as (file stem, row_a, index_a, row_b, index_b), rows ordered."""
    pairs = set()
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            a = (int(r["row_a"]), int(r["index_a"]))
            b = (int(r["row_b"]), int(r["index_b"]))
            lo, hi = min(a, b), max(a, b)
            pairs.add((r["file"], lo[0], lo[1], hi[0], hi[1]))
    return pairs
