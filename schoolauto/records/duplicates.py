"""Finding the same book listed twice in a student's 독서활동상황, across all grades: the job."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError
from .methods import DuplicateMethod, get_method, is_overlong
from .model import DuplicateReport, Finding, ReadingDataset

log = logging.getLogger(__name__)


@dataclass
class DuplicateCheckRequest:
    """What to check and how. Field names are the CLI's option names (errors name them)."""

    inputs: Sequence[str | Path] = field(default_factory=list)  # files or folders
    method: str = "default"
    cutoff: float | None = None  # ratio only
    school: str = ""  # for the report title
    password: str | None = None  # of encrypted inputs


def check_duplicates(request: DuplicateCheckRequest) -> DuplicateReport:
    """Read the exports, then find every pair of a student's entries that name the same book."""
    from .neis import iter_reading_files, take_file

    if not request.inputs:
        raise UsageError("검사할 파일이나 폴더를 주세요", field="inputs")
    if request.cutoff is not None and request.method != "ratio":
        raise UsageError("기준값은 ratio 방법에만 씁니다", field="cutoff")
    method = get_method(request.method, request.cutoff)
    dataset = ReadingDataset()
    for got in iter_reading_files(list(request.inputs), password=request.password, skipped=dataset.skipped):
        take_file(dataset, got)
        method.start(got.entries)  # ratio: Kiwi's worker threads take this file while the next is read
    report = find_duplicate_books(dataset, method)
    report.school_name = request.school
    return report


def find_duplicate_books(
    dataset: ReadingDataset,
    method: str | DuplicateMethod = "default",
    *,
    cutoff: float | None = None,
) -> DuplicateReport:
    """Every pair of a student's entries that the method judges the same book.

    Pairs are reported once, in reading order (a before b). Three copies of one book give three pairs.
    An entry longer than any real title is not compared (no work grows with a pasted page of text):
    it is listed in `overlong`, with a warning.
    """
    started = time.perf_counter()
    m = get_method(method, cutoff) if isinstance(method, str) else method
    overlong = [e for e in dataset.entries if is_overlong(e)]
    for e in overlong:
        s = e.source
        log.warning(
            "비교하지 않음: %s %s행 %d번째 도서는 %d자로 너무 깁니다 (붙여 넣은 글인지 확인하세요)",
            Path(s.file).name,
            s.row,
            s.index,
            len(e.text),
        )
    m.prepare([e for e in dataset.entries if not is_overlong(e)] if overlong else dataset.entries)
    findings: list[Finding] = []
    for entries in dataset.by_student().values():
        if overlong:
            entries = [e for e in entries if not is_overlong(e)]
        for i, j, match in m.find_matches(entries):
            a, b = entries[i], entries[j]
            findings.append(
                Finding(student=a.student, a=a, b=b, kind=match.kind, score=match.score, reason=match.reason)
            )
    return DuplicateReport(
        method=m.name,
        cutoff=m.cutoff,
        dataset=dataset,
        findings=findings,
        seconds=time.perf_counter() - started,
        overlong=overlong,
    )
