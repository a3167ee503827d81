"""`schoolauto lms` subcommands: missing (who has not submitted) and remind (e-mail them).

Flags map onto `schoolauto.lms` requests (their `dest` is the request field, so errors naming a
field are shown with the flag); one job call; the result is printed here.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..cli import add_output_options, emit, json_to_screen, output_request
from ..errors import UsageError
from ..fileio import os_reason

log = logging.getLogger("schoolauto.lms")

EXIT_PARTIAL = 3
EPILOG_MISSING = """예:
  schoolauto lms missing --lms 우리학교 --out 미제출.xlsx
  schoolauto lms missing --lms 우리학교 --json 미제출.json --csv 미제출.csv --via browser
  schoolauto lms missing --lms 우리학교 --cross-check --out 미제출.xlsx   # REST 와 브라우저 결과 비교
  SCHOOLAUTO_LMS_PASSWORD=… schoolauto lms missing --driver kolibri --url http://127.0.0.1:8080 --username coach --json -

종료 코드: 0 모든 반을 읽음 · 3 일부 반을 읽지 못함(보고서의 오류 시트) · 1 어느 반도 못 읽음/로그인 실패/다른 실행 중(보고서 없음) · 2 설정이나 옵션이 잘못됨"""
EPILOG_REMIND = """예:
  schoolauto lms remind --lms 우리학교 --roster 명단.csv                 # 미리보기 (보내지 않음)
  schoolauto lms remind --lms 우리학교 --roster 명단.csv --send --yes
  schoolauto lms remind --lms 우리학교 --roster 명단.csv --digest --send --yes   # 담임에게 반별 요약

종료 코드: 0 성공 · 3 일부 반을 못 읽었거나 일부 메일을 못 보냄 · 1 실패 · 2 설정이나 옵션이 잘못됨"""


def _positive_help() -> str:
    try:
        from ..lms.base import driver_help

        return driver_help()
    except Exception:  # noqa: BLE001 - a broken third-party driver must not break --help
        return "kolibri, moodle, classroom"


def _connection_options(p: argparse.ArgumentParser) -> None:
    from ..lms.base import driver_names

    g = p.add_argument_group("LMS 연결")
    g.add_argument(
        "--config", metavar="파일", help="설정 파일 (기본: SCHOOLAUTO_CONFIG 또는 ./schoolauto.toml)"
    )
    g.add_argument("--lms", metavar="이름", help='설정 파일의 [lms."이름"] 연결을 씁니다')
    g.add_argument(
        "--driver", metavar="이름", choices=driver_names(), help=f"설정 없이 쓸 드라이버: {_positive_help()}"
    )
    g.add_argument("--url", metavar="주소", help="설정 없이 쓸 LMS 주소 (http:// 또는 https:// 로 시작)")
    g.add_argument(
        "--username",
        metavar="아이디",
        help="로그인 아이디 (비밀번호는 환경변수 SCHOOLAUTO_LMS_PASSWORD 나 키링)",
    )
    g.add_argument(
        "--via", choices=["api", "browser"], help="api(기본) 또는 browser(사이트 프로필로 실제 브라우저)"
    )
    g.add_argument("--profile", metavar="이름", help="browser 방식의 사이트 프로필 (drivers/<이름>.toml)")
    g.add_argument(
        "--class", dest="classes", action="append", metavar="반", help="이 반만 (여러 번 쓸 수 있음)"
    )
    g.add_argument(
        "--kind", dest="kinds", action="append", metavar="종류", help="이 종류만: quiz, lesson, assignment"
    )
    g.add_argument("--timeout", metavar="초", help="요청 하나의 제한 시간, 0보다 큰 수 (기본 15)")
    g.add_argument("--retries", metavar="횟수", help="연결 오류·429·5xx 재시도 횟수, 0 이상 (기본 3)")
    r = p.add_argument_group("무인 실행")
    r.add_argument("--yes", "-y", action="store_true", help="아무것도 묻지 않습니다 (예약 실행용)")
    r.add_argument("--log-file", metavar="파일", help="실행 기록을 이 파일에 덧붙입니다")
    r.add_argument("--lock-file", metavar="파일", help="겹침 방지 잠금 파일 (기본: 상태 폴더의 lms.lock)")


# A Classroom connection without a stored sign-in: say which command stores one.
SIGN_IN_HINT = {"signin": "먼저 'schoolauto lms login' 으로 로그인 정보를 키링에 저장하세요"}


def register(sub: Any) -> None:
    p = sub.add_parser(
        "lms",
        help="LMS 과제 미제출자 확인과 알림",
        description="LMS(Kolibri, Moodle, Google Classroom, 사이트 프로필)의 과제 미제출자를 모읍니다.",
        epilog="예:\n  schoolauto lms missing --lms 우리학교 --out 미제출.xlsx\n"
        "  schoolauto lms remind --lms 우리학교 --roster 명단.csv --send --yes\n"
        "자세한 도움말: schoolauto lms missing --help, schoolauto lms remind --help",
    )
    lsub = p.add_subparsers(dest="lms_command", metavar="명령")
    lsub.required = True

    m = lsub.add_parser(
        "missing",
        help="반별 과제 미제출자 보고서",
        description="모든 반의 과제에서 아직 제출하지 않은 학생을 모읍니다.",
        epilog=EPILOG_MISSING,
    )
    _connection_options(m)
    m.add_argument(
        "--cross-check",
        action="store_true",
        help="REST 와 브라우저 두 방식으로 읽어 다른 과제를 경고로 알립니다 (보고서는 --via 의 것)",
    )
    add_output_options(
        m,
        template="lms_missing",
        xlsx_help="엑셀 보고서 (반별 시트, 요약 시트)",
        csv_help="미제출 한 명당 한 줄인 CSV",
    )
    m.set_defaults(handler=cmd_missing, field_hints=SIGN_IN_HINT)

    r = lsub.add_parser(
        "remind",
        help="미제출 학생(또는 담임)에게 알림 메일",
        description="미제출 학생에게 메일을 보냅니다. 기본은 --dry-run: 보낼 내용만 보여 줍니다.",
        epilog=EPILOG_REMIND,
    )
    _connection_options(r)
    r.add_argument("--roster", metavar="파일", help="학생 메일·담임 명단 (아이디, 이메일, 담임이메일 열)")
    r.add_argument("--digest", action="store_true", help="학생 대신 담임에게 반별 요약 한 통씩")
    r.add_argument("--template", metavar="파일", help="메일 서식 파일 (기본: templates/lms_reminder.txt)")
    r.add_argument("--status", dest="statuses", action="append", choices=["not_started", "started"],
                   help="이 상태의 학생만 (기본: 둘 다)")  # fmt: skip
    mode = r.add_mutually_exclusive_group()
    mode.add_argument(
        "--dry-run", action="store_true", default=True, help="보내지 않고 보낼 내용만 보여 줍니다 (기본)"
    )
    mode.add_argument("--send", action="store_true", help="실제로 보냅니다")
    r.set_defaults(handler=cmd_remind, field_hints=SIGN_IN_HINT)

    lg = lsub.add_parser(
        "login",
        help="Google Classroom 로그인 정보를 키링에 저장합니다",
        description="교사 계정으로 Google 동의 화면에서 로그인하거나(교사), 학교 서비스 계정 키를 키링에 넣습니다\n"
        "(관리자). 저장한 뒤에는 lms missing / remind 가 키링에서 읽습니다. 파일에 토큰을 남기지 않습니다.",
        epilog="예:\n  schoolauto lms login --lms 우리반클래스룸\n"
        "  schoolauto lms login --lms 우리반클래스룸 --service-account 서비스계정키.json",
    )
    _connection_options(lg)
    lg.add_argument(
        "--service-account", dest="key_file", metavar="키.json", help="서비스 계정 키 파일 (학교 관리자)"
    )
    lg.add_argument(
        "--no-browser", action="store_true", help="브라우저를 열지 않고 로그인 주소를 보여 줍니다"
    )
    lg.set_defaults(handler=cmd_login)

    sb = lsub.add_parser(
        "sandbox",
        help="연습용 Kolibri 를 이 컴퓨터에 띄웁니다",
        description="학생·모둠·퀴즈·레슨이 들어 있는 연습용 Kolibri 를 127.0.0.1 에 띄웁니다 (Ctrl+C 로 끝).",
        epilog="예:\n  schoolauto lms sandbox --install-kolibri   # 처음 한 번: Kolibri 를 사용자 폴더에 설치\n"
        "  schoolauto lms sandbox\n  python -m schoolauto.lms.sandbox --classes 3",
    )
    sb.add_argument("--classes", type=int, default=2, metavar="개수", help="반 수 (기본 2)")
    sb.add_argument("--learners", type=int, default=30, metavar="명", help="반마다 학생 수 (기본 30)")
    sb.add_argument("--quizzes", type=int, default=3, metavar="개수", help="반마다 기본 퀴즈 수 (기본 3)")
    sb.add_argument(
        "--install-kolibri",
        action="store_true",
        help="Kolibri 가 없으면 사용자 상태 폴더의 가상환경에 설치합니다 (인터넷 필요, 몇 분)",
    )
    sb.set_defaults(handler=cmd_sandbox)


# ----- shared --------------------------------------------------------------------------------
class _ToRootHandlers(logging.Handler):
    """Pass records on to the root (console) handlers, at the console's own level."""

    def emit(self, record: logging.LogRecord) -> None:
        for h in logging.getLogger().handlers:
            if record.levelno >= h.level:
                h.handle(record)


@contextlib.contextmanager
def _log_file(path: str | None) -> Iterator[None]:
    """With `--log-file`, INFO and above also go to that file; the console stays as quiet as before."""
    if not path:
        yield
        return
    p = Path(path)
    if p.is_dir():
        raise UsageError("실행 기록 파일 자리에 폴더가 있습니다", path=p, field="log_file")
    if not p.parent.is_dir():
        raise UsageError(
            "실행 기록 파일의 폴더가 없습니다", path=p, hint="폴더를 먼저 만드세요", field="log_file"
        )
    logger = logging.getLogger("schoolauto")
    saved = (logger.level, logger.propagate)
    console = _ToRootHandlers(level=logger.getEffectiveLevel())
    try:
        to_file = logging.FileHandler(p, encoding="utf-8")
    except OSError as exc:
        raise UsageError(
            f"실행 기록 파일을 쓸 수 없습니다 ({os_reason(exc)})", path=p, field="log_file"
        ) from None
    to_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    to_file.setLevel(logging.INFO)
    logger.addHandler(to_file)
    logger.addHandler(console)
    logger.setLevel(min(logging.INFO, logger.getEffectiveLevel()))
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(to_file)
        logger.removeHandler(console)
        to_file.close()
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


def connection_request(args: argparse.Namespace) -> Any:
    from ..lms.config import ConnectionRequest

    if not args.lms and not (args.driver and args.url):
        raise UsageError("--lms 이름, 또는 --driver 와 --url 을 주세요")

    return ConnectionRequest(
        config=args.config,
        lms=args.lms,
        driver=args.driver,
        url=args.url,
        username=args.username,
        via=args.via,
        profile=args.profile,
        classes=tuple(args.classes) if args.classes else None,
        kinds=tuple(args.kinds) if args.kinds else None,
        timeout=args.timeout,
        retries=args.retries,
    )


def _interactive(args: argparse.Namespace) -> bool | None:
    return False if args.yes else None


@contextlib.contextmanager
def _unattended(args: argparse.Namespace) -> Iterator[None]:
    """The log file, then the lock (so a locked run is logged too)."""
    from ..lms.config import state_dir
    from ..lms.runlock import run_lock

    with (
        _log_file(args.log_file),
        run_lock(Path(args.lock_file) if args.lock_file else state_dir() / "lms.lock"),
    ):
        yield


def _warn(report: Any) -> None:
    for e in report.errors:
        print(f"경고: {e.class_name}: {e.message}", file=sys.stderr)
    for w in report.warnings:
        print(f"경고: {w}", file=sys.stderr)


# ----- missing -------------------------------------------------------------------------------
def cmd_missing(args: argparse.Namespace) -> int:
    """Who has not submitted, per class and assignment."""
    from ..lms.missing import MissingRequest, collect_missing

    outputs = output_request(args)
    request = MissingRequest(
        connection=connection_request(args), cross_check=args.cross_check, interactive=_interactive(args)
    )
    with _unattended(args):
        report = collect_missing(request)
        written = emit(report, args, outputs)
    if not json_to_screen(args) and not args.quiet:
        for c in report.classes:
            total = sum(len(a.missing) for a in c.assignments)
            print(f"{c.course.name}: 과제 {len(c.assignments)}개, 미제출 {total}건")
        for path in written:
            print(f"저장: {path}")
    _warn(report)
    return EXIT_PARTIAL if report.partial else 0


# ----- remind --------------------------------------------------------------------------------
def _show_remind(result: Any) -> list[str]:
    lines = result.lines()
    if not result.sent_for_real:
        lines[-1] += " 실제로 보내려면 --send 를 붙이세요."
    return lines


def cmd_remind(args: argparse.Namespace) -> int:
    """E-mail non-submitters (dry run by default)."""
    from ..lms.remind import STATUSES, RemindRequest, send_reminders

    request = RemindRequest(
        connection=connection_request(args),
        roster=args.roster,
        digest=args.digest,
        template=args.template,
        statuses=tuple(args.statuses or STATUSES),
        send=args.send,
        interactive=_interactive(args),
    )
    with _unattended(args):
        result = send_reminders(request)
    for line in _show_remind(result):
        print(line)
    _warn(result.report)
    return EXIT_PARTIAL if result.partial else 0


# ----- login ---------------------------------------------------------------------------------
def cmd_login(args: argparse.Namespace) -> int:
    """Keep a Google Classroom credential in the keyring."""
    from ..lms.google_auth import SignInRequest, sign_in

    def show(url: str) -> None:
        print(f"이 컴퓨터의 브라우저에서 여세요: {url}", flush=True)

    result = sign_in(
        SignInRequest(
            connection=connection_request(args),
            key_file=args.key_file,
            show_url=show if args.no_browser else None,
        )
    )
    kind = "서비스 계정 키" if result.kind == "service_account" else "교사 로그인"
    print(f"{kind}를 키링에 저장했습니다 ({result.keyring_service} / {result.keyring_user})")
    return 0


# ----- sandbox -------------------------------------------------------------------------------
def cmd_sandbox(args: argparse.Namespace) -> int:
    """A seeded local Kolibri to try the other commands on."""
    from ..lms import sandbox

    for name in ("classes", "learners", "quizzes"):
        if getattr(args, name) < 1:
            raise UsageError(f"--{name.replace('_', '-')} 는 1 이상이어야 합니다")
    if args.install_kolibri:
        sandbox.install_kolibri()
    sandbox.find_kolibri()
    spec = sandbox.SandboxSpec(classes=args.classes, learners=args.learners, quizzes=args.quizzes)
    print("연습용 Kolibri 를 준비합니다 (처음에는 1~2분 걸립니다)…", flush=True)

    def ready(url: str) -> None:
        coach, password = sandbox.COACH
        print(f"Kolibri: {url}  (코치 {coach} / {password}, 관리자 {sandbox.ADMIN[0]} / {sandbox.ADMIN[1]})")
        print(
            f"예: SCHOOLAUTO_LMS_PASSWORD={password} schoolauto lms missing --driver kolibri "
            f"--url {url} --username {coach} --out 미제출.xlsx"
        )
        print("끝내려면 Ctrl+C", flush=True)

    sandbox.serve(spec, ready=ready)
    return 0
