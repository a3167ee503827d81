"""The outcome of an assignment: what every output (xlsx from a template, JSON, CSV) is made from.

`AssignResult` implements the shared output protocol (`schoolauto.outputs.Reportable`): the xlsx
layout comes only from the markers in `templates/groups_report.xlsx` (or the teacher's copy).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from .problem import Problem
from .scoring import CHECK_LABELS, Checks, Evaluation, check_constraints, evaluate

if TYPE_CHECKING:
    from ..reports import TemplateReport

METHOD_KO = {"ilp": "정수계획", "greedy": "greedy+swap", "random": "무작위"}
BAD_FILL = "FFF4CCCC"


@dataclass
class AssignResult:
    problem: Problem
    method: str  # ilp | greedy | random
    solver: str  # cbc | highs | '' for heuristics
    status: str  # optimal | feasible
    assignment: list[int]  # 0-based group per student
    objective: float  # recomputed from the assignment (the truth)
    bound: float | None  # proven lower bound (None: no proof, e.g. heuristics)
    seconds: float
    evaluation: Evaluation
    checks: Checks
    model_objective: float | None = None  # what the solver reported, with the constant added back
    notes: list[str] = field(default_factory=list)
    profile: list[tuple[str, float]] = field(default_factory=list)  # (stage, seconds)
    # Provenance, filled by the job: where the students and rules came from.
    roster_path: str | None = None
    roster_sheet: str | None = None
    constraints_path: str | None = None
    title: str = ""
    seed: int = 0

    template_name: ClassVar[str] = "groups_report"

    @property
    def unit(self) -> str:
        return self.problem.unit

    @property
    def gap(self) -> float | None:
        """(objective - bound) / objective; 0 when proven optimal, None without a bound."""
        if self.bound is None:
            return None
        diff = max(0.0, self.objective - self.bound)
        if diff <= 1e-9 * max(1.0, abs(self.objective)):
            return 0.0
        return diff / max(abs(self.objective), 1e-9)

    def with_assignment(
        self, assignment: list[int], note: str = "교사가 손으로 학생을 옮겼습니다"
    ) -> AssignResult:
        """The same result for a hand-edited assignment (0-based groups), scored afresh.

        The objective and every rule are recomputed from the new assignment; the bound still holds,
        so the status says how far the edit is from the proven optimum.
        """
        if list(assignment) == list(self.assignment):
            return self
        ev = evaluate(self.problem, list(assignment))
        return replace(
            self,
            assignment=list(assignment),
            evaluation=ev,
            objective=ev.objective,
            checks=check_constraints(self.problem, list(assignment)),
            status="feasible",
            model_objective=None,
            notes=[*self.notes, note],
        )

    def status_text(self) -> str:
        """'최적 (증명됨)', '최적 미증명 (간격 0.80%)' or '최적 미증명' (no bound, e.g. greedy)."""
        if self.status == "optimal":
            return "최적 (증명됨)"
        if self.status == "infeasible":
            return "불가능"
        if self.gap is None:
            return "최적 미증명"
        return f"최적 미증명 (간격 {self.gap * 100:.2f}%)"

    def status_line(self) -> str:
        """One Korean line: status, objective, bound, gap, seconds."""
        parts = [f"상태 {self.status_text()}", f"목적값 {self.objective:.4f}"]
        if self.bound is not None:
            parts.append(f"하한 {self.bound:.4f}")
        if self.gap is not None:
            parts.append(f"간격 {self.gap * 100:.2f}%")
        parts.append(f"{self.seconds:.2f}초")
        return ", ".join(parts)

    def groups_by_id(self) -> dict[str, int]:
        return {sid: g + 1 for sid, g in zip(self.problem.ids, self.assignment, strict=True)}

    # ----- the output protocol ------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape (docs/schemas/groups-assign.schema.json)."""
        ev = self.evaluation
        return {
            "status": self.status,
            "objective": round(self.objective, 9),
            "bound": None if self.bound is None else round(self.bound, 9),
            "gap": None if self.gap is None else round(self.gap, 9),
            "seconds": round(self.seconds, 3),
            "assignment": self.groups_by_id(),
            "stddev": {a: {v: round(s, 6) for v, s in vals.items()} for a, vals in ev.stddev.items()},
            "method": self.method,
            "solver": self.solver,
            "seed": self.seed,
            "unit": self.unit,
            "groups": self.problem.n_groups,
            "sizes": ev.sizes,
            "means": {a: [None if m is None else round(m, 4) for m in ms] for a, ms in ev.means.items()},
            "mean_range": {a: round(r, 4) for a, r in ev.mean_range.items()},
            "distinct": ev.distinct,
            "constraints_ok": self.checks.ok,
            "profile": [{"stage": name, "seconds": round(sec, 3)} for name, sec in self.profile],
            "source": {
                "roster": self.roster_path,
                "sheet": self.roster_sheet,
                "constraints": self.constraints_path,
            },
        }

    def csv_table(self) -> tuple[list[str], list[list[Any]]]:
        p = self.problem
        header = ["학번", self.unit]
        if p.names:
            header.insert(1, "성명")
        rows = []
        for i, g in enumerate(self.assignment):
            row: list[Any] = [p.ids[i], g + 1]
            if p.names:
                row.insert(1, p.names[i])
            rows.append(row)
        rows.sort(key=lambda r: (r[-1], r[0]))
        return header, rows

    def to_frame(self) -> Any:
        from ..outputs import frame_of

        return frame_of(self)

    def summary_grid(self) -> list[list[Any]]:
        """Rows: header, one row per group, then a std-dev row (numeric means as extra columns)."""
        p, ev = self.problem, self.evaluation
        header: list[Any] = [self.unit, "인원", "좌석"]
        for attr, vals in ev.counts.items():
            header += [f"{attr}:{v}" for v in vals]
        for attr in ev.means:
            header.append(f"{attr} 평균")
        for attr in ev.distinct:
            header.append(f"{attr} 종류 수")
        rows: list[list[Any]] = [header]
        for g in range(p.n_groups):
            row: list[Any] = [g + 1, ev.headcounts[g], ev.sizes[g]]
            for _attr, vals in ev.counts.items():
                row += [cs[g] for cs in vals.values()]
            for ms in ev.means.values():
                row.append(_fmt(ms[g], 2))
            for ds in ev.distinct.values():
                row.append(ds[g])
            rows.append(row)
        sd: list[Any] = ["표준편차", "", ""]
        for attr, vals in ev.counts.items():
            sd += [_fmt(ev.stddev[attr][v], 3) if attr in ev.stddev else "" for v in vals]
        for attr in ev.means:
            sd.append(f"범위 {ev.mean_range[attr]:.2f}")
        sd += ["" for _ in ev.distinct]
        rows.append(sd)
        return rows

    def fill_template(self, doc: TemplateReport) -> None:
        p, ev = self.problem, self.evaluation
        source = Path(self.roster_path).name if self.roster_path else ""
        method = METHOD_KO.get(self.method, self.method)
        doc.fill(
            {
                "title": self.title or f"{self.unit} 편성 결과",
                "subtitle": f"학생 {p.n}명 → {p.n_groups}{self.unit}, 방법 {method}"
                + (f", 명렬표 {source}" if source else ""),
                "unit": self.unit,
                "status": self.status_text(),
                "objective": round(self.objective, 6),
                "bound": _fmt(self.bound, 6),
                "gap": "" if self.gap is None else f"{self.gap * 100:.2f}%",
                "seconds": round(self.seconds, 2),
                "solver": self.solver or "-",
                "sizes": ", ".join(str(s) for s in ev.sizes),
                "seed": self.seed,
            }
        )
        grid = self.summary_grid()
        sheet, top, left, bottom, right = doc.fill_grid("summary", grid)
        ws = doc.sheet(sheet)
        first = ws.cell(1, 1).coordinate
        ws.print_area = f"{first}:{ws.cell(bottom, right).coordinate}"
        ws.print_title_rows = f"{top}:{top}"
        ws.freeze_panes = ws.cell(top + 1, left + 1).coordinate
        members_sheet = doc.table_sheet("m")
        doc.fill_table("m", self._member_rows())
        doc.fill_table("c", self._check_rows())
        if self.unit != "모둠" and "모둠" in members_sheet:
            doc.sheet(members_sheet).title = members_sheet.replace("모둠", self.unit)

    def _member_rows(self) -> list[dict[str, Any]]:
        p, ev = self.problem, self.evaluation
        shown = bool(ev.counts or ev.means)
        members = []
        for g in range(p.n_groups):
            seq = 0
            for i, gi in enumerate(self.assignment):
                if gi != g:
                    continue
                seq += 1
                parts = [f"{a}={p.categorical[a][i]}" for a in ev.counts]
                parts += [f"{a}={p.numeric[a][i]:g}" for a in ev.means]
                if p.seats[i] > 1:
                    parts.append(f"좌석 {p.seats[i]}")
                members.append(
                    {
                        "group": g + 1,
                        "seq": seq,
                        "id": p.ids[i],
                        "name": p.names[i] if p.names else "",
                        "attrs": ", ".join(parts) if shown else "",
                    }
                )
        return members

    def _check_rows(self) -> list[dict[str, Any]]:
        from ..reports import Cell

        p = self.problem
        rows = []
        for c in self.checks.items:
            rows.append(
                {
                    "kind": CHECK_LABELS.get(c.kind, c.kind),
                    "ids": ", ".join(p.ids[i] for i in c.members)
                    if c.kind not in ("size", "no_alone")
                    else "",
                    "detail": c.detail + (f" [{c.source}]" if c.source else ""),
                    "ok": Cell("예") if c.ok else Cell("아니오", fill=BAD_FILL, bold=True),
                }
            )
        return rows


def _fmt(x: float | None, digits: int = 4) -> Any:
    return "" if x is None else round(x, digits)


def make_result(
    problem: Problem,
    assignment: list[int],
    *,
    method: str,
    solver: str,
    status: str,
    bound: float | None,
    seconds: float,
    model_objective: float | None = None,
    notes: list[str] | None = None,
) -> AssignResult:
    ev = evaluate(problem, assignment)
    return AssignResult(
        problem=problem,
        method=method,
        solver=solver,
        status=status,
        assignment=list(assignment),
        objective=ev.objective,
        # A proven optimum is its own bound (the solver's printed bound carries rounding noise).
        bound=ev.objective if status == "optimal" else bound,
        seconds=seconds,
        evaluation=ev,
        checks=check_constraints(problem, assignment),
        model_objective=model_objective,
        notes=list(notes or []),
    )


def infeasible_json(message: str, conflicts: list[str], seconds: float) -> dict[str, Any]:
    """The JSON written for impossible rules (the command exits 1 after writing it)."""
    return {
        "status": "infeasible",
        "objective": None,
        "bound": None,
        "gap": None,
        "seconds": round(seconds, 3),
        "assignment": {},
        "stddev": {},
        "conflicts": conflicts,
        "message": message,
    }
