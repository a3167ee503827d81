"""Reading NEIS exports in every form schools have, into the same entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from schoolauto.errors import InputFileError, MissingColumnsError, PasswordError
from schoolauto.records import find_duplicate_books, read_reading_exports

from .builders import CLASS_ROWS, encrypt, write_csv, write_xls, write_xlsx

EXPECTED = [
    ("홍길동", 4, 1, "데미안(헤르만 헤세)", "1", "1", "공통"),
    ("홍길동", 4, 2, "총, 균, 쇠(재레드 다이아몬드)", "1", "1", "공통"),
    ("홍길동", 4, 3, "수학의 역사(칼 보이어)", "1", "2", "공통"),
    ("홍길동", 5, 1, "《데미안》(헤세 저)", "2", "1", "국어"),
    ("홍길동", 6, 1, "수학의 역샤(칼 보이어)", "3", "2", "수학"),
    ("홍길동", 6, 2, "총균쇠(재레드 다이아몬드)", "3", "2", "수학"),
    ("김영희", 8, 1, "미움받을 용기(기시미 이치로)", "1", "1", "공통"),
    ("김영희", 8, 2, "토지 1(박경리)", "1", "1", "공통"),
    ("김영희", 9, 1, "미움받을 용기 2(기시미 이치로)", "2", "2", "영어"),
    ("김영희", 9, 2, "토지 2(박경리)", "2", "2", "영어"),
]


def summary(path: Path) -> list[tuple[object, ...]]:
    ds = read_reading_exports([path])
    return [
        (
            e.student.name,
            e.source.row,
            e.source.index,
            e.text,
            e.source.grade,
            e.source.semester,
            e.source.subject,
        )
        for e in ds.entries
    ]


@pytest.fixture
def exports(tmp_path: Path) -> dict[str, Path]:
    return {
        "xlsx": write_xlsx(tmp_path / "a.xlsx", CLASS_ROWS, merges=["A4:A6", "B4:B6", "A8:A9", "B8:B9"]),
        "xls": write_xls(tmp_path / "b.xls", CLASS_ROWS),
        "csv-utf8": write_csv(tmp_path / "c.csv", CLASS_ROWS, "utf-8"),
        "csv-bom": write_csv(tmp_path / "d.csv", CLASS_ROWS, "utf-8-sig"),
        "csv-cp949": write_csv(tmp_path / "e.csv", CLASS_ROWS, "cp949"),
    }


@pytest.mark.parametrize("kind", ["xlsx", "xls", "csv-utf8", "csv-bom", "csv-cp949"])
def test_every_form_reads_the_same(exports: dict[str, Path], kind: str) -> None:
    assert summary(exports[kind]) == EXPECTED


def test_student_identity_and_class_from_title_row(exports: dict[str, Path]) -> None:
    ds = read_reading_exports([exports["xlsx"]])
    students = {e.student for e in ds.entries}
    assert {(s.klass, s.number, s.name) for s in students} == {("2", "1", "홍길동"), ("2", "2", "김영희")}
    assert ds.student_count == 2


def test_duplicates_found_across_grades(exports: dict[str, Path]) -> None:
    report = find_duplicate_books(read_reading_exports([exports["xlsx"]]))
    pairs = {(f.a.text, f.b.text, f.kind) for f in report.findings}
    assert pairs == {
        ("데미안(헤르만 헤세)", "《데미안》(헤세 저)", "similar"),
        ("총, 균, 쇠(재레드 다이아몬드)", "총균쇠(재레드 다이아몬드)", "exact"),
        ("수학의 역사(칼 보이어)", "수학의 역샤(칼 보이어)", "similar"),
    }


def test_folder_and_several_files(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    write_xlsx(folder / "2반.xlsx", CLASS_ROWS)
    other = [
        r if r[:1] != ["2026학년도 3학년 2반 독서활동상황"] else ["2026학년도 3학년 5반 독서활동상황"]
        for r in CLASS_ROWS
    ]
    write_csv(folder / "5반.csv", other, "cp949")
    (folder / "~$2반.xlsx").write_bytes(b"lock file")
    ds = read_reading_exports([folder])
    assert sorted(ds.files) == ["2반.xlsx", "5반.csv"]
    assert ds.student_count == 4  # same names and numbers, different classes


def test_book_per_row_table(tmp_path: Path) -> None:
    rows = [
        ["학번", "성명", "학년", "학기", "도서명", "저자"],
        ["30201", "홍길동", 1, 1, "데미안", "헤르만 헤세"],
        ["30201", "홍길동", 3, 2, "데미안", "헤세 지음"],
        ["30202", "김영희", 2, 1, "데미안", "헤르만 헤세"],
    ]
    ds = read_reading_exports([write_xlsx(tmp_path / "rows.xlsx", rows)])
    assert [(e.student.student_id, e.title, e.author, e.source.row) for e in ds.entries] == [
        ("30201", "데미안", "헤르만 헤세", 2),
        ("30201", "데미안", "헤세 지음", 3),
        ("30202", "데미안", "헤르만 헤세", 4),
    ]
    (f,) = find_duplicate_books(ds).findings
    assert (f.student.student_id, f.a.source.row, f.b.source.row, f.kind) == ("30201", 2, 3, "similar")


def test_per_student_export_with_name_in_title(tmp_path: Path) -> None:
    rows = [
        ["독서활동상황 (학생별)"],
        ["학번: 30201   성명: 홍길동"],
        ["학 년", "과목 또는 영역", "독서활동 상황"],
        [1, "공통", "(1학기) 데미안(헤르만 헤세)"],
        [2, "국어", "(2학기) 데미안(헤르만 헤세)"],
    ]
    ds = read_reading_exports([write_xlsx(tmp_path / "p.xlsx", rows)])
    assert {(e.student.student_id, e.student.name) for e in ds.entries} == {("30201", "홍길동")}
    assert len(find_duplicate_books(ds).findings) == 1


def test_password_protected_input(tmp_path: Path) -> None:
    plain = write_xlsx(tmp_path / "plain.xlsx", CLASS_ROWS)
    locked = encrypt(plain, tmp_path / "locked.xlsx", "s3cret")
    before = locked.read_bytes()
    with pytest.raises(PasswordError, match="암호가 걸린 파일입니다"):
        read_reading_exports([locked])
    with pytest.raises(PasswordError, match="암호가 맞지 않습니다"):
        read_reading_exports([locked], password="wrong")
    assert len(read_reading_exports([locked], password="s3cret").entries) == len(EXPECTED)
    assert locked.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "빈 파일입니다"),
        (b"PK\x03\x04garbage that is not a zip", "엑셀 파일을 읽을 수 없습니다"),
        (b"\xff\xfe\xfa\x00" * 3 + b"\x80\x81\xfe", "글자 인코딩을 알 수 없습니다"),
    ],
)
def test_bad_files(tmp_path: Path, content: bytes, message: str) -> None:
    p = tmp_path / "bad.xlsx"
    p.write_bytes(content)
    with pytest.raises(InputFileError, match=message):
        read_reading_exports([p])


def test_missing_columns_names_found_and_needed(tmp_path: Path) -> None:
    p = write_xlsx(tmp_path / "x.xlsx", [["이름", "나이", "주소"], ["홍길동", 17, "서울"]])
    with pytest.raises(MissingColumnsError) as exc:
        read_reading_exports([p])
    assert "필요한 열이 없습니다: 독서활동상황(또는 도서명)" in str(exc.value)
    assert "찾은 열: 이름, 나이, 주소" in str(exc.value)


def test_missing_student_column(tmp_path: Path) -> None:
    p = write_xlsx(tmp_path / "x.xlsx", [["학년", "독서활동 상황"], [1, "(1학기) 데미안(헤르만 헤세)"]])
    with pytest.raises(
        MissingColumnsError,
        match="학생을 알 수 있는 열이 없습니다: 성명 또는 학번 / 찾은 열: 학년, 독서활동 상황",
    ):
        read_reading_exports([p])


def test_same_export_twice_is_read_once(exports: dict[str, Path], caplog: pytest.LogCaptureFixture) -> None:
    ds = read_reading_exports([exports["xlsx"], exports["csv-cp949"]])
    assert ds.files == ["a.xlsx"] and len(ds.entries) == len(EXPECTED)
    assert "건너뜀: e.csv 은(는) a.xlsx 와(과) 내용이 같습니다" in caplog.text


def test_bad_files_in_a_folder_are_skipped_and_listed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "exports"
    (folder / "가").mkdir(parents=True)
    (folder / "나").mkdir()
    write_xlsx(folder / "가" / "1반.xlsx", CLASS_ROWS)
    other = [
        r if r[:1] != ["2026학년도 3학년 2반 독서활동상황"] else ["2026학년도 3학년 4반 독서활동상황"]
        for r in CLASS_ROWS
    ]
    write_xlsx(folder / "나" / "1반.xlsx", other)
    (folder / "corrupt.xlsx").write_bytes(b"PK\x03\x04garbage that is not a zip")
    (folder / "photo.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    encrypt(write_xlsx(tmp_path / "plain.xlsx", CLASS_ROWS), folder / "locked.xlsx", "pw")
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    ds = read_reading_exports([folder])
    assert ds.files == ["가/1반.xlsx", "나/1반.xlsx"]  # same base name, told apart
    assert {e.source.file for e in ds.entries} == {"가/1반.xlsx", "나/1반.xlsx"}
    assert [(s.path, s.reason) for s in ds.skipped] == [
        ("corrupt.xlsx", "엑셀 파일을 읽을 수 없습니다: 파일이 손상되었거나 엑셀 형식이 아닙니다"),
        ("locked.xlsx", "암호가 걸린 파일입니다"),
        ("photo.xlsx", "표 파일이 아닙니다 (그림(PNG) 파일)"),
    ]
    assert "건너뜀: corrupt.xlsx" in caplog.text
    report = find_duplicate_books(ds)
    assert [s["path"] for s in report.to_json()["summary"]["skipped"]] == [
        "corrupt.xlsx",
        "locked.xlsx",
        "photo.xlsx",
    ]
    assert before == {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_bad_file_named_directly_is_still_an_error(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", CLASS_ROWS)
    bad = tmp_path / "photo.xlsx"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    with pytest.raises(InputFileError, match="표 파일이 아닙니다"):
        read_reading_exports([good, bad])


def test_a_folder_of_only_bad_files_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "photo.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    with pytest.raises(MissingColumnsError, match="폴더에 독서활동상황 파일이 없습니다"):
        read_reading_exports([folder])


def test_skipped_files_are_listed_in_the_report_summary(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from schoolauto.records.report import build_workbook

    folder = tmp_path / "exports"
    folder.mkdir()
    write_xlsx(folder / "2반.xlsx", CLASS_ROWS)
    (folder / "photo.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    doc = build_workbook(find_duplicate_books(read_reading_exports([folder])))
    out = tmp_path / "r.xlsx"
    out.write_bytes(doc.to_bytes())
    cells = [
        c.value for row in load_workbook(out)["요약"].iter_rows() for c in row if isinstance(c.value, str)
    ]
    assert any("건너뜀: photo.xlsx (표 파일이 아닙니다 (그림(PNG) 파일))" in c for c in cells)
