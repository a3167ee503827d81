"""Safe output: atomic writes that never silently overwrite, and input files kept untouched."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from .errors import OutputExistsError, ReportError

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def check_writable(path: str | Path, *, overwrite: bool = False) -> Path:
    """Fail early, before any work, if `path` exists (and overwrite is off) or its folder is missing."""
    p = Path(path)
    if p.exists() and not overwrite:
        raise OutputExistsError(
            "출력 파일이 이미 있습니다",
            path=p,
            hint="다른 이름을 주거나 --overwrite 를 붙이세요",
        )
    if not p.parent.exists():
        raise OutputExistsError("출력 폴더가 없습니다", path=p, hint=f"{p.parent} 폴더를 먼저 만드세요")
    return p


@contextlib.contextmanager
def atomic_output(path: str | Path, *, overwrite: bool = False, mode: str = "wb") -> Iterator[IO[Any]]:
    """Write to a temporary file beside `path` and move it into place only when the block succeeds.

    A failure leaves nothing behind: no partial report, and an existing file is kept as it was.
    """
    p = check_writable(path, overwrite=overwrite)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".part", dir=p.parent)
    try:
        encoding = None if "b" in mode else "utf-8"
        newline = None if "b" in mode else ""
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if not overwrite and p.exists():
            raise OutputExistsError("출력 파일이 이미 있습니다", path=p, hint="다른 이름을 주세요")
        os.replace(tmp, p)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_bytes_atomic(path: str | Path, data: bytes, *, overwrite: bool = False) -> Path:
    with atomic_output(path, overwrite=overwrite) as fh:
        fh.write(data)
    return Path(path)


def json_text(obj: Any) -> str:
    """The one JSON style of every output (files and `--json -`): UTF-8 Korean kept readable."""
    try:
        return json.dumps(obj, ensure_ascii=False, indent=2)
    except (TypeError, ValueError) as exc:  # pragma: no cover - a programming error
        raise ReportError(f"JSON 으로 바꿀 수 없는 값이 있습니다: {exc}") from exc


def write_json(path: str | Path, obj: Any, *, overwrite: bool = False) -> Path:
    """Write UTF-8 JSON atomically."""
    return write_bytes_atomic(path, (json_text(obj) + "\n").encode("utf-8"), overwrite=overwrite)


def csv_safe(value: Any) -> Any:
    """Neutralise spreadsheet formula injection in CSV: a leading = + - @ gets a quote in front."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_csv(
    path: str | Path,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    overwrite: bool = False,
    encoding: str = "utf-8-sig",
) -> Path:
    """Write a CSV atomically: UTF-8 with BOM by default (Excel on Korean Windows opens it right),
    or `cp949` for older school systems; a character the encoding lacks is a clear error."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else csv_safe(v) for v in row])
    text = buf.getvalue()
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError as exc:
        bad = text[exc.start : exc.end]
        raise ReportError(
            f"'{bad}' 글자는 {encoding} 로 저장할 수 없습니다", path=path, hint="UTF-8 로 저장하세요"
        ) from exc
    return write_bytes_atomic(path, data, overwrite=overwrite)
