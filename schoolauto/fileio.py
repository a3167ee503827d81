"""Safe output: atomic writes that never silently overwrite, and input files kept untouched."""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from .errors import OutputExistsError, ReportError, UsageError

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def check_writable(path: str | Path, *, overwrite: bool = False, field: str | None = None) -> Path:
    """Fail early, before any work, if `path` exists (and overwrite is off) or its folder cannot take it.

    The folder is probed by creating and removing a hidden file, so a read-only disk or a folder
    without permission is found before hours of work, not when the report is saved.
    """
    p = Path(path)
    if p.is_dir():
        raise UsageError("출력 경로가 폴더입니다", path=p, hint="파일 이름을 주세요", field=field)
    if p.exists() and not overwrite:
        raise OutputExistsError("출력 파일이 이미 있습니다", path=p, hint="다른 이름을 주세요", field=field)
    folder = p.parent
    if not folder.exists():
        raise UsageError("출력 폴더가 없습니다", path=p, hint=f"{folder} 폴더를 먼저 만드세요", field=field)
    if not folder.is_dir():
        raise UsageError(
            "출력 폴더 자리에 파일이 있습니다", path=p, hint=f"{folder} 는 폴더가 아닙니다", field=field
        )
    try:
        fd, probe = tempfile.mkstemp(prefix=".schoolauto-", suffix=".probe", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise ReportError(
            f"출력 폴더에 쓸 수 없습니다 ({os_reason(exc)})",
            path=p,
            hint="쓸 수 있는 다른 폴더를 주세요",
            field=field,
        ) from exc
    return p


def os_reason(exc: OSError) -> str:
    """A short Korean reason for the common OS errors (never the hidden temp file's name)."""
    reasons = {
        errno.EROFS: "읽기 전용 디스크",
        errno.EACCES: "권한 없음",
        errno.EPERM: "권한 없음",
        errno.ENOSPC: "디스크 공간 부족",
        errno.EDQUOT: "디스크 할당량 초과",
        errno.ENAMETOOLONG: "이름이 너무 김",
        errno.ENOENT: "없는 파일이나 폴더",
        errno.EISDIR: "파일이 아니라 폴더",
        errno.ENOTDIR: "폴더 자리에 파일이 있음",
        errno.EEXIST: "이미 있음",
        errno.EBUSY: "다른 프로그램이 쓰는 중",
        errno.EIO: "입출력 오류",
    }
    return reasons.get(exc.errno or 0, exc.strerror or "알 수 없는 오류")


_UMASK: int | None = None


def _file_mode() -> int:
    """Outputs follow the user's umask like any file the user saves (mkstemp alone would make 0600)."""
    global _UMASK
    if _UMASK is None:
        _UMASK = os.umask(0o022)
        os.umask(_UMASK)
    return 0o666 & ~_UMASK


@contextlib.contextmanager
def atomic_output(path: str | Path, *, overwrite: bool = False, mode: str = "wb") -> Iterator[IO[Any]]:
    """Write to a temporary file beside `path` and move it into place only when the block succeeds.

    A failure leaves nothing behind: no partial report, and an existing file is kept as it was.
    """
    p = check_writable(path, overwrite=overwrite)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".part", dir=p.parent)
    except OSError as exc:
        raise ReportError(f"출력 파일을 쓸 수 없습니다 ({os_reason(exc)})", path=p) from exc
    try:
        encoding = None if "b" in mode else "utf-8"
        newline = None if "b" in mode else ""
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _file_mode())
        if not overwrite and p.exists():
            raise OutputExistsError("출력 파일이 이미 있습니다", path=p, hint="다른 이름을 주세요")
        os.replace(tmp, p)
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise ReportError(f"출력 파일을 쓸 수 없습니다 ({os_reason(exc)})", path=p) from exc
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


def commit_files(files: Sequence[tuple[Path, bytes]], *, overwrite: bool = False) -> list[Path]:
    """Write a set of outputs all or nothing.

    Every file is first written in full to a hidden temporary file beside its destination; only
    when all are written are they moved into place. If a move fails, the files already moved are
    removed again (and a file that was overwritten is put back), so a failed run never leaves half
    a set behind for the retry to trip over.
    """
    for path, _ in files:
        check_writable(path, overwrite=overwrite)
    temps: list[tuple[Path, str]] = []
    moved: list[tuple[Path, str | None]] = []  # (destination, backup of what was there)
    try:
        for path, data in files:
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
            except OSError as exc:
                raise ReportError(f"출력 파일을 쓸 수 없습니다 ({os_reason(exc)})", path=path) from exc
            temps.append((path, tmp))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, _file_mode())
        for path, tmp in temps:
            backup = None
            if path.exists():
                if not overwrite:
                    raise OutputExistsError("출력 파일이 이미 있습니다", path=path, hint="다른 이름을 주세요")
                backup = tmp + ".old"
                try:
                    os.link(path, backup)
                except OSError:  # a disk without hard links (FAT USB sticks)
                    shutil.copy2(path, backup)
            os.replace(tmp, path)
            moved.append((path, backup))
    except BaseException as exc:
        for path, backup in reversed(moved):
            with contextlib.suppress(OSError):
                if backup:
                    os.replace(backup, path)
                else:
                    os.unlink(path)
        for _, tmp in temps:
            for leftover in (tmp, tmp + ".old"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(leftover)
        if isinstance(exc, OSError):
            raise ReportError(f"출력 파일을 쓸 수 없습니다 ({os_reason(exc)})") from exc
        raise
    for _, backup in moved:
        if backup:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(backup)
    return [path for path, _ in files]


def csv_bytes(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    encoding: str = "utf-8-sig",
    path: str | Path | None = None,
) -> bytes:
    """CSV as bytes: UTF-8 with BOM by default (Excel on Korean Windows opens it right), or `cp949`
    for older school systems; a character the encoding lacks is a clear error."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else csv_safe(v) for v in row])
    text = buf.getvalue()
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as exc:
        bad = text[exc.start : exc.end]
        raise ReportError(
            f"'{bad}' 글자는 {encoding} 로 저장할 수 없습니다",
            path=path,
            hint="UTF-8 로 저장하세요",
            field="csv_encoding",
        ) from exc


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
    """Write a CSV atomically (see `csv_bytes` for the encoding)."""
    data = csv_bytes(header, rows, encoding=encoding, path=path)
    return write_bytes_atomic(path, data, overwrite=overwrite)
