"""Start `schoolauto ui` in a subprocess and drive it with Debian's headless Chromium (Selenium).

Shared by the browser tests, the screenshot script and the benchmark.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CHROME_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--lang=ko-KR",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_health(url: str, proc: subprocess.Popen[bytes], timeout: float = 90) -> float:
    """Seconds until Streamlit's health endpoint answers."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"schoolauto ui ended early (exit {proc.returncode})")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return time.perf_counter() - t0
        except OSError:
            time.sleep(0.1)
    raise TimeoutError("schoolauto ui did not start")


@contextlib.contextmanager
def running_ui(
    cwd: Path, *, env: dict[str, str] | None = None, host: str = "127.0.0.1"
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`schoolauto ui --no-browser --port <free>` started in `cwd`; stopped (its process group) after."""
    port = free_port()
    full_env = {**os.environ, **(env or {})}
    full_env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), full_env.get("PYTHONPATH")) if p)
    log = open(cwd / "ui-server.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "schoolauto", "ui", "--no-browser", "--host", host, "--port", str(port)],
        cwd=cwd,
        env=full_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_health(url, proc)
        yield url, proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
        log.close()


@contextlib.contextmanager
def chromium(download_dir: Path, *, width: int = 1400, height: int = 1800) -> Iterator[Any]:
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager download anything
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    for arg in CHROME_ARGS:
        opts.add_argument(arg)
    opts.add_argument(f"--window-size={width},{height}")
    profile = tempfile.mkdtemp(prefix="schoolauto-ui-chromium-")
    opts.add_argument(f"--user-data-dir={profile}")
    opts.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(download_dir),
            "download.prompt_for_download": False,
            "safebrowsing.enabled": False,
        },
    )
    opts.binary_location = os.environ.get("SCHOOLAUTO_CHROMIUM", "/usr/bin/chromium")
    driver = webdriver.Chrome(
        service=Service(os.environ.get("SCHOOLAUTO_CHROMEDRIVER", "/usr/bin/chromedriver")), options=opts
    )
    try:
        driver.execute_cdp_cmd(
            "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(download_dir)}
        )
        yield driver
    finally:
        driver.quit()
        import shutil

        shutil.rmtree(profile, ignore_errors=True)


def body_text(driver: Any) -> str:
    from selenium.webdriver.common.by import By

    try:
        # innerText in the page: much cheaper than WebDriver's element text on a large page.
        return str(driver.execute_script("return document.body ? document.body.innerText : ''") or "")
    except Exception:  # noqa: BLE001 - the page is re-rendering
        try:
            return str(driver.find_element(By.TAG_NAME, "body").text)
        except Exception:  # noqa: BLE001
            return ""


def wait_text(driver: Any, pattern: str, timeout: float = 120) -> re.Match[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        m = re.search(pattern, body_text(driver))
        if m:
            return m
        time.sleep(0.05)
    raise TimeoutError(f"not on the page: {pattern!r}\n---\n{body_text(driver)[:2000]}")


def wait_idle(driver: Any, timeout: float = 120) -> None:
    """Until Streamlit says the script run is over (no 'running' status widget)."""
    from selenium.webdriver.common.by import By

    deadline = time.monotonic() + timeout
    time.sleep(0.3)
    while time.monotonic() < deadline:
        if not driver.find_elements(By.CSS_SELECTOR, '[data-testid="stStatusWidget"]'):
            return
        time.sleep(0.1)


def click(driver: Any, label: str, timeout: float = 60) -> None:
    from selenium.webdriver.common.by import By

    xpath = f"//button[normalize-space(.)='{label}']"
    deadline = time.monotonic() + timeout
    while True:
        try:
            el = driver.find_element(By.XPATH, xpath)
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", el)
            el.click()
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def upload(driver: Any, paths: list[Path], index: int = 0, timeout: float = 60) -> None:
    """Hand files to the n-th file input (as a user dropping them), then wait until they show."""
    from selenium.webdriver.common.by import By

    deadline = time.monotonic() + timeout
    while True:
        inputs = driver.find_elements(By.CSS_SELECTOR, 'input[type="file"]')
        if len(inputs) > index:
            break
        if time.monotonic() > deadline:
            raise TimeoutError("no file input")
        time.sleep(0.2)
    before = len(re.findall(r"\n[0-9.]+ ?[KMG]?B\n", body_text(driver)))
    inputs[index].send_keys("\n".join(str(p) for p in paths))
    # Each uploaded file is listed with its size once the upload finished.
    while len(re.findall(r"\n[0-9.]+ ?[KMG]?B\n", body_text(driver))) < before + len(paths):
        if time.monotonic() > deadline:
            raise TimeoutError(f"upload did not finish\n---\n{body_text(driver)[:2000]}")
        time.sleep(0.2)
    wait_idle(driver)


def wait_download(folder: Path, suffix: str, timeout: float = 60) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in folder.glob(f"*{suffix}") if not p.name.endswith(".crdownload")]
        if done and not list(folder.glob("*.crdownload")):
            return done[0]
        time.sleep(0.2)
    raise TimeoutError(f"no {suffix} downloaded into {folder}")


def scroll_to(driver: Any, text: str) -> None:
    """Bring the first element showing exactly `text` to the top of Streamlit's scrolling area."""
    from selenium.webdriver.common.by import By

    for el in driver.find_elements(By.XPATH, f"//*[normalize-space(text())='{text}']"):
        driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", el)
        time.sleep(0.5)
        return
