"""A lock file so that two scheduled runs never overlap (fcntl on POSIX, msvcrt on Windows)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ..errors import LockedError


def _try_lock(fh: IO[str]) -> bool:
    try:
        if os.name == "nt":
            import msvcrt

            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@contextlib.contextmanager
def run_lock(path: str | Path) -> Iterator[Path]:
    """Hold `path` locked for the block; if another run holds it, raise `LockedError` at once."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fh = open(p, "a+", encoding="utf-8")
    try:
        fh.seek(0)  # msvcrt locks from the current position
        if not _try_lock(fh):
            raise LockedError(
                "다른 schoolauto lms 실행이 아직 끝나지 않았습니다",
                path=p,
                hint="앞의 실행이 끝난 뒤 다시 실행하세요",
            )
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        yield p
    finally:
        fh.close()
