"""LMS test fixtures: a real Kolibri on 127.0.0.1 seeded with known truth, and helpers.

The seeded KOLIBRI_HOME is cached under .kolibri-test/ (keyed by Kolibri version and seed spec),
so only the first run provisions; later runs copy it and start Kolibri in about a second.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from schoolauto.errors import DependencyError
from schoolauto.lms import sandbox

SETUP = "scripts/setup-lms-test-env.sh"


def _need_kolibri() -> Path:
    try:
        return sandbox.find_kolibri()
    except DependencyError as exc:
        pytest.fail(f"{exc}: run {SETUP} first (CI does), or set SCHOOLAUTO_KOLIBRI", pytrace=False)


def need_chromium() -> None:
    for exe in ("/usr/bin/chromedriver", "/usr/bin/chromium"):
        if not Path(exe).exists() and not shutil.which(Path(exe).name):
            pytest.fail(
                f"{exe} is missing: run {SETUP} first (apt-get install chromium chromium-driver)",
                pytrace=False,
            )


@pytest.fixture(scope="session")
def kolibri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A running seeded Kolibri: {"url", "truth", "home", "coach": (user, password)}."""
    _need_kolibri()
    target = tmp_path_factory.mktemp("kolibri") / "home"
    with sandbox.running_sandbox(target, sandbox.SandboxSpec()) as (server, sb):
        yield {"url": server.url, "truth": sb.truth, "home": sb.home, "coach": sb.coach, "server": server}


@pytest.fixture
def lms_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Isolated state dir and no stray config; returns the state dir."""
    state = tmp_path / "state"
    monkeypatch.setenv("SCHOOLAUTO_STATE_DIR", str(state))
    monkeypatch.delenv("SCHOOLAUTO_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    return state


def truth_missing(truth: dict[str, Any], kinds: tuple[str, ...] = ("quiz", "lesson")) -> dict:
    """{class: {assignment title: {username: status}}} of everyone who has not submitted."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    for c in truth["classes"]:
        out[c["name"]] = {
            a["title"]: {u: s for u, s in a["statuses"].items() if s != "submitted"}
            for a in c["assignments"]
            if a["kind"] in kinds
        }
    return out


def report_missing(data: dict[str, Any]) -> dict:
    """The same shape from a `lms missing --json` document."""
    return {
        c["name"]: {a["title"]: {m["username"]: m["status"] for m in a["missing"]} for a in c["assignments"]}
        for c in data["classes"]
    }


def kolibri_config(tmp_path: Path, url: str, *, name: str = "kolibri-test", extra: str = "") -> Path:
    cfg = tmp_path / "schoolauto.toml"
    cfg.write_text(
        f"""
[lms."{name}"]
driver = "kolibri"
url = "{url}"
username = "coach"
password_env = "TEST_KOLIBRI_PASSWORD"
profile = "kolibri"
wait_seconds = 60  # the browser path on a busy shared test machine
{extra}
""",
        encoding="utf-8",
    )
    return cfg


@pytest.fixture
def coach_password(kolibri: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("TEST_KOLIBRI_PASSWORD", kolibri["coach"][1])
    return str(kolibri["coach"][1])


os.environ.setdefault("SE_OFFLINE", "true")
