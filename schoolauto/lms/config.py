"""LMS connections from `schoolauto.toml` (or ad-hoc flags), and their passwords from env or keyring.

```toml
[lms.우리학교]
driver = "kolibri"
url = "http://127.0.0.1:8080"
username = "coach"
password_env = "SCHOOLAUTO_LMS_PASSWORD"
classes = ["2학년 1반", "2학년 2반"]
```
Passwords never come from the file or argv: `password_env` names an environment variable, else the
OS keyring entry (service "schoolauto-lms", user "<name>:<username>") is used.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..secrets import get_secret
from .base import Connection

DEFAULT_PASSWORD_ENV = "SCHOOLAUTO_LMS_PASSWORD"
KEYRING_SERVICE = "schoolauto-lms"
_KNOWN = {
    "driver",
    "url",
    "username",
    "password_env",
    "classes",
    "via",
    "profile",
    "kinds",
    "timeout",
    "retries",
}


def find_config(path: str | Path | None) -> Path | None:
    """An explicit --config (must exist), else $SCHOOLAUTO_CONFIG, else ./schoolauto.toml if present."""
    if path:
        p = Path(path)
        if not p.exists():
            raise ConfigError("설정 파일이 없습니다", path=p, hint="--config 경로를 확인하세요")
        return p
    env = os.environ.get("SCHOOLAUTO_CONFIG")
    if env:
        p = Path(env)
        if not p.exists():
            raise ConfigError("SCHOOLAUTO_CONFIG 가 가리키는 설정 파일이 없습니다", path=p)
        return p
    p = Path("schoolauto.toml")
    return p if p.exists() else None


def load_config(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"설정 파일을 읽을 수 없습니다: {exc}", path=path) from exc
    except OSError as exc:
        raise ConfigError(f"설정 파일을 열 수 없습니다 ({exc.strerror})", path=path) from exc


def _tuple(value: Any, key: str, path: Path | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"'{key}' 은(는) 문자열 목록이어야 합니다", path=path)


def connection_from_config(cfg: dict[str, Any], name: str, path: Path | None = None) -> Connection:
    table = cfg.get("lms", {})
    if not isinstance(table, dict) or name not in table:
        known = ", ".join(sorted(table)) if isinstance(table, dict) and table else "없음"
        raise ConfigError(f"설정에 [lms.{name}] 이(가) 없습니다 (있는 LMS: {known})", path=path)
    entry = table[name]
    if not isinstance(entry, dict):
        raise ConfigError(f"[lms.{name}] 은(는) 표여야 합니다", path=path)
    for key in ("driver", "url"):
        if not entry.get(key):
            raise ConfigError(f"[lms.{name}] 에 '{key}' 가 필요합니다", path=path)
    if "password" in entry or "token" in entry:
        raise ConfigError(
            f"[lms.{name}] 에 비밀번호를 적지 마세요",
            path=path,
            hint="password_env 에 환경변수 이름을 적거나 OS 키링에 저장하세요",
        )
    base = os.path.dirname(os.path.abspath(path)) if path else os.getcwd()
    options = {k: v for k, v in entry.items() if k not in _KNOWN}
    if isinstance(options.get("roster"), str):
        options["roster"] = os.path.join(base, options["roster"])
    return Connection(
        name=name,
        driver=str(entry["driver"]),
        url=str(entry["url"]),
        username=entry.get("username"),
        password_env=entry.get("password_env"),
        classes=_tuple(entry.get("classes"), "classes", path),
        via=str(entry.get("via", "api")),
        profile=entry.get("profile"),
        kinds=_tuple(entry.get("kinds"), "kinds", path),
        timeout=float(entry.get("timeout", 15)),
        retries=int(entry.get("retries", 3)),
        options=options,
    )


def lms_secret(conn: Connection, *, interactive: bool | None = None) -> str | None:
    """The LMS password or token: env var, then keyring, then (only at a terminal) a hidden prompt."""
    return get_secret(
        conn.password_env or DEFAULT_PASSWORD_ENV,
        keyring_service=KEYRING_SERVICE,
        keyring_user=f"{conn.name}:{conn.username or ''}",
        prompt=f"{conn.name} ({conn.username}) 비밀번호: ",
        interactive=interactive,
        required=True,
    )


def state_dir() -> Path:
    """Where run state (reminder log, lock) lives: $SCHOOLAUTO_STATE_DIR or the user's state folder."""
    env = os.environ.get("SCHOOLAUTO_STATE_DIR")
    if env:
        p = Path(env)
    elif os.name == "nt":
        p = Path(os.environ.get("LOCALAPPDATA", Path.home())) / "schoolauto"
    else:
        p = Path(os.environ.get("XDG_STATE_HOME", Path.home() / ".local" / "state")) / "schoolauto"
    p.mkdir(parents=True, exist_ok=True)
    return p
