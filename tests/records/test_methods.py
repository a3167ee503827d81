"""The two duplicate methods on the cases the issue names, with exact kinds and reasons."""

from __future__ import annotations

import pytest

from schoolauto.errors import UsageError
from schoolauto.records.methods import NormalizedJamoMethod, RatioMethod, get_method
from schoolauto.records.model import BookEntry, Source, StudentRef
from schoolauto.records.parse import parse_reading_cell

STUDENT = StudentRef(key=("n", "홍길동"), name="홍길동")


def entry(text: str, row: int = 1) -> BookEntry:
    (p,) = parse_reading_cell(text)
    return BookEntry(STUDENT, p.text, p.title, p.author, Source("a.xlsx", row))


@pytest.fixture(scope="module")
def default() -> NormalizedJamoMethod:
    return NormalizedJamoMethod()


SAME = [
    ("데미안(헤르만 헤세)", "데미안(헤르만 헤세)", "exact", "같은 표기"),
    ("수학의 역사(칼 보이어)", "수학의역사(칼 보이어)", "exact", "띄어쓰기 차이"),
    ("수학의 역사(칼 보이어)", "수학의 역샤(칼 보이어)", "similar", "오타 의심: 사↔샤"),
    ("호모 데우스(유발 하라리)", "호모 데유스(유발 하라리)", "similar", "오타 의심: 우↔유"),
    ("총, 균, 쇠(재레드 다이아몬드)", "총균쇠(재레드 다이아몬드)", "exact", "문장부호 차이"),
    ("토지 1(박경리)", "토지1(박경리)", "exact", "띄어쓰기 차이"),
    ("토지 1(박경리)", "토지 1권(박경리)", "exact", "권 표기 차이"),
    ("《데미안》(헤르만 헤세)", "데미안(헤르만 헤세)", "exact", "괄호 표기 차이"),
    ("데미안(헤르만 헤세)", "데미안(헤세)", "similar", "저자 표기 차이"),
    ("데미안(헤르만 헤세 지음)", "데미안(헤르만 헤세)", "exact", "저자 표기 차이"),
    ("어린 왕자(생텍쥐페리)", "어린 왕자", "similar", "저자 누락"),
    ("가시고백(김려령)", "가시고백（김려령）", "exact", "전각 문자 차이"),
    (
        "해리 포터와 마법사의 돌(J.K. 롤링)",
        "해리 포터와 마법사의 돌(조앤 K. 롤링)",
        "similar",
        "저자 표기 차이",
    ),
]

DIFFERENT = [
    ("토지 1(박경리)", "토지 2(박경리)"),
    ("미움받을 용기(기시미 이치로)", "미움받을 용기 2(기시미 이치로)"),
    ("정의란 무엇인가(마이클 샌델)", "정의란 무엇인가(김정운)"),
    ("정의란 무엇인가(마이클 샌델)", "10대를 위한 정의란 무엇인가(마이클 샌델)"),
    ("이기적 유전자(리처드 도킨스)", "이타적 유전자(매트 리들리)"),
    ("이기적 유전자", "이타적 유전자"),
    ("하버드 새벽 4시 반", "하버드 새벽 5시 반"),
    ("데미안(헤르만 헤세)", "수레바퀴 아래서(헤르만 헤세)"),
]


@pytest.mark.parametrize(("a", "b", "kind", "reason"), SAME)
def test_default_finds_retyped_duplicates(
    default: NormalizedJamoMethod, a: str, b: str, kind: str, reason: str
) -> None:
    m = default.compare(entry(a), entry(b))
    assert m is not None
    assert m.kind == kind
    assert reason in m.reason.split(", ")


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_default_keeps_different_books_apart(default: NormalizedJamoMethod, a: str, b: str) -> None:
    assert default.compare(entry(a), entry(b)) is None
    assert default.compare(entry(b), entry(a)) is None


@pytest.fixture(scope="module")
def ratio() -> RatioMethod:
    return RatioMethod()


def test_ratio_is_the_talks_formula(ratio: RatioMethod) -> None:
    a, b = "수학의 역사", "수학의 역샤"
    ma, mb = ratio.morphemes(a), ratio.morphemes(b)
    assert ma == ("수학", "의", "역사")  # real Kiwi output
    assert ratio.score(a, b) == len(ma + mb) / len(set(ma + mb)) == 6 / 4
    assert ratio.score(a, a) == 2.0


def test_ratio_cutoff_and_kinds(ratio: RatioMethod) -> None:
    same = ratio.compare(entry("데미안(헤르만 헤세)"), entry("데미안(헤르만 헤세)"))
    assert same is not None and same.kind == "exact" and same.score == 2.0
    # the reference method misses a retyped author form...
    assert ratio.compare(entry("데미안(헤르만 헤세)"), entry("데미안(헤세 저)")) is None
    # ...and merges another volume of a long title
    assert (
        ratio.compare(
            entry("지적 대화를 위한 넓고 얕은 지식 1(채사장)"),
            entry("지적 대화를 위한 넓고 얕은 지식 2(채사장)"),
        )
        is not None
    )


def test_ratio_recomputes_the_apps_formula_by_hand(ratio: RatioMethod) -> None:
    """The app: split the cell on '), ', tokenise each entry with Kiwi, drop the '(' and ')' tokens,
    score len(list) / len(set) of both entries' tokens together, flag at 1.72."""
    kiwi = ratio.kiwi
    cell = "데미안(헤르만 헤세), 데미안(헤세 저), 토지 1(박경리), 토지 2(박경리), 코스모스(칼 세이건)"
    app_entries = cell.split("), ")  # the app's own split: every entry but the last loses its ')'
    ours = parse_reading_cell(cell)
    assert [e.text for e in ours] == [t if t.endswith(")") else t + ")" for t in app_entries]

    def app_tokens(text: str) -> list[str]:
        return [t.form for t in kiwi.tokenize(text) if t.form not in ("(", ")")]  # type: ignore[attr-defined]

    for i in range(len(app_entries)):
        for j in range(i + 1, len(app_entries)):
            both = app_tokens(app_entries[i]) + app_tokens(app_entries[j])
            app_score = len(both) / len(set(both))
            assert ratio.score(ours[i].text, ours[j].text) == app_score
            flagged = ratio.compare(entry(ours[i].text), entry(ours[j].text)) is not None
            assert flagged == (app_score >= 1.72)


def test_unknown_method_and_bad_cutoff() -> None:
    with pytest.raises(UsageError, match="알 수 없는 비교 방법 'fuzzy' 입니다") as e:
        get_method("fuzzy")
    assert e.value.field == "method"
    with pytest.raises(UsageError, match=r"1\.0 과 2\.0 사이여야 합니다") as e:
        RatioMethod(cutoff=2.5)
    assert e.value.field == "cutoff"
