"""Fuzzing the readers (issue 9, "The mechanisms"): mutated real exports never escape as a traceback.

Real files are made once (a record-book export as xlsx and CP949 csv, a roster as xlsx and csv);
hypothesis then flips and truncates their bytes, replaces cells (up to 1 MB of text), and
re-encodes the csv in other encodings. The table reader (`schoolauto.ingest`) and the reading-cell
parser (`schoolauto.records.parse_reading_cell`) must either succeed or raise a `SchoolautoError`
(which the CLI shows as one Korean line). Few examples and no deadline keep it quick and steady in
CI; there are no timing assertions.
"""

from __future__ import annotations

import csv
import functools
import importlib
import importlib.util
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schoolauto.cli import main
from schoolauto.errors import SchoolautoError
from schoolauto.ingest import ColumnSpec, read_sheets, read_table
from schoolauto.records import parse_reading_cell

FUZZ = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
SPECS = [
    ColumnSpec("id", ("학번",), required=False),
    ColumnSpec("name", ("성명", "이름")),
    ColumnSpec("reading", ("독서활동 상황", "독서활동상황"), required=False),
]
ENCODINGS = [
    "utf-8",
    "utf-8-sig",
    "cp949",
    "euc-kr",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "shift_jis",
    "latin-1",
]
SEPARATORS = [
    ",",
    ", ",
    "(",
    ")",
    "[",
    "]",
    "《",
    "》",
    "(1학기)",
    "(2학기)",
    " ",
    "\n",
    "·",
    "/",
    ":",
    "저",
    "지음",
]


@functools.cache
def real_files() -> dict[str, bytes]:
    """One real export and one real roster in each format, made by the package's own generators."""
    with tempfile.TemporaryDirectory(prefix="schoolauto-fuzz-") as tmp:
        folder = Path(tmp)
        args = [
            "records",
            "generate",
            "--students",
            "6",
            "--out-dir",
            str(folder / "x"),
            "--format",
            "xlsx,csv",
        ]
        assert main([*args, "--seed", "5"]) == 0
        for out in ("r.xlsx", "r.csv"):
            assert (
                main(["roster", "generate", "--students", "12", "--seed", "2", "--out", str(folder / out)])
                == 0
            )
        files = {p.name: p.read_bytes() for p in sorted((folder / "x").iterdir()) if p.name != "gold.csv"}
        files["roster.xlsx"] = (folder / "r.xlsx").read_bytes()
        files["roster.csv"] = (folder / "r.csv").read_bytes()
    assert any(n.endswith(".xlsx") for n in files) and any(n.endswith(".csv") for n in files)
    return files


def _decode_any(data: bytes) -> str:
    for enc in ("utf-8-sig", "cp949"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise AssertionError("the generators write UTF-8 or CP949")


huge_text = st.builds(
    lambda piece, n: piece * n,
    st.sampled_from(["가", "a", "데미안(헤르만 헤세)", "\u3000", "=", '"', "\ufeff", "𝕏"]),
    st.integers(min_value=0, max_value=1_000_000),
).map(lambda s: s[:1_000_000])
cell_text = st.one_of(
    st.text(max_size=40), huge_text, st.sampled_from(["", " ", "학번", "성명", "#N/A", "=SUM(A1)"])
)


@st.composite
def mutated_file(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(real_files())))
    data = real_files()[name]
    how = draw(st.sampled_from(["flip", "truncate", "cells", "encoding", "cells+encoding"]))
    if how == "flip":
        out = bytearray(data)
        for _ in range(draw(st.integers(1, 16))):
            i = draw(st.integers(0, len(out) - 1))
            out[i] ^= draw(st.integers(1, 255))
        return name, bytes(out)
    if how == "truncate":
        return name, data[: draw(st.integers(0, len(data)))]
    if name.endswith(".xlsx"):
        return name, _xlsx_with_cells(data, draw)
    text = _decode_any(data)
    if "cells" in how:
        rows = list(csv.reader(io.StringIO(text, newline="")))
        for _ in range(draw(st.integers(1, 4))):
            r = draw(st.integers(0, len(rows) - 1))
            if rows[r]:
                rows[r][draw(st.integers(0, len(rows[r]) - 1))] = draw(cell_text)
        buf = io.StringIO()
        csv.writer(buf).writerows(rows)
        text = buf.getvalue()
    encoding = draw(st.sampled_from(ENCODINGS)) if "encoding" in how else "utf-8"
    return name, text.encode(encoding, errors="replace")


def _xlsx_with_cells(data: bytes, draw: st.DrawFn) -> bytes:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    for _ in range(draw(st.integers(1, 4))):
        row = draw(st.integers(1, max(ws.max_row, 1) + 2))
        column = draw(st.integers(1, max(ws.max_column, 1) + 1))
        text = "".join(ch for ch in draw(cell_text)[:32_767] if ch >= " " or ch in "\t\n")
        cell = ws.cell(row, column)
        if cell.coordinate in ws.merged_cells:  # a merged cell's value lives in its top-left cell
            continue
        cell.value = text
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _read(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / name
        p.write_bytes(data)
        try:
            sheets = read_sheets(p)
            assert sheets and all(isinstance(cell, str) for s in sheets for row in s.rows for cell in row)
            read_table(p, SPECS)
        except SchoolautoError as exc:
            assert str(exc).strip()
        assert p.read_bytes() == data  # the reader never writes


@FUZZ
@given(mutated_file())
def test_table_reader_survives_mutated_exports(case: tuple[str, bytes]) -> None:
    name, data = case
    _read(name, data)


@FUZZ
@given(st.binary(max_size=4096), st.sampled_from(["a.xlsx", "a.xls", "a.csv", "a.tsv", "a.ods"]))
def test_table_reader_survives_random_bytes(data: bytes, name: str) -> None:
    _read(name, data)


def test_table_reader_reads_a_megabyte_cell(tmp_path: Path) -> None:
    """One 1 MB cell in a csv (over the csv module's default field limit) is read whole."""
    p = tmp_path / "big.csv"
    p.write_text("학번,성명,독서활동 상황\n10101,홍길동," + "가" * 1_000_000 + "\n", encoding="utf-8")
    records = read_table(p, SPECS)
    assert len(records) == 1 and len(records[0].get("reading")) == 1_000_000


@FUZZ
@given(mutated_file())
def test_record_book_reader_survives_mutated_exports(case: tuple[str, bytes]) -> None:
    """The records domain's reader over the same mutations, then the duplicate check on what it read."""
    from schoolauto.records import find_duplicate_books, read_reading_exports

    name, data = case
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / name
        p.write_bytes(data)
        try:
            dataset = read_reading_exports([p])
            # Entries far longer than any real title are issue 9 #13 (quadratic comparison): not here.
            if all(len(e.text) < 2_000 for e in dataset.entries):
                find_duplicate_books(dataset)
        except SchoolautoError as exc:
            assert str(exc).strip()


reading_cell = st.one_of(
    st.text(max_size=300),
    # Real-looking cells: semester markers, titles, brackets, authors and separators in any order.
    st.lists(
        st.one_of(
            st.sampled_from(SEPARATORS),
            st.sampled_from(["데미안", "토지 1", "C++ 프로그래밍", "헤르만 헤세", "총, 균, 쇠"]),
        ),
        max_size=200,
    ).map("".join),
    # Huge cells with few separators (1 MB) ...
    st.builds(lambda head, n: head + "가" * n, st.text(max_size=20), st.integers(0, 1_000_000)),
    # ... and long runs of entries (kept to a few thousand: the parser's cost grows with them).
    st.builds(lambda n: "(1학기) " + "데미안(헤르만 헤세), " * n, st.integers(0, 300)),
)


@FUZZ
@given(reading_cell)
def test_reading_cell_parser_never_raises_anything_else(cell: str) -> None:
    try:
        entries = parse_reading_cell(cell)
    except SchoolautoError:
        return
    for entry in entries:
        assert isinstance(entry.text, str)


@pytest.mark.skipif(
    importlib.util.find_spec("schoolauto.config") is None, reason="schoolauto.config not merged yet"
)
@FUZZ
@given(
    st.one_of(
        st.binary(max_size=2048),
        st.text(max_size=400).map(lambda t: t.encode("utf-8")),
        st.sampled_from(
            ['[lms.우리학교]\nurl = "x"\n', '[lms."a"]\ntimeout = "ten"\n', "\ufeff[mail]\nport = 0\n"]
        ).flatmap(
            lambda t: st.sampled_from(["utf-8", "utf-8-sig", "cp949", "utf-16"]).map(
                lambda e: t.encode(e, errors="replace")
            )
        ),
    )
)
def test_config_reader_never_raises_anything_else(data: bytes) -> None:
    config = importlib.import_module("schoolauto.config")
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "schoolauto.toml"
        p.write_bytes(data)
        try:
            config.read_config(p)
        except SchoolautoError:
            pass
