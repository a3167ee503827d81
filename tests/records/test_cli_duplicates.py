"""`schoolauto records duplicates` through the real CLI: outputs read back, exit codes, exact messages."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import jsonschema
import pytest
from openpyxl import load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock

from .builders import CLASS_ROWS, encrypt, write_csv, write_xlsx

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "docs/schemas/records-duplicates.schema.json").read_text(encoding="utf-8"))


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "2반.xlsx", CLASS_ROWS, merges=["A4:A6", "B4:B6", "A8:A9", "B8:B9"])


def test_all_outputs(run_cli, export: Path, tmp_path: Path) -> None:
    before = export.read_bytes()
    out, js, cs = tmp_path / "r.xlsx", tmp_path / "r.json", tmp_path / "r.csv"
    r = run_cli(
        "records", "duplicates", export, "--out", out, "--json", js, "--csv", cs, "--school", "한빛고"
    )
    assert r.code == 0, r.err
    assert r.out.splitlines()[0] == "학생 2명, 도서 10건을 검사했습니다: 중복 3건 (완전 중복 1, 유사 2)"
    assert export.read_bytes() == before  # input untouched

    data = json.loads(js.read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    assert data["summary"] == data["summary"] | {"students": 2, "entries": 10, "findings": 3}
    first = data["findings"][0]
    assert first["student"] == {"class": "2", "number": "1", "name": "홍길동", "id": None}
    assert first["a"] | {} == first["a"] | {"text": "데미안(헤르만 헤세)", "source": "2반.xlsx", "row": 4}
    assert (first["a"]["grade"], first["a"]["semester"], first["a"]["subject"]) == ("1", "1", "공통")
    assert (first["b"]["text"], first["b"]["row"], first["b"]["grade"]) == ("《데미안》(헤세 저)", 5, "2")
    assert first["kind"] == "similar" and first["reason"] == "괄호 표기 차이, 저자 표기 차이"

    rows = list(csv.reader(cs.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:7] == ["반", "번호", "성명", "학번", "구분", "점수", "사유"]
    assert len(rows) == 4

    wb = load_workbook(out, rich_text=True)
    assert wb.sheetnames == ["요약", "중복 목록"]
    s = wb["요약"]
    assert s["A1"].value == "한빛고 독서활동 중복 도서 검사"
    assert [s.cell(r, 2).value for r in range(6, 12)] == [2, 10, 3, 1, 2, 1]
    ws = wb["중복 목록"]
    assert ws.freeze_panes == "A4"
    assert ws.print_title_rows == "$3:$3"
    assert ws.auto_filter.ref == "A3:S6"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert [ws.cell(r, 4).value for r in (4, 5, 6)] == ["홍길동"] * 3
    typo_row = next(r for r in (4, 5, 6) if "오타" in ws.cell(r, 8).value)
    a_text, b_text = ws.cell(typo_row, 9).value, ws.cell(typo_row, 14).value
    assert isinstance(a_text, CellRichText) and str(a_text) == "수학의 역사(칼 보이어)"
    highlighted = [b.text for b in b_text if isinstance(b, TextBlock)]
    assert highlighted == ["샤"]


def test_prints_findings_without_outputs(run_cli, export: Path) -> None:
    r = run_cli("records", "duplicates", export)
    assert r.code == 0
    assert (
        "- 2반 1번 홍길동: [유사] 수학의 역사(칼 보이어)  ↔  수학의 역샤(칼 보이어)  (오타 의심: 사↔샤)"
        in r.out
    )


def test_ratio_method(run_cli, export: Path, tmp_path: Path) -> None:
    js = tmp_path / "r.json"
    r = run_cli("records", "duplicates", export, "--method", "ratio", "--json", js)
    assert r.code == 0
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["summary"]["method"] == "ratio" and data["summary"]["cutoff"] == 1.72
    assert all(f["score"] >= 1.72 for f in data["findings"])


def test_formula_injection_is_written_as_text(run_cli, tmp_path: Path) -> None:
    rows = [["성명", "독서활동 상황"], ['=HYPERLINK("x")', "(1학기) =cmd|calc(해커), =cmd|calc(해커)"]]
    src = write_csv(tmp_path / "evil.csv", rows, "utf-8")
    out, cs = tmp_path / "r.xlsx", tmp_path / "r.csv"
    assert run_cli("records", "duplicates", src, "--out", out, "--csv", cs).code == 0
    ws = load_workbook(out)["중복 목록"]
    assert ws["D4"].value == '=HYPERLINK("x")' and ws["D4"].data_type == "s"
    assert ws["I4"].data_type == "s"
    (row,) = list(csv.reader(cs.read_text(encoding="utf-8-sig").splitlines()))[1:]
    assert row[2] == '\'=HYPERLINK("x")'


def test_encrypted_output_and_input(
    run_cli, export: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import msoffcrypto

    out = tmp_path / "locked-report.xlsx"
    monkeypatch.setenv("SCHOOLAUTO_OUTPUT_PASSWORD", "report-pw")
    assert run_cli("records", "duplicates", export, "--out", out, "--encrypt").code == 0
    with out.open("rb") as fh:
        assert msoffcrypto.OfficeFile(fh).is_encrypted()

    locked = encrypt(export, tmp_path / "locked-in.xlsx", "in-pw")
    r = run_cli("records", "duplicates", locked)
    assert r.code == 1
    assert r.err.startswith(f"오류: 파일 {locked}: 암호가 걸린 파일입니다")
    monkeypatch.setenv("SCHOOLAUTO_INPUT_PASSWORD", "wrong")
    r = run_cli("records", "duplicates", locked)
    assert (r.code, r.err.strip()) == (
        1,
        f"오류: 파일 {locked}: 암호가 맞지 않습니다 (암호를 확인하세요)",
    )
    monkeypatch.setenv("SCHOOLAUTO_INPUT_PASSWORD", "in-pw")
    assert run_cli("records", "duplicates", locked).code == 0


@pytest.mark.parametrize(
    ("make", "code", "message"),
    [
        (lambda d: d / "nope.xlsx", 1, "오류: 파일 nope.xlsx: 파일이 없습니다 (경로를 확인하세요)"),
        (
            lambda d: _write(d / "empty.csv", b""),
            1,
            "오류: 파일 empty.csv: 빈 파일입니다 (내용이 있는 파일을 주세요)",
        ),
        (
            lambda d: _write(d / "broken.xlsx", b"PK\x03\x04 not really a workbook"),
            1,
            "오류: 파일 broken.xlsx: 엑셀 파일을 읽을 수 없습니다: 파일이 손상되었거나 엑셀 형식이 아닙니다 "
            "(엑셀에서 열어 다른 이름으로(xlsx) 저장한 뒤 다시 시도하세요)",
        ),
        (
            lambda d: _write(
                d / "latin.csv",
                "성명,독서활동 상황\n홍길동,데미안\n".encode("utf-16-le")[2:] + b"\xff\xfe\xd8",
            ),
            1,
            "오류: 파일 latin.csv: 글자 인코딩을 알 수 없습니다: UTF-8 도 CP949(EUC-KR)도 아닙니다 "
            "(엑셀에서 'CSV UTF-8' 형식으로 다시 저장하세요)",
        ),
        (
            lambda d: _write(d / "prose.txt", "그냥 메모입니다.\n표가 아닙니다.\n".encode()),
            1,
            "오류: 파일 prose.txt: 필요한 열이 없습니다: 독서활동상황(또는 도서명) / 찾은 열: 그냥 메모입니다. "
            "(NEIS 독서활동상황 내보내기 파일이거나 '성명'과 '도서명' 열이 있는 표여야 합니다)",
        ),
    ],
)
def test_bad_input_messages(run_cli, tmp_path: Path, make, code: int, message: str) -> None:
    path = make(tmp_path)
    out = tmp_path / "report.xlsx"
    r = run_cli("records", "duplicates", path, "--out", out)
    # the file is named as the user gave it
    assert (r.code, r.err.strip()) == (code, message.replace(f"파일 {path.name}", f"파일 {path}"))
    assert "Traceback" not in r.err
    assert not out.exists()
    assert not list(tmp_path.glob(".report.xlsx.*"))  # no partial report


def _write(p: Path, data: bytes) -> Path:
    p.write_bytes(data)
    return p


def test_usage_errors(run_cli, export: Path, tmp_path: Path) -> None:
    existing = tmp_path / "exists.xlsx"
    existing.write_bytes(b"keep me")
    r = run_cli("records", "duplicates", export, "--out", existing)
    assert (r.code, r.err.strip()) == (
        2,
        f"오류: 파일 {existing}: 출력 파일이 이미 있습니다 (다른 이름을 주거나 --overwrite 를 붙이세요)",
    )
    assert existing.read_bytes() == b"keep me"
    r = run_cli("records", "duplicates", export, "--method", "fuzzy")
    assert r.code == 2 and "--method: 잘못된 값 'fuzzy'" in r.err
    r = run_cli("records", "duplicates", export, "--cutoff", "1.8")
    assert (r.code, r.err.strip()) == (2, "오류: --cutoff: 기준값은 ratio 방법에만 씁니다")
    r = run_cli("records", "duplicates", export, "--method", "ratio", "--cutoff", "2.5")
    assert (r.code, r.err.strip()) == (2, "오류: --cutoff: 1.0 과 2.0 사이여야 합니다 (받은 값: 2.5)")
    r = run_cli("records", "duplicates", export, "--out", export)
    assert r.code == 2 and "입력 파일과 같습니다" in r.err
    r = run_cli("records", "duplicates")
    assert r.code == 2 and "다음 인자가 필요합니다: 파일_또는_폴더" in r.err
    r = run_cli("records", "duplicates", export, "--out", tmp_path / "r.txt")
    assert r.code == 2 and "엑셀 보고서는 .xlsx 파일이어야 합니다" in r.err


def test_overwrite_replaces_atomically(run_cli, export: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    out.write_text("old", encoding="utf-8")
    assert run_cli("records", "duplicates", export, "--json", out, "--overwrite").code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["findings"] == 3


def test_debug_shows_traceback(run_cli, tmp_path: Path) -> None:
    from schoolauto.errors import InputFileError

    with pytest.raises(InputFileError):
        run_cli("--debug", "records", "duplicates", tmp_path / "missing.xlsx")


def test_skipped_file_in_a_folder_is_a_korean_warning(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    write_xlsx(folder / "2반.xlsx", CLASS_ROWS)
    (folder / "메모.csv").write_text("이름,나이\n홍길동,17\n", encoding="utf-8")
    r = run_cli("records", "duplicates", folder)
    assert r.code == 0
    assert (
        r.err.strip()
        == "경고: 건너뜀: 메모.csv (필요한 열이 없습니다: 독서활동상황(또는 도서명) / 찾은 열: 이름, 나이)"
    )


def test_json_to_the_screen_and_the_output_protocol(run_cli, export: Path, tmp_path: Path) -> None:
    from schoolauto.outputs import OutputRequest, Reportable, write_outputs
    from schoolauto.records import DuplicateCheckRequest, check_duplicates

    r = run_cli("records", "duplicates", export, "--json", "-")
    assert r.code == 0
    data = json.loads(r.out)
    jsonschema.validate(data, SCHEMA)
    assert data["summary"]["findings"] == 3 and data["summary"]["overlong_entries"] == 0
    assert not (Path.cwd() / "-").exists()
    assert "학생 2명" in r.err  # the summary line goes to the error stream, the JSON alone to the screen

    report = check_duplicates(DuplicateCheckRequest(inputs=[export], school="한빛고"))
    assert isinstance(report, Reportable)
    header, rows = report.csv_table()
    assert header[:3] == ["반", "번호", "성명"] and len(rows) == 3
    written = write_outputs(report, OutputRequest(out=tmp_path / "r.xlsx", csv=tmp_path / "r.csv"))
    assert [p.name for p in written] == ["r.xlsx", "r.csv"]


def test_job_errors_name_their_field(export: Path) -> None:
    from schoolauto.errors import UsageError
    from schoolauto.records import DuplicateCheckRequest, check_duplicates

    for request, field in [
        (DuplicateCheckRequest(inputs=[export], method="fuzzy"), "method"),
        (DuplicateCheckRequest(inputs=[export], cutoff=1.8), "cutoff"),
        (DuplicateCheckRequest(inputs=[export], method="ratio", cutoff=3.0), "cutoff"),
        (DuplicateCheckRequest(inputs=[]), "inputs"),
    ]:
        with pytest.raises(UsageError) as e:
            check_duplicates(request)
        assert e.value.field == field
        assert "--" not in str(e.value)


def test_a_restyled_template_with_the_table_moved_still_fills(run_cli, export: Path, tmp_path: Path) -> None:
    """A teacher's copy of the template: rows and a column inserted above and before everything,
    sheets renamed, the table row restyled. The report finds its places by the markers alone."""
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    from schoolauto.reports import find_template

    wb = load_workbook(find_template("records_duplicates"))
    for ws in wb.worksheets:
        ws.insert_rows(1, 3)
        ws.insert_cols(1)
        ws["A1"] = "우리 학교 양식"
    wb["중복 목록"].title = "중복 (학생부 담당)"
    wb["요약"].title = "개요"
    table = wb["중복 (학생부 담당)"]
    for cell in table[7]:  # the template row moved from 4 to 7
        cell.font = Font(name="맑은 고딕", size=9, color="FF1F4E79")
    mine = tmp_path / "우리양식.xlsx"
    wb.save(mine)

    out = tmp_path / "r.xlsx"
    r = run_cli("records", "duplicates", export, "--out", out, "--template", mine, "--school", "한빛고")
    assert r.code == 0, r.err
    got = load_workbook(out)
    assert got.sheetnames == ["개요", "중복 (학생부 담당)"]
    summary = got["개요"]
    assert summary["B4"].value == "한빛고 독서활동 중복 도서 검사"
    assert summary["C11"].value == 3  # {{findings}}, moved from B8
    rows = got["중복 (학생부 담당)"]
    assert rows["A1"].value == "우리 학교 양식"
    assert [rows.cell(r, 2).value for r in (7, 8, 9)] == [1, 2, 3]  # seq, moved from A4
    assert all(rows.cell(r, 5).value for r in (7, 8, 9))  # names
    assert rows.cell(7, 5).font.name == "맑은 고딕" and rows.cell(9, 5).font.sz == 9  # the teacher's style
    assert rows.cell(10, 2).value is None
