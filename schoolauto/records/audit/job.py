"""The record-book audit job: byte limits, forbidden entries and copied sentences in one pass."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ...errors import ConfigError, UsageError
from ..reader import FIELD_PERSONAL, FIELD_SUBJECT, RecordText, SkippedFile, iter_record_files
from .copy import CopyIndex, components
from .forbidden import ForbiddenChecker
from .nbytes import limit_offset, neis_bytes
from .nlp import sentences, shared_kiwi
from .result import AuditFinding, AuditResult, OtherRef
from .rules import LEVELS, byte_limits, load_rules, read_rules_file

log = logging.getLogger(__name__)

CHECKS = ("length", "forbidden", "copy")
CHECK_LABELS = {"length": "글자 수(바이트) 초과", "forbidden": "기재 금지 내용", "copy": "학생 간 같은 문장"}


def school_year(today: dt.date | None = None) -> int:
    """The school year of a date (a Korean school year starts in March)."""
    d = today or dt.date.today()
    return d.year if d.month >= 3 else d.year - 1


@dataclass
class AuditRequest:
    """What to audit and how. Field names are the CLI's option names."""

    inputs: Sequence[str | Path]
    checks: Sequence[str] = CHECKS
    rules: str | Path | None = None  # a school's rules file merged over the shipped rules
    year: int | None = None  # school year for limits and rules (default: the current school year)
    level: str = "high"  # "high" | "middle"
    newline_bytes: int = 2  # bytes a line break counts (NEIS: 2)
    copy_min_syllables: int = 30
    copy_similarity: float = 0.6
    password: str | None = None  # for encrypted input files


def _validate(req: AuditRequest) -> tuple[str, ...]:
    if not req.inputs:
        raise UsageError("점검할 파일이나 폴더를 주세요", field="inputs")
    checks = tuple(dict.fromkeys(req.checks))
    bad = [c for c in checks if c not in CHECKS]
    if bad or not checks:
        raise UsageError(
            f"모르는 점검 항목입니다: {', '.join(bad) or '(없음)'}",
            hint=f"점검 항목: {', '.join(CHECKS)}",
            field="checks",
        )
    if req.level not in LEVELS:
        raise UsageError(f"학교급은 {', '.join(LEVELS)} 중 하나여야 합니다", field="level")
    if req.newline_bytes not in (0, 1, 2):
        raise UsageError("줄바꿈 바이트 수는 0, 1, 2 중 하나여야 합니다", field="newline_bytes")
    if not 5 <= req.copy_min_syllables <= 500:
        raise UsageError("문장 최소 글자 수는 5 이상 500 이하여야 합니다", field="copy_min_syllables")
    if not 0.3 <= req.copy_similarity <= 1.0:
        raise UsageError("유사도 기준은 0.3 이상 1 이하여야 합니다", field="copy_similarity")
    if req.year is not None and not 2000 <= req.year <= 2100:
        raise UsageError("학년도는 2000부터 2100 사이여야 합니다", field="year")
    return checks


def _copy_group(fld: str) -> str:
    return FIELD_SUBJECT if fld == FIELD_PERSONAL else fld


def audit(request: AuditRequest) -> AuditResult:
    """Read every file, then check every text; the result holds the findings and the summary."""
    started = time.perf_counter()
    checks = _validate(request)
    year = request.year or school_year()
    school = read_rules_file(request.rules)
    limits = byte_limits(year, request.level, school.get("limits"), where=str(request.rules or ""))
    skipped: list[SkippedFile] = []
    texts: list[RecordText] = []
    files: list[str] = []
    for got in iter_record_files(request.inputs, password=request.password, skipped=skipped):
        texts.extend(got.texts)
        files.append(got.file.display)
    findings: list[AuditFinding] = []
    rule_names: dict[str, str] = {}

    by_year: dict[int, dict[str, int]] = {year: limits}
    if "length" in checks:
        for t in texts:
            limit = _limits_of(t, year, limits, by_year, request, school).get(t.field)
            if limit is None:
                continue
            n = neis_bytes(t.text, request.newline_bytes)
            if n > limit:
                cut = limit_offset(t.text, limit, request.newline_bytes)
                start = cut if cut is not None else len(t.text)
                findings.append(
                    AuditFinding(
                        check="length",
                        record=t,
                        text=t.text[start:],
                        start=start,
                        end=len(t.text),
                        bytes=n,
                        limit=limit,
                        message=f"{n:,}바이트로 제한 {limit:,}바이트보다 {n - limit:,}바이트 많습니다",
                    )
                )

    if "forbidden" in checks or "copy" in checks:
        kiwi = shared_kiwi()
        checker = (
            ForbiddenChecker(load_rules(request.rules, school=school), kiwi)
            if "forbidden" in checks
            else None
        )
        messages = {m.rule.id: m.rule.message for m in checker.matchers} if checker else {}
        rule_names = {m.rule.id: m.rule.name for m in checker.matchers} if checker else {}
        copies = CopyIndex(request.copy_min_syllables, request.copy_similarity) if "copy" in checks else None
        stream = kiwi.tokenize((t.text for t in texts), split_sents=True)
        for i, (t, kiwi_sents) in enumerate(zip(texts, stream, strict=True)):
            sents = sentences(kiwi_sents)
            if checker is not None:
                text_year = _year_of(t, year)
                for m in checker.check(t.text, sents, t.field, text_year):
                    findings.append(
                        AuditFinding(
                            check="forbidden",
                            record=t,
                            text=t.text[m.start : m.end],
                            start=m.start,
                            end=m.end,
                            rule=m.rule,
                            message=messages[m.rule],
                        )
                    )
            if copies is not None:
                copies.add_text(i, t.text, sents, t.student.key, _copy_group(t.field), t.student.name)
        if copies is not None:
            findings.extend(_copy_findings(copies, texts))

    order = {c: k for k, c in enumerate(CHECKS)}
    findings.sort(key=lambda f: (order[f.check], f.record.source.file, f.record.source.row, f.start or 0))
    return AuditResult(
        findings=findings,
        texts=len(texts),
        students=len({t.student.key for t in texts}),
        files=files,
        skipped=skipped,
        checks=list(checks),
        year=year,
        level=request.level,
        limits=limits,
        newline_bytes=request.newline_bytes,
        seconds=time.perf_counter() - started,
        rule_names=rule_names,
    )


def _year_of(t: RecordText, default: int) -> int:
    """The school year a text was written in: its 학년도 column or title row, else the request's."""
    y = t.source.year
    return int(y) if y and y.isdigit() and 2000 <= int(y) <= 2100 else default


def _limits_of(
    t: RecordText,
    year: int,
    limits: dict[str, int],
    by_year: dict[int, dict[str, int]],
    request: AuditRequest,
    school: dict[str, object],
) -> dict[str, int]:
    """Limits for the text's own school year (an older year's file keeps that year's limits)."""
    y = _year_of(t, year)
    if y not in by_year:
        try:
            by_year[y] = byte_limits(y, request.level, school.get("limits"), where=str(request.rules or ""))  # type: ignore[arg-type]
        except ConfigError:
            by_year[y] = limits  # no table for that year: the request's year decides
    return by_year[y]


def _copy_findings(index: CopyIndex, texts: Sequence[RecordText]) -> list[AuditFinding]:
    pairs = index.pairs()
    refs = index.refs if pairs else []
    roots = components(len(index), pairs)
    students_in: dict[int, set[tuple[str, ...]]] = {}
    for p in pairs:
        for s in (p.a, p.b):
            students_in.setdefault(roots[s], set()).add(refs[s].identity)
    seen: set[tuple[object, ...]] = set()
    out = []
    for p in sorted(pairs, key=lambda p: (p.a, p.b)):
        ra, rb = refs[p.a], refs[p.b]
        key = (roots[p.a], *sorted((ra.identity, rb.identity)))
        if key in seen:
            continue
        seen.add(key)
        ta, tb = texts[ra.text_index], texts[rb.text_index]
        n = len(students_in[roots[p.a]])
        how = "똑같이" if ra.identical_key == rb.identical_key else "거의 같게"
        out.append(
            AuditFinding(
                check="copy",
                record=ta,
                text=ta.text[ra.start : ra.end],
                start=ra.start,
                end=ra.end,
                similarity=p.similarity,
                group_size=n,
                other=OtherRef(record=tb, text=tb.text[rb.start : rb.end], start=rb.start, end=rb.end),
                message=f"이 문장이 {n}명에게 {how} 있습니다",
            )
        )
    return out
