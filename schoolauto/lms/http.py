"""HTTP with timeouts and retries: connection errors, 429 and 5xx are retried with back-off.

Every `requests` error is turned into `LmsError` here, where it enters.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import requests

from ..errors import LmsError

log = logging.getLogger(__name__)

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 30.0


class HttpClient:
    """A `requests.Session` bound to one base URL, retrying what is worth retrying."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 15.0,
        retries: int = 3,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "schoolauto-lms"

    @classmethod
    def for_connection(cls, conn: Any, base_url: str | None = None) -> HttpClient:
        """A client with a connection's URL, timeout, retries and back-off (`backoff = …` option)."""
        return cls(
            base_url or conn.url,
            timeout=conn.timeout,
            retries=conn.retries,
            backoff=float(conn.options.get("backoff", 0.5)),
        )

    def url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def _delay(self, attempt: int, response: requests.Response | None) -> float:
        if response is not None and response.status_code == 429:
            retry_after = response.headers.get("Retry-After", "")
            try:
                return min(float(retry_after), MAX_RETRY_AFTER)
            except ValueError:
                pass
        return float(self.backoff * (2**attempt))

    def request(self, method: str, path: str, **kw: Any) -> requests.Response:
        """One request; retried on connection errors, timeouts, 429 and 5xx, then `LmsError`."""
        kw.setdefault("timeout", self.timeout)
        url = self.url(path)
        last: str = ""
        for attempt in range(self.retries + 1):
            response: requests.Response | None = None
            try:
                response = self.session.request(method, url, **kw)
            except requests.Timeout:
                last = f"{self.timeout:g}초 안에 응답이 없습니다"
            except requests.ConnectionError:
                last = "연결할 수 없습니다"
            except requests.RequestException as exc:
                raise LmsError(f"LMS 요청이 잘못되었습니다 ({type(exc).__name__})") from exc
            else:
                if response.status_code not in RETRY_STATUS:
                    return response
                last = f"서버가 {response.status_code} 을(를) 돌려주었습니다"
            if attempt < self.retries:
                delay = self._delay(attempt, response)
                log.info(
                    "LMS %s %s: %s; %.1f초 뒤 다시 시도 (%d/%d)",
                    method,
                    path,
                    last,
                    delay,
                    attempt + 1,
                    self.retries,
                )
                self.sleep(delay)
        raise LmsError(
            f"LMS({self.base_url}) {last} ({self.retries + 1}번 시도)",
            hint="주소와 네트워크를 확인하고 잠시 뒤 다시 실행하세요",
        )

    def close(self) -> None:
        self.session.close()
