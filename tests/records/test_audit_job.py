"""The audit job end to end: real files, real Kiwi, outputs read back, JSON checked against its schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from openpyxl import Workbook, load_workbook

from schoolauto.cli import main
from schoolauto.errors import MissingColumnsError, UsageError
from schoolauto.records.audit import AuditRequest, audit
from schoolauto.records.audit.generate import GenerateRequest, generate
from schoolauto.records.audit.nbytes import limit_offset, neis_bytes

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "schemas" / "records-audit.schema.json").read_text(encoding="utf-8"))
COPY = "기후 변화와 해수면 상승을 주제로 탐구 보고서를 작성하며 관련 통계 자료를 직접 찾아 그래프로 정리함."
COPY2 = "기후변화와 해수면 상승을 주제로 탐구보고서를 작성하며 관련 통계자료를 손수 찾아서 그래프로 정리함."


def write(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_bytes_rules() -> None:
    assert neis_bytes("abc 1.") == 6
    assert neis_bytes("가나") == 6
    assert neis_bytes("가\n나") == 8 and neis_bytes("가\r\n나") == 8
    assert neis_bytes("가\n나", newline_bytes=1) == 7
    assert neis_bytes("①、") == 6
    assert limit_offset("가나다", 6) == 2 and limit_offset("가나다", 9) is None
    assert limit_offset("가\r\n나", 4) == 1


@pytest.fixture
def school(tmp_path: Path) -> Path:
    folder = tmp_path / "세특"
    folder.mkdir()
    write(
        folder / "2반.xlsx",
        [
            ["2026학년도 2학년 2반 교과 세부능력 및 특기사항"],
            [],
            ["번호", "성명", "과목", "세부능력 및 특기사항"],
            [1, "홍길동", "국어", "가" * 500],
            [None, None, "수학", "가" * 500 + "a"],
            [2, "김영희", "수학", "토익에서 고득점을 받음. " + COPY],
            [3, "이철수", "수학", "서울대학교 탐방을 다녀옴. " + COPY2],
            [4, "박민수", "수학", "가" * 498 + "ab\n가"],
        ],
    )
    write(
        folder / "행특.xlsx",
        [
            ["학번", "성명", "행동특성 및 종합의견"],
            ["20201", "홍길동", "부모님의 격려에 힘입어 끝까지 노력함."],
        ],
    )
    write(
        folder / "창체.xlsx",
        [
            ["학번", "성명", "자율·자치활동", "동아리활동", "진로활동"],
            [
                "20202",
                "김영희",
                "학급 회의를 이끔.",
                "방과후학교 수학반을 수강함.",
                "대학에서 배우고 싶은 전공을 탐색함.",
            ],
        ],
    )
    (folder / "사진.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    return folder


def test_audit_finds_each_kind_with_provenance(school: Path) -> None:
    before = {p: p.read_bytes() for p in school.iterdir()}
    result = audit(AuditRequest(inputs=[school], year=2026))
    data = result.to_json()
    jsonschema.validate(data, SCHEMA)
    got = [
        (
            f["check"],
            f["student"]["name"],
            f["field"],
            f["subject"],
            f["source"],
            f["row"],
            f["text"],
            f["rule"],
        )
        for f in data["findings"]
    ]
    assert got == [
        ("length", "홍길동", "교과세특", "수학", "2반.xlsx", 5, "a", None),
        ("length", "박민수", "교과세특", "수학", "2반.xlsx", 8, "가", None),
        ("forbidden", "김영희", "교과세특", "수학", "2반.xlsx", 6, "토익", "language_test"),
        ("forbidden", "이철수", "교과세특", "수학", "2반.xlsx", 7, "서울대학교", "named_institution"),
        ("forbidden", "김영희", "동아리", None, "창체.xlsx", 2, "방과후학교", "after_school"),
        ("copy", "김영희", "교과세특", "수학", "2반.xlsx", 6, COPY, None),
    ]
    length = data["findings"][0]
    assert (length["bytes"], length["limit"], length["start"], length["end"]) == (1501, 1500, 500, 501)
    assert "1바이트 많습니다" in length["message"]
    copy = data["findings"][-1]
    assert copy["other"]["student"]["name"] == "이철수" and copy["other"]["text"] == COPY2
    assert copy["message"] == "이 문장이 2명에게 거의 같게 있습니다"
    assert data["summary"]["skipped"] == [
        {"path": "사진.xlsx", "reason": "표 파일이 아닙니다 (그림(PNG) 파일)"}
    ]
    assert data["summary"]["by_check"] == {"length": 2, "forbidden": 3, "copy": 1}
    assert before == {p: p.read_bytes() for p in school.iterdir()}


def test_line_break_option(school: Path) -> None:
    result = audit(AuditRequest(inputs=[school], checks=["length"], newline_bytes=1, year=2026))
    assert [f.record.student.name for f in result.findings] == ["홍길동"]


def test_rules_file_overrides_limits_and_rules(school: Path, tmp_path: Path) -> None:
    rules = tmp_path / "규칙.toml"
    rules.write_text(
        '[limits]\n"교과세특" = 1600\n\n[[rule]]\nid = "named_institution"\nenabled = false\n',
        encoding="utf-8",
    )
    result = audit(AuditRequest(inputs=[school], checks=["length", "forbidden"], rules=rules, year=2026))
    assert [(f.check, f.rule) for f in result.findings] == [
        ("forbidden", "language_test"),
        ("forbidden", "after_school"),
    ]


def test_cli_writes_every_output(school: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, js, cs = tmp_path / "점검.xlsx", tmp_path / "점검.json", tmp_path / "점검.csv"
    rc = main(
        [
            "records",
            "audit",
            str(school),
            "--year",
            "2026",
            "--out",
            str(out),
            "--json",
            str(js),
            "--csv",
            str(cs),
        ]
    )
    assert rc == 0
    assert "발견 6건" in capsys.readouterr().out
    jsonschema.validate(json.loads(js.read_text(encoding="utf-8")), SCHEMA)
    assert len(cs.read_text(encoding="utf-8-sig").splitlines()) == 7
    wb = load_workbook(out, rich_text=True)
    assert {"요약", "글자 수 초과", "기재 금지", "같은 문장"} <= set(wb.sheetnames)
    cells = [c for row in wb["글자 수 초과"].iter_rows() for c in row if hasattr(c.value, "as_list")]
    assert cells and any(
        "a" == str(block.text) and block.font.color.rgb == "FFC00000"
        for block in cells[0].value
        if hasattr(block, "font")
    )


def test_cli_usage_errors(school: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["records", "audit", str(school), "--checks", "length,spelling"]) == 2
    assert "--checks" in capsys.readouterr().err


def test_bad_inputs(tmp_path: Path) -> None:
    p = write(tmp_path / "x.xlsx", [["이름", "나이"], ["홍길동", 17]])
    with pytest.raises(MissingColumnsError, match="필요한 열이 없습니다: 세부능력 및 특기사항"):
        audit(AuditRequest(inputs=[p]))
    with pytest.raises(UsageError):
        audit(AuditRequest(inputs=[p], checks=["nope"]))


def test_generated_data_is_found_with_its_gold(tmp_path: Path) -> None:
    res = generate(GenerateRequest(out_dir=tmp_path / "g", kind="창체", students=40, seed=2))
    assert res.gold == tmp_path / "g_정답.csv" and res.folder == tmp_path / "g"
    result = audit(AuditRequest(inputs=[res.folder], year=2026))
    gold = res.gold.read_text(encoding="utf-8-sig").splitlines()[1:]
    want_over = sorted(int(line.split(",")[5]) for line in gold if line.startswith("length"))
    assert sorted(f.bytes or 0 for f in result.findings if f.check == "length") == want_over
    found = {
        (f.record.student.student_id, f.record.field, f.rule)
        for f in result.findings
        if f.check == "forbidden"
    }
    assert len(found) == res.forbidden


def test_a_restyled_template_with_moved_tables_still_fills(school: Path, tmp_path: Path) -> None:
    from openpyxl.styles import Font

    wb = load_workbook(ROOT / "templates" / "records_audit.xlsx")
    for name in ("글자 수 초과", "기재 금지", "같은 문장"):
        ws = wb[name]
        ws.insert_rows(1, 2)
        ws.insert_cols(1)
        ws["A1"].font = Font(name="바탕", size=20)
    mine = tmp_path / "우리서식.xlsx"
    wb.save(mine)
    out = tmp_path / "r.xlsx"
    assert (
        main(["records", "audit", str(school), "--year", "2026", "--template", str(mine), "--out", str(out)])
        == 0
    )
    ws = load_workbook(out)["기재 금지"]
    names = [ws.cell(r, 5).value for r in range(6, ws.max_row + 1)]  # header now on row 5, column B onward
    assert names == ["김영희", "이철수", "김영희"]


def test_generate_cli_kinds_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "records",
                "generate",
                "--kind",
                "행특",
                "--students",
                "12",
                "--out-dir",
                str(tmp_path / "g"),
                "--format",
                "xlsx,csv",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "가상 학생 12명의 행특 12건" in out
    assert sorted(p.name for p in (tmp_path / "g").iterdir()) == ["1학년_1반_행특.xlsx"]
    assert (tmp_path / "g_csv" / "1학년_1반_행특.csv").exists()
    again = main(
        ["records", "generate", "--kind", "행특", "--students", "12", "--out-dir", str(tmp_path / "g")]
    )
    assert again == 2 and "이미 있습니다" in capsys.readouterr().err
    assert (
        main(["records", "generate", "--kind", "세특", "--students", "1", "--out-dir", str(tmp_path / "h")])
        == 2
    )
    assert "--students" in capsys.readouterr().err


def test_the_job_is_called_from_python_with_no_cli(school: Path) -> None:
    from schoolauto import records

    result = records.audit(records.audit.AuditRequest(inputs=[str(school)], checks=["length"], year=2026))
    assert isinstance(result, records.audit.AuditResult)
    assert [f.bytes for f in result.findings] == [1501, 1501]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--year", "1990"], 2, "--year: 학년도는 2000부터 2100 사이여야 합니다"),
        (["--year", "2005"], 2, "--year: 2005학년도 고등학교의 글자 수 제한 자료가 없습니다"),
        (["--rules", "없는규칙.toml"], 2, "규칙 파일이 없습니다"),
        (["--min-syllables", "2"], 2, "--min-syllables: 문장 최소 글자 수는 5 이상 500 이하여야 합니다"),
        (["--out", "점검.txt"], 2, "엑셀 보고서는 .xlsx 파일이어야 합니다"),
    ],
)
def test_cli_bad_options_give_one_korean_line(
    school: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int, message: str
) -> None:
    assert main(["records", "audit", str(school), "--checks", "length", *args]) == code
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0] and "Traceback" not in err[0]


def test_cli_json_to_screen(school: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["records", "audit", str(school), "--checks", "length", "--year", "2026", "--json", "-"]) == 0
    data = json.loads(capsys.readouterr().out)
    jsonschema.validate(data, SCHEMA)
    assert data["summary"]["by_check"] == {"length": 2}


def test_report_highlights(school: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    assert main(["records", "audit", str(school), "--year", "2026", "--out", str(out)]) == 0
    wb = load_workbook(out, rich_text=True)

    def blocks(sheet: str) -> list[tuple[str, bool, str | None]]:
        found = []
        for row in wb[sheet].iter_rows():
            for c in row:
                if hasattr(c.value, "as_list"):
                    for b in c.value:
                        if hasattr(b, "font"):
                            color = b.font.color.rgb if b.font.color is not None else None
                            found.append((str(b.text), bool(b.font.b), color))
        return found

    assert ("토익", True, "FFC00000") in blocks("기재 금지")
    assert ("서울대학교", True, "FFC00000") in blocks("기재 금지")
    assert (COPY, True, None) in blocks("같은 문장") and (COPY2, True, None) in blocks("같은 문장")
    summary = [c.value for row in wb["요약"].iter_rows() for c in row if c.value is not None]
    assert "사진.xlsx: 표 파일이 아닙니다 (그림(PNG) 파일)" in summary
    assert {"language_test", "named_institution", "after_school"} <= set(summary)


def test_a_text_keeps_the_limits_of_its_own_school_year(tmp_path: Path) -> None:
    header = ["학번", "성명", "행동특성 및 종합의견"]
    old = write(tmp_path / "old.xlsx", [["2017학년도 1학년 행동특성"], header, ["1", "홍길동", "가" * 700]])
    new = write(tmp_path / "new.xlsx", [["2026학년도 1학년 행동특성"], header, ["2", "김영희", "나" * 700]])
    result = audit(AuditRequest(inputs=[old, new], checks=["length"], year=2026))
    assert [(f.record.source.file, f.bytes, f.limit) for f in result.findings] == [("new.xlsx", 2100, 1500)]
