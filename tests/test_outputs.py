"""The shared output protocol: all-or-nothing writing, early checks, templates found by their markers."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest
from openpyxl import Workbook, load_workbook

from schoolauto import cli
from schoolauto.errors import OutputExistsError, ReportError, UsageError
from schoolauto.outputs import OutputRequest, check_outputs, frame_of, write_outputs
from schoolauto.registry import Registry
from schoolauto.reports import TemplateReport


def _template(path: Path, *, moved: bool = False) -> Path:
    """A small template; `moved` puts the table and grid elsewhere on a renamed sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "다른 이름" if moved else "요약"
    top = 6 if moved else 1
    ws.cell(top, 1, "{{title}}")
    ws.cell(top + 2, 3 if moved else 1, "{{counts:grid}}")
    t = wb.create_sheet("목록 (옮김)" if moved else "목록")
    start = 4 if moved else 2
    col = 2 if moved else 1
    t.cell(start - 1, col, "이름")
    t.cell(start - 1, col + 1, "점수")
    t.cell(start, col, "{{rows.name}}")
    t.cell(start, col + 1, "{{rows.score}}")
    wb.save(path)
    return path


@dataclass
class Toy:
    template_name: ClassVar[str] = "unused"
    items: list[tuple[str, int]]

    def to_json(self) -> dict[str, Any]:
        return {"items": [{"name": n, "score": s} for n, s in self.items]}

    def csv_table(self) -> tuple[list[str], list[list[Any]]]:
        return ["이름", "점수"], [[n, s] for n, s in self.items]

    def fill_template(self, doc: TemplateReport) -> None:
        doc.fill({"title": "제목"})
        doc.fill_grid("counts", [["값", "수"], ["가", 1], ["나", 2]])
        doc.fill_table("rows", [{"name": n, "score": s} for n, s in self.items])


TOY = Toy([("김가", 3), ("=이나", 5)])


@pytest.mark.parametrize("moved", [False, True])
def test_template_markers_are_found_wherever_the_teacher_moved_them(tmp_path: Path, moved: bool) -> None:
    tpl = _template(tmp_path / "t.xlsx", moved=moved)
    out = tmp_path / "r.xlsx"
    write_outputs(TOY, OutputRequest(out=out, template=tpl))
    wb = load_workbook(out)
    summary, table = wb.worksheets
    top = 6 if moved else 1
    assert summary.cell(top, 1).value == "제목"
    gcol = 3 if moved else 1
    assert [[summary.cell(top + 2 + r, gcol + c).value for c in range(2)] for r in range(3)] == [
        ["값", "수"],
        ["가", 1],
        ["나", 2],
    ]
    start, col = (4, 2) if moved else (2, 1)
    assert [[table.cell(start + r, col + c).value for c in range(2)] for r in range(2)] == [
        ["김가", 3],
        ["=이나", 5],
    ]
    assert table.cell(start + 1, col).data_type == "s"  # never a formula


def test_all_outputs_or_none(tmp_path: Path) -> None:
    tpl = _template(tmp_path / "t.xlsx")
    req = OutputRequest(
        out=tmp_path / "r.xlsx", json=tmp_path / "r.json", csv=tmp_path / "r.csv", template=tpl
    )
    written = write_outputs(TOY, req)
    assert [p.name for p in written] == ["r.xlsx", "r.json", "r.csv"]
    assert json.loads((tmp_path / "r.json").read_text("utf-8")) == TOY.to_json()
    assert (tmp_path / "r.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert "'=이나" in (tmp_path / "r.csv").read_text("utf-8-sig")  # formula injection neutralised


def test_a_failing_output_leaves_nothing_behind(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    os.chmod(ro, 0o500)
    if os.access(ro, os.W_OK) and os.geteuid() == 0:
        # root writes anywhere: make the third destination fail another way (a folder in its place)
        bad = tmp_path / "r.csv"
        bad.mkdir()
    else:
        bad = ro / "r.csv"
    req = OutputRequest(
        out=tmp_path / "r.xlsx", json=tmp_path / "r.json", csv=bad, template=_template(tmp_path / "t.xlsx")
    )
    with pytest.raises((UsageError, ReportError)) as err:
        write_outputs(TOY, req)
    assert err.value.field == "csv"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["ro", "t.xlsx"] + (["r.csv"] if bad.is_dir() else [])
    )


def test_existing_output_is_refused_before_any_work_and_kept(tmp_path: Path) -> None:
    (tmp_path / "r.json").write_text("old", "utf-8")
    req = OutputRequest(json=tmp_path / "r.json", csv=tmp_path / "r.csv")
    with pytest.raises(OutputExistsError) as err:
        check_outputs(req)
    assert err.value.field == "json"
    assert (tmp_path / "r.json").read_text("utf-8") == "old"
    req.overwrite = True
    write_outputs(TOY, req)
    assert json.loads((tmp_path / "r.json").read_text("utf-8")) == TOY.to_json()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"out": "r.csv"}, "out"),
        ({"out": "-"}, "out"),
        ({"csv": "-"}, "csv"),
        ({"json": "a.json", "csv": "a.json"}, "csv"),
        ({"json": "in.xlsx"}, "json"),
        ({"csv": "missing-folder/r.csv"}, "csv"),
    ],
)
def test_bad_destinations_name_their_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kwargs: dict[str, str], field: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("in.xlsx").write_bytes(b"x")
    with pytest.raises(UsageError) as err:
        check_outputs(OutputRequest(**kwargs), inputs=["in.xlsx"])  # type: ignore[arg-type]
    assert err.value.field == field
    assert "--" not in str(err.value)


def test_outputs_follow_the_umask(tmp_path: Path) -> None:
    write_outputs(TOY, OutputRequest(json=tmp_path / "r.json"))
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "r.json").stat().st_mode & 0o777 == 0o666 & ~umask


def test_frame_of_a_result() -> None:
    frame = frame_of(TOY)
    assert list(frame.columns) == ["이름", "점수"]
    assert frame["점수"].tolist() == [3, 5]


def test_registry_names_unknown_backends_by_field() -> None:
    reg: Registry[int] = Registry("방법")
    reg.register("a", 1, label="가")
    reg.register("b", 2)
    assert reg.names() == ["a", "b"]
    assert reg.get("b") == 2
    assert reg.help() == "a(가), b"
    with pytest.raises(UsageError) as err:
        reg.get("c", field="method")
    assert err.value.field == "method"
    assert str(err.value) == "알 수 없는 방법 'c' 입니다 (가능한 값: a, b)"


def test_global_flags_anywhere() -> None:
    assert cli._hoist_global_flags(["roster", "generate", "--debug", "-q", "--", "-v"]) == [
        "--debug",
        "-q",
        "roster",
        "generate",
        "--",
        "-v",
    ]


def test_error_fields_become_the_commands_flags() -> None:
    parser = cli.build_parser()
    args = parser.parse_args(["roster", "generate", "--out", "x.xlsx"])
    exc = UsageError("0보다 커야 합니다", field="students")
    assert cli.error_message(exc, args) == "--students: 0보다 커야 합니다"
    exists = OutputExistsError(
        "출력 파일이 이미 있습니다", path="x.xlsx", field="out", hint="다른 이름을 주세요"
    )
    assert cli.error_message(exists, args) == (
        "파일 x.xlsx: 출력 파일이 이미 있습니다 (다른 이름을 주거나 --overwrite 를 붙이세요)"
    )
