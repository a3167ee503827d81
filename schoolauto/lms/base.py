"""The one driver interface, the registry of drivers by name, and the connection settings they get."""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..errors import AuthError, ConfigError, SchoolautoError, UsageError
from ..registry import Registry
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
    # The service's name when the secret is a stored sign-in (made by a sign-in job, kept in the
    # keyring) rather than a password to type; empty for password drivers.
    signs_in: ClassVar[str] = ""

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


# Every LMS driver by name. A new driver is one module with `@register_driver("name")` listed in
# BUILTIN (or, from another package, an entry point in the group below), or one site profile
# `drivers/<name>.toml` read by the browser driver.
BUILTIN = (
    "schoolauto.lms.kolibri",
    "schoolauto.lms.moodle",
    "schoolauto.lms.classroom",
    "schoolauto.lms.browser",
)
ENTRY_POINT_GROUP = "schoolauto.lms_drivers"
DRIVERS: Registry[type[Driver]] = Registry(
    "LMS 드라이버", builtin=BUILTIN, entry_point_group=ENTRY_POINT_GROUP
)


def register_driver(name: str) -> Callable[[type[Driver]], type[Driver]]:
    """Class decorator: register a Driver subclass under `name` (its `label` goes into help texts)."""

    def deco(cls: type[Driver]) -> type[Driver]:
        cls.name = name
        return DRIVERS.register(name, cls, label=cls.label or name)

    return deco


def profile_names() -> list[str]:
    """Site profiles (drivers/<name>.toml) the browser driver can read, by name."""
    from .browser import profile_dirs

    names: set[str] = set()
    for d in profile_dirs():
        if d.is_dir():
            names.update(p.stem for p in d.glob("*.toml"))
    return sorted(names)


def driver_names() -> list[str]:
    """Registered drivers, then site profiles that are not also a driver's name."""
    names = DRIVERS.names()
    return names + [p for p in profile_names() if p not in names]


def driver_help() -> str:
    """'kolibri(Kolibri 0.19 (REST)), …' plus the site profiles, for help texts."""
    profiles = [p for p in profile_names() if p not in DRIVERS]
    extra = f"; 사이트 프로필(브라우저): {', '.join(profiles)}" if profiles else ""
    return DRIVERS.help() + extra


def driver_class(name: str) -> type[Driver]:
    """The driver class called `name`; a site profile's name gives the browser driver."""
    if name not in DRIVERS and name in profile_names():
        return DRIVERS.get("browser", field="driver")
    try:
        return DRIVERS.get(name, field="driver")
    except UsageError:
        known = ", ".join(driver_names())
        raise ConfigError(
            f"알 수 없는 LMS 드라이버 '{name}' 입니다 (가능한 값: {known})", field="driver"
        ) from None


def make_driver(conn: Connection, secret: str | None) -> Driver:
    """The driver for a connection: `via = "browser"` uses the site-profile browser driver."""
    if conn.via not in ("api", "browser"):
        raise ConfigError(f"설정 via 는 api 나 browser 여야 합니다 (받은 값: {conn.via})", field="via")
    return driver_class("browser" if conn.via == "browser" else conn.driver)(conn, secret)
