"""`schoolauto ui`: refuses to share without a password; the server options it sets."""

from __future__ import annotations

import argparse

import pytest

from schoolauto.commands.ui import streamlit_command
from schoolauto.ui.settings import is_loopback


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.0.10", "::", "school-pc"])
def test_sharing_needs_a_password(run_cli, monkeypatch, host: str) -> None:
    monkeypatch.delenv("SCHOOLAUTO_UI_PASSWORD", raising=False)
    res = run_cli("ui", "--host", host, "--no-browser")
    assert res.code == 2
    assert res.err.startswith(
        "오류: 이 컴퓨터 밖에 공유하려면 접속 비밀번호가 필요합니다: 환경변수 SCHOOLAUTO_UI_PASSWORD"
    )
    assert "Traceback" not in res.err


def test_bad_port(run_cli) -> None:
    res = run_cli("ui", "--port", "70000", "--no-browser")
    assert res.code == 2 and res.err.startswith("오류: --port: 포트는 1에서 65535 사이여야 합니다")


def test_loopback_hosts() -> None:
    assert (
        is_loopback("127.0.0.1")
        and is_loopback("localhost")
        and is_loopback("::1")
        and is_loopback("127.0.0.2")
    )
    assert not is_loopback("0.0.0.0") and not is_loopback("10.1.2.3") and not is_loopback("")


def test_server_options() -> None:
    args = argparse.Namespace(host="127.0.0.1", port=8600, max_upload_mb=20)
    line = streamlit_command(args)
    opts = dict(zip(line[5::2], line[6::2], strict=True))
    assert opts["--server.address"] == "127.0.0.1" and opts["--server.port"] == "8600"
    assert opts["--server.enableXsrfProtection"] == "true"
    assert opts["--browser.gatherUsageStats"] == "false"
    assert opts["--server.maxUploadSize"] == "20"
    assert opts["--server.headless"] == "true"
    assert opts["--client.showErrorDetails"] == "none"


def test_pages_call_the_library_only_through_the_adapter() -> None:
    """Only ui/jobs.py imports a domain package, so the lead can re-point jobs in one place."""
    import re
    from pathlib import Path

    ui = Path(__file__).resolve().parents[2] / "schoolauto" / "ui"
    domain = re.compile(r"^\s*(from|import)\s+(schoolauto\.|\.\.)(records|groups|lms|roster)\b", re.M)
    offenders = [
        p.name
        for p in [*ui.glob("*.py"), *ui.glob("views/*.py")]
        if p.name != "jobs.py" and domain.search(p.read_text("utf-8"))
    ]
    assert offenders == []


def test_without_streamlit_the_install_line_is_named(run_cli, monkeypatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "streamlit", None)  # as if not installed
    res = run_cli("ui", "--no-browser", "--port", "8599")
    assert res.code == 1
    assert res.err.strip() == "오류: 웹 페이지에는 streamlit 이 필요합니다 (pip install 'schoolauto[ui]')"
