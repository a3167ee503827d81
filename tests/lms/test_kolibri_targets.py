"""Whom Kolibri work is for, read from a class summary shaped as Kolibri 0.19.5 serves it.

No server here: the summaries follow `kolibri/plugins/coach/class_summary_api.py` and the
`consolidate` step of `ExamViewset`/`LessonViewset` (ad hoc learners leave `assignments` and are
listed in `learner_ids`). The real server is exercised by test_kolibri_modes.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from schoolauto.errors import LmsError
from schoolauto.lms.kolibri import KolibriDriver
from schoolauto.lms.model import Course, Status, find_missing

CLASS = "c" * 32
G1, G2, ADHOC = "a" * 32, "b" * 32, "d" * 32
LEARNERS = [f"{i:032x}" for i in range(1, 11)]


def summary(exams: list[dict[str, Any]], lessons: list[dict[str, Any]] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    return {
        "id": CLASS,
        "name": "2학년 1반",
        "learners": [{"id": u, "name": f"학생{i}", "username": f"s{i:02d}"} for i, u in enumerate(LEARNERS)],
        "groups": [
            {"id": G1, "name": "1모둠", "member_ids": LEARNERS[:5]},
            {"id": G2, "name": "2모둠", "member_ids": LEARNERS[3:8]},  # 3, 4 are in both groups
        ],
        "adhoclearners": [{"id": ADHOC, "name": "Ad hoc", "member_ids": LEARNERS[8:10]}],
        "exams": exams,
        "exam_learner_status": [
            {"exam_id": e["id"], "learner_id": LEARNERS[0], "status": "Completed"} for e in exams
        ],
        "content_learner_status": [],
        "lessons": list(lessons),
    }


def exam(eid: str, assignments: list[str], learner_ids: list[str] | None = None, **kw: Any) -> dict[str, Any]:
    item = {"id": eid, "title": f"퀴즈 {eid}", "active": True, "archive": False, "draft": False}
    item.update(assignments=assignments, learner_ids=learner_ids if learner_ids is not None else [], **kw)
    return item


def assigned(data: dict[str, Any]) -> dict[str, list[str]]:
    cd = KolibriDriver.parse_summary(Course(CLASS, "2학년 1반"), data)
    return {a.title: [s.username or "" for s in cd.assigned_students(a)] for a in cd.assignments}


def usernames(idx: range | list[int]) -> list[str]:
    return [f"s{i:02d}" for i in idx]


@pytest.mark.parametrize(
    ("assignments", "learner_ids", "expected"),
    [
        ([CLASS], [], usernames(range(10))),  # whole class
        ([G1], [], usernames(range(5))),  # one group
        ([G1, G2], [], usernames(range(8))),  # two overlapping groups: 3 and 4 once
        ([], [LEARNERS[2], LEARNERS[9]], usernames([2, 9])),  # ad hoc only: not the whole class
        ([G2], [LEARNERS[0]], usernames([0, 3, 4, 5, 6, 7])),  # a group plus a learner
        ([CLASS, G1], [], usernames(range(10))),  # class and a group: the class
        ([], [], []),  # assigned to nobody (everyone removed): nobody, not the whole class
        ([], ["f" * 32], []),  # a learner no longer in the class
        ([ADHOC], None, usernames([8, 9])),  # an older server leaving the ad hoc group in assignments
    ],
    ids=[
        "class",
        "group",
        "two-groups",
        "adhoc",
        "group+adhoc",
        "class+group",
        "nobody",
        "gone",
        "old-adhoc",
    ],
)
def test_targets(assignments: list[str], learner_ids: list[str] | None, expected: list[str]) -> None:
    data = summary([exam("e1", assignments, learner_ids)])
    assert assigned(data) == {"퀴즈 e1": expected}


def test_adhoc_lesson_and_missing_counts() -> None:
    lesson = {"id": "l1", "title": "개별 레슨", "active": True, "resources": [{"content_id": "x"}]}
    lesson.update(assignments=[], learner_ids=[LEARNERS[1], LEARNERS[6]])
    data = summary([exam("e1", [], [LEARNERS[0], LEARNERS[5]])], [lesson])
    cd = KolibriDriver.parse_summary(Course(CLASS, "2학년 1반"), data)
    out = find_missing(cd)
    quiz, les = out.assignments
    assert (quiz.assigned, quiz.submitted, [m.student.username for m in quiz.missing]) == (2, 1, ["s05"])
    assert les.assigned == 2 and [m.status for m in les.missing] == [Status.NOT_STARTED] * 2
    assert quiz.assignment.whole_class is False


def test_drafts_and_unopened_quizzes_are_not_due() -> None:
    data = summary(
        [
            exam("e1", [CLASS]),
            exam("e2", [CLASS], active=False),  # not started by the coach
            exam("e3", [CLASS], active=False, draft=True),
            exam("e4", [CLASS], active=False, archive=True),  # ended: still due work
        ]
    )
    assert list(assigned(data)) == ["퀴즈 e1", "퀴즈 e4"]


def test_missing_assignments_field_is_an_error_not_the_whole_class() -> None:
    item = exam("e1", [])
    del item["assignments"]
    with pytest.raises(LmsError, match="모양이 예상과 다릅니다"):
        driver = KolibriDriver.__new__(KolibriDriver)
        driver._get = lambda path, what: summary([item])  # type: ignore[method-assign]
        driver.fetch_class(Course(CLASS, "2학년 1반"))
