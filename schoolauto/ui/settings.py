"""Settings of the web page that the `ui` command needs too (no Streamlit import here)."""

from __future__ import annotations

import ipaddress
import os

PASSWORD_ENV = "SCHOOLAUTO_UI_PASSWORD"
SHARED_ENV = "SCHOOLAUTO_UI_SHARED"  # set by `schoolauto ui` when bound to a non-loopback address
UPLOAD_LIMIT_ENV = "SCHOOLAUTO_UI_MAX_UPLOAD_MB"
IDLE_ENV = "SCHOOLAUTO_UI_IDLE_MINUTES"
DEFAULT_UPLOAD_MB = 50
MAX_FAILURES = 5
LOCKOUT_SECONDS = 300
TABLE_TYPES = ["xlsx", "xls", "xlsb", "ods", "csv"]


def upload_limit_mb() -> int:
    try:
        return max(1, int(os.environ.get(UPLOAD_LIMIT_ENV, DEFAULT_UPLOAD_MB)))
    except ValueError:
        return DEFAULT_UPLOAD_MB


def idle_seconds() -> float:
    try:
        return max(1.0, float(os.environ.get(IDLE_ENV, "60")) * 60)
    except ValueError:
        return 3600.0


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def local_mode() -> bool:
    """True when the page is served to this computer only (then a local folder may be named)."""
    return os.environ.get(SHARED_ENV) != "1"
