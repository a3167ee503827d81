"""Solving a `Problem` with one of the registered methods, every stage drawing from one `Budget`.

`ilp` (the default) is adaptive rather than cut into fixed shares:

1. The exact model is built. Where it is small enough to prove quickly (measured: up to a few
   thousand placement variables proves in seconds), the solver starts at once with the whole
   budget; a bigger one first gets a greedy + swap start, whose local search runs only while it
   improves and at most a quarter of the budget (the solvers find no answer of their own on a
   1,200-student grade within a minute).
2. Whenever an answer reaches the best bound (the solver's, or the counting bound that needs no
   solver), it is proven optimal, whichever stage found it, and the solver is not called (again).
3. An answer the solver could not prove is improved by local search while that improves.
4. A proven optimum gets the seeded tie-break (`heuristics.tiebreak`): cheap, deterministic, and
   bounded to a small share of the budget, so the same seed gives the same answer and other seeds
   other answers of the same quality.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import SolverError
from ..registry import Registry
from .blocks import Blocks, make_blocks
from .budget import Budget, ProgressCallback
from .feasibility import explain_infeasible, precheck
from .heuristics import greedy_swap, improve, random_assignment, tiebreak
from .ilp import block_groups, build_model, run_solver, set_start
from .problem import Problem
from .result import AssignResult, make_result
from .scoring import evaluate, simple_lower_bound
from .solvers import get_solver

log = logging.getLogger("schoolauto.groups")

# Placement variables (blocks x groups) up to which the exact model goes first with the whole budget.
QUICK_SIZE = 8000
START_SHARE = 0.25  # at most this share of the budget for the start heuristic of a big model
TIEBREAK_SHARE = 0.05  # at most this share (and TIEBREAK_MAX seconds) for the tie-break
TIEBREAK_MAX = 2.0


@dataclass(frozen=True)
class SolveSettings:
    solver: str = "highs"
    seed: int = 0
    threads: int = 1


Method = Callable[[Problem, Blocks, SolveSettings, Budget], AssignResult]
METHODS: Registry[Method] = Registry("배정 방법")


def _proven(objective: float, bound: float | None) -> bool:
    return bound is not None and objective <= bound + 1e-9 * max(1.0, abs(objective))


def _random(problem: Problem, blocks: Blocks, s: SolveSettings, budget: Budget) -> AssignResult:
    with budget.stage("무작위 배정"):
        return random_assignment(problem, seed=s.seed, blocks=blocks)


def _greedy(problem: Problem, blocks: Blocks, s: SolveSettings, budget: Budget) -> AssignResult:
    with budget.stage("greedy+swap"):
        return greedy_swap(problem, seed=s.seed, time_limit=None, blocks=blocks, deadline=budget.deadline())


def _ilp(problem: Problem, blocks: Blocks, s: SolveSettings, budget: Budget) -> AssignResult:
    backend = get_solver(s.solver)
    floor = simple_lower_bound(problem)
    with budget.stage("모델 만들기") as st:
        model = build_model(problem, blocks, seed=s.seed)
        st.detail = f"배치 변수 {len(model.x):,}개, 제약 {len(model.lp.constraints):,}개"
    notes: list[str] = []
    start: list[int] | None = None
    start_objective = float("inf")
    big = len(model.x) > QUICK_SIZE
    with budget.stage("시작해 (greedy" + ("+swap)" if big else ")")) as st:
        # A greedy placement costs milliseconds and gives the solver an answer to improve on (without
        # one, neither solver found any answer for a 1,200-student grade within a minute). Only a big
        # model also gets the local search, while it improves and within a quarter of the budget.
        share = budget.share(START_SHARE) if big else 0.0
        deadline = None if share is None else time.perf_counter() + share
        found = greedy_swap(
            problem,
            seed=s.seed,
            time_limit=None,
            blocks=blocks,
            deadline=deadline,
            max_idle_passes=2 if big else 0,
        )
        if found.checks.ok:
            start = [found.assignment[blk.members[0]] for blk in blocks.blocks]
            start_objective = found.objective
            st.detail = f"목적값 {found.objective:.4f}"
            budget.report("시작해", found.objective - model.constant, floor - model.constant)
    if big and start is not None and _proven(start_objective, floor):
        # The counting bound already proves the start optimal: no solver call needed.
        groups, objective, bound, status = start, start_objective, floor, "optimal"
        model_objective = None
    else:
        warm = start is not None and set_start(model, start)
        reserve = min(TIEBREAK_MAX, TIEBREAK_SHARE * budget.limit) if budget.limit is not None else None
        left = budget.remaining()
        limit = None if left is None else max(0.0, left - (reserve or 0.0))
        with budget.stage(f"정수계획 ({backend.name})") as st:
            outcome = run_solver(model, backend, budget, time_limit=limit, threads=s.threads, warm_start=warm)
            st.detail = f"{outcome.status}, 목적값 {outcome.objective}, 하한 {outcome.bound}"
        if outcome.status == "infeasible":
            with budget.stage("불가능한 까닭 찾기"):
                raise explain_infeasible(problem, backend, budget)
        bound = floor if outcome.bound is None else max(floor, outcome.bound + model.constant)
        model_objective = None if outcome.objective is None else outcome.objective + model.constant
        if outcome.status == "unknown":
            if start is None:
                raise SolverError(
                    "제한 시간 안에 배정안을 찾지 못했습니다",
                    hint="제한 시간을 늘리거나 제약을 줄여 보세요",
                    field="time_limit",
                )
            groups, objective = start, start_objective
            notes.append("풀이기가 제한 시간 안에 답을 내지 못해 시작해(greedy+swap)를 썼습니다")
        else:
            groups = block_groups(model)
            objective = evaluate(problem, blocks.assignment(groups, problem.n)).objective
            if start is not None and start_objective < objective - 1e-9 * max(1.0, abs(start_objective)):
                groups, objective = start, start_objective
                notes.append("풀이기보다 greedy+swap 시작해가 좋아 그것을 썼습니다")
        status = "optimal" if _proven(objective, bound) else "feasible"
        if status == "feasible" and not budget.expired():
            with budget.stage("지역 탐색 (개선되는 동안)") as st:
                better = improve(problem, blocks, groups, seed=s.seed, deadline=_deadline(budget))
                value = evaluate(problem, blocks.assignment(better, problem.n)).objective
                if value < objective - 1e-9 * max(1.0, abs(objective)):
                    st.detail = f"{objective:.4f} → {value:.4f}"
                    groups, objective = better, value
                status = "optimal" if _proven(objective, bound) else "feasible"
    if status == "optimal":
        with budget.stage("동점 정리 (시드)"):
            share = budget.share(1.0, at_most=TIEBREAK_MAX)
            deadline = None if share is None else time.perf_counter() + share
            picked = tiebreak(problem, blocks, groups, seed=s.seed, deadline=deadline)
            if evaluate(problem, blocks.assignment(picked, problem.n)).objective <= objective + 1e-9 * max(
                1.0, abs(objective)
            ):
                groups = picked
    return make_result(
        problem,
        blocks.assignment(groups, problem.n),
        method="ilp",
        solver=backend.name,
        status=status,
        bound=bound,
        seconds=budget.elapsed(),
        model_objective=model_objective,
        notes=notes,
    )


def _deadline(budget: Budget) -> float:
    d = budget.deadline()
    return time.perf_counter() + 3600.0 if d is None else d


METHODS.register("ilp", _ilp, label="정수계획, 최적 증명")
METHODS.register("greedy", _greedy, label="greedy+swap")
METHODS.register("random", _random, label="무작위")


def assign_groups(
    problem: Problem,
    *,
    method: str = "ilp",
    solver: str = "highs",
    seed: int = 0,
    time_limit: float | None = 60.0,
    threads: int = 1,
    budget: Budget | None = None,
    progress: ProgressCallback | None = None,
) -> AssignResult:
    """Assign every student a group (0-based in `Result.assignment`, 1-based in its outputs).

    Compute only (no files): `ilp` proves optimality or reports the gap to the best bound; `greedy`
    and `random` are the baselines. Impossible rules raise InfeasibleError naming them.
    """
    run = METHODS.get(method, field="method")
    settings = SolveSettings(solver=solver, seed=seed, threads=threads)
    if budget is None:
        budget = Budget(time_limit, progress=progress)
    problem.check()
    blocks = make_blocks(problem)
    with budget.stage("사전 점검"):
        precheck(problem, blocks)
    result = run(problem, blocks, settings, budget)
    result = dataclasses.replace(result, seconds=budget.elapsed(), profile=budget.profile())
    return result


def solve_ilp(problem: Problem, **kw: object) -> AssignResult:
    """`assign_groups(problem, method="ilp", ...)`."""
    return assign_groups(problem, method="ilp", **kw)  # type: ignore[arg-type]
