"""The `schoolauto` command: parse arguments, call one library function, print, map errors to exit codes.

Each domain registers its subcommands from `schoolauto/commands/<domain>.py`; nothing here knows
about records, groups or LMSs. Errors become one Korean line on stderr: exit 2 for usage errors,
1 for runtime failures, no traceback unless `--debug`.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, NoReturn

from . import __version__
from .errors import SchoolautoError, UsageError

COMMAND_MODULES = ("roster", "records", "groups", "lms")

_ARGPARSE_KO = [
    (r"the following arguments are required: (.*)", r"다음 인자가 필요합니다: \1"),
    (r"unrecognized arguments: (.*)", r"알 수 없는 인자입니다: \1"),
    (r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)", r"\1: 잘못된 값 \2 (가능한 값: \3)"),
    (r"argument (\S+): invalid (\w+) value: (.*)", r"\1: 올바르지 않은 값 \3"),
    (r"argument (\S+): expected one argument", r"\1: 값이 하나 필요합니다"),
    (r"argument (\S+): not allowed with argument (\S+)", r"\1 과(와) \2 는 함께 쓸 수 없습니다"),
    (r"one of the arguments (.*) is required", r"다음 중 하나가 필요합니다: \1"),
    (r"ambiguous option: (.*)", r"모호한 옵션입니다: \1"),
]


def _korean_argparse_message(message: str) -> str:
    for pattern, repl in _ARGPARSE_KO:
        if re.search(pattern, message):
            return re.sub(pattern, repl, message)
    return message


class KoreanHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, prefix="사용법: " if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """argparse with Korean help headings, and usage errors raised as `UsageError` (exit 2)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", KoreanHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "인자"
        self._optionals.title = "옵션"
        self.add_argument("-h", "--help", action="help", help="이 도움말을 보여 주고 끝냅니다")

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{_korean_argparse_message(message)} — '{self.prog} --help' 로 사용법을 보세요")


Handler = Callable[[argparse.Namespace], int | None]


def add_common_output_options(p: argparse.ArgumentParser) -> None:
    """--overwrite, shared by every command that writes files."""
    p.add_argument("--overwrite", action="store_true", help="이미 있는 출력 파일을 덮어씁니다")


def build_parser() -> Parser:
    parser = Parser(
        prog="schoolauto",
        description="교사의 반복 업무를 덜어 주는 도구: 독서활동 중복 검사, 과제 미제출자, 모둠·반편성, 엑셀 보고서.",
        epilog="예: schoolauto records duplicates 독서활동.xlsx --out 중복.xlsx",
    )
    parser.add_argument(
        "--version", action="version", version=f"schoolauto {__version__}", help="버전을 보여 줍니다"
    )
    parser.add_argument("--debug", action="store_true", help="오류가 나면 자세한 추적 정보를 보여 줍니다")
    parser.add_argument("-v", "--verbose", action="store_true", help="진행 상황을 자세히 보여 줍니다")
    parser.add_argument("-q", "--quiet", action="store_true", help="요약 외의 출력을 줄입니다")
    sub = parser.add_subparsers(dest="command", metavar="명령", parser_class=Parser)
    sub.required = True
    for name in COMMAND_MODULES:
        module = importlib.import_module(f".commands.{name}", __package__)
        module.register(sub)
    return parser


class _KoreanLogFormatter(logging.Formatter):
    """'경고: …' for warnings; module names only with --debug."""

    PREFIX: ClassVar[dict[int, str]] = {
        logging.WARNING: "경고: ",
        logging.ERROR: "오류: ",
        logging.CRITICAL: "오류: ",
    }

    def __init__(self, debug: bool) -> None:
        super().__init__()
        self.debug = debug

    def format(self, record: logging.LogRecord) -> str:
        text = self.PREFIX.get(record.levelno, "") + record.getMessage()
        return f"{record.name}: {text}" if self.debug else text


def _configure_logging(args: argparse.Namespace) -> None:
    level = logging.DEBUG if args.debug else logging.INFO if args.verbose else logging.WARNING
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_KoreanLogFormatter(args.debug))
    logging.basicConfig(level=level, handlers=[handler], force=True)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        _configure_logging(args)
        handler: Handler = args.handler
        return int(handler(args) or 0)
    except SchoolautoError as exc:
        if debug:
            raise
        print(f"오류: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("중단되었습니다.", file=sys.stderr)
        return 130
    except Exception as exc:
        if debug:
            raise
        print(
            f"오류: 예상하지 못한 문제가 생겼습니다 ({type(exc).__name__}: {exc}). "
            "--debug 를 붙여 다시 실행하면 자세한 내용이 나옵니다.",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
