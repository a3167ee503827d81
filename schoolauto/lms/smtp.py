"""Sending reminder messages over SMTP (STARTTLS or SSL, login from the environment or keyring)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from ..errors import AuthError, PasswordError, SchoolautoError
from ..secrets import get_secret
from .mailsettings import DEFAULT_SMTP_PASSWORD_ENV, KEYRING_SERVICE, MailSettings
from .messages import Message

SEND_ERRORS = (OSError, smtplib.SMTPException)


class Mailer:
    """One SMTP connection for a batch of messages."""

    def __init__(self, settings: MailSettings, *, interactive: bool | None = None) -> None:
        self.settings = settings
        self.interactive = interactive
        self.smtp: smtplib.SMTP | None = None

    def _password(self) -> str:
        s = self.settings
        env = s.password_env or DEFAULT_SMTP_PASSWORD_ENV
        try:
            value = get_secret(
                env,
                keyring_service=KEYRING_SERVICE,
                keyring_user=s.username,
                prompt=f"메일 서버({s.host}) 비밀번호: ",
                interactive=self.interactive,
                required=False,
            )
        except (EOFError, OSError):
            value = None
        if not value:
            raise PasswordError(
                f"메일 서버({s.host}) 비밀번호가 필요합니다: 터미널이 없으면(예약 실행) 환경변수 {env} 에 넣거나 "
                f"OS 키링(서비스 {KEYRING_SERVICE}, 사용자 {s.username})에 저장하세요",
                field="password",
            )
        return value

    def __enter__(self) -> Mailer:
        s = self.settings
        context = ssl.create_default_context(cafile=s.cafile) if s.cafile else ssl.create_default_context()
        try:
            if s.ssl:
                self.smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
            else:
                self.smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
                if s.starttls:
                    self.smtp.starttls(context=context)
            if s.username:
                self.smtp.login(s.username, self._password())
        except smtplib.SMTPAuthenticationError as exc:
            self._quit()
            raise AuthError(
                f"메일 서버({s.host}) 로그인 실패: 아이디나 비밀번호가 틀렸습니다",
                hint="[mail] username 과 비밀번호 환경변수/키링 값을 확인하세요",
            ) from exc
        except SEND_ERRORS as exc:
            self._quit()
            raise SchoolautoError(
                f"메일 서버({s.host}:{s.port}) 에 연결할 수 없습니다 ({type(exc).__name__}: {exc})",
                hint="[mail] host/port/starttls 설정을 확인하세요",
            ) from exc
        except SchoolautoError:
            self._quit()
            raise
        return self

    def _quit(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except SEND_ERRORS:
                self.smtp.close()
            self.smtp = None

    def __exit__(self, *exc: object) -> None:
        self._quit()

    def send(self, m: Message) -> None:
        assert self.smtp is not None
        msg = EmailMessage()
        msg["From"] = formataddr(("schoolauto", self.settings.sender))
        msg["To"] = m.to
        msg["Subject"] = m.subject
        msg["Message-ID"] = make_msgid(domain=self.settings.sender.split("@")[-1])
        msg.set_content(m.body)
        self.smtp.send_message(msg)
