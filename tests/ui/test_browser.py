"""`schoolauto ui` in a real headless Chromium: upload, run, read the page, download, sign in.

Screenshots of every page are saved to docs/screenshots/ when SCHOOLAUTO_UI_SCREENSHOTS=1.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from schoolauto.ui import jobs

from .browser import (
    REPO,
    body_text,
    chromium,
    click,
    running_ui,
    scroll_to,
    upload,
    wait_download,
    wait_idle,
    wait_text,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = REPO / "docs" / "screenshots"


def need_chromium() -> None:
    for exe in ("/usr/bin/chromium", "/usr/bin/chromedriver"):
        if not Path(exe).exists() and not shutil.which(Path(exe).name):
            pytest.fail(f"{exe} is missing (apt-get install chromium chromium-driver)", pytrace=False)


def shot(driver: Any, name: str) -> None:
    if os.environ.get("SCHOOLAUTO_UI_SCREENSHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(SHOTS / f"{name}.png"))


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("SCHOOLAUTO_UI_PASSWORD", raising=False)
    monkeypatch.delenv("SCHOOLAUTO_CONFIG", raising=False)
    monkeypatch.setenv("SCHOOLAUTO_STATE_DIR", str(tmp_path / "state"))
    (tmp_path / "downloads").mkdir()
    return tmp_path


def test_duplicates_and_groups_in_chromium(workdir: Path, exports: list[Path], roster_file: Path) -> None:
    need_chromium()
    downloads = workdir / "downloads"
    with running_ui(workdir) as (url, _proc), chromium(downloads) as driver:
        driver.get(url)
        wait_text(driver, "독서활동 중복 검사")
        upload(driver, exports)
        click(driver, "검사 시작")
        m = wait_text(driver, r"검사 결과: 중복 (\d+)건")
        expected = jobs.check_duplicates(exports)
        assert int(m.group(1)) == len(expected.findings)
        wait_idle(driver)
        shot(driver, "duplicates")
        scroll_to(driver, "요약")
        shot(driver, "duplicates_result")
        click(driver, "엑셀 보고서 받기")
        xlsx = wait_download(downloads, ".xlsx")
        wb = openpyxl.load_workbook(xlsx)
        assert "중복 목록" in wb.sheetnames
        assert sum(1 for row in wb["중복 목록"].iter_rows(values_only=True) if row and row[2]) >= len(
            expected.findings
        )
        xlsx.unlink()

        # roster -> groups: 6 groups, balance 성별 (the page's defaults), seed 0
        driver.get(f"{url}/groups")
        wait_text(driver, "모둠·반편성")
        upload(driver, [roster_file])
        wait_text(driver, "무엇을 고르게 할까요")
        click(driver, "편성 시작")
        m = wait_text(driver, r"상태 [^,]+, 목적값 ([0-9.]+)")
        expected_groups = jobs.assign_groups(roster_file, groups=6, balance=[("성별", 1.0)], time_limit=30.0)
        assert float(m.group(1)) == pytest.approx(expected_groups.objective, abs=1e-4)
        wait_text(driver, "모든 제약을 지켰습니다")
        wait_idle(driver)
        shot(driver, "groups")
        scroll_to(driver, "결과")
        shot(driver, "groups_result")
        click(driver, "엑셀 보고서 받기")
        xlsx = wait_download(downloads, ".xlsx")
        wb = openpyxl.load_workbook(xlsx)
        members = [r for r in wb["모둠별 명단"].iter_rows(values_only=True) if r and isinstance(r[0], int)]
        assert len(members) == 30

        for page, title in (("audit", "생활기록부 점검"), ("generate", "가상 자료")):
            driver.get(f"{url}/{page}")
            wait_text(driver, title)
            wait_idle(driver)
            shot(driver, page)


def test_lms_page_in_chromium(workdir: Path) -> None:
    need_chromium()
    from ..lms.fixture_servers import MoodleFixture

    with MoodleFixture() as server:
        (workdir / "schoolauto.toml").write_text(
            f'[lms."학교무들"]\ndriver = "moodle"\nurl = "{server.url}"\npassword_env = "TEST_TOKEN"\n',
            encoding="utf-8",
        )
        env = {"TEST_TOKEN": MoodleFixture.TOKEN}
        with running_ui(workdir, env=env) as (url, _proc), chromium(workdir / "downloads") as driver:
            driver.get(f"{url}/lms")
            wait_text(driver, "학교무들")
            click(driver, "미제출 확인")
            m = wait_text(driver, r"미제출 (\d+)건\n")
            total = sum(len(w) for c in server.truth.values() for w in c.values())
            assert int(m.group(1)) == total
            wait_idle(driver)
            shot(driver, "lms")


def test_sign_in_required_and_wrong_password_refused(workdir: Path) -> None:
    need_chromium()
    env = {"SCHOOLAUTO_UI_PASSWORD": "교무실-비밀-7"}
    with running_ui(workdir, env=env) as (url, _proc), chromium(workdir / "downloads") as driver:
        from selenium.webdriver.common.by import By

        for path in ("", "/groups"):
            driver.get(url + path)
            wait_text(driver, "비밀번호로 보호되어 있습니다")
            assert "독서활동 중복 검사" not in body_text(driver).replace("schoolauto", "")
            assert not driver.find_elements(By.CSS_SELECTOR, 'input[type="file"]')
        shot(driver, "signin")
        type_password(driver, "틀린-비밀번호")
        click(driver, "로그인")
        wait_text(driver, "비밀번호가 맞지 않습니다")
        wait_idle(driver)
        assert not driver.find_elements(By.CSS_SELECTOR, 'input[type="file"]')
        type_password(driver, "교무실-비밀-7")
        click(driver, "로그인")
        wait_text(driver, "NEIS 독서활동상황 내보내기 파일에서")
        wait_text(driver, "검사 시작")


def type_password(driver: Any, text: str) -> None:
    """Replace the password box's content with `text`, checking the box really holds it."""
    import time

    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    for _ in range(20):
        try:
            box = driver.find_element(By.CSS_SELECTOR, 'input[type="password"]')
            box.send_keys(Keys.CONTROL, "a")
            box.send_keys(Keys.DELETE)
            box.send_keys(text)
            if box.get_attribute("value") == text:
                return
        except Exception:  # noqa: BLE001 - the form is re-rendering
            pass
        time.sleep(0.3)
    raise AssertionError("could not type into the password box")


def test_uploads_removed_when_the_session_ends(workdir: Path, exports: list[Path]) -> None:
    need_chromium()
    import time

    tmp = workdir / "server-tmp"
    tmp.mkdir()
    env = {"TMPDIR": str(tmp), "SCHOOLAUTO_UI_ENDED_GRACE_SECONDS": "1"}
    with running_ui(workdir, env=env) as (url, _proc):
        with chromium(workdir / "downloads") as driver:
            driver.get(url)
            wait_text(driver, "검사 시작")
            upload(driver, exports[:1])
            click(driver, "검사 시작")
            wait_text(driver, r"검사 결과: 중복 (\d+)건")
            uploaded = list(tmp.glob("schoolauto-ui-*/s-*/duplicates/*"))
            assert [p.name for p in uploaded] == [exports[0].name]
        # the browser is closed: the session ends and its folder goes (after the reconnect grace)
        deadline = time.monotonic() + 60
        while list(tmp.glob("schoolauto-ui-*/s-*")) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert list(tmp.glob("schoolauto-ui-*/s-*")) == []
    assert list(tmp.glob("schoolauto-ui-*")) == []  # and the whole tree when the server stops
