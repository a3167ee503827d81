"""MIP solver backends behind one small interface, chosen by name: `cbc` (bundled with PuLP), `highs`."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pulp

from ..errors import DependencyError, SolverError
from .backends import SOLVERS

log = logging.getLogger("schoolauto.groups")

# statuses: optimal (proven), feasible (a solution, optimality not proven), infeasible, unknown
# (no solution found within the time limit)


@dataclass
class SolveOutcome:
    status: str
    objective: float | None  # the model's objective as the solver reports it
    bound: float | None  # best proven lower bound
    seconds: float


# Called with (best objective, best bound) in model units while a solver runs; either may be None.
SolverProgress = Callable[[float | None, float | None], None]
PROGRESS_EVERY = 0.5  # seconds between progress reports


class SolverBackend(Protocol):
    name: str
    symmetry: str  # how the model should break group symmetry for this solver (ilp.build_model)

    def available(self) -> bool: ...

    def solve(
        self,
        model: pulp.LpProblem,
        *,
        time_limit: float | None,
        threads: int,
        warm_start: bool,
        rel_gap: float | None = None,
        deadline: float | None = None,
        progress: SolverProgress | None = None,
    ) -> SolveOutcome: ...


def _limit(time_limit: float | None, deadline: float | None) -> float | None:
    """The tighter of a stage's time limit and the budget's deadline, in seconds from now."""
    if deadline is None:
        return time_limit
    left = max(0.0, deadline - time.perf_counter())
    return left if time_limit is None else min(time_limit, left)


_NUM = r"(-?[0-9.]+(?:e[+-]?\d+)?)"


_CBC_NODE = re.compile(r"best solution\s+" + _NUM + r", best possible\s+" + _NUM)
_CBC_SOL = re.compile(r"Integer solution of\s+" + _NUM)
_CBC_CONT = re.compile(r"Continuous objective value is\s+" + _NUM)


def _cbc_progress(text: str) -> tuple[float | None, float | None] | None:
    """(best objective, best bound) from the latest lines of a CBC log, or None."""
    best: float | None = None
    bound: float | None = None
    for m in _CBC_SOL.finditer(text):
        best = float(m.group(1))
    for m in _CBC_CONT.finditer(text):
        bound = float(m.group(1))
    nodes = list(_CBC_NODE.finditer(text))
    if nodes:
        node = nodes[-1]
        obj = float(node.group(1))
        best = obj if obj < 1e49 else best
        bound = float(node.group(2))
    if best is None and bound is None:
        return None
    return best, bound


def _wait(
    proc: subprocess.Popen[bytes],
    log: Path,
    stop: float | None,
    grace: float,
    progress: SolverProgress | None,
) -> None:
    """Wait for CBC, reporting progress from its log; TimeoutExpired `grace` seconds after `stop`."""
    while True:
        timeout = PROGRESS_EVERY
        if stop is not None:
            timeout = min(timeout, max(0.0, stop + grace - time.perf_counter()))
        try:
            proc.wait(timeout=timeout)
            return
        except subprocess.TimeoutExpired:
            if stop is not None and time.perf_counter() >= stop + grace:
                raise
        if progress is not None:
            found = _cbc_progress(log.read_text(encoding="utf-8", errors="replace"))
            if found is not None:
                progress(*found)


class CbcBackend:
    """CBC through PuLP's bundled binary; the bound and gap are read from CBC's log.

    CBC is run here rather than through `LpProblem.solve` so that a run that ignores its own time
    limit is interrupted (then killed) a little after the limit.
    """

    name = "cbc"
    symmetry = "order"

    def grace(self, time_limit: float) -> float:
        """Seconds past the time limit before CBC is interrupted (its own -sec check is coarse)."""
        return max(0.3, min(1.0, 0.05 * time_limit))

    def available(self) -> bool:
        return bool(pulp.PULP_CBC_CMD(msg=False).available())

    def _run(
        self,
        model: pulp.LpProblem,
        *,
        stop_at: float | None,
        threads: int,
        warm_start: bool,
        rel_gap: float | None = None,
        progress: SolverProgress | None = None,
    ) -> tuple[str, bool]:
        """Write the model, run CBC, read the solution into the model; (log text, killed?)."""
        cmd = pulp.PULP_CBC_CMD(msg=False)
        killed = False
        with tempfile.TemporaryDirectory(prefix="schoolauto-cbc-") as tmp:
            mps, sol, mst, log = (Path(tmp) / n for n in ("model.mps", "model.sol", "model.mst", "cbc.log"))
            vs, var_names, con_names, _ = model.writeMPS(str(mps), rename=1)
            args = [cmd.path, str(mps)]
            if model.sense == pulp.LpMaximize:
                args.append("-max")
            if warm_start:
                cmd.writesol(str(mst), model, vs, var_names, con_names)
                args += ["-mips", str(mst)]
            # Writing the model takes seconds on a big one: the limit counts from now.
            time_limit = None if stop_at is None else max(0.0, stop_at - time.perf_counter())
            if time_limit is not None:
                args += ["-sec", str(max(1, int(time_limit)))]
            if threads > 1:
                args += ["-threads", str(threads)]
            if rel_gap is not None:
                args += ["-ratioGap", repr(rel_gap)]
            args += ["-timeMode", "elapsed", "-solve", "-printingOptions", "all", "-solution", str(sol)]
            try:
                with log.open("w", encoding="utf-8") as fh:
                    proc = subprocess.Popen(
                        args, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
                    )
                    try:
                        stop = None if time_limit is None else time.perf_counter() + time_limit
                        _wait(proc, log, stop, self.grace(time_limit or 0.0), progress)
                    except subprocess.TimeoutExpired:
                        killed = True
                        proc.send_signal(signal.SIGINT)
                        try:
                            proc.wait(timeout=2)
                        except subprocess.TimeoutExpired:
                            proc.kill()
                            proc.wait()
            except OSError as exc:
                raise SolverError(f"CBC 풀이기를 실행할 수 없습니다 ({exc})") from exc
            text = log.read_text(encoding="utf-8", errors="replace")
            if not killed and proc.returncode != 0:
                raise SolverError(f"CBC 풀이기가 비정상 종료했습니다 (코드 {proc.returncode})")
            if not killed and sol.exists():
                status, values, _rc, _sp, _sl, sol_status = cmd.readsol_MPS(
                    str(sol), model, vs, var_names, con_names
                )
                model.assignVarsVals(values)
                model.assignStatus(status, sol_status)
            elif not killed:
                raise SolverError("CBC 풀이기가 답 파일을 남기지 않았습니다")
        return text, killed

    def solve(
        self,
        model: pulp.LpProblem,
        *,
        time_limit: float | None,
        threads: int,
        warm_start: bool,
        rel_gap: float | None = None,
        deadline: float | None = None,
        progress: SolverProgress | None = None,
    ) -> SolveOutcome:
        start = time.perf_counter()
        stop_at = (
            None if time_limit is None and deadline is None else start + (_limit(time_limit, deadline) or 0.0)
        )
        text, killed = self._run(
            model,
            stop_at=stop_at,
            threads=threads,
            warm_start=warm_start,
            rel_gap=rel_gap,
            progress=progress,
        )
        seconds = time.perf_counter() - start
        if killed:
            # CBC can spend far longer than its -sec limit before its first node (a large root LP);
            # it was stopped from outside, so there is no solution; the log may hold a bound.
            last = _cbc_progress(text)
            return SolveOutcome("unknown", None, None if last is None else last[1], seconds)
        result = re.search(r"Result - (.*)", text)
        result_text = result.group(1) if result else ""
        obj_m = re.search(r"Objective value:\s+" + _NUM, text)
        bound_m = re.search(r"Lower bound:\s+" + _NUM, text)
        if "infeasible" in result_text.lower() or model.status == pulp.LpStatusInfeasible:
            return SolveOutcome("infeasible", None, None, seconds)
        has_solution = model.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
        if not has_solution or "No feasible solution" in text:
            return SolveOutcome("unknown", None, float(bound_m.group(1)) if bound_m else None, seconds)
        objective = pulp.value(model.objective)
        objective = float(obj_m.group(1)) if obj_m and objective is None else float(objective or 0.0)
        if result_text.startswith("Optimal solution found") and "tolerance" not in result_text:
            return SolveOutcome("optimal", objective, objective, seconds)
        bound = float(bound_m.group(1)) if bound_m else None
        return SolveOutcome("feasible", objective, bound, seconds)


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """Silence C-level prints to fd 1 (HiGHS prints a banner on construction, whatever its options)."""
    try:
        fd = sys.__stdout__.fileno() if sys.__stdout__ is not None else 1
    except (AttributeError, OSError, ValueError):
        yield
        return
    with contextlib.suppress(Exception):
        sys.__stdout__.flush()  # type: ignore[union-attr]
    saved = os.dup(fd)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), fd)
        yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)


class HighsBackend:
    """HiGHS in-process through highspy (a normal dependency; the default solver)."""

    name = "highs"
    symmetry = "pin"  # measured: HiGHS's own symmetry detection beats a fixed group order

    def available(self) -> bool:
        try:
            import highspy  # noqa: F401
        except ImportError:
            return False
        return True

    def solve(
        self,
        model: pulp.LpProblem,
        *,
        time_limit: float | None,
        threads: int,
        warm_start: bool,
        rel_gap: float | None = None,
        deadline: float | None = None,
        progress: SolverProgress | None = None,
    ) -> SolveOutcome:
        import highspy

        start = time.perf_counter()
        limit = _limit(time_limit, deadline)
        stop_at = None if limit is None else start + limit
        last_report = [start]
        mip = int(highspy.cb.HighsCallbackType.kCallbackMipInterrupt)

        def on_interrupt(event: Any) -> None:
            now = time.perf_counter()
            if stop_at is not None and now >= stop_at:
                event.interrupt()  # model building took part of the limit: stop on the wall clock
                log.debug("HiGHS stopped on the wall clock (%.2f s past the limit)", now - stop_at)
            if (
                progress is not None
                and now - last_report[0] >= PROGRESS_EVERY
                and int(event.callback_type) == mip
            ):
                last_report[0] = now
                out = event.data_out
                primal = float(out.mip_primal_bound)
                progress(primal if abs(primal) < 1e50 else None, float(out.mip_dual_bound))

        solver = _Highs(
            on_interrupt,
            warm_start,
            stop_at,
            msg=False,
            timeLimit=limit,
            threads=threads,
            gapRel=1e-9 if rel_gap is None else rel_gap,
            gapAbs=1e-9,
            random_seed=0,
            log_to_console=False,
        )
        try:
            with _quiet_stdout():
                model.solve(solver)
        except pulp.PulpSolverError as exc:
            raise SolverError(f"HiGHS 풀이기를 실행할 수 없습니다 ({exc})") from exc
        seconds = time.perf_counter() - start
        h = model.solverModel
        status = h.getModelStatus()
        info = h.getInfo()
        if status in (highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kUnboundedOrInfeasible):
            return SolveOutcome("infeasible", None, None, seconds)
        bound = float(info.mip_dual_bound)
        bound_or_none = bound if abs(bound) < 1e50 else None
        if info.primal_solution_status != 2:  # 2: feasible
            return SolveOutcome("unknown", None, bound_or_none, seconds)
        objective = float(info.objective_function_value)
        if status == highspy.HighsModelStatus.kOptimal:
            return SolveOutcome("optimal", objective, objective, seconds)
        return SolveOutcome("feasible", objective, bound_or_none, seconds)


_highs_threads: int | None = None  # the thread count HiGHS's process-wide pool was started with


def _highs_class() -> type:
    class Highs(pulp.HiGHS):  # type: ignore[misc,valid-type]
        """PuLP's HiGHS with an interrupt callback (progress, and stopping on the wall clock)."""

        def __init__(
            self, on_interrupt: Callable[[Any], None], warm_start: bool, stop_at: float | None, **kw: Any
        ) -> None:
            super().__init__(**kw)
            self._on_interrupt = on_interrupt
            self._warm_start = warm_start
            self._stop_at = stop_at

        def callSolver(self, lp: pulp.LpProblem) -> None:
            global _highs_threads
            h = lp.solverModel
            if _highs_threads is not None and _highs_threads != self.threads:
                # HiGHS keeps one thread pool per process: another thread count fails the solve
                # at once unless the pool is reset (a web page runs jobs with different settings).
                h.resetGlobalScheduler(True)
            _highs_threads = self.threads
            if self._stop_at is not None:
                # Handing a big model over to HiGHS takes seconds: the limit counts from now.
                h.setOptionValue("time_limit", max(0.01, self._stop_at - time.perf_counter()))
            if self._warm_start:
                # PuLP's in-process HiGHS ignores warm starts: hand HiGHS the starting values
                # (a partial solution; HiGHS completes the continuous rest).
                known = [(v.index, float(v.varValue)) for v in lp.variables() if v.varValue is not None]
                if known:
                    import numpy as np

                    idx, vals = zip(*known, strict=True)
                    h.setSolution(len(known), np.array(idx, dtype=np.int32), np.array(vals, dtype=np.float64))
            # Only the MIP's interrupt points: a Python call on every simplex iteration costs more
            # than it saves (HiGHS's own time limit, set above, covers the LP phases).
            events = (h.cbMipInterrupt,)
            for event in events:
                event.subscribe(self._on_interrupt)
            try:
                h.run()
            finally:
                # highspy keeps callbacks beyond the model's life: an old one (with its old stop
                # time) would interrupt the next solve at once.
                for event in events:
                    event.unsubscribe(self._on_interrupt)

    return Highs


def _Highs(on_interrupt: Callable[[Any], None], warm_start: bool, stop_at: float | None, **kw: Any) -> Any:
    return _highs_class()(on_interrupt, warm_start, stop_at, **kw)


def get_solver(name: str, *, field: str = "solver") -> SolverBackend:
    """The backend registered under `name`; a polite error when unknown or not installed."""
    backend = SOLVERS.get(name.lower(), field=field)()
    if not backend.available():
        if backend.name == "highs":
            raise DependencyError(
                "HiGHS 풀이기가 설치되어 있지 않습니다",
                hint="pip install highspy 로 설치하세요",
                field=field,
            )
        raise DependencyError(
            f"{backend.name} 풀이기를 찾을 수 없습니다",
            hint="PuLP 를 다시 설치하세요: pip install pulp",
            field=field,
        )
    return backend
