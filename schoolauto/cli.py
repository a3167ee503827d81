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

COMMAND_MODULES = ("roster", "records", "groups", "lms", "ui")

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

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        ns, rest = super().parse_known_args(args, namespace)
        # The innermost (sub)parser finishes first: remember it, to map error fields to its flags.
        if getattr(ns, "_leaf_parser", None) is None:
            ns._leaf_parser = self
        return ns, rest


Handler = Callable[[argparse.Namespace], int | None]


OUTPUT_PASSWORD_ENV = "SCHOOLAUTO_OUTPUT_PASSWORD"
INPUT_PASSWORD_ENV = "SCHOOLAUTO_INPUT_PASSWORD"


def add_input_password_option(p: argparse.ArgumentParser) -> None:
    """--ask-password, for commands that read files which may be encrypted."""
    p.add_argument(
        "--ask-password",
        action="store_true",
        help=f"입력 파일의 암호를 터미널에서 묻습니다 (환경변수 {INPUT_PASSWORD_ENV} 가 없을 때)",
    )


def input_password(args: argparse.Namespace) -> str | None:
    """The password of encrypted inputs: the environment, else (with --ask-password) a prompt."""
    from .secrets import get_secret

    ask = bool(getattr(args, "ask_password", False))
    return get_secret(
        INPUT_PASSWORD_ENV, prompt="입력 파일 암호: " if ask else None, interactive=ask, required=False
    )


def add_output_options(
    p: argparse.ArgumentParser,
    *,
    template: str,
    xlsx_help: str = "엑셀 보고서",
    csv_help: str = "CSV (한 줄에 한 항목)",
    title: str = "출력",
) -> None:
    """The options every report command shares: --out/--json/--csv/--template/--encrypt/--overwrite."""
    g = p.add_argument_group(title)
    g.add_argument("--out", metavar="보고서.xlsx", help=xlsx_help)
    g.add_argument("--json", metavar="결과.json", help="JSON 결과 ('-' 이면 화면으로)")
    g.add_argument("--csv", metavar="결과.csv", help=csv_help)
    g.add_argument(
        "--template", metavar="서식.xlsx", help=f"엑셀 보고서 서식 파일 (기본값: templates/{template}.xlsx)"
    )
    g.add_argument(
        "--encrypt",
        action="store_true",
        help=f"엑셀 보고서에 암호를 겁니다 (암호는 환경변수 {OUTPUT_PASSWORD_ENV} 또는 두 번 입력)",
    )
    g.add_argument("--overwrite", action="store_true", help="이미 있는 출력 파일을 덮어씁니다")


def output_request(args: argparse.Namespace, inputs: Sequence[str] = ()) -> Any:
    """The `OutputRequest` for the shared output options, checked before any work is done.

    Every destination is checked first; the report password is asked for last (twice, on a
    terminal), so a typo in a path never costs a password prompt.
    """
    from .outputs import OutputRequest, check_outputs

    if getattr(args, "encrypt", False) and not args.out:
        raise UsageError("--encrypt 는 --out 과 함께 씁니다")
    request = OutputRequest(
        out=args.out,
        json=args.json,
        csv=args.csv,
        template=getattr(args, "template", None),
        overwrite=bool(getattr(args, "overwrite", False)),
        csv_encoding=getattr(args, "csv_encoding", None) or "utf-8-sig",
    )
    check_outputs(request, inputs)
    if getattr(args, "encrypt", False):
        request.password = ask_new_password(OUTPUT_PASSWORD_ENV, "보고서에 걸 암호")
    return request


def ask_new_password(env_var: str, what: str) -> str:
    """A new password from the environment, or typed twice on a terminal."""
    import getpass
    import os

    value = os.environ.get(env_var)
    if value:
        return value
    if sys.stdin is None or not sys.stdin.isatty():
        raise UsageError(
            f"{what}가 필요한데 물어볼 터미널이 없습니다",
            hint=f"환경변수 {env_var} 에 넣어 주세요",
        )
    first = getpass.getpass(f"{what}: ")
    if not first:
        raise UsageError(f"{what}가 비어 있습니다")
    if getpass.getpass(f"{what} 확인: ") != first:
        raise UsageError("두 번 입력한 암호가 다릅니다")
    return first


def emit(result: Any, args: argparse.Namespace, request: Any = None, inputs: Sequence[str] = ()) -> list[Any]:
    """Write the asked-for outputs of a job result; `--json -` prints the JSON to the screen.

    Pass the `request` that `output_request` returned before the work (it was checked then);
    without one it is made (and checked) now.
    """
    from .outputs import STDOUT, json_of, write_outputs

    if request is None:
        request = output_request(args, inputs)
    written = write_outputs(result, request, inputs)
    if request.json is not None and str(request.json) == STDOUT:
        print(json_of(result))
    return written


def json_to_screen(args: argparse.Namespace) -> bool:
    return getattr(args, "json", None) == "-"


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


GLOBAL_FLAGS = ("--debug", "-v", "--verbose", "-q", "--quiet")


def _hoist_global_flags(argv: list[str]) -> list[str]:
    """`--debug`, `-v` and `-q` are accepted anywhere on the line, not only before the command."""
    end = argv.index("--") if "--" in argv else len(argv)
    flags = [a for a in argv[:end] if a in GLOBAL_FLAGS]
    rest = [a for a in argv[:end] if a not in GLOBAL_FLAGS]
    return flags + rest + argv[end:]


def _flag_of(parser: Any, field: str) -> str | None:
    """The option (or argument name) of a command whose destination is `field`."""
    if parser is None:
        return None
    for action in parser._actions:
        if action.dest == field:
            if action.option_strings:
                return max(action.option_strings, key=len)
            return str(action.metavar or action.dest)
    return None


def error_message(exc: SchoolautoError, args: Any = None) -> str:
    """One Korean line for a library error: the field becomes this command's flag, hints its own.

    A field is shown as the command's flag only when the error has no file location (a value read
    from a file is named by the file, row and column instead).
    """
    from .errors import OutputExistsError, PasswordNeededError

    parser = getattr(args, "_leaf_parser", None)
    hints: dict[str, str] = getattr(args, "field_hints", None) or {}
    custom = (hints.get(exc.field) if exc.field else None) or hints.get(type(exc).__name__)
    if custom:
        exc.hint = custom
    elif isinstance(exc, OutputExistsError) and _flag_of(parser, "overwrite"):
        exc.hint = "다른 이름을 주거나 --overwrite 를 붙이세요"
    elif isinstance(exc, PasswordNeededError) and _flag_of(parser, "ask_password"):
        exc.hint = f"환경변수 {INPUT_PASSWORD_ENV} 에 암호를 넣거나 --ask-password 를 붙이세요"
    text = str(exc)
    flag = _flag_of(parser, exc.field) if exc.field else None
    if flag and not exc.path:
        text = f"{flag}: {text}"
    return " ".join(text.splitlines())


def main(argv: Sequence[str] | None = None) -> int:
    argv = _hoist_global_flags(list(sys.argv[1:] if argv is None else argv))
    debug = "--debug" in argv
    args: Any = None
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        _configure_logging(args)
        handler: Handler = args.handler
        return int(handler(args) or 0)
    except SchoolautoError as exc:
        if debug:
            raise
        print(f"오류: {error_message(exc, args)}", file=sys.stderr)
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
