"""The bad-input matrix (issue 9, "The mechanisms"): every command against every class of bad input.

Each case runs the real CLI in-process (`schoolauto.cli.main`) in a fresh folder with inputs in
`in/` and outputs asked for in `out/`, and checks what a teacher sees and what is left behind:

- the exit code (1 runtime, 2 usage; some cases name exactly one);
- stderr is `경고:` lines (allowed) and then exactly one line starting with `오류: `;
- no traceback, no English exception class names, no English sentence (a parser's message);
- no file left in `out/` (an existing output keeps its bytes), input bytes unchanged.

LMS commands use `--driver kolibri` (or a config naming it) at a closed port on 127.0.0.1, so
nothing real is contacted, with `--retries 0`. A case that fails today because its domain fix has
not landed is marked `xfail(strict=True, reason="issue 9 #N: ...")`: when it is fixed the mark
fails the run, and the mark must be removed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
import signal
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from schoolauto.cli import build_parser, main

COMMANDS = (
    "records duplicates",
    "records audit",
    "records generate",
    "roster generate",
    "groups assign",
    "lms missing",
    "lms remind",
    "lms login",
    "lms sandbox",
    "ui",
)
EXCEPTION_NAME = re.compile(r"\b[A-Z][a-zA-Z]+(Error|Exception|Warning)\b")
ENGLISH_SENTENCE = re.compile(r"\b[A-Za-z]{3,} [a-z]{3,}\b")  # 'Invalid statement', 'could not convert'
COMMAND_REFERENCE = re.compile(r"'schoolauto[^']*'")  # "'schoolauto records generate --help' 로 ..."
CASE_SECONDS = 60  # a case that runs longer is stuck (e.g. a huge number taken at face value)


# ----- inputs ---------------------------------------------------------------------------------
def _closed_port() -> int:
    """A port on 127.0.0.1 that refuses connections: bound (so nothing else takes it), not listening."""
    import atexit

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    atexit.register(s.close)
    return int(s.getsockname()[1])


PORT = _closed_port()
URL = f"http://127.0.0.1:{PORT}"
GOOD_CONFIG = f"""# schoolauto.toml
[lms."우리학교"]
driver = "kolibri"
url = "{URL}"
username = "coach"
password_env = "SCHOOLAUTO_LMS_PASSWORD"
classes = ["2학년 1반"]
"""


@pytest.fixture(scope="session")
def good(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Real inputs made once: a folder of record-book exports, a roster, an encrypted roster."""
    from msoffcrypto.format.ooxml import OOXMLFile

    root = tmp_path_factory.mktemp("good")
    exports = root / "exports"
    assert (
        main(
            [
                "records",
                "generate",
                "--students",
                "20",
                "--out-dir",
                str(exports),
                "--format",
                "xlsx",
                "--seed",
                "3",
            ]
        )
        == 0
    )
    for extra in exports.glob("*.csv"):  # the gold file is not an export
        extra.unlink()
    notes = root / "세특"
    assert (
        main(
            [
                "records",
                "generate",
                "--kind",
                "세특",
                "--students",
                "6",
                "--out-dir",
                str(notes),
                "--seed",
                "3",
            ]
        )
        == 0
    )
    roster = root / "roster.xlsx"
    assert main(["roster", "generate", "--students", "30", "--seed", "1", "--out", str(roster)]) == 0
    encrypted = root / "encrypted.xlsx"
    out = io.BytesIO()
    with open(roster, "rb") as fh:
        OOXMLFile(fh).encrypt("비밀", out)
    encrypted.write_bytes(out.getvalue())
    return {
        "exports": exports,
        "export": sorted(exports.glob("*.xlsx"))[0],
        "record": sorted(notes.glob("*.xlsx"))[0],
        "roster": roster,
        "encrypted": encrypted,
    }


def _bad_file(kind: str, good: dict[str, Path], folder: Path) -> Path:
    """One bad input file of a kind, named as the command expects it (.xlsx / .toml)."""
    text = "학번,성명,성별\n10101,홍길동,남\n10102,김철수,남\n"
    japanese = "学番,氏名,性別\n10101,山田太郎,男\n10102,鈴木花子,女\n"
    data: bytes
    name = "자료.xlsx"
    if kind == "zero-byte":
        data = b""
    elif kind == "empty":
        from openpyxl import Workbook

        buf = io.BytesIO()
        Workbook().save(buf)
        data = buf.getvalue()
    elif kind == "corrupt":
        full = good["roster"].read_bytes()
        data = full[: len(full) // 2]
    elif kind == "encrypted":
        data = good["encrypted"].read_bytes()
    elif kind == "picture":
        data = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
    elif kind == "html":
        data = "<!DOCTYPE html><html><head><title>로그인</title></head><body><p>세션이 만료되었습니다</p></body></html>".encode()
    elif kind == "shift-jis":
        data, name = japanese.encode("shift_jis"), "자료.csv"
    elif kind == "utf-16":
        data, name = text.encode("utf-16-le"), "자료.csv"
    else:  # pragma: no cover
        raise AssertionError(kind)
    p = folder / name
    p.write_bytes(data)
    return p


FILE_KINDS = (
    "missing",
    "zero-byte",
    "empty",
    "corrupt",
    "encrypted",
    "picture",
    "html",
    "shift-jis",
    "utf-16",
)


# ----- the matrix -----------------------------------------------------------------------------
@dataclasses.dataclass
class Ctx:
    root: Path
    inp: Path
    out: Path
    good: dict[str, Path]
    env: dict[str, str] = dataclasses.field(default_factory=dict)
    existing: dict[str, bytes] = dataclasses.field(default_factory=dict)  # out/ files made beforehand


@dataclasses.dataclass
class Case:
    command: str
    name: str
    argv: Callable[[Ctx], list[Any]]
    codes: tuple[int, ...] = (1, 2)
    says: str | None = None  # a regex the error line must match
    success: bool = False  # the right behaviour is to finish (exit 0) with a warning naming the file
    xfail: str | None = None
    run: bool = True

    @property
    def id(self) -> str:
        return f"{self.command.replace(' ', '-')}:{self.name}"


def _lms(command: str, ctx: Ctx, *extra: Any, config: Path | None = None) -> list[Any]:
    if config is not None:
        conn: list[Any] = ["--config", config, "--lms", "우리학교"]
    else:
        conn = ["--driver", "kolibri", "--url", URL, "--username", "coach"]
    retries = [] if "--retries" in extra else ["--retries", "0"]
    return ["lms", command, *conn, *retries, *extra]


def _copy_in(ctx: Ctx, src: Path, name: str | None = None) -> Path:
    dst = ctx.inp / (name or src.name)
    dst.write_bytes(src.read_bytes())
    return dst


# The argv of each command with good inputs and every output in out/; `slot` puts a given
# input file where the command reads one (None: the command reads no file).
BASE: dict[str, Callable[[Ctx], list[Any]]] = {
    "records duplicates": lambda c: [
        "records",
        "duplicates",
        _copy_in(c, c.good["export"]),
        "--out",
        c.out / "r.xlsx",
    ],
    "records audit": lambda c: [
        "records",
        "audit",
        _copy_in(c, c.good["record"]),
        "--checks",
        "length",
        "--out",
        c.out / "r.xlsx",
    ],
    "records generate": lambda c: ["records", "generate", "--students", "3", "--out-dir", c.out / "자료"],
    "roster generate": lambda c: ["roster", "generate", "--students", "5", "--out", c.out / "r.xlsx"],
    "groups assign": lambda c: [
        "groups",
        "assign",
        _copy_in(c, c.good["roster"]),
        "--groups",
        "3",
        "--balance",
        "성별",
        "--out",
        c.out / "r.xlsx",
    ],
    "lms missing": lambda c: _lms("missing", c, "--out", c.out / "r.xlsx"),
    "lms remind": lambda c: _lms("remind", c),
    "lms login": lambda c: _lms("login", c),
    # never run as they are (they start servers): only with a value refused before anything starts
    "lms sandbox": lambda c: ["lms", "sandbox"],
    "ui": lambda c: ["ui", "--no-browser"],
}
SLOT: dict[str, Callable[[Ctx, Path], list[Any]] | None] = {
    "records duplicates": lambda c, p: ["records", "duplicates", p, "--out", c.out / "r.xlsx"],
    "records audit": lambda c, p: ["records", "audit", p, "--checks", "length", "--out", c.out / "r.xlsx"],
    "records generate": None,
    "roster generate": None,
    "groups assign": lambda c, p: [
        "groups",
        "assign",
        p,
        "--groups",
        "3",
        "--balance",
        "성별",
        "--out",
        c.out / "r.xlsx",
    ],
    "lms missing": lambda c, p: _lms(
        "missing", c, "--out", c.out / "r.xlsx", config=p.with_suffix(".toml") if p.exists() else p
    ),
    "lms remind": lambda c, p: _lms("remind", c, config=p.with_suffix(".toml") if p.exists() else p),
    "lms login": lambda c, p: _lms("login", c, config=p.with_suffix(".toml") if p.exists() else p),
    "lms sandbox": None,
    "ui": None,
}
OUT_FLAG = {
    "records duplicates": ("--out", "r.xlsx"),
    "records audit": ("--out", "r.xlsx"),
    "records generate": ("--out-dir", "자료"),
    "roster generate": ("--out", "r.xlsx"),
    "groups assign": ("--out", "r.xlsx"),
    "lms missing": ("--out", "r.xlsx"),
    "lms remind": ("--log-file", "r.log"),
}


def _replace(argv: list[Any], flag: str, value: Any) -> list[Any]:
    if flag in argv:
        i = argv.index(flag)
        return [*argv[: i + 1], value, *argv[i + 2 :]]
    return [*argv, flag, value]


def _file_case(command: str, kind: str) -> Case:
    slot = SLOT[command]
    assert slot is not None

    def argv(ctx: Ctx) -> list[Any]:
        if kind == "missing":
            return slot(ctx, ctx.inp / ("없는파일.toml" if command.startswith("lms") else "없는파일.xlsx"))
        p = _bad_file(kind, ctx.good, ctx.inp)
        if command.startswith("lms"):
            p = p.rename(p.with_suffix(".toml"))
        return slot(ctx, p)

    codes = (2,) if command.startswith("lms") else (1, 2)  # a config that cannot be read is a usage error
    return Case(command, f"input-{kind}", argv, codes=codes)


def _out_cases(command: str) -> list[Case]:
    flag, name = OUT_FLAG[command]

    def under_a_file(ctx: Ctx) -> list[Any]:
        blocker = ctx.out / "파일"
        blocker.write_bytes(b"not a folder")
        ctx.existing["파일"] = b"not a folder"
        return _replace(BASE[command](ctx), flag, blocker / name)

    def is_a_folder(ctx: Ctx) -> list[Any]:
        folder = ctx.out / ("폴더.xlsx" if name.endswith(".xlsx") else "폴더.log")
        folder.mkdir()
        return _replace(BASE[command](ctx), flag, folder)

    def is_a_file(ctx: Ctx) -> list[Any]:  # --out-dir naming a file
        (ctx.out / name).write_bytes(b"teacher's own file")
        ctx.existing[name] = b"teacher's own file"
        return BASE[command](ctx)

    def exists(ctx: Ctx) -> list[Any]:
        argv = BASE[command](ctx)
        if command == "records generate":  # the same files made once already
            assert main([str(a) for a in argv]) == 0
            ctx.existing.update(
                {str(p.relative_to(ctx.out)): p.read_bytes() for p in ctx.out.rglob("*") if p.is_file()}
            )
        else:
            (ctx.out / name).write_bytes(b"teacher's own file")
            ctx.existing[name] = b"teacher's own file"
        return argv

    cases = [
        Case(command, "output-under-a-file", under_a_file),
        Case(command, "output-is-a-file", is_a_file)
        if command == "records generate"
        else Case(command, "output-is-a-folder", is_a_folder),
    ]
    if command != "lms remind":  # a log file is appended to, not replaced
        cases.append(Case(command, "output-exists", exists, codes=(2,), says="이미 있습니다|이미 있"))
    return cases


def _number_cases(command: str, options: list[tuple[str, str]]) -> list[Case]:
    return [
        Case(
            command,
            f"number{flag}={value}",
            (lambda f, v: lambda c: _replace(BASE[command](c), f, v))(flag, value),
            codes=(2,),
        )
        for flag, value in options
    ]


HUGE = "1000000000"


def _config_cases(command: str) -> list[Case]:
    def config(encoding: str, body: str, bom: bool = False) -> Callable[[Ctx], list[Any]]:
        def argv(ctx: Ctx) -> list[Any]:
            p = ctx.inp / "schoolauto.toml"
            p.write_bytes((b"\xef\xbb\xbf" if bom else b"") + body.encode(encoding))
            extra = ["--out", ctx.out / "r.xlsx"] if command == "lms missing" else []
            return _lms(command.split()[1], ctx, *extra, config=p)

        return argv

    bare = GOOD_CONFIG.replace('[lms."우리학교"]', "[lms.우리학교]")
    notepad = "# 메모장에서 저장한 설정\n" + GOOD_CONFIG
    # The config was read: the next step is the (closed) LMS, or for remind the missing mail roster
    # (checked before anything is fetched).
    reached = "연결할 수 없습니다" if command == "lms missing" else "연결할 수 없습니다|명단이 필요합니다"
    codes = (1,) if command == "lms missing" else (1, 2)
    return [
        Case(command, "config-utf8-bom", config("utf-8", notepad, bom=True), codes=codes, says=reached),
        Case(command, "config-cp949", config("cp949", notepad), codes=codes, says=reached),
        Case(command, "config-bare-korean-key", config("utf-8", bare), says=f"{reached}|우리학교"),
        Case(command, "config-junk", config("utf-8", "이것은 설정 파일이 아닙니다 = = [\n"), codes=(2,)),
        Case(command, "config-wrong-type", config("utf-8", GOOD_CONFIG + 'timeout = "ten"\n'), codes=(2,)),
    ]


def _options() -> dict[str, set[str]]:
    """The option strings of every leaf command (`ui`, or `lms missing`)."""
    out: dict[str, set[str]] = {}
    for action in build_parser()._actions:
        for group, sub in (getattr(action, "_name_parser_map", None) or {}).items():
            leaves = [
                (f"{group} {leaf}", parser)
                for inner in sub._actions
                for leaf, parser in (getattr(inner, "_name_parser_map", None) or {}).items()
            ]
            for name, parser in leaves or [(group, sub)]:
                out[name] = {o for a in parser._actions for o in a.option_strings}
    return out


OPTIONS = _options()


def _cases() -> list[Case]:
    cases: list[Case] = []
    for command in COMMANDS:
        if SLOT[command] is not None:
            cases += [_file_case(command, kind) for kind in FILE_KINDS]
        if command in OUT_FLAG:
            cases += _out_cases(command)

    # All or nothing (issue 9 #5): the last of three outputs cannot be written, none is left;
    # and an output that is the input itself is refused before anything is read or written.
    for command in COMMANDS:
        if {"--out", "--json", "--csv"} <= OPTIONS[command]:

            def three(ctx: Ctx, command: str = command) -> list[Any]:
                blocker = ctx.out / "파일"
                blocker.write_bytes(b"not a folder")
                ctx.existing["파일"] = b"not a folder"
                argv = _replace(BASE[command](ctx), "--json", ctx.out / "r.json")
                return _replace(argv, "--csv", blocker / "r.csv")

            cases.append(Case(command, "one-of-three-outputs-unwritable", three))
        if SLOT[command] is not None and not command.startswith("lms"):

            def same(ctx: Ctx, command: str = command) -> list[Any]:
                argv = BASE[command](ctx)
                source = next(a for a in argv if isinstance(a, Path) and a.parent == ctx.inp)
                return _replace(argv, "--out", source)

            cases.append(Case(command, "output-is-the-input", same, codes=(2,)))

    # A folder with one bad file among good ones: the others are still checked (issue 9 #14).
    def folder(kind: str) -> Callable[[Ctx], list[Any]]:
        def argv(ctx: Ctx) -> list[Any]:
            for p in ctx.good["exports"].glob("*.xlsx"):
                _copy_in(ctx, p)
            _bad_file(kind, ctx.good, ctx.inp).rename(ctx.inp / f"망가진_{kind}.xlsx")
            return ["records", "duplicates", ctx.inp, "--out", ctx.out / "r.xlsx"]

        return argv

    for kind in ("corrupt", "encrypted", "picture"):
        cases.append(Case("records duplicates", f"folder-with-a-{kind}-file", folder(kind), success=True))

    def audit_folder(kind: str) -> Callable[[Ctx], list[Any]]:
        def argv(ctx: Ctx) -> list[Any]:
            _copy_in(ctx, ctx.good["record"])
            _bad_file(kind, ctx.good, ctx.inp).rename(ctx.inp / f"망가진_{kind}.xlsx")
            return ["records", "audit", ctx.inp, "--checks", "length", "--out", ctx.out / "r.xlsx"]

        return argv

    for kind in ("corrupt", "encrypted", "picture"):
        cases.append(Case("records audit", f"folder-with-a-{kind}-file", audit_folder(kind), success=True))

    # No terminal: a prompt cannot be answered; say what is needed and how to give it.
    cases += [
        Case(
            "records duplicates",
            "no-tty--ask-password",
            lambda c: [
                "records",
                "duplicates",
                _copy_in(c, c.good["encrypted"]),
                "--ask-password",
                "--out",
                c.out / "r.xlsx",
            ],
            codes=(1, 2),
            says="환경변수",
        ),
        Case(
            "lms remind",
            "no-tty--send-without--yes",
            lambda c: [*BASE["lms remind"](c), "--send"],
            codes=(1, 2),
        ),
    ]
    for command in COMMANDS:
        if "--encrypt" in OPTIONS[command]:
            cases.append(
                Case(
                    command,
                    "no-tty--encrypt",
                    (lambda cmd: lambda c: [*BASE[cmd](c), "--encrypt"])(command),
                    says="환경변수",
                )
            )

    # Out-of-range numbers.
    cases += _number_cases(
        "records duplicates", [("--cutoff", "0"), ("--cutoff", "-1"), ("--cutoff", "1e308")]
    )
    for case in cases[-3:]:
        case.argv = (lambda f: lambda c: [*f(c), "--method", "ratio"])(case.argv)
    cases += _number_cases(
        "records audit",
        [("--year", "0"), ("--year", HUGE), ("--min-syllables", "0"), ("--min-syllables", HUGE),
         ("--similarity", "5"), ("--similarity", "nan"), ("--newline-bytes", "3")],
    )  # fmt: skip
    cases += _number_cases(
        "records generate",
        [("--students", "0"), ("--students", "-1"), ("--students", HUGE), ("--class-size", "0"),
         ("--books", "0"), ("--books", "-3"), ("--format", ""), ("--grade", "9")],
    )  # fmt: skip
    cases += _number_cases(
        "roster generate",
        [("--students", "0"), ("--students", "-1"), ("--students", HUGE), ("--classes", "0"),
         ("--per-class", "0"), ("--grades", "3-1"), ("--seed", "-1.5")],
    )  # fmt: skip
    cases += _number_cases(
        "groups assign",
        [("--groups", "0"), ("--groups", "-1"), ("--groups", "31"), ("--groups", HUGE), ("--size", "0"),
         ("--time-limit", "0"), ("--time-limit", "-1"), ("--threads", "0")],
    )  # fmt: skip
    for command in ("lms missing", "lms remind"):
        cases += _number_cases(
            command, [("--timeout", "0"), ("--timeout", "-1"), ("--timeout", "1e309"), ("--retries", "-1")]
        )
        cases += [
            Case(
                command,
                "url-without-scheme",
                (lambda cmd: lambda c: _replace(BASE[cmd](c), "--url", f"127.0.0.1:{PORT}"))(command),
            ),
            Case(
                command,
                "url-junk",
                (lambda cmd: lambda c: _replace(BASE[cmd](c), "--url", "http://[::1"))(command),
            ),
            Case(
                command,
                "log-file-in-a-missing-folder",
                (lambda cmd: lambda c: [*BASE[cmd](c), "--log-file", c.out / "없는폴더" / "lms.log"])(
                    command
                ),
            ),
        ]
        cases += _config_cases(command)

    # lms remind reads more files: a roster and a mail template.
    def remind_with(flag: str, kind: str) -> Callable[[Ctx], list[Any]]:
        return lambda c: [*BASE["lms remind"](c), flag, _bad_file(kind, c.good, c.inp)]

    cases += [
        Case("lms remind", f"roster-{kind}", remind_with("--roster", kind))
        for kind in ("picture", "shift-jis", "encrypted")
    ]
    cases += [
        Case(
            "groups assign",
            f"constraints-{kind}",
            (lambda k: lambda c: [*BASE["groups assign"](c), "--constraints", _bad_file(k, c.good, c.inp)])(
                kind
            ),
        )
        for kind in ("picture", "shift-jis", "zero-byte")
    ]

    cases += _login_cases()
    # Commands that start a server: only the values refused before anything starts.
    cases += _number_cases(
        "lms sandbox",
        [
            ("--classes", "0"),
            ("--classes", "-1"),
            ("--learners", "0"),
            ("--learners", "-5"),
            ("--quizzes", "0"),
        ],
    )
    cases += _number_cases(
        "ui", [("--port", "0"), ("--port", "-1"), ("--port", "70000"), ("--max-upload-mb", "0")]
    )
    cases.append(
        Case(
            "ui",
            "shared-without-a-password",
            lambda c: ["ui", "--host", "0.0.0.0", "--no-browser"],
            codes=(2,),
        )
    )

    for case in cases:
        case.xfail = XFAIL.get(case.id, case.xfail)
        if case.id in NOT_RUN:
            case.xfail, case.run = NOT_RUN[case.id], False
    return cases


def _login_cases() -> list[Case]:
    """`lms login` reads a settings file and a service-account key; only Classroom signs in."""

    def classroom(ctx: Ctx) -> Path:
        p = ctx.inp / "classroom.toml"
        p.write_text(
            f'[lms."우리반"]\ndriver = "classroom"\nurl = "{URL}"\nsubject = "t@school.example"\n', "utf-8"
        )
        return p

    def key(kind: str) -> Callable[[Ctx], list[Any]]:
        def argv(ctx: Ctx) -> list[Any]:
            bad = ctx.inp / "없는키.json" if kind == "missing" else _bad_file(kind, ctx.good, ctx.inp)
            return ["lms", "login", "--config", classroom(ctx), "--lms", "우리반", "--service-account", bad]

        return argv

    cases = [
        Case("lms login", f"key-{kind}", key(kind), codes=(1, 2))
        for kind in ("missing", "picture", "zero-byte", "shift-jis")
    ]
    cases.append(
        Case(
            "lms login",
            "not-classroom",
            lambda c: ["lms", "login", "--driver", "kolibri", "--url", URL],
            codes=(2,),
            says="Classroom",
        )
    )
    cases.append(
        Case(
            "lms login",
            "url-without-scheme",
            lambda c: ["lms", "login", "--driver", "classroom", "--url", "127.0.0.1:1"],
            codes=(2,),
        )
    )
    return cases


# Cases that fail today, each waiting for its domain fix: {case id: "issue N #M: what is wrong"}.
# Strict: a fixed case fails as XPASS until its line is removed here. Empty: every case passes.
XFAIL: dict[str, str] = {}
# Cases that would not end (a huge number taken at face value): not run until fixed.
NOT_RUN: dict[str, str] = {}


# ----- running --------------------------------------------------------------------------------
class _Stuck(BaseException):
    """Raised by the alarm in a case that runs too long (not an Exception: the CLI must not catch it)."""


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _params() -> list[Any]:
    out = []
    for case in _cases():
        marks = []
        if case.xfail:
            marks.append(pytest.mark.xfail(strict=True, reason=case.xfail, run=case.run))
        out.append(pytest.param(case, id=case.id, marks=marks))
    return out


@pytest.mark.parametrize("case", _params())
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # a socket the LMS code leaks
def test_bad_input(
    case: Case,
    good: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ctx = Ctx(root=tmp_path, inp=tmp_path / "in", out=tmp_path / "out", good=good)
    ctx.inp.mkdir()
    ctx.out.mkdir()
    monkeypatch.chdir(tmp_path)
    for var in ("SCHOOLAUTO_INPUT_PASSWORD", "SCHOOLAUTO_OUTPUT_PASSWORD", "SCHOOLAUTO_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("SCHOOLAUTO_LMS_PASSWORD", "not-used")
    monkeypatch.setenv("SCHOOLAUTO_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    # No terminal, as in a scheduled run: stdin is not a tty and a hidden prompt gets end-of-file.
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))

    def no_terminal(prompt: str = "", stream: Any = None) -> str:
        raise EOFError

    monkeypatch.setattr("getpass.getpass", no_terminal)

    argv = [str(a) for a in case.argv(ctx)]
    inputs_before = _snapshot(ctx.inp)
    existing_before = _snapshot(ctx.out)

    def stuck(signum: int, frame: Any) -> None:
        raise _Stuck(f"{case.id} ran longer than {CASE_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(CASE_SECONDS)
    try:
        capsys.readouterr()
        code = main(argv)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    captured = capsys.readouterr()
    err = captured.err

    assert "Traceback" not in err + captured.out
    assert not EXCEPTION_NAME.search(err), f"English exception name: {err!r}"
    assert _snapshot(ctx.inp) == inputs_before, "an input file was changed"
    lines = [line for line in err.splitlines() if line.strip()]
    if case.success:
        assert code == 0, f"exit {code}: {err!r}"
        assert any(line.startswith("경고: ") and "망가진_" in line for line in lines), (
            f"no warning names the file: {err!r}"
        )
        assert (ctx.out / "r.xlsx").is_file()
        return
    assert code in case.codes, f"exit {code}, expected {case.codes}: {err!r}"
    assert lines, "no message"
    *warnings, last = lines
    assert all(line.startswith("경고: ") for line in warnings), f"more than one line: {err!r}"
    assert last.startswith("오류: ") and len(last) > len("오류: ") + 5, f"not one Korean error line: {err!r}"
    assert re.search("[가-힣]", last.removeprefix("오류: ")), f"no Korean: {err!r}"
    shown = COMMAND_REFERENCE.sub("", last.replace(str(tmp_path), ""))
    assert not ENGLISH_SENTENCE.search(shown), f"English text: {err!r}"
    if case.says:
        assert re.search(case.says, last), f"expected /{case.says}/: {err!r}"
    after = _snapshot(ctx.out)
    assert after == existing_before, (
        f"left behind or changed in out/: {sorted(set(after) ^ set(existing_before))}"
    )
    for name, data in ctx.existing.items():
        assert (ctx.out / name).read_bytes() == data


def test_the_matrix_covers_every_command() -> None:
    """Every leaf command of the CLI is in the matrix, with at least five cases each."""
    assert set(OPTIONS) == set(COMMANDS)
    counts = {command: sum(1 for c in _cases() if c.command == command) for command in COMMANDS}
    assert min(counts.values()) >= 5, counts
