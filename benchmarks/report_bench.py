"""The shared xlsx writer: a 10,000-row duplicate report with rich-text highlights.

    .venv/bin/python benchmarks/report_bench.py               # 10,000 rows, this engine vs main's
    .venv/bin/python benchmarks/report_bench.py --rows 2000   # shorter while iterating
    .venv/bin/python benchmarks/report_bench.py --baseline-ref HEAD~3

Rows are built like `schoolauto/records/report.py` `finding_rows` (20 columns, two rich-text cells
per row from `diff_rich_text` on pairs of real Korean titles with a retyped one) and written with
`TemplateReport` from `templates/records_duplicates.xlsx`: `fill`, `fill_table`, `to_bytes`.
Each engine runs in its own child process, so the figures are wall and CPU time (CPU is steadier on a shared machine) and
peak resident memory of that process (the interpreter and openpyxl included). The baseline is the engine at
`--baseline-ref` (default `main`), loaded from git into a temporary module, run once with
openpyxl's pure-Python XML writer (as before lxml became a dependency) and once with lxml; the
ratio is the first baseline / this tree. Target (issue 7): <= 2 s for 10,000 rows on the 2-core development machine.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TYPOS = [("이", "리"), ("역사", "역샤"), ("의", "에"), (" ", ""), ("하", "허")]


def _titles() -> list[tuple[str, str]]:
    lines = (ROOT / "schoolauto/records/data/books.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return [(p[0], p[1]) for p in (line.split("\t") for line in lines) if len(p) >= 2]


def make_rows(n: int, diff_rich_text: Any, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    books = _titles()
    rows = []
    for i in range(1, n + 1):
        title, author = rng.choice(books)
        a = f"{title}({author})"
        old, new = rng.choice(TYPOS)
        b = f"{title.replace(old, new, 1) if old in title else title + ' 1'}({author} 지음)"
        klass, number = 1 + i % 12, 1 + i % 30
        rows.append(
            {
                "seq": i,
                "klass": str(klass),
                "number": str(number),
                "name": rng.choice(["김민준", "이서연", "박지호", "최수아", "정하준"]),
                "student_id": f"3{klass:02d}{number:02d}",
                "kind": rng.choice(["완전 중복", "유사"]),
                "score": round(rng.random(), 3),
                "reason": "오타 의심, 저자 표기 차이",
                "a_text": diff_rich_text(a, b),
                "a_grade": "1",
                "a_semester": "1",
                "a_subject": "공통",
                "a_where": f"{klass}반.xlsx\n{4 + i % 40}행 1번째",
                "b_text": diff_rich_text(b, a),
                "b_grade": "2",
                "b_semester": "2",
                "b_subject": "국어",
                "b_where": f"{klass}반.xlsx\n{5 + i % 40}행 2번째",
                "check": None,
            }
        )
    return rows


def load_engine(source: Path | None) -> Any:
    """This tree's engine, or the engine source at `source` as `schoolauto.reports._bench_engine`."""
    if source is None:
        from schoolauto.reports import engine

        return engine
    spec = importlib.util.spec_from_file_location("schoolauto.reports._bench_engine", source)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def run_once(rows: int, source: Path | None) -> dict[str, float]:
    engine = load_engine(source)
    data = make_rows(rows, engine.diff_rich_text)
    start, cpu = time.perf_counter(), time.process_time()
    doc = engine.TemplateReport("records_duplicates")
    doc.fill({"school_name": "가상고등학교", "findings": rows, "students": rows // 3})
    doc.fill_table("findings", data)
    out = doc.to_bytes()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb, "bytes": len(out)}


def child(rows: int, source: Path | None, lxml: bool = True) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--child", "--rows", str(rows)]
    if source is not None:
        cmd += ["--engine-file", str(source)]
    env = {**os.environ, "SCHOOLAUTO_TEMPLATES": str(ROOT / "templates")}
    if not lxml:
        env["OPENPYXL_LXML"] = "False"  # openpyxl's own switch: its pure-Python XML writer
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--baseline-ref", default="main", help="git ref of the baseline engine")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--engine-file", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_once(args.rows, args.engine_file)))
        return

    import openpyxl

    print(f"{args.rows:,} rows, 20 columns, 2 rich-text cells per row; openpyxl {openpyxl.__version__}, "
          f"lxml {'yes' if openpyxl.LXML else 'no'}")  # fmt: skip
    results: dict[str, dict[str, float]] = {}
    if not args.no_baseline:
        src = subprocess.run(
            ["git", "show", f"{args.baseline_ref}:schoolauto/reports/engine.py"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "engine_baseline.py"
            path.write_text(src, encoding="utf-8")
            results[f"{args.baseline_ref}, no lxml"] = child(args.rows, path, lxml=False)
            results[f"{args.baseline_ref}, lxml"] = child(args.rows, path)
    results["this tree"] = child(args.rows, None)
    print(f"{'engine':<18} {'wall s':>7} {'CPU s':>7} {'peak MB':>8} {'xlsx KB':>8}")
    for name, r in results.items():
        print(
            f"{name:<18} {r['seconds']:>7.2f} {r['cpu']:>7.2f} {r['peak_mb']:>8.0f} {r['bytes'] / 1024:>8.0f}"
        )
    if len(results) > 1:
        base, now = next(iter(results.values())), results["this tree"]
        print(
            f"speed-up (baseline / this tree): wall {base['seconds'] / now['seconds']:.2f}x, "
            f"CPU {base['cpu'] / now['cpu']:.2f}x"
        )


if __name__ == "__main__":
    main()
