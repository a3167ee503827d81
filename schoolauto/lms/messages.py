"""Reminder messages rendered from mail templates (`templates/lms_reminder*.txt`).

A template is a text file: a first line `제목: ...` (or `Subject: ...`), a blank line, the body, with
`$name`-style placeholders. `plan_messages` turns a missing-work report and a contact list into the
messages to send, one per student or (digest) one per homeroom teacher.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Any

from ..errors import ConfigError
from ..reports.engine import find_template
from .contacts import ContactList
from .model import AssignmentMissing, MissingEntry, MissingReport, Status

STUDENT_TEMPLATE = "lms_reminder.txt"
DIGEST_TEMPLATE = "lms_reminder_digest.txt"
REMINDER_STATUS_KO = {Status.NOT_STARTED: "시작 안 함", Status.STARTED: "시작했지만 제출 안 함"}


@dataclass
class Message:
    to: str
    subject: str
    body: str
    keys: list[str]  # state keys: one per (assignment, student) this message reminds of


def load_message_template(name: str | Path) -> tuple[Template, Template]:
    """(subject, body) templates from a text file: a 'Subject:' / '제목:' line, a blank line, the body."""
    path = find_template(name)
    text = path.read_text(encoding="utf-8-sig")
    first, _, body = text.partition("\n")
    for prefix in ("Subject:", "제목:"):
        if first.startswith(prefix):
            return Template(first[len(prefix) :].strip()), Template(body.lstrip("\n"))
    raise ConfigError("메일 서식의 첫 줄은 '제목: ...' 이어야 합니다", path=path, field="template")


def _fill(t: Template, values: dict[str, str], path: str) -> str:
    try:
        return t.substitute(values)
    except (KeyError, ValueError) as exc:
        raise ConfigError(
            f"메일 서식에 모르는 자리표시 {exc} 가 있습니다 (쓸 수 있는 것: {', '.join('$' + k for k in values)})",
            path=path,
            field="template",
        ) from exc


def state_key(report: MissingReport, class_name: str, assignment_id: str, student: str) -> str:
    return f"{report.lms}|{class_name}|{assignment_id}|{student}"


def plan_messages(
    report: MissingReport,
    contacts: ContactList,
    *,
    digest: bool = False,
    template: str | Path | None = None,
    statuses: Sequence[str] = ("not_started", "started"),
) -> tuple[list[Message], list[str]]:
    """The messages to send (before the once-a-day filter) and the students that have no address."""
    tname = str(template or (DIGEST_TEMPLATE if digest else STUDENT_TEMPLATE))
    subject_t, body_t = load_message_template(tname)
    wanted = {Status(s) for s in statuses}
    per_student: dict[tuple[str, str], list[tuple[AssignmentMissing, MissingEntry]]] = {}
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
        entry = contacts.find(class_name, student.name, student.username)
        who = f"{class_name} {student.name}"
        keys = [
            state_key(report, class_name, a.assignment.id, student.username or student.name)
            for a, _m in items
        ]
        lines = [
            f"- {a.assignment.title}"
            + (f" (마감 {a.assignment.due:%m월 %d일 %H:%M})" if a.assignment.due else "")
            + f": {REMINDER_STATUS_KO[m.status]}"
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
