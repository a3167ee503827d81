"""What a group assignment must satisfy and what it should optimise, independent of files.

A `Problem` holds, for students 0..N-1: their ids, categorical attributes, numeric attributes, seat
weights, the number of groups and their size bounds (in seats), the objective's parts and the hard
constraints. `build_problem` makes one from a `Roster`; `read_constraints` reads a constraints file.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError, UsageError

KIND_APART = "apart"
KIND_TOGETHER = "together"
KIND_FIXED = "fixed"
KIND_NAMES = "names"  # same-name students apart (a kind of apart set)
KIND_LABELS = {KIND_APART: "분리", KIND_TOGETHER: "함께", KIND_FIXED: "고정", KIND_NAMES: "동명이인 분리"}
KIND_FROM_KOREAN = {
    "분리": KIND_APART,
    "떨어뜨리기": KIND_APART,
    "sep": KIND_APART,
    "apart": KIND_APART,
    "함께": KIND_TOGETHER,
    "같이": KIND_TOGETHER,
    "bind": KIND_TOGETHER,
    "together": KIND_TOGETHER,
    "고정": KIND_FIXED,
    "fixed": KIND_FIXED,
}
EMPTY_VALUE = "(빈칸)"
TRUTHY = {"y", "yes", "o", "v", "1", "true", "예", "○", "✓", "✔", "특수"}


@dataclass(frozen=True)
class Constraint:
    """A hard rule over students (indices): keep apart, keep together, or fix in a group (1-based)."""

    kind: str
    members: tuple[int, ...]
    group: int | None = None
    source: str = ""  # where it came from, e.g. 'constraints.csv 3행'

    def label(self, ids: Sequence[str], unit: str = "모둠") -> str:
        who = ", ".join(ids[i] for i in self.members)
        text = f"{KIND_LABELS[self.kind]}({who})"
        if self.kind == KIND_FIXED:
            text = f"{KIND_LABELS[self.kind]}({who} → {self.group}{unit})"
        return f"{text} [{self.source}]" if self.source else text


@dataclass
class Problem:
    """One assignment job. Sizes are in seats: a student with seat weight 2 fills two places."""

    ids: list[str]
    n_groups: int
    min_size: int
    max_size: int
    categorical: dict[str, list[str]] = field(default_factory=dict)  # attribute -> value per student
    numeric: dict[str, list[float]] = field(default_factory=dict)
    balance: dict[str, float] = field(default_factory=dict)  # attribute -> weight
    numeric_balance: dict[str, float] = field(default_factory=dict)
    # Group-mean distance (in the column's units) that costs nothing: 0 = as close as possible.
    numeric_tolerance: float = 0.0
    similar: dict[str, float] = field(default_factory=dict)
    constraints: list[Constraint] = field(default_factory=list)
    no_alone: list[tuple[str, str]] = field(default_factory=list)  # (attribute, value)
    seats: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # display names (for reports only), may be empty
    unit: str = "모둠"  # what a group is called in messages: 모둠 or 반
    # A part of a bigger problem (re-solved on its own) keeps the whole's numeric means and scale.
    numeric_center: dict[str, float] = field(default_factory=dict)
    size_scale: float | None = None

    def __post_init__(self) -> None:
        if not self.seats:
            self.seats = [1] * len(self.ids)

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def total_seats(self) -> int:
        return sum(self.seats)

    def values(self, attribute: str) -> list[str]:
        """The distinct values of a categorical attribute, in a stable order."""
        return sorted(set(self.categorical[attribute]), key=_natural_key)

    def center(self, attribute: str) -> float:
        """The mean a numeric attribute's group means are compared with."""
        if attribute in self.numeric_center:
            return self.numeric_center[attribute]
        xs = self.numeric[attribute]
        return sum(xs) / len(xs)

    @property
    def avg_size(self) -> float:
        """Students per group on average: the scale of the numeric term."""
        return self.size_scale if self.size_scale is not None else self.n / self.n_groups

    def label(self, c: Constraint) -> str:
        return c.label(self.ids, self.unit)

    def check(self) -> None:
        """Consistency of a problem built in code (requests are validated before this)."""
        n = self.n
        lengths = {
            **{k: len(v) for k, v in self.categorical.items()},
            **{k: len(v) for k, v in self.numeric.items()},
        }
        for name, length in lengths.items():
            if length != n:
                raise UsageError(f"속성 '{name}' 의 값 수({length})가 학생 수({n})와 다릅니다")
        for attr in (*self.balance, *self.similar, *(a for a, _ in self.no_alone)):
            if attr not in self.categorical:
                raise UsageError(f"범주 속성 '{attr}' 이(가) 없습니다")
        for attr in self.numeric_balance:
            if attr not in self.numeric:
                raise UsageError(f"수치 속성 '{attr}' 이(가) 없습니다")
        if len(self.seats) != n or any(s < 1 for s in self.seats):
            raise UsageError("좌석 수는 학생마다 1 이상이어야 합니다")
        if not self.numeric_tolerance >= 0:
            raise UsageError(
                f"허용 오차는 0 이상이어야 합니다 ({self.numeric_tolerance})", field="numeric_tolerance"
            )
        if self.n_groups < 1:
            raise UsageError(f"{self.unit} 수가 올바르지 않습니다: {self.n_groups} (1 이상)", field="groups")
        if self.n_groups > self.n:
            raise UsageError(
                f"{self.unit} 수({self.n_groups})가 학생 수({self.n})보다 많아 빈 {self.unit}이 생깁니다",
                field="groups",
            )
        if self.min_size < 0 or self.max_size < self.min_size:
            raise UsageError(
                f"{self.unit} 크기 범위가 올바르지 않습니다: {self.min_size}~{self.max_size}",
                field="min_size",
            )


def _natural_key(text: str) -> tuple[object, ...]:
    return tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text))


def split_sizes(total: int, n_groups: int) -> tuple[int, int]:
    """Size bounds when `total` seats go to `n_groups` groups whose sizes differ by at most one."""
    base, extra = divmod(total, n_groups)
    return base, base + (1 if extra else 0)


def size_plan(
    total: int,
    *,
    groups: int | None = None,
    size: int | None = None,
    min_size: int | None = None,
    max_size: int | None = None,
    unit: str = "모둠",
) -> tuple[int, int, int]:
    """(number of groups, min size, max size) from what a teacher gives; errors name the field.

    `groups`: sizes differ by at most one. `size` K: ceil(total / K) groups of at most K (differ by at
    most one). `min_size`/`max_size`: explicit bounds; the number of groups is `groups` or
    ceil(total / max_size).
    """
    if groups is not None and size is not None:
        raise UsageError(f"{unit} 수와 {unit} 크기는 함께 줄 수 없습니다", field="size")
    for name, v in (("groups", groups), ("size", size), ("min_size", min_size), ("max_size", max_size)):
        if v is not None and v < 1:
            raise UsageError(f"1 이상이어야 합니다 ({v})", field=name)
    if total < 1:
        raise UsageError("배정할 학생이 없습니다", field="roster")
    if groups is not None and groups > total:
        raise UsageError(
            f"{unit} 수({groups})가 학생 수({total})보다 많아 빈 {unit}이 생깁니다", field="groups"
        )
    if min_size is not None or max_size is not None:
        if size is not None:
            raise UsageError(f"{unit} 크기는 최소·최대 크기와 함께 줄 수 없습니다", field="size")
        if groups is None and max_size is None:
            raise UsageError(
                f"최소 크기만으로는 {unit} 수를 정할 수 없습니다: {unit} 수나 최대 크기를 주세요",
                field="min_size",
            )
        g = groups if groups is not None else math.ceil(total / (max_size or 1))
        lo = 0 if min_size is None else min_size
        hi = total if max_size is None else max_size
        return g, lo, hi
    if groups is not None:
        lo, hi = split_sizes(total, groups)
        return groups, lo, hi
    if size is not None:
        g = math.ceil(total / size)
        lo, hi = split_sizes(total, g)
        return g, lo, hi
    raise UsageError(f"{unit} 수나 {unit} 크기(또는 최소·최대 크기) 중 하나가 필요합니다", field="groups")


def split_ids(text: str) -> list[str]:
    """'10101, 10102 10103' -> ['10101', '10102', '10103']."""
    return [t for t in re.split(r"[\s,;，、/]+", text.strip()) if t]


@dataclass
class ConstraintRow:
    """One row of a constraints file, before ids are resolved."""

    kind: str
    ids: list[str]
    group: int | None
    row: int


def read_constraints(
    path: str | Path, *, id_column: str = "학번", password: str | None = None
) -> list[ConstraintRow]:
    """Read `유형` (분리|함께|고정), `학번` (ids separated by commas or spaces) and `모둠` (for 고정)."""
    from ..ingest import ColumnSpec, read_table

    p = Path(path)
    specs = [
        ColumnSpec("kind", ("유형", "종류", "구분", "type"), label="유형"),
        ColumnSpec("ids", tuple(dict.fromkeys((id_column, "학번", "대상", "ids"))), label=id_column),
        ColumnSpec("group", ("모둠", "반", "그룹", "group"), required=False, label="모둠"),
    ]
    out = []
    for rec in read_table(p, specs, password=password):
        raw_kind = rec.get("kind").strip()
        kind = KIND_FROM_KOREAN.get(raw_kind.lower())
        if kind is None:
            raise DataError(
                f"유형 '{raw_kind}' 을(를) 알 수 없습니다 (분리, 함께, 고정 중 하나)",
                path=p,
                row=rec.row,
                column="유형",
            )
        ids = split_ids(rec.get("ids"))
        if not ids:
            raise DataError("대상 학번이 비어 있습니다", path=p, row=rec.row, column=id_column)
        group: int | None = None
        if kind == KIND_FIXED:
            text = re.sub(r"(모둠|반|조|번)$", "", rec.get("group").strip())
            if not text.isdigit() or int(text) < 1:
                raise DataError(
                    f"고정할 모둠 번호가 올바르지 않습니다: '{rec.get('group')}' (1 이상의 정수)",
                    path=p,
                    row=rec.row,
                    column="모둠",
                )
            group = int(text)
        elif len(ids) < 2:
            raise DataError(
                f"{raw_kind} 에는 학번이 둘 이상 필요합니다 ('{rec.get('ids')}')",
                path=p,
                row=rec.row,
                column=id_column,
            )
        out.append(ConstraintRow(kind=kind, ids=ids, group=group, row=rec.row))
    return out


def resolve_constraints(
    rows: Sequence[ConstraintRow], ids: Sequence[str], path: str | Path
) -> list[Constraint]:
    """Turn ids into indices; an unknown or repeated id is a DataError naming the file and row."""
    index = {sid: i for i, sid in enumerate(ids)}
    name = Path(path).name
    out = []
    for r in rows:
        members = []
        for sid in r.ids:
            if sid not in index:
                raise DataError(f"명렬표에 없는 학번입니다: {sid}", path=path, row=r.row, column="학번")
            if index[sid] in members:
                raise DataError(f"같은 학번이 두 번 있습니다: {sid}", path=path, row=r.row, column="학번")
            members.append(index[sid])
        out.append(Constraint(kind=r.kind, members=tuple(members), group=r.group, source=f"{name} {r.row}행"))
    return out


def same_name_sets(names: Sequence[str]) -> list[tuple[int, ...]]:
    """Index sets of students sharing a name (동명이인), each of size two or more."""
    by_name: dict[str, list[int]] = defaultdict(list)
    for i, nm in enumerate(names):
        key = re.sub(r"\s+", "", nm)
        if key:
            by_name[key].append(i)
    return [tuple(v) for v in by_name.values() if len(v) > 1]


def parse_number(text: str) -> float | None:
    t = text.strip().replace(",", "")
    if not t:
        return None
    try:
        v = float(t)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def is_truthy(text: str) -> bool:
    return text.strip().lower() in TRUTHY


def value_counts(values: Sequence[str]) -> Mapping[str, int]:
    return Counter(values)
