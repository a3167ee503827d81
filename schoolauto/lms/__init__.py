"""Missing work in learning management systems, and reminders: the public API of `schoolauto.lms`.

    from schoolauto import lms
    report = lms.collect_missing(lms.MissingRequest(lms.ConnectionRequest(config="schoolauto.toml", lms="우리학교")))
    result = lms.send_reminders(lms.RemindRequest(lms.ConnectionRequest(lms="우리학교"), report=report))

Both jobs take typed requests and return data; errors name the request field at fault. Drivers are
found by name in `DRIVERS` (built-ins, entry points `schoolauto.lms_drivers`, site profiles).
"""

from __future__ import annotations

from .base import DRIVERS, Connection, Driver, driver_help, driver_names, register_driver
from .config import ConnectionRequest, resolve_connection
from .missing import MissingRequest, collect_missing
from .model import MissingReport
from .remind import RemindRequest, RemindResult, send_reminders

__all__ = [
    "DRIVERS",
    "Connection",
    "ConnectionRequest",
    "Driver",
    "MissingReport",
    "MissingRequest",
    "RemindRequest",
    "RemindResult",
    "collect_missing",
    "driver_help",
    "driver_names",
    "register_driver",
    "resolve_connection",
    "send_reminders",
]
