"""Baselines: random assignment, and greedy placement + swap local search (what 반편성 programs do).

Both respect sizes, apart/together/fixed rules and no-lone-member rules when they can (violations
carry a large penalty during the search; a final assignment that still breaks a rule is reported
as such by `check_constraints`). They give no proof of quality: `bound` is None.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence

from .blocks import Blocks, make_blocks
from .problem import Problem
from .result import AssignResult, make_result

PENALTY = 1e4


class _State:
    """Incremental bookkeeping of a block assignment, so a move is scored in O(values)."""

    def __init__(self, problem: Problem, blocks: Blocks, groups: list[int]) -> None:
        self.p = problem
        self.blocks = blocks
        G = problem.n_groups
        self.G = G
        self.groups = list(groups)
        attrs = list(dict.fromkeys([*problem.balance, *problem.similar, *(a for a, _ in problem.no_alone)]))
        self.attrs = attrs
        self.values = {a: problem.values(a) for a in attrs}
        self.vindex = {a: {v: k for k, v in enumerate(self.values[a])} for a in attrs}
        # per block: attribute -> [(value index, count)]
        self.bvals: list[dict[str, list[tuple[int, int]]]] = []
        for blk in blocks.blocks:
            d: dict[str, list[tuple[int, int]]] = {}
            for a in attrs:
                col = problem.categorical[a]
                per: dict[int, int] = {}
                for i in blk.members:
                    k = self.vindex[a][col[i]]
                    per[k] = per.get(k, 0) + 1
                d[a] = list(per.items())
            self.bvals.append(d)
        self.bmap = [{a: dict(pairs) for a, pairs in d.items()} for d in self.bvals]
        self.means = {
            a: [sum(1 for x in problem.categorical[a] if x == v) / G for v in self.values[a]] for a in attrs
        }
        self.num_attrs = list(problem.numeric_balance)
        self.bnum: list[list[float]] = []
        mus = {a: problem.center(a) for a in self.num_attrs}
        for blk in blocks.blocks:
            self.bnum.append(
                [sum(problem.numeric[a][i] - mus[a] for i in blk.members) for a in self.num_attrs]
            )
        self.avg = problem.avg_size
        self.alone = [(a, self.vindex[a][v]) for a, v in problem.no_alone if v in self.vindex[a]]
        self.block_sets: list[list[int]] = [[] for _ in blocks.blocks]
        for s, (bs, _c) in enumerate(blocks.apart_sets):
            for b in bs:
                self.block_sets[b].append(s)
        self.counts = {a: [[0] * G for _ in self.values[a]] for a in attrs}
        self.seats = [0] * G
        self.sums = [[0.0] * G for _ in self.num_attrs]
        self.apart = [[0] * G for _ in blocks.apart_sets]
        self.apart_pairs = [0] * G  # pairs of apart students sharing each group
        self.members: list[set[int]] | None = None
        for b, g in enumerate(self.groups):
            self._add(b, g, 1)

    def _add(self, b: int, g: int, sign: int) -> None:
        for a in self.attrs:
            for k, n in self.bvals[b][a]:
                self.counts[a][k][g] += sign * n
        self.seats[g] += sign * self.blocks.blocks[b].seats
        for j in range(len(self.num_attrs)):
            self.sums[j][g] += sign * self.bnum[b][j]
        for s in self.block_sets[b]:
            k = self.apart[s][g]
            self.apart[s][g] = k + sign
            self.apart_pairs[g] += k if sign > 0 else -(k - 1)

    def group_cost(self, g: int) -> float:
        p = self.p
        cost = 0.0
        for a, w in p.balance.items():
            cs, ms = self.counts[a], self.means[a]
            cost += w * sum((cs[k][g] - ms[k]) ** 2 for k in range(len(cs)))
        for j, a in enumerate(self.num_attrs):
            distance = abs(self.sums[j][g]) / self.avg
            cost += p.numeric_balance[a] * max(0.0, distance - p.numeric_tolerance)
        for a, w in p.similar.items():
            cost += w * sum(1 for row in self.counts[a] if row[g] > 0)
        viol = max(0, self.seats[g] - p.max_size) + max(0, p.min_size - self.seats[g])
        viol += sum(1 for a, k in self.alone if self.counts[a][k][g] == 1)
        viol += self.apart_pairs[g]
        return cost + PENALTY * viol

    def total(self) -> float:
        return sum(self.group_cost(g) for g in range(self.G))

    def allowed(self, b: int, g: int) -> bool:
        fixed = self.blocks.blocks[b].fixed
        return fixed is None or fixed == g

    def _size_violation(self, seats: int) -> int:
        return max(0, seats - self.p.max_size) + max(0, self.p.min_size - seats)

    def group_delta(self, b: int, g: int, sign: int) -> float:
        """Change of group g's cost when block b joins it (sign +1) or leaves it (-1); O(b's values)."""
        p = self.p
        d = 0.0
        bv = self.bvals[b]
        for a, w in p.balance.items():
            cs, ms = self.counts[a], self.means[a]
            for k, n in bv[a]:
                c, m = cs[k][g], ms[k]
                c2 = c + sign * n
                d += w * ((c2 - m) ** 2 - (c - m) ** 2)
        if self.num_attrs:
            tol, avg = p.numeric_tolerance, self.avg
            for j, a in enumerate(self.num_attrs):
                s1 = self.sums[j][g]
                s2 = s1 + sign * self.bnum[b][j]
                d += p.numeric_balance[a] * (max(0.0, abs(s2) / avg - tol) - max(0.0, abs(s1) / avg - tol))
        for a, w in p.similar.items():
            cs = self.counts[a]
            for k, n in bv[a]:
                c = cs[k][g]
                d += w * (int(c + sign * n > 0) - int(c > 0))
        seats = self.seats[g]
        viol = self._size_violation(seats + sign * self.blocks.blocks[b].seats) - self._size_violation(seats)
        for a, k in self.alone:
            n = self.bmap[b][a].get(k, 0)
            if n:
                c = self.counts[a][k][g]
                viol += int(c + sign * n == 1) - int(c == 1)
        for s in self.block_sets[b]:
            k = self.apart[s][g]
            viol += k if sign > 0 else -(k - 1)
        return d + PENALTY * viol

    def move_delta(self, b: int, h: int) -> float:
        g = self.groups[b]
        if g == h:
            return 0.0
        return self.group_delta(b, g, -1) + self.group_delta(b, h, 1)

    def move(self, b: int, h: int) -> None:
        g = self.groups[b]
        self._add(b, g, -1)
        self._add(b, h, 1)
        self.groups[b] = h
        if self.members is not None:
            self.members[g].discard(b)
            self.members[h].add(b)

    def track_members(self) -> None:
        """Keep each group's blocks (for the local search's targeted swaps)."""
        self.members = [set() for _ in range(self.G)]
        for b, g in enumerate(self.groups):
            self.members[g].add(b)

    def swap_delta(self, b1: int, b2: int) -> float:
        g, h = self.groups[b1], self.groups[b2]
        d1 = self.move_delta(b1, h)
        self.move(b1, h)
        d2 = self.move_delta(b2, g)
        self.move(b1, g)
        return d1 + d2


def _block_order(problem: Problem, blocks: Blocks, rng: random.Random) -> list[int]:
    in_apart = {b for bs, _c in blocks.apart_sets for b in bs}
    order = list(range(len(blocks.blocks)))
    rng.shuffle(order)
    return sorted(
        order,
        key=lambda b: (blocks.blocks[b].fixed is None, b not in in_apart, -blocks.blocks[b].seats),
    )


def _greedy_start(problem: Problem, blocks: Blocks, rng: random.Random) -> _State:
    G = problem.n_groups
    state = _State(problem, blocks, [0] * len(blocks.blocks))
    # Start from an empty state: take every block out, then place one at a time.
    for b in range(len(blocks.blocks)):
        state._add(b, 0, -1)
    for b in _block_order(problem, blocks, rng):
        blk = blocks.blocks[b]
        if blk.fixed is not None and blk.fixed < G:
            choices = [blk.fixed]
        else:
            fits = [g for g in range(G) if state.seats[g] + blk.seats <= problem.max_size]
            choices = fits or list(range(G))
        best, best_cost = choices[0], float("inf")
        for g in choices:
            cost = state.group_delta(b, g, 1) + 1e-9 * state.seats[g]
            if cost < best_cost:
                best, best_cost = g, cost
        state._add(b, best, 1)
        state.groups[b] = best
    return state


SWAP_GROUPS = 3  # groups a block would best move to: every block there is tried as a swap partner
SWAP_SAMPLE = 20  # plus this many random partners anywhere


def _local_search(
    state: _State, rng: random.Random, deadline: float, max_idle_passes: int = 2, target: float | None = None
) -> None:
    """Best move or swap per block while any improves. Swaps are tried with every block of the few
    groups the block would best move to (where its values are short), plus a random sample."""
    n_blocks = len(state.blocks.blocks)
    G = state.G
    state.track_members()
    assert state.members is not None
    fixed = [blk.fixed is not None for blk in state.blocks.blocks]
    cost = state.total()
    stop = None if target is None else target + 1e-9 * max(1.0, abs(target))
    idle = 0
    while idle < max_idle_passes and time.perf_counter() < deadline:
        improved = False
        order = list(range(n_blocks))
        rng.shuffle(order)
        for b in order:
            if time.perf_counter() >= deadline:
                return
            if fixed[b]:
                continue
            g = state.groups[b]
            best_delta, best_move = -1e-9, None
            ranked = []
            for h in range(G):
                if h != g:
                    d = state.move_delta(b, h)
                    ranked.append((d, h))
                    if d < best_delta:
                        best_delta, best_move = d, ("move", h)
            ranked.sort()
            partners = [b2 for _d, h in ranked[:SWAP_GROUPS] for b2 in state.members[h]]
            partners += rng.sample(range(n_blocks), min(n_blocks, SWAP_SAMPLE))
            for b2 in partners:
                if state.groups[b2] == g or fixed[b2]:
                    continue
                d = state.swap_delta(b, b2)
                if d < best_delta:
                    best_delta, best_move = d, ("swap", b2)
            if best_move is None:
                continue
            improved = True
            cost += best_delta
            if best_move[0] == "move":
                state.move(b, best_move[1])
            else:
                b2 = best_move[1]
                h = state.groups[b2]
                state.move(b, h)
                state.move(b2, g)
            if stop is not None and cost <= stop:
                return  # as good as the bound: nothing left to improve
        idle = 0 if improved else idle + 1


def greedy_swap(
    problem: Problem,
    *,
    seed: int = 0,
    time_limit: float | None = 10.0,
    max_idle_passes: int = 2,
    blocks: Blocks | None = None,
    deadline: float | None = None,
    target: float | None = None,
) -> AssignResult:
    """Greedy placement, then moves and swaps while they improve (until `time_limit` seconds, or
    until the cost reaches `target`, a proven lower bound)."""
    t0 = time.perf_counter()
    rng = random.Random(seed)
    blocks = blocks or make_blocks(problem)
    state = _greedy_start(problem, blocks, rng)
    end = t0 + (time_limit if time_limit is not None else 3600.0)
    if deadline is not None:
        end = min(end, deadline)
    _local_search(state, rng, end, max_idle_passes, target)
    assignment = blocks.assignment(state.groups, problem.n)
    return _finish(problem, assignment, "greedy", t0)


def improve(
    problem: Problem,
    blocks: Blocks,
    groups: Sequence[int],
    *,
    seed: int,
    deadline: float,
    target: float | None = None,
) -> list[int]:
    """Moves and swaps from a block assignment while they improve (or until `deadline`)."""
    state = _State(problem, blocks, list(groups))
    _local_search(state, random.Random(f"improve-{seed}"), deadline, max_idle_passes=1, target=target)
    return state.groups


def tiebreak(
    problem: Problem,
    blocks: Blocks,
    groups: Sequence[int],
    *,
    seed: int,
    deadline: float | None,
    passes: int = 3,
) -> list[int]:
    """A seeded choice among answers exactly as good as `groups` (a proven optimum, say).

    Seeded random costs r[block, group] are lowered by swapping blocks that look alike (same values
    in every categorical attribute, same seats), keeping every rule and never raising the
    objective. A fixed number of passes, so the same seed gives the same answer; cheap, since
    only look-alike blocks are tried.
    """
    rng = random.Random(f"tiebreak-{seed}")
    G = problem.n_groups
    state = _State(problem, blocks, list(groups))
    cost = [[rng.random() for _ in range(G)] for _ in blocks.blocks]
    kinds: dict[tuple[object, ...], list[int]] = {}
    for b, blk in enumerate(blocks.blocks):
        if blk.fixed is not None:
            continue
        key = (blk.seats, tuple(tuple(sorted(state.bvals[b][a])) for a in state.attrs))
        kinds.setdefault(key, []).append(b)
    numeric = bool(state.num_attrs)
    tol = 1e-9 * max(1.0, state.total())
    for _ in range(passes):
        order = [b for same in kinds.values() if len(same) > 1 for b in same]
        rng.shuffle(order)
        key_of = {b: key for key, same in kinds.items() for b in same}
        for b in order:
            if deadline is not None and time.perf_counter() >= deadline:
                return state.groups
            same = kinds[key_of[b]]
            g = state.groups[b]
            best, best_gain = None, 1e-12
            for b2 in rng.sample(same, min(len(same), 12)):
                h = state.groups[b2]
                if h == g:
                    continue
                gain = cost[b][g] + cost[b2][h] - cost[b][h] - cost[b2][g]
                if gain <= best_gain:
                    continue
                needs_check = numeric or state.block_sets[b] or state.block_sets[b2]
                if needs_check and state.swap_delta(b, b2) > tol:
                    continue
                best, best_gain = b2, gain
            if best is not None:
                h = state.groups[best]
                state.move(b, h)
                state.move(best, g)
    return state.groups


def random_assignment(problem: Problem, *, seed: int = 0, blocks: Blocks | None = None) -> AssignResult:
    """Blocks dealt to groups at random, filling each up to its size (fixed blocks first)."""
    t0 = time.perf_counter()
    rng = random.Random(seed)
    blocks = blocks or make_blocks(problem)
    G = problem.n_groups
    seats = [0] * G
    groups = [0] * len(blocks.blocks)
    order = _block_order(problem, blocks, rng)
    for b in order:
        blk = blocks.blocks[b]
        if blk.fixed is not None and blk.fixed < G:
            g = blk.fixed
        else:
            # Fill the emptiest groups first so sizes stay within bounds; random among ties.
            low = min(seats)
            g = rng.choice([h for h in range(G) if seats[h] == low])
        groups[b] = g
        seats[g] += blk.seats
    assignment = blocks.assignment(groups, problem.n)
    return _finish(problem, assignment, "random", t0)


def _finish(problem: Problem, assignment: Sequence[int], method: str, t0: float) -> AssignResult:
    result = make_result(
        problem,
        list(assignment),
        method=method,
        solver="",
        status="feasible",
        bound=None,
        seconds=time.perf_counter() - t0,
    )
    if not result.checks.ok:
        result.notes.append(f"지켜지지 않은 제약 {len(result.checks.failures())}개")
    return result
