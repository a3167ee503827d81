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
