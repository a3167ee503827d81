"""The web page's ONE door into the library: one small function per job.

Each function takes plain values from the widgets and returns the library's own result (or raises
the library's own `SchoolautoError`). The pages never import a domain module; when a domain's job
function changes (typed requests on `main`), only the function here is re-pointed.

Which library call each adapter makes today is listed in docs/ui.md ("Adapter map").
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import importlib
import inspect
import re
import threading
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..fileio import json_text

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


def _old(module: str, name: str) -> Any:
    """A library function from before the job layer, looked up at run time (it is gone after the
    merge, and only reached for results that do not implement the output protocol)."""
    return getattr(importlib.import_module(f"schoolauto.{module}"), name)


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
    _old("records.report", "write_duplicate_outputs")(result, xlsx=path, overwrite=True)


def _dup_csv(result: Any, path: Path) -> None:
    _old("records.report", "write_duplicate_outputs")(result, csv_path=path, overwrite=True)


def _dup_json(result: Any, path: Path) -> None:
    _old("records.report", "write_duplicate_outputs")(result, json_path=path, overwrite=True)


def _dup_table(result: Any) -> tuple[list[str], list[list[Any]]]:
    return list(_old("records.report", "CSV_HEADER")), _old("records.report", "csv_rows")(result)


def _groups_xlsx(result: Any, path: Path) -> None:
    _old("groups", "write_report")(result, path, overwrite=True)


def _groups_csv(result: Any, path: Path) -> None:
    _old("groups", "write_csv_result")(result, path, overwrite=True)


def _groups_json(result: Any, path: Path) -> None:
    _old("groups", "write_json_result")(result, path, overwrite=True)


def _groups_table(result: Any) -> tuple[list[str], list[list[Any]]]:
    p = result.problem
    header = ["학번", "성명", "모둠"] if p.names else ["학번", "모둠"]
    rows: list[list[Any]] = []
    for i, g in enumerate(result.assignment):
        rows.append([p.ids[i], p.names[i], g + 1] if p.names else [p.ids[i], g + 1])
    return header, rows


def _lms_xlsx(result: Any, path: Path) -> None:
    _old("lms.report", "write_report_xlsx")(result, path, overwrite=True)


def _lms_csv(result: Any, path: Path) -> None:
    _old("lms.report", "write_report_csv")(result, path, overwrite=True)


def _lms_json(result: Any, path: Path) -> None:
    _old("lms.report", "write_report_json")(result, path, overwrite=True)


def _lms_table(result: Any) -> tuple[list[str], list[list[Any]]]:
    return list(_old("lms.report", "CSV_HEADER")), _old("lms.report", "report_csv_rows")(result)


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
        return dict(_old("lms.report", "report_to_dict")(result))
    raise TypeError(kind)


def warm_up() -> None:
    """Import what the jobs need and load the book catalogue (called once, in the background)."""
    from ..records import find_duplicate_books, read_reading_exports  # noqa: F401
    from ..records.catalog import known_compact_titles
    from ..reports import TemplateReport  # noqa: F401

    known_compact_titles()


# ----- records: duplicate books -----------------------------------------------------------------


def duplicate_methods() -> list[tuple[str, str]]:
    """(name, Korean label) of every duplicate-book method (from the methods registry)."""
    from ..records import METHODS

    methods: Any = METHODS  # a registry on the job layer, a dict before it
    if not isinstance(methods, dict):
        return [(e.name, e.label) for e in methods.items()]
    labels = _old("records.report", "METHOD_LABELS")
    return [(name, labels.get(name, name)) for name in methods]


def check_duplicates(
    paths: Sequence[str | Path],
    *,
    method: str = "default",
    cutoff: float | None = None,
    password: str | None = None,
) -> Any:
    """records duplicates: files/folders -> `DuplicateReport` (findings, counts, to_json)."""
    from .. import records

    if not paths:
        raise UsageError("검사할 파일을 올리거나 폴더를 고르세요", field="inputs")
    if cutoff is not None and method != "ratio":
        cutoff = None
    request_cls = getattr(records, "DuplicateCheckRequest", None)
    with _gc_paused():
        if request_cls is not None:  # the job layer
            request = request_cls(inputs=list(paths), method=method, cutoff=cutoff, password=password)
            return records.check_duplicates(request)  # type: ignore[attr-defined]
        m = records.get_method(method, cutoff)
        dataset = records.read_reading_exports(list(paths), password=password, on_file=m.start)
        return records.find_duplicate_books(dataset, m)


# ----- records: audit (issue 12) ----------------------------------------------------------------

AUDIT_CHECKS = (
    ("length", "글자 수(바이트) 초과"),
    ("forbidden", "기재 금지 내용"),
    ("copy", "학생 간 같은 문장"),
)


def _audit_job() -> tuple[Any, Any] | None:
    """(the audit job, its request class), from `schoolauto.records.audit` once it exists."""
    try:
        module = importlib.import_module("schoolauto.records.audit")
    except ImportError:
        return None
    job = getattr(module, "audit", None)
    request = getattr(module, "AuditRequest", None)
    if job is None or request is None:
        return None
    return job, request


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
    with _gc_paused():
        return job(request_cls(inputs=list(paths), checks=tuple(checks), year=year or None))


# ----- rosters and groups -----------------------------------------------------------------------


def roster_columns(path: str | Path, *, id_column: str = "학번", password: str | None = None) -> list[str]:
    """The attribute columns of a roster file, as its header row has them."""
    from ..roster import read_roster

    return list(read_roster(path, id_column=id_column, password=password).columns)


def group_methods() -> list[str]:
    from ..groups import METHODS

    methods: Any = METHODS  # a registry on the job layer, a tuple of names before it
    return list(methods.names()) if hasattr(methods, "names") else list(methods)


@dataclass
class Progress:
    """What the page shows while solving: filled by the library's callback when it has one."""

    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    stage: str | None = None


def _progress_adapter(progress: Callable[[Progress], None]) -> Callable[..., None]:
    def report(*args: Any, **kw: Any) -> None:
        info = args[0] if args else kw

        def get(key: str) -> Any:
            return info.get(key) if isinstance(info, dict) else getattr(info, key, None)

        progress(Progress(get("objective"), get("bound"), get("gap"), get("stage")))

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
) -> Any:
    """groups assign: roster + (column, weight) choices -> the result (assignment, evaluation, checks)."""
    from .. import groups as g

    request_cls = getattr(g, "AssignRequest", None)
    if request_cls is not None:  # the job layer
        request = request_cls(
            roster=roster_path,
            id_column=id_column,
            groups=groups,
            size=size,
            balance=[g.ColumnWeight(c, w) for c, w in balance],  # type: ignore[attr-defined]
            numeric=[g.ColumnWeight(c, w) for c, w in numeric],  # type: ignore[attr-defined]
            similar=[g.ColumnWeight(c, w) for c, w in similar],  # type: ignore[attr-defined]
            numeric_tolerance=numeric_tolerance,
            no_alone=g.parse_column_values(no_alone, "no_alone"),  # type: ignore[attr-defined]
            names_apart=names_apart,
            constraints=constraints_path,
            method=method,
            seed=seed,
            time_limit=time_limit,
            progress=None if progress is None else _progress_adapter(progress),
        )
        return g.assign(request)  # type: ignore[attr-defined]

    from ..roster import read_roster

    def spec(items: Sequence[tuple[str, float]]) -> list[str] | None:
        return [c if w == 1.0 else f"{c}={w:g}" for c, w in items] or None

    roster = read_roster(roster_path, id_column=id_column)
    options = g.Options(  # type: ignore[attr-defined]
        groups=groups,
        size=size,
        balance=spec(balance),
        numeric=spec(numeric),
        similar=spec(similar),
        numeric_tolerance=numeric_tolerance,
        no_alone=[v.strip() for v in no_alone.split(",") if v.strip()] or None,
        names_apart=names_apart,
        constraints=constraints_path,
    )
    problem = g.problem_from_roster(roster, options)
    kwargs: dict[str, Any] = {"method": method, "seed": seed, "time_limit": time_limit}
    if progress is not None and "progress" in inspect.signature(g.assign_groups).parameters:
        kwargs["progress"] = _progress_adapter(progress)
    return g.assign_groups(problem, **kwargs)


def rescore(result: Any, assignment: Sequence[int]) -> Any:
    """The same result with a hand-edited assignment (0-based), scored by the library's evaluation."""
    from ..groups import check_constraints, evaluate

    if list(assignment) == list(result.assignment):
        return result
    ev = evaluate(result.problem, list(assignment))
    return dataclasses.replace(
        result,
        assignment=list(assignment),
        evaluation=ev,
        objective=ev.objective,
        checks=check_constraints(result.problem, list(assignment)),
        status="feasible",
        model_objective=None,
        notes=[*result.notes, "교사가 손으로 학생을 옮겼습니다"],
    )


def group_summary(result: Any) -> list[list[Any]]:
    """Header row, one row per group, then the standard-deviation row (as in the report)."""
    if hasattr(result, "summary_grid"):
        return list(result.summary_grid())
    return list(_old("groups.report", "summary_grid")(result))


def group_status(result: Any) -> str:
    if hasattr(result, "status_line"):
        return str(result.status_line())
    return str(_old("groups", "status_line")(result))


def _check_labels() -> Any:
    try:
        return _old("groups.scoring", "CHECK_LABELS")
    except ImportError:
        return _old("groups.evaluate", "CHECK_LABELS")


def constraint_rows(result: Any) -> list[dict[str, Any]]:
    """The hard-rule check of a result, one row per rule, in Korean."""
    labels = _check_labels()
    p = result.problem
    out = []
    for c in result.checks.items:
        out.append(
            {
                "종류": labels.get(c.kind, c.kind),
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
    """One collection: the report, and how it was reached (for the reminders that follow)."""

    report: Any
    conn: Any
    cfg: dict[str, Any]
    config_path: Path | None
    request: Any = None  # the job layer's ConnectionRequest


def _new_lms() -> Any:
    from .. import lms

    return lms if hasattr(lms, "send_reminders") else None


def _connection(
    *, config_path: str | None, name: str | None, driver: str | None, url: str | None, username: str | None
) -> tuple[Any, dict[str, Any], Path | None, Any]:
    lms = _new_lms()
    if lms is not None:  # the job layer
        request = lms.ConnectionRequest(
            config=config_path or None, lms=name, driver=None if name else driver,
            url=None if name else (url or None), username=None if name else (username or None),
        )  # fmt: skip
        conn, cfg, path = lms.resolve_connection(request)
        return conn, cfg, path, request

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
    return conn, cfg, path, None


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
    """lms missing: a connection -> `MissingReport`. A typed password is used for this run only (kept
    in memory); without one the environment variable or the OS keyring is used, as in the CLI."""
    from ..lms.config import KEYRING_SERVICE, lms_secret, state_dir
    from ..lms.runlock import run_lock

    conn, cfg, path, request = _connection(
        config_path=config_path, name=name, driver=driver, url=url, username=username
    )
    secret = password or lms_secret(conn, interactive=False)
    with run_lock(state_dir() / "lms.lock"):
        if request is not None:  # the job layer
            report = _old("lms.missing", "read_missing")(conn, secret, None)
        else:
            from ..lms.base import make_driver

            collect = _old("lms.report", "collect_missing")
            with make_driver(conn, secret) as drv:
                report = collect(drv, lms_name=conn.name, classes=conn.classes, kinds=conn.kinds)
    if password and remember_password:
        import keyring

        keyring.set_password(KEYRING_SERVICE, f"{conn.name}:{conn.username or ''}", password)
    return LmsRun(report, conn, cfg, path, request)


def remind(
    run: LmsRun,
    *,
    roster_path: str | Path | None,
    digest: bool = False,
    statuses: Sequence[str] = ("not_started", "started"),
    send: bool = False,
) -> Any:
    """lms remind: preview (send=False) or send the reminders for the report already collected;
    the same once-a-day state and lock as the CLI."""
    from ..lms.config import state_dir
    from ..lms.runlock import run_lock

    lms = _new_lms()
    with run_lock(state_dir() / "lms.lock"):
        if lms is not None and run.request is not None:  # the job layer
            return lms.send_reminders(
                lms.RemindRequest(
                    connection=run.request,
                    roster=roster_path,
                    digest=digest,
                    statuses=tuple(statuses) or ("not_started", "started"),
                    send=send,
                    interactive=False,
                    report=run.report,
                )
            )
        return _old("lms.remind", "run_remind")(
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


def reminder_lines(result: Any) -> list[str]:
    """Every message of a reminder result as text (a dry run: what would be sent), the summary last."""
    if hasattr(result, "lines"):  # before the job layer the result was its printed lines
        # Its last line tells a terminal user which option sends; the page has its own button.
        return [re.sub(r" 실제로 보내려면 .* 붙이세요\.$", "", line) for line in result.lines]
    lines: list[str] = [f"메일 주소 없음: {who} (명단에 추가하세요)" for who in result.no_address]
    if not result.sent_for_real:
        for m in result.planned:
            lines += ["-" * 60, f"받는 사람: {m.to}", f"제목: {m.subject}", "", m.body.rstrip()]
        lines.append("-" * 60)
        lines.append(
            f"미리보기: 보낼 메일 {len(result.planned)}통, 오늘 이미 보낸 {len(result.skipped_today)}통 건너뜀, "
            f"주소 없음 {len(result.no_address)}명."
        )
        return lines
    lines += [f"보내지 못함: {f.message.to} ({f.reason})" for f in result.failed]
    lines.append(
        f"보냄 {len(result.sent)}통, 오늘 이미 보내서 건너뜀 {len(result.skipped_today)}통, "
        f"실패 {len(result.failed)}통, 주소 없음 {len(result.no_address)}명"
    )
    return lines


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
