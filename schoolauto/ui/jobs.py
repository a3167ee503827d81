"""The web page's ONE door into the library: one small function per job.

Each function takes plain values from the widgets, builds the job's typed request, calls the job
and returns its result (or raises the library's own `SchoolautoError`). Every result implements
`outputs.Reportable`: the pages read it through `to_json()` / `to_frame()`, and its downloads are
rendered in memory by `outputs.render`. The pages never import a domain module.

Which library call each adapter makes is listed in docs/ui.md ("Adapter map").
"""

from __future__ import annotations

import contextlib
import gc
import io
import threading
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UsageError

if TYPE_CHECKING:
    from ..groups import AssignResult
    from ..groups import Progress as SolverProgress
    from ..lms import ConnectionRequest, MissingReport, RemindResult
    from ..outputs import Reportable
    from ..records import DuplicateReport
    from ..records.audit import AuditResult

_gc_lock = threading.Lock()
_gc_pauses = 0


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a check runs.

    The server keeps every open session's results alive, and a check allocates hundreds of
    thousands of short-lived, acyclic objects: each full collection would scan all of that again
    (measured: a 1,000-student check 2x slower). Reference counting frees the garbage anyway.
    """
    global _gc_pauses
    with _gc_lock:
        _gc_pauses += 1
        if _gc_pauses == 1:
            gc.disable()
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0:
                gc.enable()


# ----- shared rendering -------------------------------------------------------------------------


def _render_one(result: Reportable, ext: str, name: str) -> bytes:
    """The bytes of one output ("xlsx", "csv" or "json") of a result, rendered in memory."""
    from ..outputs import OutputRequest, render

    path = Path(name)
    request = OutputRequest(
        out=path if ext == "xlsx" else None,
        csv=path if ext == "csv" else None,
        json=path if ext == "json" else None,
    )
    return render(result, request)[0][2]


def downloads(result: Reportable) -> dict[str, Callable[[], bytes]]:
    """{"xlsx"|"csv"|"json": a function making that file's bytes}, rendered by `outputs.render`
    when the download button is pressed (nothing is written)."""

    def make(ext: str, name: str) -> Callable[[], bytes]:
        return lambda: _render_one(result, ext, name)

    return {
        "xlsx": make("xlsx", "보고서.xlsx"),
        "csv": make("csv", "결과.csv"),
        "json": make("json", "결과.json"),
    }


def warm_up() -> None:
    """Import what the jobs need and load the book catalogue (called once, in the background)."""
    from ..records import DuplicateCheckRequest, check_duplicates  # noqa: F401
    from ..records.catalog import known_compact_titles
    from ..reports import TemplateReport  # noqa: F401

    known_compact_titles()


# ----- records: duplicate books -----------------------------------------------------------------


def duplicate_methods() -> list[tuple[str, str]]:
    """(name, Korean label) of every duplicate-book method (from the methods registry)."""
    from ..records import METHODS

    return [(e.name, e.label) for e in METHODS.items()]


def check_duplicates(
    paths: Sequence[str | Path],
    *,
    method: str = "default",
    cutoff: float | None = None,
    password: str | None = None,
) -> DuplicateReport:
    """records duplicates: files/folders -> `DuplicateReport`."""
    from ..records import DuplicateCheckRequest, check_duplicates

    if not paths:
        raise UsageError("검사할 파일을 올리거나 폴더를 고르세요", field="inputs")
    if method != "ratio":
        cutoff = None
    request = DuplicateCheckRequest(inputs=list(paths), method=method, cutoff=cutoff, password=password)
    with _gc_paused():
        return check_duplicates(request)


# ----- records: audit ---------------------------------------------------------------------------


def audit_checks() -> list[tuple[str, str]]:
    """(name, Korean label) of every audit check, from the library."""
    from ..records.audit import CHECK_LABELS, CHECKS

    return [(name, CHECK_LABELS[name]) for name in CHECKS]


def audit(
    paths: Sequence[str | Path],
    *,
    checks: Sequence[str] = ("length", "forbidden", "copy"),
    year: int | None = None,
) -> AuditResult:
    """records audit: files/folders -> `AuditResult`."""
    from ..records.audit import AuditRequest, audit

    if not paths:
        raise UsageError("점검할 파일을 올리거나 폴더를 고르세요", field="inputs")
    with _gc_paused():
        return audit(AuditRequest(inputs=list(paths), checks=tuple(checks), year=year or None))


# ----- rosters and groups -----------------------------------------------------------------------


def roster_columns(path: str | Path, *, id_column: str = "학번", password: str | None = None) -> list[str]:
    """The attribute columns of a roster file, as its header row has them."""
    from ..roster import read_roster

    return list(read_roster(path, id_column=id_column, password=password).columns)


def group_methods() -> list[str]:
    from ..groups import METHODS

    return list(METHODS.names())


@dataclass
class Progress:
    """What the page shows while solving, from the solver's progress reports."""

    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    stage: str | None = None


def _progress_adapter(progress: Callable[[Progress], None]) -> Callable[[SolverProgress], None]:
    def report(p: SolverProgress) -> None:
        progress(Progress(p.objective, p.bound, p.gap, p.stage))

    return report


def assign_groups(
    roster_path: str | Path,
    *,
    id_column: str = "학번",
    groups: int | None = None,
    size: int | None = None,
    balance: Sequence[tuple[str, float]] = (),
    numeric: Sequence[tuple[str, float]] = (),
    similar: Sequence[tuple[str, float]] = (),
    numeric_tolerance: float = 0.0,
    no_alone: str = "",
    names_apart: bool = False,
    constraints_path: str | Path | None = None,
    method: str = "ilp",
    seed: int = 0,
    time_limit: float = 60.0,
    progress: Callable[[Progress], None] | None = None,
) -> AssignResult:
    """groups assign: roster + (column, weight) choices -> `AssignResult`."""
    from ..groups import AssignRequest, ColumnWeight, assign, parse_column_values

    request = AssignRequest(
        roster=roster_path,
        id_column=id_column,
        groups=groups,
        size=size,
        balance=[ColumnWeight(c, w) for c, w in balance],
        numeric=[ColumnWeight(c, w) for c, w in numeric],
        similar=[ColumnWeight(c, w) for c, w in similar],
        numeric_tolerance=numeric_tolerance,
        no_alone=parse_column_values(no_alone, "no_alone"),
        names_apart=names_apart,
        constraints=constraints_path,
        method=method,
        seed=seed,
        time_limit=time_limit,
        progress=None if progress is None else _progress_adapter(progress),
    )
    return assign(request)


def rescore(result: AssignResult, assignment: Sequence[int]) -> AssignResult:
    """The same result with a hand-edited assignment (0-based), scored by the library."""
    return result.with_assignment(list(assignment))


def group_summary(result: AssignResult) -> list[list[Any]]:
    """Header row, one row per group, then the standard-deviation row (as in the report)."""
    return result.summary_grid()


def group_status(result: AssignResult) -> str:
    return result.status_line()


def constraint_rows(result: AssignResult) -> list[dict[str, Any]]:
    """The hard-rule check of a result, one row per rule, in Korean."""
    from ..groups import CHECK_LABELS

    p = result.problem
    return [
        {
            "종류": CHECK_LABELS.get(c.kind, c.kind),
            "학번": ", ".join(p.ids[i] for i in c.members) if c.kind not in ("size", "no_alone") else "",
            "내용": c.detail + (f" [{c.source}]" if c.source else ""),
            "지켜짐": "예" if c.ok else "아니오",
        }
        for c in result.checks.items
    ]


# ----- LMS --------------------------------------------------------------------------------------


def lms_drivers() -> list[str]:
    from ..lms import driver_names

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
    """One collection: the report, and the connection it came from (for the reminders that follow)."""

    report: MissingReport
    request: ConnectionRequest


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
    """lms missing: a connection -> `MissingReport`, under the CLI's run lock. Without a typed
    password the job takes it from the environment variable or the OS keyring, as in the CLI; a
    typed one is used for this run only (kept in memory; saved to the OS keyring if asked)."""
    from ..lms import ConnectionRequest, MissingRequest, collect_missing, resolve_connection
    from ..lms.config import state_dir, store_secret
    from ..lms.runlock import run_lock

    request = ConnectionRequest(
        config=config_path or None, lms=name, driver=None if name else driver,
        url=None if name else (url or None), username=None if name else (username or None),
    )  # fmt: skip
    with run_lock(state_dir() / "lms.lock"):
        report = collect_missing(
            MissingRequest(connection=request, interactive=False, password=password or None)
        )
    if password and remember_password:
        store_secret(resolve_connection(request)[0], password)
    return LmsRun(report, request)


def remind(
    run: LmsRun,
    *,
    roster_path: str | Path | None,
    digest: bool = False,
    statuses: Sequence[str] = (),
    send: bool = False,
) -> RemindResult:
    """lms remind: preview (send=False) or send the reminders for the report already collected;
    the same once-a-day state and lock as the CLI."""
    from ..lms import RemindRequest, send_reminders
    from ..lms.config import state_dir
    from ..lms.remind import STATUSES
    from ..lms.runlock import run_lock

    request = RemindRequest(
        connection=run.request,
        roster=roster_path,
        digest=digest,
        statuses=tuple(statuses) or STATUSES,
        send=send,
        interactive=False,
        report=run.report,
    )
    with run_lock(state_dir() / "lms.lock"):
        return send_reminders(request)


def reminder_lines(result: RemindResult) -> list[str]:
    """Every message of a reminder result as text (a dry run: what would be sent), the summary last."""
    return result.lines()


# ----- synthetic data ---------------------------------------------------------------------------


def generate_roster(
    *,
    students: int,
    grades: Sequence[int] = (1,),
    classes: int = 1,
    seed: int = 0,
    fmt: str = "xlsx",
) -> tuple[str, bytes]:
    """roster generate: (file name, bytes) of a synthetic roster, rendered in memory."""
    from ..roster import RosterRequest, generate

    if not grades:
        raise UsageError("학년을 하나 이상 고르세요", field="grades")
    result = generate(RosterRequest(students=students, grades=tuple(grades), classes=classes, seed=seed))
    name = f"가상_명렬표.{fmt}"
    return name, _render_one(result, "csv" if fmt == "csv" else "xlsx", name)


def generate_exports(
    folder: Path, *, students: int, grade: int = 3, class_size: int = 30, seed: int = 0, fmt: str = "xlsx"
) -> tuple[str, bytes]:
    """records generate: synthetic 독서활동상황 exports (one per class, made in `folder`) and the
    gold file, as (zip name, zip bytes)."""
    from ..records import GenerateRequest, generate

    request = GenerateRequest(
        out_dir=folder / "exports", students=students, grade=grade, class_size=class_size,
        format=(fmt,), seed=seed, overwrite=True,
    )  # fmt: skip
    made = generate(request)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in [*made.files, made.gold]:
            zf.write(f, arcname=Path(f).name)
    return "가상_독서활동상황.zip", buffer.getvalue()
