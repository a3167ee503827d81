"""`schoolauto records audit` (생활기록부 점검) and the 세특·행특·창체 kinds of `records generate`."""

from __future__ import annotations

import argparse
from typing import Any

from ..cli import (
    INPUT_PASSWORD_ENV,
    add_input_password_option,
    add_output_options,
    emit,
    input_password,
    output_request,
)
from ..errors import UsageError

RECORD_KINDS = ("세특", "행특", "창체")


def _checks(value: str) -> list[str]:
    return [c.strip() for c in value.split(",") if c.strip()]


def register(rs: Any) -> None:
    from ..records.audit import CHECKS

    a = rs.add_parser(
        "audit",
        help="세특·행특·창체의 글자 수(바이트) 초과, 기재 금지 내용, 학생 간 같은 문장을 찾습니다",
        description="NEIS 교과 세부능력 및 특기사항(과목 열), 개인별 세특, 행동특성 및 종합의견, 창의적 체험활동"
        "(영역 열 또는 영역별 열) 파일이나 폴더를 읽어 점검합니다.\n"
        "  length    NEIS 바이트 제한 초과 (영문·숫자·공백 1, 한글 등 3, 줄바꿈 2바이트)\n"
        "  forbidden 기재요령이 금지하는 내용 (공인어학시험, 모의고사 성적, 교외 수상, 논문, 출간, 특허, 해외 활동,\n"
        "            부모 직업, 대학·기관·상호·학원명, 장학생, 방과후학교)\n"
        "  copy      다른 학생의 같은 영역 글에 (거의) 같은 문장이 있는 곳",
        epilog="예:\n"
        "  schoolauto records audit 세특/ --out 점검.xlsx\n"
        "  schoolauto records audit 세특.xlsx 행특.xlsx --checks length,forbidden --year 2026 --json 점검.json\n"
        "  schoolauto records audit 창체/ --rules 우리학교규칙.toml --csv 점검.csv\n"
        '규칙 파일(TOML)로 학교 규칙을 더하거나 끕니다: [[rule]] id = "named_institution" / enabled = false\n'
        f"암호가 걸린 파일: 환경변수 {INPUT_PASSWORD_ENV} 에 암호를 넣거나 --ask-password 를 쓰세요.",
    )
    a.add_argument("inputs", nargs="+", metavar="파일_또는_폴더", help="점검할 파일 또는 폴더 (여러 개 가능)")
    a.add_argument(
        "--checks",
        type=_checks,
        default=list(CHECKS),
        metavar="항목",
        help=f"점검 항목 (쉼표로 구분): {','.join(CHECKS)} (기본값: 모두)",
    )
    a.add_argument(
        "--rules", metavar="규칙.toml", help="학교 규칙 파일: 제공 규칙에 더하거나 끄거나 제한을 바꿉니다"
    )
    a.add_argument(
        "--year",
        type=int,
        metavar="학년도",
        help="학년도: 바이트 제한과 규칙을 고릅니다 (기본값: 올해 학년도)",
    )
    a.add_argument(
        "--level",
        choices=["high", "middle"],
        default="high",
        help="학교급: high(고등학교) 또는 middle(중학교) (기본값: high)",
    )
    a.add_argument(
        "--newline-bytes",
        dest="newline_bytes",
        type=int,
        default=2,
        choices=[0, 1, 2],
        help="줄바꿈 하나를 몇 바이트로 셀지 (기본값: 2, NEIS 방식)",
    )
    a.add_argument(
        "--min-syllables",
        dest="copy_min_syllables",
        type=int,
        default=30,
        metavar="글자",
        help="같은 문장 점검에서 볼 문장의 최소 한글 글자 수 (기본값: 30)",
    )
    a.add_argument(
        "--similarity",
        dest="copy_similarity",
        type=float,
        default=0.6,
        metavar="기준",
        help="같은 문장으로 볼 유사도 (0.3~1, 기본값: 0.6)",
    )
    add_input_password_option(a)
    add_output_options(a, template="records_audit")
    a.set_defaults(handler=cmd_audit)


def cmd_audit(args: argparse.Namespace) -> int:
    from ..records.audit import AuditRequest, audit
    from ..records.audit.result import CHECK_LABELS

    request = output_request(args, args.inputs)
    password = input_password(args)
    result = audit(
        AuditRequest(
            inputs=args.inputs,
            checks=args.checks,
            rules=args.rules,
            year=args.year,
            level=args.level,
            newline_bytes=args.newline_bytes,
            copy_min_syllables=args.copy_min_syllables,
            copy_similarity=args.copy_similarity,
            password=password,
        )
    )
    written = emit(result, args, request, args.inputs)
    if args.json == "-":
        return 0
    counts = result.by_check()
    detail = ", ".join(f"{CHECK_LABELS[c]} {n}" for c, n in counts.items())
    print(
        f"학생 {result.students}명, 글 {result.texts}건을 점검했습니다: 발견 {len(result.findings)}건 ({detail})"
    )
    if result.skipped:
        print(f"건너뛴 파일 {len(result.skipped)}개: " + ", ".join(s.path for s in result.skipped))
    if not args.quiet and not request.any:
        for f in result.findings[:50]:
            print(
                f"- {f.record.student.label} [{f.record.field}] {CHECK_LABELS[f.check]}: {f.message} «{f.text[:40]}»"
            )
        if len(result.findings) > 50:
            print(f"… 외 {len(result.findings) - 50}건")
        if result.findings:
            print("엑셀 보고서를 받으려면 --out 점검.xlsx 를 붙이세요.")
    for w in written:
        print(f"저장: {w}")
    return 0


def add_kind_option(g: argparse.ArgumentParser) -> None:
    g.add_argument(
        "--kind",
        choices=["독서", *RECORD_KINDS],
        default="독서",
        help="만들 자료: 독서(독서활동상황, 기본값), 세특, 행특, 창체 (세특·행특·창체는 점검 연습용, 정답 파일 포함)",
    )


def cmd_generate_records(args: argparse.Namespace) -> int:
    from ..records.audit.generate import GenerateRequest, generate

    if args.kind not in RECORD_KINDS:
        raise UsageError("알 수 없는 자료 종류입니다", field="kind")
    result = generate(
        GenerateRequest(
            out_dir=args.out_dir,
            kind=args.kind,
            students=args.students,
            class_size=args.class_size,
            formats=[f.strip().lower() for f in args.format.split(",") if f.strip()],
            seed=args.seed,
            overwrite=args.overwrite,
        )
    )
    print(
        f"가상 학생 {result.students}명의 {args.kind} {result.texts}건을 만들었습니다: 바이트 초과 {result.over_limit}건, "
        f"기재 금지 {result.forbidden}건, 같은 문장 {result.copy_pairs}쌍 (함정 {result.lookalikes}건)"
    )
    print(f"점검할 폴더: {result.folder}")
    print(f"정답 파일: {result.gold}")
    return 0
