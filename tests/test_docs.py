"""Consistency: every command has Korean help and an example in the README; the JSON schemas parse.

And the docs are tested (issue 9): every `schoolauto ...` line in a shell, cron or plain block of
README.md and docs/*.md parses with the real argparse parser, every ```toml block is read by the
config reader, the quick starts run as written in order, and every `--help` carries an example.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
from pathlib import Path
from typing import Any

import pytest

from schoolauto.cli import _hoist_global_flags, build_parser, main

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
HANGUL = re.compile(r"[가-힣]")


def _leaf_commands() -> list[tuple[str, argparse.ArgumentParser]]:
    out: list[tuple[str, argparse.ArgumentParser]] = []

    def walk(prefix: str, parser: argparse.ArgumentParser) -> None:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            out.append((prefix, parser))
            return
        for name, child in subs[0].choices.items():
            walk(f"{prefix} {name}".strip(), child)

    walk("", build_parser())
    return out


COMMANDS = _leaf_commands()


def test_there_are_commands() -> None:
    names = {name for name, _ in COMMANDS}
    assert {"records duplicates", "records generate", "roster generate"} <= names


@pytest.mark.parametrize(("name", "parser"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_has_korean_help_and_readme_example(name: str, parser: argparse.ArgumentParser) -> None:
    assert parser.description and HANGUL.search(parser.description), f"{name}: no Korean description"
    for action in parser._actions:
        if action.option_strings and action.help != argparse.SUPPRESS:
            assert action.help and HANGUL.search(action.help), (
                f"{name} {action.option_strings}: no Korean help"
            )
    assert f"schoolauto {name} " in README, f"README has no example of 'schoolauto {name}'"


@pytest.mark.parametrize("schema", sorted((REPO / "docs/schemas").glob("*.json")), ids=lambda p: p.name)
def test_schemas_are_valid(schema: Path) -> None:
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(json.loads(schema.read_text(encoding="utf-8")))


def test_ci_runs_the_readme_test_command() -> None:
    assert "bash scripts/test.sh" in README
    assert "scripts/test.sh" in (REPO / ".ci/run").read_text(encoding="utf-8")


# ----- every example in the docs is run or parsed (issue 9, "Docs are tested") ----------------


DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
SHELL_LANGS = {"bash", "sh", "console", "shell", "cron", "bat", ""}
FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```", re.M | re.S)
ENV_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
REDIRECTION = re.compile(r"^(\d?>>?|<|\d?>&\d|&>)")
BARE_NON_ASCII_KEY = re.compile(r"^\s*\[\[?[^\]\"']*[^\x00-\x7f][^\]\"']*\]\]?\s*$", re.M)


def _blocks(langs: set[str]) -> list[tuple[str, str, str]]:
    """(id, language, text) of every fenced block of those languages, ids like 'README.md#sh3'."""
    out = []
    for doc in DOCS:
        counts: dict[str, int] = {}
        for m in FENCE.finditer(doc.read_text(encoding="utf-8")):
            lang = m.group(1).lower()
            if lang in langs:
                counts[lang] = counts.get(lang, 0) + 1
                out.append((f"{doc.name}#{lang or 'plain'}{counts[lang]}", lang, m.group(2)))
    return out


def _logical_lines(text: str) -> list[str]:
    """Lines with backslash continuations joined, prompts stripped and heredoc bodies dropped."""
    lines: list[str] = []
    pending = ""
    heredoc: str | None = None
    for raw in text.splitlines():
        if heredoc is not None:
            if raw.strip() == heredoc:
                heredoc = None
            continue
        line = raw.rstrip()
        if not pending:
            line = re.sub(r"^\s*(\$|>|PS [^>]*>)\s+", "", line)
        if line.endswith("\\") and not line.endswith("\\\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        m = re.search(r"<<-?\s*['\"]?(\w+)['\"]?", line)
        if m:
            heredoc = m.group(1)
        lines.append(line)
    return lines


def _schoolauto_commands(line: str) -> list[list[str]]:
    """The argument lists of every `schoolauto ...` command on one shell line (after `schoolauto`)."""
    # A scheduled task quotes the whole command line: look inside the quotes too.
    if "schtasks" in line:
        inner = re.search(r'/TR\s+"([^"]*)"', line)
        line = (inner.group(1) if inner else line).replace("\\", "/")  # Windows paths, not escapes
    try:
        words = shlex.split(line, comments=True, posix=True)
    except ValueError:
        words = line.split()
    commands: list[list[str]] = []
    current: list[str] | None = None
    at_start = True  # the next word is a command name (after env assignments)
    for word in words:
        if word in ("&&", "||", ";", "|", "&"):
            current, at_start = None, True
            continue
        if current is None:
            if at_start and ENV_ASSIGNMENT.match(word):
                continue
            name = word.replace("\\", "/").rsplit("/", 1)[-1]
            if at_start and name in ("schoolauto", "schoolauto.exe"):
                current = []
                commands.append(current)
            at_start = False
            continue
        if REDIRECTION.match(word):
            current = None  # what follows is a redirection target; the command ended
            continue
        current.append(word)
    return commands


def _shell_examples() -> list[tuple[str, list[str]]]:
    out = []
    for block_id, _lang, text in _blocks(SHELL_LANGS):
        for n, line in enumerate(_logical_lines(text), start=1):
            if re.search(r"\[--|\.\.\.|FILE_OR_FOLDER", line):  # a synopsis, not an example
                continue
            for args in _schoolauto_commands(line):
                out.append((f"{block_id}:{n}", args))
    return out


SHELL_EXAMPLES = _shell_examples()


def test_the_docs_have_shell_and_toml_examples() -> None:
    assert len(SHELL_EXAMPLES) >= 20
    assert _blocks({"toml"})


@pytest.mark.parametrize(("where", "args"), SHELL_EXAMPLES, ids=[w for w, _ in SHELL_EXAMPLES])
def test_every_command_example_parses(where: str, args: list[str]) -> None:
    """Every `schoolauto ...` line in README.md and docs/*.md is accepted by the real parser."""
    from schoolauto.errors import UsageError

    argv = _hoist_global_flags(args)
    if any(a in ("-h", "--help", "--version") for a in argv):
        with pytest.raises(SystemExit) as exc:
            build_parser().parse_args(argv)
        assert exc.value.code == 0
        return
    try:
        build_parser().parse_args(argv)
    except UsageError as exc:
        pytest.fail(f"{where}: schoolauto {' '.join(args)}\n  -> {exc}")


def _read_config(text: str, tmp_path: Path) -> Any:
    """The project's config reader, as a teacher's file would be read."""
    from schoolauto import config

    p = tmp_path / "schoolauto.toml"
    p.write_text(text, encoding="utf-8")
    return config.read_config(p)


def _toml_params() -> list[Any]:
    params = []
    for block_id, _lang, text in _blocks({"toml"}):
        params.append(pytest.param(text, id=block_id))
    return params


@pytest.mark.parametrize("text", _toml_params())
def test_every_toml_example_is_read(text: str, tmp_path: Path) -> None:
    """Every ```toml block in README.md and docs/*.md is read by the config reader, and shows Korean
    names quoted (`[lms."우리학교"]`): the reader forgives the bare form, other TOML tools do not."""
    assert _read_config(text, tmp_path) is not None
    assert not BARE_NON_ASCII_KEY.search(text)


# ----- the quick starts run as written, in order ------------------------------------------------
def _section(title: str) -> str:
    m = re.search(rf"^## {re.escape(title)}.*?$(.*?)(?=^## )", README, re.M | re.S)
    assert m, f"README has no section '## {title}'"
    return m.group(1)


QUICK_STARTS = ["빠른 시작", "Quick start"]


@pytest.mark.parametrize("title", QUICK_STARTS)
def test_quick_start_runs_in_order(
    title: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """issue 9 #16: every line of the quick start runs as written, in order, in an empty folder.

    `schoolauto` lines go through `cli.main`; `export NAME=value` sets the variable; installing
    and activating the virtual environment are what the test runner already did.
    """
    monkeypatch.chdir(tmp_path)
    for var in ("SCHOOLAUTO_INPUT_PASSWORD", "SCHOOLAUTO_OUTPUT_PASSWORD", "SCHOOLAUTO_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    blocks = [m.group(2) for m in FENCE.finditer(_section(title)) if m.group(1) in ("sh", "bash", "console")]
    assert blocks, f"no shell block in '{title}'"
    ran = 0
    for line in _logical_lines("\n".join(blocks)):
        words = shlex.split(line, comments=True)
        if not words or words[0] in ("python3", "python", "source", ".") or "pip" in words[0]:
            continue
        if words[0] == "export":
            for assignment in words[1:]:
                name, _, value = assignment.partition("=")
                monkeypatch.setenv(name, value)
            continue
        commands = _schoolauto_commands(line)
        assert commands, f"{title}: a line that is neither schoolauto nor set-up: {line!r}"
        for args in commands:
            capsys.readouterr()
            code = main(args)
            err = capsys.readouterr().err
            assert code == 0, f"{title}: `schoolauto {' '.join(args)}` exited {code}: {err}"
            ran += 1
    assert ran >= 3
    assert os.listdir(tmp_path)


# ----- every command has --help with an example --------------------------------------------------
def _all_parsers() -> list[tuple[str, argparse.ArgumentParser]]:
    out: list[tuple[str, argparse.ArgumentParser]] = []

    def walk(prefix: str, parser: argparse.ArgumentParser) -> None:
        out.append((prefix, parser))
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    walk(f"{prefix} {name}".strip(), child)

    walk("", build_parser())
    return out


MISSING_EXAMPLES: dict[str, str] = {}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            name,
            id=name or "schoolauto",
            marks=[pytest.mark.xfail(strict=True, reason=MISSING_EXAMPLES[name])]
            if name in MISSING_EXAMPLES
            else [],
        )
        for name, _ in _all_parsers()
    ],
)
def test_every_help_has_an_example(name: str) -> None:
    """`schoolauto <command> --help` ends with at least one example line that itself parses."""
    from schoolauto.errors import UsageError

    parser = dict(_all_parsers())[name]
    lines = [
        line[line.index("schoolauto ") :]
        for line in _logical_lines(parser.epilog or "")
        if "schoolauto " in line
    ]
    examples = [
        args
        for line in lines
        for args in _schoolauto_commands(line)
        if not re.search(r"\[--|\.\.\.", line) and "--help" not in args  # a pointer to more help
    ]
    assert examples, f"'schoolauto {name} --help' has no example"
    for args in examples:
        try:
            build_parser().parse_args(_hoist_global_flags(args))
        except UsageError as exc:
            pytest.fail(f"the example 'schoolauto {' '.join(args)}' in '{name} --help' does not parse: {exc}")


# ----- every option's value has a Korean name in --help --------------------------------------------
def _english_metavars(parser: argparse.ArgumentParser) -> list[str]:
    """Options whose value argparse would show as the English dest (`--seed SEED`)."""
    takes_no_value = (
        argparse._StoreTrueAction,
        argparse._StoreFalseAction,
        argparse._StoreConstAction,
        argparse._AppendConstAction,
        argparse._CountAction,
        argparse._HelpAction,
        argparse._VersionAction,
    )
    return [
        max(a.option_strings, key=len)
        for a in parser._actions
        if a.option_strings and not isinstance(a, takes_no_value) and a.choices is None and a.metavar is None
    ]


ENGLISH_METAVARS: dict[str, str] = {}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            name,
            id=name or "schoolauto",
            marks=[pytest.mark.xfail(strict=True, reason=ENGLISH_METAVARS[name])]
            if name in ENGLISH_METAVARS
            else [],
        )
        for name, _ in _all_parsers()
    ],
)
def test_every_option_value_has_a_korean_name(name: str) -> None:
    """issue 9 #12: `--seed SEED` in a Korean help; every value-taking option gets a metavar."""
    assert not _english_metavars(dict(_all_parsers())[name])


# ----- library errors name fields, never flags (issue 7, "Must show") ------------------------------
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]+")
LIBRARY_MODULES = sorted(
    p.relative_to(REPO / "schoolauto").as_posix()
    for p in (REPO / "schoolauto").rglob("*.py")
    if not p.relative_to(REPO / "schoolauto").as_posix().startswith("commands/") and p.name != "cli.py"
)
FLAGS_IN_MESSAGES: dict[str, str] = {}  # module -> "issue N: why", while a module still does it


def _flags_in_raised_messages(path: Path) -> list[str]:
    """`--flag` words in the text of every `raise ...(...)` (messages and hints) of a module."""
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and node.exc is not None:
            for sub in ast.walk(node.exc):
                if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                    if sub.value.lstrip().startswith("pip install"):  # an install line, not our flag
                        continue
                    found += [f"{path.name}:{sub.lineno} {m}" for m in FLAG.findall(sub.value)]
    return found


@pytest.mark.parametrize(
    "module",
    [
        pytest.param(
            m,
            marks=[pytest.mark.xfail(strict=True, reason=FLAGS_IN_MESSAGES[m])]
            if m in FLAGS_IN_MESSAGES
            else [],
        )
        for m in LIBRARY_MODULES
    ],
)
def test_library_errors_name_no_flags(module: str) -> None:
    """Outside `commands/` and `cli.py`, an error says which field is wrong, not which flag."""
    assert not _flags_in_raised_messages(REPO / "schoolauto" / module)


# ----- the README's Python examples run ------------------------------------------------------------
@pytest.fixture(scope="module")
def practice_exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding `exports/` and `3학년/`, the folders the README's examples name."""
    from schoolauto.cli import main

    root = tmp_path_factory.mktemp("python-examples")
    for name in ("exports", "3학년"):
        assert (
            main(["records", "generate", "--students", "20", "--out-dir", str(root / name), "--seed", "1"])
            == 0
        )
    return root


@pytest.mark.parametrize(
    "code",
    [
        pytest.param(text, id=block_id)
        for block_id, _lang, text in _blocks({"python"})
        if "README" in block_id
    ],
)
def test_every_readme_python_example_runs(
    code: str, practice_exports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A teacher pasting the README's Python into Jupyter gets no error (on practice data)."""
    work = practice_exports / f"run-{abs(hash(code))}"
    work.mkdir()
    for name in ("exports", "3학년"):
        (work / name).symlink_to(practice_exports / name)
    monkeypatch.chdir(work)
    exec(compile(code, "README.md", "exec"), {})
