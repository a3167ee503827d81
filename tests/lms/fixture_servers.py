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


class FixtureServer:
    """Base: a threaded HTTP server; subclasses implement `route(method, path, query, body)`."""

    def __init__(self) -> None:
        self.faults: list[Fault] = []
        self.requests: list[str] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                url = urlparse(self.path)
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
                    self._send(
                        fault.status,
                        {"error": {"code": fault.status, "message": "fixture fault"}},
                        fault.headers,
                    )
                    return
                status, payload = outer.route(method, url.path, parse_qs(url.query), body, dict(self.headers))
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

    def route(self, method: str, path: str, query: dict, body: str, headers: dict) -> tuple[int, Any]:
        raise NotImplementedError

    def __enter__(self) -> FixtureServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# ----- Google Classroom ------------------------------------------------------------------------
class ClassroomFixture(FixtureServer):
    """Classroom API v1 shapes. Pages hold at most PAGE items, whatever pageSize asks, to force paging."""

    PAGE = 5
    TOKEN = "fixture-oauth-token"

    def __init__(self, seed: int = 11) -> None:
        super().__init__()
        rng = random.Random(seed)
        now = datetime.now(UTC)
        self.courses: list[dict[str, Any]] = []
        self.students: dict[str, list[dict[str, Any]]] = {}
        self.work: dict[str, list[dict[str, Any]]] = {}
        self.subs: dict[str, list[dict[str, Any]]] = {}
        self.truth: dict[str, dict[str, dict[str, str]]] = {}
        for ci, (name, section) in enumerate([("국어", "2학년 1반"), ("국어", "2학년 2반")], start=1):
            cid = f"6{ci}0000000{ci}"
            self.courses.append({"id": cid, "name": name, "section": section, "courseState": "ACTIVE"})
            people = [
                {
                    "courseId": cid,
                    "userId": f"1{ci}{i:03d}",
                    "profile": {
                        "id": f"1{ci}{i:03d}",
                        "name": {"fullName": n},
                        "emailAddress": f"s{ci}{i:02d}@school.example",
                    },
                }
                for i, n in enumerate(korean_names(rng, 12), start=1)
            ]
            self.students[cid] = people
            ids = [p["userId"] for p in people]

            def due(days: int) -> dict[str, Any]:
                d = now + timedelta(days=days)
                return {"dueDate": {"year": d.year, "month": d.month, "day": d.day}, "dueTime": {"hours": 14}}

            works = [
                {"id": f"{cid}1", "title": "독서 감상문", "workType": "ASSIGNMENT", "assigneeMode": "ALL_STUDENTS", **due(-3)},
                {"id": f"{cid}2", "title": "보충 과제", "workType": "ASSIGNMENT", "assigneeMode": "INDIVIDUAL_STUDENTS",
                 "individualStudentsOptions": {"studentIds": ids[:5]}, **due(-1)},
                {"id": f"{cid}3", "title": "퀴즈: 문법", "workType": "SHORT_ANSWER_QUESTION",
                 "assigneeMode": "ALL_STUDENTS", **due(-2)},
                {"id": f"{cid}4", "title": "다음 주 발표 준비", "workType": "ASSIGNMENT", "assigneeMode": "ALL_STUDENTS", **due(5)},
                {"id": f"{cid}5", "title": "자유 게시", "workType": "ASSIGNMENT", "assigneeMode": "ALL_STUDENTS"},
            ]  # fmt: skip
            for w in works:
                w.update(courseId=cid, state="PUBLISHED")
            self.work[cid] = works
            subs = []
            truth: dict[str, dict[str, str]] = {}
            for w in works:
                assigned = w["individualStudentsOptions"]["studentIds"] if w["id"].endswith("2") else ids
                past_due = w["id"][-1] in "123"
                missing = {}
                for uid in assigned:
                    state = rng.choice(
                        ["NEW", "CREATED", "TURNED_IN", "TURNED_IN", "RETURNED", "RECLAIMED_BY_STUDENT"]
                    )
                    if state == "NEW" and rng.random() < 0.3:
                        status = "not_started"  # no submission record at all
                    else:
                        subs.append(
                            {"courseId": cid, "courseWorkId": w["id"], "id": f"sub{w['id']}{uid}", "userId": uid,
                             "state": state, "late": state == "TURNED_IN" and rng.random() < 0.3}
                        )  # fmt: skip
                        status = {
                            "NEW": "not_started",
                            "CREATED": "started",
                            "RECLAIMED_BY_STUDENT": "started",
                        }.get(state, "submitted")
                    if status != "submitted":
                        missing[f"s{ci}{int(uid[-3:]):02d}@school.example"] = status
                if past_due:
                    truth[w["title"]] = missing
            self.subs[cid] = subs
            self.truth[f"{name} {section}"] = truth

    def _page(self, key: str, items: list[dict[str, Any]], query: dict) -> dict[str, Any]:
        start = int(query.get("pageToken", ["0"])[0])
        size = min(int(query.get("pageSize", [self.PAGE])[0]), self.PAGE)
        out: dict[str, Any] = {key: items[start : start + size]}
        if start + size < len(items):
            out["nextPageToken"] = str(start + size)
        return out

    def route(self, method: str, path: str, query: dict, body: str, headers: dict) -> tuple[int, Any]:
        if headers.get("Authorization") != f"Bearer {self.TOKEN}":
            return 401, {"error": {"code": 401, "message": "Request had invalid authentication credentials.",
                                   "status": "UNAUTHENTICATED"}}  # fmt: skip
        parts = path.strip("/").split("/")
        if parts == ["v1", "courses"]:
            return 200, self._page("courses", self.courses, query)
        if len(parts) >= 4 and parts[:2] == ["v1", "courses"] and parts[2] in self.students:
            cid = parts[2]
            if parts[3:] == ["students"]:
                return 200, self._page("students", self.students[cid], query)
            if parts[3:] == ["courseWork"]:
                return 200, self._page("courseWork", self.work[cid], query)
            if parts[3:] == ["courseWork", "-", "studentSubmissions"]:
                return 200, self._page("studentSubmissions", self.subs[cid], query)
        return 404, {
            "error": {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}
        }


# ----- Moodle --------------------------------------------------------------------------------
class MoodleFixture(FixtureServer):
    """Moodle web-service REST shapes for the three mod_assign functions (plus site info)."""

    TOKEN = "fixture-moodle-token"

    def __init__(self, seed: int = 5) -> None:
        super().__init__()
        rng = random.Random(seed)
        now = int(datetime.now(UTC).timestamp())
        self.courses: list[dict[str, Any]] = []
        self.participants: dict[int, list[dict[str, Any]]] = {}
        self.submissions: dict[int, list[dict[str, Any]]] = {}
        self.truth: dict[str, dict[str, dict[str, str]]] = {}
        aid = 100
        for ci, cname in enumerate(["1학년 3반 과학", "1학년 4반 과학"], start=1):
            users = [
                {"id": 500 + ci * 100 + i, "username": f"m{ci}{i:02d}", "fullname": n, "email": f"m{ci}{i:02d}@school.example"}
                for i, n in enumerate(korean_names(rng, 10), start=1)
            ]  # fmt: skip
            assignments = []
            truth: dict[str, dict[str, str]] = {}
            for title, due, group_only, nosub in [
                ("실험 보고서", now - 86400, False, 0),
                ("탐구 계획서 (1모둠)", now - 3600, True, 0),
                ("수업 자료 (제출 없음)", 0, False, 1),
            ]:
                aid += 1
                assignments.append(
                    {"id": aid, "cmid": aid + 1000, "course": ci, "name": title, "duedate": due,
                     "nosubmissions": nosub, "teamsubmission": 0}
                )  # fmt: skip
                who = users[:4] if group_only else users
                self.participants[aid] = [
                    {"id": u["id"], "username": u["username"], "fullname": u["fullname"], "submitted": False,
                     "requiregrading": False}
                    for u in who
                ]  # fmt: skip
                subs = []
                missing = {}
                for u in who:
                    roll = rng.random()
                    if roll < 0.5:
                        subs.append({"id": aid * 1000 + u["id"], "userid": u["id"], "status": "submitted",
                                     "timemodified": due - 60 if rng.random() < 0.7 else due + 60})  # fmt: skip
                    elif roll < 0.7:
                        subs.append({"id": aid * 1000 + u["id"], "userid": u["id"], "status": "draft",
                                     "timemodified": now})  # fmt: skip
                        missing[u["username"]] = "started"
                    else:
                        missing[u["username"]] = "not_started"
                self.submissions[aid] = subs
                if not nosub:
                    truth[title] = missing
            self.courses.append(
                {"id": ci, "fullname": cname, "shortname": f"SCI{ci}", "assignments": assignments}
            )
            self.truth[cname] = truth
        self.broken_assign: set[int] = set()

    def route(self, method: str, path: str, query: dict, body: str, headers: dict) -> tuple[int, Any]:
        if path != "/webservice/rest/server.php":
            return 404, {"error": "not found"}
        form = {k: v[0] for k, v in parse_qs(body).items()}
        if form.get("wstoken") != self.TOKEN:
            return 200, {"exception": "moodle_exception", "errorcode": "invalidtoken",
                         "message": "Invalid token - token not found"}  # fmt: skip
        fn = form.get("wsfunction")
        if fn == "core_webservice_get_site_info":
            return 200, {"sitename": "Fixture Moodle", "username": "teacher", "userid": 2, "release": "4.3"}
        if fn == "mod_assign_get_assignments":
            return 200, {"courses": self.courses, "warnings": []}
        if fn == "mod_assign_list_participants":
            aid = int(form["assignid"])
            if aid in self.broken_assign:
                return 200, {"exception": "dml_read_exception", "errorcode": "dmlreadexception",
                             "message": "Error reading from database"}  # fmt: skip
            return 200, self.participants[aid]
        if fn == "mod_assign_get_submissions":
            ids = [int(v) for k, v in form.items() if k.startswith("assignmentids[")]
            return 200, {"assignments": [{"assignmentid": a, "submissions": self.submissions[a]} for a in ids],
                         "warnings": []}  # fmt: skip
        return 200, {"exception": "invalid_parameter_exception", "errorcode": "invalidparameter",
                     "message": f"unknown function {fn}"}  # fmt: skip
