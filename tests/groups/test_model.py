"""The integer program: hard rules hold, the objective is what the assignment scores, small cases are
optimal by brute force, seeds behave, and every kind of impossible input gets its explanation."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schoolauto.errors import InfeasibleError
from schoolauto.groups import (
    Constraint,
    Problem,
    assign_groups,
    check_constraints,
    evaluate,
    greedy_swap,
    random_assignment,
    solve_ilp,
    split_sizes,
)
from schoolauto.groups.scoring import simple_lower_bound


def brute_force(problem: Problem) -> float | None:
    """The best objective over every assignment that keeps every rule (None: none does)."""
    best = None
    for assignment in itertools.product(range(problem.n_groups), repeat=problem.n):
        if not check_constraints(problem, assignment).ok:
            continue
        obj = evaluate(problem, assignment).objective
        if best is None or obj < best:
            best = obj
    return best


@st.composite
def small_problems(draw: st.DrawFn) -> Problem:
    n = draw(st.integers(3, 7))
    g = draw(st.integers(2, 3))
    ids = [f"{10101 + i}" for i in range(n)]
    seats = [draw(st.sampled_from([1, 1, 1, 2])) for _ in range(n)]
    lo, hi = split_sizes(sum(seats), g)
    if draw(st.booleans()):
        lo, hi = max(0, lo - 1), hi + 1
    cat = {
        "성별": [draw(st.sampled_from("남여")) for _ in range(n)],
        "수준": [draw(st.sampled_from("상중하")) for _ in range(n)],
    }
    numeric = {"성적": [float(draw(st.integers(40, 100))) for _ in range(n)]}
    balance = {"성별": float(draw(st.sampled_from([1, 2])))}
    if draw(st.booleans()):
        balance["수준"] = 1.0
    numeric_balance = {"성적": 0.5} if draw(st.booleans()) else {}
    similar = {"수준": 1.0} if "수준" not in balance and draw(st.booleans()) else {}
    constraints = []
    pool = list(range(n))
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["apart", "together", "fixed"]))
        members = tuple(
            draw(
                st.lists(st.sampled_from(pool), min_size=2 if kind != "fixed" else 1, max_size=3, unique=True)
            )
        )
        group = draw(st.integers(1, g)) if kind == "fixed" else None
        constraints.append(Constraint(kind=kind, members=members, group=group, source="test"))
    no_alone = [("성별", "여")] if draw(st.booleans()) else []
    return Problem(
        ids=ids,
        n_groups=g,
        min_size=lo,
        max_size=hi,
        categorical=cat,
        numeric=numeric,
        balance=balance,
        numeric_balance=numeric_balance,
        numeric_tolerance=draw(st.sampled_from([0.0, 0.0, 2.5])),
        similar=similar,
        constraints=constraints,
        no_alone=no_alone,
        seats=seats,
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems(), st.integers(0, 3))
def test_ilp_is_feasible_exact_and_optimal(problem: Problem, seed: int):
    best = brute_force(problem)
    try:
        result = solve_ilp(problem, seed=seed)
    except InfeasibleError as exc:
        assert best is None, f"reported infeasible but {best} exists: {exc}"
        assert str(exc).startswith("제약을 모두 지킬 수 없습니다")
        return
    assert best is not None
    assert simple_lower_bound(problem) <= best + 1e-9
    assert result.checks.ok, [c.detail for c in result.checks.failures()]
    recomputed = evaluate(problem, result.assignment).objective
    assert result.objective == recomputed
    assert result.model_objective == pytest.approx(recomputed, abs=1e-6)
    assert result.status == "optimal"
    assert result.objective == pytest.approx(best, abs=1e-6)
    assert result.bound == pytest.approx(best, abs=1e-6)
    assert result.gap == 0.0


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems(), st.integers(0, 3))
def test_baselines_are_scored_honestly(problem: Problem, seed: int):
    best = brute_force(problem)
    for result in (greedy_swap(problem, seed=seed, time_limit=5), random_assignment(problem, seed=seed)):
        assert result.objective == evaluate(problem, result.assignment).objective
        assert result.bound is None and result.gap is None
        if result.checks.ok:
            assert best is not None and result.objective >= best - 1e-9


def _problem(n: int = 12, groups: int = 3, **kw: object) -> Problem:
    genders = ["남", "여"] * (n // 2) + ["남"] * (n % 2)
    base: dict[str, object] = {
        "ids": [str(10101 + i) for i in range(n)],
        "n_groups": groups,
        "min_size": split_sizes(n, groups)[0],
        "max_size": split_sizes(n, groups)[1],
        "categorical": {"MBTI": ["E", "I"] * (n // 2) + ["E"] * (n % 2), "성별": genders},
        "balance": {"MBTI": 1.0},
    }
    base.update(kw)
    return Problem(**base)  # type: ignore[arg-type]


def test_talk_example_six_e_six_i_into_four_groups_of_three():
    result = solve_ilp(_problem(12, 4))
    assert result.status == "optimal"
    counts = result.evaluation.counts["MBTI"]
    assert all(1 <= c <= 2 for c in counts["E"])
    assert all(1 <= c <= 2 for c in counts["I"])
    # 6 over 4 groups: 2,2,1,1 is the best possible; squared deviations (0.5^2) * 4 per value.
    assert result.objective == pytest.approx(2.0)
    assert result.evaluation.stddev["MBTI"]["E"] == pytest.approx(0.5)


def test_same_seed_same_answer_other_seeds_other_optima():
    problem = _problem(12, 4)
    a = solve_ilp(problem, seed=1)
    b = solve_ilp(problem, seed=1)
    assert a.assignment == b.assignment
    answers = {tuple(solve_ilp(problem, seed=s).assignment) for s in range(2, 6)}
    answers.add(tuple(a.assignment))
    assert len(answers) > 1
    others = [solve_ilp(problem, seed=s) for s in range(2, 6)]
    assert all(r.objective == pytest.approx(a.objective) for r in others)
    assert all(r.status == "optimal" for r in others)


def test_highs_agrees_with_cbc():
    problem = _problem(12, 4, balance={"MBTI": 1.0, "성별": 2.0})
    cbc = solve_ilp(problem, solver="cbc", seed=3)
    highs = solve_ilp(problem, solver="highs", seed=3)
    assert cbc.objective == pytest.approx(highs.objective)
    assert highs.status == "optimal" and highs.solver == "highs"


def test_numeric_balance_and_similar_mode():
    scores = [90.0, 80.0, 70.0, 60.0, 50.0, 40.0]
    problem = Problem(
        ids=list("abcdef"),
        n_groups=2,
        min_size=3,
        max_size=3,
        categorical={"수준": ["상", "상", "중", "중", "하", "하"]},
        numeric={"성적": scores},
        numeric_balance={"성적": 1.0},
        balance={},
        similar={},
    )
    result = solve_ilp(problem)
    assert result.evaluation.mean_range["성적"] == pytest.approx(10 / 3, abs=1e-9) or result.objective == 0
    assert result.objective == pytest.approx(brute_force(problem))
    similar = Problem(**{**problem.__dict__, "numeric_balance": {}, "similar": {"수준": 1.0}})
    r2 = solve_ilp(similar)
    # Six students in three levels, two groups of three: at best 2 + 2 distinct levels.
    assert sum(r2.evaluation.distinct["수준"]) == 4


def test_seat_weights_count_double():
    problem = _problem(6, 2, seats=[2, 1, 1, 1, 1, 1], min_size=3, max_size=4)
    result = solve_ilp(problem)
    assert sorted(result.evaluation.sizes) == [3, 4] or sorted(result.evaluation.sizes) == [4, 3]
    assert result.checks.ok


def test_assign_groups_methods_and_greedy_start():
    problem = _problem(120, 4, balance={"MBTI": 1.0, "성별": 1.0})
    ilp = assign_groups(problem, seed=0, time_limit=20)
    greedy = assign_groups(problem, method="greedy", seed=0, time_limit=5)
    rnd = assign_groups(problem, method="random", seed=0)
    assert ilp.objective <= greedy.objective + 1e-9
    assert ilp.objective <= rnd.objective + 1e-9
    assert ilp.checks.ok and greedy.checks.ok


# ----- infeasible inputs, each explained ---------------------------------------------------------


def _c(kind: str, *members: int, group: int | None = None, source: str = "") -> Constraint:
    return Constraint(kind=kind, members=members, group=group, source=source)


@pytest.mark.parametrize(
    ("kw", "message", "conflicts"),
    [
        (
            {"constraints": [_c("together", 0, 1, 2, 3, 4, source="c.csv 2행")]},
            "제약을 모두 지킬 수 없습니다: 함께 묶인 학생 10101, 10102, 10103, 10104, 10105 (5석)이 "
            "가장 큰 모둠(4석)보다 많습니다 — 관련 제약: 함께(10101, 10102, 10103, 10104, 10105) [c.csv 2행]",
            ["함께(10101, 10102, 10103, 10104, 10105) [c.csv 2행]"],
        ),
        (
            {"constraints": [_c("apart", 0, 1, 2, 3, source="c.csv 3행")]},
            "제약을 모두 지킬 수 없습니다: 서로 떨어뜨릴 학생 4명이 모둠 수(3)보다 많습니다 "
            "— 관련 제약: 분리(10101, 10102, 10103, 10104) [c.csv 3행]",
            ["분리(10101, 10102, 10103, 10104) [c.csv 3행]"],
        ),
        (
            {"constraints": [_c("fixed", 0, group=1, source="a"), _c("fixed", 0, group=2, source="b")]},
            "제약을 모두 지킬 수 없습니다: 학생 10101 이(가) 서로 다른 모둠(1, 2)에 고정되어 있습니다 "
            "— 관련 제약: 고정(10101 → 1모둠) [a]; 고정(10101 → 2모둠) [b]",
            ["고정(10101 → 1모둠) [a]", "고정(10101 → 2모둠) [b]"],
        ),
        (
            {"constraints": [_c("fixed", 0, group=1), _c("fixed", 1, group=2), _c("together", 0, 1)]},
            "제약을 모두 지킬 수 없습니다: 학생 10101, 10102 이(가) 서로 다른 모둠(1, 2)에 고정되어 있습니다 "
            "— 관련 제약: 고정(10101 → 1모둠); 고정(10102 → 2모둠); 함께(10101, 10102)",
            ["고정(10101 → 1모둠)", "고정(10102 → 2모둠)", "함께(10101, 10102)"],
        ),
        (
            {"constraints": [_c("fixed", 0, 1, 2, 3, 4, group=2)]},
            "제약을 모두 지킬 수 없습니다: 2모둠에 고정된 학생이 5석으로 모둠 크기(4석)보다 많습니다 "
            "— 관련 제약: 고정(10101, 10102, 10103, 10104, 10105 → 2모둠)",
            ["고정(10101, 10102, 10103, 10104, 10105 → 2모둠)"],
        ),
        (
            {"constraints": [_c("fixed", 0, group=4)]},
            "제약을 모두 지킬 수 없습니다: 고정할 모둠 4 이(가) 모둠 수(3)보다 큽니다 — 관련 제약: 고정(10101 → 4모둠)",
            ["고정(10101 → 4모둠)"],
        ),
        (
            {"constraints": [_c("apart", 0, 1), _c("together", 0, 1)]},
            "제약을 모두 지킬 수 없습니다: 학생 10101, 10102 은(는) 떨어뜨려야 하는데 함께 묶여 있습니다 "
            "— 관련 제약: 분리(10101, 10102); 함께(10101, 10102)",
            ["분리(10101, 10102)", "함께(10101, 10102)"],
        ),
        (
            {"min_size": 5, "max_size": 6},
            "제약을 모두 지킬 수 없습니다: 모둠 크기가 맞지 않습니다: 최소 5석 × 3모둠 = 15석 > 전체 12석",
            [],
        ),
        (
            {"min_size": 1, "max_size": 3},
            "제약을 모두 지킬 수 없습니다: 모둠 크기가 맞지 않습니다: 최대 3석 × 3모둠 = 9석 < 전체 12석",
            [],
        ),
        (
            {
                "categorical": {"MBTI": ["E", "I"] * 6, "성별": ["여"] + ["남"] * 11},
                "no_alone": [("성별", "여")],
            },
            "제약을 모두 지킬 수 없습니다: 성별=여 인 학생이 10101 한 명뿐이라 어느 모둠에서나 혼자가 됩니다 "
            "— 관련 제약: 혼자 금지(성별=여)",
            ["혼자 금지(성별=여)"],
        ),
    ],
)
def test_prechecks_name_constraints_and_students(kw, message, conflicts):
    problem = _problem(12, 3, **kw)
    with pytest.raises(InfeasibleError) as info:
        solve_ilp(problem)
    assert info.value.message == message
    assert info.value.conflicts == conflicts
    assert str(info.value).endswith("(관련 제약 중 하나를 빼거나 모둠 수·크기를 바꾸세요)")


def test_pairwise_apart_rules_adding_up_to_too_many_students():
    # Three pairwise-apart students cannot fit in two groups; the other rules are innocent.
    rules = [
        _c("apart", 0, 1, source="r1"),
        _c("apart", 1, 2, source="r2"),
        _c("together", 4, 5, source="r3"),
        _c("apart", 0, 2, source="r4"),
        _c("fixed", 7, group=1, source="r5"),
    ]
    problem = _problem(12, 2, constraints=rules)
    with pytest.raises(InfeasibleError) as info:
        solve_ilp(problem)
    assert info.value.conflicts == [
        "분리(10101, 10102) [r1]",
        "분리(10102, 10103) [r2]",
        "분리(10101, 10103) [r4]",
    ]
    assert info.value.message.startswith(
        "제약을 모두 지킬 수 없습니다: 서로 떨어뜨려야 하는 학생 3명(10101, 10102, 10103)이 모둠 수(2)보다 많습니다"
    )


def test_relaxation_finds_the_smallest_conflicting_set():
    # Groups of exactly four: the trio must take one single student, but the only single is kept
    # apart from it and everyone else comes in pairs. Only the solver sees this; r7 is innocent.
    rules = [
        _c("together", 0, 1, 2, source="r1"),
        _c("together", 3, 4, source="r2"),
        _c("fixed", 6, group=2, source="r7"),
        _c("together", 5, 6, source="r3"),
        _c("together", 7, 8, source="r4"),
        _c("together", 9, 10, source="r5"),
        _c("apart", 0, 11, source="r6"),
    ]
    problem = _problem(12, 3, constraints=rules)
    with pytest.raises(InfeasibleError) as info:
        solve_ilp(problem)
    assert info.value.conflicts == [
        "함께(10101, 10102, 10103) [r1]",
        "함께(10104, 10105) [r2]",
        "함께(10106, 10107) [r3]",
        "함께(10108, 10109) [r4]",
        "함께(10110, 10111) [r5]",
        "분리(10101, 10112) [r6]",
    ]
    assert info.value.message.startswith(
        "제약을 모두 지킬 수 없습니다: 다음 6개 제약이 함께 지켜질 수 없습니다"
    )


def test_no_alone_conflict_found_by_relaxation():
    # Two girls, both must avoid being alone, but they are kept apart: every group has 0 or 1.
    cat = {"MBTI": ["E", "I"] * 6, "성별": ["여", "여"] + ["남"] * 10}
    problem = _problem(
        12, 3, categorical=cat, no_alone=[("성별", "여")], constraints=[_c("apart", 0, 1, source="x")]
    )
    with pytest.raises(InfeasibleError) as info:
        solve_ilp(problem)
    assert info.value.conflicts == ["분리(10101, 10102) [x]", "혼자 금지(성별=여)"]


def test_objective_is_variance_times_groups():
    problem = _problem(12, 4)
    assignment = [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]
    ev = evaluate(problem, assignment)
    e = ev.counts["MBTI"]["E"]
    mean = 6 / 4
    assert ev.balance_term == pytest.approx(2 * sum((c - mean) ** 2 for c in e))
    assert ev.stddev["MBTI"]["E"] == pytest.approx(math.sqrt(sum((c - mean) ** 2 for c in e) / 4))


def test_seats_that_cannot_be_packed_are_explained():
    # Three students taking two seats each cannot fill two groups of exactly three seats.
    problem = _problem(3, 2, seats=[2, 2, 2], min_size=3, max_size=3)
    with pytest.raises(InfeasibleError) as info:
        solve_ilp(problem)
    assert (
        info.value.message
        == "제약을 모두 지킬 수 없습니다: 좌석 수(2석 3명)로는 모둠 2개를 3~3석으로 채울 수 없습니다"
    )


def test_fixed_placements_keep_other_groups_interchangeable():
    rules = [_c("fixed", 0, group=3), _c("fixed", 1, group=3), _c("apart", 2, 3, 4)]
    problem = _problem(12, 4, constraints=rules, balance={"MBTI": 1.0, "성별": 1.0})
    result = solve_ilp(problem, seed=2)
    assert result.checks.ok and result.status == "optimal"
    assert result.assignment[0] == result.assignment[1] == 2
    unconstrained = solve_ilp(_problem(12, 4, balance={"MBTI": 1.0, "성별": 1.0}))
    assert result.objective >= unconstrained.objective - 1e-9


def test_solver_registry():
    from schoolauto.errors import UsageError
    from schoolauto.groups import SOLVERS, get_solver

    assert set(SOLVERS.names()) == {"cbc", "highs"}
    assert get_solver("CBC").name == "cbc"
    with pytest.raises(UsageError) as info:
        get_solver("gurobi")
    assert str(info.value) == "알 수 없는 풀이기 'gurobi' 입니다 (가능한 값: highs, cbc)"
    assert info.value.field == "solver"


def test_apart_cliques_from_pairs():
    from schoolauto.groups.blocks import apart_cliques, make_blocks

    rules = [_c("apart", 0, 1), _c("apart", 1, 2), _c("apart", 0, 2), _c("apart", 2, 3), _c("together", 3, 4)]
    blocks = make_blocks(_problem(6, 2, constraints=rules))
    cliques = apart_cliques(blocks)
    assert [sorted(i for b in c for i in blocks.blocks[b].members) for c in cliques] == [[0, 1, 2], [2, 3, 4]]


def test_local_search_deltas_equal_full_recomputation():
    """The incremental move/swap costs of greedy+swap equal recomputing every group's cost."""
    import random as _random

    from schoolauto.groups.blocks import make_blocks
    from schoolauto.groups.heuristics import _State

    rng = _random.Random(4)
    n = 40
    problem = Problem(
        ids=[str(i) for i in range(n)],
        n_groups=5,
        min_size=7,
        max_size=9,
        categorical={
            "성별": [rng.choice("남여") for _ in range(n)],
            "수준": [rng.choice("상중하") for _ in range(n)],
            "반": [rng.choice("123") for _ in range(n)],
        },
        numeric={"성적": [float(rng.randint(40, 100)) for _ in range(n)]},
        balance={"성별": 2.0, "수준": 1.0},
        numeric_balance={"성적": 0.5},
        numeric_tolerance=1.5,
        similar={"반": 1.0},
        no_alone=[("성별", "여")],
        constraints=[_c("apart", 0, 1, 2), _c("together", 3, 4), _c("apart", 4, 5)],
        seats=[2 if i % 13 == 0 else 1 for i in range(n)],
    )
    blocks = make_blocks(problem)
    state = _State(problem, blocks, [rng.randrange(5) for _ in blocks.blocks])
    for _ in range(300):
        b1, b2 = rng.randrange(len(blocks.blocks)), rng.randrange(len(blocks.blocks))
        h = rng.randrange(5)
        before = state.total()
        d = state.move_delta(b1, h)
        g = state.groups[b1]
        state.move(b1, h)
        assert state.total() - before == pytest.approx(d, abs=1e-6)
        state.move(b1, g)
        if state.groups[b1] != state.groups[b2]:
            d = state.swap_delta(b1, b2)
            g1, g2 = state.groups[b1], state.groups[b2]
            state.move(b1, g2)
            state.move(b2, g1)
            assert state.total() - before == pytest.approx(d, abs=1e-6)
        if rng.random() < 0.5:  # wander, so later checks see other states
            state.move(b1, h)


def test_parts_are_scored_like_the_whole_and_improve_it():
    """lns: a part (some groups re-solved, the rest held) changes the objective exactly as the whole
    does, and re-solving parts improves a poor assignment without breaking a rule."""
    import random as _random

    from schoolauto.groups.budget import Budget
    from schoolauto.groups.lns import improve_by_parts, part_of
    from schoolauto.groups.solvers import get_solver

    rng = _random.Random(7)
    n, G = 48, 6
    problem = Problem(
        ids=[str(10000 + i) for i in range(n)],
        n_groups=G,
        min_size=8,
        max_size=8,
        categorical={
            "성별": [rng.choice("남여") for _ in range(n)],
            "수준": [rng.choice("상중하") for _ in range(n)],
        },
        numeric={"성적": [float(rng.randint(40, 100)) for _ in range(n)]},
        balance={"성별": 1.0, "수준": 1.0},
        numeric_balance={"성적": 0.2},
        constraints=[_c("apart", 0, 1), _c("together", 2, 3), _c("fixed", 4, group=2)],
    )
    start = random_assignment(problem, seed=3).assignment  # keeps sizes, together and fixed
    if start[0] == start[1]:  # and apart, whatever the seed
        other = next(i for i in range(5, n) if start[i] != start[0])
        start[1], start[other] = start[other], start[1]
    assert check_constraints(problem, start).ok
    whole_before = evaluate(problem, start).objective
    chosen = [0, 2, 5]
    sub, members = part_of(problem, start, chosen)
    local = {g: j for j, g in enumerate(chosen)}
    sub_start = [local[start[i]] for i in members]
    moved = list(sub_start)
    moved[0], moved[1] = moved[1], moved[0]  # a swap inside the part
    whole_moved = list(start)
    for j, i in enumerate(members):
        whole_moved[i] = chosen[moved[j]]
    assert evaluate(sub, moved).objective - evaluate(sub, sub_start).objective == pytest.approx(
        evaluate(problem, whole_moved).objective - whole_before, abs=1e-9
    )
    balance_only = Problem(**{**problem.__dict__, "numeric_balance": {}})  # parts prove fast
    better, tried, improved = improve_by_parts(
        balance_only,
        start,
        get_solver("highs"),
        Budget(30),
        seed=0,
        deadline=None,
        floor=simple_lower_bound(balance_only),
    )
    assert tried >= 1 and improved >= 1
    assert check_constraints(balance_only, better).ok
    assert evaluate(balance_only, better).objective < evaluate(balance_only, start).objective
