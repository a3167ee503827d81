"""`schoolauto roster` subcommands."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("roster", help="(준비 중)", description="(준비 중)")
    p.set_defaults(handler=_todo)


def _todo(args: argparse.Namespace) -> int:
    from ..errors import UsageError

    raise UsageError("아직 준비 중인 명령입니다")
