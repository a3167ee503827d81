"""The browser path (headless Chromium + drivers/kolibri.toml) on Kolibri's real coach UI.

It must give the same non-submitters as the REST path and as the seeded truth. Coach pages do not
show usernames, so the comparison is by name (names are unique within a seeded class).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .conftest import kolibri_config, need_chromium

pytestmark = [pytest.mark.kolibri, pytest.mark.browser, pytest.mark.slow]


# The browser path equal to the REST path and to the truth, item by item, is in
# test_kolibri_modes.py (on every way Kolibri assigns work).


def test_browser_wrong_password(kolibri: dict[str, Any], lms_env: Path, run_cli, monkeypatch) -> None:
    need_chromium()
    monkeypatch.setenv("TEST_KOLIBRI_PASSWORD", "wrong-password")
    cfg = kolibri_config(lms_env.parent, kolibri["url"])
    res = run_cli("lms", "missing", "--config", cfg, "--lms", "kolibri-test", "--via", "browser", "--yes")
    assert res.code == 1
    assert res.err == (
        f"오류: {kolibri['url']} 로그인 실패: 아이디나 비밀번호가 틀렸습니다 "
        "(설정의 username 과 비밀번호 환경변수/키링 값을 확인하세요)\n"
    )
