"""Large-neighbourhood search for big problems: re-solve a few groups at a time, exactly.

On a whole grade (1,200 students in 40 classes) neither solver finds or improves an answer within a
minute, and the local search stops at a local optimum. Freeing the students of a few groups (four by
default) and solving that part exactly with the model — the other groups held as they are — finds
the exchanges among several groups that single moves and swaps cannot. The objective is a sum over
groups (balance and similar terms use the whole's value counts only through constants, and the part
keeps the whole's numeric means), so a better part is a better whole.
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Sequence

from .blocks import make_blocks
from .budget import Budget
from .heuristics import _State
from .ilp import block_groups, build_model, set_start
from .problem import KIND_APART, KIND_FIXED, KIND_NAMES, KIND_TOGETHER, Constraint, Problem
from .scoring import evaluate
from .solvers import SolverBackend

PART_GROUPS = 4
PART_SECONDS = 3.0  # at most this long for one part


def part_of(problem: Problem, assignment: Sequence[int], chosen: Sequence[int]) -> tuple[Problem, list[int]]:
    """The sub-problem of the students in the `chosen` groups, and those students (whole indices)."""
    local = {g: k for k, g in enumerate(chosen)}
    members = [i for i in range(problem.n) if assignment[i] in local]
    index = {i: j for j, i in enumerate(members)}
    constraints: list[Constraint] = []
    for c in problem.constraints:
        inside = tuple(index[i] for i in c.members if i in index)
        if not inside:
            continue
        if c.kind in (KIND_APART, KIND_NAMES):
            if len(inside) > 1:
                constraints.append(dataclasses.replace(c, members=inside))
        elif c.kind == KIND_TOGETHER:
            constraints.append(dataclasses.replace(c, members=inside))
        elif c.kind == KIND_FIXED and c.group is not None and c.group - 1 in local:
            constraints.append(dataclasses.replace(c, members=inside, group=local[c.group - 1] + 1))
    sub = Problem(
        ids=[problem.ids[i] for i in members],
        n_groups=len(chosen),
        min_size=problem.min_size,
        max_size=problem.max_size,
        categorical={a: [col[i] for i in members] for a, col in problem.categorical.items()},
        numeric={a: [xs[i] for i in members] for a, xs in problem.numeric.items()},
        balance=dict(problem.balance),
        numeric_balance=dict(problem.numeric_balance),
        numeric_tolerance=problem.numeric_tolerance,
        similar=dict(problem.similar),
        constraints=constraints,
        no_alone=list(problem.no_alone),
        seats=[problem.seats[i] for i in members],
        unit=problem.unit,
        numeric_center={a: problem.center(a) for a in problem.numeric},
        size_scale=problem.avg_size,
    )
    return sub, members


def improve_by_parts(
    problem: Problem,
    assignment: list[int],
    backend: SolverBackend,
    budget: Budget,
    *,
    seed: int,
    deadline: float | None,
    floor: float,
) -> tuple[list[int], int, int]:
    """Re-solve parts until `deadline`, a proven optimum, or 4 x groups parts in a row without
    improvement; returns (assignment, parts solved, parts improved)."""
    G = problem.n_groups
    k = min(PART_GROUPS, G)
    rng = random.Random(f"parts-{seed}")
    current = list(assignment)
    tried = improved = 0
    objective = evaluate(problem, current).objective
    budget.shown_offset = 0.0
    stall = 0
    end = deadline if deadline is not None else time.perf_counter() + 3600.0
    while stall < 4 * G:
        left = end - time.perf_counter()
        if left < 0.5 or objective <= floor + 1e-9 * max(1.0, objective):
            break
        state = _State(problem, make_blocks(problem), _blocks_of(problem, current))
        costs = [state.group_cost(g) + 1e-9 for g in range(G)]
        first = rng.choices(range(G), weights=costs)[0]
        chosen = [first, *rng.sample([g for g in range(G) if g != first], k - 1)]
        sub, members = part_of(problem, current, chosen)
        local = {g: j for j, g in enumerate(chosen)}
        start = [local[current[i]] for i in members]
        blocks = make_blocks(sub)
        model = build_model(sub, blocks, seed=seed + tried, symmetry=backend.symmetry)
        before = evaluate(sub, start).objective
        warm = set_start(model, [start[blk.members[0]] for blk in blocks.blocks])
        limit = min(PART_SECONDS, end - time.perf_counter())
        if limit <= 0.2:
            break
        outcome = backend.solve(model.lp, time_limit=limit, threads=1, warm_start=warm, deadline=end)
        tried += 1
        stall += 1
        if outcome.status not in ("optimal", "feasible"):
            continue
        new_local = blocks.assignment(block_groups(model), sub.n)
        after = evaluate(sub, new_local).objective
        if after < before - 1e-9 * max(1.0, before):
            for j, i in enumerate(members):
                current[i] = chosen[new_local[j]]
            objective = evaluate(problem, current).objective
            improved += 1
            stall = 0
            budget.report("부분 재배정", objective, floor)
    return current, tried, improved


def _blocks_of(problem: Problem, assignment: Sequence[int]) -> list[int]:
    blocks = make_blocks(problem)
    return [assignment[blk.members[0]] for blk in blocks.blocks]
