"""Who is who for reminders: LMS username or (class, name) -> e-mail and homeroom teacher.

A contact list is a csv/xlsx table with the columns 아이디 (LMS username) and/or 이름, optionally 반,
then 이메일 and/or 담임이메일 (and 담임). It is read with the shared table reader.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError
from ..ingest.tables import ColumnSpec, read_table

CONTACT_COLUMNS = [
    ColumnSpec("username", ("아이디", "사용자명", "username", "ID", "계정"), required=False),
    ColumnSpec("name", ("이름", "성명", "학생", "name"), required=False),
    ColumnSpec("class_name", ("반", "학급", "class"), required=False),
    ColumnSpec("email", ("이메일", "메일", "email", "e-mail", "학생이메일"), required=False),
    ColumnSpec("teacher", ("담임", "담임교사", "homeroom"), required=False),
    ColumnSpec("teacher_email", ("담임이메일", "담임메일", "homeroom_email"), required=False),
]


@dataclass
class Contact:
    username: str
    name: str
    class_name: str
    email: str
    teacher: str
    teacher_email: str


class ContactList:
    """Contacts found by LMS username, else by (class, name), else by a name that is unique."""

    def __init__(self, entries: Sequence[Contact]) -> None:
        self.by_username = {e.username: e for e in entries if e.username}
        self.by_class_name = {(e.class_name, e.name): e for e in entries if e.name and e.class_name}
        names: dict[str, list[Contact]] = {}
        for e in entries:
            if e.name:
                names.setdefault(e.name, []).append(e)
        self.by_unique_name = {n: v[0] for n, v in names.items() if len(v) == 1}

    @classmethod
    def read(cls, path: str | Path) -> ContactList:
        records = read_table(path, CONTACT_COLUMNS)
        entries = []
        for r in records:
            v = {
                k: (r.values.get(k) or "").strip()
                for k in ("username", "name", "class_name", "email", "teacher", "teacher_email")
            }
            if not (v["username"] or v["name"]):
                raise DataError(
                    "학생을 알아볼 아이디나 이름이 없습니다", path=path, row=r.row, field="roster"
                )
            for key in ("email", "teacher_email"):
                if v[key] and "@" not in v[key]:
                    raise DataError(
                        f"메일 주소가 아닙니다: {v[key]}", path=path, row=r.row, column=key, field="roster"
                    )
            entries.append(Contact(**v))
        return cls(entries)

    def find(self, class_name: str, name: str, username: str | None) -> Contact | None:
        if username and username in self.by_username:
            return self.by_username[username]
        return self.by_class_name.get((class_name, name)) or self.by_unique_name.get(name)
