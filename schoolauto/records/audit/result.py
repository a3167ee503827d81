"""The audit result: findings, summary, and its JSON, CSV and xlsx forms (the Reportable protocol)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from ...reports.engine import safe_text
from ..reader import FIELD_LABELS, RecordText, SkippedFile

if TYPE_CHECKING:
    from ...reports import TemplateReport

CHECK_LABELS = {"length": "글자 수 초과", "forbidden": "기재 금지", "copy": "같은 문장"}
RED = InlineFont(color="FFC00000")
RED_BOLD = InlineFont(color="FFC00000", b=True)
BOLD = InlineFont(b=True)
CONTEXT = 60  # characters shown around a forbidden span or copied sentence

CSV_HEADER = [
    "점검", "반", "번호", "성명", "학번", "영역", "과목", "파일", "시트", "행", "열", "내용", "시작", "끝",
    "규칙", "바이트", "제한", "다른 학생", "다른 학생 영역", "다른 학생 과목", "다른 학생 파일", "다른 학생 행",
    "다른 학생 문장", "안내",
]  # fmt: skip


@dataclass(frozen=True)
class OtherRef:
    """The other student's copy of a sentence."""

    record: RecordText
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class AuditFinding:
    check: str  # "length" | "forbidden" | "copy"
    record: RecordText
    text: str  # length: the part past the limit; forbidden: the span; copy: the sentence
    start: int
    end: int
    message: str
    rule: str | None = None
    bytes: int | None = None
    limit: int | None = None
    other: OtherRef | None = None
    similarity: float | None = None
    group_size: int | None = None

    def to_json(self) -> dict[str, Any]:
        r = self.record
        other = None
        if self.other is not None:
            o = self.other.record
            other = {
                "student": o.student.to_json(),
                "field": o.field,
                "subject": o.subject,
                "source": o.source.file,
                "row": o.source.row,
                "text": self.other.text,
            }
        return {
            "check": self.check,
            "student": r.student.to_json(),
            "field": r.field,
            "subject": r.subject,
            "source": r.source.file,
            "row": r.source.row,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "rule": self.rule,
            "bytes": self.bytes,
            "limit": self.limit,
            "other": other,
            "message": self.message,
        }


def _window(text: str, start: int, end: int, font: InlineFont) -> CellRichText:
    lo, hi = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
    parts: list[Any] = []
    before = ("…" if lo > 0 else "") + text[lo:start]
    if before:
        parts.append(safe_text(before))
    parts.append(TextBlock(font, safe_text(text[start:end])))
    after = text[end:hi] + ("…" if hi < len(text) else "")
    if after:
        parts.append(safe_text(after))
    return CellRichText(parts)


def _past_limit(text: str, start: int) -> CellRichText:
    parts: list[Any] = []
    if start > 0:
        parts.append(safe_text(text[:start]))
    parts.append(TextBlock(RED, safe_text(text[start:])))
    return CellRichText(parts)


@dataclass
class AuditResult:
    findings: list[AuditFinding]
    texts: int
    students: int
    files: list[str]
    skipped: list[SkippedFile] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    year: int = 0
    level: str = "high"
    limits: dict[str, int] = field(default_factory=dict)
    newline_bytes: int = 2
    seconds: float = 0.0
    rule_names: dict[str, str] = field(default_factory=dict)

    template_name: ClassVar[str] = "records_audit"

    def by_check(self) -> dict[str, int]:
        c = Counter(f.check for f in self.findings)
        return {k: c.get(k, 0) for k in self.checks}

    def by_rule(self) -> dict[str, int]:
        return dict(sorted(Counter(f.rule for f in self.findings if f.rule).items()))

    def to_json(self) -> dict[str, Any]:
        return {
            "summary": {
                "students": self.students,
                "texts": self.texts,
                "findings": len(self.findings),
                "by_check": self.by_check(),
                "by_rule": self.by_rule(),
                "students_with_findings": len({f.record.student.key for f in self.findings}),
                "checks": list(self.checks),
                "year": self.year,
                "level": self.level,
                "limits": dict(self.limits),
                "newline_bytes": self.newline_bytes,
                "files": list(self.files),
                "skipped": [s.to_json() for s in self.skipped],
            },
            "findings": [f.to_json() for f in self.findings],
        }

    def csv_table(self) -> tuple[list[str], list[list[Any]]]:
        rows = []
        for f in self.findings:
            r, st, o = f.record, f.record.student, f.other
            rows.append(
                [
                    CHECK_LABELS[f.check], st.klass, st.number, st.name, st.student_id, r.field, r.subject,
                    r.source.file, r.source.sheet, r.source.row, r.source.column, f.text, f.start, f.end,
                    f.rule, f.bytes, f.limit,
                    o.record.student.label if o else None, o.record.field if o else None,
                    o.record.subject if o else None, o.record.source.file if o else None,
                    o.record.source.row if o else None, o.text if o else None, f.message,
                ]
            )  # fmt: skip
        return list(CSV_HEADER), rows

    def to_frame(self) -> Any:
        from ...outputs import frame_of

        return frame_of(self)

    def _common(self, i: int, f: AuditFinding) -> dict[str, Any]:
        r, st = f.record, f.record.student
        return {
            "seq": i,
            "klass": st.klass,
            "number": st.number,
            "name": st.name,
            "student_id": st.student_id,
            "field": FIELD_LABELS.get(r.field, r.field),
            "subject": r.subject,
            "where": f"{r.source.file}\n{r.source.row}행"
            + (f" {r.source.column}열" if r.source.column else ""),
            "message": f.message,
            "check": None,
        }

    def fill_template(self, doc: TemplateReport) -> None:
        counts = self.by_check()
        skipped = "\n".join(f"{s.path}: {s.reason}" for s in self.skipped) or "없음"
        doc.fill(
            {
                "generated_at": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
                "year": self.year,
                "level": "고등학교" if self.level == "high" else "중학교",
                "files": f"{len(self.files)}개 파일: "
                + ", ".join(self.files[:3])
                + (f" 외 {len(self.files) - 3}개" if len(self.files) > 3 else ""),
                "skipped": skipped,
                "students": self.students,
                "texts": self.texts,
                "findings": len(self.findings),
                "length_count": counts.get("length", "점검 안 함"),
                "forbidden_count": counts.get("forbidden", "점검 안 함"),
                "copy_count": counts.get("copy", "점검 안 함"),
                "students_with_findings": len({f.record.student.key for f in self.findings}),
                "newline_bytes": self.newline_bytes,
            }
        )
        doc.fill_table(
            "rules",
            [
                {"rule": rule, "name": self.rule_names.get(rule, rule), "count": n}
                for rule, n in self.by_rule().items()
            ],
        )
        length: list[dict[str, Any]] = []
        forbidden: list[dict[str, Any]] = []
        copy: list[dict[str, Any]] = []
        for f in self.findings:
            if f.check == "length":
                row = self._common(len(length) + 1, f)
                row.update(bytes=f.bytes, limit=f.limit, over=(f.bytes or 0) - (f.limit or 0),
                           text=_past_limit(f.record.text, f.start))  # fmt: skip
                length.append(row)
            elif f.check == "forbidden":
                row = self._common(len(forbidden) + 1, f)
                row.update(rule=self.rule_names.get(f.rule or "", f.rule), span=f.text,
                           text=_window(f.record.text, f.start, f.end, RED_BOLD))  # fmt: skip
                forbidden.append(row)
            else:
                assert f.other is not None
                o = f.other
                row = self._common(len(copy) + 1, f)
                row.update(
                    group=f.group_size,
                    similarity=round(f.similarity or 0.0, 2),
                    text=_window(f.record.text, f.start, f.end, BOLD),
                    other_student=o.record.student.label,
                    other_where=f"{o.record.source.file}\n{o.record.source.row}행",
                    other_text=_window(o.record.text, o.start, o.end, BOLD),
                )
                copy.append(row)
        doc.fill_table("length", length)
        doc.fill_table("forbidden", forbidden)
        doc.fill_table("copy", copy)
