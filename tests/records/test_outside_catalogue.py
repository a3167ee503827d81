"""Hand-written pairs in the style of other people's typing, mostly outside the package's catalogue.

The generator's gold data comes from the same hands as the method; these cases do not, so they guard
against tuning to our own generator.
"""

from __future__ import annotations

import pytest

from schoolauto.records.methods import NormalizedJamoMethod
from schoolauto.records.model import BookEntry, Source, StudentRef
from schoolauto.records.parse import parse_reading_cell

STUDENT = StudentRef(key=("n", "학생"), name="학생")
METHOD = NormalizedJamoMethod()


def entry(text: str) -> BookEntry:
    (p,) = parse_reading_cell(text)
    return BookEntry(STUDENT, p.text, p.title, p.author, Source("x.xlsx", 1))


SAME = [
    ("페스트(알베르 카뮈)", "패스트(알베르 카뮈)"),
    ("꽃들에게 희망을(트리나 폴러스)", "꽃들에게 희망을 (트리나 폴러스 글·그림)"),
    ("모모(미하엘 엔데)", "모모 (엔데)"),
    ("나의 라임오렌지나무(J.M. 바스콘셀로스)", "나의 라임 오렌지 나무(바스콘셀로스)"),
    ("어린왕자(앙투안 드 생텍쥐페리)", "어린 왕자(생텍쥐페리)"),
    ("노인과 바다(어니스트 헤밍웨이)", "노인과바다(헤밍웨이 저)"),
    ("멋진 신세계(올더스 헉슬리)", "멋진 신세게(올더스 헉슬리)"),
    ("동물농장(조지 오웰)", "동물 농장(조지 오웰 지음, 도정일 옮김)"),
    ("지구 끝의 온실(김초엽)", "지구끝의 온실(김초엽)"),
    ("죽은 시인의 사회(N.H. 클라인바움)", "죽은 시인의 사화(N. H. 클라인바움)"),
    ("정의란 무엇인가(마이클 샌델)", "정의란 무엇인가?(마이클 샌델)"),
    ("1984(조지 오웰)", "1984 (조지오웰)"),
    ("해리 포터와 비밀의 방 1(J.K. 롤링)", "해리포터와 비밀의 방 1권(조앤 롤링)"),
    ("총균쇠(재레드 다이아몬드)", "총, 균, 쇠 (다이아몬드)"),
    ("<이방인>(카뮈)", "이방인(알베르 카뮈)"),
    ("수레바퀴 아래서(헤르만 헤세)", "수레바퀴아래서(헤세)"),
    ("꿈을 찍는 사진관(강소천)", "꿈을 찍는 사진괸(강소천)"),
    ("침묵의 봄(레이첼 카슨)", "침묵의 봄 (개정판)(레이첼 카슨)"),
    ("아Q정전(루쉰)", "아Q 정전(루쉰)"),
    ("토지 제3권(박경리)", "토지 3(박경리)"),
    ("위대한 개츠비(F. 스콧 피츠제럴드)", "위대한 캐츠비(피츠제럴드)"),
    ("오만과 편견(제인 오스틴)", "오만과 편견 (제인 오스틴 저, 윤지관 역)"),
    ("호밀밭의 파수꾼(J.D. 샐린저)", "호밀밭의 파수꾼(샐린저)"),
    ("열하일기(박지원)", "『열하일기』(박지원)"),
]

DIFFERENT = [
    ("페스트(알베르 카뮈)", "파우스트(괴테)"),
    ("정의란 무엇인가(마이클 샌델)", "공정하다는 착각(마이클 샌델)"),
    ("해리 포터와 비밀의 방(J.K. 롤링)", "해리 포터와 불의 잔(J.K. 롤링)"),
    ("해리 포터와 비밀의 방 1(J.K. 롤링)", "해리 포터와 비밀의 방 2(J.K. 롤링)"),
    ("삼국지 1(나관중)", "삼국지 3(나관중)"),
    ("죄와 벌(도스토옙스키)", "죄와 벌 2(도스토옙스키)"),
    ("나무(베르나르 베르베르)", "나비(베르나르 베르베르)"),
    ("시간의 역사(스티븐 호킹)", "짧고 쉽게 쓴 시간의 역사(스티븐 호킹)"),
    ("동물농장(조지 오웰)", "동물농장(김철수)"),
    ("수학의 역사(칼 보이어)", "과학의 역사(칼 보이어)"),
    ("소년이 온다(한강)", "소녀가 온다(한강)"),
    ("1984(조지 오웰)", "1Q84 1(무라카미 하루키)"),
    ("82년생 김지영(조남주)", "92년생 김지영(조남주)"),
    ("객주 1(김주영)", "객주 10(김주영)"),
    ("엄마를 부탁해(신경숙)", "아빠를 부탁해(신경숙)"),
    ("우리들의 일그러진 영웅(이문열)", "우리들의 행복한 시간(공지영)"),
    ("토지 상(박경리)", "토지 하(박경리)"),
    ("아몬드(손원평)", "아몬드 2(손원평)"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_same_book(a: str, b: str) -> None:
    assert METHOD.compare(entry(a), entry(b)) is not None


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_books(a: str, b: str) -> None:
    assert METHOD.compare(entry(a), entry(b)) is None
