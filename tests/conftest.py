"""Shared fixtures: run the real CLI in-process and capture what a teacher would see."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from schoolauto.cli import main

REPO = Path(__file__).resolve().parents[1]


@dataclasses.dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):
    """`run_cli("records", "duplicates", path)` -> CliResult(code, out, err)."""

    def run(*argv: object) -> CliResult:
        capsys.readouterr()
        code = main([str(a) for a in argv])
        captured = capsys.readouterr()
        return CliResult(code=code, out=captured.out, err=captured.err)

    return run
