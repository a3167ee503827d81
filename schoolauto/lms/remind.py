"""The `send_reminders` job: e-mail the students with work due (or their homeroom teachers).

Dry run by default: the exact messages are planned, nothing is sent and no state is written. With
`send`, a state file (one line per reminder sent today) makes scheduled runs idempotent: nobody is
reminded twice for the same assignment on the same day. The result holds data (planned, sent,
failed messages); an interface decides how to show it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ..errors import ConfigError
from .config import ConnectionRequest, lms_secret, resolve_connection, state_dir
from .contacts import ContactList
from .mailsettings import MailSettings
from .messages import Message, plan_messages
from .missing import read_missing
from .model import MissingReport
from .reminder_state import STATE_FILE, ReminderState
from .smtp import SEND_ERRORS, Mailer

log = logging.getLogger(__name__)

STATUSES = ("not_started", "started")


@dataclass
class RemindRequest:
    """Whom to remind of what, and how. Field names are the settings' names."""

    connection: ConnectionRequest = field(default_factory=ConnectionRequest)
    roster: str | Path | None = None  # contact list; default: the connection's `roster` setting
    digest: bool = False  # one message per homeroom teacher instead of one per student
    template: str | Path | None = None  # mail template; default templates/lms_reminder(_digest).txt
    statuses: Sequence[str] = STATUSES
    send: bool = False  # False: plan only (dry run)
    interactive: bool | None = None
    today: date | None = None
    report: MissingReport | None = None  # already collected: the LMS is not read again


@dataclass
class FailedMessage:
    message: Message
    reason: str  # the kind of failure (no personal data)


@dataclass
class RemindResult:
    """What was planned and what happened. `planned` excludes messages already sent today."""

    report: MissingReport
    sent_for_real: bool
    planned: list[Message] = field(default_factory=list)
    sent: list[Message] = field(default_factory=list)
    failed: list[FailedMessage] = field(default_factory=list)
    skipped_today: list[Message] = field(default_factory=list)
    no_address: list[str] = field(default_factory=list)  # "반 이름" of students without an address

    @property
    def partial(self) -> bool:
        return bool(self.failed or self.report.errors)

    def lines(self) -> list[str]:
        """Every message as text (a dry run: what would be sent) or what happened, the summary last."""
        out = [f"메일 주소 없음: {who} (명단에 추가하세요)" for who in self.no_address]
        if not self.sent_for_real:
            for m in self.planned:
                out += ["-" * 60, f"받는 사람: {m.to}", f"제목: {m.subject}", "", m.body.rstrip()]
            out.append("-" * 60)
            out.append(
                f"미리보기: 보낼 메일 {len(self.planned)}통, 오늘 이미 보낸 {len(self.skipped_today)}통 건너뜀, "
                f"주소 없음 {len(self.no_address)}명."
            )
            return out
        out += [f"보내지 못함: {f.message.to} ({f.reason})" for f in self.failed]
        out.append(
            f"보냄 {len(self.sent)}통, 오늘 이미 보내서 건너뜀 {len(self.skipped_today)}통, "
            f"실패 {len(self.failed)}통, 주소 없음 {len(self.no_address)}명"
        )
        return out


def send_reminders(request: RemindRequest) -> RemindResult:
    """Collect (unless given) who is missing what, plan the reminders, then send them or not."""
    conn, cfg, path = resolve_connection(request.connection)
    roster = request.roster or conn.options.get("roster")
    if not roster:
        raise ConfigError(
            "학생 메일 주소 명단이 필요합니다",
            hint='설정의 roster = "명단.csv" 로 정하거나 명단 파일을 주세요',
            field="roster",
        )
    contacts = ContactList.read(roster)
    mail = MailSettings.from_config(cfg, path) if request.send else None
    report = request.report
    if report is None:
        report = read_missing(conn, lms_secret(conn, interactive=request.interactive), None)
    messages, no_address = plan_messages(
        report, contacts, digest=request.digest, template=request.template, statuses=request.statuses
    )
    state = ReminderState(state_dir() / STATE_FILE, request.today or datetime.now().date())
    result = RemindResult(report=report, sent_for_real=request.send, no_address=no_address)
    for m in messages:
        if all(state.done(k) for k in m.keys):
            result.skipped_today.append(m)
        else:
            result.planned.append(m)
    if not request.send or not result.planned:
        return result
    assert mail is not None
    with Mailer(mail, interactive=request.interactive) as mailer:
        for m in result.planned:
            try:
                mailer.send(m)
            except SEND_ERRORS as exc:
                log.info("a reminder could not be sent: %s", type(exc).__name__)
                result.failed.append(FailedMessage(m, type(exc).__name__))
                continue
            state.mark(m.keys)
            result.sent.append(m)
    log.info(
        "reminders: %d sent, %d skipped (already today), %d failed",
        len(result.sent),
        len(result.skipped_today),
        len(result.failed),
    )
    return result


__all__ = ["FailedMessage", "RemindRequest", "RemindResult", "send_reminders"]
