"""One time budget for a whole assignment job: every stage draws from it, and it keeps the profile.

The clock starts when the job (or the command that calls it) starts, so reading the roster, building
the model, the start heuristic, every solver call, the tie-break, the infeasibility explanation and
writing the outputs all count against the one `time_limit`. A small reserve is kept back for the
work after the last stage (reading the answer back, scoring it, writing the outputs).
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

log = logging.getLogger("schoolauto.groups")


@dataclass
class Progress:
    """What a waiting teacher sees while the solver runs (objective and bound without the constant)."""

    elapsed: float  # seconds since the job started
    stage: str  # e.g. '정수계획', '시작해', '동점 정리'
    objective: float | None = None  # best answer so far
    bound: float | None = None  # proven lower bound so far

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        diff = max(0.0, self.objective - self.bound)
        return 0.0 if diff <= 1e-9 * max(1.0, abs(self.objective)) else diff / max(abs(self.objective), 1e-9)


ProgressCallback = Callable[[Progress], None]


@dataclass
class StageTime:
    name: str
    seconds: float
    detail: str = ""


@dataclass
class Budget:
    """Seconds left for the job; `None` as the limit means no limit.

    `reserve` is kept back from every stage for the final work (scoring, reading back, writing).
    """

    limit: float | None
    started: float = field(default_factory=time.perf_counter)
    reserve: float = 0.5
    progress: ProgressCallback | None = None
    stages: list[StageTime] = field(default_factory=list)
    # Offset added to solver-reported objectives and bounds before they are shown (model constant).
    shown_offset: float = 0.0

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def remaining(self) -> float | None:
        """Seconds the stages may still use (the reserve already taken off); never negative."""
        if self.limit is None:
            return None
        return max(0.0, self.limit - self.reserve - self.elapsed())

    def deadline(self) -> float | None:
        """`time.perf_counter()` value by which the stages must have finished."""
        return None if self.limit is None else self.started + self.limit - self.reserve

    def share(self, fraction: float, *, at_most: float | None = None, at_least: float = 0.0) -> float | None:
        """A stage's allowance: `fraction` of what is left, clipped to [at_least, at_most] and to what is left."""
        left = self.remaining()
        if left is None:
            return at_most
        want = max(at_least, fraction * left)
        if at_most is not None:
            want = min(want, at_most)
        return min(want, left)

    def expired(self) -> bool:
        left = self.remaining()
        return left is not None and left <= 0.0

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[StageTime]:
        """Time one stage; logged at INFO (-v) when it ends."""
        entry = StageTime(name, 0.0)
        t0 = time.perf_counter()
        try:
            yield entry
        finally:
            entry.seconds = time.perf_counter() - t0
            self.stages.append(entry)
            extra = f" ({entry.detail})" if entry.detail else ""
            log.info("%s: %.2f초%s, 누적 %.2f초", name, entry.seconds, extra, self.elapsed())

    def report(self, stage: str, objective: float | None = None, bound: float | None = None) -> None:
        """Pass solver progress (in model units) to the callback, with the model constant added back."""
        if self.progress is None:
            return
        off = self.shown_offset
        self.progress(
            Progress(
                elapsed=self.elapsed(),
                stage=stage,
                objective=None if objective is None else objective + off,
                bound=None if bound is None else bound + off,
            )
        )

    def profile(self) -> list[tuple[str, float]]:
        return [(s.name, s.seconds) for s in self.stages]
