"""Solving a `Problem` with one of the registered methods, every stage drawing from one `Budget`.

`ilp` (the default) is adaptive rather than cut into fixed shares:

1. Where the exact model is small enough to prove quickly (up to QUICK_SIZE placement variables:
   a class of 30 or a grade of 360 in 12 classes proves or nearly proves in seconds), it is built
   and solved at once with the whole budget, from a greedy start that costs milliseconds. If the
   solver cannot prove its answer, local search improves it while it improves.
2. A bigger problem (a grade of 1,200 in 40 classes: neither solver finds or improves an answer of
   the whole model within a minute) gets greedy + swap while it improves (at most 40 % of the
   budget), then exact re-solves of four groups at a time (`lns.py`) until the deadline.
3. Whenever an answer reaches the best bound (the solver's, or the counting bound that needs no
   solver), it is proven optimal, whichever stage found it.
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
from .backends import METHODS
from .blocks import Blocks, make_blocks
from .budget import Budget, ProgressCallback
from .feasibility import explain_infeasible, precheck
from .heuristics import greedy_swap, improve, random_assignment, tiebreak
from .ilp import Model, block_groups, build_model, run_solver, set_start
from .lns import improve_by_parts
from .problem import Problem
from .result import AssignResult, make_result
from .scoring import evaluate, simple_lower_bound
from .solvers import SolverBackend, get_solver

log = logging.getLogger("schoolauto.groups")

# Placement variables (blocks x groups) up to which the exact model goes first with the whole budget.
QUICK_SIZE = 8000
START_SHARE_BIG = 0.4  # at most this share of the budget for the local search of a big problem
TIEBREAK_SHARE = 0.05  # at most this share (and TIEBREAK_MAX seconds) for the tie-break
TIEBREAK_MAX = 2.0
SMALL_BLOCKS = 60  # up to this many blocks (a class) the full group order is used with any solver
FIRST_SHARE = 0.3  # the first solver attempt of a model that may prove: this share of the budget,
FIRST_MIN = 5.0  # but at least this many seconds


@dataclass(frozen=True)
class SolveSettings:
    solver: str = "highs"
    seed: int = 0
    threads: int = 1


Method = Callable[[Problem, Blocks, SolveSettings, Budget], AssignResult]


def _proven(objective: float, bound: float | None) -> bool:
    return bound is not None and objective <= bound + 1e-9 * max(1.0, abs(objective))


def solve_random(problem: Problem, blocks: Blocks, s: SolveSettings, budget: Budget) -> AssignResult:
    with budget.stage("무작위 배정"):
        return random_assignment(problem, seed=s.seed, blocks=blocks)


def solve_greedy(problem: Problem, blocks: Blocks, s: SolveSettings, budget: Budget) -> AssignResult:
    with budget.stage("greedy+swap"):
        return greedy_swap(problem, seed=s.seed, time_limit=None, blocks=blocks, deadline=budget.deadline())


def solve_exact(problem: Problem, blocks: Blocks, s: SolveSettings, budget: Budget) -> AssignResult:
    backend = get_solver(s.solver)
    floor = simple_lower_bound(problem)
    if len(blocks.blocks) * problem.n_groups > QUICK_SIZE:
        with budget.stage("시작해 (greedy+swap)") as st:
            # Big: the whole model neither finds nor improves an answer within a minute (measured on
            # 1,200 students in 40 classes), so it is not built; local search while it improves,
            # then exact re-solves of a few groups at a time (lns.py) against the counting bound.
            share = budget.share(START_SHARE_BIG)
            deadline = None if share is None else time.perf_counter() + share
            found = greedy_swap(
                problem, seed=s.seed, time_limit=None, blocks=blocks, deadline=deadline, target=floor
            )
            st.detail = f"목적값 {found.objective:.4f}"
            budget.report("시작해", found.objective, floor)
        if found.checks.ok:
            return _big(problem, blocks, s, budget, backend, floor, found.assignment)
        # The heuristics broke a rule (tight sizes or rules): only the whole model can place everyone.
    return _whole(problem, blocks, s, budget, backend, floor)


def _big(
    problem: Problem,
    blocks: Blocks,
    s: SolveSettings,
    budget: Budget,
    backend: SolverBackend,
    floor: float,
    assignment: list[int],
) -> AssignResult:
    objective = evaluate(problem, assignment).objective
    if not _proven(objective, floor):
        with budget.stage("부분 재배정 (4개씩 정확히)") as st:
            d = budget.deadline()
            deadline = None if d is None else d - _tiebreak_reserve(budget)
            better, tried, improved = improve_by_parts(
                problem, assignment, backend, budget, seed=s.seed, deadline=deadline, floor=floor
            )
            value = evaluate(problem, better).objective
            st.detail = f"{tried}번 중 {improved}번 개선, {objective:.4f} → {value:.4f}"
            assignment, objective = better, value
    status = "optimal" if _proven(objective, floor) else "feasible"
    groups = [assignment[blk.members[0]] for blk in blocks.blocks]
    if status == "optimal":
        groups = _tiebreak(problem, blocks, groups, objective, s, budget)
    return make_result(
        problem,
        blocks.assignment(groups, problem.n),
        method="ilp",
        solver=backend.name,
        status=status,
        bound=floor,
        seconds=budget.elapsed(),
        notes=[]
        if status == "optimal"
        else ["큰 문제라 전체 모형 대신 몇 개씩 다시 풀었고, 하한은 값별 인원 계산입니다"],
    )


def _tiebreak_reserve(budget: Budget) -> float:
    return 0.0 if budget.limit is None else min(TIEBREAK_MAX, TIEBREAK_SHARE * budget.limit)


def _tiebreak(
    problem: Problem, blocks: Blocks, groups: list[int], objective: float, s: SolveSettings, budget: Budget
) -> list[int]:
    with budget.stage("동점 정리 (시드)"):
        share = budget.share(1.0, at_most=TIEBREAK_MAX)
        deadline = None if share is None else time.perf_counter() + share
        picked = tiebreak(problem, blocks, groups, seed=s.seed, deadline=deadline)
        value = evaluate(problem, blocks.assignment(picked, problem.n)).objective
        return picked if value <= objective + 1e-9 * max(1.0, abs(objective)) else groups


def _whole(
    problem: Problem, blocks: Blocks, s: SolveSettings, budget: Budget, backend: SolverBackend, floor: float
) -> AssignResult:
    with budget.stage("모델 만들기") as st:
        # Measured: a class-sized model proves fastest with the full group order with either
        # solver (HiGHS: 0.06 s against 0.17 s for 30 -> 6); larger ones as the solver prefers.
        symmetry = "order" if len(blocks.blocks) <= SMALL_BLOCKS else backend.symmetry
        model = build_model(problem, blocks, seed=s.seed, symmetry=symmetry)
        st.detail = f"배치 변수 {len(model.x):,}개, 제약 {len(model.lp.constraints):,}개"
    best = _Best(bound=floor)
    with budget.stage("시작해 (greedy)") as st:
        # A greedy placement costs milliseconds and gives the solver an answer to improve on.
        found = greedy_swap(problem, seed=s.seed, time_limit=None, blocks=blocks, max_idle_passes=0)
        if found.checks.ok:
            best.groups = [found.assignment[blk.members[0]] for blk in blocks.blocks]
            best.objective = found.objective
            st.detail = f"목적값 {found.objective:.4f}"
    for attempt in (1, 2):
        if not _attempt(attempt, problem, blocks, model, backend, s, budget, best):
            break
    if best.groups is None:
        raise SolverError(
            "제한 시간 안에 배정안을 찾지 못했습니다",
            hint="제한 시간을 늘리거나 제약을 줄여 보세요",
            field="time_limit",
        )
    groups = best.groups
    status = "optimal" if _proven(best.objective, best.bound) else "feasible"
    if status == "optimal":
        groups = _tiebreak(problem, blocks, groups, best.objective, s, budget)
    return make_result(
        problem,
        blocks.assignment(groups, problem.n),
        method="ilp",
        solver=backend.name,
        status=status,
        bound=best.bound,
        seconds=budget.elapsed(),
        model_objective=best.model_objective,
    )


@dataclass
class _Best:
    """The best answer so far (block groups), its objective, the best bound, the solver's value."""

    bound: float
    groups: list[int] | None = None
    objective: float = float("inf")
    model_objective: float | None = None


def _attempt(
    attempt: int,
    problem: Problem,
    blocks: Blocks,
    model: Model,
    backend: SolverBackend,
    s: SolveSettings,
    budget: Budget,
    best: _Best,
) -> bool:
    """One solver attempt, then local search while it improves if unproven; False: stop here.

    The first attempt is short (most models that can be proven are proven in it); if it leaves a
    gap, local search improves its answer and the second attempt starts from that with the rest of
    the budget (its bound counts too).
    """
    left = budget.remaining()
    limit = None if left is None else max(0.0, left - _tiebreak_reserve(budget))
    if attempt == 1 and limit is not None:
        limit = min(limit, max(FIRST_MIN, FIRST_SHARE * limit))
    if attempt > 1 and limit is not None and limit < 1.0:
        return False
    warm = best.groups is not None and set_start(model, best.groups)
    with budget.stage(f"정수계획 {attempt}차 ({backend.name})") as st:
        outcome = run_solver(model, backend, budget, time_limit=limit, threads=s.threads, warm_start=warm)
        st.detail = f"{outcome.status}, 목적값 {outcome.objective}, 하한 {outcome.bound}"
    if outcome.status == "infeasible":
        with budget.stage("불가능한 까닭 찾기"):
            raise explain_infeasible(problem, backend, budget)
    if outcome.bound is not None:
        best.bound = max(best.bound, outcome.bound + model.constant)
    if outcome.status in ("optimal", "feasible"):
        found = block_groups(model)
        value = evaluate(problem, blocks.assignment(found, problem.n)).objective
        if best.groups is None or value <= best.objective + 1e-9 * max(1.0, abs(best.objective)):
            best.groups, best.objective = found, value
            best.model_objective = None if outcome.objective is None else outcome.objective + model.constant
    if best.groups is None:
        return True
    if _proven(best.objective, best.bound) or budget.expired():
        return False
    with budget.stage("지역 탐색 (개선되는 동안)") as st:
        better = improve(
            problem, blocks, best.groups, seed=s.seed, deadline=_deadline(budget), target=best.bound
        )
        value = evaluate(problem, blocks.assignment(better, problem.n)).objective
        if value < best.objective - 1e-9 * max(1.0, abs(best.objective)):
            st.detail = f"{best.objective:.4f} → {value:.4f}"
            best.groups, best.objective, best.model_objective = better, value, None
    return not _proven(best.objective, best.bound)


def _deadline(budget: Budget) -> float:
    d = budget.deadline()
    return time.perf_counter() + 3600.0 if d is None else d


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
