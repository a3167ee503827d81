"""`schoolauto roster` subcommands: make a synthetic roster for practice, demos and benchmarks."""

from __future__ import annotations

import argparse
import re
from typing import Any

from ..cli import add_common_output_options
from ..errors import UsageError


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
            "학번은 학년·반(2자리)·번호(2자리) 형식입니다 (예: 10312 = 1학년 3반 12번)."
        ),
        epilog=(
            "예:\n"
            "  schoolauto roster generate --students 30 --seed 1 --out 명렬표.xlsx\n"
            "  schoolauto roster generate --students 360 --classes 12 --out 1학년.csv --encoding cp949"
        ),
    )
    g.add_argument("--students", type=int, metavar="N", help="전체 학생 수 (학년·반에 고르게 나눔)")
    g.add_argument(
        "--grades", default="1", metavar="학년", help="학년 목록, 예: 1 또는 1,2,3 또는 1-3 (기본 1)"
    )
    g.add_argument("--classes", type=int, metavar="N", help="학년당 반 수 (기본 1)")
    g.add_argument("--per-class", type=int, metavar="N", help="반당 학생 수 (--students 대신; 기본 25)")
    g.add_argument("--seed", type=int, default=0, help="난수 시드 (기본 0)")
    g.add_argument("--out", required=True, metavar="파일", help="출력 파일 (.xlsx 또는 .csv)")
    g.add_argument(
        "--encoding",
        default="utf-8-sig",
        choices=["utf-8-sig", "cp949"],
        help="CSV 인코딩 (기본 utf-8-sig, 옛 프로그램용 cp949)",
    )
    add_common_output_options(g)
    g.set_defaults(handler=_generate)


def parse_grades(text: str) -> tuple[int, ...]:
    """'1' -> (1,), '1,2,3' -> (1, 2, 3), '1-3' -> (1, 2, 3)."""
    out: list[int] = []
    for part in re.split(r"[,\s]+", text.strip()):
        if not part:
            continue
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not m:
            raise UsageError(f"--grades: 학년 목록을 읽을 수 없습니다: '{text}' (예: 1 또는 1,2,3 또는 1-3)")
        lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
        out.extend(range(lo, hi + 1))
    if not out:
        raise UsageError("--grades: 학년을 하나 이상 주세요")
    return tuple(out)


def _generate(args: argparse.Namespace) -> int:
    from ..fileio import check_writable
    from ..roster import generate_roster, write_roster

    check_writable(args.out, overwrite=args.overwrite)
    students = generate_roster(
        args.students,
        grades=parse_grades(args.grades),
        classes=args.classes,
        per_class=args.per_class,
        seed=args.seed,
    )
    write_roster(students, args.out, overwrite=args.overwrite, encoding=args.encoding)
    n_classes = len({(s.grade, s.klass) for s in students})
    print(f"가상 명렬표를 만들었습니다: 학생 {len(students)}명, {n_classes}개 반 → {args.out}")
    return 0
