"""Student rosters: the shared roster reader, and a seeded synthetic generator.

`read_roster` reads any table with an id column (학번 by default) and attribute columns, from a
school export or from a generated roster; `generate(RosterRequest)` makes realistic fake students
(faker ko_KR) for demos, tests and benchmarks; `write_roster` saves them as .xlsx or .csv.
"""

from .io import RosterRow, RosterTable, read_roster, write_roster
from .job import RosterRequest, RosterResult, generate, parse_grades
from .model import HEADERS, RosterStudent, generate_roster, level_of, make_student_id

__all__ = [
    "HEADERS",
    "RosterRequest",
    "RosterResult",
    "RosterRow",
    "RosterStudent",
    "RosterTable",
    "generate",
    "generate_roster",
    "level_of",
    "make_student_id",
    "parse_grades",
    "read_roster",
    "write_roster",
]
