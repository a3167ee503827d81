"""Outputs of a group assignment: the xlsx report (from templates/groups_report.xlsx), JSON and CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..fileio import write_csv, write_json
from ..reports import Cell, TemplateReport
from .evaluate import CHECK_LABELS
from .result import Result

# No suffix: a bare name is only looked up in the template folders, never in the working directory.
TEMPLATE = "groups_report"
STATUS_KO = {"optimal": "최적 (증명됨)", "feasible": "가능해 (최적 미증명)", "infeasible": "불가능"}
METHOD_KO = {"ilp": "정수계획", "greedy": "greedy+swap", "random": "무작위"}
BAD_FILL = "FFF4CCCC"


def status_line(result: Result) -> str:
    """One Korean line: status, objective, bound, gap, seconds."""
    parts = [f"상태 {STATUS_KO.get(result.status, result.status)}", f"목적값 {result.objective:.4f}"]
    if result.bound is not None:
        parts.append(f"하한 {result.bound:.4f}")
    if result.gap is not None:
        parts.append(f"간격 {result.gap * 100:.2f}%")
    parts.append(f"{result.seconds:.2f}초")
    return ", ".join(parts)


def _fmt(x: float | None, digits: int = 4) -> Any:
    return "" if x is None else round(x, digits)


def summary_grid(result: Result) -> list[list[Any]]:
    """Rows: header, one row per group, then a std-dev row (and numeric means as extra columns)."""
    p, ev = result.problem, result.evaluation
    header: list[Any] = ["모둠", "인원", "좌석"]
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


def write_report(
    result: Result,
    path: str | Path,
    *,
    overwrite: bool = False,
    title: str = "모둠 편성 결과",
    password: str | None = None,
) -> Path:
    p, ev = result.problem, result.evaluation
    report = TemplateReport(TEMPLATE)
    grid = summary_grid(result)
    sizes = ", ".join(str(s) for s in ev.sizes)
    report.fill(
        {
            "title": title,
            "subtitle": f"학생 {p.n}명 → {p.n_groups}모둠, 방법 {METHOD_KO.get(result.method, result.method)}",
            "status": STATUS_KO.get(result.status, result.status),
            "objective": round(result.objective, 6),
            "bound": _fmt(result.bound, 6),
            "gap": "" if result.gap is None else f"{result.gap * 100:.2f}%",
            "seconds": round(result.seconds, 2),
            "solver": result.solver or "-",
            "sizes": sizes,
        }
    )
    report.write_grid("요약", 12, 1, grid[:1], style_from=(12, 1))
    report.write_grid("요약", 13, 1, grid[1:], style_from=(13, 1))
    ws = report.sheet("요약")
    ws.print_area = f"A1:{ws.cell(12, len(grid[0])).column_letter}{12 + len(grid) - 1}"
    ws.print_title_rows = "12:12"
    ws.freeze_panes = "B13"

    attrs = [*ev.counts, *ev.means]
    members = []
    for g in range(p.n_groups):
        seq = 0
        for i, gi in enumerate(result.assignment):
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
                    "attrs": ", ".join(parts) if attrs else "",
                }
            )
    report.fill_table("모둠별 명단", "m", members)
    checks = []
    for c in result.checks.items:
        checks.append(
            {
                "kind": CHECK_LABELS.get(c.kind, c.kind),
                "ids": ", ".join(p.ids[i] for i in c.members) if c.kind not in ("size", "no_alone") else "",
                "detail": c.detail + (f" [{c.source}]" if c.source else ""),
                "ok": Cell("예") if c.ok else Cell("아니오", fill=BAD_FILL, bold=True),
            }
        )
    report.fill_table("제약 확인", "c", checks)
    return report.save(path, overwrite=overwrite, password=password)


def write_json_result(result: Result, path: str | Path, *, overwrite: bool = False) -> Path:
    return write_json(path, result.to_json(), overwrite=overwrite)


def infeasible_json(message: str, conflicts: list[str], seconds: float) -> dict[str, Any]:
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


def write_csv_result(result: Result, path: str | Path, *, overwrite: bool = False) -> Path:
    p = result.problem
    header = ["학번", "모둠"]
    if p.names:
        header.insert(1, "성명")
    rows = []
    for i, g in enumerate(result.assignment):
        row: list[Any] = [p.ids[i], g + 1]
        if p.names:
            row.insert(1, p.names[i])
        rows.append(row)
    rows.sort(key=lambda r: (r[-1], r[0]))
    return write_csv(path, header, rows, overwrite=overwrite)
