"""Record-book (학교생활기록부) checks. First: the same book listed twice in 독서활동상황.

from schoolauto.records import DuplicateCheckRequest, check_duplicates, find_duplicate_books
report = check_duplicates(DuplicateCheckRequest(inputs=["exports/"]))
report = find_duplicate_books(read_reading_exports(["exports/"]))  # the same, in two steps
"""

from .duplicates import DuplicateCheckRequest, check_duplicates, find_duplicate_books
from .generate import GeneratedExports, GenerateRequest, generate
from .methods import METHODS, NormalizedJamoMethod, RatioMethod, get_method
from .model import BookEntry, DuplicateReport, Finding, ReadingDataset, Source, StudentRef
from .neis import read_reading_exports
from .parse import ParsedEntry, parse_reading_cell

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
