"""Google Classroom through Google's own client library, against the local FIXTURE server.

No real Classroom can run here: `ClassroomFixture` stands in for Google. It is routed by the
`classroom.v1` discovery document shipped in google-api-python-client, and every answer it gives
in these tests is validated against that document's schemas (see `classroom_discovery`).
"""

from __future__ import annotations

import json
import threading
import webbrowser
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import jsonschema
import keyring
import pytest
import requests
from keyring.backend import KeyringBackend

from schoolauto.errors import AuthError, ConfigError, DependencyError, LmsError
from schoolauto.lms.base import Connection
from schoolauto.lms.classroom import ClassroomDriver, due_of
from schoolauto.lms.google_auth import sign_in_teacher, store_service_account
from schoolauto.lms.model import ClassData, find_missing

from . import classroom_discovery as discovery
from .conftest import report_missing
from .fixture_servers import ClassroomFixture, Fault
from .test_classroom_moodle import write_config


def assert_shapes(server: ClassroomFixture) -> int:
    """No request the discovery document forbids, and every answer one Google documents.

    (The fixture also validates its answers itself when it stops, for every test that uses it.)
    """
    assert server.problems == []
    return server.check_shapes()


@pytest.fixture
def server() -> Iterator[ClassroomFixture]:
    with ClassroomFixture() as srv:
        yield srv  # type: ignore[misc]
        assert_shapes(srv)


@pytest.fixture
def forbidden_server() -> Iterator[ClassroomFixture]:
    """With a third class whose course work answers 403."""
    with ClassroomFixture(forbidden=True) as srv:
        yield srv  # type: ignore[misc]
        assert_shapes(srv)


class MemoryKeyring(KeyringBackend):
    """A real keyring backend that keeps its entries in memory (the OS keyring is not ours to touch)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    try:
        yield ring
    finally:
        keyring.set_keyring(before)


def conn_for(server: ClassroomFixture, **options: Any) -> Connection:
    """Quick retries: the connection's `backoff` scales the client's own back-off."""
    return Connection(
        name="gc", driver="classroom", url=server.url, retries=2, options={"backoff": 0.01, **options}
    )


def read_all(server: ClassroomFixture, secret: str | None = None, **options: Any) -> dict[str, ClassData]:
    with ClassroomDriver(conn_for(server, **options), secret or server.TOKEN) as d:
        d.login()
        return {c.name: data for c, data in d.fetch_classes(d.list_classes()) if isinstance(data, ClassData)}


def missing_of(data: ClassData) -> dict[str, dict[str, str]]:
    return {
        a.assignment.title: {m.student.username or "": m.status.value for m in a.missing}
        for a in find_missing(data).assignments
    }


# ----- the discovery document and the validator ----------------------------------------------------
def test_fixture_answers_validate_against_the_shipped_discovery_document(server: ClassroomFixture) -> None:
    read_all(server)
    methods = {
        discovery.method_for(e.method, e.path)[0]["id"]  # type: ignore[index]
        for e in server.responses
    }
    assert methods == {
        "classroom.courses.list",
        "classroom.courses.students.list",
        "classroom.courses.courseWork.list",
        "classroom.courses.courseWork.studentSubmissions.list",
    }
    assert assert_shapes(server) == len(server.responses) >= 20


@pytest.mark.parametrize(
    ("method", "payload", "problem"),
    [
        ("classroom.courses.list", {"courses": [{"id": "1", "nickname": "x"}]}, "nickname"),
        ("classroom.courses.courseWork.list", {"courseWork": [{"id": "1", "state": "OPEN"}]}, "OPEN"),
        (
            "classroom.courses.courseWork.list",
            {"courseWork": [{"id": "1", "dueDate": {"year": "2026"}}]},
            "2026",
        ),
        (
            "classroom.courses.courseWork.studentSubmissions.list",
            {"studentSubmissions": [{"id": "1", "late": "yes"}]},
            "yes",
        ),
        (
            "classroom.courses.courseWork.studentSubmissions.list",
            {"studentSubmissions": [{"id": "1", "updateTime": "2026-11-30 10:00"}]},
            "2026-11-30 10:00",
        ),
        ("classroom.courses.students.list", {"students": [{"userId": 7}]}, "7"),
    ],
    ids=["unknown-field", "bad-enum", "int32-as-string", "bool", "datetime", "id-as-number"],
)
def test_validator_rejects_what_google_would_not_send(method: str, payload: Any, problem: str) -> None:
    with pytest.raises(jsonschema.ValidationError, match=problem):
        discovery.validate_response(method, 200, payload)


def test_fixture_rejects_parameters_the_document_does_not_define(server: ClassroomFixture) -> None:
    r = requests.get(
        f"{server.url}/v1/courses",
        params={"teacherId": "me", "courseStates": "OPEN", "pageLength": "3"},
        headers={"Authorization": f"Bearer {server.TOKEN}"},
        timeout=10,
    )
    assert r.status_code == 400
    problems, server.problems[:] = list(server.problems), []
    assert sorted(problems) == [
        "classroom.courses.list: courseStates=OPEN is not one of "
        "['COURSE_STATE_UNSPECIFIED', 'ACTIVE', 'ARCHIVED', 'PROVISIONED', 'DECLINED', 'SUSPENDED']",
        "classroom.courses.list: unknown query parameter pageLength",
    ]


# ----- who is missing what ---------------------------------------------------------------------------
def test_missing_equals_truth_exactly(server: ClassroomFixture) -> None:
    classes = read_all(server)
    assert sorted(classes) == ["국어 2학년 1반", "국어 2학년 2반"]  # the archived class is not listed
    for name, data in classes.items():
        assert missing_of(data) == server.truth[name]


def test_individually_assigned_work_is_for_those_students_only(server: ClassroomFixture) -> None:
    data = read_all(server)["국어 2학년 1반"]
    work = next(a for a in find_missing(data).assignments if a.assignment.title == "보충 과제")
    # given to s102, s103, s105 and to one student who has left the class since
    assert sorted(s.username or "" for s in data.assigned_students(work.assignment)) == [
        "s102@school.example",
        "s103@school.example",
        "s105@school.example",
    ]
    assert work.assigned == 3
    assert work.submitted == 2  # s102 turned it in late, s103's was returned after turning in
    assert [(m.student.username, m.status.value, m.late) for m in work.missing] == [
        ("s105@school.example", "started", True)  # returned by the teacher, never turned in
    ]


def test_every_submission_state_maps_right(server: ClassroomFixture) -> None:
    data = read_all(server)["국어 2학년 1반"]
    work = next(a for a in data.assignments if a.title == "독서 감상문")
    by_state: dict[str, set[str]] = {}
    for sub in server.subs["6100000001"]:
        if sub["courseWorkId"] == work.id:
            kind = sub["state"]
            hist = [h["stateHistory"]["state"] for h in sub.get("submissionHistory", [])]
            if kind == "RETURNED" and "TURNED_IN" not in hist:
                kind = "RETURNED_NEVER_TURNED_IN"
            by_state.setdefault(kind, set()).add(data.statuses[(work.id, sub["userId"])].status.value)
    assert by_state == {
        "NEW": {"not_started"},
        "CREATED": {"started"},
        "TURNED_IN": {"submitted"},
        "RETURNED": {"submitted"},
        "RETURNED_NEVER_TURNED_IN": {"started"},
        "RECLAIMED_BY_STUDENT": {"started"},
    }


def test_late_flags_come_from_classroom(server: ClassroomFixture) -> None:
    for name, data in read_all(server).items():
        late = {
            a.assignment.title: {m.student.username: bool(m.late) for m in a.missing}
            for a in find_missing(data).assignments
        }
        assert late == server.truth_late[name]
        # past-due work not turned in is late; undated work never is
        assert all(late["독서 감상문"].values())
        assert not any(late["객관식 확인"].values())
    turned_in_late = [
        s
        for s in server.subs["6100000001"]
        if s.get("late") and s["state"] == "TURNED_IN" and s["courseWorkId"] == "61000000011"
    ]
    data = read_all(server)["국어 2학년 1반"]
    assert turned_in_late and all(
        data.statuses[(s["courseWorkId"], s["userId"])].late is True for s in turned_in_late
    )


def test_due_dates_no_due_date_drafts_and_work_not_yet_due(server: ClassroomFixture) -> None:
    data = read_all(server)["국어 2학년 1반"]
    by_title = {a.title: a for a in data.assignments}
    assert sorted(by_title) == [
        "객관식 확인",
        "단원 평가 (퀴즈 과제)",
        "독서 감상문",
        "보충 과제",
        "퀴즈: 문법",
    ]
    assert by_title["객관식 확인"].no_due_date and by_title["객관식 확인"].due is None
    assert not any(a.no_due_date for t, a in by_title.items() if t != "객관식 확인")
    d = server.now
    assert by_title["독서 감상문"].due is not None
    assert (by_title["독서 감상문"].due.hour, by_title["독서 감상문"].due.minute) == (14, 0)
    assert (by_title["퀴즈: 문법"].due.hour, by_title["퀴즈: 문법"].due.minute) == (0, 0)  # type: ignore[union-attr]
    assert by_title["보충 과제"].due.date() == (d - timedelta(days=1)).date()  # type: ignore[union-attr]
    assert {a.title: a.kind for a in data.assignments} == {
        "객관식 확인": "question",
        "단원 평가 (퀴즈 과제)": "quiz",  # an assignment with a Google Forms quiz attached
        "독서 감상문": "assignment",
        "보충 과제": "assignment",
        "퀴즈: 문법": "question",
    }
    # not yet due comes back with include_not_due; the scheduled draft never does
    later = read_all(server, include_not_due=True)["국어 2학년 1반"]
    assert sorted(a.title for a in later.assignments) == sorted([*by_title, "다음 주 발표 준비"])


def test_drafts_are_never_due_work_even_if_listed(server: ClassroomFixture) -> None:
    server.filter_work_states = False
    data = read_all(server)["국어 2학년 1반"]
    assert "기말 과제 (예약됨)" not in {a.title for a in data.assignments}
    assert missing_of(data) == server.truth["국어 2학년 1반"]


def test_the_client_uses_its_shipped_discovery_document(server: ClassroomFixture) -> None:
    read_all(server)
    assert all(path.startswith("/v1/courses") for path in server.requests)  # no discovery request


def test_due_of_reads_googles_split_date_and_time() -> None:
    from datetime import UTC, datetime

    assert due_of({}) is None
    assert due_of({"dueDate": {"year": 2026, "month": 12, "day": 1}, "dueTime": {}}) == datetime(
        2026, 12, 1, 0, 0, tzinfo=UTC
    )  # midnight: proto3 leaves zero fields out
    assert due_of(
        {"dueDate": {"year": 2026, "month": 12, "day": 1}, "dueTime": {"hours": 9, "minutes": 30}}
    ) == (datetime(2026, 12, 1, 9, 30, tzinfo=UTC))
    assert due_of({"dueDate": {"year": 2026, "month": 12, "day": 1}}) == datetime(
        2026, 12, 1, 23, 59, tzinfo=UTC
    )


def test_paging_follows_next_page_token(server: ClassroomFixture) -> None:
    read_all(server)
    # 12 students in pages of 5; 6 published works in pages of 5; every submission page
    assert server.requests.count("/v1/courses/6100000001/students") == 3
    assert server.requests.count("/v1/courses/6100000001/courseWork") == 2
    subs = len(server.subs["6100000001"])
    assert server.requests.count("/v1/courses/6100000001/courseWork/-/studentSubmissions") == -(-subs // 5)


# ----- faults, through the client's own retries -------------------------------------------------------
def test_429_then_success_is_retried_by_the_client(server: ClassroomFixture) -> None:
    fault = Fault("/v1/courses/6100000001/courseWork", "status", times=1, status=429)
    server.faults.append(fault)
    classes = read_all(server)
    assert fault.times == 0
    assert missing_of(classes["국어 2학년 1반"]) == server.truth["국어 2학년 1반"]
    # the first page answered 429, then both pages
    assert [e.status for e in server.responses if e.path == "/v1/courses/6100000001/courseWork"] == [
        429,
        200,
        200,
    ]


def test_retry_notices_stay_out_of_the_console(
    server: ClassroomFixture, lms_env: Path, run_cli, monkeypatch
) -> None:
    monkeypatch.setenv("TEST_TOKEN", server.TOKEN)
    write_config(lms_env.parent, "gc", "classroom", server.url)
    server.faults.append(Fault("/v1/courses/6100000001/students", "status", times=2, status=503))
    res = run_cli("lms", "missing", "--lms", "gc", "--json", "-", "--yes")
    assert res.code == 0
    assert res.err == ""  # the client's English "Sleeping ... before retry" is -v detail only
    assert report_missing(json.loads(res.out)) == server.truth


def test_quota_exhausted_fails_that_class_naming_it(server: ClassroomFixture) -> None:
    server.faults.append(Fault("/v1/courses/6200000002/students", "status", times=100, status=429))
    with ClassroomDriver(conn_for(server), server.TOKEN) as d:
        d.login()
        results = dict(d.fetch_classes(d.list_classes()))
    errors = {c.name: str(r) for c, r in results.items() if isinstance(r, LmsError)}
    assert errors == {
        "국어 2학년 2반": "Google Classroom 요청 한도를 넘었습니다: '국어 2학년 2반' 반의 학생 명단 (3번 시도) "
        "(잠시 뒤 다시 실행하세요)"
    }


def test_403_on_one_class_fails_that_class_and_reports_the_others(
    forbidden_server: ClassroomFixture, lms_env: Path, run_cli, monkeypatch
) -> None:
    server = forbidden_server
    monkeypatch.setenv("TEST_TOKEN", server.TOKEN)
    write_config(lms_env.parent, "gc", "classroom", server.url)
    res = run_cli("lms", "missing", "--lms", "gc", "--json", "-", "--yes")
    assert res.code == 3, res.err
    data = json.loads(res.out)
    assert report_missing(data) == server.truth
    assert data["errors"] == [
        {
            "class": "수학 2학년 3반",
            "message": "Google Classroom 이(가) '수학 2학년 3반' 반의 수업 과제 읽기를 허락하지 않습니다 "
            "(HTTP 403 PERMISSION_DENIED) (이 반의 교사인지, 관리자가 접근을 막지 않았는지 확인하세요)",
        }
    ]
    # a 403 is not retried (it is not a quota error)
    assert server.requests.count("/v1/courses/6300000003/courseWork") == 1


def test_server_errors_after_retries(server: ClassroomFixture) -> None:
    server.faults.append(Fault("/v1/courses", "status", times=100, status=503))
    with pytest.raises(LmsError) as info, ClassroomDriver(conn_for(server), server.TOKEN) as d:
        d.login()
    assert str(info.value) == (
        "Google Classroom 서버 오류: 반 목록 (HTTP 503 UNAVAILABLE, 3번 시도) (잠시 뒤 다시 실행하세요)"
    )


def test_refused_token_is_an_auth_error(server: ClassroomFixture) -> None:
    with pytest.raises(AuthError) as info, ClassroomDriver(conn_for(server), "expired") as d:
        d.login()
    assert str(info.value) == (
        "Google Classroom 이(가) 접근 토큰을 받아 주지 않습니다: 반 목록 "
        "(토큰이 만료되었으면 새로 받거나, 교사 계정으로 로그인해 키링에 저장하세요)"
    )


def test_403_before_any_class_is_an_auth_error(server: ClassroomFixture) -> None:
    server.faults.append(Fault("/v1/courses", "status", times=1, status=403))
    with pytest.raises(AuthError) as info, ClassroomDriver(conn_for(server), server.TOKEN) as d:
        d.login()
    assert str(info.value) == (
        "Google Classroom 을 읽을 권한이 없습니다: 반 목록 (HTTP 403 PERMISSION_DENIED) "
        "(Classroom API 가 켜져 있는지, 로그인할 때 읽기 범위를 허락했는지 확인하세요)"
    )


def test_missing_google_libraries_fail_politely(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "googleapiclient", None)
    with pytest.raises(DependencyError) as info:
        ClassroomDriver(Connection(name="gc", driver="classroom", url=""), "t")
    assert str(info.value) == (
        "Google Classroom 을 쓰려면 구글 클라이언트 라이브러리가 필요합니다: pip install 'schoolauto[classroom]'"
    )


# ----- sign-in: teacher OAuth, service account, keyring ----------------------------------------------
@pytest.fixture
def google_token_endpoint(server: ClassroomFixture, monkeypatch: pytest.MonkeyPatch) -> str:
    """google-auth always refreshes a stored teacher token at Google's endpoint; here, at the fixture's."""
    import google.oauth2.credentials

    url = f"{server.url}/token"
    monkeypatch.setattr(google.oauth2.credentials, "_GOOGLE_OAUTH2_TOKEN_ENDPOINT", url)
    return url


def authorized_user(server: ClassroomFixture) -> str:
    return json.dumps(
        {
            "type": "authorized_user",
            "client_id": "fixture-client.apps.googleusercontent.com",
            "client_secret": "fixture-secret",
            "refresh_token": server.REFRESH,
            "token_uri": f"{server.url}/token",
        }
    )


def test_teacher_token_from_the_keyring_is_refreshed_by_google_auth(
    server: ClassroomFixture,
    lms_env: Path,
    run_cli,
    memory_keyring: MemoryKeyring,
    google_token_endpoint: str,
    monkeypatch,
) -> None:
    memory_keyring.set_password("schoolauto-lms", "gc:", authorized_user(server))
    monkeypatch.delenv("TEST_TOKEN", raising=False)
    write_config(lms_env.parent, "gc", "classroom", server.url)
    res = run_cli("lms", "missing", "--lms", "gc", "--json", "-", "--yes")
    assert res.code == 0, res.err
    assert report_missing(json.loads(res.out)) == server.truth
    assert [r["grant_type"] for r in server.token_requests] == ["refresh_token"]


def test_revoked_refresh_token_is_an_auth_error(server: ClassroomFixture, google_token_endpoint: str) -> None:
    secret = authorized_user(server).replace(server.REFRESH, "revoked")
    with pytest.raises(AuthError, match="Google 로그인이 만료되었거나 취소되었습니다"):
        read_all(server, secret)


def service_account_key(server: ClassroomFixture, path: Path) -> Path:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    path.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": "school-fixture",
                "private_key_id": "k1",
                "private_key": pem,
                "client_email": "schoolauto@school-fixture.iam.gserviceaccount.com",
                "client_id": "1",
                "token_uri": f"{server.url}/token",
            }
        ),
        encoding="utf-8",
    )
    return path


def test_service_account_acts_for_the_teacher(
    server: ClassroomFixture, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    conn = Connection(
        name="gc",
        driver="classroom",
        url=server.url,
        options={"subject": server.TEACHER, "backoff": 0.01},
        retries=1,
    )
    key = service_account_key(server, tmp_path / "key.json")
    assert store_service_account(conn, key) == "gc:"
    stored = memory_keyring.get_password("schoolauto-lms", "gc:")
    assert stored is not None and json.loads(stored)["type"] == "service_account"
    key.unlink()  # the keyring copy is all a run needs
    with ClassroomDriver(conn, stored) as d:
        d.login()
        assert [c.name for c in d.list_classes()] == ["국어 2학년 1반", "국어 2학년 2반"]
    grant = server.token_requests[-1]
    assert grant["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer"
    from .fixture_servers import _jwt_claims

    claims = _jwt_claims(grant["assertion"])
    assert claims["sub"] == server.TEACHER
    assert "classroom.coursework.students.readonly" in claims["scope"]


def test_service_account_needs_a_subject(server: ClassroomFixture, tmp_path: Path) -> None:
    conn = Connection(name="gc", driver="classroom", url=server.url)
    key = service_account_key(server, tmp_path / "key.json")
    with pytest.raises(ConfigError, match="서비스 계정으로 읽을 교사 주소"):
        store_service_account(conn, key)


def client_secrets(server: ClassroomFixture) -> dict[str, Any]:
    """An OAuth client of type "Desktop app", as Google Cloud console downloads it."""
    return {
        "installed": {
            "client_id": "fixture-client.apps.googleusercontent.com",
            "client_secret": "fixture-secret",
            "auth_uri": f"{server.url}/auth",
            "token_uri": f"{server.url}/token",
            "redirect_uris": ["http://localhost"],
        }
    }


class FollowingBrowser(webbrowser.BaseBrowser):
    """Stands in for the teacher's browser: opens the consent URL and follows its redirect home."""

    def __init__(self) -> None:
        super().__init__("fixture-browser")
        self.opened: list[str] = []
        self.threads: list[threading.Thread] = []

    def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
        self.opened.append(url)
        t = threading.Thread(target=requests.get, args=(url,), kwargs={"timeout": 20}, daemon=True)
        t.start()
        self.threads.append(t)
        return True


def test_teacher_sign_in_runs_googles_installed_app_flow(
    server: ClassroomFixture,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    google_token_endpoint: str,
    monkeypatch,
) -> None:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the fixture's token endpoint is plain http
    secrets = tmp_path / "client_secret.json"
    secrets.write_text(json.dumps(client_secrets(server)), encoding="utf-8")
    browser = FollowingBrowser()
    webbrowser.register("fixture-browser", None, browser)
    conn = Connection(
        name="gc",
        driver="classroom",
        url=server.url,
        username="teacher",
        options={"client_secrets": secrets.name},
    )
    assert sign_in_teacher(conn, config_dir=tmp_path, browser="fixture-browser", timeout=20) == "gc:teacher"
    for t in browser.threads:
        t.join(20)
    assert browser.opened[0].startswith(f"{server.url}/auth?")
    stored = json.loads(memory_keyring.get_password("schoolauto-lms", "gc:teacher") or "{}")
    assert stored["type"] == "authorized_user"
    assert stored["refresh_token"] == server.REFRESH
    assert [r["grant_type"] for r in server.token_requests] == ["authorization_code"]
    # and that stored token reads the classes
    assert sorted(read_all(server, json.dumps(stored))) == ["국어 2학년 1반", "국어 2학년 2반"]


def test_sign_in_can_hand_the_address_over_instead_of_opening_a_browser(
    server: ClassroomFixture,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    google_token_endpoint: str,
    monkeypatch,
) -> None:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    secrets = tmp_path / "client_secret.json"
    secrets.write_text(json.dumps(client_secrets(server)), encoding="utf-8")
    shown = FollowingBrowser()  # the teacher opens the shown address in a browser
    conn = Connection(name="gc", driver="classroom", url=server.url, options={"client_secrets": str(secrets)})
    assert sign_in_teacher(conn, show_url=lambda url: shown.open(url), timeout=20) == "gc:"
    for t in shown.threads:
        t.join(20)
    assert shown.opened[0].startswith(f"{server.url}/auth?")
    assert "classroom.coursework.students.readonly" in shown.opened[0]
    assert (
        json.loads(memory_keyring.get_password("schoolauto-lms", "gc:") or "{}")["refresh_token"]
        == server.REFRESH
    )


def test_sign_in_needs_the_client_secrets_setting() -> None:
    conn = Connection(name="gc", driver="classroom", url="")
    with pytest.raises(ConfigError, match="OAuth 클라이언트 파일"):
        sign_in_teacher(conn)


def test_lms_login_stores_a_service_account_then_missing_reads_with_it(
    server: ClassroomFixture, tmp_path: Path, memory_keyring: MemoryKeyring, run_cli: Any, monkeypatch: Any
) -> None:
    """`lms login --service-account` keeps the key in the keyring; `lms missing` then needs nothing else."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SCHOOLAUTO_LMS_PASSWORD", raising=False)
    config = tmp_path / "schoolauto.toml"
    config.write_text(
        f'[lms."우리반"]\ndriver = "classroom"\nurl = "{server.url}"\nsubject = "{server.TEACHER}"\n'
        "backoff = 0.01\nretries = 1\n",
        encoding="utf-8",
    )
    key = service_account_key(server, tmp_path / "key.json")
    login = run_cli("lms", "login", "--lms", "우리반", "--service-account", key)
    assert login.code == 0, login.err
    assert login.out.strip() == "서비스 계정 키를 키링에 저장했습니다 (schoolauto-lms / 우리반:)"
    key.unlink()
    missing = run_cli("lms", "missing", "--lms", "우리반", "--json", "-", "--yes")
    assert missing.code == 0, missing.err
    assert [c["name"] for c in json.loads(missing.out)["classes"]] == ["국어 2학년 1반", "국어 2학년 2반"]


def test_lms_login_is_only_for_classroom(run_cli: Any) -> None:
    result = run_cli("lms", "login", "--driver", "kolibri", "--url", "http://127.0.0.1:9")
    assert result.code == 2
    assert result.err.strip() == (
        "오류: --driver: 로그인 정보 저장은 Google Classroom 연결에만 씁니다 (이 연결의 드라이버: kolibri) "
        "(다른 LMS 의 비밀번호는 환경변수나 키링에 넣으세요)"
    )


def test_classroom_without_a_stored_sign_in_says_how_to_sign_in(
    run_cli: Any, memory_keyring: MemoryKeyring, monkeypatch: Any
) -> None:
    monkeypatch.delenv("SCHOOLAUTO_LMS_PASSWORD", raising=False)
    result = run_cli("lms", "missing", "--driver", "classroom", "--url", "http://127.0.0.1:9", "--yes")
    assert result.code == 1
    assert result.err.strip() == (
        "오류: classroom: Google Classroom 로그인 정보가 키링에 없습니다 "
        "(먼저 'schoolauto lms login' 으로 로그인 정보를 키링에 저장하세요)"
    )
