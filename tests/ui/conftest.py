"""Fixtures for the web page: generated exports and rosters, and a fresh AppTest of the app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("streamlit")

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "schoolauto" / "ui" / "app.py"


@pytest.fixture(scope="session")
def exports(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two class exports (60 students over three grades) with planted duplicates."""
    from schoolauto.records.generate import generate_reading_exports

    out = tmp_path_factory.mktemp("exports")
    made = generate_reading_exports(out, students=60, grade=3, seed=1)
    return sorted(made.files)


@pytest.fixture(scope="session")
def roster_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from schoolauto.roster import generate_roster, write_roster

    out = tmp_path_factory.mktemp("roster") / "명렬표.xlsx"
    return write_roster(generate_roster(30, seed=3), out)


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[AppTest]:
    """The whole app (navigation, sign-in gate), local mode, no page password, isolated state."""
    monkeypatch.delenv("SCHOOLAUTO_UI_PASSWORD", raising=False)
    monkeypatch.delenv("SCHOOLAUTO_UI_SHARED", raising=False)
    monkeypatch.delenv("SCHOOLAUTO_CONFIG", raising=False)
    monkeypatch.setenv("SCHOOLAUTO_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)
    at = AppTest.from_file(str(APP), default_timeout=120)
    yield at


def upload(at: AppTest, key: str, paths: list[Path] | Path) -> None:
    files = [paths] if isinstance(paths, Path) else paths
    widget = at.file_uploader(key=key)
    content = [(p.name, p.read_bytes(), "application/octet-stream") for p in files]
    if not content:
        widget.set_value(None)
    else:
        widget.set_value(content if widget.accept_multiple_files else content[0])


def texts(at: AppTest) -> str:
    """Everything the page wrote as markdown, captions and alerts, one line each."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in (*at.error, *at.warning, *at.info, *at.success)]
    return "\n".join(str(p) for p in parts)
