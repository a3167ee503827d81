"""The web page's ONE door into the library: one small function per job.

Each function takes plain values from the widgets and returns the library's own result (or raises
the library's own `SchoolautoError`). The pages never import a domain module; when a domain's job
function changes (typed requests on `main`), only the function here is re-pointed.

Which library call each adapter makes today is listed in docs/ui.md ("Adapter map").
"""

from __future__ import annotations

import inspect
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..fileio import json_text

# ----- shared rendering -------------------------------------------------------------------------


def downloads(result: Any, folder: Path, kind: str) -> dict[str, Callable[[], bytes]]:
    """{"xlsx"|"csv"|"json": a function making that file's bytes} for a job result.

    A result that implements the output protocol is rendered in memory by `outputs.render`;
    older results are written by their domain's writer into the session folder and read back.
    """
    from ..outputs import OutputRequest, Reportable, render

    if isinstance(result, Reportable):

        def make(field: str) -> Callable[[], bytes]:
            def build() -> bytes:
                name = {"out": "보고서.xlsx", "csv": "결과.csv", "json": "결과.json"}[field]
                request = OutputRequest()
                setattr(request, field, folder / name)
                return render(result, request)[0][2]

            return build

        return {"xlsx": make("out"), "csv": make("csv"), "json": make("json")}

    if kind not in _OLD_WRITERS:
        return {"json": lambda: (json_text(to_json(result, kind)) + "\n").encode("utf-8")}
    writers = _OLD_WRITERS[kind]

    def make_old(ext: str) -> Callable[[], bytes]:
        def build() -> bytes:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{kind}.{ext}"
            writers[ext](result, path)
            try:
                return path.read_bytes()
            finally:
                path.unlink(missing_ok=True)

        return build

    return {ext: make_old(ext) for ext in writers}


def frame(result: Any, kind: str) -> Any:
    """The result as a pandas DataFrame: `to_frame()` when the result has it, else its CSV table."""
    if hasattr(result, "to_frame"):
        return result.to_frame()
    import pandas as pd

    header, rows = _OLD_TABLES[kind](result)
    return pd.DataFrame(rows, columns=header)


def _dup_xlsx(result: Any, path: Path) -> None:
    from ..records.report import write_duplicate_outputs

    write_duplicate_outputs(result, xlsx=path, overwrite=True)


def _dup_csv(result: Any, path: Path) -> None:
    from ..records.report import write_duplicate_outputs

    write_duplicate_outputs(result, csv_path=path, overwrite=True)


def _dup_json(result: Any, path: Path) -> None:
    from ..records.report import write_duplicate_outputs

    write_duplicate_outputs(result, json_path=path, overwrite=True)


def _dup_table(result: Any) -> tuple[list[str], list[list[Any]]]:
    from ..records.report import CSV_HEADER, csv_rows

    return list(CSV_HEADER), csv_rows(result)


def _groups_xlsx(result: Any, path: Path) -> None:
    from ..groups import write_report

    write_report(result, path, overwrite=True)


def _groups_csv(result: Any, path: Path) -> None:
    from ..groups import write_csv_result

    write_csv_result(result, path, overwrite=True)


def _groups_json(result: Any, path: Path) -> None:
    from ..groups import write_json_result

    write_json_result(result, path, overwrite=True)


def _groups_table(result: Any) -> tuple[list[str], list[list[Any]]]:
    p = result.problem
    header = ["학번", "성명", "모둠"] if p.names else ["학번", "모둠"]
    rows: list[list[Any]] = []
    for i, g in enumerate(result.assignment):
        rows.append([p.ids[i], p.names[i], g + 1] if p.names else [p.ids[i], g + 1])
    return header, rows


def _lms_xlsx(result: Any, path: Path) -> None:
    from ..lms.report import write_report_xlsx

    write_report_xlsx(result, path, overwrite=True)


def _lms_csv(result: Any, path: Path) -> None:
    from ..lms.report import write_report_csv

    write_report_csv(result, path, overwrite=True)


def _lms_json(result: Any, path: Path) -> None:
    from ..lms.report import write_report_json

    write_report_json(result, path, overwrite=True)


def _lms_table(result: Any) -> tuple[list[str], list[list[Any]]]:
    from ..lms.report import CSV_HEADER, report_csv_rows

    return list(CSV_HEADER), report_csv_rows(result)


_OLD_WRITERS: dict[str, dict[str, Callable[[Any, Path], None]]] = {
    "duplicates": {"xlsx": _dup_xlsx, "csv": _dup_csv, "json": _dup_json},
    "groups": {"xlsx": _groups_xlsx, "csv": _groups_csv, "json": _groups_json},
    "missing": {"xlsx": _lms_xlsx, "csv": _lms_csv, "json": _lms_json},
}
_OLD_TABLES: dict[str, Callable[[Any], tuple[list[str], list[list[Any]]]]] = {
    "duplicates": _dup_table,
    "groups": _groups_table,
    "missing": _lms_table,
}


def to_json(result: Any, kind: str) -> dict[str, Any]:
    """The documented JSON of a result (the LMS report had a separate function before the job layer)."""
    if hasattr(result, "to_json"):
        return dict(result.to_json())
    if kind == "missing":
        from ..lms.report import report_to_dict

        return report_to_dict(result)
    raise TypeError(kind)


def warm_up() -> None:
    """Import what the jobs need and load the book catalogue (called once, in the background)."""
    from ..records import find_duplicate_books, read_reading_exports  # noqa: F401
    from ..records.catalog import known_compact_titles
    from ..reports import TemplateReport  # noqa: F401

    known_compact_titles()


# ----- records: duplicate books -----------------------------------------------------------------


def duplicate_methods() -> list[tuple[str, str]]:
    """(name, Korean label) of every duplicate-book method."""
    from ..records import METHODS
    from ..records.report import METHOD_LABELS

    return [(name, METHOD_LABELS.get(name, name)) for name in METHODS]


def check_duplicates(
    paths: Sequence[str | Path],
    *,
    method: str = "default",
    cutoff: float | None = None,
    password: str | None = None,
) -> Any:
    """records duplicates: files/folders -> `DuplicateReport` (findings, counts, to_json)."""
    from ..records import find_duplicate_books, get_method, read_reading_exports

    if not paths:
        raise UsageError("검사할 파일을 올리거나 폴더를 고르세요", field="inputs")
    if cutoff is not None and method != "ratio":
        cutoff = None
    m = get_method(method, cutoff)
    dataset = read_reading_exports(list(paths), password=password, on_file=m.start)
    return find_duplicate_books(dataset, m)


# ----- records: audit (issue 12) ----------------------------------------------------------------

AUDIT_CHECKS = (("length", "글자 수(바이트) 초과"), ("forbidden", "기재 금지 내용"), ("copy", "학생 간 복사"))


def _audit_job() -> tuple[Any, Any] | None:
    try:
        from .. import records

        job = getattr(records, "audit", None)
        if job is None:
            from ..records import audit as job  # type: ignore[attr-defined,no-redef]
        if inspect.ismodule(job):
            job = job.audit
        request = getattr(records, "AuditRequest", None)
        return job, request
    except (ImportError, AttributeError):
        return None


def audit_available() -> bool:
    return _audit_job() is not None


def audit(
    paths: Sequence[str | Path],
    *,
    checks: Sequence[str] = ("length", "forbidden", "copy"),
    year: int | None = None,
) -> Any:
    """records audit: files/folders -> the audit result (its `to_json()` follows issue 12)."""
    found = _audit_job()
    if found is None:
        raise UsageError(
            "생활기록부 점검은 아직 준비되지 않았습니다", hint="다음 판에서 쓸 수 있습니다", field="checks"
        )
    if not paths:
        raise UsageError("점검할 파일을 올리거나 폴더를 고르세요", field="inputs")
    job, request_cls = found
    values: dict[str, Any] = {"inputs": list(paths), "checks": tuple(checks)}
    if year:
        values["year"] = year
    if request_cls is not None:
        return job(request_cls(**values))
    return job(**values)


# ----- rosters and groups -----------------------------------------------------------------------


def roster_columns(path: str | Path, *, id_column: str = "학번", password: str | None = None) -> list[str]:
    """The attribute columns of a roster file, as its header row has them."""
    from ..roster import read_roster

    return list(read_roster(path, id_column=id_column, password=password).columns)


def group_methods() -> list[str]:
    from ..groups import METHODS

    return list(METHODS)


@dataclass
class Progress:
    """What the page shows while solving: filled by the library's callback when it has one."""

    objective: float | None = None
    bound: float | None = None
    gap: float | None = None


def assign_groups(
    roster_path: str | Path,
    *,
    id_column: str = "학번",
    groups: int | None = None,
    size: int | None = None,
    balance: Sequence[str] = (),
    numeric: Sequence[str] = (),
    similar: Sequence[str] = (),
    numeric_tolerance: float = 0.0,
    no_alone: Sequence[str] = (),
    names_apart: bool = False,
    constraints_path: str | Path | None = None,
    method: str = "ilp",
    seed: int = 0,
    time_limit: float = 60.0,
    progress: Callable[[Progress], None] | None = None,
) -> Any:
    """groups assign: roster + options -> `Result` (assignment, evaluation, checks, to_json)."""
    from ..groups import Options, problem_from_roster
    from ..groups import assign_groups as solve
    from ..roster import read_roster

    roster = read_roster(roster_path, id_column=id_column)
    options = Options(
        groups=groups,
        size=size,
        balance=list(balance) or None,
        numeric=list(numeric) or None,
        similar=list(similar) or None,
        numeric_tolerance=numeric_tolerance,
        no_alone=list(no_alone) or None,
        names_apart=names_apart,
        constraints=constraints_path,
    )
    problem = problem_from_roster(roster, options)
    kwargs: dict[str, Any] = {"method": method, "seed": seed, "time_limit": time_limit}
    if progress is not None and "progress" in inspect.signature(solve).parameters:

        def report(*args: Any, **kw: Any) -> None:
            info = args[0] if args else kw
            get = info.get if isinstance(info, dict) else (lambda k: getattr(info, k, None))
            progress(Progress(get("objective"), get("bound"), get("gap")))

        kwargs["progress"] = report
    return solve(problem, **kwargs)


def rescore(result: Any, assignment: Sequence[int]) -> Any:
    """The same problem with a hand-edited assignment (0-based), scored by the library's evaluation."""
    from ..groups.result import make_result

    if list(assignment) == list(result.assignment):
        return result
    return make_result(
        result.problem,
        list(assignment),
        method=result.method,
        solver=result.solver,
        status="feasible",
        bound=result.bound,
        seconds=result.seconds,
        notes=[*result.notes, "교사가 손으로 학생을 옮겼습니다"],
    )


def group_summary(result: Any) -> list[list[Any]]:
    """Header row, one row per group, then the standard-deviation row (as in the report)."""
    from ..groups.report import summary_grid

    return summary_grid(result)


def group_status(result: Any) -> str:
    from ..groups import status_line

    return status_line(result)


def constraint_rows(result: Any) -> list[dict[str, Any]]:
    """The hard-rule check of a result, one row per rule, in Korean."""
    from ..groups.evaluate import CHECK_LABELS

    p = result.problem
    out = []
    for c in result.checks.items:
        out.append(
            {
                "종류": CHECK_LABELS.get(c.kind, c.kind),
                "학번": ", ".join(p.ids[i] for i in c.members) if c.kind not in ("size", "no_alone") else "",
                "내용": c.detail + (f" [{c.source}]" if c.source else ""),
                "지켜짐": "예" if c.ok else "아니오",
            }
        )
    return out


# ----- LMS --------------------------------------------------------------------------------------


def lms_drivers() -> list[str]:
    from ..lms.base import driver_names

    return [d for d in driver_names() if d != "browser"]


def lms_config(path_text: str | None) -> tuple[Path | None, list[str]]:
    """The settings file (given, $SCHOOLAUTO_CONFIG or ./schoolauto.toml) and its [lms.*] names."""
    from ..lms.config import find_config, load_config

    path = find_config(path_text or None)
    cfg = load_config(path)
    table = cfg.get("lms", {})
    return path, sorted(table) if isinstance(table, dict) else []


@dataclass
class LmsRun:
    report: Any
    conn: Any
    cfg: dict[str, Any]
    config_path: Path | None


def _connection(
    *, config_path: str | None, name: str | None, driver: str | None, url: str | None, username: str | None
) -> tuple[Any, dict[str, Any], Path | None]:
    from ..lms.base import Connection
    from ..lms.config import connection_from_config, find_config, load_config

    path = find_config(config_path or None)
    cfg = load_config(path)
    if name:
        if path is None:
            raise UsageError("저장된 연결을 쓰려면 설정 파일이 필요합니다", field="config")
        conn = connection_from_config(cfg, name, path)
    else:
        if not driver:
            raise UsageError("드라이버를 고르세요", field="driver")
        if not url:
            raise UsageError("LMS 주소를 적으세요", field="url")
        conn = Connection(name=driver, driver=driver, url=url, username=username or None)
    return conn, cfg, path


def collect_missing(
    *,
    config_path: str | None = None,
    name: str | None = None,
    driver: str | None = None,
    url: str | None = None,
    username: str | None = None,
    password: str | None = None,
    remember_password: bool = False,
) -> LmsRun:
    """lms missing: a connection -> `MissingReport`. The password is used for this run only;
    without one the environment variable or the OS keyring is used, as in the CLI."""
    from ..lms.base import make_driver
    from ..lms.config import KEYRING_SERVICE, lms_secret, state_dir
    from ..lms.report import collect_missing as collect
    from ..lms.runlock import run_lock

    conn, cfg, path = _connection(
        config_path=config_path, name=name, driver=driver, url=url, username=username
    )
    secret = password or lms_secret(conn, interactive=False)
    with run_lock(state_dir() / "lms.lock"), make_driver(conn, secret) as drv:
        report = collect(drv, lms_name=conn.name, classes=conn.classes, kinds=conn.kinds)
    if password and remember_password:
        import keyring

        keyring.set_password(KEYRING_SERVICE, f"{conn.name}:{conn.username or ''}", password)
    return LmsRun(report, conn, cfg, path)


def remind(
    run: LmsRun,
    *,
    roster_path: str | Path | None,
    digest: bool = False,
    statuses: Sequence[str] = ("not_started", "started"),
    send: bool = False,
) -> Any:
    """lms remind: preview (send=False) or send the reminders; the same once-a-day state as the CLI."""
    from ..lms.config import state_dir
    from ..lms.remind import run_remind
    from ..lms.runlock import run_lock

    with run_lock(state_dir() / "lms.lock"):
        result = run_remind(
            run.report,
            conn=run.conn,
            cfg=run.cfg,
            config_path=run.config_path,
            roster=str(roster_path) if roster_path else None,
            digest=digest,
            template=None,
            statuses=tuple(statuses) or ("not_started", "started"),
            send=send,
            interactive=False,
        )
    # The preview's last line tells a terminal user which flag sends; the page has its own button.
    result.lines = [line.replace(" 실제로 보내려면 --send 를 붙이세요.", "") for line in result.lines]
    return result


# ----- synthetic data ---------------------------------------------------------------------------


def generate_roster(
    folder: Path,
    *,
    students: int,
    grades: Sequence[int] = (1,),
    classes: int = 1,
    seed: int = 0,
    fmt: str = "xlsx",
) -> Path:
    """roster generate: a synthetic roster file in `folder`."""
    from ..roster import generate_roster as make
    from ..roster import write_roster

    if not grades:
        raise UsageError("학년을 하나 이상 고르세요", field="grades")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"가상_명렬표.{fmt}"
    people = make(students, grades=tuple(grades), classes=classes, seed=seed)
    return write_roster(people, path, overwrite=True)


def generate_exports(
    folder: Path, *, students: int, grade: int = 3, class_size: int = 30, seed: int = 0, fmt: str = "xlsx"
) -> Path:
    """records generate: synthetic 독서활동상황 exports (one per class) and gold.csv, zipped."""
    from ..records.generate import generate_reading_exports

    out = folder / "exports"
    made = generate_reading_exports(
        out, students=students, grade=grade, class_size=class_size, formats=[fmt], seed=seed, overwrite=True
    )
    archive = folder / "가상_독서활동상황.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in [*made.files, made.gold]:
            zf.write(f, arcname=Path(f).name)
    return archive
