"""Consistency: every command has Korean help and an example in the README; the JSON schemas parse."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest

from schoolauto.cli import build_parser

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
