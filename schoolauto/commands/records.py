"""`schoolauto records` subcommands: duplicate books in 독서활동상황, and synthetic exports."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from ..cli import (
    INPUT_PASSWORD_ENV,
    add_input_password_option,
    add_output_options,
    emit,
    input_password,
    json_to_screen,
    output_request,
)
from .records_audit import add_kind_option, cmd_generate_records
from .records_audit import register as register_audit


def register(sub: Any) -> None:
    p = sub.add_parser(
        "records",
        help="학교생활기록부 점검 (독서활동 중복 도서, 글자 수·기재 금지·복사 점검)",
        description="학교생활기록부 점검 명령입니다.",
        epilog="예:\n  schoolauto records duplicates 3학년/ --out 중복검사.xlsx\n"
        "  schoolauto records audit 세특/ --out 점검.xlsx\n"
        "  schoolauto records generate --students 90 --out-dir 가상자료 --seed 1\n"
        "자세한 도움말: schoolauto records duplicates --help, schoolauto records audit --help",
    )
    rs = p.add_subparsers(dest="records_command", metavar="명령", parser_class=type(p))
    rs.required = True

    d = rs.add_parser(
        "duplicates",
        help="독서활동상황에서 같은 책이 두 번 기재된 곳을 찾습니다",
        description="NEIS 독서활동상황 내보내기 파일(xlsx, xls, csv)이나 폴더를 읽어, 학생마다 모든 학년에 걸쳐 "
        "같은 책이 두 번 이상 기재된 곳을 찾습니다.",
        epilog="예: schoolauto records duplicates 3학년/ --out 중복검사.xlsx --json 중복검사.json\n"
        f"암호가 걸린 파일: 환경변수 {INPUT_PASSWORD_ENV} 에 암호를 넣거나 --ask-password 를 쓰세요.",
    )
    d.add_argument(
        "inputs", nargs="+", metavar="파일_또는_폴더", help="독서활동상황 파일 또는 폴더 (여러 개 가능)"
    )
    from ..records.methods import METHODS

    d.add_argument(
        "--method",
        choices=METHODS.names(),
        default="default",
        help=f"비교 방법: {METHODS.help()} (기본값: default)",
    )
    d.add_argument(
        "--cutoff",
        type=float,
        metavar="기준값",
        help="ratio 방법의 기준값 (기본값: 1.72, 2.0 은 완전히 같음)",
    )
    d.add_argument("--school", default="", metavar="학교명", help="보고서 제목에 넣을 학교 이름")
    add_input_password_option(d)
    add_output_options(d, template="records_duplicates", csv_help="CSV (한 줄에 중복 한 쌍)")
    d.set_defaults(handler=cmd_duplicates)

    g = rs.add_parser(
        "generate",
        help="시험용 가상 독서활동상황 파일을 만듭니다 (중복·함정 포함, 정답 파일 포함)",
        description="faker 로 만든 가상 학생의 NEIS 반별 독서활동상황 내보내기 파일을 폴더에, "
        "진짜 중복 쌍을 적은 정답 파일을 그 옆(폴더_정답.csv)에 만듭니다 (검사할 폴더에는 정답 파일이 없습니다).",
        epilog="예: schoolauto records generate --students 90 --out-dir 가상자료 --format xlsx,csv --seed 1\n"
        "    schoolauto records duplicates 가상자료/ --out 중복검사.xlsx\n정답 파일은 가상자료_정답.csv 에 생깁니다.",
    )
    g.add_argument("--students", type=int, default=60, metavar="학생수", help="학생 수 (기본값: 60)")
    g.add_argument(
        "--grade",
        type=int,
        default=3,
        choices=[1, 2, 3],
        help="현재 학년: 1학년부터 이 학년까지 기록 (기본값: 3)",
    )
    g.add_argument("--class-size", type=int, default=30, metavar="학생수", help="반당 학생 수 (기본값: 30)")
    g.add_argument("--books", type=int, default=30, metavar="권수", help="학생당 평균 도서 수 (기본값: 30)")
    g.add_argument(
        "--format", default="xlsx", metavar="형식", help="파일 형식: xlsx, csv 또는 xlsx,csv (기본값: xlsx)"
    )
    g.add_argument("--out-dir", required=True, metavar="폴더", help="파일을 쓸 폴더")
    g.add_argument(
        "--seed", type=int, default=0, metavar="시드", help="난수 시드: 같은 시드는 같은 파일 (기본값: 0)"
    )
    g.add_argument("--overwrite", action="store_true", help="이미 있는 파일을 덮어씁니다")
    add_kind_option(g)
    g.set_defaults(handler=cmd_generate)
    register_audit(rs)


def cmd_duplicates(args: argparse.Namespace) -> int:
    from ..records import DuplicateCheckRequest, check_duplicates

    request = output_request(args, inputs=args.inputs)  # every destination checked before the work
    report = check_duplicates(
        DuplicateCheckRequest(
            inputs=args.inputs,
            method=args.method,
            cutoff=args.cutoff,
            school=args.school,
            password=input_password(args),
        )
    )
    written = emit(report, args, request, inputs=args.inputs)
    counts = report.counts()
    to_screen = json_to_screen(args)
    say = (lambda *a: print(*a, file=sys.stderr)) if to_screen else print
    say(
        f"학생 {report.dataset.student_count}명, 도서 {len(report.dataset.entries)}건을 검사했습니다: "
        f"중복 {len(report.findings)}건 (완전 중복 {counts['exact']}, 유사 {counts['similar']})"
    )
    if report.overlong:
        say(f"너무 길어 비교하지 않은 기재 {len(report.overlong)}건이 있습니다 (보고서 JSON 의 overlong)")
    if not args.quiet and not request.any:
        for f in report.findings:
            label = "완전 중복" if f.kind == "exact" else "유사"
            print(f"- {f.student.label}: [{label}] {f.a.text}  ↔  {f.b.text}  ({f.reason})")
        if report.findings:
            print("엑셀 보고서를 받으려면 --out 보고서.xlsx 를 붙이세요.")
    for w in written:
        say(f"저장: {w}")
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    from ..records import GenerateRequest, generate

    if args.kind != "독서":
        return cmd_generate_records(args)

    formats = [f.strip().lower() for f in args.format.split(",")]
    result = generate(
        GenerateRequest(
            out_dir=args.out_dir,
            students=args.students,
            grade=args.grade,
            class_size=args.class_size,
            books=args.books,
            format=[f for f in formats if f],
            seed=args.seed,
            overwrite=args.overwrite,
        )
    )
    print(
        f"가상 학생 {result.students}명, 도서 {result.entries}건, 진짜 중복 쌍 {result.true_pairs}개, "
        f"함정(다른 책) {result.hard_negative_pairs}건을 만들었습니다."
    )
    print(f"파일 {len(result.files)}개: {os.path.commonpath([str(f.parent) for f in result.files])}")
    print(f"정답 파일: {result.gold}")
    return 0
