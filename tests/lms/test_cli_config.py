"""CLI and configuration edges: usage errors, secrets kept out of files and logs, report details."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import keyring
import keyring.backend
import pytest
from openpyxl import load_workbook

from schoolauto.lms.base import driver_names
from schoolauto.lms.report import is_chronic

from .conftest import kolibri_config

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "schemas" / "lms-missing.schema.json"
JSON_SCHEMA_KEYS = {
    "top": {"lms", "generated_at", "classes", "errors", "warnings"},
    "class": {"name", "id", "student_count", "assignments"},
    "assignment": {
        "title",
        "kind",
        "id",
        "due",
        "no_due_date",
        "target",
        "groups",
        "assigned",
        "submitted",
        "missing",
    },
    "missing": {"name", "username", "status", "late"},
}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["lms", "missing", "--yes"], "오류: --lms 이름, 또는 --driver 와 --url 을 주세요\n"),
        (
            ["lms", "missing", "--lms", "x", "--yes"],
            "오류: --config: LMS 이름을 쓰려면 설정 파일이 필요합니다 (기본: ./schoolauto.toml)\n",
        ),
        (
            ["lms", "missing", "--config", "nowhere.toml", "--lms", "x"],
            "오류: 파일 nowhere.toml: 설정 파일이 없습니다\n",
        ),
        (
            ["lms", "missing", "--driver", "blackboard", "--url", "http://127.0.0.1:9", "--yes"],
            "오류: --driver: 잘못된 값 'blackboard' (가능한 값: "
            + ", ".join(f"'{n}'" for n in driver_names())
            + ") — 'schoolauto lms missing --help' 로 사용법을 보세요\n",
        ),
    ],
)
def test_usage_errors(lms_env: Path, run_cli, monkeypatch, argv: list[str], message: str) -> None:
    monkeypatch.setenv("SCHOOLAUTO_LMS_PASSWORD", "x")
    res = run_cli(*argv)
    assert res.code == 2
    assert res.err == message


def test_password_in_config_is_refused(lms_env: Path, run_cli) -> None:
    Path("schoolauto.toml").write_text(
        '[lms.a]\ndriver = "kolibri"\nurl = "http://x"\npassword = "p"\n', encoding="utf-8"
    )
    res = run_cli("lms", "missing", "--lms", "a", "--yes")
    assert res.code == 2
    assert res.err == (
        '오류: 파일 schoolauto.toml: [lms."a"] 에 비밀번호를 적지 마세요 (password) '
        "(password_env 에 환경변수 이름을 적거나 OS 키링에 저장하세요)\n"
    )


def test_unknown_lms_name(lms_env: Path, run_cli) -> None:
    Path("schoolauto.toml").write_text('[lms.a]\ndriver = "kolibri"\nurl = "http://x"\n', encoding="utf-8")
    res = run_cli("lms", "missing", "--lms", "b", "--yes")
    assert res.code == 2
    assert res.err == '오류: 파일 schoolauto.toml: 설정에 [lms."b"] 이(가) 없습니다 (있는 LMS: a)\n'


def test_no_password_no_prompt_when_unattended(lms_env: Path, run_cli, monkeypatch) -> None:
    monkeypatch.delenv("SCHOOLAUTO_LMS_PASSWORD", raising=False)
    monkeypatch.setattr("keyring.get_password", lambda *a: None)
    res = run_cli(
        "lms", "missing", "--driver", "kolibri", "--url", "http://127.0.0.1:9", "--username", "c", "--yes"
    )
    assert res.code == 1
    assert res.err == (
        "오류: kolibri 비밀번호가 필요합니다: 터미널이 없으면(예약 실행) 환경변수 SCHOOLAUTO_LMS_PASSWORD 에 "
        "넣거나 OS 키링(서비스 schoolauto-lms, 사용자 kolibri:c)에 저장하세요\n"
    )


def test_existing_output_is_kept(lms_env: Path, run_cli, monkeypatch) -> None:
    Path("r.xlsx").write_bytes(b"keep")
    monkeypatch.setenv("SCHOOLAUTO_LMS_PASSWORD", "x")
    res = run_cli(
        "lms", "missing", "--driver", "kolibri", "--url", "http://127.0.0.1:9", "--out", "r.xlsx", "--yes"
    )
    assert res.code == 2
    assert (
        res.err
        == "오류: 파일 r.xlsx: 출력 파일이 이미 있습니다 (다른 이름을 주거나 --overwrite 를 붙이세요)\n"
    )
    assert Path("r.xlsx").read_bytes() == b"keep"


def test_json_schema_and_log_file(
    kolibri: dict[str, Any], coach_password: str, lms_env: Path, run_cli
) -> None:
    cfg = kolibri_config(lms_env.parent, kolibri["url"])
    res = run_cli(
        "lms",
        "missing",
        "--config",
        cfg,
        "--lms",
        "kolibri-test",
        "--json",
        "r.json",
        "--log-file",
        "run.log",
        "--yes",
    )
    assert res.code == 0, res.err
    data = json.loads(Path("r.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert set(data) == JSON_SCHEMA_KEYS["top"]
    for c in data["classes"]:
        assert set(c) == JSON_SCHEMA_KEYS["class"]
        for a in c["assignments"]:
            assert set(a) == JSON_SCHEMA_KEYS["assignment"]
            assert a["kind"] in ("quiz", "lesson")
            assert a["due"] is None or isinstance(a["due"], str)
            for m in a["missing"]:
                assert set(m) == JSON_SCHEMA_KEYS["missing"]
                assert m["status"] in ("not_started", "started")
    log = Path("run.log").read_text(encoding="utf-8")
    assert "read 2 classes, 0 errors" in log
    names = {u["name"] for c in kolibri["truth"]["classes"] for u in c["learners"]}
    assert not any(n in log for n in names)  # no personal data at normal verbosity
    assert kolibri["coach"][1] not in log


def test_docs_show_every_command_and_the_json_keys() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "lms.md").read_text(encoding="utf-8")
    for cmd in ("schoolauto lms missing", "schoolauto lms remind", "crontab", "schtasks"):
        assert cmd in docs
    for keys in JSON_SCHEMA_KEYS.values():
        for k in keys:
            assert f'"{k}"' in docs, k


def test_xlsx_marks_and_chronic_highlight(
    kolibri: dict[str, Any], coach_password: str, lms_env: Path, run_cli
) -> None:
    cfg = kolibri_config(lms_env.parent, kolibri["url"])
    res = run_cli("lms", "missing", "--config", cfg, "--lms", "kolibri-test", "--out", "r.xlsx", "--yes")
    assert res.code == 0, res.err
    wb = load_workbook("r.xlsx")
    summary = wb["요약"]
    assert [c.value for c in summary[4]] == [
        "반",
        "과제",
        "종류",
        "마감",
        "대상",
        "대상 인원",
        "제출",
        "미제출",
        "시작만 함",
        "미제출률",
    ]
    assert summary.max_row == 4 + sum(len(c["assignments"]) for c in kolibri["truth"]["classes"])
    ws = wb["2학년 1반"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$4:$4"
    n = len(kolibri["truth"]["classes"][0]["assignments"])
    count_col = 4 + n
    chronic_rows = 0
    for r in range(5, 35):
        missing = ws.cell(r, count_col).value
        marks = [ws.cell(r, 4 + j).value for j in range(n)]
        assigned = sum(1 for m in marks if m != "-")
        assert missing == sum(1 for m in marks if m in ("✗", "△"))
        highlighted = ws.cell(r, 2).fill.fgColor.rgb == "FFF4CCCC"
        assert highlighted == is_chronic(missing, assigned)
        chronic_rows += highlighted
    assert chronic_rows > 0
    totals = [ws.cell(35, 4 + j).value for j in range(n)]
    assert ws.cell(35, 2).value == "미제출 수"
    assert totals == [sum(1 for r in range(5, 35) if ws.cell(r, 4 + j).value in ("✗", "△")) for j in range(n)]


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A real keyring backend that keeps secrets in memory (the OS keyring is not touched)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


def test_password_from_keyring(kolibri: dict[str, Any], lms_env: Path, run_cli, monkeypatch) -> None:
    monkeypatch.delenv("TEST_KOLIBRI_PASSWORD", raising=False)
    monkeypatch.delenv("SCHOOLAUTO_LMS_PASSWORD", raising=False)
    old = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    try:
        ring.set_password("schoolauto-lms", "kolibri-test:coach", kolibri["coach"][1])
        cfg = kolibri_config(lms_env.parent, kolibri["url"])
        res = run_cli("lms", "missing", "--config", cfg, "--lms", "kolibri-test", "--json", "-", "--yes")
    finally:
        keyring.set_keyring(old)
    assert res.code == 0, res.err
    assert [c["name"] for c in json.loads(res.out)["classes"]] == ["2학년 1반", "2학년 2반"]
