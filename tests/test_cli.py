"""The top-level command: help, version, usage errors and the last-resort error line."""

from __future__ import annotations

import pytest

from schoolauto import __version__


def test_no_command_is_a_usage_error(run_cli) -> None:
    r = run_cli()
    assert r.code == 2
    assert r.err.strip() == "오류: 다음 인자가 필요합니다: 명령 — 'schoolauto --help' 로 사용법을 보세요"


def test_unknown_command(run_cli) -> None:
    r = run_cli("grades")
    assert r.code == 2 and "잘못된 값 'grades'" in r.err


def test_help_is_korean(run_cli) -> None:
    with pytest.raises(SystemExit) as exc:
        run_cli("--help")
    assert exc.value.code == 0


def test_version(run_cli, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run_cli("--version")
    assert capsys.readouterr().out.strip() == f"schoolauto {__version__}"


def test_unexpected_error_is_one_line(run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    import schoolauto.records.duplicates

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("디스크가 가득 찼습니다")

    monkeypatch.setattr(schoolauto.records.duplicates, "find_duplicate_books", boom)
    (tmp_path / "a.csv").write_text("성명,독서활동 상황\n홍길동,데미안\n", encoding="utf-8")
    r = run_cli("records", "duplicates", tmp_path / "a.csv")
    assert r.code == 1
    assert r.err.strip() == (
        "오류: 예상하지 못한 문제가 생겼습니다 (RuntimeError: 디스크가 가득 찼습니다). "
        "--debug 를 붙여 다시 실행하면 자세한 내용이 나옵니다."
    )
