"""Faults: timeouts, retries with back-off (connection errors, 429, 5xx), re-login once, per-class errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from schoolauto.errors import LmsError
from schoolauto.lms.base import Connection
from schoolauto.lms.http import HttpClient
from schoolauto.lms.kolibri import KolibriDriver
from schoolauto.lms.model import Course

from .conftest import report_missing, truth_missing
from .fixture_servers import ClassroomFixture, Fault, MoodleFixture
from .test_classroom_moodle import write_config


@pytest.fixture
def classroom(lms_env: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ClassroomFixture]:
    with ClassroomFixture() as server:
        monkeypatch.setenv("TEST_TOKEN", server.TOKEN)
        write_config(lms_env.parent, "gc", "classroom", server.url)
        yield server  # type: ignore[misc]


def test_timeout_gives_one_clear_line(classroom: ClassroomFixture, run_cli) -> None:
    classroom.faults.append(Fault("/v1/courses", "sleep", times=10, seconds=1.5))
    res = run_cli("lms", "missing", "--lms", "gc", "--timeout", "0.3", "--retries", "1", "--yes")
    assert res.code == 1
    assert res.err == (
        f"오류: Google Classroom({classroom.url}) 이(가) 0.3초 안에 응답하지 않습니다: 반 목록 (2번 시도) "
        "(주소와 네트워크를 확인하고 잠시 뒤 다시 실행하세요)\n"
    )


@pytest.mark.parametrize(
    "fault",
    [
        Fault("/students", "drop", times=2),
        Fault("/students", "status", times=2, status=429, headers={"Retry-After": "0"}),
        Fault("/students", "status", times=2, status=503),
        Fault("/courseWork", "status", times=3, status=502),
    ],
    ids=["connection-dropped", "429", "503", "502"],
)
def test_retries_recover(classroom: ClassroomFixture, run_cli, fault: Fault) -> None:
    classroom.faults.append(fault)
    res = run_cli("lms", "missing", "--lms", "gc", "--json", "-", "--yes")
    assert res.code == 0, res.err
    assert report_missing(json.loads(res.out)) == classroom.truth
    assert fault.times == 0  # every planned failure was met and retried past


def test_backoff_is_exponential_and_honours_retry_after(classroom: ClassroomFixture) -> None:
    slept: list[float] = []
    http = HttpClient(classroom.url, retries=3, backoff=0.5, sleep=slept.append)
    classroom.faults.append(Fault("/v1/courses", "status", times=2, status=503))
    classroom.faults.append(Fault("/v1/courses", "status", times=1, status=429, headers={"Retry-After": "7"}))
    r = http.request("GET", "/v1/courses", headers={"Authorization": f"Bearer {classroom.TOKEN}"})
    assert r.status_code == 200
    assert slept == [0.5, 1.0, 7.0]


def test_retries_exhausted(classroom: ClassroomFixture) -> None:
    slept: list[float] = []
    http = HttpClient(classroom.url, retries=2, backoff=0.1, sleep=slept.append)
    classroom.faults.append(Fault("/v1/courses", "status", times=10, status=500))
    with pytest.raises(LmsError, match=r"서버가 500 을\(를\) 돌려주었습니다 \(3번 시도\)"):
        http.request("GET", "/v1/courses")
    assert slept == [0.1, 0.2]


def test_failing_class_is_listed_and_others_reported(classroom: ClassroomFixture, run_cli) -> None:
    classroom.faults.append(Fault("/v1/courses/6200000002/courseWork", "status", times=100, status=500))
    res = run_cli("lms", "missing", "--lms", "gc", "--json", "-", "--retries", "1", "--yes")
    assert res.code == 3
    data = json.loads(res.out)
    assert [c["name"] for c in data["classes"]] == ["국어 2학년 1반"]
    assert report_missing(data) == {"국어 2학년 1반": classroom.truth["국어 2학년 1반"]}
    assert data["errors"] == [
        {
            "class": "국어 2학년 2반",
            "message": "Google Classroom 서버 오류: '국어 2학년 2반' 반의 수업 과제 (HTTP 500 INTERNAL, 2번 시도) "
            "(잠시 뒤 다시 실행하세요)",
        }
    ]
    assert "경고: 국어 2학년 2반:" in res.err


def test_moodle_class_error_is_per_class(lms_env: Path, run_cli, monkeypatch) -> None:
    with MoodleFixture() as moodle:
        assert isinstance(moodle, MoodleFixture)
        monkeypatch.setenv("TEST_TOKEN", moodle.TOKEN)
        write_config(lms_env.parent, "md", "moodle", moodle.url)
        moodle.broken_assign.add(moodle.courses[0]["assignments"][0]["id"])
        res = run_cli("lms", "missing", "--lms", "md", "--json", "-", "--yes")
    assert res.code == 3
    data = json.loads(res.out)
    assert [c["name"] for c in data["classes"]] == ["1학년 4반 과학"]
    assert data["errors"] == [
        {"class": "1학년 3반 과학", "message": "Moodle 오류 dmlreadexception: Error reading from database "
         "(mod_assign_list_participants)"}
    ]  # fmt: skip


class CountingKolibri(KolibriDriver):
    logins = 0

    def login(self) -> None:
        self.logins += 1
        super().login()


def expire_session(driver: KolibriDriver, url: str) -> None:
    """End the driver's session on the server, as after a timeout or a restart."""
    r = driver.http.session.delete(f"{url}/api/auth/session/current/", timeout=10)
    assert r.status_code in (200, 204)


@pytest.mark.parametrize("first_call", ["list_classes", "fetch_class"])
def test_expired_kolibri_session_logs_in_again_once(kolibri: dict[str, Any], first_call: str) -> None:
    conn = Connection(name="k", driver="kolibri", url=kolibri["url"], username="coach")
    with CountingKolibri(conn, kolibri["coach"][1]) as driver:
        driver.login()
        courses = driver.list_classes()
        assert [c.name for c in courses] == ["2학년 1반", "2학년 2반"]
        expire_session(driver, kolibri["url"])
        if first_call == "list_classes":
            assert driver.list_classes() == courses
        data = driver.fetch_class(courses[0])
        assert driver.logins == 2  # the first login and exactly one more
    missing = {a.title: {s.username: data.status_of(a, s).status.value for s in data.assigned_students(a)
                         if data.status_of(a, s).status.value != "submitted"} for a in data.assignments}  # fmt: skip
    assert missing == truth_missing(kolibri["truth"])["2학년 1반"]


def test_refused_after_relogin_is_an_error_not_a_loop(kolibri: dict[str, Any]) -> None:
    conn = Connection(name="k", driver="kolibri", url=kolibri["url"], username="coach")
    with CountingKolibri(conn, kolibri["coach"][1]) as driver:
        driver.login()
        with pytest.raises(LmsError) as info:
            driver.fetch_class(Course(id="0" * 32, name="없는 반"))
        assert driver.logins == 2
    assert (
        str(info.value) == "Kolibri 가 '없는 반' 반 요약 을(를) 보여 주지 않습니다: 이 계정에 권한이 없습니다"
    )


def test_unreachable_lms(lms_env: Path, run_cli, monkeypatch) -> None:
    monkeypatch.setenv("SCHOOLAUTO_LMS_PASSWORD", "x")
    res = run_cli(
        "lms", "missing", "--driver", "kolibri", "--url", "http://127.0.0.1:9", "--retries", "0", "--username", "c",
        "--yes",
    )  # fmt: skip
    assert res.code == 1
    assert res.err == (
        "오류: LMS(http://127.0.0.1:9) 연결할 수 없습니다 (1번 시도) (주소와 네트워크를 확인하고 잠시 뒤 다시 실행하세요)\n"
    )
