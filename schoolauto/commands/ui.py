"""`schoolauto ui`: start the local web page (Streamlit) and open the browser."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from ..errors import DependencyError, UsageError
from ..fileio import os_reason

DEFAULT_PORT = 8501


def register(sub: Any) -> None:
    p = sub.add_parser(
        "ui",
        help="웹 페이지로 씁니다 (터미널 없이 브라우저에서 모든 작업)",
        description=(
            "이 컴퓨터에서 웹 페이지를 열어, 독서활동 중복 검사·생활기록부 점검·모둠 편성·LMS 미제출·\n"
            "가상 자료를 브라우저에서 씁니다. 기본은 이 컴퓨터에서만 열립니다 (127.0.0.1)."
        ),
        epilog=(
            "예:\n"
            "  schoolauto ui\n"
            "  SCHOOLAUTO_UI_PASSWORD=... schoolauto ui --host 0.0.0.0 --port 8600   # 학교 내부망에 공유\n"
            "공유(127.0.0.1 이 아닌 주소)하려면 환경변수 SCHOOLAUTO_UI_PASSWORD 에 접속 비밀번호를 넣어야 합니다."
        ),
    )
    p.add_argument(
        "--port", type=int, default=DEFAULT_PORT, metavar="포트", help=f"포트 (기본 {DEFAULT_PORT})"
    )
    p.add_argument(
        "--host", default="127.0.0.1", metavar="주소", help="들을 주소 (기본 127.0.0.1: 이 컴퓨터에서만)"
    )
    p.add_argument("--no-browser", action="store_true", help="브라우저를 열지 않습니다")
    p.add_argument(
        "--max-upload-mb",
        type=int,
        default=50,
        metavar="MB",
        help="올릴 수 있는 파일 하나의 크기 (기본 50MB)",
    )
    p.set_defaults(handler=cmd_ui)


def streamlit_command(args: argparse.Namespace) -> list[str]:
    """The `streamlit run` line, with every server option the page relies on set explicitly."""
    app = Path(__file__).resolve().parents[1] / "ui" / "app.py"
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.address",
        args.host,
        "--server.port",
        str(args.port),
        "--server.headless",
        "true",
        "--server.enableXsrfProtection",
        "true",
        "--server.maxUploadSize",
        str(args.max_upload_mb),
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
        "--client.showErrorDetails",
        "none",
        "--client.toolbarMode",
        "minimal",
        "--global.developmentMode",
        "false",
        "--runner.magicEnabled",
        "false",
        "--logger.level",
        "warning",
    ]


def _wait_for(host: str, port: int, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> bool:
    probe = "127.0.0.1" if host in ("0.0.0.0", "") else "::1" if host == "::" else host
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with socket.create_connection((probe, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def _check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
        except OSError as exc:
            raise UsageError(
                f"{host}:{port} 에서 열 수 없습니다 ({'이미 쓰는 포트입니다' if exc.errno == 98 else os_reason(exc)})",
                hint="다른 포트를 주세요",
                field="port",
            ) from None


def cmd_ui(args: argparse.Namespace) -> int:
    from ..ui.settings import PASSWORD_ENV, SHARED_ENV, UPLOAD_LIMIT_ENV, is_loopback

    if not 1 <= args.port <= 65535:
        raise UsageError(f"포트는 1에서 65535 사이여야 합니다 ({args.port})", field="port")
    if args.max_upload_mb < 1:
        raise UsageError("1 이상이어야 합니다", field="max_upload_mb")
    shared = not is_loopback(args.host)
    if shared and not os.environ.get(PASSWORD_ENV):
        raise UsageError(
            f"이 컴퓨터 밖에 공유하려면 접속 비밀번호가 필요합니다: 환경변수 {PASSWORD_ENV} 에 넣으세요",
            hint="이 컴퓨터에서만 쓰려면 --host 를 빼세요",
        )
    try:
        import streamlit  # noqa: F401
    except ImportError:
        raise DependencyError(
            "웹 페이지에는 streamlit 이 필요합니다", hint="pip install 'schoolauto[ui]'"
        ) from None
    _check_port_free(args.host, args.port)
    env = dict(os.environ)
    env[SHARED_ENV] = "1" if shared else "0"
    env[UPLOAD_LIMIT_ENV] = str(args.max_upload_mb)
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    # The page imports this very package, wherever it was started from.
    package_root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    shown = "localhost" if not shared else args.host
    url = f"http://{shown}:{args.port}"
    # Streamlit's own start-up lines are English; the Korean line below says where the page is.
    proc = subprocess.Popen(streamlit_command(args), env=env, stdout=subprocess.DEVNULL)

    def stop(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        if _wait_for(args.host, args.port, proc):
            print(f"웹 페이지: {url}  (끝내려면 Ctrl+C)", flush=True)
            if shared:
                print("내부망에 공유 중입니다: 접속할 때 비밀번호를 묻습니다.", flush=True)
            if not args.no_browser:
                import webbrowser

                webbrowser.open(url)
        return proc.wait() or 0
    except KeyboardInterrupt:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        print("웹 페이지를 닫았습니다.", file=sys.stderr)
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
