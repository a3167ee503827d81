"""`schoolauto lms remind` against a real Kolibri and a real SMTP server (STARTTLS + AUTH) on 127.0.0.1."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import truth_missing
from .smtp_server import SmtpServer

SMTP_USER, SMTP_PASSWORD = "teacher@school.example", "smtp-pass-42"


@pytest.fixture
def smtp(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[SmtpServer]:
    exclude = getattr(request, "param", ())  # auth mechanisms the server does not offer
    with SmtpServer(tmp_path, SMTP_USER, SMTP_PASSWORD, exclude=exclude) as server:
        yield server


@pytest.fixture
def remind_setup(
    kolibri: dict[str, Any],
    coach_password: str,
    lms_env: Path,
    smtp: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, Any]:
    work = lms_env.parent
    truth = kolibri["truth"]
    no_mail = truth["classes"][0]["learners"][0]["username"]  # one student without an address
    with open(work / "roster.csv", "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(["반", "아이디", "이름", "이메일", "담임", "담임이메일"])
        for i, c in enumerate(truth["classes"], start=1):
            for u in c["learners"]:
                mail = "" if u["username"] == no_mail else f"{u['username']}@student.example"
                w.writerow(
                    [c["name"], u["username"], u["name"], mail, f"담임{i}", f"homeroom{i}@school.example"]
                )
    (work / "schoolauto.toml").write_text(
        f"""
[lms.kolibri-test]
driver = "kolibri"
url = "{kolibri["url"]}"
username = "coach"
password_env = "TEST_KOLIBRI_PASSWORD"
roster = "roster.csv"

[mail]
host = "127.0.0.1"
port = {smtp.port}
username = "{SMTP_USER}"
password_env = "TEST_SMTP_PASSWORD"
from = "{SMTP_USER}"
cafile = "{smtp.cafile}"
timeout = 10
""",
        encoding="utf-8",
    )
    monkeypatch.setenv("TEST_SMTP_PASSWORD", SMTP_PASSWORD)
    missing = truth_missing(truth)
    students_missing: set[str] = set()
    for titles in missing.values():
        for who in titles.values():
            students_missing.update(who)
    return {
        "work": work,
        "no_mail": no_mail,
        "students": students_missing,
        "missing": missing,
        "truth": truth,
    }


def test_dry_run_is_default_and_sends_nothing(
    remind_setup: dict[str, Any], smtp: SmtpServer, run_cli
) -> None:
    res = run_cli("lms", "remind", "--lms", "kolibri-test", "--yes")
    assert res.code == 0, res.err
    expected = len(remind_setup["students"] - {remind_setup["no_mail"]})
    assert res.out.count("받는 사람: ") == expected
    assert f"미리보기: 보낼 메일 {expected}통" in res.out
    assert "메일 주소 없음: 2학년 1반" in res.out
    assert smtp.inbox.messages == []
    assert not (remind_setup["work"] / "state" / "lms-reminders.json").exists()


@pytest.mark.parametrize("smtp", [(), ("PLAIN",)], ids=["auth-plain", "auth-login"], indirect=True)
def test_send_then_idempotent_same_day(remind_setup: dict[str, Any], smtp: SmtpServer, run_cli) -> None:
    expected = len(remind_setup["students"] - {remind_setup["no_mail"]})
    res = run_cli("lms", "remind", "--lms", "kolibri-test", "--send", "--yes")
    assert res.code == 0, res.err
    assert f"보냄 {expected}통" in res.out
    assert len(smtp.inbox.messages) == expected
    # one student's mail lists exactly that student's missing assignments
    missing = remind_setup["missing"]["2학년 2반"]
    username = sorted(u for t in missing.values() for u in t)[0]
    mail = next(m for m in smtp.inbox.messages if m["To"] == f"{username}@student.example")
    body = mail.get_content()
    for title, who in missing.items():
        assert (f"- {title}" in body) == (username in who)
    assert mail["Subject"].startswith("[kolibri-test] 아직 제출하지 않은 과제가")
    # a second scheduled run on the same day reminds nobody again
    res = run_cli("lms", "remind", "--lms", "kolibri-test", "--send", "--yes")
    assert res.code == 0, res.err
    assert f"보냄 0통, 오늘 이미 보내서 건너뜀 {expected}통" in res.out
    assert len(smtp.inbox.messages) == expected


def test_digest_per_homeroom_teacher(remind_setup: dict[str, Any], smtp: SmtpServer, run_cli) -> None:
    res = run_cli("lms", "remind", "--lms", "kolibri-test", "--digest", "--send", "--yes")
    assert res.code == 0, res.err
    assert sorted(m["To"] for m in smtp.inbox.messages) == [
        "homeroom1@school.example",
        "homeroom2@school.example",
    ]
    first = next(m for m in smtp.inbox.messages if m["To"] == "homeroom1@school.example")
    n = len([u for u in remind_setup["students"] if u.startswith("s01")])
    assert first["Subject"] == f"[kolibri-test] 2학년 1반 과제 미제출 학생 {n}명"


def test_wrong_smtp_password(remind_setup: dict[str, Any], smtp: SmtpServer, run_cli, monkeypatch) -> None:
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "nope")
    res = run_cli("lms", "remind", "--lms", "kolibri-test", "--send", "--yes")
    assert res.code == 1
    assert res.err == (
        "오류: 메일 서버(127.0.0.1) 로그인 실패: 아이디나 비밀번호가 틀렸습니다 "
        "([mail] username 과 비밀번호 환경변수/키링 값을 확인하세요)\n"
    )
    assert smtp.inbox.messages == []


def test_roster_required(remind_setup: dict[str, Any], run_cli) -> None:
    cfg = remind_setup["work"] / "schoolauto.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace('roster = "roster.csv"\n', ""), encoding="utf-8")
    res = run_cli("lms", "remind", "--lms", "kolibri-test", "--yes")
    assert res.code == 2
    assert (
        res.err
        == '오류: --roster: 학생 메일 주소 명단이 필요합니다 (설정의 roster = "명단.csv" 로 정하거나 명단 파일을 주세요)\n'
    )
