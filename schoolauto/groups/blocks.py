"""Students kept together are one block: the models place blocks, which is exact and smaller."""

from __future__ import annotations

from dataclasses import dataclass

from .problem import KIND_APART, KIND_FIXED, KIND_NAMES, KIND_TOGETHER, Constraint, Problem


@dataclass
class Block:
    members: list[int]
    seats: int
    fixed: int | None = None  # 0-based group, when some member is fixed
    fixed_by: list[Constraint] | None = None


@dataclass
class Blocks:
    blocks: list[Block]
    of_student: list[int]  # block index per student
    apart_sets: list[tuple[list[int], Constraint]]  # distinct block indices per apart rule

    def assignment(self, block_groups: list[int], n: int) -> list[int]:
        out = [0] * n
        for b, g in enumerate(block_groups):
            for i in self.blocks[b].members:
                out[i] = g
        return out


def union_together(problem: Problem) -> list[int]:
    """Root student of each student's together-group (union-find)."""
    parent = list(range(problem.n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for c in problem.constraints:
        if c.kind == KIND_TOGETHER:
            root = find(c.members[0])
            for j in c.members[1:]:
                rj = find(j)
                if rj != root:
                    parent[rj] = root
    return [find(i) for i in range(problem.n)]


def make_blocks(problem: Problem) -> Blocks:
    """Blocks from together rules; fixed groups carried over. Conflicts are left to `feasibility`."""
    roots = union_together(problem)
    index: dict[int, int] = {}
    blocks: list[Block] = []
    of_student = [0] * problem.n
    for i, r in enumerate(roots):
        if r not in index:
            index[r] = len(blocks)
            blocks.append(Block(members=[], seats=0))
        b = index[r]
        blocks[b].members.append(i)
        blocks[b].seats += problem.seats[i]
        of_student[i] = b
    for c in problem.constraints:
        if c.kind == KIND_FIXED and c.group is not None:
            for i in c.members:
                blk = blocks[of_student[i]]
                blk.fixed_by = [*(blk.fixed_by or []), c]
                if blk.fixed is None:
                    blk.fixed = c.group - 1
    apart_sets = []
    for c in problem.constraints:
        if c.kind in (KIND_APART, KIND_NAMES):
            apart_sets.append((sorted({of_student[i] for i in c.members}), c))
    return Blocks(blocks=blocks, of_student=of_student, apart_sets=apart_sets)


def apart_cliques(blocks: Blocks, *, limit: int = 2000) -> list[list[int]]:
    """Maximal sets of blocks that are pairwise apart (Bron–Kerbosch with pivoting), largest first.

    Pairwise apart rules can add up to a set larger than the number of groups (a pigeonhole that
    solvers prove slowly); the cliques let the pre-check name it and strengthen the model.
    """
    adj: dict[int, set[int]] = {}
    for bs, _c in blocks.apart_sets:
        for a in bs:
            for b in bs:
                if a != b:
                    adj.setdefault(a, set()).add(b)
    out: list[list[int]] = []

    def expand(r: set[int], p: set[int], x: set[int]) -> None:
        if len(out) >= limit:
            return
        if not p and not x:
            if len(r) >= 2:
                out.append(sorted(r))
            return
        pivot = max(p | x, key=lambda v: len(adj[v] & p))
        for v in list(p - adj[pivot]):
            expand(r | {v}, p & adj[v], x & adj[v])
            p = p - {v}
            x = x | {v}

    expand(set(), set(adj), set())
    out.sort(key=lambda c: (-len(c), c))
    return out
