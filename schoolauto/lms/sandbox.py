"""A local Kolibri to try `schoolauto lms` on, and to test it against: start, provision, seed, truth.

Kolibri lives in its own virtual environment (its pinned dependencies clash with ours); we only run
its `kolibri` executable. `scripts/setup-lms-test-env.sh` creates it at `.venv-kolibri/`, or point
`SCHOOLAUTO_KOLIBRI` at any `kolibri` executable of the pinned version.

Seeding works like a school would: `provisiondevice` and `bulkimportusers` make the facility,
coach, learners and classes; a tiny content channel is built locally and imported with
`importchannel disk` / `importcontent disk` (quizzes need content); the admin creates groups,
quizzes and a lesson through the REST API, then every learner logs in and opens, answers or submits quizzes through the learner API. What
was done is recorded as the *truth* that a driver's report must equal.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import time
import uuid
import zipfile
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

import requests

from ..errors import DependencyError, LmsError

KOLIBRI_VERSION = "0.19.5"
SANDBOX_FORMAT = "5"  # bump when seeding changes, so cached sandboxes are rebuilt
REPO = Path(__file__).resolve().parents[2]
IN_CHECKOUT = (REPO / "pyproject.toml").exists() and (REPO / "scripts").is_dir()
SETUP_HINT = (
    "scripts/setup-lms-test-env.sh 를 먼저 실행하세요"
    if IN_CHECKOUT
    else "시험용 Kolibri 설치를 요청하거나(docs/lms.md 의 '시험용 Kolibri') SCHOOLAUTO_KOLIBRI 에 kolibri 실행 파일을 적으세요"
)

ADMIN = ("admin", "admin-pass-1234")
COACH = ("coach", "coach-pass-1234")
FACILITY = "Sandbox School"
CHANNEL_ID = "5a4dbe5c0b6f4c8a9f1e2d3c4b5a6978"

# The share of learners per outcome in each quiz (the rest did not start).
SUBMIT_SHARE = 0.55
STARTED_SHARE = 0.2


def _bin(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / (f"{name}.exe" if os.name == "nt" else name)


def user_kolibri_venv() -> Path:
    """Where `install_kolibri` puts Kolibri for an installed (non-checkout) user."""
    from .config import state_dir

    return state_dir() / "kolibri-venv"


def find_kolibri() -> Path:
    """The `kolibri` executable: $SCHOOLAUTO_KOLIBRI, else the checkout's `.venv-kolibri`, else the user's."""
    env = os.environ.get("SCHOOLAUTO_KOLIBRI")
    if env:
        path = Path(env)
    else:
        candidates = [_bin(REPO / ".venv-kolibri", "kolibri")] if IN_CHECKOUT else []
        candidates.append(_bin(user_kolibri_venv(), "kolibri"))
        path = next((c for c in candidates if c.exists()), candidates[0])
    if not path.exists():
        raise DependencyError(f"Kolibri {KOLIBRI_VERSION} 실행 파일이 없습니다: {path}", hint=SETUP_HINT)
    return path


def install_kolibri(venv: Path | None = None) -> Path:
    """Kolibri (pinned) in its own virtual environment under the user's state folder; pip shows progress."""
    import sys

    venv = venv or user_kolibri_venv()
    kolibri = _bin(venv, "kolibri")
    if kolibri.exists():
        return kolibri
    print(f"Kolibri {KOLIBRI_VERSION} 를 {venv} 에 설치합니다 (몇 분 걸립니다)…", flush=True)
    steps = [
        [sys.executable, "-m", "venv", str(venv)],
        [str(_bin(venv, "python")), "-m", "pip", "install", f"kolibri=={KOLIBRI_VERSION}"],
    ]
    for cmd in steps:
        if subprocess.run(cmd, check=False).returncode != 0:
            raise DependencyError(
                f"Kolibri 설치에 실패했습니다 (명령: {' '.join(cmd[-3:])})", hint="인터넷 연결을 확인하세요"
            )
    return kolibri


def free_ports(n: int) -> list[int]:
    """`n` distinct free ports (all held open together while choosing, so none is handed out twice)."""
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [int(s.getsockname()[1]) for s in socks]
    finally:
        for s in socks:
            s.close()


def free_port() -> int:
    return free_ports(1)[0]


def kolibri_env(home: Path, port: int = 0, zip_port: int = 0) -> dict[str, str]:
    if not (port and zip_port):
        port, zip_port = free_ports(2)
    env = dict(os.environ)
    env.update(
        KOLIBRI_HOME=str(home),
        KOLIBRI_LISTEN_ADDRESS="127.0.0.1",
        KOLIBRI_HTTP_PORT=str(port),
        KOLIBRI_ZIP_CONTENT_PORT=str(zip_port),
        KOLIBRI_ZEROCONF_ENABLED="false",
        KOLIBRI_DISABLE_PING="true",
        KOLIBRI_RUN_MODE="schoolauto-sandbox",
    )
    return env


def run_manage(kolibri: Path, home: Path, *args: str) -> None:
    """`kolibri manage ARGS` with the sandbox environment; a failure shows Kolibri's own output."""
    proc = subprocess.run(
        [str(kolibri), "manage", *args],
        env=kolibri_env(home),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr)[-2000:]
        raise LmsError(f"kolibri manage {args[0]} 실패 (종료 코드 {proc.returncode}): {tail}")


class KolibriServer:
    """`kolibri start --foreground` on 127.0.0.1 at a free port; stopped with SIGTERM."""

    def __init__(self, home: Path, kolibri: Path | None = None) -> None:
        self.home = Path(home)
        self.kolibri = kolibri or find_kolibri()
        self.port, self.zip_port = free_ports(2)
        self.proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120, attempts: int = 3) -> KolibriServer:
        """Start and wait until both of Kolibri's ports answer; a port lost to a race gets new ports."""
        for attempt in range(1, attempts + 1):
            if self._start_once(timeout):
                return self
            self.stop()
            if attempt < attempts:
                self.port, self.zip_port = free_ports(2)
                self.url = f"http://127.0.0.1:{self.port}"
        raise LmsError(f"Kolibri 가 시작하자마자 끝났습니다; 로그: {self.home / 'sandbox-server.log'}")

    def _start_once(self, timeout: float) -> bool:
        # A copied home may carry the pid file of the run it was copied from.
        for stale in ("server.pid", "server.lock"):
            with contextlib.suppress(FileNotFoundError):
                (self.home / stale).unlink()
        self._log = open(self.home / "sandbox-server.log", "ab")
        self.proc = subprocess.Popen(
            [str(self.kolibri), "start", "--foreground", f"--port={self.port}"],
            env=kolibri_env(self.home, self.port, self.zip_port),
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            if self._answers():
                return True
            time.sleep(0.2)
        self.stop()
        raise LmsError(f"Kolibri 가 {timeout:.0f}초 안에 응답하지 않습니다")

    def _answers(self) -> bool:
        try:
            r = requests.get(f"{self.url}/api/public/info/", timeout=2)
            if r.status_code != 200:
                return False
            # The zip-content server starts a little later; if its port was taken, Kolibri exits.
            requests.get(f"http://127.0.0.1:{self.zip_port}/", timeout=2)
        except requests.RequestException:
            return False
        return True

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> KolibriServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass(frozen=True)
class SandboxSpec:
    """What to seed: classes × learners, quizzes per class (the last one goes to a group), a lesson."""

    classes: int = 2
    learners: int = 30
    quizzes: int = 3
    lesson: bool = True
    unopened: bool = True  # also a quiz not yet started by the coach and a draft (neither is due work)
    modes: bool = True  # every other way of assigning work and of joining or leaving (see `_seed`)
    seed: int = 20261129

    def key(self) -> str:
        raw = json.dumps(asdict(self), sort_keys=True) + KOLIBRI_VERSION + SANDBOX_FORMAT
        return f"kolibri-{KOLIBRI_VERSION}-{hashlib.sha1(raw.encode()).hexdigest()[:10]}"


@dataclass
class Sandbox:
    """A provisioned KOLIBRI_HOME and the truth seeded into it."""

    home: Path
    truth: dict[str, Any]
    coach: tuple[str, str] = COACH
    admin: tuple[str, str] = ADMIN
    extra: dict[str, Any] = field(default_factory=dict)


def class_name(i: int) -> str:
    return f"2학년 {i + 1}반"


def _korean_names(rng: random.Random, n: int) -> list[str]:
    from faker import Faker

    fake = Faker("ko_KR")
    fake.seed_instance(rng.randrange(1 << 30))
    names: list[str] = []
    while len(names) < n:
        name = fake.name()
        if name not in names:
            names.append(name)
    return names


def _users_csv(spec: SandboxSpec, path: Path, rng: random.Random) -> dict[str, list[dict[str, str]]]:
    classes = [class_name(c) for c in range(spec.classes)]
    roster: dict[str, list[dict[str, str]]] = {}
    header = ["UUID", "USERNAME", "PASSWORD", "FULL_NAME", "USER_TYPE", "IDENTIFIER", "BIRTH_YEAR", "GENDER"]
    header += ["ENROLLED_IN", "ASSIGNED_TO"]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerow(["", COACH[0], COACH[1], "담임 선생님", "CLASS_COACH", "", "", "", "", ",".join(classes)])
        for c, cname in enumerate(classes):
            roster[cname] = []
            for i, name in enumerate(_korean_names(rng, spec.learners)):
                username = f"s{c + 1:02d}{i + 1:02d}"
                roster[cname].append({"username": username, "name": name, "password": f"pw-{username}"})
                w.writerow(["", username, f"pw-{username}", name, "LEARNER", "", "", "", cname, ""])
    return roster


def _hex(rng: random.Random) -> str:
    return uuid.UUID(int=rng.getrandbits(128), version=4).hex


def _perseus(items: Sequence[str]) -> bytes:
    """A minimal Perseus exercise archive (Kolibri only copies it; nobody renders it here)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("exercise.json", json.dumps({"all_assessment_items": items, "mastery_model": "do_all"}))
        for q in items:
            question = {"content": "1 + 1 = ?", "images": {}, "widgets": {}}
            z.writestr(f"{q}.json", json.dumps({"question": question, "answerArea": {}, "hints": []}))
    return buf.getvalue()


def build_channel(
    kolibri_db: Path, data_dir: Path, rng: random.Random, n_exercises: int = 3, n_items: int = 6
) -> list[dict]:
    """A tiny channel (a topic with a few exercises) as Kolibri exports it, under `data_dir`.

    `data_dir` must be named KOLIBRI_DATA: it gets content/databases/<channel>.sqlite3 (the
    content tables of `kolibri_db`'s schema) and content/storage/x/y/<md5>.perseus files, ready
    for `kolibri manage importchannel disk` and `importcontent disk`.
    """
    root = _hex(rng)
    exercises = [
        {
            "id": _hex(rng),
            "content_id": _hex(rng),
            "title": f"연습 {i + 1}",
            "items": [_hex(rng) for _ in range(n_items)],
        }
        for i in range(n_exercises)
    ]
    (data_dir / "content" / "databases").mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(kolibri_db)
    ddl = [
        r[0]
        for r in src.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name LIKE 'content_%' "
            "AND name != 'content_contentrequest'"
        )
    ]
    src.close()
    con = sqlite3.connect(data_dir / "content" / "databases" / f"{CHANNEL_ID}.sqlite3")
    with con:
        for statement in ddl:
            con.execute(statement)
        cols = "id, title, content_id, channel_id, description, sort_order, license_owner, author, kind, "
        cols += "available, lft, rght, tree_id, level, coach_content, parent_id, options"
        sql = f"INSERT INTO content_contentnode ({cols}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
        con.execute(
            sql,
            (root, "schoolauto 시험 채널", _hex(rng), CHANNEL_ID, "", 1, "", "", "topic", 0,
             1, 2 * n_exercises + 2, 1, 0, 0, None, "{}"),
        )  # fmt: skip
        for i, ex in enumerate(exercises):
            con.execute(
                sql,
                (ex["id"], ex["title"], ex["content_id"], CHANNEL_ID, "", i + 1, "", "", "exercise", 0,
                 2 + 2 * i, 3 + 2 * i, 1, 1, 0, root, "{}"),
            )  # fmt: skip
            con.execute(
                "INSERT INTO content_assessmentmetadata (id, assessment_item_ids, number_of_assessments, "
                "mastery_model, randomize, is_manipulable, contentnode_id) VALUES (?,?,?,?,?,?,?)",
                (_hex(rng), json.dumps(ex["items"]), n_items, json.dumps({"type": "do_all"}), 0, 0, ex["id"]),
            )
            blob = _perseus(ex["items"])
            md5 = hashlib.md5(blob).hexdigest()
            path = data_dir / "content" / "storage" / md5[0] / md5[1] / f"{md5}.perseus"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(blob)
            con.execute(
                "INSERT INTO content_localfile (id, available, file_size, extension) VALUES (?,?,?,?)",
                (md5, 0, len(blob), "perseus"),
            )
            con.execute(
                "INSERT INTO content_file (id, supplementary, thumbnail, priority, contentnode_id, lang_id, "
                "local_file_id, preset) VALUES (?,?,?,?,?,?,?,?)",
                (_hex(rng), 0, 0, 1, ex["id"], None, md5, "exercise"),
            )
        # last_updated must have this shape: an ISO "T" date breaks the import halfway.
        con.execute(
            "INSERT INTO content_channelmetadata (id, name, description, author, version, thumbnail, "
            "last_updated, min_schema_version, root_id, published_size, total_resource_count, "
            '"order", public, partial) '
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (CHANNEL_ID, "schoolauto 시험 채널", "", "", 1, "", "2024-01-01 00:00:00.000000(UTC)", "5",
             root, 0, n_exercises, 1, 0, 0),
        )  # fmt: skip
    con.close()
    return exercises


class _Client:
    """A logged-in Kolibri session (admin, coach or learner) for seeding."""

    def __init__(self, base: str, username: str, password: str, facility: str) -> None:
        self.base = base
        self.s = requests.Session()
        r = self.s.post(
            f"{base}/api/auth/session/",
            json={"username": username, "password": password, "facility": facility},
            timeout=30,
        )
        if r.status_code != 200:
            raise LmsError(f"sandbox login failed for {username}: {r.status_code} {r.text[:200]}")
        self.user_id = r.json().get("user_id") or r.json().get("id")
        self.s.headers["X-CSRFToken"] = self.s.cookies.get("kolibri_csrftoken") or ""

    def call(self, method: str, path: str, **kw: Any) -> Any:
        r = self.s.request(method, f"{self.base}{path}", timeout=60, **kw)
        if r.status_code >= 400:
            raise LmsError(f"sandbox {method} {path}: {r.status_code} {r.text[:300]}")
        return r.json() if r.content else None


@dataclass
class _Members:
    """A seeded class's membership: at first, and once learners joined (`late`) and left (`gone`)."""

    users: list[str]
    groups: dict[str, list[str]]
    late: dict[str, list[str]]  # username -> groups joined besides the class
    gone: set[str] = field(default_factory=set)

    def at_creation(self, targets: dict[str, Any]) -> list[str]:
        """Usernames the work is for when it is created (before anyone joins or leaves)."""
        chosen: set[str] = set(self.users) if targets.get("class") else set()
        for g in targets.get("groups", []):
            chosen.update(self.groups[g])
        chosen.update(targets.get("learners", []))
        return [u for u in self.users if u in chosen]

    def now(self, targets: dict[str, Any]) -> list[str]:
        """Usernames the work is for once every membership change is done, in class order."""
        chosen = set(self.at_creation(targets))
        if targets.get("class"):
            chosen.update(self.late)
        for g in targets.get("groups", []):
            chosen.update(u for u, gs in self.late.items() if g in gs)
        return [u for u in [*self.users, *self.late] if u in chosen and u not in self.gone]


def _rolled(rng: random.Random, submit: float, started: float) -> str:
    roll = rng.random()
    return "submitted" if roll < submit else "started" if roll < submit + started else "not_started"


def _seed(base: str, spec: SandboxSpec, roster: dict, exercises: list[dict], rng: random.Random) -> dict:
    """Groups, quizzes and lessons in every way Kolibri assigns work, then learners act; returns the truth.

    Assignment modes (with `spec.modes`): whole class, one group, two overlapping groups (a learner
    in both gets the work once), a group plus individual learners, individual learners only (Kolibri's
    ad hoc group: `assignments: []` and `learner_ids`), for quizzes and lessons; an ended quiz, a
    quiz not started by the coach, a draft and a lesson hidden from learners (none of them due); a
    learner who joined the class and one who joined a group after the work was assigned; a learner
    removed from the class and one deactivated (deleted) after they had worked. The truth is who is
    assigned *now* (Kolibri's own rule: assignments are to collections, resolved by membership).
    """
    facility = requests.get(f"{base}/api/public/v1/facility/", timeout=10).json()[0]["id"]
    admin = _Client(base, *ADMIN, facility)
    classrooms = {c["name"]: c["id"] for c in admin.call("GET", "/api/auth/classroom/")}
    truth: dict[str, Any] = {"classes": []}
    plan: dict[str, list[tuple[str, str, str, dict]]] = {}  # username -> [(kind, id, status, extra)]
    passwords = {m["username"]: m["password"] for ls in roster.values() for m in ls}
    questions = [
        {"exercise_id": ex["id"], "question_id": q, "title": ex["title"], "counter_in_exercise": n + 1}
        for ex in exercises
        for n, q in enumerate(ex["items"][:2])
    ]
    finish: list[tuple[str, str, Any]] = []  # after the learners acted: (action, class id, arg)
    for c_index, (cname, learners) in enumerate(roster.items()):
        cid = classrooms[cname]
        summary = admin.call("GET", f"/coach/api/classsummary/{cid}/")
        ids = {u["username"]: u["id"] for u in summary["learners"]}
        half = len(learners) // 2
        groups: dict[str, list[dict[str, str]]] = {"1모둠": learners[:half], "2모둠": learners[half:]}
        if spec.modes:
            groups["3모둠"] = learners[half - 5 : half + 5]  # overlaps both: five learners in two groups
        group_ids = {}
        for gname, group_members in groups.items():
            g = admin.call("POST", "/api/auth/learnergroup/", json={"name": gname, "parent": cid})
            group_ids[gname] = g["id"]
            admin.call(
                "POST",
                "/api/auth/membership/",
                json=[{"user": ids[m["username"]], "collection": g["id"]} for m in group_members],
            )
        users = [m["username"] for m in learners]
        # Who changes membership after the work is assigned (by position in the class).
        leaver = users[-1] if spec.modes else None  # removed from the class
        deleted = users[-2] if spec.modes else None  # deactivated (deleted) in the facility
        late: dict[str, list[str]] = {}  # new username -> groups joined (besides the class)
        if spec.modes:
            late = {f"s{c_index + 1:02d}n1": [], f"s{c_index + 1:02d}n2": ["1모둠"]}
        # (title, kind, targets, state): targets = {"class": bool, "groups": [...], "learners": [...]}
        work: list[tuple[str, str, dict[str, Any], str]] = []
        for q in range(spec.quizzes):
            to_group = q == spec.quizzes - 1 and spec.quizzes > 1
            title = f"{q + 1}차 형성평가" + (" (1모둠)" if to_group else "")
            work.append((title, "quiz", {"groups": ["1모둠"]} if to_group else {"class": True}, "active"))
        if spec.modes:
            pick = [users[i] for i in (0, 3, 7, 16, 21)] + [deleted, leaver]
            work += [
                ("개별 퀴즈", "quiz", {"learners": pick}, "active"),
                (
                    "2모둠+개별 퀴즈",
                    "quiz",
                    {"groups": ["2모둠"], "learners": [users[2], users[4]]},
                    "active",
                ),
                ("1·3모둠 퀴즈", "quiz", {"groups": ["1모둠", "3모둠"]}, "active"),
                ("끝난 퀴즈", "quiz", {"class": True}, "ended"),
            ]
        if spec.unopened:
            work += [
                ("다음 주 퀴즈 (아직 안 엶)", "quiz", {"class": True}, "inactive"),
                ("초안 퀴즈", "quiz", {"class": True}, "draft"),
            ]
        if spec.lesson:
            work.append(("1단원 복습", "lesson", {"class": True}, "active"))
        if spec.modes:
            work += [
                ("개별 레슨", "lesson", {"learners": [users[1], users[5], users[25], deleted]}, "active"),
                ("2모둠 레슨", "lesson", {"groups": ["2모둠"]}, "active"),
                ("숨긴 레슨", "lesson", {"class": True}, "hidden"),  # not visible to learners
            ]

        members = _Members(users, {g: [m["username"] for m in ms] for g, ms in groups.items()}, late)
        members.gone = {u for u in (leaver, deleted) if u}
        ctruth: dict[str, Any] = {"name": cname, "assignments": []}
        for title, kind, targets, state in work:
            body: dict[str, Any] = {
                "title": title,
                "collection": cid,
                "assignments": ([cid] if targets.get("class") else [])
                + [group_ids[g] for g in targets.get("groups", [])],
                "learner_ids": [ids[u] for u in targets.get("learners", [])],
            }
            if kind == "quiz":
                body.update(
                    question_sources=[{"section_title": "", "questions": questions}],
                    learners_see_fixed_order=True,
                    draft=state == "draft",
                )
                if state != "draft":
                    body["active"] = state != "inactive"
                obj = admin.call("POST", "/api/exams/exam/", json=body)
                extra: dict[str, Any] = {"questions": questions}
            else:
                # Kolibri keeps progress per resource, not per lesson: each lesson gets its own.
                ex = exercises[
                    sum(1 for w in ctruth["assignments"] if w["kind"] == "lesson") % len(exercises)
                ]
                body.update(
                    resources=[
                        {"content_id": ex["content_id"], "channel_id": CHANNEL_ID, "contentnode_id": ex["id"]}
                    ],
                    active=state != "hidden",
                    created_by=admin.user_id,
                )
                obj = admin.call("POST", "/api/lessons/lesson/", json=body)
                extra = {"exercise": ex}
            if state in ("inactive", "draft", "hidden"):
                ctruth.setdefault("not_due", []).append(title)
                continue  # not due work: never in a report
            if state == "ended":
                finish.append(("end_quiz", cid, obj["id"]))
            share = (SUBMIT_SHARE, STARTED_SHARE) if kind == "quiz" else (0.5, 0.2)
            rolled = {u: _rolled(rng, *share) for u in members.at_creation(targets)}
            for u in late:
                rolled[u] = "not_started"  # joined late: has not begun anything
            if late and title.startswith("1차"):
                rolled[next(iter(late))] = "submitted"  # ... except one who caught up
            for gone_user in (leaver, deleted):
                if gone_user and gone_user in rolled:
                    rolled[gone_user] = "started"  # their logs stay in Kolibri; they must not count
            for u, status in rolled.items():
                if status != "not_started":
                    plan.setdefault(u, []).append((kind, obj["id"], status, extra))
            assigned = members.now(targets)
            if state == "ended":  # ending a quiz submits every attempt still open (Kolibri 0.19)
                rolled = {u: "submitted" if st == "started" else st for u, st in rolled.items()}
            ctruth["assignments"].append(
                {
                    "title": title,
                    "kind": kind,
                    "id": obj["id"],
                    "group": ", ".join(targets.get("groups", [])) or None,
                    "mode": "class"
                    if targets.get("class")
                    else "groups+learners"
                    if targets.get("groups") and targets.get("learners")
                    else "groups"
                    if targets.get("groups")
                    else "learners",
                    "ended": state == "ended",
                    "statuses": {u: rolled.get(u, "not_started") for u in assigned},
                }
            )
        # Learners who join after the work was assigned.
        names = _korean_names(random.Random(spec.seed + 1000 + c_index), len(learners) + len(late))
        fresh = [n for n in names if n not in {m["name"] for m in learners}]
        joined: list[dict[str, str]] = []
        for (username, gnames), name in zip(late.items(), fresh, strict=False):
            password = f"pw-{username}"
            user = admin.call(
                "POST",
                "/api/auth/facilityuser/",
                json={"username": username, "password": password, "full_name": name, "facility": facility},
            )
            admin.call("POST", "/api/auth/membership/", json={"user": user["id"], "collection": cid})
            for g in gnames:  # a group's members must be in the class first
                admin.call(
                    "POST", "/api/auth/membership/", json={"user": user["id"], "collection": group_ids[g]}
                )
            passwords[username] = password
            joined.append({"username": username, "name": name})
        if leaver:
            finish.append(("leave_class", cid, ids[leaver]))
        if deleted:
            finish.append(("delete_user", cid, ids[deleted]))
        ctruth["id"] = cid
        gone = {leaver, deleted}
        ctruth["learners"] = [
            {"username": m["username"], "name": m["name"]} for m in learners if m["username"] not in gone
        ] + joined
        ctruth["left"] = [
            {"username": m["username"], "name": m["name"]} for m in learners if m["username"] in gone
        ]
        ctruth["groups"] = {
            g: [m["username"] for m in ms if m["username"] not in gone]
            + [u for u, gs in late.items() if g in gs]
            for g, ms in groups.items()
        }
        truth["classes"].append(ctruth)

    def act(username: str) -> None:
        work = plan.get(username, [])
        if not work:
            return
        me = _Client(base, username, passwords[username], facility)
        for kind, obj_id, status, extra in work:
            _learner_does(me, kind, obj_id, status, extra)

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(act, sorted(plan)))
    for action, _cid, arg in finish:
        if action == "end_quiz":
            admin.call("PATCH", f"/api/exams/exam/{arg}/", json={"archive": True})
        elif action == "leave_class":
            rows = admin.call("GET", "/api/auth/membership/", params={"user": arg, "collection": _cid})
            for row in rows:
                admin.call("DELETE", f"/api/auth/membership/{row['id']}/")
        elif action == "delete_user":
            admin.call("DELETE", f"/api/auth/facilityuser/{arg}/")
    return truth


def _learner_does(me: _Client, kind: str, obj_id: str, status: str, extra: dict) -> None:
    if kind == "quiz":
        session = me.call("POST", "/api/logger/trackprogress/", json={"quiz_id": obj_id})
        qs = extra["questions"]
        answered = qs if status == "submitted" else qs[:1]
    else:
        ex = extra["exercise"]
        session = me.call(
            "POST",
            "/api/logger/trackprogress/",
            json={
                "node_id": ex["id"],
                "content_id": ex["content_id"],
                "channel_id": CHANNEL_ID,
                "kind": "exercise",
                "lesson_id": obj_id,
                "mastery_model": {"type": "do_all"},
            },
        )
        answered = [
            {"exercise_id": ex["id"], "question_id": q}
            for q in ex["items"][: (6 if status == "submitted" else 1)]
        ]
    sid = session["session_id"]
    for q in answered:
        item = f"{q['question_id']}:{q['exercise_id']}" if kind == "quiz" else q["question_id"]
        me.call(
            "PUT",
            f"/api/logger/trackprogress/{sid}/",
            json={
                "interactions": [
                    {
                        "item": item,
                        "correct": 1,
                        "complete": True,
                        "time_spent": 5,
                        "answer": {"response": "1"},
                    }
                ],
                "time_spent_delta": 5,
            },
        )
    if status == "submitted":
        me.call("PUT", f"/api/logger/trackprogress/{sid}/", json={"progress": 1})


def provision(home: Path, spec: SandboxSpec, kolibri: Path | None = None) -> Sandbox:
    """Create and seed a fresh KOLIBRI_HOME at `home`; returns it with the truth (also in truth.json)."""
    kolibri = kolibri or find_kolibri()
    home = Path(home)
    home.mkdir(parents=True, exist_ok=True)
    rng = random.Random(spec.seed)
    run_manage(
        kolibri, home, "provisiondevice", "--facility", FACILITY, "--preset", "formal",
        "--superusername", ADMIN[0], "--superuserpassword", ADMIN[1], "--noinput",
    )  # fmt: skip
    users = home / "sandbox-users.csv"
    roster = _users_csv(spec, users, rng)
    run_manage(kolibri, home, "bulkimportusers", str(users))
    users.unlink()
    data_dir = home.parent / f"{home.name}-channel" / "KOLIBRI_DATA"
    shutil.rmtree(data_dir.parent, ignore_errors=True)
    exercises = build_channel(home / "db.sqlite3", data_dir, rng)
    run_manage(kolibri, home, "importchannel", "disk", CHANNEL_ID, str(data_dir))
    run_manage(kolibri, home, "importcontent", "disk", CHANNEL_ID, str(data_dir))
    shutil.rmtree(data_dir.parent, ignore_errors=True)
    with KolibriServer(home, kolibri) as server:
        truth = _seed(server.url, spec, roster, exercises, rng)
    truth["spec"] = asdict(spec)
    truth["kolibri_version"] = KOLIBRI_VERSION
    (home / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return Sandbox(home=home, truth=truth)


def default_cache_dir() -> Path:
    """$SCHOOLAUTO_KOLIBRI_CACHE, else .kolibri-test/ in a checkout, else the user's state folder."""
    env = os.environ.get("SCHOOLAUTO_KOLIBRI_CACHE")
    if env:
        return Path(env)
    if IN_CHECKOUT:
        return REPO / ".kolibri-test"
    from .config import state_dir

    return state_dir() / "kolibri-sandbox"


def cached_sandbox(target: Path, spec: SandboxSpec, cache_dir: Path | None = None) -> Sandbox:
    """A seeded KOLIBRI_HOME at `target`, copied from a template under `cache_dir` (made on first use)."""
    kolibri = find_kolibri()
    cache_dir = Path(cache_dir or default_cache_dir())
    template = cache_dir / spec.key()
    if not (template / "truth.json").exists():
        building = cache_dir / f"{spec.key()}.building-{os.getpid()}"
        shutil.rmtree(building, ignore_errors=True)
        provision(building, spec, kolibri)
        try:
            building.rename(template)  # atomic: other runs see a complete template or none
        except OSError:
            if (template / "truth.json").exists():  # another run finished first: use theirs
                shutil.rmtree(building, ignore_errors=True)
            else:
                template = building
    target = Path(target)
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(template, target, ignore=shutil.ignore_patterns("*.pid", "*.lock", "sandbox-server.log"))
    truth = json.loads((target / "truth.json").read_text(encoding="utf-8"))
    return Sandbox(home=target, truth=truth)


@contextlib.contextmanager
def running_sandbox(target: Path, spec: SandboxSpec | None = None) -> Iterator[tuple[KolibriServer, Sandbox]]:
    """Copy (or build) a seeded sandbox to `target` and run Kolibri on it for the block."""
    sandbox = cached_sandbox(target, spec or SandboxSpec())
    with KolibriServer(sandbox.home) as server:
        yield server, sandbox


def serve(spec: SandboxSpec, *, ready: Any = print) -> None:
    """Run a seeded Kolibri until interrupted (SIGTERM or Ctrl+C); `ready(url)` is called once it answers."""

    def stop(*_: object) -> None:
        raise KeyboardInterrupt  # so that Kolibri is stopped and the temporary home removed

    import tempfile

    signal.signal(signal.SIGTERM, stop)
    with tempfile.TemporaryDirectory() as tmp, running_sandbox(Path(tmp) / "home", spec) as (server, _sb):
        ready(server.url)
        try:
            while server.proc is not None and server.proc.poll() is None:
                time.sleep(1)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":  # pragma: no cover - `python -m schoolauto.lms.sandbox` = `schoolauto lms sandbox`
    import sys

    from ..cli import main

    raise SystemExit(main(["lms", "sandbox", *sys.argv[1:]]))
