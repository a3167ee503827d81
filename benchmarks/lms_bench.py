"""Benchmark: `lms missing` on a local Kolibri with 5 classes × 30 learners × 6 quizzes.

Targets: API path ≤ 2 s, browser path ≤ 60 s (login included, Kolibri start and seeding excluded).
Run: PYTHONPATH=. .venv/bin/python benchmarks/lms_bench.py   (needs scripts/setup-lms-test-env.sh)
The seeded Kolibri is cached under .kolibri-test/, so only the first run spends time seeding.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from schoolauto.lms.base import Connection, make_driver
from schoolauto.lms.missing import collect_from_driver
from schoolauto.lms.sandbox import COACH, SandboxSpec, running_sandbox

SPEC = SandboxSpec(classes=5, learners=30, quizzes=6, lesson=False, unopened=False, modes=False, seed=7)
TARGETS = {"api": 2.0, "browser": 60.0}


def missing_by_name(report) -> dict:
    return {
        c.course.name: {
            a.assignment.title: {m.student.name: m.status.value for m in a.missing} for a in c.assignments
        }
        for c in report.classes
    }


def main() -> int:
    t0 = time.perf_counter()
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_sandbox(Path(tmp) / "home", SPEC) as (server, _sandbox),
    ):
        print(f"Kolibri ready in {time.perf_counter() - t0:.1f} s (seeding is cached under .kolibri-test/)")
        results = {}
        ok = True
        for via in ("api", "browser"):
            conn = Connection(
                name="bench", driver="kolibri", url=server.url, username=COACH[0], via=via, profile="kolibri"
            )
            start = time.perf_counter()
            with make_driver(conn, COACH[1]) as driver:
                report = collect_from_driver(driver, lms_name="bench")
            elapsed = time.perf_counter() - start
            results[via] = missing_by_name(report)
            n_assign = sum(len(c.assignments) for c in report.classes)
            n_missing = sum(len(a.missing) for c in report.classes for a in c.assignments)
            verdict = "OK" if elapsed <= TARGETS[via] else "SLOW"
            ok &= elapsed <= TARGETS[via]
            print(
                f"{via:8s} {elapsed:6.2f} s  (target ≤ {TARGETS[via]:g} s, {verdict})  "
                f"{len(report.classes)} classes, {n_assign} quizzes, {n_missing} missing entries, "
                f"{len(report.errors)} errors"
            )
        same = results["api"] == results["browser"]
        print(f"api and browser results identical: {same}")
        return 0 if ok and same else 1


if __name__ == "__main__":
    sys.exit(main())
