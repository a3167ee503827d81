"""Parsing 독서활동상황 cells: exact texts, titles, authors and semesters."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schoolauto.records.parse import parse_reading_cell, split_title_author


def texts(cell: str) -> list[str]:
    return [e.text for e in parse_reading_cell(cell)]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (
            "(1학기) 데미안(헤르만 헤세), 어린 왕자(생텍쥐페리)",
            ["데미안(헤르만 헤세)", "어린 왕자(생텍쥐페리)"],
        ),
        (
            "(2학기) 총, 균, 쇠(재레드 다이아몬드), 코스모스(칼 세이건)",
            ["총, 균, 쇠(재레드 다이아몬드)", "코스모스(칼 세이건)"],
        ),
        ("총, 균, 쇠", ["총, 균, 쇠"]),
        ("사피엔스(유발 하라리 지음, 조현욱 옮김)", ["사피엔스(유발 하라리 지음, 조현욱 옮김)"]),
        ("데미안, 어린 왕자(생텍쥐페리)", ["데미안", "어린 왕자(생텍쥐페리)"]),
        ("토지(1)(박경리), 토지 2(박경리)", ["토지(1)(박경리)", "토지 2(박경리)"]),
        ("《데미안》(헤세 저)；「변신」(카프카)", ["《데미안》(헤세 저)", "「변신」(카프카)"]),
        ("  (1학기)   데미안(헤르만 헤세) ,  ", ["데미안(헤르만 헤세)"]),
        ("데미안\n수레바퀴 아래서", ["데미안", "수레바퀴 아래서"]),
        ("", []),
    ],
)
def test_cell_texts(cell: str, expected: list[str]) -> None:
    assert texts(cell) == expected


def test_semesters_and_positions() -> None:
    entries = parse_reading_cell("(1학기) 데미안(헤르만 헤세), 변신(카프카) (2학기) 코스모스(칼 세이건)")
    assert [(e.semester, e.index, e.title, e.author) for e in entries] == [
        ("1", 1, "데미안", "헤르만 헤세"),
        ("1", 2, "변신", "카프카"),
        ("2", 3, "코스모스", "칼 세이건"),
    ]


def test_colon_semester_form() -> None:
    entries = parse_reading_cell("1학기: 수학의 역사 (칼 보이어)\n2학기: 이기적 유전자(리처드 도킨스)")
    assert [(e.semester, e.title, e.author) for e in entries] == [
        ("1", "수학의 역사", "칼 보이어"),
        ("2", "이기적 유전자", "리처드 도킨스"),
    ]


@pytest.mark.parametrize(
    ("entry", "title", "author"),
    [
        ("데미안(헤르만 헤세 지음)", "데미안", "헤르만 헤세 지음"),
        ("코스모스(특별판)(칼 세이건)", "코스모스(특별판)", "칼 세이건"),
        ("토지(1)", "토지(1)", None),
        ("코스모스(특별판)", "코스모스(특별판)", None),
        ("데미안 - 헤르만 헤세", "데미안", "헤르만 헤세"),
        ("[청소년을 위한] 정의란 무엇인가(마이클 샌델)", "[청소년을 위한] 정의란 무엇인가", "마이클 샌델"),
        ("데미안（헤르만 헤세）", "데미안", "헤르만 헤세"),
    ],
)
def test_title_author(entry: str, title: str, author: str | None) -> None:
    assert split_title_author(entry) == (title, author)


_title = st.text(alphabet="가나다라마바사아자차카타파하수학역사의 ", min_size=1, max_size=12).filter(
    lambda s: s.strip() and len(s.strip()) >= 2
)
_author = st.text(alphabet="김이박최헤르만세", min_size=2, max_size=5)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_title, _author), min_size=1, max_size=6), st.sampled_from(["1", "2"]))
def test_round_trip_of_written_cells(books: list[tuple[str, str]], semester: str) -> None:
    """Whatever titles and authors, a cell written the NEIS way parses back to the same entries."""
    written = [f"{t.strip()}({a})" for t, a in books]
    cell = f"({semester}학기) " + ", ".join(written)
    entries = parse_reading_cell(cell)
    assert [e.text for e in entries] == written
    assert [(e.title, e.author) for e in entries] == [(t.strip(), a) for t, a in books]
    assert all(e.semester == semester for e in entries)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        # an author-less title before another book is a book of its own (issue 9, #15)
        ("어린 왕자, 데미안(헤르만 헤세)", ["어린 왕자", "데미안(헤르만 헤세)"]),
        (
            "(1학기) 코스모스(칼 세이건), 멈추면, 비로소 보이는 것들, 날개(이상)",
            ["코스모스(칼 세이건)", "멈추면, 비로소 보이는 것들", "날개(이상)"],
        ),
        ("한국이 싫어서, 28(정유정)", ["한국이 싫어서", "28(정유정)"]),
        # NEIS also writes books separated by a space only, or by a slash
        ("데미안(헤르만 헤세) 변신 (프란츠 카프카)", ["데미안(헤르만 헤세)", "변신 (프란츠 카프카)"]),
        ("데미안(헤르만 헤세) / 변신(카프카)", ["데미안(헤르만 헤세)", "변신(카프카)"]),
        ("광장/구운몽(최인훈)", ["광장/구운몽(최인훈)"]),
        # ...but a part word, an edition or an author in its own brackets stays with its book
        ("수학의 정석 (기본편) (홍성대)", ["수학의 정석 (기본편) (홍성대)"]),
        ("떨림과 울림 (물리학자 김상욱의 시선) (김상욱)", ["떨림과 울림 (물리학자 김상욱의 시선) (김상욱)"]),
        # co-authors and publishers inside the brackets never split the entry
        (
            "정의란 무엇인가(마이클 샌델, 김영사), 데미안(헤세/민음사)",
            ["정의란 무엇인가(마이클 샌델, 김영사)", "데미안(헤세/민음사)"],
        ),
        (
            "수학 귀신(한스 마그누스 엔첸스베르거 지음, 고영아 옮김, 비룡소)",
            ["수학 귀신(한스 마그누스 엔첸스베르거 지음, 고영아 옮김, 비룡소)"],
        ),
        # a comma inside a subtitle
        (
            "사피엔스: 유인원에서 사이보그까지, 인간 역사의 대담하고 위대한 질문(유발 하라리)",
            ["사피엔스: 유인원에서 사이보그까지, 인간 역사의 대담하고 위대한 질문(유발 하라리)"],
        ),
        ("청소년을 위한 다시, 역사의 쓸모(최태성)", ["청소년을 위한 다시, 역사의 쓸모(최태성)"]),
    ],
)
def test_cells_of_issue_9_and_11(cell: str, expected: list[str]) -> None:
    assert texts(cell) == expected


@pytest.mark.parametrize(
    ("entry", "title", "author"),
    [
        ("코스모스(칼 세이건)(사이언스북스)", "코스모스", "칼 세이건, 사이언스북스"),
        ("데미안 - 헤르만 헤세", "데미안", "헤르만 헤세"),
        (
            "떨림과 울림 - 물리학자 김상욱이 바라본 우주와 세계",
            "떨림과 울림 - 물리학자 김상욱이 바라본 우주와 세계",
            None,
        ),
        ("코스모스 - 가능한 세계들", "코스모스 - 가능한 세계들", None),
        ("수학의 정석 (기본편)", "수학의 정석 (기본편)", None),
    ],
)
def test_title_author_issue_11(entry: str, title: str, author: str | None) -> None:
    assert split_title_author(entry) == (title, author)


@pytest.mark.parametrize(
    ("part", "authors", "translators", "publisher"),
    [
        ("헤세, 민음사", ("헤세",), (), "민음사"),
        ("헤세/민음사", ("헤세",), (), "민음사"),
        ("헤세 지음, 홍길동 옮김", ("헤세",), ("홍길동",), None),
        ("헤르만 헤세 저, 전영애 역, 민음사", ("헤르만 헤세",), ("전영애",), "민음사"),
        ("김철수, 이영희 공저", ("김철수", "이영희"), (), None),
        ("트리나 폴러스 글·그림", ("트리나 폴러스",), (), None),
        ("지은이: 김초엽, 옮긴이: 없음", ("김초엽",), ("없음",), None),
        ("홍길동 옮김", (), ("홍길동",), None),
        ("김영사", (), (), "김영사"),
        ("유시민, 돌베개출판사", ("유시민",), (), "돌베개"),
        ("오은영, 코리아닷컴 북스", ("오은영",), (), "코리아닷컴 북스"),
    ],
)
def test_author_part_pieces(part: str, authors: tuple, translators: tuple, publisher: str | None) -> None:
    from schoolauto.records.authors import parse_author_part

    p = parse_author_part(part)
    assert (p.authors, p.translators, p.publisher) == (authors, translators, publisher)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("도스토옙스키", "도스토예프스키", True),
        ("도스토옙스키", "도스또예프스끼", True),
        ("생텍쥐페리", "생텍쥐베리", True),
        ("셰익스피어", "세익스피어", True),
        ("J.K. 롤링", "조앤 롤링", True),
        ("J.K. 롤링", "JK롤링", True),
        ("유발 하라리", "유발 노아 하라리", True),
        ("E. H. 카", "에드워드 핼릿 카", True),
        ("크리스토퍼 차브리스", "크리스토퍼 채브리스", True),  # not in the alias table: the rules
        ("블라디미르 나보코프", "블라디미르 나보꼬프", True),
        ("조정래", "조정레", True),  # a one-jamo typo
        ("마이클 샌델", "김정운", False),
        ("김철수", "김찬수", False),
        ("김정운", "김종훈", False),  # (김정운/김종운 is one jamo: a typo)
        ("까뮈", "카뮈", True),  # the alias table
        ("미치오 까쿠", "카쿠", True),  # one side in the table, the other spelt another way
        ("칼 세이건", "앤 드루얀", False),
        ("조지 오웰", "무라카미 하루키", False),
    ],
)
def test_same_person(a: str, b: str, same: bool) -> None:
    from schoolauto.records.authors import same_person

    assert same_person(a, b) is same
    assert same_person(b, a) is same


# ----- fuzzing: never a traceback, bounded work per entry ------------------------------------------
_cell_chars = st.sampled_from(list("가나다라수학역사의 ()[]《》,/;·:-\n1학기2(저)옮김민음사C++#\"'"))
_cells = st.one_of(
    st.text(_cell_chars, max_size=200),
    st.text(max_size=200),
    st.builds(lambda s, n: s * n, st.text(_cell_chars, min_size=1, max_size=20), st.integers(10, 400)),
)


@settings(max_examples=300, deadline=None)
@given(_cells)
def test_fuzz_cells_never_fail_and_compare_within_bounds(cell: str) -> None:
    """Any cell parses; the comparator never sees a string longer than the cap (no quadratic time)."""
    from rapidfuzz.distance import OSA

    from schoolauto.records import methods
    from schoolauto.records.duplicates import find_duplicate_books
    from schoolauto.records.model import BookEntry, ReadingDataset, Source, StudentRef
    from schoolauto.records.text import MAX_TITLE_CHARS

    seen: list[int] = []

    class CountingOSA:
        @staticmethod
        def distance(a: str, b: str, **kw: object) -> int:
            seen.append(max(len(a), len(b)))
            return OSA.distance(a, b, **kw)  # type: ignore[arg-type]

    entries = parse_reading_cell(cell)
    assert all(e.text and e.text == e.text.strip() for e in entries)
    student = StudentRef(key=("1",), name="가")
    ds = ReadingDataset(
        entries=[
            BookEntry(student, e.text, e.title, e.author, Source("f.xlsx", 1, index=e.index)) for e in entries
        ]
    )
    original = methods.OSA
    methods.OSA = CountingOSA  # type: ignore[assignment]
    try:
        report = find_duplicate_books(ds, methods.NormalizedJamoMethod())
    finally:
        methods.OSA = original
    # jamo keys of titles capped at MAX_TITLE_CHARS characters: at most 3 jamo per syllable
    assert all(n <= 3 * MAX_TITLE_CHARS for n in seen)
    assert {id(e) for e in report.overlong} == {id(e) for e in ds.entries if len(e.text) > MAX_TITLE_CHARS}


def test_a_huge_cell_is_reported_not_compared() -> None:
    """One 1 MB cell (issue 9, #13): parsed in linear time, its over-long entries reported."""
    from schoolauto.records.duplicates import find_duplicate_books
    from schoolauto.records.model import BookEntry, ReadingDataset, Source, StudentRef

    cell = (
        "데미안(헤르만 헤세), "
        + "가" * 1_000_000
        + "(저자), 데미안(헤세), "
        + "".join(f"나다 {i}, " for i in range(2_000))
        + "변신(카프카)"
    )
    entries = parse_reading_cell(cell)
    assert entries[0].text == "데미안(헤르만 헤세)" and entries[-1].text == "변신(카프카)"
    student = StudentRef(key=("1",), name="가")
    ds = ReadingDataset(
        entries=[
            BookEntry(student, e.text, e.title, e.author, Source("f.xlsx", 1, index=e.index)) for e in entries
        ]
    )
    report = find_duplicate_books(ds, "default")
    assert [len(e.text) for e in report.overlong] == [1_000_000 + len("(저자)")]
    assert [(f.a.text, f.b.text) for f in report.findings] == [("데미안(헤르만 헤세)", "데미안(헤세)")]
    assert report.to_json()["summary"]["overlong_entries"] == 1
