"""The browser path (headless Chromium + drivers/kolibri.toml) on Kolibri's real coach UI.

It must give the same non-submitters as the REST path and as the seeded truth. Coach pages do not
show usernames, so the comparison is by name (names are unique within a seeded class).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import kolibri_config, need_chromium, truth_missing

pytestmark = [pytest.mark.kolibri, pytest.mark.browser, pytest.mark.slow]


def by_name(data: dict[str, Any]) -> dict:
    return {
        c["name"]: {a["title"]: {m["name"]: m["status"] for m in a["missing"]} for a in c["assignments"]}
        for c in data["classes"]
    }


def truth_by_name(truth: dict[str, Any]) -> dict:
    names = {u["username"]: u["name"] for c in truth["classes"] for u in c["learners"]}
    return {
        c: {t: {names[u]: s for u, s in v.items()} for t, v in titles.items()}
        for c, titles in truth_missing(truth).items()
    }


def test_browser_equals_api_and_truth(
    kolibri: dict[str, Any], coach_password: str, lms_env: Path, run_cli
) -> None:
    need_chromium()
    cfg = kolibri_config(lms_env.parent, kolibri["url"])
    res = run_cli(
        "lms",
        "missing",
        "--config",
        cfg,
        "--lms",
        "kolibri-test",
        "--via",
        "browser",
        "--json",
        "b.json",
        "--yes",
    )
    assert res.code == 0, res.err
    res = run_cli(
        "lms",
        "missing",
        "--config",
        cfg,
        "--lms",
        "kolibri-test",
        "--via",
        "api",
        "--json",
        "a.json",
        "--yes",
    )
    assert res.code == 0, res.err
    browser = json.loads(Path("b.json").read_text(encoding="utf-8"))
    api = json.loads(Path("a.json").read_text(encoding="utf-8"))
    assert by_name(browser) == by_name(api) == truth_by_name(kolibri["truth"])
    for b, a in zip(browser["classes"], api["classes"], strict=True):
        assert [x["assigned"] for x in b["assignments"]] == [x["assigned"] for x in a["assignments"]]
        assert [x["kind"] for x in b["assignments"]] == [x["kind"] for x in a["assignments"]]


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
