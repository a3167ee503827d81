"""Synthetic exports: deterministic, in NEIS layout, with a gold file the methods are scored against."""

from __future__ import annotations

from pathlib import Path

import pytest

from schoolauto.ingest import read_sheets
from schoolauto.records import find_duplicate_books, read_reading_exports
from schoolauto.records.evaluate import score_report
from schoolauto.records.generate import generate_reading_exports, gold_path, jamo_typo, read_gold


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("gen")
    return out, generate_reading_exports(out, students=150, formats=("xlsx", "csv"), seed=11)


def test_layout_quirks(generated) -> None:
    out, _ = generated
    sheet = read_sheets(out / "2026_3학년_1반_독서활동상황.xlsx")[0]
    assert sheet.rows[0][0] == "2026학년도 3학년 1반 독서활동상황"
    assert sheet.rows[2][:5] == ["번  호", "성  명", "학  년", "과목 또는 영역", "독서활동 상황"]
    headers = [i for i, r in enumerate(sheet.rows) if r[:1] == ["번  호"]]
    assert len(headers) > 1  # repeated at page breaks
    blank_name_rows = [r for r in sheet.rows[3:] if r[4] and not r[1]]
    assert blank_name_rows  # merged 번호/성명 cells
    raw = (out / "2026_3학년_1반_독서활동상황.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    raw.decode("cp949")


def test_same_seed_same_data(tmp_path: Path, generated) -> None:
    out, _ = generated
    again = generate_reading_exports(tmp_path, students=150, formats=("csv",), seed=11)
    assert gold_path(tmp_path).read_bytes() == gold_path(out).read_bytes()
    for f in again.files:
        assert f.read_bytes() == (out / f.name).read_bytes()


def test_xlsx_and_csv_read_alike(generated) -> None:
    out, gen = generated
    xl = read_reading_exports(sorted(out.glob("*.xlsx")))
    cs = read_reading_exports(sorted(out.glob("*.csv")))
    assert len(xl.entries) == len(cs.entries) == gen.entries
    assert xl.student_count == cs.student_count == 150


def test_default_beats_ratio_on_generated_data(generated) -> None:
    out, gen = generated
    gold = read_gold(gen.gold)
    assert len(gold) == gen.true_pairs > 100
    ds = read_reading_exports(sorted(out.glob("*.xlsx")))
    default = score_report(find_duplicate_books(ds, "default"), gold)
    ratio = score_report(find_duplicate_books(ds, "ratio"), gold)
    assert default.recall >= 0.99 and default.precision >= 0.99, default
    assert default.f1 > ratio.f1 + 0.3, (default, ratio)


@pytest.mark.parametrize("seed", range(20))
def test_jamo_typo_changes_exactly_one_jamo(seed: int) -> None:
    import random

    from rapidfuzz.distance import Levenshtein

    from schoolauto.records.text import jamo

    typo = jamo_typo("수학의 역사", random.Random(seed))
    assert typo is not None and typo != "수학의 역사"
    assert Levenshtein.distance(jamo(typo), jamo("수학의 역사")) == 1


def test_generate_cli(run_cli, tmp_path: Path) -> None:
    r = run_cli(
        "records",
        "generate",
        "--students",
        "35",
        "--out-dir",
        tmp_path,
        "--format",
        "xlsx,csv",
        "--seed",
        "3",
    )
    assert r.code == 0, r.err
    assert r.out.startswith("가상 학생 35명, 도서 ")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "2026_3학년_1반_독서활동상황.csv",
        "2026_3학년_1반_독서활동상황.xlsx",
        "2026_3학년_2반_독서활동상황.csv",
        "2026_3학년_2반_독서활동상황.xlsx",
    ]
    assert gold_path(tmp_path) == tmp_path.parent / f"{tmp_path.name}_정답.csv"
    assert gold_path(tmp_path).is_file() and f"정답 파일: {gold_path(tmp_path)}" in r.out
    again = run_cli("records", "generate", "--students", "35", "--out-dir", tmp_path)
    assert again.code == 2 and "출력 파일이 이미 있습니다" in again.err
    # the export folder holds only exports: no warning about the gold file
    # (the xlsx and csv copies of a class are one export, and that is the only warning)
    check = run_cli("records", "duplicates", tmp_path)
    assert check.code == 0 and "정답" not in check.err and "필요한 열이 없습니다" not in check.err, check.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--class-size", "0"], "오류: --class-size: 1 이상이어야 합니다 (받은 값: 0)"),
        (["--books", "0"], "오류: --books: 1 이상이어야 합니다 (받은 값: 0)"),
        (["--books", "-3"], "오류: --books: 1 이상이어야 합니다 (받은 값: -3)"),
        (["--students", "0"], "오류: --students: 1 이상이어야 합니다 (받은 값: 0)"),
        (["--format", ""], "오류: --format: 파일 형식을 하나 이상 주세요 (가능한 값: xlsx, csv)"),
        (["--format", "pdf"], "오류: --format: 알 수 없는 형식입니다: pdf (가능한 값: xlsx, csv)"),
        (["--format", "xlsx,"], None),
    ],
)
def test_generate_bad_numbers_and_formats(
    run_cli, tmp_path: Path, args: list[str], message: str | None
) -> None:
    out = tmp_path / "out"
    r = run_cli("records", "generate", "--students", "3", "--out-dir", out, *args)
    if message is None:
        assert r.code == 0, r.err
        return
    assert (r.code, r.err.strip()) == (2, message)
    assert not out.exists() and not gold_path(out).exists()  # nothing written, not even the gold file


def test_generate_out_dir_naming_a_file(run_cli, tmp_path: Path) -> None:
    f = tmp_path / "a_file"
    f.write_text("x", encoding="utf-8")
    r = run_cli("records", "generate", "--students", "3", "--out-dir", f)
    assert r.code == 2
    assert r.err.startswith("오류: ") and "폴더가 아니라 파일입니다" in r.err and "Error" not in r.err
    assert f.read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize("name", ["default", "ratio"])
def test_fast_pair_search_equals_comparing_every_pair(generated, name: str) -> None:
    from schoolauto.records import get_method
    from schoolauto.records.methods import all_pairs

    out, _ = generated
    ds = read_reading_exports(sorted(out.glob("*.xlsx"))[:2])
    method = get_method(name)
    method.prepare(ds.entries)
    for entries in ds.by_student().values():
        assert list(method.find_matches(entries)) == list(all_pairs(method, entries))
