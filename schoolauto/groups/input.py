"""From a roster and an `AssignRequest` to a `Problem` (the only place that knows columns).

Files are read by the job (`job.assign`); this module only turns what was read into numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import DataError, MissingColumnsError, UsageError
from ..roster import RosterTable
from .problem import (
    EMPTY_VALUE,
    KIND_NAMES,
    Constraint,
    ConstraintRow,
    Problem,
    is_truthy,
    parse_number,
    resolve_constraints,
    same_name_sets,
    size_plan,
)
from .request import AssignRequest, SeatSpec


def _resolve(roster: RosterTable, name: str, field: str) -> str:
    try:
        return roster.resolve(name)
    except MissingColumnsError as exc:
        exc.field = field
        raise


def _categorical(roster: RosterTable, name: str, field: str) -> tuple[str, list[str]]:
    col = _resolve(roster, name, field)
    return col, [v if v else EMPTY_VALUE for v in roster.column_values(col)]


def _seats(roster: RosterTable, spec: SeatSpec) -> list[int]:
    col = _resolve(roster, spec.column, "seats")
    out = []
    for r in roster.rows:
        text = r.get(col)
        if spec.seats is not None:
            out.append(spec.seats if is_truthy(text) else 1)
            continue
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


def _numbers(roster: RosterTable, col: str) -> list[float]:
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
    return xs


def problem_from_roster(
    roster: RosterTable, request: AssignRequest, constraint_rows: Sequence[ConstraintRow] = ()
) -> Problem:
    """Resolve column names, read numbers, resolve the rules' ids and size the groups."""
    request.check()
    categorical: dict[str, list[str]] = {}
    balance: dict[str, float] = {}
    similar: dict[str, float] = {}
    for cw in request.balance:
        col, vals = _categorical(roster, cw.column, "balance")
        categorical[col] = vals
        balance[col] = cw.weight
    for cw in request.similar:
        col, vals = _categorical(roster, cw.column, "similar")
        if col in balance:
            raise UsageError(
                f"'{col}' 은(는) 고르게 할 열과 비슷하게 할 열에 함께 쓸 수 없습니다", field="similar"
            )
        categorical[col] = vals
        similar[col] = cw.weight
    numeric: dict[str, list[float]] = {}
    numeric_balance: dict[str, float] = {}
    for cw in request.numeric:
        col = _resolve(roster, cw.column, "numeric")
        numeric[col] = _numbers(roster, col)
        numeric_balance[col] = cw.weight
    no_alone: list[tuple[str, str]] = []
    for cv in request.no_alone:
        col, vals = _categorical(roster, cv.column, "no_alone")
        categorical.setdefault(col, vals)
        wanted = sorted(set(vals)) if cv.value is None else [cv.value]
        for val in wanted:
            if val not in vals:
                raise UsageError(
                    f"'{col}' 열에 '{val}' 값이 없습니다 (있는 값: {', '.join(sorted(set(vals)))})",
                    field="no_alone",
                )
            no_alone.append((col, val))
    seats = _seats(roster, request.seats) if request.seats else [1] * len(roster)
    n_groups, lo, hi = size_plan(
        sum(seats),
        groups=request.groups,
        size=request.size,
        min_size=request.min_size,
        max_size=request.max_size,
        unit=request.unit,
    )
    constraints: list[Constraint] = list(request.extra_constraints)
    if request.constraints is not None:
        constraints += resolve_constraints(constraint_rows, roster.ids, request.constraints)
    names: list[str] = []
    try:
        names = roster.column_values(request.name_column)
    except MissingColumnsError as exc:
        if request.names_apart:
            exc.field = "name_column"
            raise
    if request.names_apart:
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
        numeric_tolerance=request.numeric_tolerance,
        similar=similar,
        constraints=constraints,
        no_alone=no_alone,
        seats=seats,
        names=names,
        unit=request.unit,
    )
    problem.check()
    return problem
