"""Reminders already sent, per day, so that scheduled runs never remind anyone twice a day."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from ..errors import ConfigError
from ..fileio import write_bytes_atomic

STATE_FILE = "lms-reminders.json"


class ReminderState:
    """A small JSON file {day: [keys]}, rewritten atomically after each send; 14 days are kept."""

    KEEP_DAYS = 14

    def __init__(self, path: Path, today: date) -> None:
        self.path = path
        self.today = today.isoformat()
        self.data: dict[str, list[str]] = {}
        if path.exists():
            try:
                raw = json.loads(path.read_text(encoding="utf-8"))
                self.data = {k: list(v) for k, v in raw.items() if isinstance(v, list)}
            except (OSError, ValueError, AttributeError) as exc:
                raise ConfigError(
                    "알림 기록 파일이 손상되었습니다", path=path, hint="지우고 다시 실행하세요"
                ) from exc
        self._today = set(self.data.get(self.today, []))

    def done(self, key: str) -> bool:
        return key in self._today

    def mark(self, keys: Sequence[str]) -> None:
        self._today.update(keys)
        self.data[self.today] = sorted(self._today)
        for day in sorted(self.data)[: -self.KEEP_DAYS]:
            del self.data[day]
        text = json.dumps(self.data, ensure_ascii=False, indent=1)
        write_bytes_atomic(self.path, text.encode("utf-8"), overwrite=True)
