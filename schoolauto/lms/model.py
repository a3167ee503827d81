"""The normalised LMS model every driver produces: classes, students, groups, assignments, statuses.

Compute code (who is missing) only knows these records, never an LMS's own shapes.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from ..reports.engine import TemplateReport


class Status(enum.StrEnum):
    """A student's state for one assignment."""

    SUBMITTED = "submitted"
    STARTED = "started"  # opened or a draft saved, not submitted
    NOT_STARTED = "not_started"


@dataclass(frozen=True)
class Learner:
    """A student as an LMS knows them (named apart from `schoolauto.roster.model.Student`)."""

    id: str
    name: str
    username: str | None = None


Student = Learner  # the older name, kept for drivers written against it


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    member_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assignment:
    """One piece of work and whom it is for: the whole class, groups, individual students, or a mix.

    A driver that knows says so with `everyone` (True: the whole class; False: only `group_ids` and
    `student_ids`, possibly nobody). `everyone=None` is the older convention of drivers whose LMS
    always states the target: no groups and no students means the whole class.
    """

    id: str
    title: str
    kind: str  # "quiz", "lesson", "assignment", ...
    due: datetime | None = None
    group_ids: tuple[str, ...] = ()
    student_ids: tuple[str, ...] = ()  # individually assigned students (ad hoc)
    everyone: bool | None = None
    listed: bool = False  # the LMS listed whom it is for without saying how (a browser page)

    @property
    def whole_class(self) -> bool:
        if self.everyone is not None:
            return self.everyone
        return not self.group_ids and not self.student_ids

    # The LMS has due dates but this work has none: missing means "not turned in yet" (기한 없음).
    no_due_date: bool = False


@dataclass(frozen=True)
class Course:
    """A class as the LMS lists it (before its details are fetched)."""

    id: str
    name: str


@dataclass(frozen=True)
class StudentStatus:
    status: Status
    late: bool | None = None  # None: the LMS does not say


@dataclass
class ClassData:
    """Everything about one class that the missing-work report needs."""

    course: Course
    students: list[Learner]
    groups: list[Group] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    # (assignment id, student id) -> status; a pair that is absent means "not started".
    statuses: dict[tuple[str, str], StudentStatus] = field(default_factory=dict)

    def assigned_students(self, assignment: Assignment) -> list[Learner]:
        """The students an assignment is for, in class order."""
        if assignment.whole_class:
            return list(self.students)
        wanted: set[str] = set(assignment.student_ids)
        groups = {g.id: g for g in self.groups}
        for gid in assignment.group_ids:
            if gid in groups:
                wanted.update(groups[gid].member_ids)
        return [s for s in self.students if s.id in wanted]

    def status_of(self, assignment: Assignment, student: Learner) -> StudentStatus:
        return self.statuses.get((assignment.id, student.id), StudentStatus(Status.NOT_STARTED))


@dataclass(frozen=True)
class MissingEntry:
    student: Learner
    status: Status
    late: bool | None = None


@dataclass
class AssignmentMissing:
    assignment: Assignment
    assigned: int
    submitted: int
    missing: list[MissingEntry]
    group_names: tuple[str, ...] = ()
    assigned_ids: frozenset[str] = frozenset()
    individual: int = 0  # students of the class given the work one by one (not through a group)


@dataclass
class ClassMissing:
    course: Course
    students: list[Learner]
    assignments: list[AssignmentMissing]


@dataclass
class ClassFailure:
    class_name: str
    message: str


@dataclass
class MissingReport:
    """Non-submitters for every class asked for, and the classes that could not be read.

    A `Reportable` (schoolauto.outputs): JSON, CSV and the xlsx template `lms_missing`.
    """

    template_name: ClassVar[str] = "lms_missing"

    lms: str
    generated_at: datetime
    classes: list[ClassMissing] = field(default_factory=list)
    errors: list[ClassFailure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. where a cross-check found a difference

    @property
    def partial(self) -> bool:
        """Some classes (not all) could not be read."""
        return bool(self.errors)

    def to_json(self) -> dict[str, Any]:
        from .report import report_to_dict

        return report_to_dict(self)

    def csv_table(self) -> tuple[list[str], list[list[Any]]]:
        from .report import csv_table

        return csv_table(self)

    def fill_template(self, doc: TemplateReport) -> None:
        from .report import fill_template

        fill_template(self, doc)

    def to_frame(self) -> Any:
        from ..outputs import frame_of

        return frame_of(self)


def find_missing(data: ClassData, kinds: tuple[str, ...] | None = None) -> ClassMissing:
    """Everyone an assignment is assigned to who has not submitted it."""
    groups = {g.id: g.name for g in data.groups}
    class_ids = {s.id for s in data.students}
    out: list[AssignmentMissing] = []
    for a in data.assignments:
        if kinds and a.kind not in kinds:
            continue
        assigned = data.assigned_students(a)
        missing = []
        submitted = 0
        for s in assigned:
            st = data.status_of(a, s)
            if st.status is Status.SUBMITTED:
                submitted += 1
            else:
                missing.append(MissingEntry(s, st.status, st.late))
        out.append(
            AssignmentMissing(
                assignment=a,
                assigned=len(assigned),
                submitted=submitted,
                missing=missing,
                group_names=tuple(groups.get(g, g) for g in a.group_ids),
                assigned_ids=frozenset(s.id for s in assigned),
                individual=0 if a.whole_class else len(set(a.student_ids) & class_ids),
            )
        )
    return ClassMissing(course=data.course, students=list(data.students), assignments=out)
