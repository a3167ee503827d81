"""A generic browser driver: a real (headless) Chromium driven by a declarative site profile.

The profile (`drivers/<name>.toml`, see drivers/README.md) says where to log in, where the class and
assignment pages are, which rows and cells hold names and statuses, and which texts mean what. So a
school adds its own LMS by writing a profile, not code. Selenium is an extra:
`pip install 'schoolauto[browser]'`; Chromium and chromedriver come from the system (never
downloaded: Selenium Manager is switched off).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import queue
import re
import shutil
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import AuthError, ConfigError, DependencyError, LmsError, SchoolautoError
from .base import Connection, Driver, register_driver
from .model import Assignment, ClassData, Course, Learner, Status, StudentStatus

log = logging.getLogger(__name__)

CHROME_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
    "--disable-extensions",
    "--blink-settings=imagesEnabled=false",
)


def profile_dirs() -> list[Path]:
    dirs = []
    env = os.environ.get("SCHOOLAUTO_DRIVERS")
    if env:
        dirs.append(Path(env))
    here = Path(__file__).resolve()
    dirs.append(here.parents[2] / "drivers")
    dirs.append(here.parents[1] / "_drivers")
    return dirs


def load_profile(name: str) -> dict[str, Any]:
    """A site profile by name (drivers/<name>.toml) or path, checked for the keys the driver needs."""
    p = Path(name)
    path: Path | None = p if p.suffix == ".toml" and p.exists() else None
    if path is None:
        for d in profile_dirs():
            if (d / f"{name}.toml").exists():
                path = d / f"{name}.toml"
                break
    if path is None:
        raise ConfigError(
            f"사이트 프로필 '{name}' 을(를) 찾을 수 없습니다", hint="drivers 폴더에 <이름>.toml 을 두세요"
        )
    try:
        profile = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"사이트 프로필을 읽을 수 없습니다: {exc}", path=path) from exc
    for key in ("login", "classes", "assignments"):
        if key not in profile:
            raise ConfigError(f"사이트 프로필에 [{key}] 가 없습니다", path=path)
    for i, a in enumerate(profile["assignments"], start=1):
        for key in (
            "kind",
            "list_url",
            "link",
            "id_from_href",
            "page_url",
            "row",
            "name",
            "status",
            "submitted",
        ):
            if key not in a:
                raise ConfigError(
                    f"사이트 프로필의 {i}번째 [[assignments]] 에 '{key}' 가 없습니다", path=path
                )
        for key in ("submitted", "started", "not_started"):
            try:
                a[f"_{key}"] = [re.compile(x) for x in a.get(key, [])]
            except re.error as exc:
                raise ConfigError(
                    f"사이트 프로필의 '{key}' 정규식이 잘못되었습니다: {exc}", path=path
                ) from exc
    profile["_path"] = str(path)
    return profile


def _find_exe(env: str, candidates: tuple[str, ...]) -> str | None:
    if os.environ.get(env):
        return os.environ[env]
    for c in candidates:
        if os.path.isabs(c) and os.path.exists(c):
            return c
        found = shutil.which(c)
        if found:
            return found
    return None


_JS_LINKS = """
return Array.from(document.querySelectorAll(arguments[0])).map(a => [a.href || a.getAttribute('href'), a.innerText]);
"""
_JS_TEXTS = "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.innerText);"
_JS_ROWS = """
return Array.from(document.querySelectorAll(arguments[0])).map(r => {
  const n = r.querySelector(arguments[1]), s = r.querySelector(arguments[2]);
  return [n ? n.innerText : null, s ? s.innerText : null];
});
"""


def _text(s: str) -> str:
    return " ".join(s.split())


@register_driver("browser")
class BrowserDriver(Driver):
    """Reads classes and statuses from web pages with headless Chromium, as the profile describes."""

    label = "사이트 프로필로 실제 브라우저 (drivers/*.toml)"

    def __init__(self, conn: Connection, secret: str | None) -> None:
        super().__init__(conn, secret)
        self.profile = load_profile(conn.profile or conn.driver)
        self.base = conn.url.rstrip("/")
        # A busy machine may need longer: the connection's `wait_seconds` wins over the profile's.
        self.wait_seconds = float(conn.options.get("wait_seconds", self.profile.get("wait_seconds", 20)))
        self._driver: Any = None
        self._tmp: str | None = None

    # ----- browser ----------------------------------------------------------------------------
    def _start(self) -> Any:
        if self._driver is not None:
            return self._driver
        os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager download anything
        try:
            from selenium import webdriver
            from selenium.webdriver.chrome.service import Service
        except ImportError:
            raise DependencyError(
                "브라우저 방식에는 selenium 이 필요합니다", hint="pip install 'schoolauto[browser]'"
            ) from None
        chromedriver = _find_exe("SCHOOLAUTO_CHROMEDRIVER", ("/usr/bin/chromedriver", "chromedriver"))
        chromium = _find_exe(
            "SCHOOLAUTO_CHROMIUM", ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
        )
        if not chromedriver or not chromium:
            raise DependencyError(
                "Chromium 과 chromedriver 가 필요합니다",
                hint="Debian/Ubuntu: sudo apt-get install chromium chromium-driver (또는 SCHOOLAUTO_CHROMEDRIVER 설정)",
            )
        opts = webdriver.ChromeOptions()
        for arg in CHROME_ARGS:
            opts.add_argument(arg)
        self._tmp = tempfile.mkdtemp(prefix="schoolauto-chromium-")
        opts.add_argument(f"--user-data-dir={self._tmp}")
        opts.binary_location = chromium
        try:
            self._driver = webdriver.Chrome(service=Service(chromedriver), options=opts)
        except Exception as exc:  # selenium raises many kinds when the browser cannot start
            raise LmsError(
                f"Chromium 을 시작할 수 없습니다 ({type(exc).__name__}: {str(exc).splitlines()[0]})"
            ) from exc
        self._driver.set_page_load_timeout(self.conn.timeout * 4)
        return self._driver

    def close(self) -> None:
        if self._driver is not None:
            with contextlib.suppress(Exception):
                self._driver.quit()
            self._driver = None
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def _open(self, path: str) -> None:
        d = self._start()
        between = self.profile.get("between_pages")
        try:
            if between:
                d.get(between)
            d.get(path if path.startswith(("http://", "https://")) else f"{self.base}{path}")
        except Exception as exc:  # selenium's timeout and connection errors
            raise LmsError(f"페이지를 열 수 없습니다: {path} ({type(exc).__name__})") from exc

    def _wait(self, cond: Callable[[], Any], what: str) -> Any:
        deadline = time.monotonic() + self.wait_seconds
        while True:
            try:
                value = cond()
            except Exception:  # noqa: BLE001 - elements going stale while the page renders
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                raise LmsError(
                    f"{self.wait_seconds:g}초 안에 {what} 이(가) 나타나지 않았습니다 (프로필 {self.profile['_path']})"
                )
            time.sleep(0.05)

    def _css(self, selector: str, root: Any = None) -> list[Any]:
        from selenium.webdriver.common.by import By

        return list((root or self._driver).find_elements(By.CSS_SELECTOR, selector))

    def _visible(self, selector: str) -> Callable[[], Any]:
        def first_visible() -> Any:
            return next((e for e in self._css(selector) if e.is_displayed()), None)

        return first_visible

    def _loading(self) -> bool:
        """Whether the profile's `loading` indicator (a spinner or progress bar) is on the page."""
        loading = self.profile.get("loading")
        return bool(loading and self._count(loading))

    def _matches(self, css: str, text: str | None) -> bool:
        """Whether an element matching `css` is on the page (with text matching the regex `text`)."""
        rx = re.compile(text or ".")
        return any(rx.search(t or "") for t in self._driver.execute_script(_JS_TEXTS, css))

    def _empty(self, spec: dict[str, Any]) -> bool:
        """The list page's "nothing here" marker: `empty` css, optionally with text matching `empty_text`."""
        return bool(spec.get("empty")) and self._matches(spec["empty"], spec.get("empty_text"))

    def _count(self, selector: str) -> int:
        return int(
            self._driver.execute_script("return document.querySelectorAll(arguments[0]).length", selector)
        )

    def _settle(self, selector: str, settle: float = 0.15) -> None:
        """Wait until the number of elements matching `selector` has stopped changing for `settle` s."""
        last, since = -1, time.monotonic()
        deadline = time.monotonic() + self.wait_seconds
        while time.monotonic() < deadline:
            n = self._count(selector)
            if n != last:
                last, since = n, time.monotonic()
            elif time.monotonic() - since >= settle:
                return
            time.sleep(0.05)

    # ----- driver interface -------------------------------------------------------------------
    def login(self) -> None:
        spec = self.profile["login"]
        self._open(spec["url"])
        self._check_site(spec)
        values = {"{username}": self.conn.username or "", "{password}": self.secret or ""}
        from selenium.webdriver.common.keys import Keys

        for step in spec.get("steps", []):
            if "fill" in step:
                el = self._wait(self._visible(step["fill"]), f"입력칸 {step['fill']}")
                el.clear()
                el.send_keys(values.get(step.get("value", ""), step.get("value", "")))
                if step.get("enter"):
                    el.send_keys(Keys.ENTER)
            elif "click" in step:
                self._wait(self._visible(step["click"]), f"단추 {step['click']}").click()
            elif "wait" in step:
                self._wait(self._visible(step["wait"]), step["wait"])
        done = spec.get("done_url_contains")
        err_css = spec.get("error")

        def outcome() -> str | None:
            if done and done in self._driver.current_url:
                return "ok"
            if err_css:
                texts = [_text(e.text) for e in self._css(err_css)]
                if any(texts):
                    return "refused"
            return None

        if self._wait(outcome, "로그인 결과") == "refused":
            raise AuthError(
                f"{self.conn.url} 로그인 실패: 아이디나 비밀번호가 틀렸습니다",
                hint="설정의 username 과 비밀번호 환경변수/키링 값을 확인하세요",
            )

    def _check_site(self, spec: dict[str, Any]) -> None:
        """Stop within seconds when the address is not the profile's LMS (`identify`, a CSS selector
        present in the login page's own HTML), instead of waiting for a login field that never comes."""
        identify = spec.get("identify")
        if not identify:
            return
        deadline = time.monotonic() + float(spec.get("identify_seconds", 2))
        while time.monotonic() < deadline:
            try:
                if self._count(identify):
                    return
            except Exception:  # noqa: BLE001 - a page still loading
                pass
            time.sleep(0.1)
        site = self.profile.get("site") or self.profile.get("name") or "LMS"
        raise LmsError(
            f"{site} 로그인 화면이 아닙니다: {self.base}",
            hint="설정의 url 이 이 사이트 프로필의 LMS 주소인지 확인하세요",
        )

    def _links(self, url: str, spec: dict[str, Any]) -> list[tuple[str, str]]:
        """(id, text) of the item links on a list page, once the list has loaded."""
        self._open(url)
        if spec.get("ready"):
            self._wait(lambda: self._count(spec["ready"]), spec["ready"])
        rx = re.compile(spec["id_from_href"])
        link = spec["link"]

        def matching() -> list[Any]:
            # One script call instead of two WebDriver round trips per element.
            return [p for p in self._driver.execute_script(_JS_LINKS, link) if rx.search(p[0] or "")]

        # The page is fresh, so an item on it means the list has loaded; an empty list is known by
        # its "nothing here" marker (`empty`) once nothing is loading any more (many apps show
        # that marker while the data is still on its way). A page with neither is taken as empty
        # after `wait_seconds`.
        # The marker must hold for `empty_seconds` (a loader may not have shown up yet).
        deadline = time.monotonic() + self.wait_seconds
        hold = float(self.profile.get("empty_seconds", 1.0))
        empty_since: float | None = None
        while time.monotonic() < deadline:
            if matching():
                break
            if self._empty(spec) and not self._loading():
                empty_since = empty_since or time.monotonic()
                if time.monotonic() - empty_since >= hold:
                    break
            else:
                empty_since = None
            time.sleep(0.05)
        self._settle(link)
        out: list[tuple[str, str]] = []
        seen: set[str] = set()
        for href, text in matching():
            m = rx.search(href or "")
            name = _text(text or "")
            if m and name and m.group("id") not in seen:
                seen.add(m.group("id"))
                out.append((m.group("id"), name))
        return out

    def list_classes(self) -> list[Course]:
        spec = self.profile["classes"]
        links = self._links(spec["url"], spec)
        return sorted((Course(id=i, name=n) for i, n in links), key=lambda c: c.name)

    def fetch_classes(self, courses: list[Course]) -> Iterator[tuple[Course, ClassData | SchoolautoError]]:
        """Classes spread over `parallel` browsers (profile or connection option; default 2)."""
        n = max(1, min(int(self.conn.options.get("parallel", self.profile.get("parallel", 2))), len(courses)))
        if n == 1:
            yield from super().fetch_classes(courses)
            return
        workers = [self] + [BrowserDriver(self.conn, self.secret) for _ in range(n - 1)]
        free: queue.Queue[BrowserDriver] = queue.Queue()
        for w in workers:
            free.put(w)

        def one(course: Course) -> ClassData | SchoolautoError:
            w = free.get()
            try:
                if w._driver is None:
                    w.login()
                return w.fetch_class(course)
            except AuthError:
                raise
            except SchoolautoError as exc:
                return exc
            finally:
                free.put(w)

        try:
            with ThreadPoolExecutor(max_workers=n) as pool:
                yield from zip(courses, pool.map(one, courses), strict=True)
        finally:
            for w in workers[1:]:
                w.close()

    def fetch_class(self, course: Course) -> ClassData:
        assignments: list[Assignment] = []
        statuses: dict[tuple[str, str], StudentStatus] = {}
        names: set[str] = set()
        for spec in self.profile["assignments"]:
            if self.conn.kinds and spec["kind"] not in self.conn.kinds:
                continue
            links = self._links(spec["list_url"].format(class_id=course.id), spec)
            for aid, title in reversed(links):  # lists show the newest first
                rows = self._status_page(spec, course, aid, title)
                if rows is None:
                    continue
                due = self._due(spec)
                assigned = []
                for name, status in rows:
                    names.add(name)
                    assigned.append(name)
                    statuses[(aid, name)] = StudentStatus(status)
                assignments.append(
                    Assignment(
                        id=aid,
                        title=title,
                        kind=spec["kind"],
                        due=due,
                        student_ids=tuple(assigned),
                        listed=True,
                    )
                )
        # Pages list whom each piece of work is for, not how it was given; work listing everyone
        # seen in the class is the class's.
        assignments = [
            dataclasses.replace(a, everyone=True) if set(a.student_ids) == names else a for a in assignments
        ]
        students = [Learner(id=n, name=n, username=None) for n in sorted(names)]
        return ClassData(course=course, students=students, assignments=assignments, statuses=statuses)

    def _status_page(
        self, spec: dict[str, Any], course: Course, aid: str, title: str
    ) -> list[tuple[str, Status]] | None:
        """(name, status) per row, or None when the page says the work is not open yet (`skip_if`)."""
        self._open(spec["page_url"].format(class_id=course.id, id=aid))
        self._wait(lambda: self._count(spec["row"]), f"'{title}' 의 학생 목록")
        self._settle(spec["row"])
        if spec.get("page_ready"):
            self._wait(lambda: self._count(spec["page_ready"]), spec["page_ready"])
        if spec.get("skip_if") and self._matches(spec["skip_if"], spec.get("skip_text")):
            return None
        out = []
        for name, text in self._driver.execute_script(_JS_ROWS, spec["row"], spec["name"], spec["status"]):
            if name is None or text is None:
                continue
            out.append((_text(name), self._classify(spec, _text(text), title)))
        return out

    def _classify(self, spec: dict[str, Any], text: str, title: str) -> Status:
        for key, status in (("_submitted", Status.SUBMITTED), ("_started", Status.STARTED)):
            if any(rx.search(text) for rx in spec[key]):
                return status
        if any(rx.search(text) for rx in spec["_not_started"]):
            return Status.NOT_STARTED
        raise LmsError(
            f"'{title}' 의 상태 글자 '{text}' 이(가) 프로필의 어느 규칙에도 맞지 않습니다",
            path=self.profile["_path"],
            hint="프로필의 submitted/started/not_started 목록에 이 글자를 넣으세요",
        )

    def _due(self, spec: dict[str, Any]) -> datetime | None:
        css = spec.get("due")
        if not css:
            return None
        els = self._css(css)
        if not els:
            return None
        try:
            return datetime.strptime(_text(els[0].text), spec.get("due_format", "%Y-%m-%d %H:%M"))
        except ValueError:
            return None
