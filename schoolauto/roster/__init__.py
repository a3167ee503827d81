"""Student rosters: a seeded synthetic generator, and reading/writing roster tables.

`generate_roster` makes realistic fake students (faker ko_KR) for demos, tests and benchmarks;
`write_roster` saves them as .xlsx or .csv; `read_roster` reads any table with an id column
(학번 by default) and attribute columns, from a school export or from `write_roster`.
"""

from .io import Roster, RosterRow, read_roster, write_roster
from .model import HEADERS, Student, generate_roster, level_of, make_student_id

__all__ = [
    "HEADERS",
    "Roster",
    "RosterRow",
    "Student",
    "generate_roster",
    "level_of",
    "make_student_id",
    "read_roster",
    "write_roster",
]
