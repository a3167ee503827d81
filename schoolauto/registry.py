"""Backends chosen by name: LMS drivers, group methods, solvers, similarity methods, audit checks.

Each domain keeps one `Registry`; built-in backends register themselves when their module is
imported, third-party ones through an entry-point group. The CLI takes its `choices` and help from
`names()`/`items()` and the web page its select boxes, so a new backend is one module plus its
registration.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Generic, TypeVar

from .errors import UsageError

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Entry(Generic[T]):
    name: str
    obj: T
    label: str  # Korean, for help texts and the web page


class Registry(Generic[T]):
    """Named backends of one kind.

    `builtin` names modules imported (once) before the first lookup, so their registrations run;
    `entry_point_group` loads third-party backends: an entry point `name = "pkg.module:obj"`.
    """

    def __init__(
        self,
        kind: str,
        *,
        builtin: Iterable[str] = (),
        entry_point_group: str | None = None,
    ) -> None:
        self.kind = kind  # Korean noun for messages: "LMS 드라이버", "풀이기"
        self._builtin = tuple(builtin)
        self._group = entry_point_group
        self._entries: dict[str, Entry[T]] = {}
        self._loaded = False

    def register(self, name: str, obj: T, *, label: str = "") -> T:
        self._entries[name] = Entry(name, obj, label or name)
        return obj

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        for module in self._builtin:
            importlib.import_module(module)
        if self._group:
            for ep in entry_points(group=self._group):
                if ep.name in self._entries:
                    continue  # a built-in of the same name wins
                try:
                    self.register(ep.name, ep.load())
                except Exception as exc:  # noqa: BLE001 - a broken plugin must not stop the built-ins
                    log.warning(
                        "%s '%s' 을(를) 불러오지 못했습니다: %s", self.kind, ep.name, type(exc).__name__
                    )

    def names(self) -> list[str]:
        self._load()
        return list(self._entries)

    def items(self) -> list[Entry[T]]:
        self._load()
        return list(self._entries.values())

    def __contains__(self, name: object) -> bool:
        self._load()
        return name in self._entries

    def get(self, name: str, *, field: str | None = None) -> T:
        """The backend called `name`; an unknown name is a usage error naming `field`."""
        self._load()
        try:
            return self._entries[name].obj
        except KeyError:
            known = ", ".join(self._entries)
            raise UsageError(
                f"알 수 없는 {self.kind} '{name}' 입니다 (가능한 값: {known})", field=field
            ) from None

    def help(self) -> str:
        """'a(설명), b(설명)' for help texts."""
        return ", ".join(f"{e.name}({e.label})" if e.label != e.name else e.name for e in self.items())
