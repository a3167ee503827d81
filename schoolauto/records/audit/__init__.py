"""The record-book audit (생활기록부 점검): NEIS byte limits, forbidden entries, sentences copied
across students.

    from schoolauto.records.audit import AuditRequest, audit
    result = audit(AuditRequest(inputs=["세특/"], checks=["length", "forbidden", "copy"], year=2026))
"""

from .job import CHECKS, AuditRequest, audit, school_year
from .result import AuditFinding, AuditResult

__all__ = ["CHECKS", "AuditFinding", "AuditRequest", "AuditResult", "audit", "school_year"]
