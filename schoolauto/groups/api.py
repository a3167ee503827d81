"""One call for every method: `assign_groups(problem, method=..., solver=..., seed=..., time_limit=...)`."""

from __future__ import annotations

import dataclasses
import time

from ..errors import UsageError
from .heuristics import greedy_swap, random_assignment
from .ilp import solve_ilp
from .problem import Problem
from .result import Result

METHODS = ("ilp", "greedy", "random")


def assign_groups(
    problem: Problem,
    *,
    method: str = "ilp",
    solver: str = "cbc",
    seed: int = 0,
    time_limit: float | None = 60.0,
    threads: int = 1,
    warm_start: bool | None = None,
) -> Result:
    """Assign every student a group (0-based in `Result.assignment`, 1-based in its outputs).

    `ilp` proves optimality (or reports the gap when `time_limit` stops it). On larger problems it
    first runs greedy + swap (up to half of the time limit) and starts the solver from that answer, so it is never worse than it;
    if the solver's best is still worse (a weak start-up in the solver), the greedy answer is kept
    together with the solver's proven bound.
    """
    if method not in METHODS:
        raise UsageError(f"알 수 없는 방법입니다: {method} (가능한 값: {', '.join(METHODS)})")
    if time_limit is not None and time_limit <= 0:
        raise UsageError(f"--time-limit: 0보다 커야 합니다 ({time_limit})")
    if threads < 1:
        raise UsageError(f"--threads: 1 이상이어야 합니다 ({threads})")
    from .feasibility import precheck

    problem.check()
    precheck(problem)  # every method: impossible input is explained, not answered with broken rules
    if method == "random":
        return random_assignment(problem, seed=seed)
    if method == "greedy":
        return greedy_swap(problem, seed=seed, time_limit=time_limit)
    t0 = time.perf_counter()
    use_start = problem.n > 100 if warm_start is None else warm_start
    start: Result | None = None
    if use_start:
        from .feasibility import precheck

        precheck(problem)
        # Half the budget: enough for the local search to settle on a grade of a few hundred, so
        # the solver starts from the same answer `--method greedy` gives (and is never worse).
        budget = None if time_limit is None else max(0.5, 0.5 * time_limit)
        start = greedy_swap(problem, seed=seed, time_limit=budget)
        if not start.checks.ok:
            start = None
    # Keep about a second for building the model and reading the answer back.
    remaining = None if time_limit is None else max(1.0, time_limit - (time.perf_counter() - t0) - 1.0)
    result = solve_ilp(
        problem,
        solver=solver,
        time_limit=remaining,
        seed=seed,
        threads=threads,
        start=None if start is None else start.assignment,
    )
    if start is not None and start.objective < result.objective - 1e-9 * max(1.0, abs(start.objective)):
        proven = result.bound is not None and start.objective <= result.bound + 1e-9 * max(
            1.0, start.objective
        )
        kept = dataclasses.replace(
            start,
            method="ilp",
            solver=result.solver,
            status="optimal" if proven else "feasible",
            bound=result.bound,
            model_objective=None,
            notes=[*result.notes, "풀이기보다 greedy+swap 시작해가 좋아 그것을 썼습니다"],
        )
        result = kept
    result.seconds = time.perf_counter() - t0
    return result
