"""The `[mail]` settings: which SMTP server to send reminders through, and as whom.

```toml
[mail]
host = "smtp.school.example"
port = 587            # 465 with ssl = true
username = "teacher@school.example"
password_env = "SCHOOLAUTO_SMTP_PASSWORD"   # or the OS keyring (service schoolauto-smtp)
from = "teacher@school.example"
```
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError

DEFAULT_SMTP_PASSWORD_ENV = "SCHOOLAUTO_SMTP_PASSWORD"
KEYRING_SERVICE = "schoolauto-smtp"


@dataclass
class MailSettings:
    host: str
    port: int = 587
    username: str | None = None
    password_env: str | None = None
    sender: str = ""
    starttls: bool = True
    ssl: bool = False
    cafile: str | None = None
    timeout: float = 30.0

    @classmethod
    def from_config(cls, cfg: dict[str, Any], path: Path | None) -> MailSettings:
        """The `[mail]` table of a settings file (already read), checked."""
        mail = cfg.get("mail")
        if not isinstance(mail, dict) or not mail.get("host"):
            raise ConfigError(
                "설정 파일에 [mail] host 가 없습니다",
                path=path,
                hint="docs/lms.md 의 [mail] 예를 보세요",
                field="mail",
            )
        if "password" in mail:
            raise ConfigError(
                "[mail] 에 비밀번호를 적지 마세요",
                path=path,
                hint="password_env 나 OS 키링을 쓰세요",
                field="password",
            )
        sender = mail.get("from") or mail.get("username")
        if not sender:
            raise ConfigError("[mail] 에 from (보내는 주소) 이 필요합니다", path=path, field="mail")
        try:
            port = int(mail.get("port", 465 if mail.get("ssl") else 587))
            timeout = float(mail.get("timeout", 30))
        except (TypeError, ValueError):
            raise ConfigError("[mail] port 와 timeout 은 숫자여야 합니다", path=path, field="mail") from None
        return cls(
            host=str(mail["host"]),
            port=port,
            username=mail.get("username"),
            password_env=mail.get("password_env"),
            sender=str(sender),
            starttls=bool(mail.get("starttls", not mail.get("ssl", False))),
            ssl=bool(mail.get("ssl", False)),
            cafile=mail.get("cafile"),
            timeout=timeout,
        )
