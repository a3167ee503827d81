"""Unattended runs: a second run while one is going exits 1 with a clear Korean message."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from schoolauto.errors import LockedError
from schoolauto.lms.runlock import run_lock


def test_second_run_is_refused_while_another_holds_the_lock(lms_env: Path, run_cli) -> None:
    lock = lms_env / "lms.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time
                sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
                from schoolauto.lms.runlock import run_lock
                with run_lock({str(lock)!r}):
                    print("locked", flush=True)
                    sys.stdin.readline()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        res = run_cli("lms", "missing", "--driver", "kolibri", "--url", "http://127.0.0.1:9", "--yes")
        assert res.code == 1
        assert res.err == (
            f"오류: 파일 {lock}: 다른 schoolauto lms 실행이 아직 끝나지 않았습니다 (앞의 실행이 끝난 뒤 다시 실행하세요)\n"
        )
    finally:
        holder.communicate("\n", timeout=10)
    # once the first run has ended, the lock is free again
    with run_lock(lock):
        pass


def test_lock_is_exclusive_within_one_process(tmp_path: Path) -> None:
    with run_lock(tmp_path / "x.lock"):
        try:
            with run_lock(tmp_path / "x.lock"):
                raise AssertionError("the second lock must fail")
        except LockedError:
            pass
