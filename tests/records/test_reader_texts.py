"""The shared reader for record texts: every layout schools have, with provenance."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from schoolauto.errors import InputFileError, MissingColumnsError
from schoolauto.records.reader import SkippedFile, iter_record_files

from .builders import write_csv


def xlsx(path: Path, rows: list[list[object]], merges: tuple[str, ...] = ()) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "세특"
    for r in rows:
        ws.append(r)
    for m in merges:
        ws.merge_cells(m)
    wb.save(path)
    return path


def read(*paths: Path) -> list[tuple[object, ...]]:
    return [
        (t.student.klass, t.student.number, t.student.name, t.student.student_id, t.field, t.subject, t.text,
         t.source.file, t.source.row, t.source.column)
        for f in iter_record_files(list(paths))
        for t in f.texts
    ]  # fmt: skip


def test_subject_notes_with_title_row_and_merged_cells(tmp_path: Path) -> None:
    p = xlsx(
        tmp_path / "a.xlsx",
        [
            ["2026학년도 2학년 3반 교과 세부능력 및 특기사항"],
            [],
            ["번  호", "성  명", "과  목", "세부능력 및 특기사항"],
            [1, "홍길동", "국어", "글 A"],
            [None, None, "수학", "글 B"],
            [2, "김영희", "국어", "-"],
        ],
        merges=("A4:A5", "B4:B5"),
    )
    assert read(p) == [
        ("3", "1", "홍길동", None, "교과세특", "국어", "글 A", "a.xlsx", 4, "D"),
        ("3", "1", "홍길동", None, "교과세특", "수학", "글 B", "a.xlsx", 5, "D"),
    ]


def test_personal_behaviour_and_both_activity_layouts(tmp_path: Path) -> None:
    personal = xlsx(
        tmp_path / "p.xlsx", [["학번", "성명", "개인별 세부능력 및 특기사항"], ["20301", "홍길동", "개인 글"]]
    )
    personal_title = xlsx(
        tmp_path / "pt.xlsx",
        [
            ["개인별 세부능력 및 특기사항"],
            ["학번", "성명", "세부능력 및 특기사항"],
            ["20302", "김영희", "글"],
        ],
    )
    behaviour = write_csv(
        tmp_path / "b.csv",
        [["학번", "성명", "행동특성 및 종합의견"], ["20301", "홍길동", "행특 글"]],
        "cp949",
    )
    long = xlsx(
        tmp_path / "l.xlsx",
        [
            ["학번", "성명", "영역", "특기사항"],
            ["20301", "홍길동", "자율·자치활동", "자율 글"],
            [None, None, "진로 활동", "진로 글"],
        ],
    )
    wide = xlsx(
        tmp_path / "w.xlsx",
        [["학번", "성명", "자율활동", "동아리활동", "봉사활동"], ["20302", "김영희", "가", "", "다"]],
    )
    got = [(r[3], r[4], r[5], r[6], r[7]) for r in read(personal, personal_title, behaviour, long, wide)]
    assert got == [
        ("20301", "개인세특", None, "개인 글", "p.xlsx"),
        ("20302", "개인세특", None, "글", "pt.xlsx"),
        ("20301", "행특", None, "행특 글", "b.csv"),
        ("20301", "자율", None, "자율 글", "l.xlsx"),
        ("20301", "진로", None, "진로 글", "l.xlsx"),
        ("20302", "자율", None, "가", "w.xlsx"),
        ("20302", "봉사", None, "다", "w.xlsx"),
    ]


def test_same_file_name_in_two_folders_is_told_apart(tmp_path: Path) -> None:
    for d in ("1학년", "2학년"):
        (tmp_path / "all" / d).mkdir(parents=True)
        xlsx(
            tmp_path / "all" / d / "1반.xlsx", [["학번", "성명", "행동특성 및 종합의견"], [d, "홍길동", "글"]]
        )
    assert [r[7] for r in read(tmp_path / "all")] == ["1학년/1반.xlsx", "2학년/1반.xlsx"]


def test_files_that_match_nothing(tmp_path: Path) -> None:
    p = xlsx(tmp_path / "x.xlsx", [["이름", "나이"], ["홍길동", 17]])
    with pytest.raises(
        MissingColumnsError, match=r"필요한 열이 없습니다: 세부능력 및 특기사항.*찾은 열: 이름, 나이"
    ):
        read(p)
    q = xlsx(tmp_path / "q.xlsx", [["학번", "성명", "특기사항"], ["1", "홍길동", "글"]])
    with pytest.raises(MissingColumnsError, match="영역 열이 없습니다"):
        read(q)
    r = xlsx(tmp_path / "r.xlsx", [["학번", "성명", "영역", "특기사항"], ["1", "홍길동", "독서", "글"]])
    with pytest.raises(InputFileError, match="영역을 알 수 없습니다: '독서'") as exc:
        read(r)
    assert exc.value.row == 2


def test_folder_run_skips_bad_files_and_says_why(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    xlsx(folder / "ok.xlsx", [["학번", "성명", "행동특성 및 종합의견"], ["1", "홍길동", "글"]])
    xlsx(folder / "other.xlsx", [["이름", "나이"], ["홍길동", 17]])
    (folder / "bad.xlsx").write_bytes(b"PK\x03\x04broken")
    skipped: list[SkippedFile] = []
    texts = [t for f in iter_record_files([folder], skipped=skipped) for t in f.texts]
    assert len(texts) == 1
    assert [s.path for s in skipped] == ["bad.xlsx", "other.xlsx"]
    assert skipped[1].reason.startswith("필요한 열이 없습니다")


def test_the_same_export_twice_is_read_once(tmp_path: Path) -> None:
    rows: list[list[object]] = [["학번", "성명", "행동특성 및 종합의견"], ["1", "홍길동", "글"]]
    a = xlsx(tmp_path / "a.xlsx", rows)
    b = write_csv(tmp_path / "a.csv", rows, "cp949")
    skipped: list[SkippedFile] = []
    files = list(iter_record_files([a, b], skipped=skipped))
    assert [f.file.display for f in files] == ["a.xlsx"]
    assert skipped == [SkippedFile("a.csv", "a.xlsx 와(과) 내용이 같습니다")]
