"""Group formation (모둠 편성) and whole-grade class assignment (반편성) as an exact integer program.

The job: `assign(AssignRequest(...)) -> AssignResult` reads the roster and the rules file and solves
within one time budget. Underneath, `problem_from_roster` turns a roster into a `Problem`,
`assign_groups` solves one (methods and solvers come from the `METHODS` / `SOLVERS` registries),
`evaluate` and `check_constraints` recompute the objective and the rules from any assignment.
`AssignResult` implements the shared output protocol (xlsx from a template, JSON, CSV).
"""

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
from .scoring import Checks, Evaluation, check_constraints, evaluate
from .solve import METHODS, assign_groups, solve_ilp
from .solvers import SOLVERS, get_solver

__all__ = [
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
