"""Benchmark of the web page (run: python benchmarks/ui_bench.py [--students 1000] [--repeat 2]).

1. First paint: seconds from starting `schoolauto ui --no-browser` until the page's first title is
   visible in headless Chromium (the browser is already running, as a teacher's would be).
2. The duplicate check of a whole school (1,000 students, one export per class) through the page:
   from handing the files to the upload box until the findings count is shown, against the CLI
   (`schoolauto records duplicates <files>` in a fresh process) on the same files in the same run.
   Target: page time <= 1.5 x CLI time.
Prints figures only; it asserts nothing (speed is not a test). Needs Chromium and chromedriver.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from schoolauto.records.generate import generate_reading_exports  # noqa: E402
from tests.ui.browser import (  # noqa: E402
    chromium,
    click,
    free_port,
    running_ui,
    upload,
    wait_health,
    wait_idle,
    wait_text,
)


def cli_seconds(files: list[Path]) -> tuple[float, int]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "schoolauto", "records", "duplicates", *map(str, files), "-q"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    seconds = time.perf_counter() - t0
    print(f"  CLI 한 번: {seconds:.2f}초", flush=True)
    m = re.search(r"중복 (\d+)건", out)
    return seconds, int(m.group(1)) if m else -1


def first_paint(work: Path) -> tuple[float, float]:
    """(seconds until the server answers, seconds until the page's title is painted)."""
    with chromium(work) as driver:
        driver.get("about:blank")
        port = free_port()
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "schoolauto", "ui", "--no-browser", "--port", str(port)],
            cwd=work,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_health(url, proc)
            health = time.perf_counter() - t0
            driver.get(url)
            wait_text(driver, "NEIS 독서활동상황 내보내기 파일에서")
            paint = time.perf_counter() - t0
        finally:
            os.killpg(proc.pid, 15)
            proc.wait(15)
    return health, paint


def page_seconds(url: str, files: list[Path], work: Path) -> tuple[float, int]:
    with chromium(work) as driver:
        driver.get(url)
        wait_text(driver, "검사 시작")
        wait_idle(driver)
        t0 = time.perf_counter()
        upload(driver, files, timeout=180)
        click(driver, "검사 시작")
        m = wait_text(driver, r"검사 결과: 중복 (\d+)건|오류: .*", timeout=300)
        if m.group(0).startswith("오류"):
            raise RuntimeError(m.group(0))
        wait_text(driver, r"\d+건 표시", timeout=300)  # the findings table is there
        seconds = time.perf_counter() - t0
        print(f"  페이지 한 번: {seconds:.2f}초", flush=True)
        return seconds, int(m.group(1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--students", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=2, help="runs of each; the best is reported")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="ui-bench-") as tmp:
        work = Path(tmp)
        made = generate_reading_exports(work / "exports", students=args.students, grade=3, seed=7)
        files = sorted(made.files)
        print(f"학생 {made.students}명, 도서 {made.entries}건, 파일 {len(files)}개", flush=True)

        health, paint = first_paint(work)
        print(
            f"첫 화면: 서버 응답 {health:.2f}초, 페이지 제목 표시 {paint:.2f}초 (schoolauto ui 시작부터)",
            flush=True,
        )

        cli, page = [], []
        with running_ui(work) as (url, _proc):
            print("  (첫 실행: 서버가 라이브러리를 처음 불러옴)", flush=True)
            page_seconds(url, files, work)  # warm-up: the server's first run imports the library
            for _ in range(args.repeat):  # alternate, so both see the same load on a shared machine
                cli.append(cli_seconds(files))
                page.append(page_seconds(url, files, work))
        cli_best, cli_n = min(cli)
        page_best, page_n = min(page)
        print(
            f"CLI (records duplicates, 새 프로세스): {cli_best:.2f}초, 중복 {cli_n}건  (모두: {[round(c, 2) for c, _ in cli]})"
        )
        print(
            f"페이지 (올리기 → 표 표시): {page_best:.2f}초, 중복 {page_n}건  (모두: {[round(p, 2) for p, _ in page]})"
        )
        print(
            f"비율 페이지/CLI: {page_best / cli_best:.2f}배 (목표 1.5배 이하), 같은 결과: {cli_n == page_n}"
        )


if __name__ == "__main__":
    main()
