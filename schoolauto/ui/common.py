"""What every page shares: the session's temporary folder, sign-in, uploads, errors, downloads.

Personal data stays in the session: uploads are written to a per-session temporary folder that is
removed when the session ends (its state is dropped) or after `IDLE_SECONDS` without use, and the
whole tree when the server stops. Nothing here logs names, ids or file contents.
"""

from __future__ import annotations

import atexit
import contextlib
import hmac
import os
import shutil
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import streamlit as st

from ..errors import SchoolautoError, UsageError
from .settings import (  # noqa: F401 - re-exported for the pages
    DEFAULT_UPLOAD_MB,
    IDLE_ENV,
    LOCKOUT_SECONDS,
    MAX_FAILURES,
    PASSWORD_ENV,
    SHARED_ENV,
    TABLE_TYPES,
    UPLOAD_LIMIT_ENV,
    idle_seconds,
    is_loopback,
    local_mode,
    upload_limit_mb,
)

# ----- per-session temporary folders ------------------------------------------------------------
_lock = threading.Lock()
_root: Path | None = None
_touched: dict[str, float] = {}  # session folder -> last use (monotonic)
_sweeper: threading.Thread | None = None


def _root_dir() -> Path:
    global _root, _sweeper
    with _lock:
        if _root is None or not _root.exists():
            _root = Path(tempfile.mkdtemp(prefix="schoolauto-ui-"))
            atexit.register(shutil.rmtree, _root, True)
        if _sweeper is None:
            _sweeper = threading.Thread(target=_sweep_forever, name="schoolauto-ui-sweep", daemon=True)
            _sweeper.start()
        return _root


_owner: dict[str, str] = {}  # session folder -> Streamlit session id
_gone_since: dict[str, float] = {}  # session folder -> when its session was first seen gone
SWEEP_SECONDS = 5.0


def ended_grace_seconds() -> float:
    """How long a disconnected session may come back (Streamlit keeps it about two minutes)."""
    try:
        return max(0.0, float(os.environ.get("SCHOOLAUTO_UI_ENDED_GRACE_SECONDS", "150")))
    except ValueError:
        return 150.0


def _active_sessions() -> set[str] | None:
    """Ids of the sessions the running server has open; None when there is no server (tests)."""
    try:
        from streamlit.runtime import Runtime

        if not Runtime.exists():
            return None
        manager = Runtime.instance()._session_mgr
        return {info.session.id for info in manager.list_active_sessions()}
    except Exception:  # noqa: BLE001 - an internal API: without it, the idle timeout still applies
        return None


def sweep(now: float | None = None, active: set[str] | None = None) -> list[str]:
    """Remove the folders of sessions that ended (gone for longer than the reconnect grace) or were
    idle for longer than the idle timeout; returns what was removed."""
    now = time.monotonic() if now is None else now
    active = _active_sessions() if active is None else active
    limit, grace = idle_seconds(), ended_grace_seconds()
    with _lock:
        stale = []
        for p, t in _touched.items():
            owner = _owner.get(p)
            if active is not None and owner is not None and owner not in active:
                since = _gone_since.setdefault(p, now)
                if now - since >= grace:
                    stale.append(p)
                    continue
            else:
                _gone_since.pop(p, None)
            if now - t > limit:
                stale.append(p)
        for p in stale:
            _touched.pop(p, None)
            _owner.pop(p, None)
            _gone_since.pop(p, None)
    for p in stale:
        shutil.rmtree(p, ignore_errors=True)
    return stale


def _sweep_forever() -> None:
    while True:
        time.sleep(SWEEP_SECONDS)
        with contextlib.suppress(Exception):
            sweep()


class SessionFolder:
    """Owns one session's folder; the folder goes when this object does (session state dropped)."""

    def __init__(self, session_id: str | None = None) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="s-", dir=_root_dir()))
        self._finalizer = weakref.finalize(self, _forget, str(self.path))
        if session_id:
            with _lock:
                _owner[str(self.path)] = session_id
        self.touch()

    def touch(self) -> None:
        with _lock:
            _touched[str(self.path)] = time.monotonic()

    def alive(self) -> bool:
        with _lock:
            return str(self.path) in _touched and self.path.exists()

    def remove(self) -> None:
        self._finalizer()


def _forget(path: str) -> None:
    with _lock:
        _touched.pop(path, None)
        _owner.pop(path, None)
        _gone_since.pop(path, None)
    shutil.rmtree(path, ignore_errors=True)


def _session_id() -> str | None:
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        return None if ctx is None else str(ctx.session_id)
    except Exception:  # noqa: BLE001
        return None


def session_dir() -> Path:
    """This session's private temporary folder (made again, empty, if the idle timeout removed it)."""
    holder = st.session_state.get("_sa_folder")
    if not isinstance(holder, SessionFolder) or not holder.alive():
        if isinstance(holder, SessionFolder):
            # Timed out: what was made from the old uploads goes with them.
            for key in [k for k in st.session_state if str(k).startswith("result_")]:
                del st.session_state[key]
        holder = SessionFolder(_session_id())
        st.session_state["_sa_folder"] = holder
    holder.touch()
    return holder.path


def save_uploads(files: Iterable[Any], sub: str) -> list[Path]:
    """Write uploaded files into a fresh sub-folder of the session folder; returns their paths."""
    folder = session_dir() / sub
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    limit = upload_limit_mb() * 1024 * 1024
    out: list[Path] = []
    for f in files:
        data = f.getvalue()
        if len(data) > limit:
            raise UsageError(
                f"올린 파일이 너무 큽니다: 파일 하나에 {upload_limit_mb()}MB 까지 올릴 수 있습니다",
                field="inputs",
            )
        name = Path(str(f.name)).name or "upload"
        target = folder / name
        n = 1
        while target.exists():
            n += 1
            target = folder / f"{Path(name).stem} ({n}){Path(name).suffix}"
        target.write_bytes(data)
        out.append(target)
    return out


def table_inputs(label: str, key: str, sub: str, placeholder: str = "") -> Callable[[], list[str | Path]]:
    """The uploader for tables (and, when local, a folder box); returns what gives the paths to read.

    Widget keys are `<key>_files` and `<key>_folder`; uploads go to the session folder's `sub`.
    Call the returned function inside the job: uploads win over the folder.
    """
    files = st.file_uploader(
        f"{label} (xlsx, xls, csv; 여러 개 가능)",
        type=TABLE_TYPES,
        accept_multiple_files=True,
        key=f"{key}_files",
        help=upload_help(),
    )
    folder = ""
    if local_mode():
        folder = st.text_input(
            "또는 이 컴퓨터의 폴더 (파일을 올리지 않을 때)", key=f"{key}_folder", placeholder=placeholder
        )

    def paths() -> list[str | Path]:
        saved: list[str | Path] = list(save_uploads(files or [], sub))
        return saved or ([folder.strip()] if folder.strip() else [])

    return paths


def upload_help() -> str:
    return f"파일 하나에 {upload_limit_mb()}MB 까지 올릴 수 있습니다. 올린 파일은 이 창을 닫으면 지워집니다."


_warmed = False


def warm_up() -> None:
    """Import the library's heavier parts in the background once per server, so the first job a
    teacher runs does not wait for them (the CLI pays this on every run)."""
    global _warmed
    with _lock:
        if _warmed:
            return
        _warmed = True

    def work() -> None:
        with contextlib.suppress(Exception):
            from . import jobs

            jobs.warm_up()

    threading.Thread(target=work, name="schoolauto-ui-warm", daemon=True).start()


# ----- errors -----------------------------------------------------------------------------------


def error_text(exc: SchoolautoError, labels: dict[str, str] | None = None) -> str:
    """The CLI's Korean line for `exc`, with the field named by this page's widget label."""
    from ..cli import error_message

    text = error_message(exc)
    root = str(_root) if _root is not None else None
    if root:
        # Uploaded files live in the session folder: show just their names.
        import re

        text = re.sub(re.escape(root) + r"[/\\]s-[^/\\]+[/\\](?:[^/\\\s]+[/\\])?", "", text)
    label = (labels or {}).get(exc.field or "")
    if label and not exc.path:
        text = f"{label}: {text}"
    return text


def show_error(exc: SchoolautoError, labels: dict[str, str] | None = None) -> None:
    st.error(f"오류: {error_text(exc, labels)}")


def run_job(fn: Callable[[], Any], labels: dict[str, str] | None = None) -> Any:
    """Call a job; a library error becomes the Korean line on the page (None is returned)."""
    try:
        return fn()
    except SchoolautoError as exc:
        show_error(exc, labels)
    except Exception as exc:  # noqa: BLE001 - the page must stay usable, never show a traceback
        st.error(f"오류: 예상하지 못한 문제가 생겼습니다 ({type(exc).__name__})")
    return None


# ----- downloads --------------------------------------------------------------------------------
_MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "json": "application/json",
    "zip": "application/zip",
}
_LABEL = {"xlsx": "엑셀 보고서 받기", "csv": "CSV 받기", "json": "JSON 받기", "zip": "ZIP 받기"}


def download_buttons(makers: dict[str, Callable[[], bytes]], stem: str, key: str) -> None:
    cols = st.columns(len(makers))
    for col, (ext, make) in zip(cols, makers.items(), strict=True):
        with col:
            st.download_button(
                _LABEL.get(ext, ext),
                data=make,
                file_name=f"{stem}.{ext}",
                mime=_MIME.get(ext, "application/octet-stream"),
                key=f"{key}_{ext}",
                on_click="ignore",
            )


# ----- sign-in ----------------------------------------------------------------------------------
_failures: dict[str, tuple[int, float]] = {}  # client -> (failures in a row, locked until)


def _client() -> str:
    try:
        return str(st.context.ip_address or "-")
    except Exception:  # noqa: BLE001 - older Streamlit or a test run: one shared counter
        return "-"


def check_password(given: str, client: str, now: float | None = None) -> str | None:
    """None when `given` is right; else the Korean reason. Locks a client out after repeated failures."""
    expected = os.environ.get(PASSWORD_ENV, "")
    now = time.monotonic() if now is None else now
    with _lock:
        count, until = _failures.get(client, (0, 0.0))
        if until > now:
            minutes = max(1, round((until - now) / 60))
            return f"로그인을 너무 여러 번 잘못 시도했습니다. {minutes}분 뒤에 다시 시도하세요."
        if expected and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
            _failures.pop(client, None)
            return None
        count += 1
        if count >= MAX_FAILURES:
            _failures[client] = (0, now + LOCKOUT_SECONDS)
            return f"로그인을 너무 여러 번 잘못 시도했습니다. {LOCKOUT_SECONDS // 60}분 뒤에 다시 시도하세요."
        _failures[client] = (count, 0.0)
        return f"비밀번호가 맞지 않습니다 (남은 시도 {MAX_FAILURES - count}번)"


def signed_in() -> bool:
    """Without a page password everyone is in; with one, this session must have signed in."""
    if not os.environ.get(PASSWORD_ENV):
        return True
    if st.session_state.get("_sa_signed_in"):
        return True
    st.title("schoolauto")
    st.write("이 페이지는 비밀번호로 보호되어 있습니다.")
    with st.form("sign_in"):
        given = st.text_input("비밀번호", type="password", key="sign_in_password")
        ok = st.form_submit_button("로그인")
    if ok:
        reason = check_password(given or "", _client())
        if reason is None:
            st.session_state["_sa_signed_in"] = True
            st.rerun()
        st.error(reason)
    return False


def multiselect_filter(label: str, options: Sequence[str], key: str) -> list[str]:
    return list(st.multiselect(label, sorted({o for o in options if o}), key=key, placeholder="모두"))
