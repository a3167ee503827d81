"""Reading NEIS 독서활동상황 exports (반별 and per student) and plain one-book-per-row tables.

Files, students and provenance come from the shared reader (`reader.py`); this module only knows
the reading columns and how a cell lists books.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from openpyxl.utils import get_column_letter

from ..errors import MissingColumnsError
from ..ingest import ColumnSpec, HeaderMatch, Sheet, locate_columns, read_sheets
from .catalog import known_compact_titles
from .model import BookEntry, ReadingDataset, Source
from .parse import normalise_semester, parse_reading_cell, split_title_author
from .reader import STUDENT_SPECS, InputFile, SkippedFile, StudentRows, input_files, read_each

log = logging.getLogger(__name__)

_STUDENT_SPECS = [
    *STUDENT_SPECS,
    ColumnSpec(
        "subject", ("과목 또는 영역", "과목또는영역", "과목", "영역", "과목/영역", "교과"), required=False
    ),
]
NEIS_SPECS = [
    ColumnSpec(
        "reading",
        (
            "독서활동상황",
            "독서활동 상황",
            "독서활동",
            "독서 활동",
            "독서기록",
            "도서명 및 저자",
            "독서활동내용",
        ),
        label="독서활동상황",
    ),
    *_STUDENT_SPECS,
]
BOOK_ROW_SPECS = [
    ColumnSpec("title", ("도서명", "책제목", "책 제목", "서명", "도서 제목", "도서"), label="도서명"),
    ColumnSpec("author", ("저자", "지은이", "작가", "저자명", "글쓴이"), required=False),
    *_STUDENT_SPECS,
]


class _SheetReader:
    def __init__(self, match: HeaderMatch, layout: str, known: frozenset[str], display: str) -> None:
        self.match = match
        self.layout = layout
        self.known = known
        self.display = display
        self.text_key = "reading" if layout == "neis" else "title"
        self.rows = StudentRows(match, text_keys=(self.text_key,), carry=("year", "grade", "subject"))

    def entries(self) -> Iterable[BookEntry]:
        column_letter = get_column_letter(self.match.columns[self.text_key] + 1)
        for r in self.rows:
            v = r.values
            cell = v.get(self.text_key, "")
            subject = v.get("subject") or None
            row_semester = normalise_semester(r.semester) if r.semester else None

            base = Source(
                file=self.display,
                sheet=self.match.sheet.name,
                row=r.row,
                column=column_letter,
                year=r.year or None,
                grade=r.grade or None,
                subject=subject,
            )
            if self.layout == "neis":
                for parsed in parse_reading_cell(cell, self.known):
                    yield BookEntry(
                        student=r.student,
                        text=parsed.text,
                        title=parsed.title,
                        author=parsed.author,
                        source=replace(base, index=parsed.index, semester=parsed.semester or row_semester),
                    )
            else:
                author = v.get("author") or None
                title = cell
                if author is None:
                    title, author = split_title_author(cell)
                yield BookEntry(
                    student=r.student,
                    text=cell,
                    title=title,
                    author=author,
                    source=replace(base, semester=row_semester),
                )


def _match_sheet(sheet: Sheet) -> tuple[HeaderMatch, str] | None:
    m = locate_columns(sheet, NEIS_SPECS, raise_missing=False)
    if m is not None:
        return m, "neis"
    m = locate_columns(sheet, BOOK_ROW_SPECS, raise_missing=False)
    if m is not None:
        return m, "rows"
    return None


@dataclass
class ReadingFile:
    """The entries of one export file, and how many of its sheets were read."""

    file: InputFile
    entries: list[BookEntry]
    sheets_read: int


def iter_reading_files(
    paths: Iterable[str | Path], *, password: str | None = None, skipped: list[SkippedFile] | None = None
) -> Iterator[ReadingFile]:
    """Each export file's entries as soon as it is read (a job may start its work on them meanwhile).

    A file named directly must be a reading export (else a clear error); inside a folder, files that
    cannot be read or lack a 독서활동상황 (or 도서명) column are skipped (appended to `skipped`) with a
    warning, and the folder must hold at least one export. The same export given twice is read once.
    """
    known = known_compact_titles()
    skipped = skipped if skipped is not None else []
    seen: dict[int, str] = {}  # content fingerprint -> first file with it

    def read(f: InputFile) -> ReadingFile:
        return _read_file(f, password, known)

    for f, got in read_each(input_files(paths), read, skipped, what="독서활동상황"):
        # The same export given twice (xlsx and csv, or '독서활동(1).xlsx') would flag every book.
        fingerprint = hash(
            tuple(
                (e.student.key, e.source.grade, e.source.semester, e.source.subject, e.text)
                for e in got.entries
            )
        )
        if got.entries and fingerprint in seen:
            log.warning("건너뜀: %s 은(는) %s 와(과) 내용이 같습니다", f.display, seen[fingerprint])
            continue
        seen[fingerprint] = f.display
        yield got


def read_reading_exports(paths: Iterable[str | Path], *, password: str | None = None) -> ReadingDataset:
    """Read every file into one dataset of book entries (see `iter_reading_files`)."""
    dataset = ReadingDataset()
    for got in iter_reading_files(paths, password=password, skipped=dataset.skipped):
        take_file(dataset, got)
    return dataset


def take_file(dataset: ReadingDataset, got: ReadingFile) -> None:
    """Add one file's entries to a dataset."""
    dataset.entries.extend(got.entries)
    dataset.files.append(got.file.display)
    dataset.sheets_read += got.sheets_read


def _read_file(f: InputFile, password: str | None, known: frozenset[str]) -> ReadingFile:
    path = f.path
    sheets = read_sheets(path, password=password)
    entries: list[BookEntry] = []
    matched = 0
    for sheet in sheets:
        found = _match_sheet(sheet)
        if found is None:
            continue
        match, layout = found
        matched += 1
        got = list(_SheetReader(match, layout, known, f.display).entries())
        log.info("%s: %d entries", sheet.label, len(got))
        entries.extend(got)
    if matched == 0:
        # Say what the most header-like row of the first sheet had, and what is needed.
        try:
            locate_columns(sheets[0], NEIS_SPECS[:1])
        except MissingColumnsError as exc:
            raise MissingColumnsError(
                exc.message.replace(
                    "필요한 열이 없습니다: 독서활동상황", "필요한 열이 없습니다: 독서활동상황(또는 도서명)"
                ),
                path=path,
                sheet=exc.sheet,
                hint="NEIS 독서활동상황 내보내기 파일이거나 '성명'과 '도서명' 열이 있는 표여야 합니다",
            ) from None
        raise MissingColumnsError("독서활동상황 열이 있는 시트가 없습니다", path=path)
    return ReadingFile(file=f, entries=entries, sheets_read=matched)
