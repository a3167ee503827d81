"""Kolibri through its REST API (pinned: the coach endpoints are internal to Kolibri 0.19).

One call per class, `/coach/api/classsummary/<class>/`, carries learners, groups, quizzes, lessons
and every learner's status. A learner who never opened a quiz is absent from its status list.
"""

from __future__ import annotations

import logging
from typing import Any

import requests

from ..errors import AuthError, LmsError
from .base import Driver, register_driver
from .http import HttpClient
from .model import Assignment, ClassData, Course, Group, Learner, Status, StudentStatus

log = logging.getLogger(__name__)

_STATUS = {"Completed": Status.SUBMITTED, "Started": Status.STARTED, "HelpNeeded": Status.STARTED}


@register_driver("kolibri")
class KolibriDriver(Driver):
    """Kolibri coach reports via `requests`; logs in as a coach or admin of a facility."""

    label = "Kolibri 0.19 (REST)"
    option_keys = ("facility",)

    def __init__(self, conn: Any, secret: str | None) -> None:
        super().__init__(conn, secret)
        self.http = HttpClient.for_connection(conn)
        self._logged_in = False

    # ----- session --------------------------------------------------------------------------
    def _json(self, response: requests.Response, what: str) -> Any:
        try:
            return response.json()
        except ValueError:
            raise LmsError(
                f"Kolibri 의 {what} 응답이 JSON 이 아닙니다 (HTTP {response.status_code})"
            ) from None

    def _facility_id(self) -> str:
        r = self.http.request("GET", "/api/public/v1/facility/")
        if r.status_code != 200:
            raise LmsError(
                f"Kolibri 시설 목록을 읽을 수 없습니다 (HTTP {r.status_code}); 주소가 Kolibri 인지 확인하세요"
            )
        facilities = self._json(r, "시설 목록")
        wanted = self.conn.options.get("facility")
        if wanted:
            for f in facilities:
                if wanted in (f.get("name"), f.get("id")):
                    return str(f["id"])
            raise LmsError(f"Kolibri 에 시설 '{wanted}' 이(가) 없습니다")
        if not facilities:
            raise LmsError("Kolibri 에 시설이 하나도 없습니다")
        return str(facilities[0]["id"])

    def login(self) -> None:
        facility = self._facility_id()
        self.http.session.cookies.clear()
        self.http.session.headers.pop("X-CSRFToken", None)
        r = self.http.request(
            "POST",
            "/api/auth/session/",
            json={"username": self.conn.username, "password": self.secret or "", "facility": facility},
        )
        if r.status_code in (400, 401, 403):
            raise AuthError(
                f"Kolibri({self.conn.url}) 로그인 실패: 아이디나 비밀번호가 틀렸습니다",
                hint="설정의 username 과 비밀번호 환경변수/키링 값을 확인하세요",
            )
        if r.status_code != 200:
            raise LmsError(f"Kolibri 로그인 응답이 이상합니다 (HTTP {r.status_code})")
        token = self.http.session.cookies.get("kolibri_csrftoken")
        if token:
            self.http.session.headers["X-CSRFToken"] = token
        self._logged_in = True
        log.debug("logged in to Kolibri at %s", self.conn.url)

    def _get(self, path: str, what: str) -> Any:
        """GET as the coach; an expired session (401/403) logs in again once."""
        if not self._logged_in:
            self.login()
        r = self.http.request("GET", path)
        if r.status_code in (401, 403):
            log.info("Kolibri session expired or refused; logging in again")
            self.login()
            r = self.http.request("GET", path)
            if r.status_code in (401, 403):
                raise LmsError(f"Kolibri 가 {what} 을(를) 보여 주지 않습니다: 이 계정에 권한이 없습니다")
        if r.status_code == 404:
            raise LmsError(f"Kolibri 에 {what} 이(가) 없습니다 (HTTP 404)")
        if r.status_code != 200:
            raise LmsError(f"Kolibri 의 {what} 을(를) 읽지 못했습니다 (HTTP {r.status_code})")
        return self._json(r, what)

    def _session_expired(self) -> bool:
        r = self.http.request("GET", "/api/auth/session/current/")
        try:
            kinds = r.json().get("kind", [])
        except (ValueError, AttributeError):
            return True
        return r.status_code != 200 or "anonymous" in kinds

    # ----- data -----------------------------------------------------------------------------
    def list_classes(self) -> list[Course]:
        rows = self._get("/api/auth/classroom/", "반 목록")
        if not rows and self._session_expired():
            # Kolibri answers an anonymous class list with an empty list, not 403.
            log.info("Kolibri session expired; logging in again")
            self.login()
            rows = self._get("/api/auth/classroom/", "반 목록")
        courses = [Course(id=str(c["id"]), name=str(c["name"])) for c in rows]
        return sorted(courses, key=lambda c: c.name)

    def fetch_class(self, course: Course) -> ClassData:
        data = self._get(f"/coach/api/classsummary/{course.id}/", f"'{course.name}' 반 요약")
        try:
            return self.parse_summary(course, data)
        except (KeyError, TypeError, ValueError) as exc:
            raise LmsError(f"Kolibri 반 요약의 모양이 예상과 다릅니다 ({type(exc).__name__}: {exc})") from exc

    @staticmethod
    def parse_summary(course: Course, data: dict[str, Any]) -> ClassData:
        students = [Learner(id=u["id"], name=u["name"], username=u.get("username")) for u in data["learners"]]
        students.sort(key=lambda s: (s.username or "", s.name))
        groups = [
            Group(id=g["id"], name=g["name"], member_ids=tuple(g["member_ids"])) for g in data["groups"]
        ]
        group_ids = {g.id for g in groups}
        adhoc = {g["id"]: tuple(g["member_ids"]) for g in data.get("adhoclearners") or []}
        assignments: list[Assignment] = []
        statuses: dict[tuple[str, str], StudentStatus] = {}

        def targets(item: dict[str, Any]) -> dict[str, Any]:
            return KolibriDriver.targets(course.id, item, group_ids, adhoc)

        exams = [e for e in data["exams"] if not e.get("draft") and (e.get("active") or e.get("archive"))]
        exams.sort(key=lambda e: (e.get("date_created") or "", e["title"]))
        for e in exams:
            assignments.append(Assignment(id=e["id"], title=e["title"], kind="quiz", **targets(e)))
        for st in data["exam_learner_status"]:
            status = _STATUS.get(st["status"], Status.STARTED)
            statuses[(st["exam_id"], st["learner_id"])] = StudentStatus(status)

        lessons = [x for x in data["lessons"] if x.get("active", True)]
        lessons.sort(key=lambda x: (x.get("date_created") or "", x["title"]))
        by_content: dict[tuple[str, str], str] = {
            (c["learner_id"], c["content_id"]): c["status"] for c in data["content_learner_status"]
        }
        for lesson in lessons:
            a = Assignment(id=lesson["id"], title=lesson["title"], kind="lesson", **targets(lesson))
            assignments.append(a)
            content_ids = [r["content_id"] for r in lesson.get("resources") or []]
            if not content_ids:
                continue
            for s in students:
                seen = [by_content.get((s.id, cid)) for cid in content_ids]
                if all(x == "Completed" for x in seen):
                    statuses[(a.id, s.id)] = StudentStatus(Status.SUBMITTED)
                elif any(x in ("Completed", "Started", "HelpNeeded") for x in seen):
                    statuses[(a.id, s.id)] = StudentStatus(Status.STARTED)
        return ClassData(
            course=course, students=students, groups=groups, assignments=assignments, statuses=statuses
        )

    @staticmethod
    def targets(
        class_id: str, item: dict[str, Any], group_ids: set[str], adhoc: dict[str, tuple[str, ...]]
    ) -> dict[str, Any]:
        """Whom a quiz or lesson is for, read from the fields that carry it (never guessed).

        Kolibri 0.19 lists the collections a piece of work is assigned to in `assignments` (the
        class, learner groups) and the learners it is given to one by one in `learner_ids` (the
        active members of its ad hoc group, whose collection it leaves out of `assignments`).
        `assignments: []` with learners in `learner_ids` is work for those learners only. Older
        servers that leave an ad hoc group's id in `assignments` are read through `adhoclearners`.
        """
        if not isinstance(item.get("assignments"), list):
            raise KeyError(f"'{item.get('title')}' 에 assignments 가 없습니다")
        collections = [str(c) for c in item["assignments"]]
        learners: list[str] = [str(x) for x in item.get("learner_ids") or []]
        groups: list[str] = []
        for c in collections:
            if c == class_id:
                continue
            if c in adhoc:
                learners.extend(adhoc[c])
            elif c in group_ids:
                groups.append(c)
            else:
                log.debug("work assigned to a collection that is not in the class summary")
        return {
            "everyone": class_id in collections,
            "group_ids": tuple(dict.fromkeys(groups)),
            "student_ids": tuple(dict.fromkeys(learners)),
        }

    def close(self) -> None:
        self.http.close()
