"""Moodle's web services against the local FIXTURE server (no real Moodle runs here).

Every answer the fixture gives is validated against JSON Schemas written from Moodle's documented
`external_description` returns (`moodle_schemas`), so the fixture cannot drift from what Moodle serves.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import jsonschema
import pytest

from schoolauto.errors import AuthError, LmsError
from schoolauto.lms.base import Connection
from schoolauto.lms.model import ClassData, find_missing
from schoolauto.lms.moodle import MoodleDriver, _flatten

from . import moodle_schemas
from .conftest import report_missing
from .fixture_servers import MoodleFixture
from .test_classroom_moodle import write_config

C1, C2 = "1학년 3반 과학", "1학년 4반 과학"


def assert_shapes(server: MoodleFixture) -> int:
    """No malformed request, and every answer as Moodle documents it (the fixture also checks on exit)."""
    assert server.problems == []
    return server.check_shapes()


@pytest.fixture
def server() -> Iterator[MoodleFixture]:
    with MoodleFixture() as srv:
        yield srv  # type: ignore[misc]
        assert_shapes(srv)


def read_all(server: MoodleFixture, **options: object) -> dict[str, ClassData]:
    conn = Connection(name="md", driver="moodle", url=server.url, retries=1, options=dict(options))
    with MoodleDriver(conn, server.TOKEN) as d:
        d.login()
        return {c.name: data for c, data in d.fetch_classes(d.list_classes()) if isinstance(data, ClassData)}


def missing_of(data: ClassData) -> dict[str, dict[str, str]]:
    return {
        a.assignment.title: {m.student.username or "": m.status.value for m in a.missing}
        for a in find_missing(data).assignments
    }


def assigned_of(data: ClassData) -> dict[str, list[str]]:
    return {a.title: sorted(s.username or "" for s in data.assigned_students(a)) for a in data.assignments}


# ----- the documented shapes -------------------------------------------------------------------------
def test_every_answer_matches_moodles_documented_returns(server: MoodleFixture) -> None:
    read_all(server)
    functions = {parse_qs(e.body)["wsfunction"][0] for e in server.responses}
    assert functions == set(moodle_schemas.RETURNS)  # every function the driver calls, each one checked
    assert assert_shapes(server) == len(server.responses) > 20


@pytest.mark.parametrize(
    ("function", "payload", "problem"),
    [
        ("mod_assign_get_submissions", {"assignments": [{"assignmentid": 1, "submissions": [
            {"id": 1, "userid": 2, "attemptnumber": 0, "timecreated": 0, "timemodified": 0,
             "status": "late", "groupid": 0}]}], "warnings": []}, "late"),
        ("mod_assign_list_participants", [{"id": 1, "fullname": "가", "submitted": 0, "requiregrading": False}],
         "0 is not of type 'boolean'"),
        ("core_enrol_get_enrolled_users", [{"id": 1}], "'fullname' is a required property"),
        ("mod_assign_get_overrides", {"overrides": [{"id": 1, "assignid": 1, "userid": 3, "duedate": 5}]},
         "is a required property"),
        ("core_course_get_enrolled_courses_by_timeline_classification", {"courses": [], "nextoffset": 0,
         "total": 3}, "'total' was unexpected"),
        ("mod_assign_get_assignments", {"courses": [{"id": "1", "fullname": "", "shortname": "",
         "timemodified": 0, "assignments": []}], "warnings": []}, "'1' is not of type 'integer'"),
    ],
    ids=["bad-status", "int-for-bool", "required-missing", "default-key-missing", "unknown-key", "id-as-string"],
)  # fmt: skip
def test_schemas_reject_what_moodle_would_not_send(function: str, payload: object, problem: str) -> None:
    with pytest.raises(jsonschema.ValidationError, match=problem):
        moodle_schemas.validate(function, payload)


def test_errors_have_moodles_exception_shape() -> None:
    moodle_schemas.validate(
        "mod_assign_get_assignments", {"exception": "x", "errorcode": "y", "message": "z"}
    )
    with pytest.raises(jsonschema.ValidationError):
        moodle_schemas.validate("mod_assign_get_assignments", {"exception": "x", "errorcode": "y"})


def test_rest_parameters_are_flattened_as_moodle_reads_them() -> None:
    assert _flatten(
        {
            "courseid": 3,
            "options": [{"name": "onlyactive", "value": True}],
            "assignmentids": [4, 5],
            "filter": "",
        }
    ) == {
        "courseid": 3,
        "options[0][name]": "onlyactive",
        "options[0][value]": 1,
        "assignmentids[0]": 4,
        "assignmentids[1]": 5,
        "filter": "",
    }


# ----- who is missing what ---------------------------------------------------------------------------
def test_missing_equals_truth_exactly(server: MoodleFixture) -> None:
    classes = read_all(server)
    # not the finished course, nor the in-progress course the teacher takes as a student
    assert sorted(classes) == [C1, C2]
    for name, data in classes.items():
        assert missing_of(data) == server.truth[name]
        assert assigned_of(data) == server.truth_assigned[name]


def test_only_active_students_are_reported(server: MoodleFixture) -> None:
    data = read_all(server)[C1]
    assert sorted(s.username or "" for s in data.students) == [f"m1{i:02d}" for i in range(1, 11)]
    # the suspended student is still one of Moodle's participants of 실험 보고서, the teacher never is
    assert any(p["username"] == "m199" for p in server.participants[101])
    assert "m199" not in assigned_of(data)["실험 보고서"]


def test_group_restricted_work_is_for_that_group_only(server: MoodleFixture) -> None:
    data = read_all(server)[C1]
    work = next(a for a in find_missing(data).assignments if a.assignment.title == "탐구 계획서 (1모둠)")
    assert work.assigned == 4
    assert sorted(work.assigned_ids) == ["601", "602", "603", "604"]
    assert {g.name: sorted(g.member_ids) for g in data.groups} == {
        "1모둠": ["601", "602", "603", "604"],
        "2모둠": ["604", "605", "606", "607"],  # 604 is in both groups
    }


def test_team_submission_counts_for_every_member(server: MoodleFixture) -> None:
    data = read_all(server)[C1]
    assert missing_of(data)["모둠 발표 자료"] == {
        "m105": "started",  # 2모둠's group submission is a draft
        "m106": "started",
        "m107": "started",
        "m108": "not_started",  # in no group: nothing submitted
        "m109": "not_started",
        "m110": "not_started",
    }  # 1모둠 (m101-m104) submitted as a team


def test_user_and_group_overrides_and_extensions_decide_who_is_due(server: MoodleFixture) -> None:
    data = read_all(server)[C1]
    assigned = assigned_of(data)
    # 기한 변경 과제 (due yesterday): m101 has a user override to next week, 2모둠 (m104-m107; ranked
    # before 1모둠, so also m104) a group override to the day after tomorrow, m108 an extension;
    # 1모둠's earlier override and m109's user override keep m102, m103, m109 due; m110 has the default
    assert assigned["기한 변경 과제"] == ["m102", "m103", "m109", "m110"]
    assert missing_of(data)["기한 변경 과제"] == {"m102": "started", "m109": "started"}
    # 다음 주 과제 is due next week, but for m110 an override made it due an hour ago
    assert assigned["다음 주 과제"] == ["m110"]
    assert missing_of(data)["다음 주 과제"] == {"m110": "started"}


def test_no_due_date_is_marked_and_handouts_are_skipped(server: MoodleFixture) -> None:
    data = read_all(server)[C1]
    by_title = {a.title: a for a in data.assignments}
    assert "수업 자료 (제출 없음)" not in by_title
    assert by_title["기한 없는 과제"].no_due_date and by_title["기한 없는 과제"].due is None
    assert [t for t, a in by_title.items() if a.no_due_date] == ["기한 없는 과제"]


def test_late_flags_against_each_students_own_due_date(server: MoodleFixture) -> None:
    for name, data in read_all(server).items():
        late = {
            a.title: {
                s.username: data.status_of(a, s).late
                for s in data.assigned_students(a)
                if data.status_of(a, s).status.value == "submitted"
            }
            for a in data.assignments
        }
        assert late == server.truth_late[name]
    assert server.truth_late[C1]["실험 보고서"]["m102"] is True  # submitted ten minutes after the due date


def test_include_not_due_counts_everyone_given_the_work(server: MoodleFixture) -> None:
    assigned = assigned_of(read_all(server, include_not_due=True)[C1])
    assert assigned["다음 주 과제"] == [f"m1{i:02d}" for i in range(1, 11)]
    assert assigned["기한 변경 과제"] == [f"m1{i:02d}" for i in range(1, 11)]


def test_without_overrides_function_it_warns_and_uses_due_dates_and_extensions(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with (
        MoodleFixture(with_overrides=False) as old,
        caplog.at_level(logging.WARNING, "schoolauto.lms.moodle"),
    ):
        data = read_all(old)[C1]
        assert_shapes(old)
    assert [r.getMessage() for r in caplog.records] == [
        f"Moodle({old.url}) 에서 과제 기한 변경(사용자·모둠별 마감)을 읽을 수 없어 과제 마감과 연장만으로 판단합니다 "
        "(mod_assign_get_overrides 가 필요합니다: Moodle 5 이상, 웹 서비스에 추가)"
    ]  # once per run
    missing = missing_of(data)
    assert "다음 주 과제" not in missing  # m110's earlier override cannot be seen
    expected = dict(old.truth[C1]["기한 변경 과제"])
    expected.update(
        {k: v for k, v in old.truth_overrides_ignored[C1]["기한 변경 과제"].items() if k != "m108"}
    )
    assert missing["기한 변경 과제"] == expected  # m108 still has the extension


def test_no_permission_for_overrides_warns_once_and_goes_on(
    server: MoodleFixture, caplog: pytest.LogCaptureFixture
) -> None:
    server.may_manage_overrides = False
    with caplog.at_level(logging.WARNING, "schoolauto.lms.moodle"):
        data = read_all(server)
    assert [r.getMessage() for r in caplog.records] == [
        f"Moodle({server.url}) 에서 과제 기한 변경을 읽을 권한이 없어 과제 마감과 연장만으로 판단합니다"
    ]
    assert sorted(data) == [C1, C2]
    assert "다음 주 과제" not in missing_of(data[C1])


# ----- errors ----------------------------------------------------------------------------------------
def test_invalid_token_is_an_auth_error(server: MoodleFixture) -> None:
    conn = Connection(name="md", driver="moodle", url=server.url)
    with (
        pytest.raises(AuthError, match=r"토큰을 받아 주지 않습니다 \(invalidtoken\)"),
        MoodleDriver(conn, "x") as d,
    ):
        d.login()


def test_other_moodle_errors_fail_that_class(
    server: MoodleFixture, lms_env: Path, run_cli, monkeypatch
) -> None:
    monkeypatch.setenv("TEST_TOKEN", server.TOKEN)
    write_config(lms_env.parent, "md", "moodle", server.url)
    server.broken_assign.add(201)
    res = run_cli("lms", "missing", "--lms", "md", "--json", "-", "--yes")
    assert res.code == 3
    data = json.loads(res.out)
    assert report_missing(data) == {C1: server.truth[C1]}
    assert data["errors"] == [
        {
            "class": C2,
            "message": "Moodle 오류 dmlreadexception: Error reading from database (mod_assign_list_participants)",
        }
    ]


def test_unknown_function_is_an_lms_error(server: MoodleFixture) -> None:
    conn = Connection(name="md", driver="moodle", url=server.url)
    with pytest.raises(LmsError, match="invalidrecord"), MoodleDriver(conn, server.TOKEN) as d:
        d.call("mod_assign_no_such_function")
