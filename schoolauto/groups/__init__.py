"""Group formation (모둠 편성) and whole-grade class assignment (반편성) as an exact integer program.

`problem_from_roster` turns a roster and the teacher's options into a `Problem`; `assign_groups`
solves it (`ilp`, proven optimal or with its gap; or the `greedy` / `random` baselines);
`evaluate` and `check_constraints` recompute the objective and the rules from any assignment;
`write_report`, `write_json_result`, `write_csv_result` write the outputs.
"""

from .api import METHODS, assign_groups
from .evaluate import Checks, Evaluation, check_constraints, evaluate
from .feasibility import explain_infeasible, precheck
from .heuristics import greedy_swap, random_assignment
from .ilp import solve_ilp
from .input import Options, problem_from_roster
from .problem import Constraint, Problem, read_constraints, size_plan, split_sizes
from .report import status_line, write_csv_result, write_json_result, write_report
from .result import Result
from .solvers import SOLVERS, get_solver

__all__ = [
    "METHODS",
    "SOLVERS",
    "Checks",
    "Constraint",
    "Evaluation",
    "Options",
    "Problem",
    "Result",
    "assign_groups",
    "check_constraints",
    "evaluate",
    "explain_infeasible",
    "get_solver",
    "greedy_swap",
    "precheck",
    "problem_from_roster",
    "random_assignment",
    "read_constraints",
    "size_plan",
    "solve_ilp",
    "split_sizes",
    "status_line",
    "write_csv_result",
    "write_json_result",
    "write_report",
]
