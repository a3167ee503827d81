"""`schoolauto roster` subcommands: make a synthetic roster for practice, demos and benchmarks."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..cli import add_output_options, emit, json_to_screen, output_request


def register(sub: Any) -> None:
    p = sub.add_parser(
        "roster",
        help="학생 명렬표 (연습용 가상 명렬표 만들기)",
        description="학생 명렬표를 다룹니다.",
        epilog="예: schoolauto roster generate --students 30 --seed 1 --out 명렬표.xlsx",
    )
    rsub = p.add_subparsers(dest="roster_command", metavar="명령")
    rsub.required = True
    g = rsub.add_parser(
        "generate",
        help="가상 학생 명렬표를 만듭니다 (같은 시드면 같은 명렬표)",
        description=(
            "연습·시연용 가상 학생 명렬표를 만듭니다. 이름·연락처·이메일은 모두 가짜이며,\n"
            "학번은 학년·반(2자리)·번호(2자리) 형식입니다 (예: 10312 = 1학년 3반 12번).\n"
            "--out 이 .csv 로 끝나면 CSV 로 저장합니다."
        ),
        epilog=(
            "예:\n"
            "  schoolauto roster generate --students 30 --seed 1 --out 명렬표.xlsx\n"
            "  schoolauto roster generate --students 360 --classes 12 --out 1학년.csv --encoding cp949"
        ),
    )
    g.add_argument("--students", type=int, metavar="학생수", help="전체 학생 수 (학년·반에 고르게 나눔)")
    g.add_argument(
        "--grades", default="1", metavar="학년", help="학년 목록, 예: 1 또는 1,2,3 또는 1-3 (기본 1)"
    )
    g.add_argument("--classes", type=int, metavar="반수", help="학년당 반 수 (기본 1)")
    g.add_argument("--per-class", type=int, metavar="학생수", help="반당 학생 수 (--students 대신; 기본 25)")
    g.add_argument("--seed", type=int, default=0, metavar="시드", help="난수 시드 (기본 0)")
    g.add_argument("--title", metavar="제목", help="명렬표 제목 (기본 학생 명렬표)")
    g.add_argument(
        "--encoding",
        dest="csv_encoding",
        default="utf-8-sig",
        choices=["utf-8-sig", "cp949"],
        help="CSV 인코딩 (기본 utf-8-sig, 옛 프로그램용 cp949)",
    )
    add_output_options(g, template="roster", xlsx_help="명렬표 파일 (.xlsx, 또는 .csv 로 끝나면 CSV)")
    g.set_defaults(handler=_generate)


def _generate(args: argparse.Namespace) -> int:
    from ..errors import UsageError
    from ..roster import RosterRequest, generate, parse_grades

    if args.out and Path(args.out).suffix.lower() not in (".xlsx", ".csv"):
        raise UsageError("명렬표는 .xlsx 또는 .csv 로 저장합니다", path=args.out, field="out")
    if args.out and Path(args.out).suffix.lower() == ".csv":
        if args.csv:
            raise UsageError("CSV 는 한 곳에만 저장합니다", field="csv")
        args.out, args.csv = None, args.out  # a roster named .csv is the CSV output
    if not (args.out or args.json or args.csv):
        raise UsageError("저장할 파일을 주세요 (.xlsx 또는 .csv)", field="out")
    out_request = output_request(args)
    request = RosterRequest(
        students=args.students,
        grades=parse_grades(args.grades),
        classes=args.classes,
        per_class=args.per_class,
        seed=args.seed,
        title=args.title,
    )
    result = generate(request)
    written = emit(result, args, out_request)
    if not json_to_screen(args):
        where = ", ".join(str(p) for p in written)
        print(f"가상 명렬표를 만들었습니다: 학생 {len(result.students)}명, {result.n_classes}개 반 → {where}")
    return 0
