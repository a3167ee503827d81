"""Google Classroom through Google's own client (`google-api-python-client`, API v1).

The service is built from the discovery document shipped inside the client library
(`static_discovery=True`), so no request goes to Google's discovery service; paging follows
`list_next`, and 429 / 5xx are retried by the client (`execute(num_retries=...)`). Sign-in is in
`google_auth` (teacher OAuth or a service account; kept in the keyring).

What counts as missing: Classroom has no MISSING state. Published course work (`DRAFT` and
`DELETED` are not due work) is missing for an assigned student whose submission is not turned in
(`TURNED_IN`, or `RETURNED` after being turned in) once its due date (`dueDate` + `dueTime`, UTC)
has passed. Work without a due date is missing while it is not turned in, and is marked
`no_due_date` (report: 기한 없음). Work not yet due is left out unless the connection sets
`include_not_due = true`. Who it is for: the whole class (`ALL_STUDENTS`) or the students in
`individualStudentsOptions.studentIds` (`INDIVIDUAL_STUDENTS`). Kinds: `assignment`, `quiz` (an
assignment with a Google Forms quiz attached) and `question` (short answer, multiple choice).
Tested with the real client library against a local fixture server whose every response is
validated against the same discovery document.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from ..errors import AuthError, LmsError, SchoolautoError
from .base import Connection, Driver, register_driver
from .google_auth import credentials_from_secret, require_google
from .model import Assignment, ClassData, Course, Status, Student, StudentStatus

log = logging.getLogger(__name__)


class _RetryNoticesAreInfo(logging.Filter):
    """The client announces each retry as an English WARNING; that is detail (-v), not a warning."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.WARNING:
            record.levelno, record.levelname = logging.INFO, "INFO"
            return logging.getLogger(record.name).isEnabledFor(logging.INFO)
        return True


logging.getLogger("googleapiclient.http").addFilter(_RetryNoticesAreInfo())

DEFAULT_URL = "https://classroom.googleapis.com/"
PAGE_SIZE = 100
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
    """Classroom's split dueDate/dueTime (UTC) as one datetime; fields left out are zero (proto3)."""
    d = work.get("dueDate")
    if not d:
        return None
    t = work.get("dueTime")
    if t is None:  # not sent: the end of that day
        t = {"hours": 23, "minutes": 59}
    try:
        return datetime(
            int(d["year"]), int(d["month"]), int(d["day"]),
            int(t.get("hours", 0)), int(t.get("minutes", 0)), int(t.get("seconds", 0)),
            tzinfo=UTC,
        )  # fmt: skip
    except (KeyError, ValueError, TypeError):
        return None


def kind_of(work: dict[str, Any]) -> str:
    """`quiz` for an assignment with a Google Forms quiz attached ("퀴즈 과제"), else by work type."""
    kind = _KIND.get(work.get("workType", ""), "assignment")
    if kind == "assignment" and any("form" in m for m in work.get("materials") or [] if isinstance(m, dict)):
        return "quiz"
    return kind


def status_of(sub: dict[str, Any]) -> Status:
    """A submission's state as our status. RETURNED counts as submitted only if it was turned in
    (a teacher may return work that was never turned in); the history says which, when present."""
    state = sub.get("state", "NEW")
    if state == "RETURNED" and sub.get("submissionHistory"):
        seen = {
            (h.get("stateHistory") or {}).get("state")
            for h in sub["submissionHistory"]
            if isinstance(h, dict)
        }
        if "TURNED_IN" in seen:
            return Status.SUBMITTED
        return Status.STARTED if seen & {"CREATED", "RECLAIMED_BY_STUDENT"} else Status.NOT_STARTED
    return _STATE.get(state, Status.NOT_STARTED)


def _error_detail(exc: Any) -> tuple[int, str]:
    status = int(getattr(getattr(exc, "resp", None), "status", 0) or 0)
    try:
        body = json.loads(exc.content.decode("utf-8"))
        err = body.get("error", {})
        reason = err.get("status") or err.get("message") or ""
    except (ValueError, AttributeError, UnicodeDecodeError):
        reason = ""
    return status, str(reason)


@register_driver("classroom")
class ClassroomDriver(Driver):
    """Google Classroom; the secret is the stored Google credential (see `google_auth`)."""

    label = "Google Classroom (API v1, Google 클라이언트)"
    # the teacher sign-in's OAuth client file; the teacher a service account reads as
    option_keys = ("client_secrets", "subject")
    signs_in = "Google Classroom"  # `lms.google_auth.sign_in` stores the credential in the keyring

    def __init__(self, conn: Connection, secret: str | None) -> None:
        super().__init__(conn, secret)
        require_google()
        self.now = datetime.now(UTC)
        self._service: Any = None
        self._http: Any = None
        self._bare_token = False

    # ----- the client ---------------------------------------------------------------------------
    def _endpoint(self) -> str | None:
        url = (self.conn.url or DEFAULT_URL).rstrip("/") + "/"
        return None if url == DEFAULT_URL else url

    @property
    def service(self) -> Any:
        if self._service is None:
            import google_auth_httplib2
            import httplib2
            from googleapiclient.discovery import build

            creds = credentials_from_secret(self.conn, self.secret)
            self._bare_token = not getattr(creds, "refresh_token", None) and not hasattr(
                creds, "service_account_email"
            )
            self._http = google_auth_httplib2.AuthorizedHttp(
                creds, http=httplib2.Http(timeout=self.conn.timeout)
            )
            endpoint = self._endpoint()
            self._service = build(
                "classroom",
                "v1",
                http=self._http,
                static_discovery=True,
                cache_discovery=False,
                client_options={"api_endpoint": endpoint} if endpoint else None,
            )
        return self._service

    def _execute(self, request: Any, what: str, course: Course | None = None) -> dict[str, Any]:
        """Run one request (the client retries 429/5xx); Google's errors become ours, in Korean."""
        import httplib2
        from google.auth.exceptions import RefreshError, TransportError
        from googleapiclient.errors import HttpError

        where = f"'{course.name}' 반의 {what}" if course else what
        tries = self.conn.retries + 1
        # The client sleeps rand() * 2**n before retry n; scale it by the connection's `backoff`
        # (default 0.5 s: the same mean as the client's own), with jitter.
        backoff = float(self.conn.options.get("backoff", 0.5))
        request._rand = lambda: backoff * (0.5 + random.random())
        try:
            data = request.execute(num_retries=self.conn.retries)
        except HttpError as exc:
            status, reason = _error_detail(exc)
            detail = f"HTTP {status}" + (f" {reason}" if reason else "")
            if status == 401:
                raise AuthError(
                    f"Google Classroom 이(가) 로그인 정보를 받아 주지 않습니다: {where} ({detail})",
                    hint="다시 로그인하거나 권한(classroom 읽기 범위)을 확인하세요",
                ) from None
            if status == 403 and course is None:  # before any class: the account or project itself
                raise AuthError(
                    f"Google Classroom 을 읽을 권한이 없습니다: {where} ({detail})",
                    hint="Classroom API 가 켜져 있는지, 로그인할 때 읽기 범위를 허락했는지 확인하세요",
                ) from None
            if status == 403:
                raise LmsError(
                    f"Google Classroom 이(가) {where} 읽기를 허락하지 않습니다 ({detail})",
                    hint="이 반의 교사인지, 관리자가 접근을 막지 않았는지 확인하세요",
                ) from None
            if status == 429:
                raise LmsError(
                    f"Google Classroom 요청 한도를 넘었습니다: {where} ({tries}번 시도)",
                    hint="잠시 뒤 다시 실행하세요",
                ) from None
            if status >= 500:
                raise LmsError(
                    f"Google Classroom 서버 오류: {where} ({detail}, {tries}번 시도)",
                    hint="잠시 뒤 다시 실행하세요",
                ) from None
            raise LmsError(f"Google Classroom 이(가) {where} 요청을 거절했습니다 ({detail})") from None
        except RefreshError as exc:
            if self._bare_token:  # nothing to refresh with: Google refused the access token itself
                raise AuthError(
                    f"Google Classroom 이(가) 접근 토큰을 받아 주지 않습니다: {where}",
                    hint="토큰이 만료되었으면 새로 받거나, 교사 계정으로 로그인해 키링에 저장하세요",
                ) from None
            raise AuthError(
                "Google 로그인이 만료되었거나 취소되었습니다",
                hint=f"다시 로그인하세요 ({type(exc).__name__})",
            ) from None
        except TimeoutError:  # socket.timeout: the client has retried it already
            raise LmsError(
                f"Google Classroom({self.conn.url}) 이(가) {self.conn.timeout:g}초 안에 응답하지 않습니다: "
                f"{where} ({tries}번 시도)",
                hint="주소와 네트워크를 확인하고 잠시 뒤 다시 실행하세요",
            ) from None
        except (TransportError, httplib2.HttpLib2Error, OSError) as exc:
            raise LmsError(
                f"Google Classroom({self.conn.url}) 에 연결할 수 없습니다: {where} ({type(exc).__name__})",
                hint="주소와 네트워크를 확인하고 잠시 뒤 다시 실행하세요",
            ) from None
        if not isinstance(data, dict):
            raise LmsError(f"Google Classroom 응답의 모양이 예상과 다릅니다: {where}")
        return data

    def _all(
        self, resource: Any, key: str, what: str, course: Course | None = None, **params: Any
    ) -> Iterator[dict[str, Any]]:
        """Every item of a paged listing (the client's `list_next` follows nextPageToken)."""
        request = resource.list(pageSize=PAGE_SIZE, **params)
        seen: set[str] = set()
        while request is not None:
            data = self._execute(request, what, course)
            yield from data.get(key, [])
            token = data.get("nextPageToken")
            if token in seen:
                raise LmsError(f"Google Classroom 이 같은 페이지 토큰을 되풀이합니다: {what}")
            if token:
                seen.add(token)
            request = resource.list_next(request, data)

    # ----- the driver -----------------------------------------------------------------------------
    def login(self) -> None:
        request = self.service.courses().list(teacherId="me", courseStates=["ACTIVE"], pageSize=1)
        self._execute(request, "반 목록")

    def list_classes(self) -> list[Course]:
        out = []
        for c in self._all(
            self.service.courses(), "courses", "반 목록", teacherId="me", courseStates=["ACTIVE"]
        ):
            if c.get("courseState", "ACTIVE") != "ACTIVE":
                continue
            name = c.get("name") or c["id"]
            if c.get("section"):
                name = f"{name} {c['section']}"
            out.append(Course(id=str(c["id"]), name=name))
        return sorted(out, key=lambda c: c.name)

    def fetch_class(self, course: Course) -> ClassData:
        svc = self.service.courses()
        try:
            students = [
                Student(
                    id=str(s["userId"]),
                    name=(s.get("profile") or {}).get("name", {}).get("fullName") or str(s["userId"]),
                    username=(s.get("profile") or {}).get("emailAddress"),
                )
                for s in self._all(svc.students(), "students", "학생 명단", course, courseId=course.id)
            ]
            include_not_due = bool(self.conn.options.get("include_not_due", False))
            assignments = []
            works = self._all(
                svc.courseWork(), "courseWork", "수업 과제", course,
                courseId=course.id, courseWorkStates=["PUBLISHED"],
            )  # fmt: skip
            for w in works:
                if w.get("state", "PUBLISHED") != "PUBLISHED":  # drafts, scheduled and deleted work
                    continue
                due = due_of(w)
                if due is not None and due > self.now and not include_not_due:
                    continue
                individual = w.get("assigneeMode") == "INDIVIDUAL_STUDENTS"
                ids = tuple(str(x) for x in (w.get("individualStudentsOptions") or {}).get("studentIds", []))
                if individual and not ids:  # given to nobody: never read it as "the whole class"
                    continue
                assignments.append(
                    Assignment(
                        id=str(w["id"]),
                        title=w.get("title", ""),
                        kind=kind_of(w),
                        due=due,
                        student_ids=ids if individual else (),
                        no_due_date=due is None,
                    )
                )
            statuses: dict[tuple[str, str], StudentStatus] = {}
            if assignments:
                wanted = {a.id for a in assignments}
                subs = self._all(
                    svc.courseWork().studentSubmissions(), "studentSubmissions", "제출 현황", course,
                    courseId=course.id, courseWorkId="-",
                )  # fmt: skip
                for sub in subs:
                    if str(sub.get("courseWorkId")) not in wanted:
                        continue
                    statuses[(str(sub["courseWorkId"]), str(sub["userId"]))] = StudentStatus(
                        status_of(sub), bool(sub.get("late", False))
                    )
        except SchoolautoError:
            raise
        except (KeyError, TypeError, AttributeError) as exc:
            raise LmsError(
                f"Google Classroom 의 '{course.name}' 반 응답에 필요한 값이 없습니다 ({exc})"
            ) from exc
        students.sort(key=lambda s: s.name)
        assignments.sort(key=lambda a: (a.due or datetime.max.replace(tzinfo=UTC), a.title))
        return ClassData(course=course, students=students, assignments=assignments, statuses=statuses)

    def close(self) -> None:
        if self._service is not None:
            self._service.close()
            self._service = None
