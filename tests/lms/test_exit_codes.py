"""Exit codes as the README says: 2 for a wrong setting (named), 1 when nothing could be read (and
no report written), 3 only when some classes were read and others not. A driver registered in the
test (the registry is the only place drivers are found) stands in for an LMS."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from schoolauto.errors import LmsError
from schoolauto.lms.base import DRIVERS, Driver
from schoolauto.lms.missing import compare_reports
from schoolauto.lms.model import ClassData, Course, Learner, MissingReport, find_missing

from .conftest import need_chromium


class FakeDriver(Driver):
    """Two classes; `fail` names the classes whose reading fails."""

    label = "시험용"
    fail: ClassVar[set[str]] = set()

    def login(self) -> None:
        pass

    def list_classes(self) -> list[Course]:
        return [Course("1", "1반"), Course("2", "2반")]

    def fetch_class(self, course: Course) -> ClassData:
        if course.name in self.fail:
            raise LmsError("HTTP 500")
        return ClassData(course=course, students=[Learner("s", "학생")])


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, lms_env: Path) -> Iterator[type[FakeDriver]]:
    monkeypatch.setenv("SCHOOLAUTO_LMS_PASSWORD", "x")
    DRIVERS.names()  # load the built-ins first
    DRIVERS.register("fake", FakeDriver)
    FakeDriver.name = "fake"
    try:
        yield FakeDriver
    finally:
        DRIVERS._entries.pop("fake", None)
        FakeDriver.fail = set()


ARGS = ("lms", "missing", "--driver", "fake", "--url", "http://127.0.0.1:9", "--yes")


def test_all_read_exit_0(fake: type[FakeDriver], run_cli) -> None:
    res = run_cli(*ARGS, "--json", "r.json")
    assert res.code == 0, res.err
    assert json.loads(Path("r.json").read_text(encoding="utf-8"))["errors"] == []


def test_some_classes_failed_exit_3_with_report(fake: type[FakeDriver], run_cli) -> None:
    fake.fail = {"2반"}
    res = run_cli(*ARGS, "--json", "r.json", "--out", "r.xlsx")
    assert res.code == 3
    data = json.loads(Path("r.json").read_text(encoding="utf-8"))
    assert [c["name"] for c in data["classes"]] == ["1반"]
    assert data["errors"] == [{"class": "2반", "message": "HTTP 500"}]
    assert res.err == "경고: 2반: HTTP 500\n"


def test_every_class_failed_exit_1_no_report(fake: type[FakeDriver], run_cli) -> None:
    fake.fail = {"1반", "2반"}
    res = run_cli(*ARGS, "--json", "r.json", "--out", "r.xlsx", "--csv", "r.csv")
    assert res.code == 1
    assert res.err == "오류: 어느 반도 읽지 못했습니다 (1반: HTTP 500; 2반: HTTP 500)\n"
    assert not any(Path(p).exists() for p in ("r.json", "r.xlsx", "r.csv"))


def test_only_unknown_classes_asked_exit_1(fake: type[FakeDriver], run_cli) -> None:
    res = run_cli(*ARGS, "--class", "9반", "--json", "r.json")
    assert res.code == 1
    assert "어느 반도 읽지 못했습니다 (9반: LMS 에 이 이름의 반이 없습니다)" in res.err
    assert not Path("r.json").exists()


def write_config(body: str, *, encoding: str = "utf-8") -> None:
    Path("schoolauto.toml").write_bytes(body.encode(encoding))


BASE = '[lms."학교"]\ndriver = "kolibri"\nurl = "http://127.0.0.1:9"\n'


@pytest.mark.parametrize(
    ("config", "argv", "message"),
    [
        (BASE.replace("http://127.0.0.1:9", "127.0.0.1:8080"), (),
         "오류: 파일 schoolauto.toml: 설정 url 은(는) http:// 나 https:// 로 시작해야 합니다 (받은 값: 127.0.0.1:8080) (예: http://127.0.0.1:8080)"),
        (BASE.replace("http://127.0.0.1:9", "http://"), (),
         "오류: 파일 schoolauto.toml: 설정 url 이(가) 인터넷 주소가 아닙니다 (받은 값: http://) (예: http://127.0.0.1:8080)"),
        (BASE.replace("kolibri", "blackboard"), (),
         "오류: 파일 schoolauto.toml: 알 수 없는 LMS 드라이버 'blackboard' 입니다 (가능한 값: "),
        (BASE + 'via = "selenium"\n', (),
         "오류: 파일 schoolauto.toml: 설정 via 은(는) api 나 browser 여야 합니다 (받은 값: selenium)"),
        (BASE + 'timeout = "ten"\n', (),
         "오류: 파일 schoolauto.toml: 설정 timeout 은(는) 숫자여야 합니다 (받은 값: 'ten')"),
        (BASE + "retries = -1\n", (),
         "오류: 파일 schoolauto.toml: 설정 retries 은(는) 0 이상이어야 합니다 (받은 값: -1)"),
        (BASE, ("--url", "example.com"),
         "오류: --url: 주소는 http:// 나 https:// 로 시작해야 합니다 (받은 값: example.com) (예: http://127.0.0.1:8080)"),
        (BASE, ("--url", "http://exa mple:xx"),
         "오류: --url: 주소가 인터넷 주소가 아닙니다 (받은 값: http://exa mple:xx) (예: http://127.0.0.1:8080)"),
        (BASE, ("--timeout", "-1"), "오류: --timeout: 제한 시간은 0보다 커야 합니다 (받은 값: -1)"),
        (BASE, ("--timeout", "ten"), "오류: --timeout: 제한 시간은 숫자여야 합니다 (받은 값: 'ten')"),
        (BASE, ("--retries", "-1"), "오류: --retries: 재시도 횟수는 0 이상이어야 합니다 (받은 값: -1)"),
        (BASE, ("--log-file", "nowhere/run.log"),
         "오류: 파일 nowhere/run.log: 실행 기록 파일의 폴더가 없습니다 (폴더를 먼저 만드세요)"),
    ],
)  # fmt: skip
def test_malformed_setting_is_a_usage_error_naming_it(
    lms_env: Path, run_cli, monkeypatch, config: str, argv: tuple[str, ...], message: str
) -> None:
    monkeypatch.setenv("SCHOOLAUTO_LMS_PASSWORD", "x")
    write_config(config)
    res = run_cli("lms", "missing", "--lms", "학교", *argv, "--json", "r.json", "--yes")
    assert res.code == 2, res.err
    assert res.err.startswith(message), res.err
    assert res.err.count("\n") == 1 and "Traceback" not in res.err
    assert not Path("r.json").exists()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949"])
def test_notepad_config_with_bare_korean_name(fake: type[FakeDriver], run_cli, encoding: str) -> None:
    write_config(
        '[lms.우리학교]\ndriver = "fake"\nurl = "http://127.0.0.1:9"  # 학교 서버\n', encoding=encoding
    )
    res = run_cli("lms", "missing", "--lms", "우리학교", "--json", "-", "--yes")
    assert res.code == 0, res.err
    assert json.loads(res.out)["lms"] == "우리학교"


def test_misspelt_key_is_a_warning_naming_it(fake: type[FakeDriver], run_cli) -> None:
    write_config('[lms."학교"]\ndriver = "fake"\nurl = "http://127.0.0.1:9"\npasword_env = "X"\n')
    res = run_cli("lms", "missing", "--lms", "학교", "--json", "-", "--yes")
    assert res.code == 0, res.err
    line = res.err.splitlines()[0]
    assert line.startswith(
        '경고: 설정 [lms."학교"] 의 키 pasword_env 을(를) 모릅니다 (password_env 의 오타인가요?).'
    )
    assert "알려진 키: " in line and "timeout" in line


def test_cross_check_difference_is_a_warning_naming_the_assignment() -> None:
    from schoolauto.lms.model import Assignment, Status, StudentStatus

    students = [Learner("a", "가"), Learner("b", "나"), Learner("c", "다")]
    work = Assignment("q1", "개별 퀴즈", "quiz", student_ids=("a", "b"), everyone=False)
    same = Assignment("q2", "같은 퀴즈", "quiz", everyone=True)
    one = ClassData(Course("1", "1반"), students, assignments=[work, same])
    two = ClassData(
        Course("1", "1반"),
        students,
        assignments=[Assignment("q1", "개별 퀴즈", "quiz", everyone=True), same],
        statuses={("q1", "a"): StudentStatus(Status.STARTED)},
    )
    r1 = MissingReport("k", generated_at=None, classes=[find_missing(one)])  # type: ignore[arg-type]
    r2 = MissingReport("k", generated_at=None, classes=[find_missing(two)])  # type: ignore[arg-type]
    assert compare_reports(r1, r2, ("api", "browser")) == [
        "교차 확인: 1반 '개별 퀴즈' 의 결과가 다릅니다 (배정 2명/3명, browser에만 미제출 1명, 상태가 다른 학생 1명)"
    ]
    assert compare_reports(r1, r1, ("api", "browser")) == []


class _NotAnLms(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = "<html><head><title>학교 홈페이지</title></head><body>안녕하세요</body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.mark.browser
def test_browser_on_a_site_that_is_not_kolibri(lms_env: Path, run_cli, monkeypatch) -> None:
    need_chromium()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NotAnLms)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("SCHOOLAUTO_LMS_PASSWORD", "x")
    try:
        res = run_cli("lms", "missing", "--driver", "kolibri", "--via", "browser", "--url", url, "--yes")
    finally:
        server.shutdown()
        server.server_close()
    assert res.code == 1
    assert res.err == (
        f"오류: Kolibri 로그인 화면이 아닙니다: {url} (설정의 url 이 이 사이트 프로필의 LMS 주소인지 확인하세요)\n"
    )


def test_a_site_profile_is_a_driver(lms_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new LMS can be one TOML file: its name is a valid `driver`, read by the browser driver."""
    from schoolauto.lms.base import Connection, driver_names, make_driver
    from schoolauto.lms.browser import BrowserDriver, profile_dirs
    from schoolauto.lms.config import ConnectionRequest, resolve_connection

    drivers = lms_env.parent / "drivers"
    drivers.mkdir()
    text = (profile_dirs()[-2] / "kolibri.toml").read_text(encoding="utf-8")
    (drivers / "우리학교lms.toml").write_text(
        text.replace('site = "Kolibri"', 'site = "우리학교 LMS"'), encoding="utf-8"
    )
    monkeypatch.setenv("SCHOOLAUTO_DRIVERS", str(drivers))
    assert "우리학교lms" in driver_names()
    conn, _cfg, _path = resolve_connection(ConnectionRequest(driver="우리학교lms", url="http://127.0.0.1:9"))
    driver = make_driver(conn, "x")
    assert isinstance(driver, BrowserDriver) and driver.profile["site"] == "우리학교 LMS"
    with pytest.raises(Exception, match="알 수 없는 LMS 드라이버 'nothing'"):
        make_driver(Connection(name="n", driver="nothing", url="http://x"), None)


def test_no_terminal_no_password_is_one_korean_line(lms_env: Path) -> None:
    """A scheduled run (no terminal) without a password: one line saying where to put it."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "SCHOOLAUTO_LMS_PASSWORD"}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    proc = subprocess.run(
        [sys.executable, "-m", "schoolauto", "lms", "missing", "--driver", "kolibri", "--url", "http://127.0.0.1:9",
         "--username", "coach"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 1
    assert proc.stderr == (
        "오류: kolibri 비밀번호가 필요합니다: 터미널이 없으면(예약 실행) 환경변수 SCHOOLAUTO_LMS_PASSWORD 에 "
        "넣거나 OS 키링(서비스 schoolauto-lms, 사용자 kolibri:coach)에 저장하세요\n"
    )


def test_no_class_visible_exit_1(fake: type[FakeDriver], run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(FakeDriver, "list_classes", lambda self: [])
    res = run_cli(*ARGS, "--json", "r.json")
    assert res.code == 1
    assert res.err == (
        "오류: LMS(fake) 에 이 계정이 볼 수 있는 반이 하나도 없습니다 "
        "(코치(교사) 계정인지, 반에 코치로 배정되었는지 확인하세요)\n"
    )
    assert not Path("r.json").exists()
