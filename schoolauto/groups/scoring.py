"""The objective of an assignment, recomputed from the assignment alone, and the hard-constraint check.

Every method (ILP, greedy + swap, random) is scored by `evaluate`, so their objectives compare, and the
ILP's reported objective is checked against it.

Objective = sum over balanced attributes a (weight w_a), values v and groups g of
    w_a * (c_gv - T_v / G)^2          c_gv: students with value v in g, T_v: all with v, G: groups
  + sum over numeric attributes x (weight w_x) and groups g of
    w_x * max(0, |sum_{i in g} (x_i - mean_x)| / (N / G) - tolerance)
                                      (= size-weighted distance of the group mean beyond the tolerance)
  + sum over similar attributes s (weight w_s) of w_s * (number of distinct values in each group).
The first part is the variance of each value's headcount across groups times G, i.e. the quantity
whose square root over G is the reported standard deviation. Its mean is the plain mean T_v / G
even when group sizes differ by one.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .problem import KIND_APART, KIND_FIXED, KIND_LABELS, KIND_NAMES, KIND_TOGETHER, Problem


@dataclass
class Evaluation:
    objective: float
    balance_term: float
    numeric_term: float
    similar_term: float
    counts: dict[str, dict[str, list[int]]]  # attribute -> value -> headcount per group
    stddev: dict[str, dict[str, float]]  # attribute -> value -> population std-dev across groups
    means: dict[str, list[float | None]]  # numeric attribute -> mean per group (None: empty group)
    mean_range: dict[str, float]  # numeric attribute -> max mean - min mean
    distinct: dict[str, list[int]]  # similar attribute -> distinct values per group
    sizes: list[int]  # seats per group
    headcounts: list[int]  # students per group


@dataclass
class ConstraintCheck:
    kind: str
    members: tuple[int, ...]
    groups: tuple[int, ...]  # 1-based group of each member
    ok: bool
    detail: str
    source: str = ""


@dataclass
class Checks:
    items: list[ConstraintCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.items)

    def failures(self) -> list[ConstraintCheck]:
        return [c for c in self.items if not c.ok]


def _groups_of(problem: Problem, assignment: Sequence[int]) -> list[list[int]]:
    if len(assignment) != problem.n:
        raise ValueError("assignment length differs from the number of students")
    members: list[list[int]] = [[] for _ in range(problem.n_groups)]
    for i, g in enumerate(assignment):
        if not 0 <= g < problem.n_groups:
            raise ValueError(f"group {g} out of range")
        members[g].append(i)
    return members


def evaluate(problem: Problem, assignment: Sequence[int]) -> Evaluation:
    """Score `assignment` (0-based group per student) exactly as the model's objective is defined."""
    G = problem.n_groups
    members = _groups_of(problem, assignment)
    counts: dict[str, dict[str, list[int]]] = {}
    stddev: dict[str, dict[str, float]] = {}
    balance_term = 0.0
    attrs = list(dict.fromkeys([*problem.balance, *problem.similar, *(a for a, _ in problem.no_alone)]))
    for attr in attrs:
        col = problem.categorical[attr]
        counts[attr] = {v: [0] * G for v in problem.values(attr)}
        for i, g in enumerate(assignment):
            counts[attr][col[i]][g] += 1
    for attr, w in problem.balance.items():
        stddev[attr] = {}
        for v, cs in counts[attr].items():
            mean = sum(cs) / G
            ss = sum((c - mean) ** 2 for c in cs)
            balance_term += w * ss
            stddev[attr][v] = math.sqrt(ss / G)
    numeric_term = 0.0
    means: dict[str, list[float | None]] = {}
    mean_range: dict[str, float] = {}
    avg_size = problem.avg_size
    for attr, w in problem.numeric_balance.items():
        xs = problem.numeric[attr]
        mu = problem.center(attr)
        means[attr] = []
        for ms in members:
            distance = abs(sum(xs[i] - mu for i in ms)) / avg_size
            numeric_term += w * max(0.0, distance - problem.numeric_tolerance)
            means[attr].append(sum(xs[i] for i in ms) / len(ms) if ms else None)
        present = [m for m in means[attr] if m is not None]
        mean_range[attr] = max(present) - min(present) if present else 0.0
    similar_term = 0.0
    distinct: dict[str, list[int]] = {}
    for attr, w in problem.similar.items():
        distinct[attr] = [sum(1 for cs in counts[attr].values() if cs[g] > 0) for g in range(G)]
        similar_term += w * sum(distinct[attr])
    sizes = [sum(problem.seats[i] for i in ms) for ms in members]
    return Evaluation(
        objective=balance_term + numeric_term + similar_term,
        balance_term=balance_term,
        numeric_term=numeric_term,
        similar_term=similar_term,
        counts=counts,
        stddev=stddev,
        means=means,
        mean_range=mean_range,
        distinct=distinct,
        sizes=sizes,
        headcounts=[len(ms) for ms in members],
    )


def check_constraints(problem: Problem, assignment: Sequence[int]) -> Checks:
    """Every hard rule, each with whether it holds: sizes, apart, together, fixed, no lone member."""
    ids = problem.ids
    members = _groups_of(problem, assignment)
    out = Checks()
    for g, ms in enumerate(members):
        seats = sum(problem.seats[i] for i in ms)
        ok = problem.min_size <= seats <= problem.max_size
        out.items.append(
            ConstraintCheck(
                kind="size",
                members=tuple(ms),
                groups=(g + 1,),
                ok=ok,
                detail=f"{g + 1}{problem.unit} {seats}석 (허용 {problem.min_size}~{problem.max_size})",
            )
        )
    for c in problem.constraints:
        gs = tuple(assignment[i] + 1 for i in c.members)
        if c.kind in (KIND_APART, KIND_NAMES):
            ok = len(set(gs)) == len(gs)
        elif c.kind == KIND_TOGETHER:
            ok = len(set(gs)) == 1
        elif c.kind == KIND_FIXED:
            ok = all(g == c.group for g in gs)
        else:  # pragma: no cover - a programming error
            raise ValueError(c.kind)
        detail = ", ".join(f"{ids[i]}→{g}" for i, g in zip(c.members, gs, strict=True))
        out.items.append(
            ConstraintCheck(kind=c.kind, members=c.members, groups=gs, ok=ok, detail=detail, source=c.source)
        )
    for attr, value in problem.no_alone:
        col = problem.categorical[attr]
        for g, ms in enumerate(members):
            k = sum(1 for i in ms if col[i] == value)
            out.items.append(
                ConstraintCheck(
                    kind="no_alone",
                    members=tuple(i for i in ms if col[i] == value),
                    groups=(g + 1,),
                    ok=k != 1,
                    detail=f"{g + 1}{problem.unit} {attr}={value} {k}명",
                )
            )
    return out


CHECK_LABELS: Mapping[str, str] = {**KIND_LABELS, "size": "크기", "no_alone": "혼자 금지"}


def _least_squares(total: int, levels: Sequence[int]) -> float:
    """min sum c_g^2 over integers c_g >= levels[g] adding up to `total` (water-filling)."""
    counts = sorted(levels)
    left = total - sum(counts)
    heap = list(counts)
    heapq.heapify(heap)
    while left > 0:
        low = heapq.heappop(heap)
        # Raise the lowest bins together: add one to this bin, the heap keeps the rest in order.
        heapq.heappush(heap, low + 1)
        left -= 1
    return float(sum(c * c for c in heap))


def simple_lower_bound(problem: Problem) -> float:
    """A bound no assignment can beat, from counting alone (no solver needed).

    Balance: each value's headcounts as even as integers allow, where students kept together (or
    fixed to a group) with the same value count in one group: each such chunk alone on an empty
    group is the best case (merging chunks only raises the sum of squares), and the rest are
    water-filled. Similar: each value needs at least ceil(T_v / max size) groups, and every
    non-empty group has at least one value. Numeric: zero.
    """
    from .blocks import make_blocks

    G = problem.n_groups
    blocks = make_blocks(problem)
    bound = 0.0
    for attr, w in problem.balance.items():
        col = problem.categorical[attr]
        for v in problem.values(attr):
            total = sum(1 for x in col if x == v)
            fixed = [0] * G
            chunks = []
            for blk in blocks.blocks:
                k = sum(1 for i in blk.members if col[i] == v)
                if k and blk.fixed is not None and blk.fixed < G:
                    fixed[blk.fixed] += k
                elif k >= 2:
                    chunks.append(k)
            empty = [g for g in range(G) if fixed[g] == 0]
            levels = list(fixed)
            if len(chunks) <= len(empty):
                for g, k in zip(empty, sorted(chunks, reverse=True), strict=False):
                    levels[g] = k
            squares = _least_squares(total, levels)
            bound += w * (squares - total * total / G)
    for attr, w in problem.similar.items():
        col = problem.categorical[attr]
        cap = max(1, problem.max_size)
        need = sum(-(-sum(1 for x in col if x == v) // cap) for v in problem.values(attr))
        nonempty = G if problem.min_size > 0 else 1
        bound += w * max(need, nonempty)
    return bound
