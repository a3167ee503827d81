"""One Kiwi per process, and the compact form of a tokenised text every check reads."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from ...errors import DependencyError

_lock = threading.Lock()
_kiwi: Any = None


def shared_kiwi() -> Any:
    """The process's Kiwi instance (loaded once; the model ships with kiwipiepy, nothing is downloaded)."""
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


@dataclass(frozen=True, slots=True)
class Tok:
    """A morpheme: its form (casefolded), tag, and character span in the text."""

    form: str
    tag: str
    start: int
    end: int


def sentences(kiwi_sents: list[list[Any]]) -> list[list[Tok]]:
    """Kiwi's tokens of one text split into sentences, as `Tok`s."""
    return [[Tok(t.form.casefold(), t.tag, t.start, t.start + t.len) for t in sent] for sent in kiwi_sents]
