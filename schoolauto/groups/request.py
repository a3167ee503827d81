"""What a teacher asks for: the typed request of the `assign` job, and readers for its text forms.

The CLI and the web page fill an `AssignRequest`; text forms such as '성별=2,MBTI' are turned into
structured values by `parse_column_weights` / `parse_column_values` (errors name the request field).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError
from .budget import ProgressCallback
from .problem import Constraint

UNITS = ("모둠", "반")


@dataclass(frozen=True)
class ColumnWeight:
    """A roster column and its weight in the objective."""

    column: str
    weight: float = 1.0


@dataclass(frozen=True)
class ColumnValue:
    """A roster column and one of its values (None: every value of the column)."""

    column: str
    value: str | None = None


@dataclass(frozen=True)
class SeatSpec:
    """Seats per student: `seats` for a student whose `column` cell is truthy (Y, O, 1, 예 …),
    or, with `seats` None, the number written in the column (an empty cell is one seat)."""

    column: str
    seats: int | None = None


@dataclass
class AssignRequest:
    """One group assignment (모둠 편성) or class assignment (반편성).

    Field names are what errors name (`UsageError(field="groups")`); the CLI's option destinations
    carry the same names.
    """

    roster: str | Path
    id_column: str = "학번"
    groups: int | None = None
    size: int | None = None
    min_size: int | None = None
    max_size: int | None = None
    balance: list[ColumnWeight] = field(default_factory=list)
    numeric: list[ColumnWeight] = field(default_factory=list)
    numeric_tolerance: float = 0.0  # group means this close to the overall mean cost nothing
    similar: list[ColumnWeight] = field(default_factory=list)
    no_alone: list[ColumnValue] = field(default_factory=list)
    names_apart: bool = False
    name_column: str = "성명"
    seats: SeatSpec | None = None
    constraints: str | Path | None = None  # a rules file: 유형, 학번, 모둠
    extra_constraints: list[Constraint] = field(default_factory=list)  # rules given in code
    method: str = "ilp"
    solver: str = "highs"
    seed: int = 0
    time_limit: float | None = 60.0  # seconds for the whole job, reading and writing included
    threads: int = 1
    unit: str = "모둠"  # what a group is called in outputs: 모둠, or 반 when assigning classes
    title: str | None = None  # report title (default: '모둠 편성 결과' / '반 편성 결과')
    password: str | None = None  # for an encrypted roster or rules file
    progress: ProgressCallback | None = None
    # `time.perf_counter()` when the command started, so the time limit covers the whole command.
    started: float | None = None

    def check(self) -> None:
        """Checks that need no file; every error names its field."""
        if self.time_limit is not None and not (self.time_limit > 0 and math.isfinite(self.time_limit)):
            raise UsageError(f"제한 시간은 0보다 커야 합니다 ({self.time_limit})", field="time_limit")
        if self.threads < 1:
            raise UsageError(f"스레드 수는 1 이상이어야 합니다 ({self.threads})", field="threads")
        if self.unit not in UNITS:
            raise UsageError(f"단위는 {' 또는 '.join(UNITS)} 입니다 ({self.unit})", field="unit")
        if not (self.numeric_tolerance >= 0 and math.isfinite(self.numeric_tolerance)):
            raise UsageError(f"0 이상이어야 합니다 ({self.numeric_tolerance})", field="numeric_tolerance")
        if not (self.balance or self.numeric or self.similar):
            raise UsageError(
                "무엇을 고르게 할지 정해 주세요 (고르게 할 범주 열, 수치 열 또는 비슷하게 할 열)",
                field="balance",
            )
        if self.seats is not None and self.seats.seats is not None and self.seats.seats < 1:
            raise UsageError(f"좌석 수는 1 이상이어야 합니다 ({self.seats.seats})", field="seats")

    @property
    def report_title(self) -> str:
        return self.title or f"{self.unit} 편성 결과"


def _items(spec: str | Sequence[str] | None) -> list[str]:
    if not spec:
        return []
    parts = [spec] if isinstance(spec, str) else list(spec)
    return [item.strip() for chunk in parts for item in re.split(r"[,，]", chunk) if item.strip()]


def parse_column_weights(spec: str | Sequence[str] | None, field: str) -> list[ColumnWeight]:
    """'성별=2,MBTI,수준' -> [성별 2.0, MBTI 1.0, 수준 1.0]; a later repeat of a column wins."""
    out: dict[str, ColumnWeight] = {}
    for item in _items(spec):
        name, _, weight = item.partition("=")
        name = name.strip()
        if not name:
            raise UsageError(f"열 이름이 비었습니다 ('{item}')", field=field)
        try:
            w = float(weight) if weight.strip() else 1.0
        except ValueError as exc:
            raise UsageError(f"가중치는 숫자여야 합니다 ('{item}', 예: 성별=2)", field=field) from exc
        if not (w > 0 and math.isfinite(w)):
            raise UsageError(f"가중치는 0보다 커야 합니다 ('{item}')", field=field)
        out[name] = ColumnWeight(name, w)
    return list(out.values())


def parse_column_values(spec: str | Sequence[str] | None, field: str) -> list[ColumnValue]:
    """'성별=여,특수학급' -> [(성별, 여), (특수학급, every value)]."""
    out = []
    for item in _items(spec):
        name, eq, value = item.partition("=")
        if not name.strip():
            raise UsageError(f"열 이름이 비었습니다 ('{item}')", field=field)
        out.append(ColumnValue(name.strip(), value.strip() if eq else None))
    return out


def parse_seats(spec: str | None, field: str = "seats") -> SeatSpec | None:
    """'특수학급=2' -> seats 2 for a truthy cell; '좌석' -> the number in the column."""
    if not spec or not spec.strip():
        return None
    name, eq, count = spec.partition("=")
    if not name.strip():
        raise UsageError(f"열 이름이 비었습니다 ('{spec}')", field=field)
    if not eq:
        return SeatSpec(name.strip())
    try:
        k = int(count)
    except ValueError as exc:
        raise UsageError(f"좌석 수는 정수여야 합니다 ('{spec}', 예: 특수학급=2)", field=field) from exc
    if k < 1:
        raise UsageError(f"좌석 수는 1 이상이어야 합니다 ('{spec}')", field=field)
    return SeatSpec(name.strip(), k)
