"""Record-book (학교생활기록부) checks. First: the same book listed twice in 독서활동상황.

from schoolauto.records import DuplicateCheckRequest, check_duplicates, find_duplicate_books
report = check_duplicates(DuplicateCheckRequest(inputs=["exports/"]))
report = find_duplicate_books(read_reading_exports(["exports/"]))  # the same, in two steps
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

# Names are loaded on first use, so `schoolauto --help` (which asks the method registry for the
# `--method` choices) does not pay for reading spreadsheets.
_WHERE = {
    "DuplicateCheckRequest": "duplicates",
    "check_duplicates": "duplicates",
    "find_duplicate_books": "duplicates",
    "METHODS": "methods",
    "NormalizedJamoMethod": "methods",
    "RatioMethod": "methods",
    "get_method": "methods",
    "BookEntry": "model",
    "DuplicateReport": "model",
    "Finding": "model",
    "ReadingDataset": "model",
    "Source": "model",
    "StudentRef": "model",
    "read_reading_exports": "neis",
    "ParsedEntry": "parse",
    "parse_reading_cell": "parse",
}

# `generate` names both a submodule and the job function: bind the function now, or importing the
# submodule anywhere would leave the module in its place.
from .generate import GeneratedExports, GenerateRequest, generate  # noqa: E402  (light: no openpyxl yet)

if TYPE_CHECKING:
    from .duplicates import DuplicateCheckRequest, check_duplicates, find_duplicate_books
    from .methods import METHODS, NormalizedJamoMethod, RatioMethod, get_method
    from .model import BookEntry, DuplicateReport, Finding, ReadingDataset, Source, StudentRef
    from .neis import read_reading_exports
    from .parse import ParsedEntry, parse_reading_cell


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "METHODS",
    "BookEntry",
    "DuplicateCheckRequest",
    "DuplicateReport",
    "Finding",
    "GenerateRequest",
    "GeneratedExports",
    "NormalizedJamoMethod",
    "ParsedEntry",
    "RatioMethod",
    "ReadingDataset",
    "Source",
    "StudentRef",
    "check_duplicates",
    "find_duplicate_books",
    "generate",
    "get_method",
    "parse_reading_cell",
    "read_reading_exports",
]
