"""The record-book audit (생활기록부 점검): NEIS byte limits, forbidden entries, sentences copied
across students.

    from schoolauto import records
    result = records.audit(records.audit.AuditRequest(inputs=["세특/"], year=2026))

or, for type checkers, `from schoolauto.records.audit import AuditRequest, audit`.
"""

import sys
import types

from .job import CHECK_LABELS, CHECKS, AuditRequest, audit, school_year
from .result import AuditFinding, AuditResult

__all__ = ["CHECKS", "CHECK_LABELS", "AuditFinding", "AuditRequest", "AuditResult", "audit", "school_year"]


class _CallablePackage(types.ModuleType):
    """`schoolauto.records.audit(request)` runs the job while the package stays importable
    (`from schoolauto.records.audit import audit` is the same function, for type checkers)."""

    def __call__(self, request: AuditRequest) -> AuditResult:
        return audit(request)


sys.modules[__name__].__class__ = _CallablePackage
