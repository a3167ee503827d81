"""`schoolauto lms` subcommands: missing (who has not submitted) and remind (e-mail them)."""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..cli import add_common_output_options
from ..errors import UsageError

log = logging.getLogger("schoolauto.lms")

EXIT_PARTIAL = 3


def _connection_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("LMS 연결")
    g.add_argument(
        "--config", metavar="파일", help="설정 파일 (기본: SCHOOLAUTO_CONFIG 또는 ./schoolauto.toml)"
    )
    g.add_argument("--lms", metavar="이름", help="설정 파일의 [lms.이름] 연결을 씁니다")
    g.add_argument("--driver", metavar="이름", help="설정 없이 쓸 드라이버: kolibri, moodle, classroom")
    g.add_argument("--url", metavar="주소", help="설정 없이 쓸 LMS 주소")
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
    g.add_argument("--timeout", type=float, metavar="초", help="요청 하나의 제한 시간 (기본 15)")
    g.add_argument("--retries", type=int, metavar="횟수", help="연결 오류·429·5xx 재시도 횟수 (기본 3)")
    r = p.add_argument_group("무인 실행")
    r.add_argument("--yes", "-y", action="store_true", help="아무것도 묻지 않습니다 (예약 실행용)")
    r.add_argument("--log-file", metavar="파일", help="실행 기록을 이 파일에 덧붙입니다")
    r.add_argument("--lock-file", metavar="파일", help="겹침 방지 잠금 파일 (기본: 상태 폴더의 lms.lock)")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "lms",
        help="LMS 과제 미제출자 확인과 알림",
        description="LMS(Kolibri, Moodle, Google Classroom, 사이트 프로필)의 과제 미제출자를 모읍니다.",
    )
    lsub = p.add_subparsers(dest="lms_command", metavar="명령")
    lsub.required = True

    m = lsub.add_parser(
        "missing",
        help="반별 과제 미제출자 보고서",
        description="모든 반의 과제에서 아직 제출하지 않은 학생을 모읍니다.",
        epilog="예: schoolauto lms missing --lms 우리학교 --out 미제출.xlsx --json 미제출.json",
    )
    _connection_options(m)
    o = m.add_argument_group("출력")
    o.add_argument("--out", metavar="xlsx", help="엑셀 보고서 (반별 시트, 요약 시트)")
    o.add_argument("--json", metavar="파일", help="JSON 으로 저장 ('-' 이면 화면에)")
    o.add_argument("--csv", metavar="파일", help="미제출 한 명당 한 줄인 CSV")
    add_common_output_options(m)
    m.set_defaults(handler=cmd_missing)

    r = lsub.add_parser(
        "remind",
        help="미제출 학생(또는 담임)에게 알림 메일",
        description="미제출 학생에게 메일을 보냅니다. 기본은 --dry-run: 보낼 내용만 보여 줍니다.",
        epilog="예: schoolauto lms remind --lms 우리학교 --roster 명단.csv --send --yes",
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
    r.set_defaults(handler=cmd_remind)


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
    logger = logging.getLogger("schoolauto")
    saved = (logger.level, logger.propagate)
    console = _ToRootHandlers(level=logger.getEffectiveLevel())
    to_file = logging.FileHandler(path, encoding="utf-8")
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


def resolve_connection(args: argparse.Namespace) -> tuple[Any, dict[str, Any], Path | None]:
    from ..lms.base import Connection
    from ..lms.config import connection_from_config, find_config, load_config

    path = find_config(args.config)
    cfg = load_config(path)
    if args.lms:
        if path is None:
            raise UsageError("--lms 를 쓰려면 설정 파일이 필요합니다 (--config 또는 ./schoolauto.toml)")
        conn = connection_from_config(cfg, args.lms, path)
        if args.driver:
            conn.driver = args.driver
        if args.url:
            conn.url = args.url
        if args.username:
            conn.username = args.username
    else:
        if not (args.driver and args.url):
            raise UsageError("--lms 이름, 또는 --driver 와 --url 을 주세요")
        conn = Connection(name=args.driver, driver=args.driver, url=args.url, username=args.username)
    if args.via:
        conn.via = args.via
    if args.profile:
        conn.profile = args.profile
    if args.classes:
        conn.classes = tuple(args.classes)
    if args.kinds:
        conn.kinds = tuple(args.kinds)
    if args.timeout is not None:
        conn.timeout = args.timeout
    if args.retries is not None:
        conn.retries = args.retries
    return conn, cfg, path


def _interactive(args: argparse.Namespace) -> bool | None:
    return False if args.yes else None


def _collect(args: argparse.Namespace) -> Any:
    from ..lms.base import make_driver
    from ..lms.config import lms_secret
    from ..lms.report import collect_missing

    conn, cfg, path = resolve_connection(args)
    secret = lms_secret(conn, interactive=_interactive(args))
    log.info("LMS %s (%s, via %s): reading classes", conn.name, conn.driver, conn.via)
    with make_driver(conn, secret) as driver:
        report = collect_missing(driver, lms_name=conn.name, classes=conn.classes, kinds=conn.kinds)
    log.info("read %d classes, %d errors", len(report.classes), len(report.errors))
    return conn, cfg, path, report


def _lock_path(args: argparse.Namespace) -> Path:
    from ..lms.config import state_dir

    return Path(args.lock_file) if args.lock_file else state_dir() / "lms.lock"


# ----- missing -------------------------------------------------------------------------------
def cmd_missing(args: argparse.Namespace) -> int:
    """Who has not submitted, per class and assignment.

    Example: schoolauto lms missing --lms 우리학교 --out a.xlsx
    """
    from ..fileio import check_writable, json_text
    from ..lms.report import report_to_dict, write_report_csv, write_report_json, write_report_xlsx
    from ..lms.runlock import run_lock

    for out in (args.out, args.csv, args.json if args.json != "-" else None):
        if out:
            check_writable(out, overwrite=args.overwrite)
    with _log_file(args.log_file), run_lock(_lock_path(args)):
        _conn, _cfg, _path, report = _collect(args)
        if args.out:
            write_report_xlsx(report, args.out, overwrite=args.overwrite)
        if args.csv:
            write_report_csv(report, args.csv, overwrite=args.overwrite)
        if args.json == "-":
            print(json_text(report_to_dict(report)))
        elif args.json:
            write_report_json(report, args.json, overwrite=args.overwrite)
    if args.json != "-" and not args.quiet:
        for c in report.classes:
            total = sum(len(a.missing) for a in c.assignments)
            print(f"{c.course.name}: 과제 {len(c.assignments)}개, 미제출 {total}건")
        for out in (args.out, args.csv, args.json):
            if out:
                print(f"저장: {out}")
    for e in report.errors:
        print(f"경고: {e.class_name}: {e.message}", file=sys.stderr)
    return EXIT_PARTIAL if report.errors else 0


# ----- remind --------------------------------------------------------------------------------
def cmd_remind(args: argparse.Namespace) -> int:
    """E-mail non-submitters (dry run by default).

    Example: schoolauto lms remind --lms 우리학교 --send --yes
    """
    from ..lms.remind import run_remind
    from ..lms.runlock import run_lock

    with _log_file(args.log_file), run_lock(_lock_path(args)):
        conn, cfg, path, report = _collect(args)
        result = run_remind(
            report,
            conn=conn,
            cfg=cfg,
            config_path=path,
            roster=args.roster,
            digest=args.digest,
            template=args.template,
            statuses=tuple(args.statuses or ("not_started", "started")),
            send=args.send,
            interactive=_interactive(args),
        )
    for line in result.lines:
        print(line)
    for e in report.errors:
        print(f"경고: {e.class_name}: {e.message}", file=sys.stderr)
    return EXIT_PARTIAL if report.errors or result.failed else 0
