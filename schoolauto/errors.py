"""The one exception tree of schoolauto.

Library code raises these; only the CLI turns them into Korean messages and exit codes
(1 for runtime failures, 2 for usage errors). Third-party errors are caught where they
enter (openpyxl, calamine, msoffcrypto, requests, selenium, pulp) and re-raised as one of
these, with the file, row and column that were involved.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class SchoolautoError(Exception):
    """Base of every error schoolauto raises on purpose."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        hint: str | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.sheet = sheet
        self.row = row
        self.column = column
        self.hint = hint
        # The request field at fault (`time_limit`, `password`, `out`): the CLI maps it to its flag,
        # the web page to its widget. Library messages and hints never name a flag themselves.
        self.field = field

    def where(self) -> str:
        """Where it happened, in Korean: '파일 3학년/1반.xlsx, 시트 1학년, 12행, 열 성명'.

        The path is shown as the user gave it (two `1반.xlsx` in different folders stay apart).
        """
        parts = []
        if self.path:
            parts.append(f"파일 {self.path}")
        if self.sheet:
            parts.append(f"시트 {self.sheet}")
        if self.row is not None:
            parts.append(f"{self.row}행")
        if self.column:
            parts.append(f"열 {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text = f"{text} ({self.hint})"
        return text


class UsageError(SchoolautoError):
    """The command was called wrongly: a bad option, a missing argument, a conflict."""

    exit_code = 2


class OutputExistsError(UsageError):
    """An output file already exists and overwriting was not asked for."""


class InputFileError(SchoolautoError):
    """An input file cannot be read as the table it should be (format, encoding, corrupt)."""


class PasswordError(InputFileError):
    """A protected file needs a password, or the password given is wrong."""


class PasswordNeededError(PasswordError):
    """A protected file needs a password and none was given."""


class MissingColumnsError(InputFileError):
    """A table lacks columns the job needs."""


class DataError(SchoolautoError):
    """A row's content is not what was expected (a value, a reference, a constraint)."""


class ReportError(SchoolautoError):
    """A report or template cannot be written or filled."""


class ConfigError(UsageError):
    """A configuration file or setting is missing or wrong."""


class DependencyError(SchoolautoError):
    """An optional part is not installed; the message names the exact install line."""


class SolverError(SchoolautoError):
    """An optimisation model could not be built or solved."""


class InfeasibleError(SolverError):
    """The constraints cannot all hold at once; `conflicts` names the ones involved."""

    def __init__(self, message: str, *, conflicts: list[str] | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.conflicts = list(conflicts or [])


class LmsError(SchoolautoError):
    """The LMS answered in a way we cannot use, or could not be reached."""


class AuthError(LmsError):
    """The LMS or mail server refused the credentials."""


class LockedError(SchoolautoError):
    """Another run holds the lock."""
