"""The outcome of an assignment method, in the shape every output (xlsx, JSON, CSV) is made from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .evaluate import Checks, Evaluation, check_constraints, evaluate
from .problem import Problem


@dataclass
class Result:
    problem: Problem
    method: str  # ilp | greedy | random
    solver: str  # cbc | highs | '' for heuristics
    status: str  # optimal | feasible | infeasible
    assignment: list[int]  # 0-based group per student
    objective: float  # recomputed from the assignment (the truth)
    bound: float | None  # proven lower bound (None: no proof, e.g. heuristics)
    seconds: float
    evaluation: Evaluation
    checks: Checks
    model_objective: float | None = None  # what the solver reported, with the constant added back
    notes: list[str] = field(default_factory=list)

    @property
    def gap(self) -> float | None:
        """(objective - bound) / objective; 0 when proven optimal, None without a bound."""
        if self.bound is None:
            return None
        diff = max(0.0, self.objective - self.bound)
        if diff <= 1e-9 * max(1.0, abs(self.objective)):
            return 0.0
        return diff / max(abs(self.objective), 1e-9)

    def groups_by_id(self) -> dict[str, int]:
        return {sid: g + 1 for sid, g in zip(self.problem.ids, self.assignment, strict=True)}

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape (extra fields after the required ones)."""
        ev = self.evaluation
        return {
            "status": self.status,
            "objective": round(self.objective, 9),
            "bound": None if self.bound is None else round(self.bound, 9),
            "gap": None if self.gap is None else round(self.gap, 9),
            "seconds": round(self.seconds, 3),
            "assignment": self.groups_by_id(),
            "stddev": {a: {v: round(s, 6) for v, s in vals.items()} for a, vals in ev.stddev.items()},
            "method": self.method,
            "solver": self.solver,
            "groups": self.problem.n_groups,
            "sizes": ev.sizes,
            "means": {a: [None if m is None else round(m, 4) for m in ms] for a, ms in ev.means.items()},
            "mean_range": {a: round(r, 4) for a, r in ev.mean_range.items()},
            "distinct": ev.distinct,
            "constraints_ok": self.checks.ok,
        }


def make_result(
    problem: Problem,
    assignment: list[int],
    *,
    method: str,
    solver: str,
    status: str,
    bound: float | None,
    seconds: float,
    model_objective: float | None = None,
    notes: list[str] | None = None,
) -> Result:
    ev = evaluate(problem, assignment)
    return Result(
        problem=problem,
        method=method,
        solver=solver,
        status=status,
        assignment=list(assignment),
        objective=ev.objective,
        # A proven optimum is its own bound (the solver's printed bound carries rounding noise).
        bound=ev.objective if status == "optimal" else bound,
        seconds=seconds,
        evaluation=ev,
        checks=check_constraints(problem, assignment),
        model_objective=model_objective,
        notes=list(notes or []),
    )
