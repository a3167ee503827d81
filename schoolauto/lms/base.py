"""The one driver interface, the registry of drivers by name, and the connection settings they get."""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..errors import AuthError, ConfigError, SchoolautoError
from .model import ClassData, Course


@dataclass
class Connection:
    """How to reach one LMS: from `schoolauto.toml` or from ad-hoc flags. Never holds the password."""

    name: str
    driver: str
    url: str
    username: str | None = None
    password_env: str | None = None
    classes: tuple[str, ...] = ()  # only these classes (exact names); empty: all
    via: str = "api"  # "api" or "browser"
    profile: str | None = None  # browser site profile (drivers/<profile>.toml)
    kinds: tuple[str, ...] = ()  # only these assignment kinds; empty: all
    timeout: float = 15.0
    retries: int = 3
    options: dict[str, Any] = field(default_factory=dict)  # driver specific (facility, course ids, ...)


class Driver(abc.ABC):
    """Reads classes, students, assignments and statuses from one LMS.

    `login` raises `AuthError` for refused credentials; `fetch_class` raises `LmsError` for a class
    that cannot be read (the caller lists it under errors and goes on with the others).
    """

    name: ClassVar[str]
    label: ClassVar[str] = ""  # shown in help: what the driver reads
    option_keys: ClassVar[tuple[str, ...]] = ()  # driver-specific settings it understands

    def __init__(self, conn: Connection, secret: str | None) -> None:
        self.conn = conn
        self.secret = secret

    @abc.abstractmethod
    def login(self) -> None: ...

    @abc.abstractmethod
    def list_classes(self) -> list[Course]: ...

    @abc.abstractmethod
    def fetch_class(self, course: Course) -> ClassData: ...

    def fetch_classes(self, courses: list[Course]) -> Iterator[tuple[Course, ClassData | SchoolautoError]]:
        """Each class's data, or the error that stopped it (in order). Drivers may fetch in parallel."""
        for course in courses:
            try:
                yield course, self.fetch_class(course)
            except AuthError:
                raise
            except SchoolautoError as exc:
                yield course, exc

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release sessions or browsers."""

    def __enter__(self) -> Driver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


DriverFactory = Callable[[Connection, "str | None"], Driver]
_REGISTRY: dict[str, type[Driver]] = {}


def register_driver(name: str) -> Callable[[type[Driver]], type[Driver]]:
    def deco(cls: type[Driver]) -> type[Driver]:
        cls.name = name
        _REGISTRY[name] = cls
        return cls

    return deco


def _load_builtin() -> None:
    from . import browser, classroom, kolibri, moodle  # noqa: F401 - registers the drivers


def driver_names() -> list[str]:
    _load_builtin()
    return sorted(_REGISTRY)


def driver_class(name: str) -> type[Driver]:
    _load_builtin()
    try:
        return _REGISTRY[name]
    except KeyError:
        err = ConfigError(f"알 수 없는 LMS 드라이버 '{name}' 입니다 (가능한 값: {', '.join(sorted(_REGISTRY))})")
        err.field = "driver"  # type: ignore[attr-defined]
        raise err from None


get_driver_class = driver_class  # older name


def make_driver(conn: Connection, secret: str | None) -> Driver:
    """The driver for a connection: `via = "browser"` uses the site-profile browser driver."""
    if conn.via not in ("api", "browser"):
        err = ConfigError(f"설정 via 는 api 나 browser 여야 합니다 (받은 값: {conn.via})")
        err.field = "via"  # type: ignore[attr-defined]
        raise err
    return driver_class("browser" if conn.via == "browser" else conn.driver)(conn, secret)
