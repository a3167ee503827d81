"""The exact integer program for group formation and class assignment.

Variables x[b, g] place block b (students kept together) in group g. The variance of each balanced
value's headcount c_gv is linearised exactly: c_gv is integer, so z_gv >= (2k+1) c_gv - k(k+1) for
k = 0..U-1 (the chords of c^2 between consecutive integers) makes min z_gv = c_gv^2 at every integer
point. Numeric balance uses |.| epigraphs, similar mode one binary per (group, value). Interchangeable
groups are ordered (the members of the largest apart set go to groups 1..k, then each later block
may only open the next empty group), which keeps proofs short. A seed shuffles the block order and,
once the optimum is proven, picks a random optimum: objective <= optimum, minimise random costs.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass

import pulp

from ..errors import SolverError
from .blocks import Blocks, apart_cliques, make_blocks
from .evaluate import evaluate, simple_lower_bound
from .problem import Problem
from .result import Result, make_result
from .solvers import SolverBackend, get_solver


@dataclass
class Model:
    lp: pulp.LpProblem
    x: dict[tuple[int, int], pulp.LpVariable]
    objective: pulp.LpAffineExpression
    constant: float
    blocks: Blocks
    allowed: list[list[int]]  # groups each block may take
    symmetric: bool
    order: list[int]


def _value_counts(problem: Problem, blocks: Blocks, attr: str) -> dict[str, list[tuple[int, int]]]:
    """value -> [(block, number of its members with that value)]."""
    col = problem.categorical[attr]
    out: dict[str, list[tuple[int, int]]] = {v: [] for v in problem.values(attr)}
    for b, blk in enumerate(blocks.blocks):
        per: dict[str, int] = {}
        for i in blk.members:
            per[col[i]] = per.get(col[i], 0) + 1
        for v, k in per.items():
            out[v].append((b, k))
    return out


def symmetry_order(problem: Problem, blocks: Blocks, rng: random.Random) -> tuple[list[int], int]:
    """Block order for symmetry breaking, and how many leading blocks are pairwise apart."""
    order = list(range(len(blocks.blocks)))
    rng.shuffle(order)
    clique = next((c for c in apart_cliques(blocks, limit=500) if len(c) <= problem.n_groups), [])
    rest = [b for b in order if b not in set(clique)]
    return clique + rest, len(clique)


def build_model(problem: Problem, blocks: Blocks, *, seed: int = 0) -> Model:
    G = problem.n_groups
    rng = random.Random(seed)
    lp = pulp.LpProblem("groups", pulp.LpMinimize)
    symmetric = all(blk.fixed is None for blk in blocks.blocks)
    order, k_clique = symmetry_order(problem, blocks, rng)
    allowed: list[list[int]] = [list(range(G)) for _ in blocks.blocks]
    if symmetric:
        for pos, b in enumerate(order):
            if pos < k_clique:
                allowed[b] = [pos]
            else:
                allowed[b] = list(range(min(G, k_clique + (pos - k_clique) + 1)))
    else:
        # Groups holding a fixed student are not interchangeable, but the others still are.
        pinned = sorted({blk.fixed for blk in blocks.blocks if blk.fixed is not None and blk.fixed < G})
        free = [g for g in range(G) if g not in set(pinned)]
        opened = 0
        for b in order:
            blk = blocks.blocks[b]
            if blk.fixed is not None:
                allowed[b] = [blk.fixed] if blk.fixed < G else []
            else:
                allowed[b] = sorted([*pinned, *free[: opened + 1]])
                opened += 1
    x: dict[tuple[int, int], pulp.LpVariable] = {}
    for b in range(len(blocks.blocks)):
        for g in allowed[b]:
            x[b, g] = pulp.LpVariable(f"x_{b}_{g}", cat="Binary")
        lp += pulp.lpSum(x[b, g] for g in allowed[b]) == 1, f"assign_{b}"

    def in_group(g: int) -> list[int]:
        return [b for b in range(len(blocks.blocks)) if (b, g) in x]

    members_of = [in_group(g) for g in range(G)]
    for g in range(G):
        seats = pulp.lpSum(blocks.blocks[b].seats * x[b, g] for b in members_of[g])
        lp += seats <= problem.max_size, f"max_size_{g}"
        if problem.min_size > 0:
            lp += seats >= problem.min_size, f"min_size_{g}"
    for s, (bs, _c) in enumerate(blocks.apart_sets):
        for g in range(G):
            terms = [x[b, g] for b in bs if (b, g) in x]
            if len(terms) > 1:
                lp += pulp.lpSum(terms) <= 1, f"apart_{s}_{g}"

    # Cliques of pairwise-apart blocks: one student of each per group at most (a much tighter LP).
    existing = {tuple(bs) for bs, _c in blocks.apart_sets}
    for q, clique in enumerate(apart_cliques(blocks, limit=500)):
        if len(clique) < 3 or tuple(clique) in existing:
            continue
        for g in range(G):
            terms = [x[b, g] for b in clique if (b, g) in x]
            if len(terms) > 1:
                lp += pulp.lpSum(terms) <= 1, f"clique_{q}_{g}"
    objective_terms: list[pulp.LpAffineExpression] = []
    constant = 0.0
    counts: dict[tuple[str, str, int], pulp.LpVariable] = {}
    need_counts = list(dict.fromkeys([*problem.balance, *(a for a, _ in problem.no_alone)]))
    max_students = problem.max_size  # every student takes at least one seat
    for a_idx, attr in enumerate(need_counts):
        per_value = _value_counts(problem, blocks, attr)
        for v_idx, (v, pairs) in enumerate(per_value.items()):
            total = sum(k for _b, k in pairs)
            upper = min(total, max_students)
            for g in range(G):
                c = pulp.LpVariable(f"c_{a_idx}_{v_idx}_{g}", lowBound=0, upBound=upper, cat="Integer")
                lp += (
                    c == pulp.lpSum(k * x[b, g] for b, k in pairs if (b, g) in x),
                    f"count_{a_idx}_{v_idx}_{g}",
                )
                counts[attr, v, g] = c
            if attr in problem.balance:
                w = problem.balance[attr]
                constant -= w * total * total / G
                for g in range(G):
                    z = pulp.LpVariable(f"z_{a_idx}_{v_idx}_{g}", lowBound=0)
                    for k in range(upper):
                        lp += (
                            z >= (2 * k + 1) * counts[attr, v, g] - k * (k + 1),
                            f"sq_{a_idx}_{v_idx}_{g}_{k}",
                        )
                    objective_terms.append(w * z)
    for a_idx, (attr, value) in enumerate(problem.no_alone):
        if (attr, value, 0) not in counts:
            continue
        upper = int(counts[attr, value, 0].upBound or 0)
        for g in range(G):
            y = pulp.LpVariable(f"alone_{a_idx}_{g}", cat="Binary")
            lp += counts[attr, value, g] >= 2 * y, f"alone_lo_{a_idx}_{g}"
            lp += counts[attr, value, g] <= upper * y, f"alone_hi_{a_idx}_{g}"
    avg_size = problem.n / G
    for a_idx, (attr, w) in enumerate(problem.numeric_balance.items()):
        xs = problem.numeric[attr]
        mu = sum(xs) / problem.n
        coef = [sum(xs[i] - mu for i in blk.members) for blk in blocks.blocks]
        for g in range(G):
            d = pulp.LpVariable(f"d_{a_idx}_{g}", lowBound=0)
            dev = pulp.lpSum(coef[b] * x[b, g] for b in members_of[g] if coef[b] != 0)
            slack = problem.numeric_tolerance * avg_size
            lp += d >= dev - slack, f"dev_hi_{a_idx}_{g}"
            lp += d >= -dev - slack, f"dev_lo_{a_idx}_{g}"
            objective_terms.append((w / avg_size) * d)
    for a_idx, (attr, w) in enumerate(problem.similar.items()):
        col = problem.categorical[attr]
        for v_idx, v in enumerate(problem.values(attr)):
            holders = [b for b, blk in enumerate(blocks.blocks) if any(col[i] == v for i in blk.members)]
            for g in range(G):
                here = [b for b in holders if (b, g) in x]
                if not here:
                    continue
                u = pulp.LpVariable(f"u_{a_idx}_{v_idx}_{g}", cat="Binary")
                for b in here:
                    lp += x[b, g] <= u, f"sim_{a_idx}_{v_idx}_{g}_{b}"
                objective_terms.append(w * u)
    objective = pulp.lpSum(objective_terms)
    lp += objective
    return Model(
        lp=lp,
        x=x,
        objective=objective,
        constant=constant,
        blocks=blocks,
        allowed=allowed,
        symmetric=symmetric,
        order=order,
    )


def canonical_labels(model: Model, block_groups: Sequence[int], n_groups: int) -> list[int] | None:
    """Relabel a block assignment so it satisfies the symmetry-breaking rule (None if it cannot)."""
    mapping: dict[int, int] = {}
    if model.symmetric:
        targets = list(range(n_groups))
    else:
        pinned = {blk.fixed for blk in model.blocks.blocks if blk.fixed is not None}
        mapping = {g: g for g in pinned if g is not None}
        targets = [g for g in range(n_groups) if g not in pinned]
    free_targets = iter(targets)
    for b in model.order:
        g = block_groups[b]
        if g not in mapping:
            mapping[g] = next(free_targets)
    for g in range(n_groups):
        if g not in mapping:
            mapping[g] = next(free_targets)
    out = [mapping[g] for g in block_groups]
    if not all(g in model.allowed[b] for b, g in enumerate(out)):
        return None
    return out


def set_start(model: Model, problem: Problem, block_groups: Sequence[int]) -> bool:
    """Give the solver a starting solution (integer variables only; CBC and HiGHS complete the rest)."""
    labels = canonical_labels(model, block_groups, problem.n_groups)
    if labels is None:
        return False
    for (b, g), var in model.x.items():
        var.setInitialValue(1 if labels[b] == g else 0)
    assignment = model.blocks.assignment(labels, problem.n)
    for var in model.lp.variables():
        if var.name.startswith("c_"):
            _, a_idx, v_idx, g = var.name.split("_")
            attrs = list(dict.fromkeys([*problem.balance, *(a for a, _ in problem.no_alone)]))
            attr = attrs[int(a_idx)]
            v = problem.values(attr)[int(v_idx)]
            col = problem.categorical[attr]
            var.setInitialValue(sum(1 for i, gg in enumerate(assignment) if gg == int(g) and col[i] == v))
    return True


def _block_groups(model: Model) -> list[int]:
    out = []
    for b in range(len(model.blocks.blocks)):
        best = max(model.allowed[b], key=lambda g: model.x[b, g].value() or 0.0)
        out.append(best)
    return out


def solve_ilp(
    problem: Problem,
    *,
    solver: str = "cbc",
    time_limit: float | None = None,
    seed: int = 0,
    threads: int = 1,
    tiebreak: bool = True,
    start: Sequence[int] | None = None,
) -> Result:
    """Solve exactly (or until `time_limit` seconds). Raises InfeasibleError with the conflicts named.

    `start`: an assignment (0-based group per student) to start from, e.g. greedy + swap's.
    """
    from .feasibility import explain_infeasible, precheck

    t0 = time.perf_counter()
    problem.check()
    backend = get_solver(solver)
    blocks = make_blocks(problem)
    precheck(problem, blocks)
    model = build_model(problem, blocks, seed=seed)
    warm = False
    if start is not None:
        warm = set_start(model, problem, [start[blk.members[0]] for blk in blocks.blocks])
    # Building a large model takes seconds of the budget too.
    left = None if time_limit is None else max(1.0, time_limit - (time.perf_counter() - t0))
    outcome = backend.solve(model.lp, time_limit=left, threads=threads, warm_start=warm)
    if outcome.status == "infeasible":
        raise explain_infeasible(problem, solver=solver)
    floor = simple_lower_bound(problem)
    if outcome.status == "unknown":
        if start is None:
            raise SolverError(
                "제한 시간 안에 배정안을 찾지 못했습니다",
                hint="--time-limit 을 늘리거나 제약을 줄여 보세요",
            )
        # The solver produced nothing in time: keep the starting answer, with the counting bound.
        return make_result(
            problem,
            list(start),
            method="ilp",
            solver=backend.name,
            status="feasible",
            bound=floor,
            seconds=time.perf_counter() - t0,
            notes=["풀이기가 제한 시간 안에 답을 내지 못해 시작해(greedy+swap)를 썼습니다"],
        )
    groups = _block_groups(model)
    assignment = blocks.assignment(groups, problem.n)
    model_objective = (outcome.objective or 0.0) + model.constant
    bound = floor if outcome.bound is None else max(floor, outcome.bound + model.constant)
    status = outcome.status
    notes: list[str] = []
    true_obj = evaluate(problem, assignment).objective
    if status == "feasible" and true_obj <= bound + 1e-9 * max(1.0, abs(true_obj)):
        status = "optimal"  # the counting bound already proves it
    elapsed = time.perf_counter() - t0
    remaining = None if time_limit is None else time_limit - elapsed
    if status == "optimal" and tiebreak and (remaining is None or remaining >= 1):
        picked = _random_optimum(model, problem, backend, true_obj, seed, remaining, threads)
        if picked is not None:
            assignment = picked
        else:
            notes.append("무작위 최적해 선택을 건너뛰었습니다 (시간 부족)")
    seconds = time.perf_counter() - t0
    return make_result(
        problem,
        assignment,
        method="ilp",
        solver=backend.name,
        status=status,
        bound=bound,
        seconds=seconds,
        model_objective=model_objective,
        notes=notes,
    )


def _random_optimum(
    model: Model,
    problem: Problem,
    backend: SolverBackend,
    optimum: float,
    seed: int,
    time_limit: float | None,
    threads: int,
) -> list[int] | None:
    """Among assignments as good as `optimum`, the one that minimises seeded random costs."""
    rng = random.Random(f"tiebreak-{seed}")
    tol = 1e-6 * max(1.0, abs(optimum))
    lp = model.lp
    lp += model.objective + model.constant <= optimum + tol, "keep_optimum"
    lp.setObjective(pulp.lpSum(rng.random() * var for var in model.x.values()))
    try:
        # Any optimum will do, so the random costs need no proof: a loose gap keeps this step short
        # and, unlike a time limit, keeps it deterministic.
        outcome = backend.solve(lp, time_limit=time_limit, threads=threads, warm_start=True, rel_gap=0.5)
    finally:
        lp.constraints.pop("keep_optimum", None)
        lp.setObjective(model.objective)
    if outcome.status not in ("optimal", "feasible"):
        return None
    assignment = model.blocks.assignment(_block_groups(model), problem.n)
    if evaluate(problem, assignment).objective > optimum + 10 * tol:
        return None
    return assignment
