"""The shared record-book reader: which files, which students, where every text was written.

Every record-book check (duplicate books, the audit) reads through this layer:

- `input_files(paths)` expands what the user gave (files and folders) into `InputFile`s whose
  `display` path is relative to what was given, so two `1반.xlsx` in different folders stay apart;
- `read_each(files, read)` reads them one by one; inside a folder a file that cannot be read (corrupt,
  encrypted, a renamed picture, no usable columns) is skipped and recorded as a `SkippedFile`, while a
  file named directly that is bad stays an error;
- `StudentRows` walks the data rows of one located header: student identity from the 학번/반/번호/성명
  columns or the title rows above the header ('2026학년도 1학년 3반', '성명: 홍길동'), and blank or
  merged student cells filled from the row above.

No check runs in here: the reader only yields rows and texts; the jobs decide what to compute.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from openpyxl.utils import get_column_letter

from ..errors import InputFileError, MissingColumnsError
from ..ingest import ColumnSpec, HeaderMatch, Sheet, expand_inputs, iter_records, locate_columns, read_sheets
from .model import Source, StudentRef
from .text import nfkc

log = logging.getLogger(__name__)

STUDENT_SPECS = [
    ColumnSpec("id", ("학번",), required=False),
    ColumnSpec("class", ("반", "학급", "반명"), required=False),
    ColumnSpec("number", ("번호", "번"), required=False),
    ColumnSpec("name", ("성명", "이름", "학생명", "학생 이름", "학생성명"), required=False, label="성명"),
    ColumnSpec("year", ("학년도",), required=False),
    ColumnSpec("grade", ("학년",), required=False),
    ColumnSpec("semester", ("학기",), required=False),
]
STUDENT_FIELDS = ("id", "class", "number", "name")
EMPTY_CELLS = frozenset({"", "-", "없음", "해당없음", "해당 없음", "무", "x", "X", "."})

T = TypeVar("T")


@dataclass(frozen=True)
class InputFile:
    """A file to read: its path, how reports name it, and whether it came from inside a folder."""

    path: Path
    display: str
    from_folder: bool
    given: str  # the file or folder the user named


@dataclass(frozen=True)
class SkippedFile:
    """A file inside a folder that was not checked, and why (in Korean)."""

    path: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"path": self.path, "reason": self.reason}


def input_files(paths: Iterable[str | Path]) -> list[InputFile]:
    """Files given directly, and the table files inside given folders, each named for reports.

    Inside a folder a file is named by its path relative to that folder (`가/1반.xlsx`); a file given
    directly by its name, or by its path as given when two such names would collide.
    """
    out: list[InputFile] = []
    seen: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        from_folder = p.is_dir()
        for f in expand_inputs([raw]):
            key = f.resolve()
            if key in seen:
                continue
            seen.add(key)
            display = f.relative_to(p).as_posix() if from_folder else f.name
            out.append(InputFile(path=f, display=display, from_folder=from_folder, given=str(raw)))
    names = [f.display for f in out if not f.from_folder]
    clash = {n for n in names if names.count(n) > 1}
    return [
        InputFile(path=f.path, display=Path(f.given).as_posix(), from_folder=False, given=f.given)
        if not f.from_folder and f.display in clash
        else f
        for f in out
    ]


def read_each(
    files: Sequence[InputFile],
    read: Callable[[InputFile], T],
    skipped: list[SkippedFile],
    *,
    what: str,
) -> Iterator[tuple[InputFile, T]]:
    """`read(file)` for each file, in order. A bad file inside a folder is skipped (appended to
    `skipped`, with a warning naming it and the reason); a bad file named directly raises.

    A folder none of whose files could be read raises, naming `what` the folder should hold.
    """
    good_in: dict[str, int] = {}
    for f in files:
        if f.from_folder:
            good_in.setdefault(f.given, 0)
        try:
            value = read(f)
        except InputFileError as exc:
            if not f.from_folder:
                raise
            reason = exc.message + (
                f" ({exc.hint})" if exc.hint and isinstance(exc, MissingColumnsError) else ""
            )
            log.warning("건너뜀: %s (%s)", f.display, exc.message)
            skipped.append(SkippedFile(path=f.display, reason=reason))
            continue
        if f.from_folder:
            good_in[f.given] += 1
        yield f, value
    for folder, good in good_in.items():
        if good == 0:
            raise MissingColumnsError(
                f"폴더에 {what} 파일이 없습니다: 읽을 수 있는 파일이 하나도 없습니다", path=folder
            )


@dataclass
class TitleContext:
    """What title rows above the header say: '2026학년도 1학년 3반', '성명: 홍길동'."""

    year: str | None = None
    grade: str | None = None
    klass: str | None = None
    name: str | None = None
    number: str | None = None
    student_id: str | None = None
    text: str = ""


def title_context(sheet: Sheet, header_index: int) -> TitleContext:
    text = nfkc(" ".join(c for row in sheet.rows[:header_index] for c in row if c))
    ctx = TitleContext(text=text)
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


def clean_number(value: str) -> str:
    v = nfkc(value).strip()
    v = re.sub(r"\s*(번|반|학년)$", "", v)
    return str(int(v)) if v.isdigit() else v


def student_key(sid: str, klass: str, number: str, name: str) -> tuple[str, ...]:
    if sid:
        return ("id", sid)
    if klass or number:
        return ("cn", klass, number, name)
    return ("n", name)


@dataclass
class StudentRow:
    """One data row with its student resolved and its record context (year, grade, semester)."""

    student: StudentRef
    values: dict[str, str]
    row: int
    year: str | None
    grade: str | None
    semester: str | None


@dataclass
class StudentRows:
    """The data rows of one located header, with students identified.

    Rows whose `text_keys` cells are all empty are passed over.
    `carry` are the non-student columns that merged cells may leave blank below their first row
    (e.g. 학년, 과목); they are filled from the row above while the student stays the same.
    """

    match: HeaderMatch
    text_keys: tuple[str, ...]
    carry: tuple[str, ...] = ("year", "grade")
    ctx: TitleContext = field(init=False)

    def __post_init__(self) -> None:
        self.ctx = title_context(self.match.sheet, self.match.header_index)
        cols = self.match.columns
        if not (any(k in cols for k in ("id", "name")) or self.ctx.name or self.ctx.student_id):
            found = [c for c in self.match.header_row if c]
            raise MissingColumnsError(
                f"학생을 알 수 있는 열이 없습니다: 성명 또는 학번 / 찾은 열: {', '.join(found) or '(없음)'}",
                path=self.match.sheet.path,
                sheet=self.match.sheet.name,
                row=self.match.header_row_number,
                hint="머리글 행에 '성명' 또는 '학번' 열이 있어야 합니다",
            )

    def __iter__(self) -> Iterator[StudentRow]:
        sheet = self.match.sheet
        cols = self.match.columns
        prev: dict[str, str] = {}
        for rec in iter_records(self.match):
            v = {k: (rec.get(k) or "").strip() for k in cols}
            if not any(v.get(k) for k in STUDENT_FIELDS if k in cols) and prev:
                # merged or blank 번호/성명 cells belong to the row above
                for k in (*STUDENT_FIELDS, *self.carry):
                    if k in cols and not v.get(k):
                        v[k] = prev.get(k, "")
            elif prev and all(v.get(k, "") == prev.get(k, "") for k in STUDENT_FIELDS if k in cols):
                for k in self.carry:
                    if k in cols and not v.get(k):
                        v[k] = prev.get(k, "")
            prev = v
            if all(v.get(k, "") in EMPTY_CELLS for k in self.text_keys):
                continue
            name = v.get("name") or self.ctx.name or ""
            sid = clean_number(v.get("id", "")) or (self.ctx.student_id or "")
            klass = clean_number(v.get("class", "")) or (self.ctx.klass or "")
            number = clean_number(v.get("number", "")) or (self.ctx.number or "")
            if not name and not sid:
                raise InputFileError(
                    "이 행의 학생(성명 또는 학번)을 알 수 없습니다",
                    path=sheet.path,
                    sheet=sheet.name,
                    row=rec.row,
                    hint="성명 칸을 채우거나 병합된 칸을 확인하세요",
                )
            yield StudentRow(
                student=StudentRef(
                    key=student_key(sid, klass, number, name),
                    name=name,
                    klass=klass or None,
                    number=number or None,
                    student_id=sid or None,
                ),
                values=v,
                row=rec.row,
                year=clean_number(v.get("year", "")) or self.ctx.year,
                grade=clean_number(v.get("grade", "")) or self.ctx.grade,
                semester=v.get("semester") or None,
            )


# --- Record texts: 세특, 행특, 창체 -------------------------------------------------------------

FIELD_SUBJECT = "교과세특"
FIELD_PERSONAL = "개인세특"
FIELD_BEHAVIOUR = "행특"
FIELD_AUTONOMY = "자율"
FIELD_CLUB = "동아리"
FIELD_CAREER = "진로"
FIELD_VOLUNTEER = "봉사"
FIELDS = (
    FIELD_SUBJECT,
    FIELD_PERSONAL,
    FIELD_BEHAVIOUR,
    FIELD_AUTONOMY,
    FIELD_CLUB,
    FIELD_CAREER,
    FIELD_VOLUNTEER,
)
FIELD_LABELS = {
    FIELD_SUBJECT: "교과 세부능력 및 특기사항",
    FIELD_PERSONAL: "개인별 세부능력 및 특기사항",
    FIELD_BEHAVIOUR: "행동특성 및 종합의견",
    FIELD_AUTONOMY: "자율(자치)활동",
    FIELD_CLUB: "동아리활동",
    FIELD_CAREER: "진로활동",
    FIELD_VOLUNTEER: "봉사활동",
}
# text column key -> field (None: the field comes from the 영역 column)
_TEXT_SPECS = [
    ColumnSpec(
        FIELD_PERSONAL,
        ("개인별 세부능력 및 특기사항", "개인별 세특", "개인 세특", "개인별세부능력및특기사항"),
        required=False,
    ),
    ColumnSpec(
        FIELD_SUBJECT,
        (
            "세부능력 및 특기사항",
            "교과 세부능력 및 특기사항",
            "과목별 세부능력 및 특기사항",
            "교과세특",
            "세특",
            "과목 세특",
        ),
        required=False,
    ),
    ColumnSpec(FIELD_BEHAVIOUR, ("행동특성 및 종합의견", "행특", "종합의견", "행동특성"), required=False),
    ColumnSpec(
        FIELD_AUTONOMY,
        ("자율활동", "자율·자치활동", "자율 자치 활동", "자율활동 특기사항", "자율·자치활동 특기사항"),
        required=False,
    ),
    ColumnSpec(FIELD_CLUB, ("동아리활동", "동아리", "동아리활동 특기사항"), required=False),
    ColumnSpec(FIELD_CAREER, ("진로활동", "진로", "진로활동 특기사항"), required=False),
    ColumnSpec(FIELD_VOLUNTEER, ("봉사활동", "봉사활동 특기사항"), required=False),
    ColumnSpec(
        "activity", ("특기사항", "창의적 체험활동 특기사항", "창체 특기사항", "활동내용"), required=False
    ),
]
_CONTEXT_SPECS = [
    ColumnSpec(
        "subject", ("과목", "과목명", "교과목", "교과(과목)", "교과/과목", "과목 또는 영역"), required=False
    ),
    ColumnSpec("area", ("영역", "활동영역", "창체영역", "창체 영역", "활동 영역"), required=False),
]
TEXT_COLUMN_SPECS = [*_TEXT_SPECS, *STUDENT_SPECS, *_CONTEXT_SPECS]
_TEXT_KEYS = tuple(s.key for s in _TEXT_SPECS)
NEEDED_TEXT_COLUMNS = (
    "세부능력 및 특기사항, 행동특성 및 종합의견, 창의적 체험활동(영역과 특기사항, 또는 영역별 열)"
)


def area_field(value: str) -> str | None:
    """'자율·자치활동' -> '자율', '동아리 활동' -> '동아리'; None when it names no 영역."""
    v = re.sub(r"[\s·.\-]", "", nfkc(value))
    for prefix, fld in (("자율", FIELD_AUTONOMY), ("자치", FIELD_AUTONOMY), ("동아리", FIELD_CLUB)):
        if v.startswith(prefix):
            return fld
    for prefix, fld in (("진로", FIELD_CAREER), ("봉사", FIELD_VOLUNTEER)):
        if v.startswith(prefix):
            return fld
    return None


@dataclass(frozen=True)
class RecordText:
    """One student's text in one field (and subject), as written, with where it was written."""

    student: StudentRef
    field: str
    subject: str | None
    text: str
    source: Source


@dataclass
class RecordFile:
    file: InputFile
    texts: list[RecordText]
    sheets_read: int


def _sheet_texts(match: HeaderMatch, display: str) -> Iterator[RecordText]:
    cols = match.columns
    text_keys = tuple(k for k in _TEXT_KEYS if k in cols)
    if "activity" in cols and "area" not in cols and not any(k in cols for k in FIELDS):
        raise MissingColumnsError(
            "창의적 체험활동 특기사항 열은 있지만 영역 열이 없습니다",
            path=match.sheet.path,
            sheet=match.sheet.name,
            row=match.header_row_number,
            hint="'영역' 열(자율활동, 동아리활동, 진로활동, 봉사활동)을 넣거나 영역별 열로 나누세요",
        )
    ctx_personal = "개인별" in title_context(match.sheet, match.header_index).text
    rows = StudentRows(match, text_keys=text_keys, carry=("year", "grade", "subject", "area"))
    for r in rows:
        for key in text_keys:
            text = r.values.get(key, "")
            if text in EMPTY_CELLS:
                continue
            subject = r.values.get("subject") or None
            if key == "activity":
                fld = area_field(r.values.get("area", ""))
                if fld is None:
                    raise InputFileError(
                        f"영역을 알 수 없습니다: '{r.values.get('area', '')}'",
                        path=match.sheet.path,
                        sheet=match.sheet.name,
                        row=r.row,
                        hint="영역은 자율활동, 동아리활동, 진로활동, 봉사활동 중 하나여야 합니다",
                    )
                subject = None
            elif key == FIELD_SUBJECT and subject is None and ctx_personal:
                fld = FIELD_PERSONAL
            else:
                fld = key
            if fld != FIELD_SUBJECT:
                subject = None
            yield RecordText(
                student=r.student,
                field=fld,
                subject=subject,
                text=text,
                source=Source(
                    file=display,
                    sheet=match.sheet.name,
                    row=r.row,
                    column=get_column_letter(cols[key] + 1),
                    year=r.year or None,
                    grade=r.grade or None,
                    semester=r.semester,
                    subject=subject,
                ),
            )


def _read_record_file(f: InputFile, password: str | None) -> RecordFile:
    sheets = read_sheets(f.path, password=password)
    texts: list[RecordText] = []
    matched = 0
    best_error: MissingColumnsError | None = None
    for sheet in sheets:
        match = locate_columns(sheet, TEXT_COLUMN_SPECS, raise_missing=False)
        if match is None or not any(k in match.columns for k in _TEXT_KEYS):
            continue
        matched += 1
        try:
            texts.extend(_sheet_texts(match, f.display))
        except MissingColumnsError as exc:
            best_error = best_error or exc
            matched -= 1
    if matched == 0:
        if best_error is not None:
            raise best_error
        sheet = sheets[0]
        idx = next((i for i, r in enumerate(sheet.rows[:40]) if sum(1 for c in r if c) >= 2), 0)
        found = [c for c in (sheet.rows[idx] if sheet.rows else []) if c]
        raise MissingColumnsError(
            f"필요한 열이 없습니다: {NEEDED_TEXT_COLUMNS} 중 하나 / 찾은 열: {', '.join(found[:15]) or '(없음)'}",
            path=f.path,
            sheet=sheet.name,
            hint="NEIS 세부능력 및 특기사항, 행동특성 및 종합의견, 창의적 체험활동 내보내기 파일이어야 합니다",
        )
    return RecordFile(file=f, texts=texts, sheets_read=matched)


def iter_record_files(
    paths: Iterable[str | Path], *, password: str | None = None, skipped: list[SkippedFile] | None = None
) -> Iterator[RecordFile]:
    """Each file's record texts (세특, 행특, 창체) as it is read; bad files in folders are skipped."""
    skipped = skipped if skipped is not None else []

    def read(f: InputFile) -> RecordFile:
        return _read_record_file(f, password)

    seen: dict[int, str] = {}  # content fingerprint -> the first file with it
    for f, got in read_each(input_files(paths), read, skipped, what="생활기록부(세특·행특·창체)"):
        # the same export given twice (xlsx and csv copies) would double every finding
        fingerprint = hash(tuple((t.student.key, t.field, t.subject, t.text) for t in got.texts))
        if got.texts and fingerprint in seen:
            log.warning("건너뜀: %s 은(는) %s 와(과) 내용이 같습니다", f.display, seen[fingerprint])
            skipped.append(SkippedFile(path=f.display, reason=f"{seen[fingerprint]} 와(과) 내용이 같습니다"))
            continue
        seen[fingerprint] = f.display
        yield got
