"""The `collect_missing` job: who has not submitted, per class and assignment, from one LMS.

`collect_missing(MissingRequest) -> MissingReport`. With `cross_check`, the LMS is read both ways
(REST and browser with the site profile) and every assignment on which they disagree becomes a
warning naming it; the report is the one of the connection's own way.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from ..errors import LmsError, SchoolautoError
from .base import Connection, Driver, make_driver
from .config import ConnectionRequest, lms_secret, resolve_connection
from .model import ClassFailure, MissingReport, find_missing

log = logging.getLogger(__name__)


@dataclass
class MissingRequest:
    """What to collect: which LMS (`connection`), and whether to read it both ways and compare."""

    connection: ConnectionRequest = field(default_factory=ConnectionRequest)
    cross_check: bool = False
    interactive: bool | None = None  # may ask for a password at a terminal (None: only if there is one)
    now: datetime | None = None
    # A password given for this run only (the web page's password box); never stored. None: the
    # environment variable, the OS keyring, or a prompt.
    password: str | None = field(default=None, repr=False)


def collect_from_driver(
    driver: Driver,
    *,
    lms_name: str,
    classes: Sequence[str] = (),
    kinds: Sequence[str] = (),
    now: datetime | None = None,
) -> MissingReport:
    """Log in once, read every class (or only `classes`), and list who has not submitted.

    Wrong credentials stop the run (`AuthError`); a class that fails is listed under `errors`
    while the others are still reported. When no class at all could be read the run fails
    (`LmsError`): an empty report would read as "nobody is missing".
    """
    report = MissingReport(lms=lms_name, generated_at=now or datetime.now(UTC))
    driver.login()
    courses = driver.list_classes()
    if classes:
        wanted = list(classes)
        by_name = {c.name: c for c in courses}
        courses = [by_name[n] for n in wanted if n in by_name]
        for n in wanted:
            if n not in by_name:
                report.errors.append(ClassFailure(n, "LMS 에 이 이름의 반이 없습니다"))
    elif not courses:
        raise LmsError(
            f"LMS({lms_name}) 에 이 계정이 볼 수 있는 반이 하나도 없습니다",
            hint="코치(교사) 계정인지, 반에 코치로 배정되었는지 확인하세요",
        )
    for course, result in driver.fetch_classes(courses):
        if isinstance(result, SchoolautoError):
            log.info("a class could not be read: %s", result)  # the interface shows `errors`
            report.errors.append(ClassFailure(course.name, str(result)))
            continue
        report.classes.append(find_missing(result, tuple(kinds) or None))
    if not report.classes and report.errors:
        reasons = "; ".join(f"{e.class_name}: {e.message}" for e in report.errors[:3])
        more = f" 외 {len(report.errors) - 3}개" if len(report.errors) > 3 else ""
        raise LmsError(f"어느 반도 읽지 못했습니다 ({reasons}{more})")
    return report


def read_missing(conn: Connection, secret: str, now: datetime | None) -> MissingReport:
    log.info("LMS %s (%s, via %s): reading classes", conn.name, conn.driver, conn.via)
    with make_driver(conn, secret) as driver:
        report = collect_from_driver(
            driver, lms_name=conn.name, classes=conn.classes, kinds=conn.kinds, now=now
        )
    log.info("read %d classes, %d errors", len(report.classes), len(report.errors))
    return report


def compare_reports(first: MissingReport, second: MissingReport, names: tuple[str, str]) -> list[str]:
    """One Korean line per assignment on which two reports of the same LMS differ.

    Compared by class name, assignment id, and per student name: status and whether assigned.
    (Browser pages show names, not usernames.) No student names in the lines: they go to logs.
    """

    def index(r: MissingReport) -> dict[tuple[str, str], tuple[str, int, dict[str, str]]]:
        out = {}
        for c in r.classes:
            for a in c.assignments:
                missing = {m.student.name: m.status.value for m in a.missing}
                out[(c.course.name, a.assignment.id)] = (a.assignment.title, a.assigned, missing)
        return out

    one, two = index(first), index(second)
    failed = {e.class_name for e in (*first.errors, *second.errors)}
    lines: list[str] = []
    for key in sorted(one.keys() | two.keys()):
        class_name = key[0]
        if class_name in failed:
            continue
        if key not in two or key not in one:
            have = names[0] if key in one else names[1]
            title = (one.get(key) or two[key])[0]
            lines.append(f"교차 확인: {class_name} '{title}' 은(는) {have} 방식에서만 보입니다")
            continue
        (title, assigned1, miss1), (_t, assigned2, miss2) = one[key], two[key]
        if assigned1 == assigned2 and miss1 == miss2:
            continue
        only1 = len(miss1.keys() - miss2.keys())
        only2 = len(miss2.keys() - miss1.keys())
        status = sum(1 for n in miss1.keys() & miss2.keys() if miss1[n] != miss2[n])
        detail = [f"배정 {assigned1}명/{assigned2}명"] if assigned1 != assigned2 else []
        detail += [f"{names[0]}에만 미제출 {only1}명"] if only1 else []
        detail += [f"{names[1]}에만 미제출 {only2}명"] if only2 else []
        detail += [f"상태가 다른 학생 {status}명"] if status else []
        lines.append(f"교차 확인: {class_name} '{title}' 의 결과가 다릅니다 ({', '.join(detail)})")
        log.debug("cross-check %s %s: %s vs %s", class_name, title, miss1, miss2)
    return lines


def collect_missing(request: MissingRequest) -> MissingReport:
    """The non-submitters of every class the connection covers (see `MissingRequest`)."""
    conn, _cfg, _path = resolve_connection(request.connection)
    secret = request.password or lms_secret(conn, interactive=request.interactive)
    report = read_missing(conn, secret, request.now)
    if request.cross_check:
        other_via = "browser" if conn.via == "api" else "api"
        other = read_missing(replace(conn, via=other_via), secret, request.now)
        report.warnings.extend(compare_reports(report, other, (conn.via, other_via)))
    return report


__all__ = ["MissingRequest", "collect_from_driver", "collect_missing", "compare_reports", "read_missing"]
