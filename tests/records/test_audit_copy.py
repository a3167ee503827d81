"""Copied sentences: small edits are found, sentences sharing a clause or two are not."""

from __future__ import annotations

from schoolauto.records.audit.copy import CopyIndex, components
from schoolauto.records.audit.nlp import sentences, shared_kiwi

SOURCE = "지역 하천의 수질 오염 실태를 알아보기 위해 현장을 직접 찾아가 사진과 메모로 관찰 내용을 남겼고 작은 차이도 놓치지 않는 관찰력을 발휘함."
EDITED = [
    "지역하천의 수질 오염 실태를 알아보기 위해 현장을 직접 찾아가 사진과 메모로 관찰 내용을 남겼으며 작은 차이도 놓치지 않는 관찰력을 발휘함.",
    "지역 하천의 수질 오염 실태를 알아보려고 현장을 손수 찾아가 사진과 메모로 관찰 내용을 남겼고 작은 차이도 놓치지 않는 관찰력을 보여줌.",
    "김영희는 지역 하천의 수질 오염 실태를 알아보기 위해 현장을 직접 찾아가 사진과 메모로 관찰 내용을 남겼고 작은 차이도 놓치지 않는 관찰력을 발휘함.",
]
UNRELATED = [
    # shares one or two clauses with SOURCE
    "지역 하천의 수질 오염 실태를 알아보기 위해 설문 결과를 학년별로 나누어 차이가 생긴 이유를 추론하였으며 협업 능력을 드러냄.",
    "도시 열섬 현상의 원인을 찾기 위해 현장을 직접 찾아가 사진과 메모로 관찰 내용을 남겼고 공동체 의식이 성숙해졌음을 확인함.",
    "짧은 문장은 보지 않음.",
]


def index_of(texts: list[tuple[str, str]], group: str = "교과세특") -> CopyIndex:
    kiwi = shared_kiwi()
    idx = CopyIndex(min_syllables=30, threshold=0.6)
    for i, ((student, text), sents) in enumerate(
        zip(texts, kiwi.tokenize([t for _, t in texts], split_sents=True), strict=True)
    ):
        idx.add_text(i, text, sentences(sents), (student,), group, student)
    return idx


def test_small_edits_are_copies_and_one_group() -> None:
    texts = [("홍길동", "홍길동은 " + SOURCE), *[(f"s{k}", t) for k, t in enumerate(EDITED)]]
    idx = index_of(texts + [(f"u{k}", t) for k, t in enumerate(UNRELATED)])
    pairs = idx.pairs()
    students = {frozenset((idx.refs[p.a].identity, idx.refs[p.b].identity)) for p in pairs}
    want = {frozenset(((a,), (b,))) for i, (a, _) in enumerate(texts) for b, _ in texts[i + 1 :]}
    assert students == want
    roots = components(len(idx.refs), pairs)
    assert len({roots[p.a] for p in pairs}) == 1


def test_same_student_and_other_fields_are_not_copies() -> None:
    kiwi = shared_kiwi()
    idx = CopyIndex()
    for i, (who, group) in enumerate([("a", "교과세특"), ("a", "교과세특"), ("b", "행특")]):
        idx.add_text(i, SOURCE, sentences(kiwi.tokenize(SOURCE, split_sents=True)), (who,), group, who)
    assert idx.pairs() == []
