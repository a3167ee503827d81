"""The exact integer program for group formation and class assignment.

Variables x[b, g] place block b (students kept together) in group g. The variance of each balanced
value's headcount c_gv is linearised exactly: c_gv is the sum of unit steps y_k in [0, 1]
(k = 1..U) costing 2k-1 each, so the cheapest steps fill first and the cost is c_gv^2 at every
integer point (measured faster to prove than the chords z >= (2k+1)c - k(k+1) with both solvers). Numeric balance uses |.| epigraphs, similar mode one binary per (group, value). Interchangeable
groups are ordered (the members of the largest apart set go to groups 1..k, then each later block
may only open the next empty group), which keeps proofs short. A seed shuffles the block order.
Solving is orchestrated by `solve.py`; this module builds the model and runs one solver call.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

import pulp

from .blocks import Blocks, apart_cliques
from .budget import Budget
from .problem import Problem
from .solvers import SolveOutcome, SolverBackend


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
    n_groups: int
    # (attribute, value) -> [(block, its members with that value)], for headcounts of a start.
    count_terms: dict[tuple[str, str], list[tuple[int, int]]]
    steps: dict[tuple[str, str, int], list[pulp.LpVariable]]  # unit steps of each squared count
    alone: dict[tuple[str, str, int], pulp.LpVariable]  # no-lone-member switches
    present: dict[pulp.LpVariable, tuple[int, list[int]]]  # similar mode: value in group (group, blocks)
    terms: list[pulp.LpAffineExpression] = field(default_factory=list)  # the objective's parts


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


Placement = dict[tuple[int, int], pulp.LpVariable]
Counts = dict[tuple[str, str, int], pulp.LpAffineExpression]


def _allowed(blocks: Blocks, G: int, order: list[int], k_clique: int, symmetry: str) -> list[list[int]]:
    """The groups each block may take under the symmetry breaking."""
    allowed: list[list[int]] = [list(range(G)) for _ in blocks.blocks]
    if all(blk.fixed is None for blk in blocks.blocks):
        if symmetry == "pin":
            for pos, b in enumerate(order[: max(1, k_clique)]):
                allowed[b] = [pos]
            return allowed
        for pos, b in enumerate(order):
            if pos < k_clique:
                allowed[b] = [pos]
            else:
                allowed[b] = list(range(min(G, k_clique + (pos - k_clique) + 1)))
        return allowed
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
    return allowed


def _placement(lp: pulp.LpProblem, problem: Problem, blocks: Blocks, allowed: list[list[int]]) -> Placement:
    """x[b, g], each block in one group, group sizes, apart sets and apart cliques."""
    G = problem.n_groups
    x: Placement = {}
    for b in range(len(blocks.blocks)):
        for g in allowed[b]:
            x[b, g] = pulp.LpVariable(f"x_{b}_{g}", cat="Binary")
        lp += pulp.lpSum(x[b, g] for g in allowed[b]) == 1, f"assign_{b}"
    for g in range(G):
        seats = pulp.lpSum(blk.seats * x[b, g] for b, blk in enumerate(blocks.blocks) if (b, g) in x)
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
    return x


def _headcounts(lp: pulp.LpProblem, problem: Problem, blocks: Blocks, x: Placement, model: Model) -> Counts:
    """Headcount expressions, and for balanced columns the unit steps of their squares."""
    G = problem.n_groups
    count_of: Counts = {}
    need_counts = list(dict.fromkeys([*problem.balance, *(a for a, _ in problem.no_alone)]))
    for a_idx, attr in enumerate(need_counts):
        for v_idx, (v, pairs) in enumerate(_value_counts(problem, blocks, attr).items()):
            model.count_terms[attr, v] = pairs
            total = sum(k for _b, k in pairs)
            upper = min(total, problem.max_size)  # every student takes at least one seat
            for g in range(G):
                count_of[attr, v, g] = pulp.lpSum(k * x[b, g] for b, k in pairs if (b, g) in x)
            if attr not in problem.balance:
                continue
            w = problem.balance[attr]
            model.constant -= w * total * total / G
            for g in range(G):
                # count = sum of unit steps y_k in [0, 1] costing 2k-1: the convex steps of count^2.
                ys = [pulp.LpVariable(f"y_{a_idx}_{v_idx}_{g}_{k}", 0, 1) for k in range(1, upper + 1)]
                lp += count_of[attr, v, g] == pulp.lpSum(ys), f"sq_{a_idx}_{v_idx}_{g}"
                model.terms.append(w * pulp.lpSum((2 * k - 1) * y for k, y in enumerate(ys, 1)))
                model.steps[attr, v, g] = ys
    return count_of


def _no_alone(lp: pulp.LpProblem, problem: Problem, count_of: Counts, model: Model) -> None:
    for a_idx, (attr, value) in enumerate(problem.no_alone):
        if (attr, value, 0) not in count_of:
            continue
        upper = min(sum(k for _b, k in model.count_terms[attr, value]), problem.max_size)
        for g in range(problem.n_groups):
            y = pulp.LpVariable(f"alone_{a_idx}_{g}", cat="Binary")
            lp += count_of[attr, value, g] >= 2 * y, f"alone_lo_{a_idx}_{g}"
            lp += count_of[attr, value, g] <= upper * y, f"alone_hi_{a_idx}_{g}"
            model.alone[attr, value, g] = y


def _numeric(lp: pulp.LpProblem, problem: Problem, blocks: Blocks, x: Placement, model: Model) -> None:
    avg_size = problem.avg_size
    for a_idx, (attr, w) in enumerate(problem.numeric_balance.items()):
        xs = problem.numeric[attr]
        mu = problem.center(attr)
        coef = [sum(xs[i] - mu for i in blk.members) for blk in blocks.blocks]
        for g in range(problem.n_groups):
            d = pulp.LpVariable(f"d_{a_idx}_{g}", lowBound=0)
            dev = pulp.lpSum(
                coef[b] * x[b, g] for b in range(len(blocks.blocks)) if (b, g) in x and coef[b] != 0
            )
            slack = problem.numeric_tolerance * avg_size
            lp += d >= dev - slack, f"dev_hi_{a_idx}_{g}"
            lp += d >= -dev - slack, f"dev_lo_{a_idx}_{g}"
            model.terms.append((w / avg_size) * d)


def _similar(lp: pulp.LpProblem, problem: Problem, blocks: Blocks, x: Placement, model: Model) -> None:
    for a_idx, (attr, w) in enumerate(problem.similar.items()):
        col = problem.categorical[attr]
        for v_idx, v in enumerate(problem.values(attr)):
            holders = [b for b, blk in enumerate(blocks.blocks) if any(col[i] == v for i in blk.members)]
            for g in range(problem.n_groups):
                here = [b for b in holders if (b, g) in x]
                if not here:
                    continue
                u = pulp.LpVariable(f"u_{a_idx}_{v_idx}_{g}", cat="Binary")
                model.present[u] = (g, here)
                for b in here:
                    lp += x[b, g] <= u, f"sim_{a_idx}_{v_idx}_{g}_{b}"
                model.terms.append(w * u)


def build_model(problem: Problem, blocks: Blocks, *, seed: int = 0, symmetry: str = "order") -> Model:
    """The model; `symmetry` 'order' orders interchangeable groups fully (best for CBC), 'pin' only
    places the largest apart set (HiGHS finds the group symmetry itself, and proves faster so)."""
    G = problem.n_groups
    lp = pulp.LpProblem("groups", pulp.LpMinimize)
    order, k_clique = symmetry_order(problem, blocks, random.Random(seed))
    allowed = _allowed(blocks, G, order, k_clique, symmetry)
    x = _placement(lp, problem, blocks, allowed)
    model = Model(
        lp=lp,
        x=x,
        objective=pulp.LpAffineExpression(),
        constant=0.0,
        blocks=blocks,
        allowed=allowed,
        symmetric=all(blk.fixed is None for blk in blocks.blocks),
        order=order,
        n_groups=G,
        count_terms={},
        steps={},
        alone={},
        present={},
    )
    count_of = _headcounts(lp, problem, blocks, x, model)
    _no_alone(lp, problem, count_of, model)
    _numeric(lp, problem, blocks, x, model)
    _similar(lp, problem, blocks, x, model)
    model.objective = pulp.lpSum(model.terms)
    lp += model.objective
    return model


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


def set_start(model: Model, block_groups: Sequence[int]) -> bool:
    """Give the solver a complete starting solution for its integer variables (it completes the rest)."""
    labels = canonical_labels(model, block_groups, model.n_groups)
    if labels is None:
        return False
    for (b, g), var in model.x.items():
        var.setInitialValue(1 if labels[b] == g else 0)

    def count(attr: str, v: str, g: int) -> int:
        return sum(k for b, k in model.count_terms[attr, v] if labels[b] == g)

    for (attr, v, g), ys in model.steps.items():
        c = count(attr, v, g)
        for k, y in enumerate(ys, 1):
            y.setInitialValue(1 if k <= c else 0)
    for (attr, v, g), var in model.alone.items():
        var.setInitialValue(1 if count(attr, v, g) >= 2 else 0)
    for var, (g, blocks_here) in model.present.items():
        var.setInitialValue(1 if any(labels[b] == g for b in blocks_here) else 0)
    return True


def block_groups(model: Model) -> list[int]:
    """The group of every block in the solver's answer."""
    out = []
    for b in range(len(model.blocks.blocks)):
        best = max(model.allowed[b], key=lambda g: model.x[b, g].value() or 0.0)
        out.append(best)
    return out


def run_solver(
    model: Model,
    backend: SolverBackend,
    budget: Budget,
    *,
    time_limit: float | None,
    threads: int,
    warm_start: bool,
    stage: str = "정수계획",
) -> SolveOutcome:
    """One solver call on the model, limited to `time_limit` seconds and the budget's deadline."""
    budget.shown_offset = model.constant

    def progress(objective: float | None, bound: float | None) -> None:
        budget.report(stage, objective, bound)

    return backend.solve(
        model.lp,
        time_limit=time_limit,
        threads=threads,
        warm_start=warm_start,
        deadline=budget.deadline(),
        progress=progress if budget.progress is not None else None,
    )
