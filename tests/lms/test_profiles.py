"""Site profiles: checked when loaded, and a status text no rule knows stops that class loudly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schoolauto.errors import ConfigError
from schoolauto.lms.browser import load_profile, profile_dirs
from schoolauto.lms.model import (
    Assignment,
    ClassData,
    Course,
    Group,
    Learner,
    Status,
    StudentStatus,
    find_missing,
)

from .conftest import kolibri_config, need_chromium

KOLIBRI_PROFILE = profile_dirs()[0] / "kolibri.toml"


def test_shipped_profile_loads() -> None:
    p = load_profile("kolibri")
    assert [a["kind"] for a in p["assignments"]] == ["quiz", "lesson"]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("[classes]", "[klassen]"), "사이트 프로필에 [classes] 가 없습니다"),
        (
            lambda t: t.replace('row = "tr[data-testid=entry]"\n', ""),
            "사이트 프로필의 1번째 [[assignments]] 에 'row' 가 없습니다",
        ),
        (
            lambda t: t.replace('submitted = ["^Completed"]', 'submitted = ["(Completed"]', 1),
            "'submitted' 정규식이 잘못되었습니다",
        ),
    ],
)
def test_broken_profile_is_named(tmp_path: Path, edit: Any, message: str) -> None:
    p = tmp_path / "school.toml"
    p.write_text(edit(KOLIBRI_PROFILE.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("(", r"\(")):
        load_profile(str(p))


def test_unknown_profile() -> None:
    with pytest.raises(ConfigError, match="사이트 프로필 'blackboard' 을\\(를\\) 찾을 수 없습니다"):
        load_profile("blackboard")


@pytest.mark.kolibri
@pytest.mark.browser
def test_unknown_status_text_fails_that_class(
    kolibri: dict[str, Any], coach_password: str, lms_env: Path, run_cli, monkeypatch
) -> None:
    need_chromium()
    drivers = lms_env.parent / "drivers"
    drivers.mkdir()
    text = KOLIBRI_PROFILE.read_text(encoding="utf-8")
    (drivers / "strict.toml").write_text(
        text.replace('started = ["^Started", "Needs help"]', "started = []"), encoding="utf-8"
    )
    monkeypatch.setenv("SCHOOLAUTO_DRIVERS", str(drivers))
    cfg = kolibri_config(lms_env.parent, kolibri["url"])
    res = run_cli(
        "lms", "missing", "--config", cfg, "--lms", "kolibri-test", "--via", "browser", "--profile", "strict",
        "--class", "2학년 1반", "--kind", "lesson", "--json", "-", "--yes",
    )  # fmt: skip
    # the only class asked for failed: the run fails (exit 1) and prints no report
    assert res.code == 1, res.err
    assert res.out == ""
    assert res.err == (
        f"오류: 어느 반도 읽지 못했습니다 (2학년 1반: 파일 {drivers / 'strict.toml'}: '1단원 복습' 의 상태 글자 "
        "'Started' 이(가) 프로필의 어느 규칙에도 맞지 않습니다 (프로필의 submitted/started/not_started 목록에 "
        "이 글자를 넣으세요))\n"
    )


# ----- the model: properties that hold for any class -----------------------------------------
statuses = st.sampled_from([None, Status.SUBMITTED, Status.STARTED, Status.NOT_STARTED])


@given(
    n=st.integers(1, 12),
    data=st.data(),
)
def test_find_missing_properties(n: int, data: st.DataObject) -> None:
    students = [Learner(id=f"u{i}", name=f"학생{i}", username=f"s{i}") for i in range(n)]
    members = data.draw(st.sets(st.sampled_from([s.id for s in students])))
    group = Group(id="g", name="1모둠", member_ids=tuple(sorted(members)))
    # an empty individual list would mean "the whole class" (see Assignment)
    individual = data.draw(st.sets(st.sampled_from([s.id for s in students]), min_size=1))
    works = [
        Assignment(id="a", title="반 전체", kind="quiz"),
        Assignment(id="b", title="모둠", kind="quiz", group_ids=("g",)),
        Assignment(id="c", title="개별", kind="assignment", student_ids=tuple(sorted(individual))),
    ]
    table = {}
    for w in works:
        for s in students:
            st_ = data.draw(statuses)
            if st_ is not None:
                table[(w.id, s.id)] = StudentStatus(st_)
    cls = ClassData(
        course=Course("c1", "반"), students=students, groups=[group], assignments=works, statuses=table
    )
    result = find_missing(cls)
    expected_assigned = {"a": {s.id for s in students}, "b": set(members), "c": set(individual)}
    for am in result.assignments:
        wid = am.assignment.id
        assert am.assigned_ids == expected_assigned[wid]
        missing = {m.student.id for m in am.missing}
        submitted = {sid for sid in am.assigned_ids if table.get((wid, sid), StudentStatus(Status.NOT_STARTED)).status
                     is Status.SUBMITTED}  # fmt: skip
        assert missing | submitted == am.assigned_ids and not missing & submitted
        assert am.submitted == len(submitted)
        for m in am.missing:
            assert m.status in (Status.STARTED, Status.NOT_STARTED)
            assert m.status is table.get((wid, m.student.id), StudentStatus(Status.NOT_STARTED)).status
    assert [a.assignment.id for a in find_missing(cls, ("quiz",)).assignments] == ["a", "b"]
