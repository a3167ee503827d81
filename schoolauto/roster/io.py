"""Writing a roster (xlsx from a template, or CSV) and reading any roster-like table back."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError, MissingColumnsError, UsageError
from ..ingest import ColumnSpec, HeaderMatch, iter_records, locate_columns, normalize_header, read_sheets
from .model import HEADERS, RosterStudent, level_of

CSV_ENCODINGS = {"utf-8-sig": "utf-8-sig", "utf-8": "utf-8-sig", "cp949": "cp949", "euc-kr": "cp949"}


def write_roster(
    students: Sequence[RosterStudent],
    path: str | Path,
    *,
    overwrite: bool = False,
    encoding: str = "utf-8-sig",
    title: str | None = None,
) -> Path:
    """Write `students` to .xlsx (from templates/roster.xlsx) or .csv, chosen by the suffix; atomic.

    CSV is UTF-8 with BOM by default (Excel on Korean Windows opens it right), or `encoding="cp949"`
    for old school systems.
    """
    from ..outputs import OutputRequest, write_outputs
    from .job import RosterResult

    p = Path(path)
    suffix = p.suffix.lower()
    result = RosterResult(
        students=list(students), title=title or "학생 명렬표", grades=sorted({s.grade for s in students})
    )
    if suffix == ".csv":
        enc = CSV_ENCODINGS.get(encoding.lower())
        if enc is None:
            raise UsageError(
                f"지원하지 않는 인코딩입니다: {encoding} (utf-8-sig 또는 cp949)", field="csv_encoding"
            )
        return write_outputs(result, OutputRequest(csv=p, overwrite=overwrite, csv_encoding=enc))[0]
    if suffix == ".xlsx":
        return write_outputs(result, OutputRequest(out=p, overwrite=overwrite))[0]
    raise UsageError(f"명렬표는 .xlsx 또는 .csv 로 저장합니다: {p.name}", field="out")


@dataclass
class RosterRow:
    """One student row of a roster file: the id, every other column as text, and the file row number."""

    id: str
    values: dict[str, str]
    row: int

    def get(self, column: str, default: str = "") -> str:
        return self.values.get(column, default)


@dataclass
class RosterTable:
    """A table of students: an id column plus any attribute columns, as read from a file."""

    path: Path
    id_column: str
    columns: list[str]  # attribute columns, header text as in the file, in file order
    rows: list[RosterRow] = field(default_factory=list)
    sheet: str | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[RosterRow]:
        return iter(self.rows)

    @property
    def ids(self) -> list[str]:
        return [r.id for r in self.rows]

    def resolve(self, name: str) -> str:
        """The file's column for `name` ('성 별' in the file matches '성별'); MissingColumnsError if none."""
        want = normalize_header(name)
        for c in self.columns:
            if normalize_header(c) == want:
                return c
        raise MissingColumnsError(
            f"열 '{name}' 이(가) 없습니다 / 있는 열: {', '.join(self.columns) or '(없음)'}",
            path=self.path,
            sheet=self.sheet,
        )

    def column_values(self, name: str) -> list[str]:
        col = self.resolve(name)
        return [r.get(col) for r in self.rows]

    def to_students(self) -> list[RosterStudent]:
        """The rows as `RosterStudent` records; needs the standard headers that `write_roster` writes."""
        cols = {attr: self.resolve(h) for h, attr in HEADERS.items() if h != self.id_column}
        out = []
        for r in self.rows:
            try:
                score = float(r.get(cols["score"]) or 0)
                prev = r.get(cols["previous_class"])
                out.append(
                    RosterStudent(
                        student_id=r.id,
                        grade=int(r.get(cols["grade"])),
                        klass=int(r.get(cols["klass"])),
                        number=int(r.get(cols["number"])),
                        name=r.get(cols["name"]),
                        gender=r.get(cols["gender"]),
                        mbti=r.get(cols["mbti"]),
                        level=r.get(cols["level"]) or level_of(score),
                        score=score,
                        previous_class=int(prev) if prev else None,
                        special=r.get(cols["special"]).strip().upper() in ("Y", "O", "TRUE", "1", "예"),
                        phone=r.get(cols["phone"]),
                        email=r.get(cols["email"]),
                    )
                )
            except ValueError as exc:
                raise DataError(
                    f"숫자여야 할 칸에 숫자가 아닌 값이 있습니다 ({exc})", path=self.path, row=r.row
                ) from exc
        return out


def _header_match(path: Path, id_column: str, password: str | None) -> HeaderMatch:
    spec = ColumnSpec("id", (id_column,), label=id_column)
    first_error: MissingColumnsError | None = None
    for sheet in read_sheets(path, password=password):
        try:
            match = locate_columns(sheet, [spec])
        except MissingColumnsError as exc:
            first_error = first_error or exc
            continue
        assert match is not None
        return match
    assert first_error is not None
    raise first_error


def read_roster(path: str | Path, *, id_column: str = "학번", password: str | None = None) -> RosterTable:
    """Read a roster: the `id_column` plus every other non-empty header as an attribute column.

    Works on what `write_roster` writes and on school exports (title rows above the header,
    letter-spaced headers, CP949 CSV). An empty or repeated id is a DataError naming file and row.
    """
    p = Path(path)
    found = _header_match(p, id_column, password)
    id_index = found.columns["id"]
    columns: dict[str, int] = {"id": id_index}
    names: list[str] = []
    seen: set[str] = set()
    for i, cell in enumerate(found.header_row):
        text = cell.strip()
        if i == id_index or not text:
            continue
        name, n = text, 2
        while normalize_header(name) in seen:
            name = f"{text}_{n}"
            n += 1
        seen.add(normalize_header(name))
        names.append(name)
        columns[name] = i
    match = HeaderMatch(
        sheet=found.sheet, header_index=found.header_index, columns=columns, header_row=found.header_row
    )
    id_header = found.header_row[id_index].strip()
    roster = RosterTable(path=p, id_column=id_header, columns=names, sheet=found.sheet.name)
    first_row: dict[str, int] = {}
    for rec in iter_records(match):
        sid = rec.get("id").strip()
        if not sid:
            raise DataError(
                f"{id_header} 이(가) 비어 있습니다",
                path=p,
                sheet=found.sheet.name,
                row=rec.row,
                column=id_header,
            )
        if sid in first_row:
            raise DataError(
                f"{id_header} {sid} 이(가) {first_row[sid]}행과 겹칩니다",
                path=p,
                sheet=found.sheet.name,
                row=rec.row,
                column=id_header,
                hint="한 학생은 한 줄에만 있어야 합니다",
            )
        first_row[sid] = rec.row
        values = {k: v.strip() for k, v in rec.values.items() if k != "id"}
        roster.rows.append(RosterRow(id=sid, values=values, row=rec.row))
    if not roster.rows:
        raise DataError("학생 줄이 없습니다: 머리글 아래가 비어 있습니다", path=p, sheet=found.sheet.name)
    return roster
