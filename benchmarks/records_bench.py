"""Benchmark of the duplicate-book check (run: python benchmarks/records_bench.py [--students 1000]).

1. Quality on generated data (the extended generator: subtitles, publishers and translators, edition
   words, quote marks, transliterated authors, two slips in long titles, hand-written look-alikes):
   precision / recall / F1 of `ratio` (the talk's app, exactly) at its published cut-off 1.72 and at
   its best cut-off found by sweeping every score, and of `default`, side by side; recall of
   `default` by variant.
2. Speed of the default method against its previous version (before issue 11, loaded from git
   commit 7846e52 into a temporary package) on the same entries in the same run: best of 5, interleaved,
   cold caches.
3. Scale: a whole school (1,000 students, ~30,000 entries) end to end through the real CLI, in a
   fresh process each: wall time and peak memory, against the bare Kiwi cost measured in the same
   run (a process that only loads the Kiwi model and tokenises each unique entry once).
Prints figures only; it asserts nothing (speed is not a test).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path
from typing import Any

from schoolauto.records import find_duplicate_books, read_reading_exports
from schoolauto.records.evaluate import Scores, finding_key, score_report
from schoolauto.records.generate import generate_reading_exports, read_gold
from schoolauto.records.methods import NormalizedJamoMethod, RatioMethod, compare_text

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

BARE_KIWI = r"""
import sys, json
from kiwipiepy import Kiwi
texts = json.load(open(sys.argv[1], encoding="utf-8"))
kiwi = Kiwi(num_workers=-1)
n = sum(1 for _ in kiwi.tokenize(texts))
print(n)
"""


def _peak_mb(pid: int) -> float | None:
    """VmHWM: the peak resident memory of the process since its exec (not its parent's)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def run_measured(cmd: list[str]) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB, stdout) of a child process, its peak polled from /proc."""
    with tempfile.TemporaryFile("w+") as out_f, tempfile.TemporaryFile("w+") as err_f:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out_f, stderr=err_f, text=True)
        peak = 0.0
        while proc.poll() is None:
            # The high-water mark only grows, so the last reading before exit is the peak.
            peak = max(peak, _peak_mb(proc.pid) or 0.0)
            time.sleep(0.02)
        wall = time.perf_counter() - start
        out_f.seek(0)
        err_f.seek(0)
        out, err = out_f.read(), err_f.read()
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err}")
    return wall, peak, out


def quality(students: int, seed: int, tmp: Path) -> None:
    folder = tmp / "quality"
    gen = generate_reading_exports(folder, students=students, seed=seed, formats=("xlsx",))
    gold = read_gold(gen.gold)
    ds = read_reading_exports(gen.files)
    print(
        f"\n## Quality: {gen.students} students, {len(ds.entries)} entries, {len(gold)} true pairs, "
        f"{gen.hard_negative_pairs} hard negatives (seed {seed})"
    )
    default = score_report(find_duplicate_books(ds, "default"), gold)
    ratio = RatioMethod()
    ratio.prepare(ds.entries)
    scored = []
    for entries in ds.by_student().values():
        for a, b in combinations(entries, 2):
            s = ratio.score(compare_text(a), compare_text(b))
            if s >= 1.3:
                from schoolauto.records.model import Finding

                key = finding_key(Finding(a.student, a, b, "similar", s, ""))
                scored.append((s, key))

    def at(cut: float) -> Scores:
        found = {k for s, k in scored if s >= cut}
        return Scores(tp=len(found & gold), fp=len(found - gold), fn=len(gold - found))

    published = at(RatioMethod.DEFAULT_CUTOFF)
    best_cut, best = max(((c, at(c)) for c in sorted({s for s, _ in scored})), key=lambda cs: cs[1].f1)
    print(f"{'method':<28}{'precision':>10}{'recall':>10}{'F1':>8}{'TP':>7}{'FP':>7}{'FN':>7}")
    for name, sc in [
        ("ratio @1.72 (published)", published),
        (f"ratio @{best_cut:.3f} (best F1)", best),
        ("default", default),
    ]:
        print(f"{name:<28}{sc.precision:>10.4f}{sc.recall:>10.4f}{sc.f1:>8.4f}{sc.tp:>7}{sc.fp:>7}{sc.fn:>7}")
    print(f"default vs best ratio: F1 {default.f1:.4f} vs {best.f1:.4f} (+{default.f1 - best.f1:.4f})")
    by_variant(ds, gen.gold, find_duplicate_books(ds, "default"))


def by_variant(ds, gold_path: Path, report) -> None:  # type: ignore[no-untyped-def]
    """Recall of the default method for each kind of retyping (a pair counts for each of its kinds)."""
    import csv

    found = {finding_key(f) for f in report.findings}
    totals: dict[str, list[int]] = {}
    with open(gold_path, encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            a, b = (int(r["row_a"]), int(r["index_a"])), (int(r["row_b"]), int(r["index_b"]))
            lo, hi = min(a, b), max(a, b)
            hit = (r["file"], lo[0], lo[1], hi[0], hi[1]) in found
            for kind in r["variant"].split("+"):
                t = totals.setdefault(kind, [0, 0])
                t[0] += hit
                t[1] += 1
    print("default recall by variant: " + ", ".join(f"{k} {h}/{n}" for k, (h, n) in sorted(totals.items())))


BASELINE_REF = "7846e52"  # the default method before issue 11


def previous_method(tmp: Path, ref: str) -> tuple[Any, list[Any]]:
    """The default method class at git `ref` and its cached helpers, loaded from a copy of that
    version of the package (as `schoolauto_before`) so both run in this process."""
    import importlib
    import io
    import tarfile

    archive = subprocess.run(
        ["git", "archive", "--format=tar", ref, "schoolauto"], cwd=REPO, capture_output=True, check=True
    ).stdout
    root = tmp / "baseline"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(root, filter="data")
    (root / "schoolauto").rename(root / "schoolauto_before")
    (root / "schoolauto_before" / "records" / "__init__.py").write_text("", encoding="utf-8")
    sys.path.insert(0, str(root))
    modules = [importlib.import_module(f"schoolauto_before.records.{m}") for m in ("text", "methods")]
    caches = [f for mod in modules for f in vars(mod).values() if hasattr(f, "cache_clear")]
    return modules[1].NormalizedJamoMethod, caches


def speed(students: int, seed: int, tmp: Path) -> None:
    folder = tmp / "speed"
    gen = generate_reading_exports(folder, students=students, seed=seed, formats=("xlsx",))
    ds = read_reading_exports(gen.files)
    groups = list(ds.by_student().values())

    def once(method_factory, caches) -> float:  # type: ignore[no-untyped-def]
        for c in caches:
            c.cache_clear()
        m = method_factory()
        t = time.process_time()  # CPU time: other people's jobs on a shared machine count less
        m.prepare(ds.entries)
        for entries in groups:
            for _ in m.find_matches(entries):
                pass
        return time.process_time() - t

    from schoolauto.records import authors, text

    now_caches = [
        text.compact, text.jamo, text.title_key, authors.parse_author_part, authors.same_person,
        authors.authors_compatible, authors.fold_name,
    ]  # fmt: skip
    before_method, then_caches = previous_method(tmp, BASELINE_REF)
    # Interleaved, best of 5 each: on a shared machine the load drifts between runs.
    then = now = float("inf")
    for _ in range(5):
        then = min(then, once(before_method, then_caches))
        now = min(now, once(NormalizedJamoMethod, now_caches))
    print(
        f"\n## Speed of the default method: {len(ds.entries)} entries, {len(groups)} students (CPU seconds, best of 5, interleaved)"
    )
    print(f"{'version':<34}{'CPU s':>9}{'× previous':>12}")
    print(f"{'previous (before issue 11)':<34}{then:>9.3f}{1.0:>12.2f}")
    print(f"{'current':<34}{now:>9.3f}{now / then:>12.2f}")
    print("target: current ≤ 1.10 × previous")


def scale(students: int, seed: int, tmp: Path) -> None:
    folder = tmp / "school"
    t = time.perf_counter()
    gen = generate_reading_exports(folder, students=students, seed=seed, formats=("xlsx",))
    ds = read_reading_exports([folder])
    texts = sorted({compare_text(e) for e in ds.entries})
    (tmp / "texts.json").write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    print(
        f"\n## Scale: {gen.students} students, {len(gen.files)} class files, {len(ds.entries)} entries, "
        f"{len(texts)} unique entry texts (generated in {time.perf_counter() - t:.1f} s)"
    )
    bare_wall, bare_rss, _ = run_measured([sys.executable, "-c", BARE_KIWI, str(tmp / "texts.json")])
    rows = [("bare Kiwi (load + tokenise unique)", bare_wall, bare_rss)]
    for method in ("default", "ratio"):
        out = tmp / f"{method}.xlsx"
        wall, rss, stdout = run_measured(
            [sys.executable, "-m", "schoolauto", "records", "duplicates", str(folder), "--method", method,
             "--out", str(out), "--json", str(tmp / f"{method}.json")]
        )  # fmt: skip
        rows.append((f"end to end, --method {method}", wall, rss))
        print(f"  {method}: {stdout.splitlines()[0]}")
    print(f"{'run':<40}{'wall s':>9}{'peak MB':>10}{'× bare Kiwi':>13}")
    for name, wall, rss in rows:
        print(f"{name:<40}{wall:>9.2f}{rss:>10.0f}{wall / bare_wall:>13.2f}")
    print("targets: end to end ≤ 1.5 × bare Kiwi, peak memory < 500 MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--students", type=int, default=1000, help="students in the scale run")
    ap.add_argument("--quality-students", type=int, default=500)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-scale", action="store_true", help="skip the end-to-end scale runs")
    args = ap.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as d:
        quality(args.quality_students, args.seed, Path(d))
        speed(args.students, args.seed, Path(d))
        if not args.no_scale:
            scale(args.students, args.seed, Path(d))


if __name__ == "__main__":
    main()
