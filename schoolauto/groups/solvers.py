"""MIP solver backends behind one small interface, chosen by name: `cbc` (bundled with PuLP), `highs`."""

from __future__ import annotations

import contextlib
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
from typing import Protocol

import pulp

from ..errors import DependencyError, SolverError, UsageError

# statuses: optimal (proven), feasible (a solution, optimality not proven), infeasible, unknown
# (no solution found within the time limit)


@dataclass
class SolveOutcome:
    status: str
    objective: float | None  # the model's objective as the solver reports it
    bound: float | None  # best proven lower bound
    seconds: float


class SolverBackend(Protocol):
    name: str

    def available(self) -> bool: ...

    def solve(
        self,
        model: pulp.LpProblem,
        *,
        time_limit: float | None,
        threads: int,
        warm_start: bool,
        rel_gap: float | None = None,
    ) -> SolveOutcome: ...


_NUM = r"(-?[0-9.]+(?:e[+-]?\d+)?)"


class CbcBackend:
    """CBC through PuLP's bundled binary; the bound and gap are read from CBC's log.

    CBC is run here rather than through `LpProblem.solve` so that a run that ignores its own time
    limit is interrupted (then killed) a little after the limit.
    """

    name = "cbc"

    def grace(self, time_limit: float) -> float:
        """Seconds past the time limit before CBC is interrupted."""
        return max(2.0, min(10.0, 0.1 * time_limit))

    def available(self) -> bool:
        return bool(pulp.PULP_CBC_CMD(msg=False).available())

    def _run(
        self,
        model: pulp.LpProblem,
        *,
        time_limit: float | None,
        threads: int,
        warm_start: bool,
        rel_gap: float | None = None,
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
            if time_limit is not None:
                args += ["-sec", str(max(1, round(time_limit)))]
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
                        proc.wait(timeout=None if time_limit is None else time_limit + self.grace(time_limit))
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
    ) -> SolveOutcome:
        start = time.perf_counter()
        text, killed = self._run(
            model, time_limit=time_limit, threads=threads, warm_start=warm_start, rel_gap=rel_gap
        )
        seconds = time.perf_counter() - start
        if killed:
            # CBC can spend far longer than its -sec limit before its first node (a large root LP);
            # it was stopped from outside, so there is neither a solution nor a bound to report.
            return SolveOutcome("unknown", None, None, seconds)
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
    """HiGHS in-process through highspy (`pip install 'schoolauto[highs]'`)."""

    name = "highs"

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
    ) -> SolveOutcome:
        import highspy

        solver = pulp.HiGHS(
            msg=False,
            timeLimit=time_limit,
            threads=threads,
            warmStart=warm_start,
            gapRel=1e-9 if rel_gap is None else rel_gap,
            gapAbs=1e-9,
            random_seed=0,
            log_to_console=False,
        )
        start = time.perf_counter()
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
        if info.primal_solution_status != 2:  # 2: feasible
            return SolveOutcome("unknown", None, bound, seconds)
        objective = float(info.objective_function_value)
        if status == highspy.HighsModelStatus.kOptimal:
            return SolveOutcome("optimal", objective, objective, seconds)
        return SolveOutcome("feasible", objective, bound, seconds)


SOLVERS: dict[str, Callable[[], SolverBackend]] = {"cbc": CbcBackend, "highs": HighsBackend}


def get_solver(name: str) -> SolverBackend:
    """The backend registered under `name`; a polite error when unknown or not installed."""
    factory = SOLVERS.get(name.lower())
    if factory is None:
        raise UsageError(f"알 수 없는 풀이기입니다: {name} (가능한 값: {', '.join(SOLVERS)})")
    backend = factory()
    if not backend.available():
        if backend.name == "highs":
            raise DependencyError(
                "HiGHS 풀이기가 설치되어 있지 않습니다", hint="pip install 'schoolauto[highs]' 로 설치하세요"
            )
        raise DependencyError(
            f"{backend.name} 풀이기를 찾을 수 없습니다", hint="pip install --force-reinstall pulp"
        )
    return backend
