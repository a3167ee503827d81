"""Finding the same book listed twice in a student's 독서활동상황, across all grades."""

from __future__ import annotations

import time

from .methods import DuplicateMethod, get_method
from .model import DuplicateReport, Finding, ReadingDataset


def find_duplicate_books(
    dataset: ReadingDataset,
    method: str | DuplicateMethod = "default",
    *,
    cutoff: float | None = None,
) -> DuplicateReport:
    """Every pair of a student's entries that the method judges the same book.

    Pairs are reported once, in reading order (a before b). Three copies of one book give three pairs.
    """
    started = time.perf_counter()
    m = get_method(method, cutoff) if isinstance(method, str) else method
    m.prepare(dataset.entries)
    findings: list[Finding] = []
    for entries in dataset.by_student().values():
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
    )
