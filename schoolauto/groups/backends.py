"""The registries of assignment methods and MIP solvers, light enough for the CLI's choices.

Built-in entries are lazy: naming them imports nothing heavy (PuLP and HiGHS take seconds to
import on a busy machine), and the module behind an entry is imported when it is first used.
Third parties register through the entry-point groups `schoolauto.groups.methods` and
`schoolauto.groups.solvers`.
"""

from __future__ import annotations

import importlib
from typing import Any

from ..registry import Registry


class Lazy:
    """`module:attr`, imported on first call; calling it calls the attribute."""

    def __init__(self, module: str, attr: str) -> None:
        self.module, self.attr = module, attr

    def resolve(self) -> Any:
        return getattr(importlib.import_module(self.module), self.attr)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.resolve()(*args, **kwargs)


METHODS: Registry[Any] = Registry("배정 방법", entry_point_group="schoolauto.groups.methods")
METHODS.register("ilp", Lazy("schoolauto.groups.solve", "solve_exact"), label="정수계획, 최적 증명")
METHODS.register("greedy", Lazy("schoolauto.groups.solve", "solve_greedy"), label="greedy+swap")
METHODS.register("random", Lazy("schoolauto.groups.solve", "solve_random"), label="무작위")

SOLVERS: Registry[Any] = Registry("풀이기", entry_point_group="schoolauto.groups.solvers")
SOLVERS.register("highs", Lazy("schoolauto.groups.solvers", "HighsBackend"), label="HiGHS")
SOLVERS.register("cbc", Lazy("schoolauto.groups.solvers", "CbcBackend"), label="CBC")
