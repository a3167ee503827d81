"""LMS connections: from `schoolauto.toml` plus what the caller overrides, checked field by field.

```toml
[lms."우리학교"]
driver = "kolibri"
url = "http://127.0.0.1:8080"
username = "coach"
password_env = "SCHOOLAUTO_LMS_PASSWORD"
classes = ["2학년 1반", "2학년 2반"]
```
Passwords never come from the file or argv: `password_env` names an environment variable, else the
OS keyring entry (service "schoolauto-lms", user "<name>:<username>") is used. Every error names the
setting at fault (`field`), never how an interface spells it.
"""

from __future__ import annotations

import difflib
import logging
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..config import read_config
from ..errors import ConfigError, PasswordError, PasswordNeededError, SchoolautoError, UsageError
from ..secrets import get_secret
from .base import Connection, driver_class, driver_names

log = logging.getLogger(__name__)

DEFAULT_PASSWORD_ENV = "SCHOOLAUTO_LMS_PASSWORD"
KEYRING_SERVICE = "schoolauto-lms"
CONFIG_ENV = "SCHOOLAUTO_CONFIG"
DEFAULT_CONFIG = "schoolauto.toml"
VIAS = ("api", "browser")
SETTINGS = (
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
)
# Options every driver understands (the rest are declared by each driver's `option_keys`).
COMMON_OPTIONS = ("roster", "backoff", "parallel", "wait_seconds", "include_not_due")
SECRET_KEYS = ("password", "token", "secret", "client_secret")


SETTING_KO = {"url": "주소는", "timeout": "제한 시간은", "retries": "재시도 횟수는", "via": "읽는 방식은"}


def _name(key: str, path: Path | None) -> str:
    """A setting as the subject of a message: `설정 url 은(는)` in a file, '주소는' when given directly."""
    return f"설정 {key} 은(는)" if path else SETTING_KO.get(key, f"{key} 은(는)")


@dataclass
class ConnectionRequest:
    """Which LMS to read: a `[lms.<name>]` entry of a settings file, and/or settings given directly.

    Field names are the settings' names (`url`, `timeout`, ...); a value given here wins over the file.
    """

    config: str | Path | None = None  # settings file; default $SCHOOLAUTO_CONFIG or ./schoolauto.toml
    lms: str | None = None  # the [lms.<name>] entry
    driver: str | None = None
    url: str | None = None
    username: str | None = None
    via: str | None = None
    profile: str | None = None
    classes: tuple[str, ...] | list[str] | None = None
    kinds: tuple[str, ...] | list[str] | None = None
    timeout: float | str | None = None
    retries: int | str | None = None


def find_config(path: str | Path | None) -> Path | None:
    """An explicit file (must exist), else $SCHOOLAUTO_CONFIG, else ./schoolauto.toml if present."""
    if path:
        p = Path(path)
        if not p.exists():
            raise ConfigError("설정 파일이 없습니다", path=p, field="config")
        return p
    env = os.environ.get(CONFIG_ENV)
    if env:
        p = Path(env)
        if not p.exists():
            raise ConfigError(f"{CONFIG_ENV} 가 가리키는 설정 파일이 없습니다", path=p, field="config")
        return p
    p = Path(DEFAULT_CONFIG)
    return p if p.exists() else None


def load_config(path: Path | None) -> dict[str, Any]:
    """The settings file as a dict ({} without one); see `schoolauto.config.read_config`."""
    return read_config(path) if path is not None else {}


def _tuple(value: Any, key: str, path: Path | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"설정 {key} 은(는) 글자 목록이어야 합니다", path=path, field=key)


def check_url(url: Any, path: Path | None = None) -> str:
    """An http(s) address with a host, or a usage error naming the setting `url`."""
    text = str(url or "").strip()
    try:
        parts = urlsplit(text)
        port = parts.port  # raises on a junk port
    except ValueError:
        parts, port = None, None
    del port
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        err_cls = ConfigError if path else UsageError
        if parts is not None and parts.scheme not in ("http", "https") and "://" not in text:
            msg = f"{_name('url', path)} http:// 나 https:// 로 시작해야 합니다 (받은 값: {text[:80]})"
        else:
            msg = f"{'설정 url 이(가)' if path else '주소가'} 인터넷 주소가 아닙니다 (받은 값: {text[:80]})"
        raise err_cls(msg, path=path, hint="예: http://127.0.0.1:8080", field="url")
    return text.rstrip("/")


def _number(value: Any, key: str, path: Path | None, *, kind: type, minimum: float, strict: bool) -> Any:
    err_cls = ConfigError if path else UsageError
    try:
        if isinstance(value, bool):
            raise ValueError
        number = kind(value)
        if kind is int and isinstance(value, float) and value != int(value):
            raise ValueError
    except (TypeError, ValueError):
        what = "정수" if kind is int else "숫자"
        raise err_cls(
            f"{_name(key, path)} {what}여야 합니다 (받은 값: {value!r})", path=path, field=key
        ) from None
    if kind is float and not math.isfinite(number):
        raise err_cls(f"{_name(key, path)} 유한한 숫자여야 합니다 (받은 값: {value})", path=path, field=key)
    if number < minimum or (strict and number == minimum):
        bound = f"{minimum:g}보다 커야" if strict else f"{minimum:g} 이상이어야"
        raise err_cls(f"{_name(key, path)} {bound} 합니다 (받은 값: {value})", path=path, field=key)
    return number


def check_driver(name: str, path: Path | None = None) -> str:
    if name not in driver_names():
        err_cls = ConfigError if path else UsageError
        known = ", ".join(driver_names())
        raise err_cls(
            f"알 수 없는 LMS 드라이버 '{name}' 입니다 (가능한 값: {known})", path=path, field="driver"
        )
    return name


def check_via(via: str, path: Path | None = None) -> str:
    if via not in VIAS:
        err_cls = ConfigError if path else UsageError
        raise err_cls(
            f"{_name('via', path)} api 나 browser 여야 합니다 (받은 값: {via})", path=path, field="via"
        )
    return via


def check_connection(conn: Connection, path: Path | None = None) -> Connection:
    """Every setting of `conn` checked; the first wrong one is a usage error naming it."""
    check_driver(conn.driver, path)
    check_via(conn.via, path)
    conn.url = check_url(conn.url, path)
    conn.timeout = float(_number(conn.timeout, "timeout", path, kind=float, minimum=0, strict=True))
    conn.retries = int(_number(conn.retries, "retries", path, kind=int, minimum=0, strict=False))
    return conn


def known_keys(driver: str) -> list[str]:
    """The settings and options an `[lms.*]` entry for `driver` may have."""
    try:
        extra = tuple(getattr(driver_class(driver), "option_keys", ()))
    except SchoolautoError:
        extra = ()
    return sorted({*SETTINGS, *COMMON_OPTIONS, *extra})


def connection_from_config(cfg: dict[str, Any], name: str, path: Path | None = None) -> Connection:
    """The `[lms.<name>]` entry as a Connection (not yet checked: see `check_connection`)."""
    table = cfg.get("lms", {})
    if not isinstance(table, dict) or name not in table:
        known = ", ".join(sorted(table)) if isinstance(table, dict) and table else "없음"
        raise ConfigError(
            f'설정에 [lms."{name}"] 이(가) 없습니다 (있는 LMS: {known})', path=path, field="lms"
        )
    entry = table[name]
    if not isinstance(entry, dict):
        raise ConfigError(f'[lms."{name}"] 은(는) 표여야 합니다', path=path, field="lms")
    for key in ("driver", "url"):
        if not entry.get(key):
            raise ConfigError(f'[lms."{name}"] 에 {key} 가 필요합니다', path=path, field=key)
    for key in SECRET_KEYS:
        if key in entry:
            raise ConfigError(
                f'[lms."{name}"] 에 비밀번호를 적지 마세요 ({key})',
                path=path,
                hint="password_env 에 환경변수 이름을 적거나 OS 키링에 저장하세요",
                field="password",
            )
    allowed = known_keys(str(entry["driver"]))
    for key in entry:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            guess = f" ({close[0]} 의 오타인가요?)" if close else ""
            log.warning(
                '설정 [lms."%s"] 의 키 %s 을(를) 모릅니다%s. 알려진 키: %s',
                name,
                key,
                guess,
                ", ".join(allowed),
            )
    base = os.path.dirname(os.path.abspath(path)) if path else os.getcwd()
    options = {k: v for k, v in entry.items() if k not in SETTINGS}
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
        timeout=entry.get("timeout", 15),
        retries=entry.get("retries", 3),
        options=options,
    )


def resolve_connection(req: ConnectionRequest) -> tuple[Connection, dict[str, Any], Path | None]:
    """The checked Connection for a request, the settings file's contents and its path."""
    path = find_config(req.config)
    cfg = load_config(path)
    if req.lms:
        if path is None:
            raise UsageError(
                f"LMS 이름을 쓰려면 설정 파일이 필요합니다 (기본: ./{DEFAULT_CONFIG})", field="config"
            )
        conn = connection_from_config(cfg, req.lms, path)
    else:
        if not req.driver:
            raise UsageError("LMS 이름, 또는 드라이버와 주소가 필요합니다", field="lms")
        if not req.url:
            raise UsageError("드라이버와 함께 LMS 주소가 필요합니다", field="url")
        conn = Connection(name=req.driver, driver=req.driver, url=req.url, username=req.username)
    from_file = path if req.lms else None
    for key in ("driver", "url", "username", "via", "profile"):
        value = getattr(req, key)
        if value is not None:
            setattr(conn, key, value)
    if req.classes:
        conn.classes = tuple(req.classes)
    if req.kinds:
        conn.kinds = tuple(req.kinds)
    # A value given directly is checked as such (UsageError); one from the file names the file.
    if req.url is not None:
        check_url(req.url)
    if req.driver is not None:
        check_driver(req.driver)
    if req.via is not None:
        check_via(req.via)
    if req.timeout is not None:
        conn.timeout = _number(req.timeout, "timeout", None, kind=float, minimum=0, strict=True)
    if req.retries is not None:
        conn.retries = _number(req.retries, "retries", None, kind=int, minimum=0, strict=False)
    check_connection(conn, from_file)
    return conn, cfg, path


def lms_secret(conn: Connection, *, interactive: bool | None = None) -> str:
    """The LMS password or token: env var, then keyring, then (only at a terminal) a hidden prompt."""
    env = conn.password_env or DEFAULT_PASSWORD_ENV
    user = f"{conn.name}:{conn.username or ''}"
    try:
        secret = get_secret(
            env,
            keyring_service=KEYRING_SERVICE,
            keyring_user=user,
            prompt=f"{conn.name} ({conn.username}) 비밀번호: ",
            interactive=interactive,
            required=False,
        )
    except (EOFError, OSError):
        secret = None
    service = driver_class(conn.driver).signs_in
    if not secret and service:
        raise PasswordNeededError(
            f"{conn.name}: {service} 로그인 정보가 키링에 없습니다",
            hint="교사 로그인이나 학교 서비스 계정 키를 먼저 키링에 저장하세요",
            field="signin",
        )
    if not secret:
        raise PasswordError(
            f"{conn.name} 비밀번호가 필요합니다: 터미널이 없으면(예약 실행) 환경변수 {env} 에 넣거나 "
            f"OS 키링(서비스 {KEYRING_SERVICE}, 사용자 {user})에 저장하세요",
            field="password",
        )
    return secret


def store_secret(conn: Connection, secret: str) -> str:
    """Keep an LMS password in the OS keyring entry `lms_secret` reads; returns the keyring user."""
    user = f"{conn.name}:{conn.username or ''}"
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, user, secret)
    except Exception as exc:  # noqa: BLE001 - every keyring backend fails its own way
        raise ConfigError(
            f"OS 키링에 비밀번호를 저장하지 못했습니다 ({type(exc).__name__})",
            hint="환경변수에 넣어 쓰세요",
            field="password",
        ) from None
    return user


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
