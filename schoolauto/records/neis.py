"""Reading NEIS 독서활동상황 exports (반별 and per student) and plain one-book-per-row tables."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils import get_column_letter

from ..errors import InputFileError, MissingColumnsError
from ..ingest import ColumnSpec, HeaderMatch, Sheet, expand_inputs, iter_records, locate_columns, read_sheets
from .catalog import known_compact_titles
from .model import BookEntry, ReadingDataset, Source, StudentRef
from .parse import normalise_semester, parse_reading_cell, split_title_author
from .text import nfkc

log = logging.getLogger(__name__)

_STUDENT_SPECS = [
    ColumnSpec("id", ("학번",), required=False),
    ColumnSpec("class", ("반", "학급", "반명"), required=False),
    ColumnSpec("number", ("번호", "번"), required=False),
    ColumnSpec("name", ("성명", "이름", "학생명", "학생 이름", "학생성명"), required=False, label="성명"),
    ColumnSpec("year", ("학년도",), required=False),
    ColumnSpec("grade", ("학년",), required=False),
    ColumnSpec("semester", ("학기",), required=False),
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
_EMPTY_CELLS = {"", "-", "없음", "해당없음", "해당 없음", "무", "x", "X", "."}


@dataclass
class _Context:
    """What title rows above the header say: '2026학년도 1학년 3반', '성명: 홍길동'."""

    year: str | None = None
    grade: str | None = None
    klass: str | None = None
    name: str | None = None
    number: str | None = None
    student_id: str | None = None


def _title_context(sheet: Sheet, header_index: int) -> _Context:
    ctx = _Context()
    text = " ".join(c for row in sheet.rows[:header_index] for c in row if c)
    text = nfkc(text)
    if m := re.search(r"(\d{4})\s*학\s*년\s*도", text):
        ctx.year = m.group(1)
    if m := re.search(r"(?<!\d)([1-6])\s*학\s*년(?!\s*도)", text):
        ctx.grade = m.group(1)
    if m := re.search(r"(?<!\d)(\d{1,2})\s*반(?!\S*\s*번호)", text):
        ctx.klass = m.group(1)
    if m := re.search(r"성\s*명\s*[:：]?\s*([가-힣]{2,5})", text):
        ctx.name = m.group(1)
    if m := re.search(r"학\s*번\s*[:：]?\s*(\d{4,10})", text):
        ctx.student_id = m.group(1)
    if m := re.search(r"번\s*호\s*[:：]?\s*(\d{1,3})", text):
        ctx.number = m.group(1)
    return ctx


def _clean_number(value: str) -> str:
    v = nfkc(value).strip()
    v = re.sub(r"\s*(번|반|학년)$", "", v)
    return str(int(v)) if v.isdigit() else v


def _student_key(sid: str, klass: str, number: str, name: str) -> tuple[str, ...]:
    if sid:
        return ("id", sid)
    if klass or number:
        return ("cn", klass, number, name)
    return ("n", name)


class _SheetReader:
    def __init__(self, match: HeaderMatch, layout: str, known: frozenset[str]) -> None:
        self.match = match
        self.layout = layout
        self.known = known
        self.ctx = _title_context(match.sheet, match.header_index)
        cols = match.columns
        has_student = any(k in cols for k in ("id", "name")) or self.ctx.name or self.ctx.student_id
        if not has_student:
            found = [c for c in match.header_row if c]
            raise MissingColumnsError(
                f"학생을 알 수 있는 열이 없습니다: 성명 또는 학번 / 찾은 열: {', '.join(found) or '(없음)'}",
                path=match.sheet.path,
                sheet=match.sheet.name,
                row=match.header_row_number,
                hint="머리글 행에 '성명' 또는 '학번' 열이 있어야 합니다",
            )

    def entries(self) -> Iterable[BookEntry]:
        sheet = self.match.sheet
        cols = self.match.columns
        text_key = "reading" if self.layout == "neis" else "title"
        column_letter = get_column_letter(cols[text_key] + 1)
        prev: dict[str, str] = {}
        for rec in iter_records(self.match):
            v = {k: (rec.get(k) or "").strip() for k in cols}
            student_fields = ("id", "class", "number", "name")
            if not any(v.get(k) for k in student_fields if k in cols) and prev:
                # merged or blank 번호/성명 cells belong to the row above
                for k in (*student_fields, "year", "grade", "subject"):
                    if k in cols and not v.get(k):
                        v[k] = prev.get(k, "")
            elif prev and all(v.get(k, "") == prev.get(k, "") for k in student_fields if k in cols):
                for k in ("year", "grade"):
                    if k in cols and not v.get(k):
                        v[k] = prev.get(k, "")
            prev = v
            cell = v.get(text_key, "")
            if cell in _EMPTY_CELLS:
                continue
            name = v.get("name") or self.ctx.name or ""
            sid = _clean_number(v.get("id", "")) or (self.ctx.student_id or "")
            klass = _clean_number(v.get("class", "")) or (self.ctx.klass or "")
            number = _clean_number(v.get("number", "")) or (self.ctx.number or "")
            if not name and not sid:
                raise InputFileError(
                    "이 행의 학생(성명 또는 학번)을 알 수 없습니다",
                    path=sheet.path,
                    sheet=sheet.name,
                    row=rec.row,
                    hint="성명 칸을 채우거나 병합된 칸을 확인하세요",
                )
            student = StudentRef(
                key=_student_key(sid, klass, number, name),
                name=name,
                klass=klass or None,
                number=number or None,
                student_id=sid or None,
            )
            grade = _clean_number(v.get("grade", "")) or self.ctx.grade
            year = _clean_number(v.get("year", "")) or self.ctx.year
            subject = v.get("subject") or None
            row_semester = normalise_semester(v.get("semester", "")) if v.get("semester") else None
            if self.layout == "neis":
                for parsed in parse_reading_cell(cell, self.known):
                    yield BookEntry(
                        student=student,
                        text=parsed.text,
                        title=parsed.title,
                        author=parsed.author,
                        source=Source(
                            file=sheet.path.name,
                            sheet=sheet.name,
                            row=rec.row,
                            column=column_letter,
                            index=parsed.index,
                            year=year or None,
                            grade=grade or None,
                            semester=parsed.semester or row_semester,
                            subject=subject,
                        ),
                    )
            else:
                author = v.get("author") or None
                title = cell
                if author is None:
                    title, author = split_title_author(cell)
                yield BookEntry(
                    student=student,
                    text=cell,
                    title=title,
                    author=author,
                    source=Source(
                        file=sheet.path.name,
                        sheet=sheet.name,
                        row=rec.row,
                        column=column_letter,
                        index=1,
                        year=year or None,
                        grade=grade or None,
                        semester=row_semester,
                        subject=subject,
                    ),
                )


def _match_sheet(sheet: Sheet) -> tuple[HeaderMatch, str] | None:
    m = locate_columns(sheet, NEIS_SPECS, raise_missing=False)
    if m is not None:
        return m, "neis"
    m = locate_columns(sheet, BOOK_ROW_SPECS, raise_missing=False)
    if m is not None:
        return m, "rows"
    return None


def read_reading_exports(
    paths: Iterable[str | Path],
    *,
    password: str | None = None,
    on_file: Callable[[list[BookEntry]], object] | None = None,
) -> ReadingDataset:
    """Read every file into one dataset of book entries.

    `on_file` is called with each file's entries as soon as it is read, so a method can start its
    per-entry work (Kiwi tokenises in its own threads) while the next file is read.

    A file named directly must be a reading export (else a clear error); inside a folder, files
    without a 독서활동상황 (or 도서명) column are skipped with a warning, and the folder must hold
    at least one export.
    """
    known = known_compact_titles()
    dataset = ReadingDataset()
    seen: dict[int, str] = {}  # content fingerprint -> first file with it
    for raw in paths:
        from_folder = Path(raw).is_dir()
        files = expand_inputs([raw])
        read_here = 0
        for path in files:
            try:
                entries = _read_file(path, password, known, dataset)
            except MissingColumnsError as exc:
                if not from_folder:
                    raise
                log.warning("건너뜀: %s (%s)", path.name, exc.message)
                continue
            read_here += 1
            # The same export given twice (xlsx and csv, or '독서활동(1).xlsx') would flag every book.
            fingerprint = hash(
                tuple(
                    (e.student.key, e.source.grade, e.source.semester, e.source.subject, e.text)
                    for e in entries
                )
            )
            if entries and fingerprint in seen:
                log.warning("건너뜀: %s 은(는) %s 와(과) 내용이 같습니다", path.name, seen[fingerprint])
                continue
            seen[fingerprint] = path.name
            dataset.entries.extend(entries)
            dataset.files.append(path.name)
            if on_file is not None:
                on_file(entries)
        if from_folder and read_here == 0:
            raise MissingColumnsError(
                "폴더에 독서활동상황 파일이 없습니다: 독서활동상황(또는 도서명) 열이 있는 파일이 하나도 없습니다",
                path=raw,
            )
    return dataset


def _read_file(
    path: Path, password: str | None, known: frozenset[str], dataset: ReadingDataset
) -> list[BookEntry]:
    sheets = read_sheets(path, password=password)
    entries: list[BookEntry] = []
    matched = 0
    for sheet in sheets:
        found = _match_sheet(sheet)
        if found is None:
            continue
        match, layout = found
        matched += 1
        dataset.sheets_read += 1
        got = list(_SheetReader(match, layout, known).entries())
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
    return entries
