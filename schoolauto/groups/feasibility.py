"""Why an assignment is impossible: quick pre-checks, then a deletion filter over the rules.

Pre-checks name the usual culprits at once (sizes that cannot add up, a together-set larger than
the largest group, more mutually-apart students than groups, fixed placements that collide). When
they pass but the model is still infeasible, rules are dropped one at a time and kept only if the
rest becomes feasible without them: what remains is an irreducible conflicting set (every rule in it
is needed for the conflict), which is reported by name.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import Counter, defaultdict

from ..errors import InfeasibleError
from .blocks import Blocks, apart_cliques, make_blocks
from .budget import Budget
from .ilp import build_model
from .problem import KIND_FIXED, KIND_TOGETHER, Constraint, Problem
from .solvers import SolverBackend


def _ids(problem: Problem, members: list[int] | tuple[int, ...]) -> str:
    shown = [problem.ids[i] for i in members[:12]]
    more = f" 외 {len(members) - 12}명" if len(members) > 12 else ""
    return ", ".join(shown) + more


def _fail(message: str, conflicts: list[str], unit: str = "모둠") -> InfeasibleError:
    detail = "; ".join(conflicts)
    text = f"제약을 모두 지킬 수 없습니다: {message}"
    if detail:
        text = f"{text} — 관련 제약: {detail}"
    return InfeasibleError(
        text, conflicts=conflicts, hint=f"관련 제약 중 하나를 빼거나 {unit} 수·크기를 바꾸세요"
    )


def _together_rules(problem: Problem, members: list[int]) -> list[Constraint]:
    ms = set(members)
    return [c for c in problem.constraints if c.kind == KIND_TOGETHER and ms.intersection(c.members)]


def precheck(problem: Problem, blocks: Blocks | None = None) -> None:
    """Raise InfeasibleError naming the rules and students, for the conflicts that need no solver."""
    blocks = blocks or make_blocks(problem)
    _check_sizes(problem, blocks)
    _check_fixed(problem, blocks)
    _check_apart(problem, blocks)


def _check_sizes(problem: Problem, blocks: Blocks) -> None:
    G, lo, hi, W = problem.n_groups, problem.min_size, problem.max_size, problem.total_seats
    u = problem.unit
    fail = functools.partial(_fail, unit=u)
    if G * lo > W:
        raise fail(f"{u} 크기가 맞지 않습니다: 최소 {lo}석 × {G}{u} = {G * lo}석 > 전체 {W}석", [])
    if G * hi < W:
        raise fail(f"{u} 크기가 맞지 않습니다: 최대 {hi}석 × {G}{u} = {G * hi}석 < 전체 {W}석", [])
    for blk in blocks.blocks:
        if blk.seats > hi:
            rules = _together_rules(problem, blk.members)
            what = "함께 묶인 학생" if rules else "학생"
            raise fail(
                f"{what} {_ids(problem, blk.members)} ({blk.seats}석)이 가장 큰 {u}({hi}석)보다 많습니다",
                [problem.label(c) for c in rules],
            )


def _check_fixed(problem: Problem, blocks: Blocks) -> None:
    G, hi, u = problem.n_groups, problem.max_size, problem.unit
    fail = functools.partial(_fail, unit=u)
    for c in problem.constraints:
        if c.kind == KIND_FIXED and c.group is not None and c.group > G:
            raise fail(f"고정할 {u} {c.group} 이(가) {u} 수({G})보다 큽니다", [problem.label(c)])
    for blk in blocks.blocks:
        groups = {c.group for c in blk.fixed_by or [] if c.group is not None}
        if len(groups) > 1:
            rules = [*(blk.fixed_by or []), *_together_rules(problem, blk.members)]
            raise fail(
                f"학생 {_ids(problem, blk.members)} 이(가) 서로 다른 {u}({', '.join(map(str, sorted(groups)))})에 "
                "고정되어 있습니다",
                [problem.label(c) for c in dict.fromkeys(rules)],
            )
    fixed_seats: dict[int, int] = defaultdict(int)
    fixed_rules: dict[int, list[Constraint]] = defaultdict(list)
    for blk in blocks.blocks:
        if blk.fixed is not None:
            fixed_seats[blk.fixed] += blk.seats
            fixed_rules[blk.fixed].extend(blk.fixed_by or [])
    for g, seats in sorted(fixed_seats.items()):
        if seats > hi:
            raise fail(
                f"{g + 1}{u}에 고정된 학생이 {seats}석으로 {u} 크기({hi}석)보다 많습니다",
                [problem.label(c) for c in dict.fromkeys(fixed_rules[g])],
            )


def _check_apart(problem: Problem, blocks: Blocks) -> None:
    G, ids, u = problem.n_groups, problem.ids, problem.unit
    fail = functools.partial(_fail, unit=u)
    for bs, c in blocks.apart_sets:
        per_block = Counter(blocks.of_student[i] for i in c.members)
        joined = [b for b, k in per_block.items() if k > 1]
        if joined:
            members = [i for i in c.members if blocks.of_student[i] in joined]
            rules = [c, *_together_rules(problem, blocks.blocks[joined[0]].members)]
            raise fail(
                f"학생 {_ids(problem, members)} 은(는) 떨어뜨려야 하는데 함께 묶여 있습니다",
                [problem.label(r) for r in rules],
            )
        if len(bs) > G:
            raise fail(f"서로 떨어뜨릴 학생 {len(bs)}명이 {u} 수({G})보다 많습니다", [problem.label(c)])
        fixed_here = Counter(f for f in (blocks.blocks[b].fixed for b in bs) if f is not None)
        clash = [fg for fg, k in fixed_here.items() if k > 1]
        if clash:
            g = clash[0]
            rules = [
                c,
                *(r for b in bs if blocks.blocks[b].fixed == g for r in blocks.blocks[b].fixed_by or []),
            ]
            raise fail(
                f"떨어뜨릴 학생들이 같은 {g + 1}{u}에 고정되어 있습니다",
                [problem.label(r) for r in dict.fromkeys(rules)],
            )
    for clique in apart_cliques(blocks):
        if len(clique) <= G:
            break
        inside = set(clique)
        rules = [c for bs, c in blocks.apart_sets if len(bs) > 1 and set(bs) <= inside]
        members = [i for b in clique for i in blocks.blocks[b].members[:1]]
        raise fail(
            f"서로 떨어뜨려야 하는 학생 {len(clique)}명({_ids(problem, members)})이 {u} 수({G})보다 많습니다",
            [problem.label(c) for c in rules],
        )
    for attr, value in problem.no_alone:
        total = sum(1 for v in problem.categorical[attr] if v == value)
        if total == 1:
            who = problem.categorical[attr].index(value)
            raise fail(
                f"{attr}={value} 인 학생이 {ids[who]} 한 명뿐이라 어느 {u}에서나 혼자가 됩니다",
                [f"혼자 금지({attr}={value})"],
            )


@dataclasses.dataclass(frozen=True)
class _Rule:
    kind: str  # 'constraint' | 'no_alone'
    index: int


def _subproblem(problem: Problem, rules: list[_Rule]) -> Problem:
    return dataclasses.replace(
        problem,
        balance={},
        numeric_balance={},
        similar={},
        constraints=[problem.constraints[r.index] for r in rules if r.kind == "constraint"],
        no_alone=[problem.no_alone[r.index] for r in rules if r.kind == "no_alone"],
    )


def _feasible(problem: Problem, rules: list[_Rule], backend: SolverBackend, deadline: float | None) -> bool:
    sub = _subproblem(problem, rules)
    blocks = make_blocks(sub)
    try:
        precheck(sub, blocks)
    except InfeasibleError:
        return False
    model = build_model(sub, blocks)
    outcome = backend.solve(model.lp, time_limit=None, threads=1, warm_start=False, deadline=deadline)
    return outcome.status != "infeasible"


def explain_infeasible(problem: Problem, backend: SolverBackend, budget: Budget) -> InfeasibleError:
    """An InfeasibleError naming a minimal set of conflicting rules (sizes are always kept).

    QuickXplain (Junker 2004): split the rules in halves and recurse, so a conflict of k rules
    among n costs about k·log(n/k) feasibility solves instead of n. A solve that runs out of time
    counts as feasible, which can only keep a rule too many, never drop a needed one.
    """
    ids = problem.ids
    fail = functools.partial(_fail, unit=problem.unit)
    rules = [_Rule("constraint", i) for i in range(len(problem.constraints))]
    rules += [_Rule("no_alone", i) for i in range(len(problem.no_alone))]
    deadline = budget.deadline()
    if not rules or not _feasible(problem, [], backend, deadline):
        seats = Counter(problem.seats)
        detail = ", ".join(f"{s}석 {k}명" for s, k in sorted(seats.items()))
        return fail(
            f"좌석 수({detail})로는 {problem.unit} {problem.n_groups}개를 "
            f"{problem.min_size}~{problem.max_size}석으로 채울 수 없습니다",
            [],
        )
    cache: dict[frozenset[_Rule], bool] = {}
    complete = True

    def feasible(subset: list[_Rule]) -> bool:
        nonlocal complete
        key = frozenset(subset)
        if key not in cache:
            if budget.expired():
                complete = False
                return True
            cache[key] = _feasible(problem, subset, backend, deadline)
        return cache[key]

    def quickxplain(background: list[_Rule], delta: list[_Rule], candidates: list[_Rule]) -> list[_Rule]:
        if delta and not feasible(background):
            return []
        if len(candidates) == 1:
            return list(candidates)
        half = len(candidates) // 2
        c1, c2 = candidates[:half], candidates[half:]
        x2 = quickxplain(background + c1, c1, c2)
        x1 = quickxplain(background + x2, x2, c1)
        return x1 + x2

    keep = quickxplain([], [], rules)
    labels = []
    for r in sorted(keep, key=lambda r: (r.kind != "constraint", r.index)):
        if r.kind == "constraint":
            labels.append(problem.constraints[r.index].label(ids))
        else:
            attr, value = problem.no_alone[r.index]
            labels.append(f"혼자 금지({attr}={value})")
    message = f"다음 {len(labels)}개 제약이 함께 지켜질 수 없습니다"
    if not complete:
        message += " (시간이 모자라 가장 작은 묶음이 아닐 수 있습니다)"
    return fail(message, labels)
