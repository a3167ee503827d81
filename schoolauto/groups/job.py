"""The `assign` job: read the roster and the rules file, build the problem, solve it within the budget.

    from schoolauto.groups import AssignRequest, ColumnWeight, assign
    result = assign(AssignRequest(roster="명렬표.xlsx", groups=6, balance=[ColumnWeight("성별", 2)]))
    result.status, result.gap, result.groups_by_id()

The only place that reads files for group assignment; compute (`solve.assign_groups`) never does.
Errors name request fields (`roster`, `constraints`, `password`, `groups`, `time_limit` …).
"""

from __future__ import annotations

import time
from pathlib import Path

from ..errors import PasswordError, SchoolautoError
from ..roster import RosterTable, read_roster
from .budget import Budget
from .input import problem_from_roster
from .problem import ConstraintRow, read_constraints
from .request import AssignRequest
from .result import AssignResult
from .solve import assign_groups

# Kept back from the solver for scoring, reading back and writing outputs: a base plus a little
# per student (measured: the xlsx report of 1,200 students takes about 0.4 s to render and write).
RESERVE_BASE = 0.35
RESERVE_PER_STUDENT = 0.0006


def _reading(exc: SchoolautoError, field: str) -> SchoolautoError:
    if isinstance(exc, PasswordError):
        exc.field = "password"
    elif exc.field is None:
        exc.field = field
    return exc


def read_inputs(request: AssignRequest) -> tuple[RosterTable, list[ConstraintRow]]:
    """The roster and the rules file, as the request names them."""
    try:
        roster = read_roster(request.roster, id_column=request.id_column, password=request.password)
    except SchoolautoError as exc:
        raise _reading(exc, "roster") from None
    rows: list[ConstraintRow] = []
    if request.constraints is not None:
        try:
            rows = read_constraints(
                request.constraints, id_column=roster.id_column, password=request.password
            )
        except SchoolautoError as exc:
            raise _reading(exc, "constraints") from None
    return roster, rows


def assign(request: AssignRequest) -> AssignResult:
    """Assign the roster's students to groups (or classes) as the request asks.

    The time limit covers the whole job from `request.started` (or from this call): reading,
    model building, every solver call and the tie-break, with a reserve for writing the outputs.
    """
    started = request.started if request.started is not None else time.perf_counter()
    request.check()
    budget = Budget(request.time_limit, started=started, progress=request.progress)
    with budget.stage("명렬표·제약 읽기"):
        roster, rows = read_inputs(request)
        problem = problem_from_roster(roster, request, rows)
    budget.reserve = RESERVE_BASE + RESERVE_PER_STUDENT * problem.n
    if request.time_limit is not None:
        budget.reserve = min(budget.reserve, 0.25 * request.time_limit)
    result = assign_groups(
        problem,
        method=request.method,
        solver=request.solver,
        seed=request.seed,
        threads=request.threads,
        budget=budget,
    )
    result.roster_path = str(roster.path)
    result.roster_sheet = roster.sheet
    result.constraints_path = None if request.constraints is None else str(Path(request.constraints))
    result.title = request.report_title
    result.seed = request.seed
    return result
