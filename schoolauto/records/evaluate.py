"""Precision, recall and F1 of findings against a gold file of true same-book pairs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .model import DuplicateReport, Finding


@dataclass(frozen=True)
class Scores:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def finding_key(f: Finding) -> tuple[str, int, int, int, int]:
    a = (f.a.source.row, f.a.source.index)
    b = (f.b.source.row, f.b.source.index)
    lo, hi = min(a, b), max(a, b)
    return (Path(f.a.source.file).stem, lo[0], lo[1], hi[0], hi[1])


def score_report(report: DuplicateReport, gold: set[tuple[str, int, int, int, int]]) -> Scores:
    found = {finding_key(f) for f in report.findings}
    return Scores(tp=len(found & gold), fp=len(found - gold), fn=len(gold - found))
