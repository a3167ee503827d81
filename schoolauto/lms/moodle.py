"""Moodle through its web services (REST protocol, JSON) with a web-service token.

`mod_assign_get_assignments` lists courses and their assignments, `mod_assign_list_participants`
who each assignment is for, `mod_assign_get_submissions` the submissions — which only exist for
students who started, so a participant without one has not started. Moodle reports errors as a
200 response with `exception`/`errorcode`. Tested against a local fixture server that serves the
documented response shapes.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from ..errors import AuthError, LmsError
from .base import Connection, Driver, register_driver
from .http import HttpClient
from .model import Assignment, ClassData, Course, Status, Student, StudentStatus

log = logging.getLogger(__name__)

ENDPOINT = "/webservice/rest/server.php"
_STATUS = {"submitted": Status.SUBMITTED, "draft": Status.STARTED, "reopened": Status.STARTED}
_AUTH_CODES = {"invalidtoken", "accessexception", "invalidlogin", "requireloginerror"}


@register_driver("moodle")
class MoodleDriver(Driver):
    """Moodle web services; the secret is the user's web-service token (Security keys page)."""

    def __init__(self, conn: Connection, secret: str | None) -> None:
        super().__init__(conn, secret)
        self.http = HttpClient.for_connection(conn)
        self._courses: dict[str, dict[str, Any]] | None = None

    def call(self, function: str, **params: Any) -> Any:
        data = {"wstoken": self.secret or "", "wsfunction": function, "moodlewsrestformat": "json"}
        data.update(_flatten(params))
        r = self.http.request("POST", ENDPOINT, data=data)
        if r.status_code != 200:
            raise LmsError(f"Moodle 응답 오류 (HTTP {r.status_code}): {function}")
        try:
            out = r.json()
        except ValueError:
            raise LmsError(
                f"Moodle 응답이 JSON 이 아닙니다: {function} (웹 서비스가 켜져 있는지 확인하세요)"
            ) from None
        if isinstance(out, dict) and out.get("exception"):
            code = out.get("errorcode", "")
            if code in _AUTH_CODES:
                raise AuthError(
                    f"Moodle({self.conn.url}) 이(가) 토큰을 받아 주지 않습니다 ({code})",
                    hint="토큰 환경변수/키링 값과 웹 서비스 권한을 확인하세요",
                )
            raise LmsError(f"Moodle 오류 {code}: {out.get('message', '')} ({function})")
        return out

    def login(self) -> None:
        self.call("core_webservice_get_site_info")

    def _all(self) -> dict[str, dict[str, Any]]:
        if self._courses is None:
            data = self.call("mod_assign_get_assignments")
            self._courses = {str(c["id"]): c for c in data.get("courses", [])}
        return self._courses

    def list_classes(self) -> list[Course]:
        courses = [
            Course(id=cid, name=c.get("fullname") or c.get("shortname") or cid)
            for cid, c in self._all().items()
        ]
        return sorted(courses, key=lambda c: c.name)

    def fetch_class(self, course: Course) -> ClassData:
        try:
            c = self._all()[course.id]
            students: dict[str, Student] = {}
            assignments: list[Assignment] = []
            statuses: dict[tuple[str, str], StudentStatus] = {}
            works = [a for a in c.get("assignments", []) if not a.get("nosubmissions")]
            for a in works:
                participants = self.call(
                    "mod_assign_list_participants", assignid=a["id"], groupid=0, filter=""
                )
                ids = []
                for p in participants:
                    sid = str(p["id"])
                    ids.append(sid)
                    students.setdefault(
                        sid, Student(id=sid, name=p.get("fullname", sid), username=p.get("username"))
                    )
                due = datetime.fromtimestamp(a["duedate"], UTC) if a.get("duedate") else None
                assignments.append(
                    Assignment(
                        id=str(a["id"]),
                        title=a.get("name", ""),
                        kind="assignment",
                        due=due,
                        student_ids=tuple(ids),
                    )
                )
            if works:
                subs = self.call("mod_assign_get_submissions", assignmentids=[a["id"] for a in works])
                due_by_id = {str(a["id"]): a.get("duedate") or 0 for a in works}
                for block in subs.get("assignments", []):
                    aid = str(block["assignmentid"])
                    for s in block.get("submissions", []):
                        status = _STATUS.get(s.get("status", "new"), Status.NOT_STARTED)
                        late = None
                        if status is Status.SUBMITTED and due_by_id.get(aid):
                            late = int(s.get("timemodified", 0)) > int(due_by_id[aid])
                        statuses[(aid, str(s["userid"]))] = StudentStatus(status, late)
        except (KeyError, TypeError, ValueError) as exc:
            raise LmsError(f"Moodle 응답에 필요한 값이 없습니다 ({type(exc).__name__}: {exc})") from exc
        ordered = sorted(students.values(), key=lambda s: s.name)
        return ClassData(course=course, students=ordered, assignments=assignments, statuses=statuses)

    def close(self) -> None:
        self.http.close()


def _flatten(params: dict[str, Any]) -> dict[str, Any]:
    """Moodle's array parameters: assignmentids[0]=1&assignmentids[1]=2."""
    out: dict[str, Any] = {}
    for k, v in params.items():
        if isinstance(v, list | tuple):
            for i, x in enumerate(v):
                out[f"{k}[{i}]"] = x
        else:
            out[k] = v
    return out
