"""schoolauto: office work off Korean teachers' desks.

Library first: `schoolauto.records`, `schoolauto.groups`, `schoolauto.lms`, `schoolauto.roster`,
`schoolauto.reports`; the `schoolauto` command is a thin layer over them.
"""

__version__ = "0.1.0"
