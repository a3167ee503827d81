"""FIXTURE servers for the Google Classroom and Moodle drivers — not the real services.

They run `http.server` in a thread on 127.0.0.1 and answer with the response shapes documented by
Google (Classroom API v1: courses, students, courseWork, studentSubmissions with nextPageToken)
and by Moodle (web services REST/JSON: mod_assign_get_assignments, mod_assign_list_participants,
mod_assign_get_submissions, errors as 200 + `exception`). Their seeded data yields a known truth.
They can also misbehave on purpose (drop the connection, stall, answer 429 or 5xx) for fault tests.
"""

from __future__ import annotations

import json
import random
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = [
    "민준",
    "서연",
    "도윤",
    "하은",
    "지호",
    "지우",
    "예준",
    "수아",
    "시우",
    "하린",
    "주원",
    "지민",
    "현우",
    "채원",
]


def korean_names(rng: random.Random, n: int) -> list[str]:
    names: list[str] = []
    while len(names) < n:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in names:
            names.append(name)
    return names


@dataclass
class Fault:
    """Misbehave on the next `times` requests whose path contains `path`."""

    path: str
    kind: str  # "status", "drop", "sleep"
    times: int = 1
    status: int = 503
    seconds: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Exchange:
    """One request and the answer the fixture gave."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: str
    status: int
    payload: Any


class FixtureServer:
    """Base: a threaded HTTP server; subclasses implement `route(method, path, query, body)`."""

    def __init__(self) -> None:
        self.faults: list[Fault] = []
        self.requests: list[str] = []
        self.responses: list[Exchange] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out as separate writes

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                url = urlparse(self.path)
                query = parse_qs(url.query)
                with outer.lock:
                    outer.requests.append(url.path)
                    fault = next((f for f in outer.faults if f.path in url.path and f.times > 0), None)
                    if fault:
                        fault.times -= 1
                if fault and fault.kind == "drop":
                    self.close_connection = True
                    self.connection.close()
                    return
                if fault and fault.kind == "sleep":
                    time.sleep(fault.seconds)
                if fault and fault.kind == "status":
                    payload = outer.fault_body(fault.status)
                    outer.record(method, url.path, query, body, fault.status, payload)
                    self._send(fault.status, payload, fault.headers)
                    return
                status, payload = outer.route(method, url.path, query, body, self.headers)  # any case
                outer.record(method, url.path, query, body, status, payload)
                if status in (301, 302, 303):
                    self._send(status, {}, {"Location": str(payload)})
                    return
                self._send(status, payload)

            def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
                data = json.dumps(payload, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    for k, v in (headers or {}).items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_GET(self) -> None:
                self._handle("GET")

            def do_POST(self) -> None:
                self._handle("POST")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def route(self, method: str, path: str, query: dict, body: str, headers: Any) -> tuple[int, Any]:
        raise NotImplementedError

    def fault_body(self, status: int) -> Any:
        """What the service says when it fails with `status` (an injected fault)."""
        return {"error": {"code": status, "message": "fixture fault"}}

    def record(self, method: str, path: str, query: dict, body: str, status: int, payload: Any) -> None:
        """Every answer is kept, so the tests can check its shape against the service's documentation."""
        with self.lock:
            self.responses.append(Exchange(method, path, query, body, status, payload))

    def __enter__(self) -> FixtureServer:
        self.thread.start()
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if exc_type is None:
            self.check_shapes()

    def check_shapes(self) -> int:
        """Validate every answer against the service's documented shapes; returns how many."""
        return 0


# ----- Google Classroom ------------------------------------------------------------------------
def _rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


# What a student did with a piece of work: (state, turned in at some point, did anything at all).
# The fixture cycles through these so that every state, late flag and history appears.
CASES = [
    "TURNED_IN",
    "NEW",
    "CREATED",
    "TURNED_IN_LATE",
    "RETURNED",  # turned in, graded and returned: submitted
    "RETURNED_NEVER_TURNED_IN",  # the teacher returned work the student never turned in
    "RECLAIMED_BY_STUDENT",  # turned in, then taken back: not submitted
    "NEW_NEVER_OPENED",
]
CASE_STATUS = {
    "TURNED_IN": "submitted",
    "TURNED_IN_LATE": "submitted",
    "RETURNED": "submitted",
    "NEW": "not_started",
    "NEW_NEVER_OPENED": "not_started",
    "CREATED": "started",
    "RETURNED_NEVER_TURNED_IN": "started",
    "RECLAIMED_BY_STUDENT": "started",
}


class ClassroomFixture(FixtureServer):
    """A FIXTURE standing in for Google Classroom API v1 — not Google (no real Classroom can run here).

    It routes every request by the method paths of the `classroom.v1` discovery document shipped in
    google-api-python-client, rejects query parameters that document does not define, and answers
    in that document's shapes (the tests validate every answer against its schemas). Pages hold at
    most PAGE items whatever pageSize asks, to force paging. It also serves an OAuth 2 token
    endpoint (refresh-token, JWT-bearer and authorization-code grants) and a consent page that
    redirects straight back, so google-auth's own flows can run against it.

    Seeded data (dates relative to now, UTC): two active classes and an archived one; in each
    active class an ALL_STUDENTS assignment past due, an INDIVIDUAL_STUDENTS assignment past due
    (three students and one who has left the class), a short-answer question past due, a
    multiple-choice question without a due date, an assignment due next week, and a scheduled
    DRAFT. With `forbidden=True` a third class answers 403 for its course work.
    """

    PAGE = 5
    TOKEN = "fixture-oauth-token"
    REFRESH = "fixture-refresh-token"
    CODE = "fixture-auth-code"
    TEACHER = "teacher@school.example"

    def __init__(self, seed: int = 11, *, forbidden: bool = False) -> None:
        super().__init__()
        rng = random.Random(seed)
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.courses: list[dict[str, Any]] = []
        self.students: dict[str, list[dict[str, Any]]] = {}
        self.work: dict[str, list[dict[str, Any]]] = {}
        self.subs: dict[str, list[dict[str, Any]]] = {}
        self.forbidden: set[str] = set()
        self.problems: list[str] = []  # requests the discovery document does not allow
        self.token_requests: list[dict[str, str]] = []
        self.granted_scope = ""
        self.filter_work_states = True  # False: answer drafts too, whatever was asked
        # {class: {title: {email: status}}} of past-due or undated work; late flags of those missing
        self.truth: dict[str, dict[str, dict[str, str]]] = {}
        self.truth_late: dict[str, dict[str, dict[str, bool]]] = {}
        self.truth_undated: dict[str, set[str]] = {}
        classes = [("국어", "2학년 1반", 12), ("국어", "2학년 2반", 7)]
        for ci, (name, section, size) in enumerate(classes, start=1):
            cid = f"6{ci}0000000{ci}"
            self.courses.append(self._course(cid, name, section, "ACTIVE"))
            people = [
                {
                    "courseId": cid,
                    "userId": f"1{ci}{i:03d}",
                    "profile": {
                        "id": f"1{ci}{i:03d}",
                        "name": {"fullName": n, "givenName": n[1:], "familyName": n[0]},
                        "emailAddress": f"s{ci}{i:02d}@school.example",
                    },
                }
                for i, n in enumerate(korean_names(rng, size), start=1)
            ]
            self.students[cid] = people
            self._seed_work(cid, f"{name} {section}", [p["userId"] for p in people])
        self.courses.append(self._course("6900000009", "국어", "1학년 3반 (지난해)", "ARCHIVED"))
        if forbidden:
            cid = "6300000003"
            self.courses.append(self._course(cid, "수학", "2학년 3반", "ACTIVE"))
            self.students[cid] = []
            self.work[cid] = []
            self.subs[cid] = []
            self.forbidden.add(cid)

    @staticmethod
    def _course(cid: str, name: str, section: str, state: str) -> dict[str, Any]:
        return {
            "id": cid, "name": name, "section": section, "courseState": state, "ownerId": "100",
            "alternateLink": f"https://classroom.google.com/c/{cid}", "enrollmentCode": "abc123",
            "creationTime": "2026-03-02T00:00:00.000Z", "updateTime": "2026-03-02T00:00:00.000Z",
        }  # fmt: skip

    def _seed_work(self, cid: str, class_name: str, ids: list[str]) -> None:
        now = self.now

        def due(days: int, hours: int, minutes: int = 0) -> dict[str, Any]:
            d = now + timedelta(days=days)
            t: dict[str, int] = {}
            if hours:
                t["hours"] = hours
            if minutes:
                t["minutes"] = minutes
            return {"dueDate": {"year": d.year, "month": d.month, "day": d.day}, "dueTime": t}

        left = f"{cid[:2]}999"  # a student who was given the work and has left the class since
        works = [
            {"id": f"{cid}1", "title": "독서 감상문", "workType": "ASSIGNMENT", "assigneeMode": "ALL_STUDENTS",
             "assignment": {}, **due(-3, 14)},
            {"id": f"{cid}2", "title": "보충 과제", "workType": "ASSIGNMENT", "assigneeMode": "INDIVIDUAL_STUDENTS",
             "individualStudentsOptions": {"studentIds": [ids[1], ids[2], ids[4], left]}, **due(-1, 23, 59)},
            {"id": f"{cid}3", "title": "퀴즈: 문법", "workType": "SHORT_ANSWER_QUESTION",
             "assigneeMode": "ALL_STUDENTS", **due(-2, 0)},
            {"id": f"{cid}4", "title": "객관식 확인", "workType": "MULTIPLE_CHOICE_QUESTION",
             "assigneeMode": "ALL_STUDENTS", "multipleChoiceQuestion": {"choices": ["가", "나", "다"]}},
            {"id": f"{cid}5", "title": "다음 주 발표 준비", "workType": "ASSIGNMENT", "assigneeMode": "ALL_STUDENTS",
             **due(5, 9)},
            {"id": f"{cid}7", "title": "단원 평가 (퀴즈 과제)", "workType": "ASSIGNMENT", "assigneeMode": "ALL_STUDENTS",
             "assignment": {}, "materials": [{"form": {"formUrl": f"https://docs.google.com/forms/d/{cid}/edit",
             "title": "단원 평가", "responseUrl": f"https://docs.google.com/forms/d/e/{cid}/viewform"}}], **due(-4, 8)},
            {"id": f"{cid}6", "title": "기말 과제 (예약됨)", "workType": "ASSIGNMENT", "assigneeMode": "ALL_STUDENTS",
             "state": "DRAFT", "scheduledTime": _rfc3339(now + timedelta(days=2)), **due(-1, 9)},
        ]  # fmt: skip
        for w in works:
            w.setdefault("state", "PUBLISHED")
            w.update(courseId=cid, maxPoints=100, creationTime=_rfc3339(now - timedelta(days=10)),
                     updateTime=_rfc3339(now - timedelta(days=10)), creatorUserId="100",
                     alternateLink=f"https://classroom.google.com/c/{cid}/a/{w['id']}")  # fmt: skip
            if w["state"] != "PUBLISHED":
                del w["alternateLink"]  # Google: only populated when PUBLISHED
        self.work[cid] = works
        subs: list[dict[str, Any]] = []
        truth: dict[str, dict[str, str]] = {}
        late_truth: dict[str, dict[str, bool]] = {}
        undated: set[str] = set()
        for j, w in enumerate(works):
            if w["state"] != "PUBLISHED":
                continue  # drafts have no submissions yet
            individual = w["assigneeMode"] == "INDIVIDUAL_STUDENTS"
            assigned = w["individualStudentsOptions"]["studentIds"] if individual else ids
            has_due = "dueDate" in w
            past_due = has_due and _due_at(w) < now
            missing: dict[str, str] = {}
            lates: dict[str, bool] = {}
            for i, uid in enumerate(assigned):
                case = CASES[(i + 3 * j) % len(CASES)]
                if not past_due and case == "TURNED_IN_LATE":
                    case = "TURNED_IN"
                sub = self._submission(cid, w, uid, case, past_due)
                subs.append(sub)
                status = CASE_STATUS[case]
                if uid == left:
                    continue  # not in the class any more: in no report
                email = f"s{cid[1]}{int(uid[-3:]):02d}@school.example"
                if status != "submitted":
                    missing[email] = status
                    lates[email] = bool(sub.get("late", False))
            if past_due or not has_due:
                truth[w["title"]] = missing
                late_truth[w["title"]] = lates
                if not has_due:
                    undated.add(w["title"])
        self.subs[cid] = subs
        self.truth[class_name] = truth
        self.truth_late[class_name] = late_truth
        self.truth_undated[class_name] = undated

    def _submission(self, cid: str, w: dict[str, Any], uid: str, case: str, past_due: bool) -> dict[str, Any]:
        t0 = self.now - timedelta(days=9)
        history: list[str] = {
            "TURNED_IN": ["CREATED", "TURNED_IN"],
            "TURNED_IN_LATE": ["CREATED", "TURNED_IN"],
            "RETURNED": ["CREATED", "TURNED_IN", "RETURNED"],
            "RETURNED_NEVER_TURNED_IN": ["CREATED", "RETURNED"],
            "RECLAIMED_BY_STUDENT": ["CREATED", "TURNED_IN", "RECLAIMED_BY_STUDENT"],
            "CREATED": ["CREATED"],
            "NEW": [],
            "NEW_NEVER_OPENED": [],
        }[case]
        state = history[-1] if history else "NEW"
        turned_in = CASE_STATUS[case] == "submitted"
        sub: dict[str, Any] = {
            "courseId": cid, "courseWorkId": w["id"], "id": f"Cg{w['id']}{uid}", "userId": uid,
            "state": state, "courseWorkType": w["workType"],
            "alternateLink": f"https://classroom.google.com/c/{cid}/a/{w['id']}/submissions/{uid}",
        }  # fmt: skip
        if history:  # never-opened submissions have no times and no history (Google's docs)
            sub["creationTime"] = _rfc3339(t0)
            sub["updateTime"] = _rfc3339(t0 + timedelta(hours=len(history)))
            sub["submissionHistory"] = [
                {"stateHistory": {"state": s, "stateTimestamp": _rfc3339(t0 + timedelta(hours=k)),
                                  "actorUserId": "100" if s == "RETURNED" else uid}}
                for k, s in enumerate(history)
            ]  # fmt: skip
        if case == "TURNED_IN_LATE" or (past_due and not turned_in):
            sub["late"] = True  # Classroom: turned in after the due date, or past due and not turned in
        if w["workType"] == "SHORT_ANSWER_QUESTION" and history:
            sub["shortAnswerSubmission"] = {"answer": "답"}
        if w["workType"] == "ASSIGNMENT":
            sub["assignmentSubmission"] = {}
        return sub

    # ----- serving ---------------------------------------------------------------------------------
    def check_shapes(self) -> int:
        """Every answer given is one the `classroom.v1` discovery document allows (run on exit)."""
        from . import classroom_discovery as discovery

        checked = 0
        for ex in self.responses:
            if ex.path in ("/token", "/auth"):
                continue  # OAuth endpoints: not part of the Classroom API
            found = discovery.method_for(ex.method, ex.path)
            discovery.validate_response(found[0]["id"] if found else None, ex.status, ex.payload)
            checked += 1
        return checked

    def fault_body(self, status: int) -> Any:
        reason = {429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 502: "UNAVAILABLE", 503: "UNAVAILABLE",
                  504: "DEADLINE_EXCEEDED", 403: "PERMISSION_DENIED", 401: "UNAUTHENTICATED"}  # fmt: skip
        return {
            "error": {"code": status, "message": "fixture fault", "status": reason.get(status, "UNKNOWN")}
        }

    @staticmethod
    def _error(code: int, message: str, status: str) -> tuple[int, Any]:
        return code, {"error": {"code": code, "message": message, "status": status}}

    def _page(self, key: str, items: list[dict[str, Any]], query: dict) -> dict[str, Any]:
        token = query.get("pageToken", ["p0"])[0]
        start = int(token[1:])
        size = min(int(query.get("pageSize", [self.PAGE])[0]) or self.PAGE, self.PAGE)
        out: dict[str, Any] = {}
        if items[start : start + size]:
            out[key] = items[start : start + size]  # proto3 JSON: an empty list is left out
        if start + size < len(items):
            out["nextPageToken"] = f"p{start + size}"
        return out

    def route(self, method: str, path: str, query: dict, body: str, headers: Any) -> tuple[int, Any]:
        if path == "/token" and method == "POST":
            return self._token({k: v[0] for k, v in parse_qs(body).items()})
        if path == "/auth" and method == "GET":  # the consent page: the user agrees at once
            q = {k: v[0] for k, v in query.items()}
            self.granted_scope = q.get("scope", "")
            return (
                302,
                f"{q['redirect_uri']}?state={q.get('state', '')}&code={self.CODE}&scope={q.get('scope', '')}",
            )
        if headers.get("Authorization") != f"Bearer {self.TOKEN}":
            return self._error(401, "Request had invalid authentication credentials.", "UNAUTHENTICATED")
        # imported here: only the Classroom tests need google-api-python-client
        from .classroom_discovery import check_query, method_for

        found = method_for(method, path)
        if found is None:
            return self._error(404, "Method not found.", "NOT_FOUND")
        m, params = found
        bad = check_query(m, query)
        if bad:
            self.problems.extend(bad)
            return self._error(400, "; ".join(bad), "INVALID_ARGUMENT")
        mid = m["id"]
        if mid == "classroom.courses.list":
            if query.get("teacherId") != ["me"]:
                self.problems.append(f"courses.list without teacherId=me: {query}")
            states = query.get("courseStates")
            courses = [c for c in self.courses if not states or c["courseState"] in states]
            return 200, self._page("courses", courses, query)
        cid = params.get("courseId", "")
        if cid not in self.students:
            return self._error(404, "Requested entity was not found.", "NOT_FOUND")
        if mid == "classroom.courses.students.list":
            return 200, self._page("students", self.students[cid], query)
        if cid in self.forbidden:
            return self._error(403, "The caller does not have permission", "PERMISSION_DENIED")
        if mid == "classroom.courses.courseWork.list":
            states = query.get("courseWorkStates") or ["PUBLISHED"]  # Google's default
            works = [w for w in self.work[cid] if w["state"] in states or not self.filter_work_states]
            return 200, self._page("courseWork", works, query)
        if mid == "classroom.courses.courseWork.studentSubmissions.list":
            wid = params["courseWorkId"]
            subs = [s for s in self.subs[cid] if wid in ("-", s["courseWorkId"])]
            if query.get("states"):
                subs = [s for s in subs if s["state"] in query["states"]]
            return 200, self._page("studentSubmissions", subs, query)
        return self._error(501, f"{mid} is not in this fixture", "NOT_IMPLEMENTED")

    def _token(self, form: dict[str, str]) -> tuple[int, Any]:
        """OAuth 2 token endpoint (RFC 6749 answers)."""
        self.token_requests.append(form)
        grant = form.get("grant_type", "")
        if grant == "refresh_token" and form.get("refresh_token") == self.REFRESH:
            return 200, {"access_token": self.TOKEN, "expires_in": 3599, "token_type": "Bearer"}
        if grant == "authorization_code" and form.get("code") == self.CODE:
            return 200, {"access_token": self.TOKEN, "refresh_token": self.REFRESH, "expires_in": 3599,
                         "token_type": "Bearer", "scope": self.granted_scope}  # fmt: skip
        if grant == "urn:ietf:params:oauth:grant-type:jwt-bearer":
            claims = _jwt_claims(form.get("assertion", ""))
            if claims.get("sub") == self.TEACHER:
                return 200, {"access_token": self.TOKEN, "expires_in": 3599, "token_type": "Bearer"}
            return 401, {"error": "unauthorized_client", "error_description": "Client is unauthorized"}
        return 400, {"error": "invalid_grant", "error_description": "Bad Request"}


def _due_at(work: dict[str, Any]) -> datetime:
    d, t = work["dueDate"], work.get("dueTime", {})
    return datetime(d["year"], d["month"], d["day"], t.get("hours", 0), t.get("minutes", 0), tzinfo=UTC)


def _jwt_claims(assertion: str) -> dict[str, Any]:
    import base64

    try:
        part = assertion.split(".")[1]
        return dict(json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))))
    except (IndexError, ValueError):
        return {}


# ----- Moodle --------------------------------------------------------------------------------
DAY, HOUR = 86400, 3600
# (submission kind) cycle: what a participant did with a piece of work
MOODLE_CASES = ["on_time", "late", "draft", "none", "new", "reopened", "on_time"]
MOODLE_STATUS = {"on_time": "submitted", "late": "submitted", "draft": "started", "reopened": "started",
                 "none": "not_started", "new": "not_started"}  # fmt: skip


class MoodleFixture(FixtureServer):
    """A FIXTURE standing in for Moodle's web services (REST, JSON) — not a real Moodle.

    Every answer has the shape Moodle documents for the function (`tests/lms/moodle_schemas.py`
    validates each one), errors come as 200 + `exception`/`errorcode`. Seeded data:

    1학년 3반 과학 — ten students, groups 1모둠 (601-604) and 2모둠 (604-607; 604 is in both),
    three in no group, a suspended student still listed as a participant, a teacher. Work: a
    whole-class report past due; a plan restricted to 1모둠; a "no submissions" handout; a team
    (group) submission; work whose due date is overridden for a user and for both groups (2모둠
    ranked first) with one extension granted; work due next week overridden earlier for one
    student; work without a due date. 1학년 4반 과학 — eight students, whole-class and group work.
    A finished course is not "in progress"; in a course the teacher takes as a student they may not
    grade (mod_assign_get_assignments with mod/assign:grade leaves it out). `functions` in the site info can leave out
    mod_assign_get_overrides, as on Moodle before 5.0.
    """

    TOKEN = "fixture-moodle-token"

    def __init__(self, seed: int = 5, *, with_overrides: bool = True) -> None:
        super().__init__()
        rng = random.Random(seed)
        self.now = now = int(datetime.now(UTC).timestamp())
        self.with_overrides = with_overrides
        self.courses: list[dict[str, Any]] = []  # mod_assign_get_assignments' courses
        self.course_info: list[dict[str, Any]] = []  # timeline course summaries
        self.users: dict[int, list[dict[str, Any]]] = {}
        self.groups: dict[int, list[dict[str, Any]]] = {}
        self.participants: dict[int, list[dict[str, Any]]] = {}
        self.submissions: dict[int, list[dict[str, Any]]] = {}
        self.overrides: dict[int, list[dict[str, Any]]] = {}
        self.flags: dict[int, list[dict[str, Any]]] = {}
        self.broken_assign: set[int] = set()
        self.may_manage_overrides = True  # False: a non-editing teacher's token
        self.problems: list[str] = []
        # {class: {title: {username: status}}}, late flags of submitted work, and who each is for
        self.truth: dict[str, dict[str, dict[str, str]]] = {}
        self.truth_late: dict[str, dict[str, dict[str, bool | None]]] = {}
        self.truth_assigned: dict[str, dict[str, list[str]]] = {}
        self.truth_overrides_ignored: dict[str, dict[str, dict[str, str]]] = {}
        names = korean_names(rng, 19)
        self._course(
            1, "1학년 3반 과학", names[:10], {11: ("1모둠", [1, 2, 3, 4]), 12: ("2모둠", [5, 6, 7, 4])},
            [
                dict(id=101, name="실험 보고서", due=now - DAY),
                dict(id=102, name="탐구 계획서 (1모둠)", due=now - HOUR, only=[1, 2, 3, 4]),
                dict(id=103, name="수업 자료 (제출 없음)", due=0, nosubmissions=1),
                dict(id=104, name="모둠 발표 자료", due=now - 2 * DAY, team={11: "submitted", 12: "draft"}),
                dict(id=105, name="기한 변경 과제", due=now - DAY,
                     overrides=[dict(userid=1, duedate=now + 3 * DAY), dict(groupid=12, sortorder=1, duedate=now + 2 * DAY),
                                dict(groupid=11, sortorder=2, duedate=now - 2 * HOUR), dict(userid=9, duedate=now - 3 * DAY)],
                     extensions={8: now + DAY}),
                dict(id=106, name="다음 주 과제", due=now + 7 * DAY, overrides=[dict(userid=10, duedate=now - HOUR)],
                     shift=2),
                dict(id=107, name="기한 없는 과제", due=0),
            ],
        )  # fmt: skip
        self._course(
            2, "1학년 4반 과학", names[10:18], {21: ("1모둠", [1, 2, 3, 4])},
            [dict(id=201, name="실험 보고서", due=now - DAY),
             dict(id=202, name="탐구 계획서 (1모둠)", due=now - HOUR, only=[1, 2, 3, 4])],
        )  # fmt: skip
        self.course_info.append(self._summary(3, "작년 과학", ended=True))
        # a course the teacher takes as a student (in progress, with an assignment, not theirs to grade)
        self.course_info.append(self._summary(4, "교원 연수: 평가의 이해"))
        self.studying = {"id": 4, "fullname": "교원 연수: 평가의 이해", "shortname": "SCI4",
                         "timemodified": now - 10 * DAY,
                         "assignments": [self._assignment(4, {"id": 401, "name": "연수 과제", "due": now - DAY})]}  # fmt: skip

    def _uid(self, ci: int, i: int) -> int:
        return 500 + ci * 100 + i

    def _user(
        self, ci: int, i: int, name: str, groups: list[dict[str, Any]], role: str = "student"
    ) -> dict[str, Any]:
        uid = self._uid(ci, i)
        return {
            "id": uid, "username": f"m{ci}{i:02d}", "firstname": name[1:], "lastname": name[0], "fullname": name,
            "email": f"m{ci}{i:02d}@school.example", "firstaccess": self.now - 90 * DAY,
            "lastaccess": self.now - DAY, "lastcourseaccess": self.now - DAY, "description": "",
            "descriptionformat": 1, "country": "KR",
            "profileimageurlsmall": "https://moodle.school.example/theme/image.php/boost/core/1/u/f2",
            "profileimageurl": "https://moodle.school.example/theme/image.php/boost/core/1/u/f1",
            "groups": groups,
            "roles": [{"roleid": 5 if role == "student" else 3, "name": "", "shortname": role,
                       "sortorder": 0}],
        }  # fmt: skip

    def _summary(self, cid: int, name: str, ended: bool = False) -> dict[str, Any]:
        return {
            "id": cid, "fullname": name, "shortname": f"SCI{cid}", "idnumber": "", "summary": "",
            "summaryformat": 1, "startdate": self.now - 200 * DAY,
            "enddate": self.now - 30 * DAY if ended else self.now + 100 * DAY, "visible": True,
            "showactivitydates": True, "showcompletionconditions": None, "fullnamedisplay": name,
            "viewurl": f"https://moodle.school.example/course/view.php?id={cid}",
            "courseimage": "data:image/svg+xml;base64,PHN2Zy8+", "hasprogress": False, "isfavourite": False,
            "hidden": False, "showshortname": False, "coursecategory": "과학",
        }  # fmt: skip

    def _course(
        self, ci: int, cname: str, names: list[str], groups: dict[int, tuple[str, list[int]]],
        specs: list[dict[str, Any]],
    ) -> None:  # fmt: skip
        now = self.now
        self.course_info.append(self._summary(ci, cname))
        self.groups[ci] = [
            {"id": gid, "courseid": ci, "name": gname, "description": "", "descriptionformat": 1,
             "enrolmentkey": "", "idnumber": ""}
            for gid, (gname, _) in groups.items()
        ]  # fmt: skip
        user_groups = {
            i: [
                {"id": gid, "name": gname, "description": ""}
                for gid, (gname, idx) in groups.items()
                if i in idx
            ]
            for i in range(1, len(names) + 1)
        }
        students = [self._user(ci, i, n, user_groups[i]) for i, n in enumerate(names, start=1)]
        self.users[ci] = students
        teacher = self._user(ci, 0, "정교사", [], role="editingteacher")
        suspended = self._user(ci, 99, "휴학생", [])
        self.all_users = getattr(self, "all_users", {})
        self.all_users[ci] = [*students, teacher, suspended]
        uname = {s["id"]: s["username"] for s in students}
        assignments = []
        truth: dict[str, dict[str, str]] = {}
        lates: dict[str, dict[str, bool | None]] = {}
        assigned_truth: dict[str, list[str]] = {}
        ignored: dict[str, dict[str, str]] = {}
        for j, spec in enumerate(specs):
            aid = spec["id"]
            base = spec["due"]
            assignments.append(self._assignment(ci, spec))
            idx = spec.get("only") or list(range(1, len(names) + 1))
            who = [self._uid(ci, i) for i in idx]
            team = spec.get("team")
            parts = []
            for i in idx:
                p = {
                    k: v
                    for k, v in students[i - 1].items()
                    if k not in ("roles", "groups", "lastcourseaccess")
                }
                p.update(submitted=False, requiregrading=False)
                if team and user_groups[i]:
                    p.update(groupid=user_groups[i][0]["id"], groupname=user_groups[i][0]["name"])
                parts.append(p)
            if not spec.get("only"):
                susp = {
                    k: v for k, v in suspended.items() if k not in ("roles", "groups", "lastcourseaccess")
                }
                parts.append({**susp, "submitted": False, "requiregrading": False})  # still listed by Moodle
            self.participants[aid] = parts
            self.overrides[aid] = [
                {"id": aid * 10 + k, "assignid": aid, "userid": self._uid(ci, o["userid"]) if "userid" in o else None,
                 "groupid": o.get("groupid"), "sortorder": o.get("sortorder"), "allowsubmissionsfromdate": None,
                 "duedate": o["duedate"], "cutoffdate": None, "timelimit": None, "reason": None, "reasonformat": 1}
                for k, o in enumerate(spec.get("overrides", []))
            ]  # fmt: skip
            self.flags[aid] = [
                {"id": aid * 10 + i, "userid": self._uid(ci, i), "locked": 0, "mailed": 0, "extensionduedate": d,
                 "allocatedmarker": 0, "workflowstate": ""}
                for i, d in spec.get("extensions", {}).items()
            ]  # fmt: skip
            # each student's own due date, written out by hand for the overridden work
            own_due = {uid: base for uid in who}
            if aid == 105:
                own_due.update({self._uid(ci, 1): now + 3 * DAY, self._uid(ci, 2): now - 2 * HOUR,
                                self._uid(ci, 3): now - 2 * HOUR, self._uid(ci, 4): now + 2 * DAY,
                                self._uid(ci, 5): now + 2 * DAY, self._uid(ci, 6): now + 2 * DAY,
                                self._uid(ci, 7): now + 2 * DAY, self._uid(ci, 8): now + DAY,
                                self._uid(ci, 9): now - 3 * DAY})  # fmt: skip
            if aid == 106:
                own_due[self._uid(ci, 10)] = now - HOUR
            counted = [uid for uid in who if not own_due[uid] or own_due[uid] < now]
            subs: list[dict[str, Any]] = []
            missing: dict[str, str] = {}
            late_of: dict[str, bool | None] = {}
            for k, uid in enumerate(who):
                if team:
                    gid = next((g["id"] for g in user_groups[idx[k]]), None)
                    status = {"submitted": "submitted", "draft": "started"}.get(
                        team.get(gid, ""), "not_started"
                    )
                    late = False if status == "submitted" else None
                else:
                    case = MOODLE_CASES[(k + j + spec.get("shift", 0)) % len(MOODLE_CASES)]
                    status = MOODLE_STATUS[case]
                    due = own_due[uid]
                    when = (due - 600 if case != "late" else due + 600) if due else now - 100
                    late = (case == "late") if status == "submitted" and due else None
                    if case != "none":
                        subs.append(
                            {"id": aid * 1000 + uid, "userid": uid, "attemptnumber": 0, "timecreated": when - 60,
                             "timemodified": when, "status": {"on_time": "submitted", "late": "submitted"}.get(case, case),
                             "groupid": 0, "assignment": aid, "latest": 1}
                        )  # fmt: skip
                if uid in counted and status != "submitted":
                    missing[uname[uid]] = status
                if uid in counted and status == "submitted":
                    late_of[uname[uid]] = late
                if base and base < now and status != "submitted" and uid not in counted:
                    ignored.setdefault(spec["name"], {})[uname[uid]] = status
            if team:
                for gid, state in team.items():
                    subs.append({"id": aid * 1000 + gid, "userid": 0, "attemptnumber": 0, "timecreated": now - 3 * DAY,
                                 "timemodified": base - 600, "status": state, "groupid": gid, "assignment": aid,
                                 "latest": 1})  # fmt: skip
            self.submissions[aid] = subs
            if not spec.get("nosubmissions") and counted:
                truth[spec["name"]] = missing
                lates[spec["name"]] = late_of
                assigned_truth[spec["name"]] = sorted(uname[u] for u in counted)
        self.courses.append(
            {"id": ci, "fullname": cname, "shortname": f"SCI{ci}", "timemodified": now - 10 * DAY,
             "assignments": assignments}
        )  # fmt: skip
        self.truth[cname] = truth
        self.truth_late[cname] = lates
        self.truth_assigned[cname] = assigned_truth
        self.truth_overrides_ignored[cname] = ignored

    def _assignment(self, ci: int, spec: dict[str, Any]) -> dict[str, Any]:
        aid = spec["id"]
        return {
            "id": aid, "cmid": aid + 1000, "course": ci, "name": spec["name"],
            "nosubmissions": spec.get("nosubmissions", 0), "submissiondrafts": 1, "sendnotifications": 0,
            "sendlatenotifications": 0, "sendstudentnotifications": 1, "duedate": spec["due"],
            "allowsubmissionsfromdate": self.now - 20 * DAY, "grade": 100, "timemodified": self.now - 20 * DAY,
            "completionsubmit": 1, "cutoffdate": 0, "gradingduedate": 0,
            "teamsubmission": 1 if spec.get("team") else 0, "requireallteammemberssubmit": 0,
            "teamsubmissiongroupingid": 0, "blindmarking": 0, "hidegrader": 0, "revealidentities": 0,
            "attemptreopenmethod": "untilpass", "maxattempts": -1, "markingworkflow": 0, "markingallocation": 0,
            "requiresubmissionstatement": 0, "preventsubmissionnotingroup": 0,
            "configs": [{"id": aid * 10, "assignment": aid, "plugin": "onlinetext", "subtype": "assignsubmission",
                         "name": "enabled", "value": "1"}],
            "intro": "", "introformat": 1, "introfiles": [],
        }  # fmt: skip

    def check_shapes(self) -> int:
        """Every answer given is shaped as Moodle documents the function (run on exit)."""
        from . import moodle_schemas

        for ex in self.responses:
            function = parse_qs(ex.body).get("wsfunction", [""])[0]
            moodle_schemas.validate(function, ex.payload)
        return len(self.responses)

    def fault_body(self, status: int) -> Any:
        return {
            "exception": "moodle_exception",
            "errorcode": "generalexceptionmessage",
            "message": "fixture fault",
        }

    @staticmethod
    def _ids(form: dict[str, str], name: str) -> list[int]:
        return [int(v) for k, v in sorted(form.items()) if k.startswith(f"{name}[")]

    def route(self, method: str, path: str, query: dict, body: str, headers: Any) -> tuple[int, Any]:
        if path != "/webservice/rest/server.php" or method != "POST":
            return 404, {"exception": "moodle_exception", "errorcode": "notfound", "message": "not found"}
        form = {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}
        if form.get("moodlewsrestformat") != "json":
            self.problems.append("moodlewsrestformat is not json")
        if form.get("wstoken") != self.TOKEN:
            return 200, {"exception": "moodle_exception", "errorcode": "invalidtoken",
                         "message": "Invalid token - token not found"}  # fmt: skip
        fn = form.get("wsfunction", "")
        answer = self._answer(fn, form)
        if answer is None:
            return 200, {"exception": "dml_missing_record_exception", "errorcode": "invalidrecord",
                         "message": "Can't find data record in database table external_functions."}  # fmt: skip
        return 200, answer

    def _answer(self, fn: str, form: dict[str, str]) -> Any:
        functions = [
            "core_webservice_get_site_info", "core_course_get_enrolled_courses_by_timeline_classification",
            "core_enrol_get_enrolled_users", "core_group_get_course_groups", "mod_assign_get_assignments",
            "mod_assign_list_participants", "mod_assign_get_user_flags", "mod_assign_get_submissions",
        ]  # fmt: skip
        if self.with_overrides:
            functions.append("mod_assign_get_overrides")
        if fn not in functions:
            return None
        if fn == "core_webservice_get_site_info":
            return {
                "sitename": "Fixture Moodle", "username": "teacher", "firstname": "교사", "lastname": "정",
                "fullname": "정교사", "lang": "ko", "userid": 2, "siteurl": "https://moodle.school.example",
                "userpictureurl": "https://moodle.school.example/theme/image.php/boost/core/1/u/f1",
                "functions": [{"name": f, "version": "2024100700"} for f in functions],
                "release": "5.0 (Build: 20250414)", "version": "2025041400", "siteid": 1,
                "userissiteadmin": False,
            }  # fmt: skip
        if fn == "core_course_get_enrolled_courses_by_timeline_classification":
            if form.get("classification") != "inprogress":
                self.problems.append(f"classification={form.get('classification')}")
            courses = [c for c in self.course_info if c["enddate"] > self.now]
            return {"courses": courses, "nextoffset": len(courses)}
        if fn == "core_enrol_get_enrolled_users":
            ci = int(form["courseid"])
            opts = {form.get(f"options[{i}][name]"): form.get(f"options[{i}][value]") for i in range(4)}
            users = self.all_users[ci]
            if opts.get("withcapability") == "mod/assign:submit":
                users = [u for u in users if u["roles"][0]["shortname"] == "student"]
            if opts.get("onlyactive") == "1":
                users = [u for u in users if u["username"][-2:] != "99"]
            return users
        if fn == "core_group_get_course_groups":
            return self.groups[int(form["courseid"])]
        if fn == "mod_assign_get_assignments":
            ids = self._ids(form, "courseids")
            courses = [c for c in self.courses if not ids or c["id"] in ids]
            if form.get("capabilities[0]") != "mod/assign:grade":
                courses = [*courses, self.studying]  # the teacher is a student there: no grading
            return {"courses": courses, "warnings": []}
        if fn == "mod_assign_list_participants":
            aid = int(form["assignid"])
            if aid in self.broken_assign:
                return {"exception": "dml_read_exception", "errorcode": "dmlreadexception",
                        "message": "Error reading from database"}  # fmt: skip
            return self.participants[aid]
        if fn == "mod_assign_get_overrides":
            if not self.may_manage_overrides:
                return {"exception": "required_capability_exception", "errorcode": "nopermissions",
                        "message": "Sorry, but you do not currently have permissions to do that "
                                   "(Manage assignment overrides)."}  # fmt: skip
            return {"overrides": self.overrides[int(form["assignid"])]}
        if fn == "mod_assign_get_user_flags":
            ids = self._ids(form, "assignmentids")
            return {
                "assignments": [{"assignmentid": a, "userflags": self.flags[a]} for a in ids],
                "warnings": [],
            }
        if fn == "mod_assign_get_submissions":
            ids = self._ids(form, "assignmentids")
            return {"assignments": [{"assignmentid": a, "submissions": self.submissions[a]} for a in ids],
                    "warnings": []}  # fmt: skip
        return None
