"""Record-book (학교생활기록부) checks. First: the same book listed twice in 독서활동상황.

from schoolauto.records import read_reading_exports, find_duplicate_books
report = find_duplicate_books(read_reading_exports(["exports/"]))
"""

from . import audit  # callable: schoolauto.records.audit(schoolauto.records.audit.AuditRequest(...))
from .duplicates import find_duplicate_books
from .methods import METHODS, NormalizedJamoMethod, RatioMethod, get_method
from .model import BookEntry, DuplicateReport, Finding, ReadingDataset, Source, StudentRef
from .neis import read_reading_exports
from .parse import ParsedEntry, parse_reading_cell

__all__ = [
    "METHODS",
    "BookEntry",
    "DuplicateReport",
    "Finding",
    "NormalizedJamoMethod",
    "ParsedEntry",
    "RatioMethod",
    "ReadingDataset",
    "Source",
    "StudentRef",
    "audit",
    "find_duplicate_books",
    "get_method",
    "parse_reading_cell",
    "read_reading_exports",
]
