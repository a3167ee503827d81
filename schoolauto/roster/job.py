"""The `generate` job: a seeded synthetic roster as a typed result that every output writer takes.

from schoolauto.roster import RosterRequest, generate
result = generate(RosterRequest(students=30, seed=1))
write_outputs(result, OutputRequest(out="명렬표.xlsx"))
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import UsageError
from .model import HEADERS, RosterStudent, generate_roster

if TYPE_CHECKING:
    from ..reports import TemplateReport


@dataclass
class RosterRequest:
    """A synthetic roster: `students` spread over `grades` x `classes`, or `per_class` per class."""

    students: int | None = None
    grades: tuple[int, ...] = (1,)
    classes: int | None = None
    per_class: int | None = None
    seed: int = 0
    title: str | None = None


@dataclass
class RosterResult:
    students: list[RosterStudent]
    title: str = "학생 명렬표"
    seed: int = 0
    grades: list[int] = field(default_factory=list)

    template_name: ClassVar[str] = "roster"

    @property
    def n_classes(self) -> int:
        return len({(s.grade, s.klass) for s in self.students})

    def to_json(self) -> dict[str, Any]:
        return {
            "students": [s.as_row() for s in self.students],
            "count": len(self.students),
            "classes": self.n_classes,
            "grades": self.grades,
            "seed": self.seed,
        }

    def csv_table(self) -> tuple[list[str], list[list[Any]]]:
        rows = [s.as_row() for s in self.students]
        return list(HEADERS), [[r[h] for h in HEADERS] for r in rows]

    def to_frame(self) -> Any:
        from ..outputs import frame_of

        return frame_of(self)

    def fill_template(self, doc: TemplateReport) -> None:
        doc.fill(
            {
                "title": self.title,
                "summary": f"{', '.join(f'{g}학년' for g in self.grades)} {len(self.students)}명",
            }
        )
        rows = [s.as_row() for s in self.students]
        doc.fill_table("s", [{HEADERS[h]: r[h] for h in HEADERS} for r in rows])


def parse_grades(text: str, field: str = "grades") -> tuple[int, ...]:
    """'1' -> (1,), '1,2,3' -> (1, 2, 3), '1-3' -> (1, 2, 3); '3-1' is an error."""
    out: list[int] = []
    for part in re.split(r"[,\s]+", text.strip()):
        if not part:
            continue
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not m:
            raise UsageError(
                f"학년 목록을 읽을 수 없습니다: '{text}' (예: 1 또는 1,2,3 또는 1-3)", field=field
            )
        lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
        if hi < lo:
            raise UsageError(f"학년 범위가 거꾸로입니다: '{part}' (작은 학년부터, 예: 1-3)", field=field)
        out.extend(range(lo, hi + 1))
    if not out:
        raise UsageError("학년을 하나 이상 주세요", field=field)
    return tuple(out)


def generate(request: RosterRequest) -> RosterResult:
    """A synthetic but realistic roster; the same seed gives the identical roster."""
    students = generate_roster(
        request.students,
        grades=request.grades,
        classes=request.classes,
        per_class=request.per_class,
        seed=request.seed,
    )
    return RosterResult(
        students=students,
        title=request.title or "학생 명렬표",
        seed=request.seed,
        grades=sorted({s.grade for s in students}),
    )
