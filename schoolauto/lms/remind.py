"""Reminders to non-submitters: per student, or one digest per homeroom teacher, over SMTP.

Dry run by default: the exact messages are shown, nothing is sent and no state is written. With
`send`, a state file (one line per reminder sent today) makes scheduled runs idempotent: nobody is
reminded twice for the same assignment on the same day.

Students are matched to e-mail addresses through a roster file (csv/xlsx) with the columns
아이디 (LMS username) and/or 이름, optionally 반, then 이메일 and/or 담임이메일 (and 담임).
"""

from __future__ import annotations

import json
import logging
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path
from string import Template
from typing import Any

from ..errors import AuthError, ConfigError, DataError, SchoolautoError
from ..fileio import write_bytes_atomic
from ..ingest.tables import ColumnSpec, read_table
from ..reports.engine import find_template
from ..secrets import get_secret
from .base import Connection
from .config import state_dir
from .model import MissingReport, Status

log = logging.getLogger(__name__)

STUDENT_TEMPLATE = "lms_reminder.txt"
DIGEST_TEMPLATE = "lms_reminder_digest.txt"
DEFAULT_SMTP_PASSWORD_ENV = "SCHOOLAUTO_SMTP_PASSWORD"
STATUS_KO = {Status.NOT_STARTED: "시작 안 함", Status.STARTED: "시작했지만 제출 안 함"}

ROSTER_COLUMNS = [
    ColumnSpec("username", ("아이디", "사용자명", "username", "ID", "계정"), required=False),
    ColumnSpec("name", ("이름", "성명", "학생", "name"), required=False),
    ColumnSpec("class_name", ("반", "학급", "class"), required=False),
    ColumnSpec("email", ("이메일", "메일", "email", "e-mail", "학생이메일"), required=False),
    ColumnSpec("teacher", ("담임", "담임교사", "homeroom"), required=False),
    ColumnSpec("teacher_email", ("담임이메일", "담임메일", "homeroom_email"), required=False),
]


@dataclass
class RosterEntry:
    username: str
    name: str
    class_name: str
    email: str
    teacher: str
    teacher_email: str


class Roster:
    """Who is who: LMS username or (class, name) -> e-mail and homeroom teacher."""

    def __init__(self, entries: Sequence[RosterEntry]) -> None:
        self.by_username = {e.username: e for e in entries if e.username}
        self.by_class_name = {(e.class_name, e.name): e for e in entries if e.name and e.class_name}
        names: dict[str, list[RosterEntry]] = {}
        for e in entries:
            if e.name:
                names.setdefault(e.name, []).append(e)
        self.by_unique_name = {n: v[0] for n, v in names.items() if len(v) == 1}

    @classmethod
    def read(cls, path: str | Path) -> Roster:
        records = read_table(path, ROSTER_COLUMNS)
        entries = []
        for r in records:
            v = {
                k: (r.values.get(k) or "").strip()
                for k in ("username", "name", "class_name", "email", "teacher")
            }
            v["teacher_email"] = (r.values.get("teacher_email") or "").strip()
            if not (v["username"] or v["name"]):
                raise DataError("학생을 알아볼 아이디나 이름이 없습니다", path=path, row=r.row)
            for key in ("email", "teacher_email"):
                if v[key] and "@" not in v[key]:
                    raise DataError(f"메일 주소가 아닙니다: {v[key]}", path=path, row=r.row, column=key)
            entries.append(RosterEntry(**v))
        return cls(entries)

    def find(self, class_name: str, name: str, username: str | None) -> RosterEntry | None:
        if username and username in self.by_username:
            return self.by_username[username]
        return self.by_class_name.get((class_name, name)) or self.by_unique_name.get(name)


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
        mail = cfg.get("mail")
        if not isinstance(mail, dict) or not mail.get("host"):
            raise ConfigError(
                "설정 파일에 [mail] host 가 없습니다", path=path, hint="docs/lms.md 의 [mail] 예를 보세요"
            )
        if "password" in mail:
            raise ConfigError(
                "[mail] 에 비밀번호를 적지 마세요", path=path, hint="password_env 나 OS 키링을 쓰세요"
            )
        sender = mail.get("from") or mail.get("username")
        if not sender:
            raise ConfigError("[mail] 에 from (보내는 주소) 이 필요합니다", path=path)
        return cls(
            host=str(mail["host"]),
            port=int(mail.get("port", 465 if mail.get("ssl") else 587)),
            username=mail.get("username"),
            password_env=mail.get("password_env"),
            sender=str(sender),
            starttls=bool(mail.get("starttls", not mail.get("ssl", False))),
            ssl=bool(mail.get("ssl", False)),
            cafile=mail.get("cafile"),
            timeout=float(mail.get("timeout", 30)),
        )


@dataclass
class Message:
    to: str
    subject: str
    body: str
    keys: list[str]  # state keys: one per (assignment, student) this message reminds of


@dataclass
class RemindResult:
    lines: list[str] = field(default_factory=list)
    planned: int = 0
    sent: int = 0
    skipped_today: int = 0
    no_address: int = 0
    failed: int = 0


# ----- state ---------------------------------------------------------------------------------
class ReminderState:
    """Reminders already sent, per day: a small JSON file, rewritten atomically after each send."""

    KEEP_DAYS = 14

    def __init__(self, path: Path, today: date) -> None:
        self.path = path
        self.today = today.isoformat()
        self.data: dict[str, list[str]] = {}
        if path.exists():
            try:
                raw = json.loads(path.read_text(encoding="utf-8"))
                self.data = {k: list(v) for k, v in raw.items() if isinstance(v, list)}
            except (OSError, ValueError) as exc:
                raise ConfigError(
                    f"알림 기록 파일이 손상되었습니다 ({exc})", path=path, hint="지우고 다시 실행하세요"
                ) from exc
        self._today = set(self.data.get(self.today, []))

    def done(self, key: str) -> bool:
        return key in self._today

    def mark(self, keys: Sequence[str]) -> None:
        self._today.update(keys)
        self.data[self.today] = sorted(self._today)
        for day in sorted(self.data)[: -self.KEEP_DAYS]:
            del self.data[day]
        text = json.dumps(self.data, ensure_ascii=False, indent=1)
        write_bytes_atomic(self.path, text.encode("utf-8"), overwrite=True)


# ----- messages ------------------------------------------------------------------------------
def load_message_template(name: str | Path) -> tuple[Template, Template]:
    """(subject, body) templates from a text file: a 'Subject:' / '제목:' line, a blank line, the body."""
    path = find_template(name)
    text = path.read_text(encoding="utf-8")
    first, _, body = text.partition("\n")
    for prefix in ("Subject:", "제목:"):
        if first.startswith(prefix):
            return Template(first[len(prefix) :].strip()), Template(body.lstrip("\n"))
    raise ConfigError("메일 서식의 첫 줄은 '제목: ...' 이어야 합니다", path=path)


def _fill(t: Template, values: dict[str, str], path: str) -> str:
    try:
        return t.substitute(values)
    except (KeyError, ValueError) as exc:
        raise ConfigError(
            f"메일 서식에 모르는 자리표시 {exc} 가 있습니다 (쓸 수 있는 것: {', '.join('$' + k for k in values)})",
            path=path,
        ) from exc


def _key(report: MissingReport, class_name: str, assignment_id: str, student: str) -> str:
    return f"{report.lms}|{class_name}|{assignment_id}|{student}"


def plan_messages(
    report: MissingReport,
    roster: Roster,
    *,
    digest: bool = False,
    template: str | Path | None = None,
    statuses: Sequence[str] = ("not_started", "started"),
) -> tuple[list[Message], list[str]]:
    """The messages to send (before the state filter) and the students that have no address."""
    subject_t, body_t = load_message_template(template or (DIGEST_TEMPLATE if digest else STUDENT_TEMPLATE))
    tname = str(template or (DIGEST_TEMPLATE if digest else STUDENT_TEMPLATE))
    wanted = {Status(s) for s in statuses}
    per_student: dict[tuple[str, str], list[tuple[Any, Any]]] = {}
    for c in report.classes:
        for a in c.assignments:
            for m in a.missing:
                if m.status in wanted:
                    per_student.setdefault((c.course.name, m.student.id), []).append((a, m))
    no_address: list[str] = []
    messages: list[Message] = []
    digests: dict[str, dict[str, Any]] = {}
    for (class_name, _sid), items in per_student.items():
        student = items[0][1].student
        entry = roster.find(class_name, student.name, student.username)
        who = f"{class_name} {student.name}"
        keys = [
            _key(report, class_name, a.assignment.id, student.username or student.name) for a, _m in items
        ]
        lines = [
            f"- {a.assignment.title}"
            + (f" (마감 {a.assignment.due:%m월 %d일 %H:%M})" if a.assignment.due else "")
            + f": {STATUS_KO[m.status]}"
            for a, m in items
        ]
        if digest:
            if not entry or not entry.teacher_email:
                no_address.append(who)
                continue
            d = digests.setdefault(
                entry.teacher_email,
                {"teacher": entry.teacher or "선생님", "students": [], "keys": [], "classes": set()},
            )
            d["students"].append(f"{student.name} ({class_name})\n" + "\n".join("  " + x for x in lines))
            d["keys"].extend(f"digest:{entry.teacher_email}|{k}" for k in keys)
            d["classes"].add(class_name)
            continue
        if not entry or not entry.email:
            no_address.append(who)
            continue
        values = {
            "name": student.name,
            "class_name": class_name,
            "lms": report.lms,
            "count": str(len(items)),
            "assignments": "\n".join(lines),
        }
        messages.append(
            Message(
                to=entry.email,
                subject=_fill(subject_t, values, tname),
                body=_fill(body_t, values, tname),
                keys=[f"student:{k}" for k in keys],
            )
        )
    for email, d in digests.items():
        values = {
            "teacher": d["teacher"],
            "class_name": ", ".join(sorted(d["classes"])),
            "lms": report.lms,
            "count": str(len(d["students"])),
            "students": "\n".join(d["students"]),
        }
        messages.append(
            Message(
                to=email,
                subject=_fill(subject_t, values, tname),
                body=_fill(body_t, values, tname),
                keys=d["keys"],
            )
        )
    return messages, no_address


# ----- sending -------------------------------------------------------------------------------
class Mailer:
    """One SMTP connection (STARTTLS or SSL, login from env/keyring) for a batch of messages."""

    def __init__(self, settings: MailSettings, *, interactive: bool | None = None) -> None:
        self.settings = settings
        self.interactive = interactive
        self.smtp: smtplib.SMTP | None = None

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
                password = get_secret(
                    s.password_env or DEFAULT_SMTP_PASSWORD_ENV,
                    keyring_service="schoolauto-smtp",
                    keyring_user=s.username,
                    prompt=f"메일 서버({s.host}) 비밀번호: ",
                    interactive=self.interactive,
                )
                self.smtp.login(s.username, password or "")
        except smtplib.SMTPAuthenticationError as exc:
            self._quit()
            raise AuthError(
                f"메일 서버({s.host}) 로그인 실패: 아이디나 비밀번호가 틀렸습니다",
                hint="[mail] username 과 비밀번호 환경변수/키링 값을 확인하세요",
            ) from exc
        except (OSError, smtplib.SMTPException) as exc:
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
            except (OSError, smtplib.SMTPException):
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


def run_remind(
    report: MissingReport,
    *,
    conn: Connection,
    cfg: dict[str, Any],
    config_path: Path | None,
    roster: str | None,
    digest: bool,
    template: str | None,
    statuses: Sequence[str],
    send: bool,
    interactive: bool | None = None,
    today: date | None = None,
) -> RemindResult:
    """Plan the reminders, drop those already sent today, then show them (dry run) or send them."""
    roster_path = roster or conn.options.get("roster")
    if not roster_path:
        raise ConfigError(
            "학생 메일 주소 명단이 필요합니다", hint='--roster 파일 또는 설정의 roster = "명단.csv"'
        )
    messages, no_address = plan_messages(
        report, Roster.read(roster_path), digest=digest, template=template, statuses=statuses
    )
    state = ReminderState(state_dir() / "lms-reminders.json", today or datetime.now().date())
    result = RemindResult(planned=len(messages), no_address=len(no_address))
    todo: list[Message] = []
    for m in messages:
        fresh = [k for k in m.keys if not state.done(k)]
        if not fresh:
            result.skipped_today += 1
            continue
        todo.append(m)
    for who in no_address:
        result.lines.append(f"메일 주소 없음: {who} (명단에 추가하세요)")
    if not send:
        for m in todo:
            result.lines += ["-" * 60, f"받는 사람: {m.to}", f"제목: {m.subject}", "", m.body.rstrip()]
        result.lines.append("-" * 60)
        result.lines.append(
            f"미리보기: 보낼 메일 {len(todo)}통, 오늘 이미 보낸 {result.skipped_today}통 건너뜀, "
            f"주소 없음 {result.no_address}명. 실제로 보내려면 --send 를 붙이세요."
        )
        return result
    if todo:
        with Mailer(MailSettings.from_config(cfg, config_path), interactive=interactive) as mailer:
            for m in todo:
                try:
                    mailer.send(m)
                except (OSError, smtplib.SMTPException) as exc:
                    result.failed += 1
                    log.info("a reminder could not be sent: %s", type(exc).__name__)
                    result.lines.append(f"보내지 못함: {m.to} ({type(exc).__name__})")
                    continue
                state.mark(m.keys)
                result.sent += 1
    log.info(
        "reminders: %d sent, %d skipped (already today), %d failed",
        result.sent,
        result.skipped_today,
        result.failed,
    )
    result.lines.append(
        f"보냄 {result.sent}통, 오늘 이미 보내서 건너뜀 {result.skipped_today}통, "
        f"실패 {result.failed}통, 주소 없음 {result.no_address}명"
    )
    return result
