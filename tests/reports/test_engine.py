"""The report engine on a real template workbook: placeholders, tables, copies, safety, encryption."""

from __future__ import annotations

import io
from pathlib import Path

import msoffcrypto
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from schoolauto.errors import OutputExistsError, ReportError
from schoolauto.reports import Cell, TemplateReport, diff_rich_text


@pytest.fixture
def template(tmp_path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "목록"
    ws["A1"] = "{{school}} 명단 ({{count}}명)"
    ws["C1"] = "{{count}}"
    ws.append([])
    ws.append(["이름", "점수", "메모"])
    ws.append(["{{people.name}}", "{{people.score}}", "{{people.note}}"])
    ws["A4"].font = Font(bold=True, color="FF0000FF")
    wb.create_sheet("반 서식")["A1"] = "{{klass}}반"
    path = tmp_path / "t.xlsx"
    wb.save(path)
    return path


def test_fill_and_table(template: Path, tmp_path: Path) -> None:
    doc = TemplateReport(template)
    doc.fill({"school": "한빛고", "count": 2})
    last = doc.fill_table(
        "목록",
        "people",
        [
            {"name": "홍길동", "score": 90, "note": "=1+1"},
            {"name": "김영희", "score": 85.5, "note": Cell("확인", fill="FFFFCCCC")},
        ],
    )
    assert last == 5
    title = doc.copy_sheet("반 서식", "3반: 목록/1")
    doc.fill({"klass": 3}, sheets=[title])
    out = doc.save(tmp_path / "out.xlsx")
    wb = load_workbook(out)
    ws = wb["목록"]
    assert ws["A1"].value == "한빛고 명단 (2명)"
    assert ws["C1"].value == 2  # a lone placeholder keeps the value's type
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=4, max_row=5)] == [
        ["홍길동", 90, "=1+1"],
        ["김영희", 85.5, "확인"],
    ]
    assert ws["C4"].data_type == "s"  # text, never a formula
    assert ws["A5"].font.bold and ws["A5"].font.color.rgb == "FF0000FF"  # template row style copied
    assert ws["C5"].fill.fgColor.rgb == "FFFFCCCC"
    assert ws.auto_filter.ref == "A3:C5" and ws.freeze_panes == "A4" and ws.print_title_rows == "$3:$3"
    assert "3반_ 목록_1" in wb.sheetnames and wb["3반_ 목록_1"]["A1"].value == "3반"


def test_save_never_overwrites_and_encrypts(template: Path, tmp_path: Path) -> None:
    doc = TemplateReport(template)
    target = tmp_path / "r.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(OutputExistsError):
        doc.save(target)
    assert target.read_bytes() == b"old"
    doc.save(target, overwrite=True, password="pw")
    office = msoffcrypto.OfficeFile(io.BytesIO(target.read_bytes()))
    assert office.is_encrypted()
    office.load_key(password="pw")
    plain = io.BytesIO()
    office.decrypt(plain)
    assert load_workbook(plain)["목록"]["A3"].value == "이름"


def test_missing_template_and_table(tmp_path: Path, template: Path) -> None:
    with pytest.raises(ReportError, match=r"보고서 서식 파일 nope\.xlsx 을\(를\) 찾을 수 없습니다"):
        TemplateReport("nope")
    with pytest.raises(ReportError, match="표 'things' 자리가 없습니다"):
        TemplateReport(template).fill_table("목록", "things", [])


def test_diff_rich_text() -> None:
    rich = diff_rich_text("수학의 역샤", "수학의 역사")
    assert str(rich) == "수학의 역샤"
    assert [b.text for b in rich if not isinstance(b, str)] == ["샤"]
    assert diff_rich_text("같음", "같음") == "같음"
