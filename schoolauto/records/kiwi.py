"""One Kiwi instance per process, shared by every record-book check that needs Korean morphemes."""

from __future__ import annotations

import threading
from typing import Any

from ..errors import DependencyError

_lock = threading.Lock()
_kiwi: Any = None


def shared_kiwi() -> Any:
    """The process's Kiwi (loaded on first use; the model ships with kiwipiepy, nothing is downloaded)."""
    global _kiwi
    with _lock:
        if _kiwi is None:
            try:
                from kiwipiepy import Kiwi
            except ImportError as exc:  # pragma: no cover - kiwipiepy is a core dependency
                raise DependencyError(
                    "형태소 분석기(kiwipiepy)가 설치되어 있지 않습니다", hint="pip install kiwipiepy"
                ) from exc
            _kiwi = Kiwi()
        return _kiwi
