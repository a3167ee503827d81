"""`schoolauto groups` subcommands: group formation (모둠) and class assignment (반편성)."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from ..cli import add_output_options, emit, json_to_screen, output_request

INPUT_PASSWORD_ENV = "SCHOOLAUTO_INPUT_PASSWORD"

EPILOG = """예:
  # 모둠: 30명을 6모둠으로, 성별(가중치 2)·MBTI·수준을 고르게, 여학생 혼자 금지
  schoolauto groups assign 명렬표.xlsx --groups 6 --balance 성별=2,MBTI,수준 --no-alone 성별=여 \\
      --seed 1 --out 모둠.xlsx --json 모둠.json

  # 반편성: 360명을 12반으로, 이전반·성별·수준을 고르게, 성적 평균 맞추기, 특수학급 2석,
  # 분리·함께·고정 제약 파일, 동명이인 분리
  schoolauto groups assign 2학년.xlsx --unit 반 --groups 12 --balance 성별,수준,이전반,특수학급 \\
      --numeric 성적 --seats 특수학급=2 --constraints 제약.csv --names-apart --time-limit 60 \\
      --out 반편성.xlsx --csv 반편성.csv

제약 파일(xlsx 또는 csv) 열: 유형(분리|함께|고정), 학번(쉼표·공백으로 구분), 모둠(고정일 때).
암호가 걸린 명렬표는 환경변수 SCHOOLAUTO_INPUT_PASSWORD 에 암호를 넣어 읽습니다."""

FIELD_HINTS = {"password": f"환경변수 {INPUT_PASSWORD_ENV} 에 명렬표 암호를 넣어 주세요"}


def register(sub: Any) -> None:
    from ..groups.backends import METHODS, SOLVERS
    from ..groups.request import UNITS

    p = sub.add_parser(
        "groups",
        help="모둠 편성·반편성 (정수계획으로 최적 배정)",
        description="모둠 편성과 반편성을 정수계획으로 풀고, 최적인지(또는 최적과의 간격)를 알려 줍니다.",
        epilog="예: schoolauto groups assign 명렬표.xlsx --groups 6 --balance 성별,MBTI --out 모둠.xlsx",
    )
    gsub = p.add_subparsers(dest="groups_command", metavar="명령")
    gsub.required = True
    a = gsub.add_parser(
        "assign",
        help="명렬표를 모둠(반)으로 나눕니다",
        description=(
            "명렬표의 학생을 모둠(또는 반)으로 나눕니다. 고르게 할 열마다 각 값의 모둠별 인원 분산을\n"
            "정확히 최소화하고, 결과가 최적인지(증명) 또는 최적과 얼마나 떨어져 있는지(간격)를 보고합니다.\n"
            "제한 시간은 명령 전체(읽기·풀이·저장)에 적용됩니다."
        ),
        epilog=EPILOG,
    )
    a.add_argument("roster", metavar="명렬표", help="명렬표 파일 (xlsx, xls, csv)")
    a.add_argument(
        "--id", dest="id_column", default="학번", metavar="열", help="학생을 구별하는 열 (기본 학번)"
    )
    size = a.add_argument_group("모둠 수와 크기")
    size.add_argument("--groups", type=int, metavar="수", help="모둠(반) 수; 크기는 최대 1명 차이")
    size.add_argument("--size", type=int, metavar="인원", help="모둠 크기 (모둠 수 = 올림(학생 수 / 크기))")
    size.add_argument("--min-size", type=int, metavar="좌석", help="모둠 최소 크기 (좌석 수)")
    size.add_argument("--max-size", type=int, metavar="좌석", help="모둠 최대 크기 (좌석 수)")
    size.add_argument(
        "--unit",
        default="모둠",
        choices=UNITS,
        help="보고서와 메시지에서 부를 이름: 모둠, 또는 반편성이면 반 (기본 모둠)",
    )
    goal = a.add_argument_group("무엇을 고르게")
    goal.add_argument(
        "--balance",
        action="append",
        metavar="열[=가중치],...",
        help="값별 인원을 고르게 할 열, 예: 성별=2,MBTI,수준",
    )
    goal.add_argument(
        "--numeric", action="append", metavar="열[=가중치]", help="모둠 평균을 전체 평균에 맞출 수치 열"
    )
    goal.add_argument(
        "--numeric-tolerance",
        type=float,
        default=0.0,
        metavar="점",
        help="모둠 평균이 전체 평균과 이만큼 이내면 같다고 봅니다 (기본 0; 예: 0.5 → 빨리 최적 증명)",
    )
    goal.add_argument(
        "--similar", action="append", metavar="열[=가중치]", help="모둠 안에서 비슷하게 할 열 (수준별 모둠)"
    )
    rules = a.add_argument_group("제약")
    rules.add_argument("--constraints", metavar="파일", help="제약 파일: 유형(분리|함께|고정), 학번, 모둠")
    rules.add_argument(
        "--no-alone",
        action="append",
        metavar="열[=값]",
        help="한 모둠에 딱 1명만 있으면 안 되는 값, 예: 성별=여",
    )
    rules.add_argument("--names-apart", action="store_true", help="동명이인을 서로 다른 모둠에 둡니다")
    rules.add_argument("--name-column", default="성명", metavar="열", help="이름 열 (기본 성명)")
    rules.add_argument(
        "--seats", metavar="열[=좌석]", help="한 학생을 여러 자리로 셈, 예: 특수학급=2 또는 좌석 수 열"
    )
    solve = a.add_argument_group("풀이")
    solve.add_argument(
        "--method", default="ilp", choices=METHODS.names(), help=f"방법: {METHODS.help()} (기본 ilp)"
    )
    solve.add_argument(
        "--solver", default="highs", choices=SOLVERS.names(), help=f"풀이기: {SOLVERS.help()} (기본 highs)"
    )
    solve.add_argument(
        "--time-limit", type=float, default=60.0, metavar="초", help="명령 전체의 제한 시간 (기본 60초)"
    )
    solve.add_argument("--threads", type=int, default=1, metavar="수", help="풀이기 스레드 수 (기본 1)")
    solve.add_argument(
        "--seed", type=int, default=0, metavar="시드", help="난수 시드: 같은 시드는 같은 결과 (기본 0)"
    )
    a.add_argument("--title", metavar="제목", help="보고서 제목 (기본: 모둠 편성 결과 / 반 편성 결과)")
    add_output_options(
        a,
        template="groups_report",
        xlsx_help="엑셀 보고서 (요약, 모둠별 명단, 제약 확인)",
        csv_help="학번·모둠 CSV",
    )
    a.set_defaults(handler=_assign, field_hints=FIELD_HINTS)


def _request(args: argparse.Namespace, started: float) -> Any:
    from ..groups import AssignRequest, parse_column_values, parse_column_weights, parse_seats
    from ..secrets import get_secret

    return AssignRequest(
        roster=args.roster,
        id_column=args.id_column,
        groups=args.groups,
        size=args.size,
        min_size=args.min_size,
        max_size=args.max_size,
        balance=parse_column_weights(args.balance, "balance"),
        numeric=parse_column_weights(args.numeric, "numeric"),
        numeric_tolerance=args.numeric_tolerance,
        similar=parse_column_weights(args.similar, "similar"),
        no_alone=parse_column_values(args.no_alone, "no_alone"),
        names_apart=args.names_apart,
        name_column=args.name_column,
        seats=parse_seats(args.seats),
        constraints=args.constraints,
        method=args.method,
        solver=args.solver,
        seed=args.seed,
        time_limit=args.time_limit,
        threads=args.threads,
        unit=args.unit,
        title=args.title,
        password=get_secret(INPUT_PASSWORD_ENV, required=False, interactive=False),
        progress=_progress_printer(args),
        started=started,
    )


def _progress_printer(args: argparse.Namespace) -> Any:
    """Progress on the terminal's stderr while solving: only on a terminal, never with `--json -`."""
    if json_to_screen(args) or getattr(args, "quiet", False) or not sys.stderr.isatty():
        return None

    def show(p: Any) -> None:
        parts = [f"\r{p.elapsed:6.1f}초 {p.stage}"]
        if p.objective is not None:
            parts.append(f"최선 {p.objective:.4f}")
        if p.bound is not None:
            parts.append(f"하한 {p.bound:.4f}")
        if p.gap is not None:
            parts.append(f"간격 {p.gap * 100:.2f}%")
        sys.stderr.write(" · ".join(parts) + "\033[K")
        sys.stderr.flush()

    return show


def _assign(args: argparse.Namespace) -> int:
    started = time.perf_counter()  # the time limit counts from here, imports included
    from ..errors import InfeasibleError
    from ..fileio import json_text, write_json
    from ..groups import assign, infeasible_json

    inputs = [args.roster, *([args.constraints] if args.constraints else [])]
    out_request = output_request(args, inputs)
    request = _request(args, started)
    try:
        result = assign(request)
    except InfeasibleError as exc:
        if args.json:
            doc = infeasible_json(str(exc), exc.conflicts, time.perf_counter() - started)
            if json_to_screen(args):
                print(json_text(doc))
            else:
                write_json(args.json, doc, overwrite=args.overwrite)
        raise
    finally:
        if request.progress is not None:
            sys.stderr.write("\r\033[K")
    emit(result, args, out_request, inputs)
    if not json_to_screen(args):
        _print_summary(result, args)
    return 0


def _print_summary(result: Any, args: argparse.Namespace) -> None:
    ev = result.evaluation
    p = result.problem
    print(f"학생 {p.n}명 → {p.n_groups}{result.unit} (크기 {', '.join(map(str, ev.sizes))})")
    print(result.status_line())
    if not args.quiet:
        for attr, vals in ev.stddev.items():
            shown = ", ".join(f"{v} {s:.3f}" for v, s in vals.items())
            print(f"  표준편차 {attr}: {shown}")
        for attr, rng in ev.mean_range.items():
            print(f"  {attr} {result.unit} 평균 범위: {rng:.2f}")
        for note in result.notes:
            print(f"  참고: {note}")
    if not result.checks.ok:
        print(f"주의: 지켜지지 않은 제약이 {len(result.checks.failures())}개 있습니다", file=sys.stderr)
    for label, path in (("보고서", args.out), ("CSV", args.csv), ("JSON", args.json)):
        if path:
            print(f"{label}: {path}")
