"""Reading the files schools have: xlsx, legacy xls, HTML-in-xls, csv in any Korean encoding.

`read_sheets` gives every sheet of a file as rows of text; `locate_columns` finds a header row
(letter-spaced, below title rows) and maps the wanted columns; `iter_records` walks the data rows
with their row numbers, skipping headers repeated at page breaks.
"""

from .tables import (
    ColumnSpec,
    HeaderMatch,
    Record,
    Sheet,
    expand_inputs,
    iter_records,
    locate_columns,
    normalize_header,
    read_sheets,
    read_table,
)

__all__ = [
    "ColumnSpec",
    "HeaderMatch",
    "Record",
    "Sheet",
    "expand_inputs",
    "iter_records",
    "locate_columns",
    "normalize_header",
    "read_sheets",
    "read_table",
]
