"""Moodle through its web services (REST protocol, JSON) with a web-service token.

Functions used (all documented by Moodle's `external_description` returns):

- `core_webservice_get_site_info` — sign-in check, and which functions the token may call;
- `core_course_get_enrolled_courses_by_timeline_classification` (`inprogress`) and
  `mod_assign_get_assignments` (with `mod/assign:grade`) — the classes this user teaches, now;
  the latter's answer also gives each class's assignments (due date, team submission, ...);
- `core_enrol_get_enrolled_users` (active enrolments with `mod/assign:submit`) — students and
  their groups; `core_group_get_course_groups` — group names;
- `mod_assign_list_participants` — who each assignment is for (Moodle applies group mode and
  access restrictions; for team submissions it names each student's submission group);
- `mod_assign_get_overrides` (Moodle 5) — user and group overrides of the due date; on older
  sites the run warns that overrides cannot be read; `mod_assign_get_user_flags` — extensions;
- `mod_assign_get_submissions` — statuses; a participant without a submission has not started,
  a team submission (`userid` 0) counts for its group's members.

A student's own due date is their user override, else their group's override (the one Moodle
ranks first, lowest `sortorder`), else the assignment's; an extension moves it later. Work counts
for a student once that date has passed (always, when the assignment has no due date: marked
`no_due_date`); `include_not_due = true` counts it before. Moodle reports errors as a 200
response with `exception`/`errorcode`. Tested against a local fixture server whose every answer
is validated against JSON Schemas written from those documented returns.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from ..errors import AuthError, LmsError, SchoolautoError
from .base import Connection, Driver, register_driver
from .http import HttpClient
from .model import Assignment, ClassData, Course, Group, Status, Student, StudentStatus

log = logging.getLogger(__name__)

ENDPOINT = "/webservice/rest/server.php"
_STATUS = {"submitted": Status.SUBMITTED, "draft": Status.STARTED, "reopened": Status.STARTED}
_AUTH_CODES = {"invalidtoken", "accessexception", "invalidlogin", "requireloginerror", "usernotfullysetup"}
OVERRIDES = "mod_assign_get_overrides"


class MoodleError(LmsError):
    """An `exception` answer from Moodle; `code` is its `errorcode`."""

    def __init__(self, message: str, *, code: str = "", **kw: Any) -> None:
        super().__init__(message, **kw)
        self.code = code


@register_driver("moodle")
class MoodleDriver(Driver):
    """Moodle web services; the secret is the user's web-service token (Security keys page)."""

    label = "Moodle (웹 서비스 REST)"

    def __init__(self, conn: Connection, secret: str | None) -> None:
        super().__init__(conn, secret)
        self.http = HttpClient.for_connection(conn)
        self.functions: set[str] | None = None  # what the token may call (site info)
        self.now = datetime.now(UTC)
        self._warned_overrides = False
        self._assignments: dict[int, dict[str, Any]] = {}  # course id -> mod_assign_get_assignments' course

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
            raise MoodleError(f"Moodle 오류 {code}: {out.get('message', '')} ({function})", code=code)
        return out

    def login(self) -> None:
        info = self.call("core_webservice_get_site_info")
        if isinstance(info, dict):
            self.functions = {str(f.get("name")) for f in info.get("functions", []) if isinstance(f, dict)}

    def list_classes(self) -> list[Course]:
        """Courses in progress in which this user may grade assignments (not those they study in)."""
        data = self.call(
            "core_course_get_enrolled_courses_by_timeline_classification",
            classification="inprogress",
            limit=0,
            offset=0,
        )
        graded = self.call("mod_assign_get_assignments", capabilities=["mod/assign:grade"])
        try:
            self._assignments = {int(c["id"]): c for c in graded["courses"]}
            courses = [
                Course(id=str(c["id"]), name=c.get("fullname") or c.get("shortname") or str(c["id"]))
                for c in data["courses"]
                if int(c["id"]) in self._assignments
            ]
        except (KeyError, TypeError, ValueError) as exc:
            raise LmsError(f"Moodle 반 목록의 모양이 예상과 다릅니다 ({exc})") from exc
        return sorted(courses, key=lambda c: c.name)

    # ----- one class ----------------------------------------------------------------------------
    def _overrides(self, assignid: int) -> list[dict[str, Any]]:
        if self.functions is not None and OVERRIDES not in self.functions:
            if not self._warned_overrides:
                log.warning(
                    "Moodle(%s) 에서 과제 기한 변경(사용자·모둠별 마감)을 읽을 수 없어 과제 마감과 연장만으로 "
                    "판단합니다 (%s 가 필요합니다: Moodle 5 이상, 웹 서비스에 추가)",
                    self.conn.url,
                    OVERRIDES,
                )
                self._warned_overrides = True
            return []
        try:
            return list(self.call(OVERRIDES, assignid=assignid).get("overrides", []))
        except MoodleError as exc:
            if exc.code not in ("nopermissions", "requireloginerror"):
                raise
            if not self._warned_overrides:  # e.g. a non-editing teacher (mod/assign:manageoverrides)
                log.warning(
                    "Moodle(%s) 에서 과제 기한 변경을 읽을 권한이 없어 과제 마감과 연장만으로 판단합니다",
                    self.conn.url,
                )
                self._warned_overrides = True
            return []

    def fetch_class(self, course: Course) -> ClassData:
        try:
            return self._fetch_class(course)
        except SchoolautoError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise LmsError(
                f"Moodle 의 '{course.name}' 반 응답에 필요한 값이 없습니다 ({type(exc).__name__}: {exc})"
            ) from exc

    def _fetch_class(self, course: Course) -> ClassData:
        cid = int(course.id)
        users = self.call(
            "core_enrol_get_enrolled_users",
            courseid=cid,
            options=[
                {"name": "withcapability", "value": "mod/assign:submit"},
                {"name": "onlyactive", "value": 1},
            ],
        )
        students = {
            str(u["id"]): Student(
                id=str(u["id"]), name=u.get("fullname") or str(u["id"]), username=u.get("username")
            )
            for u in users
        }
        groups_of: dict[str, set[int]] = {
            str(u["id"]): {int(g["id"]) for g in u.get("groups", [])} for u in users
        }
        group_names = {
            int(g["id"]): g["name"] for g in self.call("core_group_get_course_groups", courseid=cid)
        }
        members: dict[int, list[str]] = {gid: [] for gid in group_names}
        for sid, gids in groups_of.items():
            for gid in gids:
                members.setdefault(gid, []).append(sid)
        groups = [
            Group(id=str(gid), name=group_names.get(gid, str(gid)), member_ids=tuple(ids))
            for gid, ids in sorted(members.items())
        ]

        course_assignments = self._assignments.get(cid)
        if course_assignments is None:  # a class not listed by this driver first
            data = self.call("mod_assign_get_assignments", courseids=[cid])
            course_assignments = next((c for c in data.get("courses", []) if int(c["id"]) == cid), {})
        works = [a for a in course_assignments.get("assignments", []) if not a.get("nosubmissions")]
        if not works:
            return ClassData(course=course, students=_ordered(students), groups=groups)
        ids = [int(a["id"]) for a in works]
        extensions: dict[tuple[int, str], int] = {}
        for block in self.call("mod_assign_get_user_flags", assignmentids=ids).get("assignments", []):
            for f in block.get("userflags", []):
                if f.get("extensionduedate"):
                    extensions[(int(block["assignmentid"]), str(f["userid"]))] = int(f["extensionduedate"])
        subs: dict[int, list[dict[str, Any]]] = {}
        for block in self.call("mod_assign_get_submissions", assignmentids=ids).get("assignments", []):
            subs[int(block["assignmentid"])] = list(block.get("submissions", []))

        include_not_due = bool(self.conn.options.get("include_not_due", False))
        now = int(self.now.timestamp())
        assignments: list[Assignment] = []
        statuses: dict[tuple[str, str], StudentStatus] = {}
        for a in works:
            aid = int(a["id"])
            participants = self.call("mod_assign_list_participants", assignid=aid, groupid=0, filter="")
            overrides = self._overrides(aid)
            by_user = {
                str(o["userid"]): int(o["duedate"])
                for o in overrides
                if o.get("userid") and o.get("duedate") is not None
            }
            by_group = sorted(
                (int(o.get("sortorder") or 0), int(o["groupid"]), int(o["duedate"]))
                for o in overrides
                if o.get("groupid") and o.get("duedate") is not None
            )
            base = int(a.get("duedate") or 0)
            due_for: dict[str, int] = {}
            team_of: dict[str, int] = {}
            for p in participants:
                sid = str(p["id"])
                if sid not in students:  # not an active student of this class (left, suspended, a teacher)
                    continue
                due = by_user.get(sid)
                if due is None:
                    due = next((d for _, gid, d in by_group if gid in groups_of.get(sid, set())), base)
                due = max(due, extensions.get((aid, sid), 0)) if due else due
                due_for[sid] = due
                if a.get("teamsubmission") and p.get("groupid") is not None:
                    team_of[sid] = int(p["groupid"])
            counted = [sid for sid, d in due_for.items() if include_not_due or not d or d < now]
            if not counted:
                continue  # nobody's due date has passed yet (or nobody is a participant)
            assignments.append(
                Assignment(
                    id=str(aid),
                    title=a.get("name", ""),
                    kind="assignment",
                    due=datetime.fromtimestamp(base, UTC) if base else None,
                    student_ids=tuple(counted),
                    no_due_date=not base,
                )
            )
            own = {str(s["userid"]): s for s in subs.get(aid, []) if int(s.get("userid") or 0)}
            team = {int(s.get("groupid") or 0): s for s in subs.get(aid, []) if not int(s.get("userid") or 0)}
            for sid in counted:
                s = team.get(team_of[sid]) if sid in team_of else own.get(sid)
                if s is None:
                    continue  # no submission record: not started
                status = _STATUS.get(s.get("status", "new"), Status.NOT_STARTED)
                late = None
                if status is Status.SUBMITTED and due_for[sid]:
                    late = int(s.get("timemodified", 0)) > due_for[sid]
                statuses[(str(aid), sid)] = StudentStatus(status, late)
        return ClassData(
            course=course,
            students=_ordered(students),
            groups=groups,
            assignments=assignments,
            statuses=statuses,
        )

    def close(self) -> None:
        self.http.close()


def _ordered(students: Mapping[str, Student]) -> list[Student]:
    return sorted(students.values(), key=lambda s: s.name)


def _flatten(params: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Moodle's REST parameters: assignmentids[0]=1, options[0][name]=onlyactive, ..."""
    out: dict[str, Any] = {}
    for k, v in params.items():
        key = f"{prefix}[{k}]" if prefix else str(k)
        if isinstance(v, Mapping):
            out.update(_flatten(v, key))
        elif isinstance(v, list | tuple):
            out.update(_flatten({str(i): x for i, x in enumerate(v)}, key))
        elif isinstance(v, bool):
            out[key] = int(v)
        else:
            out[key] = v
    return out
