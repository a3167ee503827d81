"""Google Classroom and Moodle drivers against local FIXTURE servers (documented response shapes)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import report_missing
from .fixture_servers import ClassroomFixture, MoodleFixture


@pytest.fixture
def classroom() -> Iterator[ClassroomFixture]:
    with ClassroomFixture() as server:
        yield server  # type: ignore[misc]


@pytest.fixture
def moodle() -> Iterator[MoodleFixture]:
    with MoodleFixture() as server:
        yield server  # type: ignore[misc]


def write_config(path: Path, name: str, driver: str, url: str, extra: str = "") -> Path:
    cfg = path / "schoolauto.toml"
    cfg.write_text(
        f'[lms.{name}]\ndriver = "{driver}"\nurl = "{url}"\npassword_env = "TEST_TOKEN"\nbackoff = 0.01\n{extra}\n',
        encoding="utf-8",
    )
    return cfg


def test_classroom_missing_equals_truth(
    classroom: ClassroomFixture, lms_env: Path, run_cli, monkeypatch
) -> None:
    monkeypatch.setenv("TEST_TOKEN", classroom.TOKEN)
    write_config(lms_env.parent, "gc", "classroom", classroom.url)
    res = run_cli("lms", "missing", "--lms", "gc", "--json", "-", "--yes")
    assert res.code == 0, res.err
    data = json.loads(res.out)
    assert report_missing(data) == classroom.truth
    # past-due and undated work counts; work due next week and the scheduled draft do not
    titles = {a["title"] for c in data["classes"] for a in c["assignments"]}
    assert titles == {"독서 감상문", "보충 과제", "퀴즈: 문법", "객관식 확인", "단원 평가 (퀴즈 과제)"}
    extra = next(a for a in data["classes"][0]["assignments"] if a["title"] == "보충 과제")
    assert extra["assigned"] == 3  # individually assigned students only (a fourth has left the class)
    assert extra["due"] is not None
    # paging was followed: 12 students in pages of 5
    assert classroom.requests.count("/v1/courses/6100000001/students") == 3


def test_classroom_include_not_due(classroom: ClassroomFixture, lms_env: Path, run_cli, monkeypatch) -> None:
    monkeypatch.setenv("TEST_TOKEN", classroom.TOKEN)
    write_config(lms_env.parent, "gc", "classroom", classroom.url, "include_not_due = true")
    res = run_cli("lms", "missing", "--lms", "gc", "--json", "-", "--yes")
    assert res.code == 0, res.err
    assert len(json.loads(res.out)["classes"][0]["assignments"]) == 6  # the scheduled draft never


def test_classroom_bad_token(classroom: ClassroomFixture, lms_env: Path, run_cli, monkeypatch) -> None:
    monkeypatch.setenv("TEST_TOKEN", "expired-token")
    write_config(lms_env.parent, "gc", "classroom", classroom.url)
    res = run_cli("lms", "missing", "--lms", "gc", "--yes")
    assert res.code == 1
    assert res.err == (
        "오류: Google Classroom 이(가) 접근 토큰을 받아 주지 않습니다: 반 목록 "
        "(토큰이 만료되었으면 새로 받거나, 교사 계정으로 로그인해 키링에 저장하세요)\n"
    )


def test_moodle_missing_equals_truth(moodle: MoodleFixture, lms_env: Path, run_cli, monkeypatch) -> None:
    monkeypatch.setenv("TEST_TOKEN", moodle.TOKEN)
    write_config(lms_env.parent, "md", "moodle", moodle.url)
    res = run_cli("lms", "missing", "--lms", "md", "--json", "-", "--yes")
    assert res.code == 0, res.err
    data = json.loads(res.out)
    assert report_missing(data) == moodle.truth
    group = next(a for a in data["classes"][0]["assignments"] if "1모둠" in a["title"])
    assert group["assigned"] == 4


def test_moodle_bad_token(moodle: MoodleFixture, lms_env: Path, run_cli, monkeypatch) -> None:
    monkeypatch.setenv("TEST_TOKEN", "nope")
    write_config(lms_env.parent, "md", "moodle", moodle.url)
    res = run_cli("lms", "missing", "--lms", "md", "--yes")
    assert res.code == 1
    assert res.err == (
        f"오류: Moodle({moodle.url}) 이(가) 토큰을 받아 주지 않습니다 (invalidtoken) "
        "(토큰 환경변수/키링 값과 웹 서비스 권한을 확인하세요)\n"
    )
