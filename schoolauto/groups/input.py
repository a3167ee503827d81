"""From a roster file and the teacher's options to a `Problem` (the only place that knows columns)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError, MissingColumnsError, UsageError
from ..roster import Roster
from .problem import (
    EMPTY_VALUE,
    KIND_NAMES,
    Constraint,
    Problem,
    is_truthy,
    parse_number,
    parse_pairs,
    parse_weighted,
    read_constraints,
    resolve_constraints,
    same_name_sets,
    size_plan,
)


@dataclass
class Options:
    """What a teacher asks for, as the CLI (or the web UI) passes it on."""

    groups: int | None = None
    size: int | None = None
    min_size: int | None = None
    max_size: int | None = None
    balance: str | Sequence[str] | None = None  # '성별=2,MBTI,수준'
    numeric: str | Sequence[str] | None = None  # '성적'
    numeric_tolerance: float = 0.0  # group means this close to the overall mean cost nothing
    similar: str | Sequence[str] | None = None  # '수준'
    no_alone: str | Sequence[str] | None = None  # '성별=여'
    names_apart: bool = False
    name_column: str = "성명"
    seats: str | None = None  # '특수학급=2' (truthy cell -> 2 seats) or '좌석' (a number column)
    constraints: str | Path | None = None
    extra_constraints: list[Constraint] = field(default_factory=list)


def _categorical(roster: Roster, name: str) -> tuple[str, list[str]]:
    col = roster.resolve(name)
    return col, [v if v else EMPTY_VALUE for v in roster.column_values(col)]


def _seats(roster: Roster, spec: str) -> list[int]:
    name, eq, count = spec.partition("=")
    col = roster.resolve(name.strip())
    out = []
    for r in roster.rows:
        text = r.get(col)
        if eq:
            try:
                k = int(count)
            except ValueError as exc:
                raise UsageError(f"--seats: 좌석 수는 정수여야 합니다 ('{spec}', 예: 특수학급=2)") from exc
            if k < 1:
                raise UsageError(f"--seats: 좌석 수는 1 이상이어야 합니다 ('{spec}')")
            out.append(k if is_truthy(text) else 1)
        else:
            v = parse_number(text) if text else 1.0
            if v is None or v < 1 or not float(v).is_integer():
                raise DataError(
                    f"좌석 수는 1 이상의 정수여야 합니다: '{text}'",
                    path=roster.path,
                    sheet=roster.sheet,
                    row=r.row,
                    column=col,
                )
            out.append(int(v))
    return out


def problem_from_roster(roster: Roster, options: Options, *, password: str | None = None) -> Problem:
    """Resolve column names, read numbers and constraints, and size the groups."""
    balance_raw = parse_weighted(options.balance, "--balance")
    numeric_raw = parse_weighted(options.numeric, "--numeric")
    similar_raw = parse_weighted(options.similar, "--similar")
    alone_raw = parse_pairs(options.no_alone, "--no-alone")
    if not (balance_raw or numeric_raw or similar_raw):
        raise UsageError("무엇을 고르게 할지 정해 주세요: --balance, --numeric, --similar 중 하나 이상")
    categorical: dict[str, list[str]] = {}
    balance: dict[str, float] = {}
    similar: dict[str, float] = {}
    for name, w in balance_raw.items():
        col, vals = _categorical(roster, name)
        categorical[col] = vals
        balance[col] = w
    for name, w in similar_raw.items():
        col, vals = _categorical(roster, name)
        if col in balance:
            raise UsageError(f"'{col}' 은(는) --balance 와 --similar 에 함께 쓸 수 없습니다")
        categorical[col] = vals
        similar[col] = w
    numeric: dict[str, list[float]] = {}
    numeric_balance: dict[str, float] = {}
    for name, w in numeric_raw.items():
        col = roster.resolve(name)
        xs = []
        for r in roster.rows:
            v = parse_number(r.get(col))
            if v is None:
                raise DataError(
                    f"숫자가 아닙니다: '{r.get(col)}'",
                    path=roster.path,
                    sheet=roster.sheet,
                    row=r.row,
                    column=col,
                    hint="빈칸도 안 됩니다",
                )
            xs.append(v)
        numeric[col] = xs
        numeric_balance[col] = w
    no_alone: list[tuple[str, str]] = []
    for name, value in alone_raw:
        col, vals = _categorical(roster, name)
        categorical.setdefault(col, vals)
        wanted = sorted(set(vals)) if value is None else [value]
        for val in wanted:
            if val not in vals:
                raise UsageError(
                    f"--no-alone: '{col}' 열에 '{val}' 값이 없습니다 (있는 값: {', '.join(sorted(set(vals)))})"
                )
            no_alone.append((col, val))
    seats = _seats(roster, options.seats) if options.seats else [1] * len(roster)
    n_groups, lo, hi = size_plan(
        sum(seats),
        groups=options.groups,
        size=options.size,
        min_size=options.min_size,
        max_size=options.max_size,
    )
    constraints: list[Constraint] = list(options.extra_constraints)
    if options.constraints:
        rows = read_constraints(options.constraints, id_column=roster.id_column, password=password)
        constraints += resolve_constraints(rows, roster.ids, options.constraints)
    names: list[str] = []
    try:
        names = roster.column_values(options.name_column)
    except MissingColumnsError:
        if options.names_apart:
            raise
    if options.names_apart:
        for members in same_name_sets(names):
            constraints.append(Constraint(kind=KIND_NAMES, members=members, source="동명이인"))
    problem = Problem(
        ids=roster.ids,
        n_groups=n_groups,
        min_size=lo,
        max_size=hi,
        categorical=categorical,
        numeric=numeric,
        balance=balance,
        numeric_balance=numeric_balance,
        numeric_tolerance=options.numeric_tolerance,
        similar=similar,
        constraints=constraints,
        no_alone=no_alone,
        seats=seats,
        names=names,
    )
    problem.check()
    return problem
