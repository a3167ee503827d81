"""Group formation (모둠 편성) and whole-grade class assignment (반편성) as an exact integer program.

The job: `assign(AssignRequest(...)) -> AssignResult` reads the roster and the rules file and solves
within one time budget. Underneath, `problem_from_roster` turns a roster into a `Problem`,
`assign_groups` solves one (methods and solvers come from the `METHODS` / `SOLVERS` registries),
`evaluate` and `check_constraints` recompute the objective and the rules from any assignment.
`AssignResult` implements the shared output protocol (xlsx from a template, JSON, CSV).

Names are imported on first use, so that `import schoolauto.groups` (the CLI's choices) does not
pull in PuLP and HiGHS.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "METHODS": "backends",
    "SOLVERS": "backends",
    "Budget": "budget",
    "Progress": "budget",
    "ProgressCallback": "budget",
    "make_blocks": "blocks",
    "explain_infeasible": "feasibility",
    "precheck": "feasibility",
    "greedy_swap": "heuristics",
    "random_assignment": "heuristics",
    "problem_from_roster": "input",
    "assign": "job",
    "read_inputs": "job",
    "Constraint": "problem",
    "Problem": "problem",
    "read_constraints": "problem",
    "size_plan": "problem",
    "split_sizes": "problem",
    "UNITS": "request",
    "AssignRequest": "request",
    "ColumnValue": "request",
    "ColumnWeight": "request",
    "SeatSpec": "request",
    "parse_column_values": "request",
    "parse_column_weights": "request",
    "parse_seats": "request",
    "AssignResult": "result",
    "infeasible_json": "result",
    "CHECK_LABELS": "scoring",
    "Checks": "scoring",
    "Evaluation": "scoring",
    "check_constraints": "scoring",
    "evaluate": "scoring",
    "assign_groups": "solve",
    "solve_ilp": "solve",
    "get_solver": "solvers",
}

__all__ = [
    "CHECK_LABELS",
    "METHODS",
    "SOLVERS",
    "UNITS",
    "AssignRequest",
    "AssignResult",
    "Budget",
    "Checks",
    "ColumnValue",
    "ColumnWeight",
    "Constraint",
    "Evaluation",
    "Problem",
    "Progress",
    "ProgressCallback",
    "SeatSpec",
    "assign",
    "assign_groups",
    "check_constraints",
    "evaluate",
    "explain_infeasible",
    "get_solver",
    "greedy_swap",
    "infeasible_json",
    "make_blocks",
    "parse_column_values",
    "parse_column_weights",
    "parse_seats",
    "precheck",
    "problem_from_roster",
    "random_assignment",
    "read_constraints",
    "read_inputs",
    "size_plan",
    "solve_ilp",
    "split_sizes",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'schoolauto.groups' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from .backends import METHODS, SOLVERS
    from .blocks import make_blocks
    from .budget import Budget, Progress, ProgressCallback
    from .feasibility import explain_infeasible, precheck
    from .heuristics import greedy_swap, random_assignment
    from .input import problem_from_roster
    from .job import assign, read_inputs
    from .problem import Constraint, Problem, read_constraints, size_plan, split_sizes
    from .request import (
        UNITS,
        AssignRequest,
        ColumnValue,
        ColumnWeight,
        SeatSpec,
        parse_column_values,
        parse_column_weights,
        parse_seats,
    )
    from .result import AssignResult, infeasible_json
    from .scoring import CHECK_LABELS, Checks, Evaluation, check_constraints, evaluate
    from .solve import assign_groups, solve_ilp
    from .solvers import get_solver
