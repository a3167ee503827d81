"""The one output protocol every job result follows: xlsx from a template, JSON, CSV, a DataFrame.

A job returns a result that implements `Reportable`; `write_outputs` turns it into the files an
`OutputRequest` asks for, all or nothing. The CLI maps its `--out/--json/--csv/--template/
--overwrite` options onto an `OutputRequest`, the web page its download buttons onto `render`.

    from schoolauto.outputs import OutputRequest, write_outputs
    write_outputs(report, OutputRequest(out="중복.xlsx", json="중복.json"))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from .errors import DependencyError, UsageError
from .fileio import check_writable, commit_files, csv_bytes, json_text

if TYPE_CHECKING:
    from .reports.engine import TemplateReport

STDOUT = "-"


@runtime_checkable
class Reportable(Protocol):
    """What every job result offers. `fill_template` uses only the markers found in the template."""

    template_name: ClassVar[str]

    def to_json(self) -> dict[str, Any]: ...

    def csv_table(self) -> tuple[list[str], list[list[Any]]]: ...

    def fill_template(self, doc: TemplateReport) -> None: ...


@dataclass
class OutputRequest:
    """Which outputs to write. `json="-"` means standard output (the caller prints `json_of`)."""

    out: str | Path | None = None  # the xlsx report
    json: str | Path | None = None
    csv: str | Path | None = None
    template: str | Path | None = None  # a template path or bare name; None: the result's own
    overwrite: bool = False
    password: str | None = None  # encrypt the xlsx report with this password
    csv_encoding: str = "utf-8-sig"

    def files(self) -> list[tuple[str, Path]]:
        """(field, path) of every output that is a file, in a fixed order."""
        out: list[tuple[str, Path]] = []
        for name in ("out", "json", "csv"):
            value = getattr(self, name)
            if value and str(value) != STDOUT:
                out.append((name, Path(value)))
        return out

    @property
    def any(self) -> bool:
        return bool(self.out or self.json or self.csv)


def check_outputs(request: OutputRequest, inputs: Sequence[str | Path] = ()) -> None:
    """Check every destination before the work starts, so a long run never fails at its end."""
    if request.out and str(request.out) == STDOUT:
        raise UsageError("엑셀 보고서는 화면으로 보낼 수 없습니다", hint="파일 이름을 주세요", field="out")
    if request.csv and str(request.csv) == STDOUT:
        raise UsageError("CSV 는 화면으로 보낼 수 없습니다", hint="파일 이름을 주세요", field="csv")
    if request.out and Path(request.out).suffix.lower() != ".xlsx":
        raise UsageError("엑셀 보고서는 .xlsx 파일이어야 합니다", path=request.out, field="out")
    if request.password and not request.out:
        raise UsageError("암호는 엑셀 보고서에만 걸 수 있습니다", field="password")
    resolved_inputs = {_resolve(i) for i in inputs}
    seen: dict[Path, str] = {}
    for field, path in request.files():
        key = _resolve(path)
        if key in resolved_inputs:
            raise UsageError(
                "출력 파일이 입력 파일과 같습니다: 입력 파일은 바꾸지 않습니다", path=path, field=field
            )
        if key in seen:
            raise UsageError("두 출력이 같은 파일을 가리킵니다", path=path, field=field)
        seen[key] = field
        check_writable(path, overwrite=request.overwrite, field=field)


def _resolve(path: str | Path) -> Path:
    try:
        return Path(path).resolve()
    except OSError:
        return Path(path).absolute()


def json_of(result: Reportable) -> str:
    return json_text(result.to_json())


def render_xlsx(result: Reportable, template: str | Path | None = None, password: str | None = None) -> bytes:
    from .reports.engine import TemplateReport

    doc = TemplateReport(template or result.template_name)
    result.fill_template(doc)
    return doc.to_bytes(password)


def render_csv(result: Reportable, encoding: str = "utf-8-sig") -> bytes:
    header, rows = result.csv_table()
    return csv_bytes(header, rows, encoding=encoding)


def render(result: Reportable, request: OutputRequest) -> list[tuple[str, Path, bytes]]:
    """(field, destination, bytes) for every file output, rendered in memory (nothing written)."""
    out: list[tuple[str, Path, bytes]] = []
    for field, path in request.files():
        if field == "out":
            data = render_xlsx(result, request.template, request.password)
        elif field == "json":
            data = (json_of(result) + "\n").encode("utf-8")
        else:
            data = render_csv(result, request.csv_encoding)
        out.append((field, path, data))
    return out


def write_outputs(
    result: Reportable, request: OutputRequest, inputs: Sequence[str | Path] = ()
) -> list[Path]:
    """Write every file the request asks for, all or nothing; returns the paths written."""
    check_outputs(request, inputs)
    rendered = render(result, request)
    return commit_files([(path, data) for _, path, data in rendered], overwrite=request.overwrite)


def frame_of(result: Reportable) -> Any:
    """The result's CSV table as a pandas DataFrame (for the web page and for Jupyter)."""
    try:
        import pandas as pd
    except ImportError:
        raise DependencyError(
            "표로 바꾸려면 pandas 가 필요합니다", hint="pip install 'schoolauto[ui]'"
        ) from None
    header, rows = result.csv_table()
    return pd.DataFrame(rows, columns=header)
