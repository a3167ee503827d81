"""Google sign-in for the Classroom driver: a teacher's OAuth consent, or a school's service account.

Whatever credential a connection uses is kept in the OS keyring, in the very entry every LMS
secret is read from (service `schoolauto-lms`, user `<lms name>:<username>`), never in a plain file:

- **teacher** (installed-app OAuth flow): `sign_in_teacher` opens Google's consent page in the
  browser (client-secrets file from the connection's `client_secrets` setting) and stores the
  resulting *authorized user* JSON (refresh token included); google-auth refreshes the access
  token from it on every run.
- **school admin** (service account with domain-wide delegation): `store_service_account` copies
  the downloaded key into the keyring (the file can then be deleted); each run acts as the teacher
  named by the connection's `subject` setting (else its `username`).
- a bare OAuth **access token** (from the environment, e.g. for a quick test) is used as it is.

`credentials_from_secret` turns the stored value back into google-auth credentials.
"""

from __future__ import annotations

import json
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import AuthError, ConfigError, DependencyError
from ..fileio import os_reason
from .base import Connection
from .config import ConnectionRequest

INSTALL = "pip install 'schoolauto[classroom]'"
SCOPES = (
    "https://www.googleapis.com/auth/classroom.courses.readonly",
    "https://www.googleapis.com/auth/classroom.rosters.readonly",
    "https://www.googleapis.com/auth/classroom.profile.emails",
    "https://www.googleapis.com/auth/classroom.coursework.students.readonly",
)
KEYRING_SERVICE = "schoolauto-lms"  # the same entry `lms.config.lms_secret` reads


def require_google() -> None:
    """DependencyError with the install line when the Google client libraries are missing."""
    try:
        import google.auth  # noqa: F401
        import google_auth_httplib2  # noqa: F401
        import googleapiclient  # noqa: F401
    except ImportError:
        raise DependencyError(
            f"Google Classroom 을 쓰려면 구글 클라이언트 라이브러리가 필요합니다: {INSTALL}"
        ) from None


def keyring_user(conn: Connection) -> str:
    return f"{conn.name}:{conn.username or ''}"


def subject_of(conn: Connection) -> str | None:
    """The teacher a service account acts for (domain-wide delegation)."""
    value = conn.options.get("subject") or conn.username
    return str(value) if value else None


def credentials_from_secret(conn: Connection, secret: str | None) -> Any:
    """google-auth credentials from the stored secret: authorized-user JSON, service-account JSON,
    or a bare access token."""
    require_google()
    from google.oauth2 import credentials as user_credentials
    from google.oauth2 import service_account

    if not secret:
        raise AuthError(
            f"'{conn.name}' 의 Google 로그인 정보가 없습니다",
            hint="교사 계정으로 로그인하거나(OAuth) 서비스 계정 키를 키링에 저장하세요",
        )
    text = secret.strip()
    if not text.startswith("{"):
        return user_credentials.Credentials(token=text)
    try:
        info = json.loads(text)
    except ValueError:
        raise AuthError(f"'{conn.name}' 의 Google 로그인 정보가 JSON 이 아닙니다") from None
    kind = info.get("type") if isinstance(info, dict) else None
    try:
        if kind == "service_account":
            subject = subject_of(conn)
            if not subject:
                raise ConfigError(
                    f"[lms.{conn.name}] 서비스 계정으로 읽을 교사 주소(subject)가 필요합니다",
                    hint='subject = "teacher@school.example" 를 적으세요',
                    field="subject",
                )
            return service_account.Credentials.from_service_account_info(
                info, scopes=list(SCOPES), subject=subject
            )
        if kind == "authorized_user":
            return user_credentials.Credentials.from_authorized_user_info(info, list(SCOPES))
    except ValueError as exc:
        raise AuthError(f"'{conn.name}' 의 Google 로그인 정보가 완전하지 않습니다 ({exc})") from None
    raise AuthError(
        f"'{conn.name}' 의 Google 로그인 정보 종류를 알 수 없습니다 ({kind})",
        hint="authorized_user 나 service_account JSON 이어야 합니다",
    )


def _store(conn: Connection, value: str) -> None:
    try:
        import keyring
        from keyring.errors import KeyringError

        keyring.set_password(KEYRING_SERVICE, keyring_user(conn), value)
    except (ImportError, KeyringError, RuntimeError) as exc:
        raise AuthError(
            f"OS 키링에 Google 로그인 정보를 저장하지 못했습니다 ({type(exc).__name__})",
            hint="키링(Windows 자격 증명 관리자, macOS 키체인, Secret Service)을 쓸 수 있는지 확인하세요",
        ) from None


def client_secrets_path(conn: Connection, config_dir: Path | None = None) -> Path:
    value = conn.options.get("client_secrets")
    if not value:
        raise ConfigError(
            f"[lms.{conn.name}] 에 OAuth 클라이언트 파일(client_secrets)이 필요합니다",
            hint="Google Cloud 콘솔에서 '데스크톱 앱' OAuth 클라이언트 JSON 을 받아 그 경로를 적으세요",
            field="client_secrets",
        )
    path = Path(str(value))
    if not path.is_absolute() and config_dir is not None:
        path = config_dir / path
    if not path.exists():
        raise ConfigError("OAuth 클라이언트 파일이 없습니다", path=path, field="client_secrets")
    return path


_SHOW_URL = "schoolauto-show-url"


class _ShowUrl(webbrowser.BaseBrowser):
    """A `webbrowser` controller that hands the address on instead of opening a browser."""

    def __init__(self, show: Callable[[str], None]) -> None:
        super().__init__(_SHOW_URL)
        self.show = show

    def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
        self.show(url)
        return True


def sign_in_teacher(
    conn: Connection,
    *,
    config_dir: Path | None = None,
    open_browser: bool = True,
    browser: str | None = None,
    show_url: Callable[[str], None] | None = None,
    port: int = 0,
    timeout: float | None = 300,
) -> str:
    """Run Google's installed-app consent flow and keep the teacher's token in the keyring.

    The consent page opens in the default browser (or the named `browser`); with `show_url` no
    browser is opened and the page's address is handed to `show_url` instead (the caller shows it,
    for the teacher to open in a browser on this machine: Google returns to localhost). Returns the keyring user the token was stored under.
    """
    require_google()
    from google_auth_oauthlib.flow import InstalledAppFlow

    if show_url is not None:
        webbrowser.register(_SHOW_URL, None, _ShowUrl(show_url))
        open_browser, browser = True, _SHOW_URL

    path = client_secrets_path(conn, config_dir)
    try:
        flow = InstalledAppFlow.from_client_secrets_file(str(path), scopes=list(SCOPES))
    except (ValueError, KeyError) as exc:
        raise ConfigError(
            f"OAuth 클라이언트 파일을 읽을 수 없습니다 ({exc})", path=path, field="client_secrets"
        ) from None
    try:
        creds = flow.run_local_server(
            host="localhost",
            port=port,
            open_browser=open_browser,
            browser=browser,
            authorization_prompt_message="",
            success_message="schoolauto: 로그인되었습니다. 이 창을 닫아도 됩니다.",
            timeout_seconds=timeout,
        )
    except Exception as exc:  # noqa: BLE001 - oauthlib/wsgiref raise many kinds; all mean "not signed in"
        raise AuthError(f"Google 로그인을 마치지 못했습니다 ({type(exc).__name__})") from None
    if creds is None or not getattr(creds, "refresh_token", None):
        raise AuthError("Google 로그인에서 새로 고침 토큰을 받지 못했습니다", hint="다시 로그인하세요")
    info = json.loads(creds.to_json(strip=["token", "expiry"]))  # the short-lived access token is not kept
    info["type"] = "authorized_user"
    _store(conn, json.dumps(info))
    return keyring_user(conn)


def store_service_account(conn: Connection, key_file: str | Path) -> str:
    """Copy a service-account key (domain-wide delegation) into the keyring; returns the keyring user."""
    path = Path(key_file)
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(
            f"서비스 계정 키 파일을 열 수 없습니다 ({os_reason(exc)})", path=path, field="key_file"
        ) from None
    except ValueError:
        raise ConfigError("서비스 계정 키 파일이 JSON 이 아닙니다", path=path, field="key_file") from None
    if not isinstance(info, dict) or info.get("type") != "service_account":
        raise ConfigError(
            "서비스 계정 키 파일이 아닙니다 (type 이 service_account 가 아님)", path=path, field="key_file"
        )
    credentials_from_secret(conn, json.dumps(info))  # checks the key and the subject before storing
    _store(conn, json.dumps(info))
    return keyring_user(conn)


@dataclass
class SignInRequest:
    """Keep a Google Classroom credential in the keyring: a teacher's consent, or a service-account key."""

    connection: ConnectionRequest
    key_file: str | Path | None = None  # a service-account key (school admin); None: teacher sign-in
    show_url: Callable[[str], None] | None = None  # hand over the consent address instead of a browser


@dataclass
class SignInResult:
    keyring_service: str
    keyring_user: str
    kind: str  # "teacher" or "service_account"


def sign_in(request: SignInRequest) -> SignInResult:
    """The `lms login` job: only Classroom connections sign in this way."""
    from .config import resolve_connection

    conn, _cfg, path = resolve_connection(request.connection)
    if conn.driver != "classroom":
        raise ConfigError(
            f"로그인 정보 저장은 Google Classroom 연결에만 씁니다 (이 연결의 드라이버: {conn.driver})",
            field="driver",
            hint="다른 LMS 의 비밀번호는 환경변수나 키링에 넣으세요",
        )
    if request.key_file:
        return SignInResult(KEYRING_SERVICE, store_service_account(conn, request.key_file), "service_account")
    user = sign_in_teacher(
        conn,
        config_dir=path.parent if path else None,
        show_url=request.show_url,
    )
    return SignInResult(KEYRING_SERVICE, user, "teacher")
