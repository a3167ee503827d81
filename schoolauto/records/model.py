"""Typed records of the record-book checks: who, which book, where it was written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from ..reports.engine import TemplateReport


@dataclass(frozen=True)
class StudentRef:
    """A student as the export identifies them; `key` joins their rows across grades and files."""

    key: tuple[str, ...]
    name: str
    klass: str | None = None
    number: str | None = None
    student_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"class": self.klass, "number": self.number, "name": self.name, "id": self.student_id}

    @property
    def label(self) -> str:
        parts = []
        if self.student_id:
            parts.append(self.student_id)
        elif self.klass or self.number:
            parts.append(
                f"{self.klass + '반 ' if self.klass else ''}{self.number + '번' if self.number else ''}".strip()
            )
        parts.append(self.name)
        return " ".join(parts)


@dataclass(frozen=True)
class Source:
    """Where an entry was written: file, sheet, row (1-based, as Excel shows it), and its record context."""

    file: str
    row: int
    sheet: str | None = None
    column: str | None = None
    index: int = 1  # position of the book inside the cell
    year: str | None = None
    grade: str | None = None
    semester: str | None = None
    subject: str | None = None


@dataclass(frozen=True)
class BookEntry:
    """One book in a student's 독서활동상황, as written."""

    student: StudentRef
    text: str
    title: str
    author: str | None
    source: Source

    def to_json(self) -> dict[str, Any]:
        s = self.source
        return {
            "text": self.text,
            "source": s.file,
            "row": s.row,
            "grade": s.grade,
            "semester": s.semester,
            "subject": s.subject,
            "sheet": s.sheet,
            "column": s.column,
            "index": s.index,
            "year": s.year,
            "title": self.title,
            "author": self.author,
        }


@dataclass
class ReadingDataset:
    """Everything read from the exports: entries grouped by student, and what was read."""

    entries: list[BookEntry] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    sheets_read: int = 0

    def by_student(self) -> dict[tuple[str, ...], list[BookEntry]]:
        groups: dict[tuple[str, ...], list[BookEntry]] = {}
        for e in self.entries:
            groups.setdefault(e.student.key, []).append(e)
        return groups

    @property
    def student_count(self) -> int:
        return len({e.student.key for e in self.entries})


KIND_EXACT = "exact"
KIND_SIMILAR = "similar"
KIND_LABELS = {KIND_EXACT: "완전 중복", KIND_SIMILAR: "유사"}


@dataclass(frozen=True)
class Finding:
    """Two entries of one student that name the same book (or may: kind 'similar')."""

    student: StudentRef
    a: BookEntry
    b: BookEntry
    kind: str
    score: float
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "student": self.student.to_json(),
            "a": self.a.to_json(),
            "b": self.b.to_json(),
            "kind": self.kind,
            "score": round(self.score, 4),
            "reason": self.reason,
        }


@dataclass
class DuplicateReport:
    """The outcome of one check (a job result: xlsx from its template, JSON, CSV, a DataFrame)."""

    template_name: ClassVar[str] = "records_duplicates"

    method: str
    cutoff: float | None
    dataset: ReadingDataset
    findings: list[Finding]
    seconds: float = 0.0
    school_name: str = ""
    # entries longer than any real title: not compared, listed so somebody looks at them
    overlong: list[BookEntry] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out = {KIND_EXACT: 0, KIND_SIMILAR: 0}
        for f in self.findings:
            out[f.kind] = out.get(f.kind, 0) + 1
        return out

    def to_json(self) -> dict[str, Any]:
        counts = self.counts()
        return {
            "summary": {
                "students": self.dataset.student_count,
                "entries": len(self.dataset.entries),
                "findings": len(self.findings),
                "exact": counts[KIND_EXACT],
                "similar": counts[KIND_SIMILAR],
                "students_with_findings": len({f.student.key for f in self.findings}),
                "files": list(self.dataset.files),
                "method": self.method,
                "cutoff": self.cutoff,
                "overlong_entries": len(self.overlong),
            },
            "findings": [f.to_json() for f in self.findings],
            "overlong": [{"student": e.student.to_json(), "entry": _overlong_json(e)} for e in self.overlong],
        }

    def csv_table(self) -> tuple[list[str], list[list[Any]]]:
        from .report import CSV_HEADER, csv_rows

        return list(CSV_HEADER), csv_rows(self)

    def fill_template(self, doc: TemplateReport) -> None:
        from .report import fill_report

        fill_report(self, doc)

    def to_frame(self) -> Any:
        from ..outputs import frame_of

        return frame_of(self)


def _overlong_json(e: BookEntry) -> dict[str, Any]:
    out = e.to_json()
    out["length"] = len(e.text)
    out["text"] = e.text[:100] + "…"  # the start is enough to find it; the rest may be pasted junk
    return out
