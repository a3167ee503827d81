"""Google Classroom through its REST API (v1) with an OAuth access token.

`courses.courseWork.studentSubmissions.list` with `courseWorkId='-'` gives every submission of a
course in one paged listing. Classroom has no MISSING state: a student is missing a piece of work
when the submission is not TURNED_IN or RETURNED and the work is past due. Work that is not yet
due (or has no due date) is left out unless the connection sets `include_not_due = true`.
Tested against a local fixture server that serves the documented response shapes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from ..errors import AuthError, LmsError
from .base import Connection, Driver, register_driver
from .http import HttpClient
from .model import Assignment, ClassData, Course, Status, Student, StudentStatus

log = logging.getLogger(__name__)

DEFAULT_URL = "https://classroom.googleapis.com"
_STATE = {
    "TURNED_IN": Status.SUBMITTED,
    "RETURNED": Status.SUBMITTED,
    "CREATED": Status.STARTED,
    "RECLAIMED_BY_STUDENT": Status.STARTED,
    "NEW": Status.NOT_STARTED,
}
_KIND = {
    "ASSIGNMENT": "assignment",
    "SHORT_ANSWER_QUESTION": "question",
    "MULTIPLE_CHOICE_QUESTION": "question",
}


def due_of(work: dict[str, Any]) -> datetime | None:
    """Classroom's split dueDate/dueTime (UTC) as one datetime."""
    d = work.get("dueDate")
    if not d:
        return None
    t = work.get("dueTime") or {}
    try:
        return datetime(
            int(d["year"]), int(d["month"]), int(d["day"]), int(t.get("hours", 23)), int(t.get("minutes", 59)),
            tzinfo=UTC,
        )  # fmt: skip
    except (KeyError, ValueError):
        return None


@register_driver("classroom")
class ClassroomDriver(Driver):
    """Google Classroom: the secret is an OAuth 2 access token with the classroom read scopes."""

    def __init__(self, conn: Connection, secret: str | None) -> None:
        super().__init__(conn, secret)
        self.http = HttpClient.for_connection(conn, conn.url or DEFAULT_URL)
        self.http.session.headers["Authorization"] = f"Bearer {secret or ''}"
        self.now = datetime.now(UTC)

    def _get(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        r = self.http.request("GET", path, params=params)
        if r.status_code in (401, 403):
            raise AuthError(
                f"Google Classroom({self.http.base_url}) 이(가) 토큰을 받아 주지 않습니다 (HTTP {r.status_code})",
                hint="토큰 환경변수/키링 값과 권한(classroom 읽기 범위)을 확인하세요",
            )
        if r.status_code != 200:
            raise LmsError(f"Google Classroom 응답 오류 (HTTP {r.status_code}): {path}")
        try:
            data = r.json()
        except ValueError:
            raise LmsError(f"Google Classroom 응답이 JSON 이 아닙니다: {path}") from None
        if not isinstance(data, dict):
            raise LmsError(f"Google Classroom 응답의 모양이 예상과 다릅니다: {path}")
        return data

    def _pages(self, path: str, key: str, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every item of a paged listing, following nextPageToken."""
        params = dict(params or {}, pageSize=100)
        seen_tokens: set[str] = set()
        while True:
            data = self._get(path, params)
            yield from data.get(key, [])
            token = data.get("nextPageToken")
            if not token:
                return
            if token in seen_tokens:
                raise LmsError(f"Google Classroom 이 같은 페이지 토큰을 되풀이합니다: {path}")
            seen_tokens.add(token)
            params["pageToken"] = token

    def login(self) -> None:
        self._get("/v1/courses", {"teacherId": "me", "pageSize": 1, "courseStates": "ACTIVE"})

    def list_classes(self) -> list[Course]:
        courses = self._pages("/v1/courses", "courses", {"teacherId": "me", "courseStates": "ACTIVE"})
        out = []
        for c in courses:
            name = c.get("name", c["id"])
            if c.get("section"):
                name = f"{name} {c['section']}"
            out.append(Course(id=str(c["id"]), name=name))
        return sorted(out, key=lambda c: c.name)

    def fetch_class(self, course: Course) -> ClassData:
        base = f"/v1/courses/{course.id}"
        try:
            students = [
                Student(
                    id=str(s["userId"]),
                    name=s.get("profile", {}).get("name", {}).get("fullName") or str(s["userId"]),
                    username=s.get("profile", {}).get("emailAddress"),
                )
                for s in self._pages(f"{base}/students", "students")
            ]
            include_not_due = bool(self.conn.options.get("include_not_due", False))
            assignments = []
            for w in self._pages(f"{base}/courseWork", "courseWork", {"courseWorkStates": "PUBLISHED"}):
                due = due_of(w)
                if not include_not_due and (due is None or due > self.now):
                    continue
                individual = w.get("assigneeMode") == "INDIVIDUAL_STUDENTS"
                ids = tuple(str(x) for x in (w.get("individualStudentsOptions") or {}).get("studentIds", []))
                assignments.append(
                    Assignment(
                        id=str(w["id"]),
                        title=w.get("title", ""),
                        kind=_KIND.get(w.get("workType", ""), "assignment"),
                        due=due,
                        student_ids=ids if individual else (),
                    )
                )
            wanted = {a.id for a in assignments}
            statuses: dict[tuple[str, str], StudentStatus] = {}
            for sub in self._pages(f"{base}/courseWork/-/studentSubmissions", "studentSubmissions"):
                if str(sub.get("courseWorkId")) not in wanted:
                    continue
                status = _STATE.get(sub.get("state", "NEW"), Status.NOT_STARTED)
                statuses[(str(sub["courseWorkId"]), str(sub["userId"]))] = StudentStatus(
                    status, sub.get("late")
                )
        except (KeyError, TypeError) as exc:
            raise LmsError(f"Google Classroom 응답에 필요한 값이 없습니다 ({exc})") from exc
        students.sort(key=lambda s: s.name)
        assignments.sort(key=lambda a: (a.due or datetime.max.replace(tzinfo=UTC), a.title))
        return ClassData(course=course, students=students, assignments=assignments, statuses=statuses)

    def close(self) -> None:
        self.http.close()
