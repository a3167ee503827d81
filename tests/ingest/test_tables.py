"""Ingest edge cases every module relies on."""

from __future__ import annotations

from pathlib import Path

import pytest

from schoolauto.errors import InputFileError, MissingColumnsError
from schoolauto.ingest import ColumnSpec, expand_inputs, normalize_header, read_sheets, read_table

SPECS = [
    ColumnSpec("id", ("학번",)),
    ColumnSpec("name", ("성명", "이름")),
    ColumnSpec("memo", ("비고",), required=False),
]


@pytest.mark.parametrize(
    ("raw", "norm"), [("성  명", "성명"), ("학 년", "학년"), ("번　호", "번호"), ("과목(영역)", "과목영역")]
)
def test_normalize_header(raw: str, norm: str) -> None:
    assert normalize_header(raw) == norm


def test_html_saved_as_xls(tmp_path: Path) -> None:
    p = tmp_path / "neis.xls"
    p.write_text(
        "<html><body><table><tr><td colspan=2>제목</td></tr><tr><th>학 번</th><th>성 명</th></tr>"
        "<tr><td>10101</td><td>홍길동</td></tr></table></body></html>",
        encoding="cp949",
    )
    records = read_table(p, SPECS)
    assert [(r.get("id"), r.get("name"), r.row) for r in records] == [("10101", "홍길동", 3)]


def test_tsv_title_rows_and_repeated_header(tmp_path: Path) -> None:
    p = tmp_path / "r.tsv"
    p.write_text(
        "명렬표\n\n학번\t성명\t비고\n10101\t홍길동\t\n학번\t성명\t비고\n10102\t김영희\t전학\n",
        encoding="utf-8",
    )
    assert [(r.get("id"), r.get("memo"), r.row) for r in read_table(p, SPECS)] == [
        ("10101", "", 4),
        ("10102", "전학", 6),
    ]


def test_numbers_are_text_without_float_noise(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["학번", "성명"])
    wb.active.append([10101, "홍길동"])
    wb.save(tmp_path / "a.xlsx")
    assert read_table(tmp_path / "a.xlsx", SPECS)[0].get("id") == "10101"


def test_missing_columns_message(tmp_path: Path) -> None:
    p = tmp_path / "a.csv"
    p.write_text("번호,이름\n1,홍길동\n", encoding="utf-8")
    with pytest.raises(MissingColumnsError) as exc:
        read_table(p, SPECS)
    assert (
        str(exc.value)
        == f"파일 {p}: 필요한 열이 없습니다: 학번 / 찾은 열: 번호, 이름 (필요한 열: 학번, 성명)"
    )


def test_binary_and_folder_errors(tmp_path: Path) -> None:
    p = tmp_path / "a.csv"
    p.write_bytes(b"\x00\x01\x02binary\x00")
    with pytest.raises(InputFileError, match="표 파일이 아닙니다"):
        read_sheets(p)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputFileError, match="폴더에 읽을 표 파일"):
        expand_inputs([empty])


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.7\n", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "그림(PNG)"),
        (b"\xff\xd8\xff\xe0", "그림(JPEG)"),
    ],
)
def test_pictures_and_pdfs_are_named(tmp_path: Path, head: bytes, kind: str) -> None:
    p = tmp_path / "scan.xlsx"
    p.write_bytes(head + b"\x00" * 64)
    with pytest.raises(InputFileError) as exc:
        read_sheets(p)
    assert str(exc.value) == f"파일 {p}: 표 파일이 아닙니다 ({kind} 파일) (xlsx, xls, csv 파일을 주세요)"


KOREAN_CSV = "학년,반,번호,성명,독서활동 상황\n1,2,3,홍길동,데미안(헤르만 헤세), 토지 1(박경리)\n"
JAPANESE_CSV = "学年,組,番号,氏名,読書活動\n1,2,3,山田太郎,こころ(夏目漱石)、ノルウェイの森(村上春樹)\n"


def test_a_cell_longer_than_the_csv_modules_limit_is_read(tmp_path: Path) -> None:
    """issue 9 #12: 'field larger than field limit (131072)' was an English error."""
    p = tmp_path / "big.csv"
    p.write_text("학번,성명,비고\n10101,홍길동," + "가" * 200_000 + "\n", encoding="utf-8")
    rows = read_sheets(p)[0].rows
    assert rows[0] == ["학번", "성명", "비고"]
    assert len(rows[1][2]) == 200_000


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (JAPANESE_CSV.encode("shift_jis"), "일본어(Shift-JIS)"),
        ("なまえ,クラス\nやまだ,いちくみ\n".encode("shift_jis"), "일본어(Shift-JIS)"),
        (KOREAN_CSV.encode("utf-16-le"), "UTF-16LE(BOM 없음)"),
        (KOREAN_CSV.encode("utf-16-be"), "UTF-16BE(BOM 없음)"),
        (JAPANESE_CSV.encode("utf-16-le"), "UTF-16LE(BOM 없음)"),
    ],
    ids=["shift-jis", "shift-jis-kana", "utf-16le", "utf-16be", "japanese-utf-16le"],
)
def test_other_encodings_are_named_not_garbled(tmp_path: Path, data: bytes, said: str) -> None:
    """issue 9 #12: a Shift-JIS file was read as CP949 and the error showed garbled column names."""
    p = tmp_path / "명단.csv"
    p.write_bytes(data)
    with pytest.raises(InputFileError) as exc:
        read_sheets(p)
    message = str(exc.value)
    assert message.startswith(f"파일 {p}: {said}")
    assert "지원하지 않습니다" in message and "CSV UTF-8" in message


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (KOREAN_CSV.encode("cp949"), "cp949"),
        ("똠방각하,햏\n뷁,쐈\n".encode("cp949"), "cp949"),  # CP949's extension Hangul are still Korean
        (KOREAN_CSV.encode("utf-16"), "utf-16"),  # Excel's 'Unicode text' has a BOM: read it
        (b"\xef\xbb\xbf" + KOREAN_CSV.encode("utf-8"), "utf-8-sig"),
    ],
    ids=["cp949", "cp949-extension", "utf-16-bom", "utf-8-bom"],
)
def test_korean_encodings_still_read(tmp_path: Path, data: bytes, encoding: str) -> None:
    p = tmp_path / "a.csv"
    p.write_bytes(data)
    sheet = read_sheets(p)[0]
    assert sheet.encoding == encoding
    assert sheet.rows[0][0] in ("학년", "똠방각하")


def test_input_files_are_never_modified(tmp_path: Path) -> None:
    """Reading opens files read-only: bytes and modification times stay as they were."""
    import hashlib
    import os

    from openpyxl import Workbook

    files = {
        "a.csv": KOREAN_CSV.encode("cp949"),
        "b.tsv": KOREAN_CSV.replace(",", "\t").encode("utf-8"),
        "c.xls": b"<html><table><tr><td>\xed\x95\x99\xeb\xb2\x88</td></tr><tr><td>1</td></tr></table></html>",
        "d.csv": JAPANESE_CSV.encode("shift_jis"),
        "e.xlsx": b"PK\x03\x04 broken zip",
    }
    wb = Workbook()
    wb.active.append(["학번", "성명"])
    wb.active.append(["10101", "홍길동"])
    wb.save(tmp_path / "f.xlsx")
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    before = {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), os.stat(p).st_mtime_ns)
        for p in tmp_path.iterdir()
    }
    for p in sorted(tmp_path.iterdir()):
        try:
            read_sheets(p)
        except InputFileError:
            pass
    after = {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), os.stat(p).st_mtime_ns)
        for p in tmp_path.iterdir()
    }
    assert after == before


def test_the_password_error_names_no_flag(tmp_path: Path) -> None:
    """The library says what is needed (field 'password'); each command says how to give it."""
    import io

    from msoffcrypto.format.ooxml import OOXMLFile
    from openpyxl import Workbook

    from schoolauto.errors import PasswordError

    wb = Workbook()
    wb.active.append(["학번", "성명"])
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(buf.getvalue())).encrypt("pw", out)
    p = tmp_path / "locked.xlsx"
    p.write_bytes(out.getvalue())
    with pytest.raises(PasswordError) as exc:
        read_sheets(p)
    assert exc.value.field == "password"
    assert "--" not in str(exc.value)
    assert read_sheets(p, password="pw")[0].rows[0] == ["학번", "성명"]
