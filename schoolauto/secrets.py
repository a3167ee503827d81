"""Passwords and tokens: from an environment variable, the OS keyring, or a prompt. Never argv."""

from __future__ import annotations

import getpass
import os
import sys

from .errors import PasswordError


def get_secret(
    env_var: str | None,
    *,
    keyring_service: str | None = None,
    keyring_user: str | None = None,
    prompt: str | None = None,
    interactive: bool | None = None,
    required: bool = True,
) -> str | None:
    """Look up a secret in order: environment variable, keyring, then a hidden prompt.

    `interactive=None` means "prompt only when stdin is a terminal". Returns None when nothing
    was found and `required` is False.
    """
    if env_var:
        value = os.environ.get(env_var)
        if value:
            return value
    if keyring_service and keyring_user:
        try:
            import keyring  # optional

            value = keyring.get_password(keyring_service, keyring_user)
        except Exception:  # noqa: BLE001 - a missing or broken keyring backend just means "not there"
            value = None
        if value:
            return value
    if interactive is None:
        interactive = sys.stdin is not None and sys.stdin.isatty()
    if prompt and interactive:
        if sys.stdin is None or not sys.stdin.isatty():
            where = f"환경변수 {env_var}" if env_var else "설정"
            raise PasswordError(
                "암호를 물어볼 터미널이 없습니다 (예약 실행 등)",
                hint=f"{where} 에 암호를 넣어 주세요",
                field="password",
            )
        value = getpass.getpass(prompt)
        if value:
            return value
    if required:
        where = f"환경변수 {env_var}" if env_var else "설정"
        raise PasswordError(f"비밀번호가 필요합니다: {where}에 넣거나 터미널에서 입력하세요")
    return None
