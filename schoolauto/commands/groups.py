"""`schoolauto groups` subcommands: group formation (모둠) and class assignment (반편성)."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from ..cli import add_common_output_options

EPILOG = """예:
  # 모둠: 30명을 6모둠으로, 성별(가중치 2)·MBTI·수준을 고르게, 여학생 혼자 금지
  schoolauto groups assign 명렬표.xlsx --groups 6 --balance 성별=2,MBTI,수준 --no-alone 성별=여 \\
      --seed 1 --out 모둠.xlsx --json 모둠.json

  # 반편성: 360명을 12반으로, 이전반·성별·수준을 고르게, 성적 평균 맞추기, 특수학급 2석,
  # 분리·함께·고정 제약 파일, 동명이인 분리
  schoolauto groups assign 2학년.xlsx --groups 12 --balance 성별,수준,이전반,특수학급 --numeric 성적 \\
      --seats 특수학급=2 --constraints 제약.csv --names-apart --time-limit 60 --out 반편성.xlsx --csv 반편성.csv

제약 파일(xlsx 또는 csv) 열: 유형(분리|함께|고정), 학번(쉼표·공백으로 구분), 모둠(고정일 때)."""


def register(sub: Any) -> None:
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
            "정확히 최소화하고, 결과가 최적인지(증명) 또는 최적과 얼마나 떨어져 있는지(간격)를 보고합니다."
        ),
        epilog=EPILOG,
    )
    a.add_argument("roster", metavar="명렬표", help="명렬표 파일 (xlsx, xls, csv)")
    a.add_argument("--id", default="학번", metavar="열", help="학생을 구별하는 열 (기본 학번)")
    size = a.add_argument_group("모둠 수와 크기")
    size.add_argument("--groups", type=int, metavar="N", help="모둠(반) 수; 크기는 최대 1명 차이")
    size.add_argument("--size", type=int, metavar="K", help="모둠 크기 K (모둠 수 = 올림(학생 수 / K))")
    size.add_argument("--min-size", type=int, metavar="N", help="모둠 최소 크기 (좌석 수)")
    size.add_argument("--max-size", type=int, metavar="N", help="모둠 최대 크기 (좌석 수)")
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
    solve.add_argument("--method", default="ilp", choices=["ilp", "greedy", "random"], help="방법 (기본 ilp)")
    solve.add_argument("--solver", default="cbc", choices=["cbc", "highs"], help="풀이기 (기본 cbc)")
    solve.add_argument("--time-limit", type=float, default=60.0, metavar="초", help="제한 시간 (기본 60초)")
    solve.add_argument("--threads", type=int, default=1, metavar="N", help="풀이기 스레드 수 (기본 1)")
    solve.add_argument("--seed", type=int, default=0, help="난수 시드: 같은 시드는 같은 결과 (기본 0)")
    out = a.add_argument_group("출력")
    out.add_argument("--out", metavar="파일.xlsx", help="엑셀 보고서 (요약, 모둠별 명단, 제약 확인)")
    out.add_argument("--json", metavar="파일", help="JSON 결과 ('-' 이면 화면으로)")
    out.add_argument("--csv", metavar="파일", help="학번·모둠 CSV")
    out.add_argument("--title", default="모둠 편성 결과", help="보고서 제목")
    add_common_output_options(a)
    a.set_defaults(handler=_assign)


def _assign(args: argparse.Namespace) -> int:
    from ..errors import InfeasibleError
    from ..fileio import check_writable, json_text, write_json
    from ..groups import (
        Options,
        assign_groups,
        problem_from_roster,
        write_csv_result,
        write_json_result,
        write_report,
    )
    from ..groups.report import infeasible_json
    from ..roster import read_roster
    from ..secrets import get_secret

    for path in (args.out, args.csv, None if args.json == "-" else args.json):
        if path:
            check_writable(path, overwrite=args.overwrite)
    t0 = time.perf_counter()
    password = get_secret("SCHOOLAUTO_INPUT_PASSWORD", required=False, interactive=False)
    roster = read_roster(args.roster, id_column=args.id, password=password)
    options = Options(
        groups=args.groups,
        size=args.size,
        min_size=args.min_size,
        max_size=args.max_size,
        balance=args.balance,
        numeric=args.numeric,
        numeric_tolerance=args.numeric_tolerance,
        similar=args.similar,
        no_alone=args.no_alone,
        names_apart=args.names_apart,
        name_column=args.name_column,
        seats=args.seats,
        constraints=args.constraints,
    )
    problem = problem_from_roster(roster, options, password=password)
    try:
        result = assign_groups(
            problem,
            method=args.method,
            solver=args.solver,
            seed=args.seed,
            time_limit=args.time_limit,
            threads=args.threads,
        )
    except InfeasibleError as exc:
        if args.json:
            doc = infeasible_json(str(exc), exc.conflicts, time.perf_counter() - t0)
            if args.json == "-":
                print(json_text(doc))
            else:
                write_json(args.json, doc, overwrite=args.overwrite)
        raise
    if args.out:
        write_report(result, args.out, overwrite=args.overwrite, title=args.title)
    if args.csv:
        write_csv_result(result, args.csv, overwrite=args.overwrite)
    if args.json == "-":
        print(json_text(result.to_json()))
    else:
        if args.json:
            write_json_result(result, args.json, overwrite=args.overwrite)
        _print_summary(result, args)
    return 0


def _print_summary(result: Any, args: argparse.Namespace) -> None:
    from ..groups import status_line

    ev = result.evaluation
    p = result.problem
    print(f"학생 {p.n}명 → {p.n_groups}모둠 (크기 {', '.join(map(str, ev.sizes))})")
    print(status_line(result))
    if not args.quiet:
        for attr, vals in ev.stddev.items():
            shown = ", ".join(f"{v} {s:.3f}" for v, s in vals.items())
            print(f"  표준편차 {attr}: {shown}")
        for attr, rng in ev.mean_range.items():
            print(f"  {attr} 모둠 평균 범위: {rng:.2f}")
        for note in result.notes:
            print(f"  참고: {note}")
    if not result.checks.ok:
        print(f"주의: 지켜지지 않은 제약이 {len(result.checks.failures())}개 있습니다", file=sys.stderr)
    for label, path in (("보고서", args.out), ("CSV", args.csv), ("JSON", args.json)):
        if path:
            print(f"{label}: {path}")
